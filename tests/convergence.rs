//! Convergence of `apply` under faults, in one binary: a property test over generated orgs and
//! manifests with the emulator failing and answering ambiguously (`property`), and exact fault
//! sequences on each non-idempotent call with the journal as witness (`scripted`), and
//! read-backs in big orgs against the client tests' scripted stub (`read_back`).

#[path = "convergence/booking.rs"]
mod booking;
#[path = "convergence/cases.rs"]
mod cases;
#[path = "convergence/generate.rs"]
mod generate;
#[path = "convergence/harness.rs"]
mod harness;
#[path = "convergence/model.rs"]
mod model;
#[path = "convergence/property.rs"]
mod property;
#[path = "convergence/read_back.rs"]
mod read_back;
#[path = "convergence/scripted.rs"]
mod scripted;
#[path = "convergence/stale.rs"]
mod stale;
// Shared with tests/client.rs; this binary uses only part of it.
#[allow(dead_code)]
#[path = "client/stub.rs"]
mod stub;
