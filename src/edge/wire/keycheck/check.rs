//! The `Check` serializer of `names_every_key`: `known` serialized against the raw shape.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, Serializer};

use super::{NULL, Node, PRIVATE, SCALAR};

/// Serializes `known` against the raw node `root`; whether every raw key was named.
pub(super) fn check<T: Serialize + ?Sized>(
    state: &mut State<'_, '_>,
    root: u32,
    known: &T,
) -> bool {
    known.serialize(Check { state, node: root }).is_ok()
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

pub(super) struct State<'s, 'a> {
    pub(super) nodes: &'s [Node],
    pub(super) entries: &'s [(&'a str, u32)],
    pub(super) items: &'s [u32],
    /// Per raw entry: whether the serialization named it.
    pub(super) seen: &'s mut [bool],
}

impl State<'_, '_> {
    fn node(&self, id: u32) -> Option<Node> {
        self.nodes.get(id as usize).copied()
    }
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
        let raw = match state.node(node) {
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
        let entries = &self.state.entries[start as usize..(start + len) as usize];
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
        let entries = &self.state.entries[range.clone()];
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
        let raw = match state.node(node) {
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
            Some((start, len)) if self.next < len => self.state.items[(start + self.next) as usize],
            _ => SCALAR,
        };
        self.next += 1;
        value.serialize(Check {
            state: &mut *self.state,
            node,
        })
    }

    /// An array's items are checked one by one; its end has nothing left to check.
    fn done(self) -> Result<(), Stop> {
        Ok(())
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

/// The compound serializers that only pass each element or field on: an array's elements
/// (sequences and tuples of every kind) to `Array::item`, a struct's fields to `Object::field`.
macro_rules! pass_on {
    ($($trait:ident for $type:ident: $method:ident($($key:ident: $key_type:ty,)?) => $call:ident, end => $end:ident;)*) => {
        $(
            impl ser::$trait for $type<'_, '_, '_> {
                type Ok = ();
                type Error = Stop;
                fn $method<T: Serialize + ?Sized>(
                    &mut self,
                    $($key: $key_type,)?
                    value: &T,
                ) -> Result<(), Stop> {
                    self.$call($($key,)? value)
                }
                fn end(self) -> Result<(), Stop> {
                    self.$end()
                }
            }
        )*
    };
}

pass_on! {
    SerializeSeq for Array: serialize_element() => item, end => done;
    SerializeTuple for Array: serialize_element() => item, end => done;
    SerializeTupleStruct for Array: serialize_field() => item, end => done;
    SerializeTupleVariant for Array: serialize_field() => item, end => done;
    SerializeStruct for Object: serialize_field(key: &'static str,) => field, end => check_named;
    SerializeStructVariant for Object: serialize_field(key: &'static str,) => field, end => check_named;
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
