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

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Impossible, Serialize, Serializer};
use serde_json::Value;

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

/// The keys and nesting of one JSON value, keys borrowed where they can be.
#[derive(Debug, Default)]
pub(crate) struct Shape<'a> {
    nodes: Vec<Node>,
    /// Objects' entries, each object's contiguous, in the order of the JSON.
    entries: Vec<(Cow<'a, str>, u32)>,
    /// Arrays' items, each array's contiguous.
    items: Vec<u32>,
    /// Entries and items of the objects and arrays still open while laying out.
    open_entries: Vec<(Cow<'a, str>, u32)>,
    open_items: Vec<u32>,
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
                    self.open_entries.push((Cow::Borrowed(key.as_str()), id));
                }
                self.close_object(open)
            }
        }
    }

    /// The shape of JSON text, read as strictly as `serde_json::Value` reads it (every string
    /// and number is parsed, not skipped). `None` when it does not parse, is nested deeper than
    /// `MAX_DEPTH`, or has a key serde_json reads specially: the caller then takes the slow
    /// path, which fails (or not) exactly as before.
    pub(crate) fn of_json(text: &'a str) -> Option<Shape<'a>> {
        let mut shape = Shape::default();
        let mut deserializer = serde_json::Deserializer::from_str(text);
        shape.root = NodeSeed {
            shape: &mut shape,
            depth: 0,
        }
        .deserialize(&mut deserializer)
        .ok()?;
        deserializer.end().ok()?;
        Some(shape)
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

    fn node(&self, id: u32) -> Option<Node> {
        self.nodes.get(id as usize).copied()
    }
}

/// Whether `known`, serialized as `serde_json::to_value` would, names every non-null key of
/// the raw JSON laid out as `shape` (object by object, array item by array item, as
/// `unknown_fields` compares them). `false` also where the check cannot tell.
pub(crate) fn names_every_key<T: Serialize + ?Sized>(shape: &Shape<'_>, known: &T) -> bool {
    let mut state = State {
        shape,
        seen: vec![false; shape.entries.len()],
    };
    known
        .serialize(Check {
            state: &mut state,
            node: shape.root,
        })
        .is_ok()
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

/// An object key, borrowed from the text unless it has escapes; read as `Value` reads keys.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }
    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_string()))
    }
}

/// Why the check stopped: a raw key not named, or something it does not model.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("not provably free of unknown fields")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Stop
    }
}

struct State<'s, 'a> {
    shape: &'s Shape<'a>,
    /// Per raw entry: whether the serialization named it.
    seen: Vec<bool>,
}

/// Serializes a value against the raw node it will be compared with (`NULL`/`SCALAR`, or an
/// object or array to compare with).
struct Check<'r, 's, 'a> {
    state: &'r mut State<'s, 'a>,
    node: u32,
}

/// An object of the serialization compared with `node` when it is a raw object.
struct Object<'r, 's, 'a> {
    state: &'r mut State<'s, 'a>,
    /// `(start, len)` of the raw object's entries, when the raw value is an object.
    raw: Option<(u32, u32)>,
    /// Where the next named key is looked for first (serializations mostly follow the JSON's
    /// order).
    hint: u32,
    /// The raw node the value of the key just serialized is compared with.
    pending: u32,
}

impl<'r, 's, 'a> Object<'r, 's, 'a> {
    fn new(state: &'r mut State<'s, 'a>, node: u32) -> Self {
        let raw = match state.shape.node(node) {
            Some(Node::Object { start, len }) => Some((start, len)),
            _ => None,
        };
        Object {
            state,
            raw,
            hint: 0,
            pending: SCALAR,
        }
    }

    /// Marks the raw entry called `key` as named and returns its node (`SCALAR` when the raw
    /// object has no such key: there is nothing under it to compare).
    fn name(&mut self, key: &str) -> Result<u32, Stop> {
        let Some((start, len)) = self.raw else {
            return Ok(SCALAR);
        };
        let entries = &self.state.shape.entries[start as usize..(start + len) as usize];
        let found = (self.hint as usize..entries.len())
            .chain(0..self.hint as usize)
            .find(|&index| entries[index].0 == key);
        let Some(index) = found else {
            return Ok(SCALAR);
        };
        let seen = &mut self.state.seen[start as usize + index];
        if *seen {
            // Named twice, or a raw key given twice: not modelled.
            return Err(Stop);
        }
        *seen = true;
        self.hint = (index + 1) as u32;
        Ok(entries[index].1)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Stop> {
        let node = self.name(key)?;
        value.serialize(Check {
            state: &mut *self.state,
            node,
        })
    }

    /// Whether every non-null key of the raw object was named.
    fn check_named(&self) -> Result<(), Stop> {
        let Some((start, len)) = self.raw else {
            return Ok(());
        };
        let range = start as usize..(start + len) as usize;
        let entries = &self.state.shape.entries[range.clone()];
        let seen = &self.state.seen[range];
        if entries
            .iter()
            .zip(seen)
            .all(|((_, node), seen)| *seen || *node == NULL)
        {
            Ok(())
        } else {
            Err(Stop)
        }
    }
}

/// An array of the serialization compared with `node` item by item when it is a raw array.
struct Array<'r, 's, 'a> {
    state: &'r mut State<'s, 'a>,
    raw: Option<(u32, u32)>,
    next: u32,
}

