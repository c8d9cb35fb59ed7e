//! Integration tests of the manifests layer: loading examples/acme, the rendered diagnostic
//! of each kind of mistake (insta snapshots), the JSON Schema, the export writer, the CLI, and
//! a property test that the loader never panics.

#[path = "manifest/acme.rs"]
mod acme;
#[path = "manifest/booking.rs"]
mod booking;
#[path = "manifest/cases.rs"]
mod cases;
#[path = "manifest/cli.rs"]
mod cli;
#[path = "manifest/export.rs"]
mod export;
#[path = "manifest/export_booking.rs"]
mod export_booking;
#[path = "manifest/fuzz.rs"]
mod fuzz;
#[path = "manifest/schema.rs"]
mod schema;
