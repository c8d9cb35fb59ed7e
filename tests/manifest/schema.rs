//! The JSON Schema: the committed file is what `scoville schema` prints, every field has a
//! description for editors, and every example manifest validates against it.
//!
//! The validator below covers the draft-07 keywords the generated schema uses (a full
//! validator crate would weigh more than the rest of the dev-dependencies together); a
//! keyword it does not know fails the test, so it cannot silently pass over one.

use std::path::Path;

use serde_json::Value;

const COMMITTED: &str = "schema/scoville.schema.json";

#[test]
fn committed_schema_is_up_to_date() {
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    let generated = scoville::manifest::json_schema();
    assert!(
        committed == generated,
        "{COMMITTED} is stale: regenerate it with `cargo run -- schema > {COMMITTED}` and commit it"
    );
}

fn schema() -> Value {
    serde_json::from_str(&scoville::manifest::json_schema()).expect("the schema is JSON")
}

#[test]
fn schema_is_draft_07() {
    assert_eq!(
        schema()["$schema"],
        Value::from("http://json-schema.org/draft-07/schema#")
    );
}

#[test]
fn every_field_has_a_description() {
    fn walk(node: &Value, path: &str, missing: &mut Vec<String>) {
        match node {
            Value::Object(object) => {
                if let Some(Value::Object(properties)) = object.get("properties") {
                    for (name, property) in properties {
                        if property.get("description").is_none() {
                            missing.push(format!("{path}/{name}"));
                        }
                    }
                }
                for (key, value) in object {
                    walk(value, &format!("{path}/{key}"), missing);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}/{index}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    walk(&schema(), "", &mut missing);
    assert!(
        missing.is_empty(),
        "fields without a description: {missing:#?}"
    );
}

/// The YAML of a manifest file as JSON, as an editor's schema validation sees it.
fn yaml_as_json(text: &str) -> Value {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(text, options).expect("valid YAML")
}

#[test]
fn every_example_manifest_validates_against_the_schema() {
    let schema = schema();
    let mut n_files = 0;
    for entry in std::fs::read_dir("examples/acme").expect("examples/acme") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let errors = validate(&schema, &schema, &yaml_as_json(&text), "");
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        n_files += 1;
    }
    assert_eq!(n_files, 5);
}

#[test]
fn every_example_starts_with_the_schema_modeline() {
    for entry in std::fs::read_dir("examples/acme").expect("examples/acme") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            "# yaml-language-server: $schema=../../schema/scoville.schema.json",
            "{}",
            path.display()
        );
        assert!(
            Path::new("examples/acme")
                .join("../../schema/scoville.schema.json")
                .exists()
        );
    }
}

/// The validator must be able to fail, or the test above proves nothing.
#[test]
fn schema_rejects_typos_and_wrong_types() {
    let schema = schema();
    let typo = yaml_as_json("workspaces:\n  Sales:\n    memebers: [a@b.example]\n");
    assert!(!validate(&schema, &schema, &typo, "").is_empty());
    let wrong = yaml_as_json("users:\n  a@b.example:\n    licenses: [distro, chilicalorg]\n");
    assert!(!validate(&schema, &schema, &wrong, "").is_empty());
    let tagged = yaml_as_json(
        "workspaces:\n  S:\n    distributions:\n      D:\n        team: t\n        record:\n          handling: {type: Sometimes}\n",
    );
    assert!(!validate(&schema, &schema, &tagged, "").is_empty());
}

/// Errors of `value` against `node` (a schema or subschema of `root`), as JSON pointers.
fn validate(root: &Value, node: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let Value::Object(schema) = node else {
        if node == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return errors;
    };
    for (keyword, argument) in schema {
        match keyword.as_str() {
            "$schema" | "title" | "description" | "definitions" | "format" => {}
            "$ref" => {
                let name = argument
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/definitions/"))
                    .expect("local definition reference");
                errors.extend(validate(root, &root["definitions"][name], value, at));
            }
            "type" => {
                let types: Vec<&str> = match argument {
                    Value::String(one) => vec![one.as_str()],
                    Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                    other => panic!("unexpected type {other}"),
                };
                if !types.iter().any(|t| has_type(value, t)) {
                    errors.push(format!("{at}: expected {types:?}, found {value}"));
                }
            }
            "enum" => {
                if !argument.as_array().expect("enum list").contains(value) {
                    errors.push(format!("{at}: {value} is not one of {argument}"));
                }
            }
            "const" => {
                if argument != value {
                    errors.push(format!("{at}: {value} is not {argument}"));
                }
            }
            "minimum" => {
                if let (Some(min), Some(n)) = (argument.as_f64(), value.as_f64())
                    && n < min
                {
                    errors.push(format!("{at}: {n} < {min}"));
                }
            }
            "maximum" => {
                if let (Some(max), Some(n)) = (argument.as_f64(), value.as_f64())
                    && n > max
                {
                    errors.push(format!("{at}: {n} > {max}"));
                }
            }
            "required" => {
                if let Value::Object(object) = value {
                    for name in argument.as_array().expect("required list") {
                        let name = name.as_str().expect("property name");
                        if !object.contains_key(name) {
                            errors.push(format!("{at}: missing {name}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Value::Object(object) = value {
                    for (name, subschema) in argument.as_object().expect("properties") {
                        if let Some(property) = object.get(name) {
                            errors.extend(validate(
                                root,
                                subschema,
                                property,
                                &format!("{at}/{name}"),
                            ));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Value::Object(object) = value {
                    let known = schema.get("properties").and_then(Value::as_object);
                    for (name, property) in object {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        errors.extend(validate(root, argument, property, &format!("{at}/{name}")));
                    }
                }
            }
            "items" => {
                if let Value::Array(items) = value {
                    for (index, item) in items.iter().enumerate() {
                        errors.extend(validate(root, argument, item, &format!("{at}/{index}")));
                    }
                }
            }
            "anyOf" | "oneOf" | "allOf" => {
                let branches = argument.as_array().expect("branches");
                let n_valid = branches
                    .iter()
                    .filter(|branch| validate(root, branch, value, at).is_empty())
                    .count();
                let ok = match keyword.as_str() {
                    "anyOf" => n_valid >= 1,
                    "oneOf" => n_valid == 1,
                    _ => n_valid == branches.len(),
                };
                if !ok {
                    errors.push(format!(
                        "{at}: {value} matches {n_valid} of the {keyword} branches"
                    ));
                }
            }
            other => panic!("the test validator does not know the keyword `{other}`"),
        }
    }
    errors
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        other => panic!("unknown type {other}"),
    }
}
