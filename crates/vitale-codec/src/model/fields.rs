//! Reading the small-integer-keyed maps of the data model.

use crate::cbor::Value;
use crate::model::{ModelError, Timestamp};

/// The entries of one map of the data model, taken out one key at a time;
/// [`Fields::finish`] refuses any key left over (unknown keys are refused,
/// see `docs/format.md` §"Extensibility").
///
/// The decoded map's own entries are kept (no copy into another vector:
/// this runs for every map of every verification).
pub(crate) struct Fields {
    structure: &'static str,
    entries: Vec<(Value, Value)>,
    /// A key that is not an integer (in `i64` range) was seen: reported by
    /// [`Fields::finish`], so that [`Fields::version`] is read first.
    other_key: bool,
}

/// The key as an `i64`, if it is an integer that fits.
fn int_key(key: &Value) -> Option<i64> {
    match key {
        Value::Integer(i) => i64::try_from(*i).ok(),
        _ => None,
    }
}

impl Fields {
    pub(crate) fn new(structure: &'static str, value: Value) -> Result<Self, ModelError> {
        let Value::Map(entries) = value else {
            return Err(ModelError::WrongType {
                structure,
                key: None,
                expected: "map",
            });
        };
        let other_key = entries.iter().any(|(k, _)| int_key(k).is_none());
        Ok(Fields {
            structure,
            entries,
            other_key,
        })
    }

    pub(crate) fn structure(&self) -> &'static str {
        self.structure
    }

    pub(crate) fn optional(&mut self, key: i64) -> Option<Value> {
        let index = self
            .entries
            .iter()
            .position(|(k, _)| int_key(k) == Some(key))?;
        Some(self.entries.swap_remove(index).1)
    }

    pub(crate) fn required(&mut self, key: i64) -> Result<Value, ModelError> {
        self.optional(key).ok_or(ModelError::MissingField {
            structure: self.structure,
            key,
        })
    }

    pub(crate) fn finish(self) -> Result<(), ModelError> {
        if self.other_key {
            return Err(ModelError::UnknownField {
                structure: self.structure,
                key: None,
            });
        }
        match self.entries.first() {
            None => Ok(()),
            Some((key, _)) => Err(ModelError::UnknownField {
                structure: self.structure,
                key: int_key(key),
            }),
        }
    }

    pub(crate) fn wrong_type(&self, key: i64, expected: &'static str) -> ModelError {
        ModelError::WrongType {
            structure: self.structure,
            key: Some(key),
            expected,
        }
    }

    pub(crate) fn invalid(&self, key: i64, reason: &'static str) -> ModelError {
        ModelError::InvalidField {
            structure: self.structure,
            key,
            reason,
        }
    }

    pub(crate) fn uint(&mut self, key: i64) -> Result<u64, ModelError> {
        match self.required(key)? {
            Value::Integer(i) => u64::try_from(i).map_err(|_| self.wrong_type(key, "uint")),
            _ => Err(self.wrong_type(key, "uint")),
        }
    }

    /// An unsigned integer that must fit the given range.
    pub(crate) fn small_uint(
        &mut self,
        key: i64,
        range: core::ops::RangeInclusive<u8>,
    ) -> Result<u8, ModelError> {
        let n = self.uint(key)?;
        u8::try_from(n)
            .ok()
            .filter(|n| range.contains(n))
            .ok_or(self.invalid(key, "out of range"))
    }

    pub(crate) fn bytes(&mut self, key: i64) -> Result<Vec<u8>, ModelError> {
        match self.required(key)? {
            Value::Bytes(b) => Ok(b),
            _ => Err(self.wrong_type(key, "bstr")),
        }
    }

    pub(crate) fn fixed_bytes<const N: usize>(&mut self, key: i64) -> Result<[u8; N], ModelError> {
        let bytes = self.bytes(key)?;
        <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| self.invalid(key, "wrong length"))
    }

    pub(crate) fn text(&mut self, key: i64) -> Result<String, ModelError> {
        match self.required(key)? {
            Value::Text(t) => Ok(t),
            _ => Err(self.wrong_type(key, "tstr")),
        }
    }

    pub(crate) fn optional_text(&mut self, key: i64) -> Result<Option<String>, ModelError> {
        match self.optional(key) {
            None => Ok(None),
            Some(Value::Text(t)) => Ok(Some(t)),
            Some(_) => Err(self.wrong_type(key, "tstr")),
        }
    }

    pub(crate) fn bool(&mut self, key: i64) -> Result<bool, ModelError> {
        match self.required(key)? {
            Value::Bool(b) => Ok(b),
            _ => Err(self.wrong_type(key, "bool")),
        }
    }

    pub(crate) fn array(&mut self, key: i64) -> Result<Vec<Value>, ModelError> {
        match self.required(key)? {
            Value::Array(items) => Ok(items),
            _ => Err(self.wrong_type(key, "array")),
        }
    }

    pub(crate) fn timestamp(&mut self, key: i64) -> Result<Timestamp, ModelError> {
        let secs = self.uint(key)?;
        Timestamp::from_unix(secs).ok_or(self.invalid(key, "timestamp out of range"))
    }

    /// Checks the `version` field (key 1) of a top-level structure.
    pub(crate) fn version(&mut self) -> Result<(), ModelError> {
        match self.uint(1)? {
            super::VERSION => Ok(()),
            other => Err(ModelError::UnsupportedVersion(other)),
        }
    }

    /// Maps an identity-crate error on field `key` to a model error.
    pub(crate) fn identity(&self, key: i64) -> impl FnOnce(vitale_ins::Error) -> ModelError {
        let structure = self.structure;
        move |source| ModelError::Identity {
            structure,
            key,
            source,
        }
    }
}

/// Builds a map value from `(key, value)` pairs, skipping absent ones.
pub(crate) fn map(entries: impl IntoIterator<Item = (i64, Option<Value>)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (Value::from(k), v)))
            .collect(),
    )
}
