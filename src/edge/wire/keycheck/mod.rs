//! A cheap answer to "does `unknown_fields(raw, known)` find nothing?", without building
//! `serde_json::to_value(known)` or a path string per key.
//!
//! The raw JSON is laid out as a `Shape`: only its objects' keys, which values are `null`, and
//! the nesting of objects and arrays (no string or number is kept). `known` is then serialized
//! into a `Check` serializer that walks the shape alongside, exactly where `to_value` would put
//! an object or an array, and marks each raw key that the serialization names. An object whose
//! non-null keys are not all named, or anything the check does not model (a key named twice, a
//! map key that is not a string, serde_json's private tokens), answers `false`: the caller then
//! takes the exact slow path. So `true` is only ever answered where `unknown_fields` is empty.

mod check;

use std::fmt;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::lite::Lite;

/// The node id of a `null` value.
const NULL: u32 = u32::MAX;
/// The node id of a string, number or boolean.
const SCALAR: u32 = u32::MAX - 1;
/// Deeper raw JSON is not laid out (the caller takes the slow path): serde_json's own limit is
/// 128 from where its reading started, and an item of a page starts deeper than an item read
/// alone.
const MAX_DEPTH: u32 = 100;
/// Keys serde_json gives a meaning of its own (`RawValue`, arbitrary-precision numbers).
const PRIVATE: &str = "$serde_json::private::";

#[derive(Debug, Clone, Copy)]
enum Node {
    Object { start: u32, len: u32 },
    Array { start: u32, len: u32 },
}