impl<'r, 's, 'a> Array<'r, 's, 'a> {
    fn new(state: &'r mut State<'s, 'a>, node: u32) -> Self {
        let raw = match state.shape.node(node) {
            Some(Node::Array { start, len }) => Some((start, len)),
            _ => None,
        };
        Array {
            state,
            raw,
            next: 0,
        }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let node = match self.raw {
            Some((start, len)) if self.next < len => {
                self.state.shape.items[(start + self.next) as usize]
            }
            _ => SCALAR,
        };
        self.next += 1;
        value.serialize(Check {
            state: &mut *self.state,
            node,
        })
    }
}

impl<'r, 's, 'a> Check<'r, 's, 'a> {
    /// The object `{variant: ..}` that `to_value` makes of an enum's non-unit variant is
    /// checked at once (its one key is named), and this returned for what is under the key.
    fn variant(self, variant: &'static str) -> Result<Self, Stop> {
        let mut outer = Object::new(self.state, self.node);
        let node = outer.name(variant)?;
        outer.check_named()?;
        Ok(Check {
            state: outer.state,
            node,
        })
    }
}

impl<'r, 's, 'a> Serializer for Check<'r, 's, 'a> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Array<'r, 's, 'a>;
    type SerializeTuple = Array<'r, 's, 'a>;
    type SerializeTupleStruct = Array<'r, 's, 'a>;
    type SerializeTupleVariant = Array<'r, 's, 'a>;
    type SerializeMap = Object<'r, 's, 'a>;
    type SerializeStruct = Object<'r, 's, 'a>;
    type SerializeStructVariant = Object<'r, 's, 'a>;

    fn serialize_bool(self, _: bool) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i128(self, _: i128) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u128(self, _: u128) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), Stop> {
        Ok(())
    }
    /// `to_value` makes an array of numbers: compared item by item, nothing is found.
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self.variant(variant)?)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Ok(Array::new(self.state, self.node))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Ok(Array::new(self.state, self.node))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Ok(Array::new(self.state, self.node))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        let inner = self.variant(variant)?;
        Ok(Array::new(inner.state, inner.node))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Ok(Object::new(self.state, self.node))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        if name.starts_with(PRIVATE) {
            return Err(Stop);
        }
        Ok(Object::new(self.state, self.node))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        let inner = self.variant(variant)?;
        Ok(Object::new(inner.state, inner.node))
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeSeq for Array<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.item(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTuple for Array<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.item(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Array<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.item(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Array<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.item(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStruct for Object<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Stop> {
        self.check_named()
    }
}

impl ser::SerializeStructVariant for Object<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Stop> {
        self.check_named()
    }
}

impl ser::SerializeMap for Object<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.pending = key.serialize(KeyCheck { object: self })?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let node = std::mem::replace(&mut self.pending, SCALAR);
        value.serialize(Check {
            state: &mut *self.state,
            node,
        })
    }
    fn end(self) -> Result<(), Stop> {
        self.check_named()
    }
}

/// A map key: named in the raw object when it is one `to_value` writes as that string (a
/// string, a char, a unit variant's name); any other kind of key stops the check.
struct KeyCheck<'o, 'r, 's, 'a> {
    object: &'o mut Object<'r, 's, 'a>,
}

impl Serializer for KeyCheck<'_, '_, '_, '_> {
    type Ok = u32;
    type Error = Stop;
    type SerializeSeq = Impossible<u32, Stop>;
    type SerializeTuple = Impossible<u32, Stop>;
    type SerializeTupleStruct = Impossible<u32, Stop>;
    type SerializeTupleVariant = Impossible<u32, Stop>;
    type SerializeMap = Impossible<u32, Stop>;
    type SerializeStruct = Impossible<u32, Stop>;
    type SerializeStructVariant = Impossible<u32, Stop>;

    fn serialize_str(self, key: &str) -> Result<u32, Stop> {
        self.object.name(key)
    }
    fn serialize_char(self, key: char) -> Result<u32, Stop> {
        self.object.name(key.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<u32, Stop> {
        self.object.name(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<u32, Stop> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_i8(self, _: i8) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_i16(self, _: i16) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_i32(self, _: i32) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_i64(self, _: i64) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_u8(self, _: u8) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_u16(self, _: u16) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_u32(self, _: u32) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_u64(self, _: u64) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_f32(self, _: f32) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_f64(self, _: f64) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_none(self) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_unit(self) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<u32, Stop> {
        Err(Stop)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop)
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<u32, Stop> {
        Err(Stop)
    }
}
