//! `Tolerant`: the reader's side of "tolerant reader, strict writer". An object that does not
//! decode into its wire type is kept as JSON with the reason, so one object scoville does not
//! know never fails a whole read; an object that decodes but carries fields its wire type does
//! not name is kept with the paths of those fields, so no write that replaces it erases them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::Page;
use super::keycheck::Shape;

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
    // The common case, no such field, is told without serializing `known` to a `Value`.
    if Shape::of_value(raw).names_every_key(known) {
        return Vec::new();
    }
    let Ok(again) = serde_json::to_value(known) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    compare(raw, &again, &mut String::new(), &mut out);
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

/// Pushes the paths of `raw`'s unknown fields under `path` (a buffer, left as it was given).
fn compare(raw: &Value, again: &Value, path: &mut String, out: &mut Vec<String>) {
    let length = path.len();
    match (raw, again) {
        (Value::Object(raw), Value::Object(again)) => {
            for (key, value) in raw {
                if length > 0 {
                    path.push('.');
                }
                path.push_str(key);
                match again.get(key) {
                    Some(known) => compare(value, known, path, out),
                    None if value.is_null() => {}
                    None => out.push(path.clone()),
                }
                path.truncate(length);
            }
        }
        (Value::Array(raw), Value::Array(again)) => {
            use std::fmt::Write;
            for (index, (value, known)) in raw.iter().zip(again).enumerate() {
                let _ = write!(path, "[{index}]");
                compare(value, known, path, out);
                path.truncate(length);
            }
        }
        _ => {}
    }
}

/// How the page of a list call is decoded: by default as `serde_json::from_slice` decodes it.
pub trait PageItem: DeserializeOwned {
    /// One page's answer, decoded.
    fn decode_page(bytes: &[u8]) -> serde_json::Result<Page<Self>> {
        serde_json::from_slice(bytes)
    }
}

/// A page of `Tolerant` objects, decoded as `serde_json::from_slice` decodes it (the same
/// page, the same error) but faster: each object is decoded as `T` straight from its text and,
/// when it provably has no field `T` does not name, kept as `Known` without building its
/// `Value`. Every other object (unknown fields, a decoding error) is read as before, from its
/// text alone; and a page any of whose objects `serde_json::Value` might read differently
/// from there (a syntax or number error, deep nesting) is decoded whole as before.
impl<T: DeserializeOwned + Serialize> PageItem for Tolerant<T> {
    fn decode_page(bytes: &[u8]) -> serde_json::Result<Page<Self>> {
        match fast_page(bytes) {
            Some(page) => Ok(page),
            None => serde_json::from_slice(bytes),
        }
    }
}

fn fast_page<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Option<Page<Tolerant<T>>> {
    let page: Page<&RawValue> = serde_json::from_slice(bytes).ok()?;
    let mut shape = Shape::default();
    let results = page
        .results
        .iter()
        .map(|item| fast_item(item.get(), &mut shape))
        .collect::<Option<Vec<_>>>()?;
    Some(Page {
        results,
        total: page.total,
        page: page.page,
        page_size: page.page_size,
    })
}

/// One object of a page, read as `Tolerant::deserialize` reads it in the page; `None` when
/// that might differ (the whole page is then decoded as before).
fn fast_item<'a, T: DeserializeOwned + Serialize>(
    text: &'a str,
    shape: &mut Shape<'a>,
) -> Option<Tolerant<T>> {
    // Laid out as strictly as `Value` parses: where this fails, so might the page's `Value`.
    if !shape.read_json(text) {
        return None;
    }
    if let Ok(value) = serde_json::from_str::<T>(text)
        && shape.names_every_key(&value)
    {
        return Some(Tolerant::Known(value));
    }
    serde_json::from_str::<Tolerant<T>>(text).ok()
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
