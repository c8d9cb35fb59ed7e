//! `Lite`: a JSON value read exactly as `serde_json::Value` reads it (the same visitor calls,
//! so the same errors at the same places), but with keys and strings borrowed where the input
//! lends them and objects kept as lists of entries: cheaper to build for a small object read
//! once. `into_value` gives the very `Value` that `Value::deserialize` would have given, and
//! `&Lite` deserializes a type as `&Value` does wherever it succeeds; where it fails (it is
//! stricter in places), the caller goes through `into_value`.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Unexpected,
    Visitor,
};
use serde_json::{Map, Number, Value};

/// The key serde_json's `raw_value` feature gives a meaning of its own.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

#[derive(Debug)]
pub(crate) enum Lite<'de> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'de, str>),
    Array(Vec<Lite<'de>>),
    /// Entries in the order read, a key given twice kept twice (`into_value` keeps the last
    /// value at the first place, as `Value` does).
    Object(Vec<(Cow<'de, str>, Lite<'de>)>),
    /// What serde_json makes of an object whose first key is its `RawValue` token.
    Value(Value),
}

/// Whether `Lite` reads as `Value` does in this build: not where serde_json reads numbers
/// through a private token (`arbitrary_precision`, which another crate may turn on).
pub(crate) fn usable() -> bool {
    static USABLE: OnceLock<bool> = OnceLock::new();
    *USABLE.get_or_init(|| {
        serde_json::from_str::<Value>("100000000000000000000000").is_ok_and(|number| {
            // Read as an `f64` (`1e23`), not kept as written.
            let written = number.to_string();
            written != "100000000000000000000000"
        })
    })
}

/// Whether serde_json reads an object whose first key is its `RawValue` token as the JSON text
/// of its value (`raw_value`, which another crate may turn on).
fn raw_value_token_is_special() -> bool {
    static SPECIAL: OnceLock<bool> = OnceLock::new();
    *SPECIAL.get_or_init(|| {
        serde_json::from_str::<Value>(r#"{"$serde_json::private::RawValue":"1"}"#)
            .map_or(true, |value| !value.is_object())
    })
}

impl<'de> Lite<'de> {
    /// The `Value` that `Value::deserialize` reads from the same input.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Lite::Null => Value::Null,
            Lite::Bool(value) => Value::Bool(value),
            Lite::Number(value) => Value::Number(value),
            Lite::Str(value) => Value::String(value.into_owned()),
            Lite::Array(items) => Value::Array(items.into_iter().map(Lite::into_value).collect()),
            Lite::Object(entries) => {
                let mut map = Map::new();
                for (key, value) in entries {
                    map.insert(key.into_owned(), value.into_value());
                }
                Value::Object(map)
            }
            Lite::Value(value) => value,
        }
    }
}

impl<'de> Deserialize<'de> for Lite<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LiteVisitor)
    }
}

/// `Value`'s visitor, method for method.
struct LiteVisitor;

impl<'de> Visitor<'de> for LiteVisitor {
    type Value = Lite<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, value: bool) -> Result<Lite<'de>, E> {
        Ok(Lite::Bool(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Lite<'de>, E> {
        Ok(Lite::Number(value.into()))
    }
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Lite<'de>, E> {
        Number::deserialize(de::value::I128Deserializer::<E>::new(value)).map(Lite::Number)
    }
    fn visit_u64<E>(self, value: u64) -> Result<Lite<'de>, E> {
        Ok(Lite::Number(value.into()))
    }
    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Lite<'de>, E> {
        Number::deserialize(de::value::U128Deserializer::<E>::new(value)).map(Lite::Number)
    }
    fn visit_f64<E>(self, value: f64) -> Result<Lite<'de>, E> {
        Ok(Number::from_f64(value).map_or(Lite::Null, Lite::Number))
    }
    fn visit_str<E>(self, value: &str) -> Result<Lite<'de>, E> {
        Ok(Lite::Str(Cow::Owned(value.to_owned())))
    }
    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Lite<'de>, E> {
        Ok(Lite::Str(Cow::Borrowed(value)))
    }
    fn visit_string<E>(self, value: String) -> Result<Lite<'de>, E> {
        Ok(Lite::Str(Cow::Owned(value)))
    }
    fn visit_none<E>(self) -> Result<Lite<'de>, E> {
        Ok(Lite::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Lite<'de>, D::Error> {
        Lite::deserialize(deserializer)
    }
    fn visit_unit<E>(self) -> Result<Lite<'de>, E> {
        Ok(Lite::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lite<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Lite::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lite<'de>, A::Error> {
        let Some(first) = map.next_key_seed(FirstKey)? else {
            return Ok(Lite::Object(Vec::new()));
        };
        if first == RAW_VALUE_TOKEN && raw_value_token_is_special() {
            let text = map.next_value_seed(RawText)?;
            return serde_json::from_str(&text)
                .map(Lite::Value)
                .map_err(de::Error::custom);
        }
        let mut entries = vec![(first, map.next_value()?)];
        while let Some(key) = map.next_key_seed(LaterKey)? {
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Lite::Object(entries))
    }
}

