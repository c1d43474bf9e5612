//! Helpers of the JSON shape (feature `serde`): bounded strings and
//! lists, calendar days as `YYYY-MM-DD`, and the mapping of parser
//! errors to [`crate::Error`] without their message.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{Error as _, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;
use vitale_model::time::{format_date, parse_date};

/// A JSON string of at most `max_bytes` bytes, refused when longer.
pub(crate) fn bounded_string<'de, D: Deserializer<'de>>(
    d: D,
    max_bytes: usize,
) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.len() > max_bytes {
        return Err(D::Error::custom("text too long"));
    }
    Ok(text)
}

/// A calendar day as `YYYY-MM-DD` (RFC 3339 `full-date`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct JsonDate(pub(crate) Date);

impl Serialize for JsonDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(self.0))
    }
}

impl<'de> Deserialize<'de> for JsonDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = bounded_string(d, 10)?;
        parse_date(&text)
            .map(JsonDate)
            .ok_or_else(|| D::Error::custom("not a YYYY-MM-DD date"))
    }
}

/// A JSON array of at most `MAX` elements: reading stops with an error at
/// element `MAX + 1`, so a long array is never collected.
pub(crate) struct BoundedVec<T, const MAX: usize>(pub(crate) Vec<T>);

impl<T: Serialize, const MAX: usize> Serialize for BoundedVec<T, MAX> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for BoundedVec<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bounded<T, const MAX: usize>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for Bounded<T, MAX> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an array of at most {MAX} elements")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX));
                while let Some(item) = seq.next_element()? {
                    if out.len() == MAX {
                        return Err(A::Error::custom("too many elements"));
                    }
                    out.push(item);
                }
                Ok(out)
            }
        }

        d.deserialize_seq(Bounded::<T, MAX>(PhantomData))
            .map(BoundedVec)
    }
}

/// A parser error as [`crate::Error::Json`], keeping the position only.
pub(crate) fn error_position(e: &serde_json::Error) -> crate::Error {
    crate::Error::Json {
        line: e.line(),
        column: e.column(),
    }
}
