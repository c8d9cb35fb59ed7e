//! `Tolerant`: the reader's side of "tolerant reader, strict writer". An object that does not
//! decode into its wire type is kept as JSON with the reason, so one object scoville does not
//! know never fails a whole read; an object that decodes but carries fields its wire type does
//! not name is kept with the paths of those fields, so no write that replaces it erases them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// One object of an answer: decoded as `T`, or, when it has something `T` does not know (a new
/// variant or enum value, a missing field), kept as the JSON it was with serde's reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Tolerant<T> {
    Known(T),
    /// Decoded as `T`, but the JSON has fields `T` does not name (serde would drop them): a
    /// write that sends `value` back would erase them.
    Extended {
        value: T,
        raw: Value,
        /// The unknown fields, as paths into the JSON (`published.capping.carryOver`,
        /// `conditions.conditions[1].weight`), sorted.
        unknown_fields: Vec<String>,
    },
    Unknown {
        raw: Value,
        /// What did not decode, in serde's words (e.g. "unknown variant `Hourly`").
        reason: String,
    },
}

impl<T> Tolerant<T> {
    /// The decoded value, if it decoded (with or without fields it does not name).
    pub fn known(&self) -> Option<&T> {
        match self {
            Tolerant::Known(value) | Tolerant::Extended { value, .. } => Some(value),
            Tolerant::Unknown { .. } => None,
        }
    }

    /// The decoded value, if it decoded, by value.
    pub fn into_known(self) -> Option<T> {
        match self {
            Tolerant::Known(value) | Tolerant::Extended { value, .. } => Some(value),
            Tolerant::Unknown { .. } => None,
        }
    }

    /// The paths of the fields the decoded value does not name (empty when it names them all
    /// or did not decode).
    pub fn unknown_fields(&self) -> &[String] {
        match self {
            Tolerant::Extended { unknown_fields, .. } => unknown_fields,
            Tolerant::Known(_) | Tolerant::Unknown { .. } => &[],
        }
    }
}

/// The fields of `raw` that `known` (what `raw` decoded into) does not carry: `known` is
/// serialized again and the key sets are compared, object by object and array item by array
/// item. A field whose value is `null` is not counted (writing it back as absent loses
/// nothing). Paths are dot paths with `[i]` for array items, sorted.
pub fn unknown_fields<T: Serialize>(raw: &Value, known: &T) -> Vec<String> {
    let Ok(again) = serde_json::to_value(known) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    compare(raw, &again, "", &mut out);
    out.sort();
    out
}

/// The unknown fields a write that replaces the object would send back without: those under
/// `under` (every one when `None`), except the read-only `metadata` there.
pub fn sent_back(fields: &[String], under: Option<&str>) -> Vec<String> {
    fields
        .iter()
        .filter(|path| {
            let rest = match under {
                Some(prefix) => match path.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')) {
                    Some(rest) => rest,
                    None => return false,
                },
                None => path.as_str(),
            };
            !rest.starts_with("metadata.")
        })
        .cloned()
        .collect()
}

fn compare(raw: &Value, again: &Value, path: &str, out: &mut Vec<String>) {
    match (raw, again) {
        (Value::Object(raw), Value::Object(again)) => {
            for (key, value) in raw {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match again.get(key) {
                    Some(known) => compare(value, known, &here, out),
                    None if value.is_null() => {}
                    None => out.push(here),
                }
            }
        }
        (Value::Array(raw), Value::Array(again)) => {
            for (index, (value, known)) in raw.iter().zip(again).enumerate() {
                compare(value, known, &format!("{path}[{index}]"), out);
            }
        }
        _ => {}
    }
}

impl<'de, T: DeserializeOwned + Serialize> Deserialize<'de> for Tolerant<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Value::deserialize(deserializer)?;
        Ok(match T::deserialize(&raw) {
            Ok(value) => {
                let unknown_fields = unknown_fields(&raw, &value);
                if unknown_fields.is_empty() {
                    Tolerant::Known(value)
                } else {
                    Tolerant::Extended {
                        value,
                        raw,
                        unknown_fields,
                    }
                }
            }
            Err(error) => Tolerant::Unknown {
                reason: error.to_string(),
                raw,
            },
        })
    }
}

impl<T: Serialize> Serialize for Tolerant<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Tolerant::Known(value) => value.serialize(serializer),
            Tolerant::Extended { raw, .. } | Tolerant::Unknown { raw, .. } => {
                raw.serialize(serializer)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        a: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        b: Option<u32>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Outer {
        inner: Inner,
        items: Vec<Inner>,
    }

    #[test]
    fn fields_the_type_does_not_name_are_found_at_any_depth() {
        let raw = serde_json::json!({"inner": {"a": 1, "b": null, "new": true},
            "items": [{"a": 1}, {"a": 2, "later": [1]}], "top": "x"});
        let read: Tolerant<Outer> = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(
            read.unknown_fields(),
            ["inner.new", "items[1].later", "top"]
        );
        assert_eq!(read.known().unwrap().inner.a, 1);
        // What is served again is what was read, unknown fields included.
        assert_eq!(serde_json::to_value(&read).unwrap(), raw);
    }

    #[test]
    fn what_a_write_sends_back_is_under_its_object_and_not_metadata() {
        let fields = [
            "published.metadata.etag".to_string(),
            "published.routingHint".to_string(),
            "publishedAt".to_string(),
            "state.lastReset".to_string(),
        ];
        assert_eq!(
            sent_back(&fields, Some("published")),
            ["published.routingHint"]
        );
        assert_eq!(sent_back(&fields, None).len(), 4);
    }

    #[test]
    fn an_object_with_only_known_fields_is_known() {
        let raw = serde_json::json!({"inner": {"a": 1}, "items": []});
        let read: Tolerant<Outer> = serde_json::from_value(raw).unwrap();
        assert!(matches!(read, Tolerant::Known(_)));
    }
}
