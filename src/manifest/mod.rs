//! Manifests: YAML files -> `Desired`, with every problem reported at once (file:line:column),
//! the JSON Schema of the format, and the writer behind `scoville export`.
//!
//! The path of a manifest set through this module: `load` finds the files (`load.rs`),
//! `node::parse` turns each into a tree of positioned nodes with serde-saphyr, the tree is
//! deserialized into the format types (`format.rs`), and `check::assemble` merges the files
//! into `Desired`, checking references and ranges. Problems are `Diagnostic`s, rendered by
//! `diagnostic.rs`. The format is documented for people in docs/manifests.md.

mod check;
mod conditions;
mod diagnostic;
mod export;
mod export_booking;
pub mod format;
mod load;
mod node;
mod node_events;
#[cfg(test)]
mod node_events_fuzz;
#[cfg(test)]
mod node_events_tests;
mod schema;
mod values;
mod wrappers;
mod yaml_text;

pub use diagnostic::{Diagnostic, Diagnostics, MAX_LINE_CHARS, MAX_SHOWN, MAX_SHOWN_PER_FILE};
pub use export::{ExportedFile, export, skipped as export_skipped};
pub use load::{load, load_texts};
pub use node::Pos;
pub use schema::json_schema;
pub use wrappers::{At, Checked, Keyed};
