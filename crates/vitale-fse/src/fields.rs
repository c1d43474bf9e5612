//! A strict reader of CBOR maps with text keys, shared by the lot and
//! receipt decoders: every accessor names the field it failed on, and
//! [`Fields::only`] refuses keys the caller does not read.

use time::Date;
use vitale_codec::cbor::Value;

use crate::Cents;

/// Why a field is refused: its name (never its value, which may be
/// personal data).
pub(crate) type Field = &'static str;

/// A CBOR map with text keys, read field by field.
pub(crate) struct Fields<'a>(&'a [(Value, Value)]);

impl<'a> Fields<'a> {
    /// The map `v`, or `what` as the error.
    pub(crate) fn of(v: &'a Value, what: Field) -> Result<Self, Field> {
        match v {
            Value::Map(entries) => Ok(Fields(entries)),
            _ => Err(what),
        }
    }

    pub(crate) fn get(&self, key: Field) -> Result<&'a Value, Field> {
        self.0
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
            .map(|(_, v)| v)
            .ok_or(key)
    }

    pub(crate) fn text(&self, key: Field) -> Result<&'a str, Field> {
        match self.get(key)? {
            Value::Text(t) => Ok(t),
            _ => Err(key),
        }
    }

    pub(crate) fn bytes(&self, key: Field) -> Result<&'a [u8], Field> {
        match self.get(key)? {
            Value::Bytes(b) => Ok(b),
            _ => Err(key),
        }
    }

    pub(crate) fn uint(&self, key: Field) -> Result<u64, Field> {
        uint(self.get(key)?).ok_or(key)
    }

    pub(crate) fn bool(&self, key: Field) -> Result<bool, Field> {
        match self.get(key)? {
            Value::Bool(b) => Ok(*b),
            _ => Err(key),
        }
    }

    pub(crate) fn array(&self, key: Field) -> Result<&'a [Value], Field> {
        match self.get(key)? {
            Value::Array(items) => Ok(items),
            _ => Err(key),
        }
    }

    /// An amount in cents, at most [`Cents::MAX`].
    pub(crate) fn cents(&self, key: Field) -> Result<Cents, Field> {
        u32::try_from(self.uint(key)?)
            .ok()
            .and_then(Cents::new)
            .ok_or(key)
    }

    /// A `YYYY-MM-DD` date, a real calendar day.
    pub(crate) fn date(&self, key: Field) -> Result<Date, Field> {
        vitale_model::time::parse_date(self.text(key)?).ok_or(key)
    }

    /// Refuses keys not in `known` (every known key is read by the
    /// caller). Keys are distinct: the deterministic decoder refuses
    /// duplicates.
    pub(crate) fn only(&self, known: &[&str]) -> Result<(), Field> {
        let ok = self
            .0
            .iter()
            .all(|(k, _)| matches!(k, Value::Text(t) if known.contains(&t.as_str())));
        if ok { Ok(()) } else { Err("unknown field") }
    }
}

/// An unsigned integer value.
pub(crate) fn uint(v: &Value) -> Option<u64> {
    match v {
        Value::Integer(i) => u64::try_from(*i).ok(),
        _ => None,
    }
}

/// Text value.
pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// Unsigned integer value.
pub(crate) fn uint_value(n: impl Into<u64>) -> Value {
    Value::Integer(n.into().into())
}

/// An amount as an unsigned integer of cents.
pub(crate) fn cents(c: Cents) -> Value {
    uint_value(c.get())
}

/// A date as `YYYY-MM-DD` text.
pub(crate) fn date(d: Date) -> Value {
    Value::Text(vitale_model::time::format_date(d))
}

/// A map with text keys (the encoder sorts them).
pub(crate) fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}
