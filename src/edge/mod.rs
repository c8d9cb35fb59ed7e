//! The Edge API: its operations (`ops`), its JSON (`wire`) and the HTTP client.
//!
//! This is the only code that knows URLs and JSON field names of the API.

pub mod ops;
pub mod wire;
