//! scoville: GitOps for Chili Piper admin configuration.
//!
//! The pipeline: manifests -> `Desired`, Edge API -> `Live`, `plan()` (pure) -> `Plan`,
//! renderers, applier. See ARCHITECTURE.md for the code map and the invariants.

pub mod edge;
pub mod model;