/// The keys and nesting of one JSON value, keys borrowed from it. Its buffers are kept from
/// one value to the next (`read_json`).
#[derive(Debug, Default)]
pub(crate) struct Shape<'a> {
    nodes: Vec<Node>,
    /// Objects' entries, each object's contiguous, in the order of the JSON.
    entries: Vec<(&'a str, u32)>,
    /// Arrays' items, each array's contiguous.
    items: Vec<u32>,
    /// Entries and items of the objects and arrays still open while laying out.
    open_entries: Vec<(&'a str, u32)>,
    open_items: Vec<u32>,
    /// Per entry, while checking: whether the serialization named it.
    seen: Vec<bool>,
    root: u32,
}

impl<'a> Shape<'a> {
    /// The shape of a parsed value.
    pub(crate) fn of_value(value: &'a Value) -> Shape<'a> {
        let mut shape = Shape::default();
        shape.root = shape.add_value(value);
        shape
    }

    fn add_value(&mut self, value: &'a Value) -> u32 {
        match value {
            Value::Null => NULL,
            Value::Bool(_) | Value::Number(_) | Value::String(_) => SCALAR,
            Value::Array(values) => {
                let open = self.open_items.len();
                for value in values {
                    let id = self.add_value(value);
                    self.open_items.push(id);
                }
                self.close_array(open)
            }
            Value::Object(map) => {
                let open = self.open_entries.len();
                for (key, value) in map {
                    let id = self.add_value(value);
                    self.open_entries.push((key.as_str(), id));
                }
                self.close_object(open)
            }
        }
    }

    /// The shape of a value read as `Lite`; `None` where it holds a `Value`.
    pub(crate) fn of_lite(value: &'a Lite<'_>) -> Option<Shape<'a>> {
        let mut shape = Shape::default();
        shape.root = shape.add_lite(value)?;
        Some(shape)
    }

    fn add_lite(&mut self, value: &'a Lite<'_>) -> Option<u32> {
        Some(match value {
            Lite::Null => NULL,
            Lite::Bool(_) | Lite::Number(_) | Lite::Str(_) => SCALAR,
            Lite::Array(values) => {
                let open = self.open_items.len();
                for value in values {
                    let id = self.add_lite(value)?;
                    self.open_items.push(id);
                }
                self.close_array(open)
            }
            Lite::Object(entries) => {
                let open = self.open_entries.len();
                for (key, value) in entries {
                    let id = self.add_lite(value)?;
                    self.open_entries.push((key.as_ref(), id));
                }
                self.close_object(open)
            }
            Lite::Value(_) => return None,
        })
    }

    /// Lays out JSON text in place of what was laid out before, read as strictly as
    /// `serde_json::Value` reads it (every string and number is parsed, not skipped). `false`
    /// when it does not parse, is nested deeper than `MAX_DEPTH`, has a key serde_json reads
    /// specially or a key with escapes: the caller then takes the slow path, which fails (or
    /// not) exactly as before.
    pub(crate) fn read_json(&mut self, text: &'a str) -> bool {
        self.nodes.clear();
        self.entries.clear();
        self.items.clear();
        self.open_entries.clear();
        self.open_items.clear();
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let seed = NodeSeed {
            shape: &mut *self,
            depth: 0,
        };
        match seed.deserialize(&mut deserializer) {
            Ok(root) => {
                self.root = root;
                deserializer.end().is_ok()
            }
            Err(_) => false,
        }
    }

    fn close_object(&mut self, open: usize) -> u32 {
        let start = self.entries.len() as u32;
        let len = (self.open_entries.len() - open) as u32;
        self.entries.extend(self.open_entries.drain(open..));
        self.nodes.push(Node::Object { start, len });
        (self.nodes.len() - 1) as u32
    }

    fn close_array(&mut self, open: usize) -> u32 {
        let start = self.items.len() as u32;
        let len = (self.open_items.len() - open) as u32;
        self.items.extend(self.open_items.drain(open..));
        self.nodes.push(Node::Array { start, len });
        (self.nodes.len() - 1) as u32
    }

    /// Whether `known`, serialized as `serde_json::to_value` would, names every non-null key
    /// of the raw JSON laid out here (object by object, array item by array item, as
    /// `unknown_fields` compares them). `false` also where the check cannot tell.
    pub(crate) fn names_every_key<T: Serialize + ?Sized>(&mut self, known: &T) -> bool {
        self.seen.clear();
        self.seen.resize(self.entries.len(), false);
        let mut state = check::State {
            nodes: &self.nodes,
            entries: &self.entries,
            items: &self.items,
            seen: &mut self.seen,
        };
        check::check(&mut state, self.root, known)
    }
}

struct NodeSeed<'s, 'a> {
    shape: &'s mut Shape<'a>,
    depth: u32,
}
impl<'de: 'a, 'a> DeserializeSeed<'de> for NodeSeed<'_, 'a> {
    type Value = u32;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<u32, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for NodeSeed<'_, 'a> {
    type Value = u32;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<u32, E> {
        Ok(SCALAR)
    }
    fn visit_i64<E>(self, _: i64) -> Result<u32, E> {
        Ok(SCALAR)
    }
    fn visit_u64<E>(self, _: u64) -> Result<u32, E> {
        Ok(SCALAR)
    }
    fn visit_f64<E>(self, _: f64) -> Result<u32, E> {
        Ok(SCALAR)
    }
    fn visit_str<E>(self, _: &str) -> Result<u32, E> {
        Ok(SCALAR)
    }
    fn visit_unit<E>(self) -> Result<u32, E> {
        Ok(NULL)
    }
    fn visit_none<E>(self) -> Result<u32, E> {
        Ok(NULL)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u32, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(de::Error::custom("too deep"));
        }
        let open = self.shape.open_items.len();
        while let Some(id) = seq.next_element_seed(NodeSeed {
            shape: &mut *self.shape,
            depth: self.depth + 1,
        })? {
            self.shape.open_items.push(id);
        }
        Ok(self.shape.close_array(open))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(de::Error::custom("too deep"));
        }
        let open = self.shape.open_entries.len();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key.starts_with(PRIVATE) {
                return Err(de::Error::custom("a key serde_json reads specially"));
            }
            let id = map.next_value_seed(NodeSeed {
                shape: &mut *self.shape,
                depth: self.depth + 1,
            })?;
            self.shape.open_entries.push((key, id));
        }
        Ok(self.shape.close_object(open))
    }
}

/// An object key, borrowed from the text, read as `Value` reads keys; one with escapes (which
/// cannot be borrowed) stops the layout.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = &'de str;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = &'de str;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(key)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Err(E::custom("a key with escapes"))
    }
}
