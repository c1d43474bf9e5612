//! The Datamatrix INS payload: a 2D-Doc-style text carrying an INS and its
//! five traits.
//!
//! # Layout
//!
//! ```text
//! DC04 FR00 0001 FFFF 23DC xx 01 FR   S1<15> S2<oid>[GS] S3<prénoms>[GS] S4<nom>[GS] S5<1> S6<JJ-MM-AAAA> S7<5>   [US <base32 signature>]
//! └──────────── header, 26 characters ─┘ └──────────────────────── message ────────────────────────────┘
//! ```
//!
//! **Header** (26 characters, 2D-Doc version `04`): marker `DC`, version
//! `04`, certification authority id (4), certificate id (4), issue date (4
//! hex digits), signature date (4 hex digits), document type (2), perimeter
//! (2), issuing country (2). A date is the number of days since 2000-01-01
//! in upper-case hex; `FFFF` means "no date". See [`DocHeader`].
//!
//! **Message**: the seven fields, each a 2-character tag then its value, in
//! the order `S1` … `S7`:
//!
//! | tag | trait | length | rule |
//! |---|---|---|---|
//! | `S1` | matricule INS | fixed 15 | a [`Nir`] in compact form |
//! | `S2` | OID | variable 1–20 | one of [`InsOid`] |
//! | `S3` | prénoms de naissance | variable 1–100 | normalised ([`normalize_trait`]) |
//! | `S4` | nom de naissance | variable 1–100 | normalised |
//! | `S5` | sexe | fixed 1 | `M`, `F`, `I` |
//! | `S6` | date de naissance | fixed 10 | `JJ-MM-AAAA` (lunar dates allowed) |
//! | `S7` | lieu de naissance | fixed 5 | a [`CogCode`] |
//!
//! A variable-length value shorter than its maximum is terminated by GS
//! (0x1D); a value of exactly the maximum length, a fixed-length value and
//! the last field have no GS.
//!
//! **Signature** (optional): US (0x1F) then the signature bytes in unpadded
//! base32, kept as opaque bytes ([`InsDatamatrix::signature`]); checking it
//! is the caller's job, over [`InsDatamatrix::signed_data`] with the key of
//! the certificate named in the header. Nothing may follow the signature.
//!
//! **Decoding is strict**: the whole text must be in this canonical form
//! (fields in order, each once; no RS truncation mark; no unknown tag; no
//! trailing data), so that re-encoding a decoded payload gives back the same
//! text, and so the signed bytes. Which parts of this layout come from a
//! public source and which are the project's choice is written in
//! `docs/ins.md`.

use core::fmt::Write as _;

use crate::birth_date::BirthDate;
use crate::cog::CogCode;
use crate::error::{DatamatrixField, Error};
use crate::identity::{IdentityTraits, QualifiedIdentity};
use crate::ins::{Ins, InsOid};
use crate::names::{BirthName, GivenNames};
use crate::nir::Nir;
use crate::normalize::is_normalized;
#[cfg(doc)]
use crate::normalize::normalize_trait;
use crate::sex::Sex;

mod base32;
mod header;

pub use header::{DocHeader, HEADER_LEN};

/// Largest payload accepted by [`InsDatamatrix::decode`], in bytes.
pub const MAX_DATAMATRIX_LEN: usize = 1024;

/// Largest signature accepted, in bytes (132: an ECDSA P-521 `r‖s`).
pub const MAX_SIGNATURE_LEN: usize = 132;

/// Group separator: ends a variable-length value shorter than its maximum.
pub const GS: char = '\u{1D}';

/// Unit separator: starts the signature.
pub const US: char = '\u{1F}';

/// Longest `S2` value.
const OID_MAX: usize = 20;
/// Longest `S3` / `S4` value.
const NAME_MAX: usize = crate::names::MAX_NAME_CHARS;

/// A Datamatrix INS payload: header, INS, five traits, optional signature.
///
/// Build one from a [`QualifiedIdentity`] (the only way to share an INS),
/// or decode one from scanned text.
///
/// ```
/// use vitale_ins::*;
///
/// let traits = IdentityTraits::new(
///     BirthName::new("Lovelace")?,
///     GivenNames::new("Ada")?,
///     Sex::Female,
///     BirthDate::parse("18151210")?,
///     CogCode::parse("99132")?,
/// );
/// let ins = Ins::new(Nir::parse("215129913200195")?, InsOid::TestNir);
/// let identity = PatientIdentity::new(IdentityStatus::Qualified, traits, Some(ins))?;
/// let header = DocHeader::new("FR00", "0001", "ZZ")?;
/// let payload = InsDatamatrix::new(header, &identity.shareable()?)?;
/// let text = payload.encode();
/// assert_eq!(InsDatamatrix::decode(&text)?, payload);
/// # Ok::<(), vitale_ins::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InsDatamatrix {
    header: DocHeader,
    ins: Ins,
    traits: IdentityTraits,
    signature: Option<Vec<u8>>,
}