/// The first key of an object, read as `Value` reads it (its `KeyClassifier`).
struct FirstKey;

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FirstKey {
    type Value = Cow<'de, str>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string key")
    }
    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }
}

/// The other keys, read as `Value` reads them (`String::deserialize`).
struct LaterKey;

impl<'de> DeserializeSeed<'de> for LaterKey {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl<'de> Visitor<'de> for LaterKey {
    type Value = Cow<'de, str>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string")
    }
    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }
    fn visit_string<E>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(key) {
            Ok(key) => Ok(Cow::Owned(key.to_owned())),
            Err(_) => Err(E::invalid_value(Unexpected::Bytes(key), &self)),
        }
    }
    fn visit_byte_buf<E: de::Error>(self, key: Vec<u8>) -> Result<Self::Value, E> {
        match String::from_utf8(key) {
            Ok(key) => Ok(Cow::Owned(key)),
            Err(error) => Err(E::invalid_value(
                Unexpected::Bytes(&error.into_bytes()),
                &self,
            )),
        }
    }
}

/// The value under the `RawValue` token, read as serde_json reads it (`BoxedFromString`).
struct RawText;

impl<'de> DeserializeSeed<'de> for RawText {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for RawText {
    type Value = String;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("raw value")
    }
    fn visit_str<E>(self, text: &str) -> Result<String, E> {
        Ok(text.to_owned())
    }
    fn visit_string<E>(self, text: String) -> Result<String, E> {
        Ok(text)
    }
}

type Error = serde_json::Error;

/// `&Lite` read as `&Value` is read; anything it does not model is an error.
impl<'a> Deserializer<'a> for &'a Lite<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Lite::Null => visitor.visit_unit(),
            Lite::Bool(value) => visitor.visit_bool(*value),
            Lite::Number(number) => number.deserialize_any(visitor),
            Lite::Str(text) => visitor.visit_borrowed_str(text),
            Lite::Array(items) => {
                let mut seq = Items(items.iter());
                let value = visitor.visit_seq(&mut seq)?;
                match seq.0.len() {
                    0 => Ok(value),
                    _ => Err(de::Error::custom("items left over")),
                }
            }
            Lite::Object(entries) => {
                let mut map = Entries {
                    entries: entries.iter(),
                    value: None,
                };
                let value = visitor.visit_map(&mut map)?;
                match map.entries.len() {
                    0 => Ok(value),
                    _ => Err(de::Error::custom("entries left over")),
                }
            }
            Lite::Value(_) => Err(de::Error::custom("not modelled")),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Lite::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Lite::Str(text) => visitor.visit_enum(text.as_ref().into_deserializer()),
            _ => Err(de::Error::custom("not modelled")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name.starts_with("$serde_json::private::") {
            return Err(de::Error::custom("not modelled"));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Lite::Str(text) => visitor.visit_borrowed_str(text),
            _ => Err(de::Error::custom("not modelled")),
        }
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct ignored_any
    }
}

struct Items<'a, 'de>(std::slice::Iter<'a, Lite<'de>>);

impl<'a> SeqAccess<'a> for Items<'a, '_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|item| seed.deserialize(item)).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'a, 'de> {
    entries: std::slice::Iter<'a, (Cow<'de, str>, Lite<'de>)>,
    value: Option<&'a Lite<'de>>,
}

impl<'a> MapAccess<'a> for Entries<'a, '_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let key: &'a str = key;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::custom("a value without its key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
