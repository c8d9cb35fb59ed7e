//! scoville: GitOps for Chili Piper admin configuration.
//!
//! The pipeline: manifests -> `Desired`, Edge API -> `Live`, `plan()` (pure) -> `Plan`,
//! renderers, applier. See ARCHITECTURE.md for the code map and the invariants.

pub mod apply;
pub mod bench;
pub mod cli;
pub mod doctor;
pub mod drift;
pub mod edge;
pub mod emulator;
pub mod fsio;
pub mod live;
pub mod manifest;
pub mod model;
pub mod plan;
pub mod redact;
pub mod render;
