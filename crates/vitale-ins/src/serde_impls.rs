//! `Serialize` / `Deserialize` (feature `serde`) for the identity values,
//! each as its one canonical text: NIR as 15 digits without spaces
//! (`"184037510821010"`), birth date as `YYYYMMDD` (lunar dates kept),
//! sex as `"M"`, `"F"` or `"I"`, INS OID as dotted text, birthplace as its
//! COG code, INS as `{"matricule", "oid"}`. Deserializing validates like
//! the parsers, so JSON cannot carry an invalid value in.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};

/// A string of at most `max` bytes: longer inputs are refused before they
/// are parsed.
fn bounded<'de, D: Deserializer<'de>>(d: D, max: usize) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.len() > max {
        return Err(D::Error::custom("text too long"));
    }
    Ok(text)
}

macro_rules! via_text {
    ($ty:ty, $max:expr, |$v:ident| $text:expr, $parse:expr) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let $v = self;
                s.serialize_str($text)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = bounded(d, $max)?;
                // The identity errors never carry the value.
                ($parse)(text.as_str()).map_err(D::Error::custom)
            }
        }
    };
}

via_text!(Nir, 32, |n| n.as_str(), Nir::parse);
via_text!(BirthDate, 8, |b| b.as_str(), BirthDate::parse);
via_text!(InsOid, 32, |o| o.as_str(), InsOid::parse);
via_text!(CogCode, 8, |c| c.as_str(), CogCode::parse);

impl Serialize for Sex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 4];
        s.serialize_str(self.code().encode_utf8(&mut buf))
    }
}

impl<'de> Deserialize<'de> for Sex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = bounded(d, 4)?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Sex::from_code(c).map_err(D::Error::custom),
            _ => Err(D::Error::custom(crate::Error::SexCode)),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct InsRepr {
    matricule: Nir,
    oid: InsOid,
}

impl Serialize for Ins {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InsRepr {
            matricule: self.matricule().clone(),
            oid: self.oid(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Ins {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = InsRepr::deserialize(d)?;
        Ok(Ins::new(r.matricule, r.oid))
    }
}
