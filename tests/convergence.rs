//! Convergence of `apply` under faults, in one binary: a property test over generated orgs and
//! manifests with the emulator failing and answering ambiguously (`property`), and exact fault
//! sequences on each non-idempotent call with the journal as witness (`scripted`).

#[path = "convergence/generate.rs"]
mod generate;
#[path = "convergence/harness.rs"]
mod harness;
#[path = "convergence/model.rs"]
mod model;
#[path = "convergence/property.rs"]
mod property;
#[path = "convergence/scripted.rs"]
mod scripted;
