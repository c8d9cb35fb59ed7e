//! Overlays: JSON written over an object as the emulator serves it, so tests can seed what the
//! emulator's own types cannot hold (a variant, enum value or field scoville does not know, a
//! bare team `metadata`). The object's own state is unchanged; only the answers differ.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::OrgState;
use crate::edge::wire::Page;

/// Overlays by served object: `rule/<id>`, `distribution/<id>`, `team/<id>`, `user/<id>`,
/// `settings/<workspace id>`, `meetingType/<id>`, `reminder/<id>` or `link/<id>`. Each key of an overlay is a dot path into the object
/// (`published.assignmentTypeConfig`, with a number for an array item: `published.weights.0`);
/// its value replaces what is there, and `null` removes it.
pub type Overlays = BTreeMap<String, Map<String, Value>>;

impl OrgState {
    /// `value` as JSON with the overlay of `key` written over it.
    pub fn overlaid<T: Serialize>(&self, key: &str, value: &T) -> Value {
        let mut json = serde_json::to_value(value).unwrap_or(Value::Null);
        if let Some(overlay) = self.overlays.get(key) {
            for (path, replacement) in overlay {
                set_path(&mut json, path, replacement.clone());
            }
        }
        json
    }

    /// A page with each object's overlay, `key_of` naming its overlay.
    pub fn overlaid_page<T: Serialize>(
        &self,
        page: Page<T>,
        key_of: impl Fn(&T) -> String,
    ) -> Page<Value> {
        Page {
            results: page
                .results
                .iter()
                .map(|item| self.overlaid(&key_of(item), item))
                .collect(),
            total: page.total,
            page: page.page,
            page_size: page.page_size,
        }
    }
}

fn set_path(json: &mut Value, path: &str, replacement: Value) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let Some(last) = segments.pop() else {
        return;
    };
    let mut at = json;
    for segment in segments {
        at = match at {
            // A number steps into an array (`published.weights.0.boost`).
            Value::Array(items) => {
                match segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) => item,
                    None => return,
                }
            }
            Value::Object(object) => object
                .entry(segment.to_string())
                .or_insert_with(|| Value::Object(Map::new())),
            _ => return,
        };
    }
    if let Some(object) = at.as_object_mut() {
        if replacement.is_null() {
            object.remove(last);
        } else {
            object.insert(last.to_string(), replacement);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_in_a_path_steps_into_an_array() {
        let mut json = serde_json::json!({"a": [{"b": 1}, {"b": 2}]});
        set_path(&mut json, "a.1.c", serde_json::json!(true));
        set_path(&mut json, "a.5.c", serde_json::json!(true));
        assert_eq!(
            json,
            serde_json::json!({"a": [{"b": 1}, {"b": 2, "c": true}]})
        );
    }

    #[test]
    fn dot_paths_replace_add_and_remove() {
        let mut json = serde_json::json!({"a": {"b": 1, "c": 2}, "d": 3});
        set_path(&mut json, "a.b", serde_json::json!("x"));
        set_path(&mut json, "a.c", Value::Null);
        set_path(&mut json, "e.f", serde_json::json!(true));
        assert_eq!(
            json,
            serde_json::json!({"a": {"b": "x"}, "d": 3, "e": {"f": true}})
        );
    }
}
