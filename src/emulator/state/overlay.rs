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

    /// A page with each object's overlay, `key_of` naming its overlay. An object without one
    /// is served as itself, not through a `Value` (most of a list's cost on a large org).
    pub fn overlaid_page<T: Serialize>(
        &self,
        page: Page<T>,
        key_of: impl Fn(&T) -> String,
    ) -> Page<Served<T>> {
        Page {
            results: page
                .results
                .into_iter()
                .map(|item| {
                    if self.overlays.is_empty() {
                        return Served::Plain(item);
                    }
                    let key = key_of(&item);
                    if self.overlays.contains_key(&key) {
                        Served::Overlaid(self.overlaid(&key, &item))
                    } else {
                        Served::Plain(item)
                    }
                })
                .collect(),
            total: page.total,
            page: page.page,
            page_size: page.page_size,
        }
    }
}

/// An object as the emulator serves it: itself, or its JSON with an overlay written over it.
/// Both serialize to the same JSON where there is no overlay (`serde_json::to_value` keeps the
/// fields in the order the object serializes them).
#[derive(Debug)]
pub enum Served<T> {
    Plain(T),
    Overlaid(Value),
}

impl<T: Serialize> Serialize for Served<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Served::Plain(item) => item.serialize(serializer),
            Served::Overlaid(json) => json.serialize(serializer),
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
