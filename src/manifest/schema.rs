//! The JSON Schema of a manifest file, generated from the format types (draft-07, which
//! yaml-language-server reads). `scoville schema` prints it; schema/scoville.schema.json is
//! this output, committed, and a test keeps the two equal.

use schemars::generate::SchemaSettings;

use super::format::ManifestFile;

/// The schema as pretty-printed JSON with a trailing newline.
pub fn json_schema() -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<ManifestFile>();
    let mut text = serde_json::to_string_pretty(&schema)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}
