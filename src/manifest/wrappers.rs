//! Small serde wrappers used by the format types: `At` (a value and where it is), `Checked` (an
//! entry whose errors are reported and skipped) and `Keyed` (a mapping that keeps its keys'
//! places and order). Each is transparent in the JSON Schema.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

use super::node::{AT_MARKER, CHECKED_MARKER, Pos};

/// A value and the place in its file it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> At<T> {
    pub fn new(value: T, pos: Pos) -> At<T> {
        At { value, pos }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<At<T>, D::Error> {
        struct AtVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for AtVisitor<T> {
            type Value = At<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<At<T>, A::Error> {
                let line_column: u64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::custom("position missing"))?;
                let length: u64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::custom("position missing"))?;
                let value: T = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::custom("value missing"))?;
                Ok(At::new(value, Pos::unpack(line_column, length)))
            }
            // Any deserializer other than the node tree's: no position to offer.
            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<At<T>, D::Error> {
                Ok(At::new(T::deserialize(deserializer)?, Pos::default()))
            }
        }
        deserializer.deserialize_newtype_struct(AT_MARKER, AtVisitor(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for At<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// An entry that is read on its own: if it is broken, its problems are reported and it becomes
/// `Invalid`, and the rest of the file is still read.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked<T> {
    Valid(T),
    Invalid,
}

impl<T> Checked<T> {
    pub fn valid(&self) -> Option<&T> {
        match self {
            Checked::Valid(value) => Some(value),
            Checked::Invalid => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Checked<T>, D::Error> {
        struct CheckedVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for CheckedVisitor<T> {
            type Value = Checked<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked<T>, A::Error> {
                Ok(match seq.next_element()? {
                    Some(value) => Checked::Valid(value),
                    None => Checked::Invalid,
                })
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Checked<T>, D::Error> {
                Ok(Checked::Valid(T::deserialize(deserializer)?))
            }
        }
        deserializer.deserialize_newtype_struct(CHECKED_MARKER, CheckedVisitor(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for Checked<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A mapping from names to values, in file order, with the place of each key and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<V>(pub Vec<(At<String>, At<V>)>);

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<V> Keyed<V> {
    /// Keys and values in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&At<String>, &V)> {
        self.0.iter().map(|(key, value)| (key, &value.value))
    }

    /// Keys and values in file order, with the place of each value.
    pub fn iter_at(&self) -> impl Iterator<Item = (&At<String>, &At<V>)> {
        self.0.iter().map(|(key, value)| (key, value))
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Keyed<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Keyed<V>, D::Error> {
        struct KeyedVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for KeyedVisitor<V> {
            type Value = Keyed<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of names to values")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Keyed<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<At<String>>()? {
                    let value = map.next_value::<At<V>>()?;
                    entries.push((key, value));
                }
                Ok(Keyed(entries))
            }
        }
        deserializer.deserialize_map(KeyedVisitor(PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for Keyed<V> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", V::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}
