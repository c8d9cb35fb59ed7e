//! `Tolerant`: the reader's side of "tolerant reader, strict writer". An object that does not
//! decode into its wire type is kept as JSON with the reason, so one object scoville does not
//! know never fails a whole read.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One object of an answer: decoded as `T`, or, when it has something `T` does not know (a new
/// variant or enum value, a missing field), kept as the JSON it was with serde's reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Tolerant<T> {
    Known(T),
    Unknown {
        raw: serde_json::Value,
        /// What did not decode, in serde's words (e.g. "unknown variant `Hourly`").
        reason: String,
    },
}

impl<T> Tolerant<T> {
    /// The decoded value, if it decoded.
    pub fn known(&self) -> Option<&T> {
        match self {
            Tolerant::Known(value) => Some(value),
            Tolerant::Unknown { .. } => None,
        }
    }

    /// The decoded value, if it decoded, by value.
    pub fn into_known(self) -> Option<T> {
        match self {
            Tolerant::Known(value) => Some(value),
            Tolerant::Unknown { .. } => None,
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Tolerant<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(deserializer)?;
        Ok(match T::deserialize(&raw) {
            Ok(value) => Tolerant::Known(value),
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
            Tolerant::Unknown { raw, .. } => raw.serialize(serializer),
        }
    }
}
