//! The JSON Schema of a manifest file, generated from the format types (draft-07, which
//! yaml-language-server reads). `scoville schema` prints it; schema/scoville.schema.json is
//! this output, committed, and a test keeps the two equal.

use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::format::ManifestFile;

/// The schema as pretty-printed JSON with a trailing newline.
pub fn json_schema() -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<ManifestFile>();
    let mut value = schema.to_value();
    describe_tags(&mut value);
    let mut text = serde_json::to_string_pretty(&value)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}

/// The `type` key of the internally tagged leaf enums (`{type: Daily, ...}`) has no doc
/// comment to take a description from; give it one so every field explains itself on hover.
fn describe_tags(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get_mut("properties")
                && let Some(Value::Object(tag)) = properties.get_mut("type")
                && !tag.contains_key("description")
                && let Some(Value::String(name)) = tag.get("const").cloned()
            {
                tag.insert(
                    "description".into(),
                    Value::String(format!("Selects this kind: `{name}`.")),
                );
            }
            object.values_mut().for_each(describe_tags);
        }
        Value::Array(items) => items.iter_mut().for_each(describe_tags),
        _ => {}
    }
}