impl InsDatamatrix {
    /// A payload for a qualified identity. The names are stored in
    /// normalised form (what the Datamatrix carries); a name longer than
    /// 100 characters once normalised is refused.
    pub fn new(header: DocHeader, identity: &QualifiedIdentity) -> Result<Self, Error> {
        let traits = identity.traits();
        let given_names = GivenNames::new(&traits.given_names().normalized())?;
        let birth_name = BirthName::new(&traits.birth_name().normalized())?;
        Ok(Self {
            header,
            ins: identity.ins().clone(),
            traits: IdentityTraits::new(
                birth_name,
                given_names,
                traits.sex(),
                traits.birth_date().clone(),
                traits.birth_place().clone(),
            ),
            signature: None,
        })
    }

    /// Attaches signature bytes (1 to [`MAX_SIGNATURE_LEN`]), written after
    /// US on encoding.
    pub fn with_signature(mut self, signature: Vec<u8>) -> Result<Self, Error> {
        if signature.is_empty() || signature.len() > MAX_SIGNATURE_LEN {
            return Err(Error::DatamatrixSignature {
                max: MAX_SIGNATURE_LEN,
            });
        }
        self.signature = Some(signature);
        Ok(self)
    }

    /// The 2D-Doc header.
    pub fn header(&self) -> &DocHeader {
        &self.header
    }

    /// The INS (fields `S1`, `S2`).
    pub fn ins(&self) -> &Ins {
        &self.ins
    }

    /// The five traits (fields `S3` … `S7`), names in normalised form.
    pub fn traits(&self) -> &IdentityTraits {
        &self.traits
    }

    /// The signature bytes, opaque, if the payload has one.
    pub fn signature(&self) -> Option<&[u8]> {
        self.signature.as_deref()
    }

    /// The text the signature covers: header and message, without US and
    /// signature.
    pub fn signed_data(&self) -> String {
        let mut out = self.header.encode();
        let traits = &self.traits;
        let date = traits.birth_date().as_str();
        let (year, month, day) = (
            date.get(0..4).unwrap_or_default(),
            date.get(4..6).unwrap_or_default(),
            date.get(6..8).unwrap_or_default(),
        );
        push_fixed(
            &mut out,
            DatamatrixField::S1Matricule,
            self.ins.matricule().as_str(),
        );
        push_variable(
            &mut out,
            DatamatrixField::S2Oid,
            self.ins.oid().as_str(),
            OID_MAX,
        );
        push_variable(
            &mut out,
            DatamatrixField::S3GivenNames,
            traits.given_names().as_str(),
            NAME_MAX,
        );
        push_variable(
            &mut out,
            DatamatrixField::S4BirthName,
            traits.birth_name().as_str(),
            NAME_MAX,
        );
        push_fixed(
            &mut out,
            DatamatrixField::S5Sex,
            traits.sex().code().encode_utf8(&mut [0; 4]),
        );
        let _ = write!(
            out,
            "{}{day}-{month}-{year}",
            DatamatrixField::S6BirthDate.tag()
        );
        push_fixed(
            &mut out,
            DatamatrixField::S7BirthPlace,
            traits.birth_place().as_str(),
        );
        out
    }

    /// The full payload text: [`signed_data`](Self::signed_data), then US
    /// and the base32 signature when there is one.
    pub fn encode(&self) -> String {
        let mut out = self.signed_data();
        if let Some(signature) = &self.signature {
            out.push(US);
            out.push_str(&base32::encode(signature));
        }
        out
    }

    /// Decodes a payload, strictly (see the [module documentation](self)).
    pub fn decode(text: &str) -> Result<Self, Error> {
        if text.len() > MAX_DATAMATRIX_LEN {
            return Err(Error::DatamatrixTooLong {
                max: MAX_DATAMATRIX_LEN,
            });
        }
        if let Some(position) = text
            .bytes()
            .position(|b| !(b == 0x1D || b == 0x1F || (0x20..=0x7E).contains(&b)))
        {
            return Err(Error::DatamatrixCharacter { position });
        }
        let header = DocHeader::parse(text)?;
        let rest = text.get(HEADER_LEN..).unwrap_or_default();
        let (message, signature) = match rest.split_once(US) {
            Some((message, signature)) => (message, Some(signature)),
            None => (rest, None),
        };
        let mut reader = Reader {
            text: message,
            offset: 0,
        };
        let matricule = reader.fixed(DatamatrixField::S1Matricule, 15)?;
        let oid = reader.variable(DatamatrixField::S2Oid, OID_MAX)?;
        let given_names = reader.variable(DatamatrixField::S3GivenNames, NAME_MAX)?;
        let birth_name = reader.variable(DatamatrixField::S4BirthName, NAME_MAX)?;
        let sex = reader.fixed(DatamatrixField::S5Sex, 1)?;
        let date = reader.fixed(DatamatrixField::S6BirthDate, 10)?;
        let place = reader.fixed(DatamatrixField::S7BirthPlace, 5)?;
        if reader.offset != message.len() {
            return Err(Error::DatamatrixTrailing);
        }

        let nir = value(DatamatrixField::S1Matricule, Nir::parse(matricule))?;
        if nir.as_str() != matricule {
            // Only a lower-case `2a` / `2b` parses to a different text.
            return Err(field_error(
                DatamatrixField::S1Matricule,
                Error::NirCharacter { position: 7 },
            ));
        }
        let oid = value(DatamatrixField::S2Oid, InsOid::parse(oid))?;
        let given_names = value(DatamatrixField::S3GivenNames, normalized_name(given_names))?;
        let given_names = value(DatamatrixField::S3GivenNames, GivenNames::new(given_names))?;
        let birth_name = value(DatamatrixField::S4BirthName, normalized_name(birth_name))?;
        let birth_name = value(DatamatrixField::S4BirthName, BirthName::new(birth_name))?;
        let sex = value(DatamatrixField::S5Sex, sex.parse::<Sex>())?;
        let birth_date = value(DatamatrixField::S6BirthDate, parse_dashed_date(date))?;
        let place = value(DatamatrixField::S7BirthPlace, CogCode::parse(place))?;

        let signature = match signature {
            None => None,
            Some(text) => Some(
                base32::decode(text)
                    .filter(|bytes| !bytes.is_empty() && bytes.len() <= MAX_SIGNATURE_LEN)
                    .ok_or(Error::DatamatrixSignature {
                        max: MAX_SIGNATURE_LEN,
                    })?,
            ),
        };
        Ok(Self {
            header,
            ins: Ins::new(nir, oid),
            traits: IdentityTraits::new(birth_name, given_names, sex, birth_date, place),
            signature,
        })
    }
}

fn push_fixed(out: &mut String, field: DatamatrixField, value: &str) {
    out.push_str(field.tag());
    out.push_str(value);
}

fn push_variable(out: &mut String, field: DatamatrixField, value: &str, max: usize) {
    push_fixed(out, field, value);
    if value.len() < max {
        out.push(GS);
    }
}

fn field_error(field: DatamatrixField, cause: Error) -> Error {
    Error::DatamatrixFieldValue {
        field,
        cause: Box::new(cause),
    }
}

fn value<T>(field: DatamatrixField, result: Result<T, Error>) -> Result<T, Error> {
    result.map_err(|cause| field_error(field, cause))
}

/// A name value must already be in normalised form.
fn normalized_name(text: &str) -> Result<&str, Error> {
    if is_normalized(text) {
        Ok(text)
    } else {
        Err(Error::NameNotNormalized)
    }
}

/// `JJ-MM-AAAA` to a [`BirthDate`].
fn parse_dashed_date(text: &str) -> Result<BirthDate, Error> {
    match (
        text.get(0..2),
        text.get(2..3),
        text.get(3..5),
        text.get(5..6),
        text.get(6..10),
    ) {
        (Some(day), Some("-"), Some(month), Some("-"), Some(year)) => {
            BirthDate::parse(&format!("{year}{month}{day}"))
        }
        _ => Err(Error::BirthDateFormat),
    }
}

/// A cursor over the message part.
struct Reader<'a> {
    text: &'a str,
    offset: usize,
}

impl<'a> Reader<'a> {
    /// Consumes the expected tag.
    fn tag(&mut self, field: DatamatrixField) -> Result<(), Error> {
        let end = self.offset + 2;
        if self.text.get(self.offset..end) != Some(field.tag()) {
            return Err(Error::DatamatrixUnexpectedTag {
                expected: field,
                position: HEADER_LEN + self.offset,
            });
        }
        self.offset = end;
        Ok(())
    }

    /// Tag then exactly `len` bytes, none of them GS.
    fn fixed(&mut self, field: DatamatrixField, len: usize) -> Result<&'a str, Error> {
        self.tag(field)?;
        let end = self.offset + len;
        let value = self
            .text
            .get(self.offset..end)
            .filter(|v| !v.contains(GS))
            .ok_or(Error::DatamatrixFieldLength { field })?;
        self.offset = end;
        Ok(value)
    }

    /// Tag then 1 to `max` bytes: ended by GS when shorter than `max`, by
    /// its length (no GS) when exactly `max`.
    fn variable(&mut self, field: DatamatrixField, max: usize) -> Result<&'a str, Error> {
        self.tag(field)?;
        let rest = self.text.get(self.offset..).unwrap_or_default();
        let window = rest.get(..max.min(rest.len())).unwrap_or_default();
        match window.find(GS) {
            Some(0) => Err(Error::DatamatrixFieldLength { field }),
            Some(end) => {
                self.offset += end + 1;
                Ok(window.get(..end).unwrap_or_default())
            }
            None if window.len() == max => {
                self.offset += max;
                Ok(window)
            }
            None => Err(Error::DatamatrixFieldLength { field }),
        }
    }
}

#[cfg(test)]
mod tests;
