//! The Datamatrix INS payload: an INS and the identity traits printed with
//! it on health documents, in the national layout of the ANS "INS — format
//! datamatrix".
//!
//! # Layout
//!
//! ```text
//! IS 01 0000000000000000000000  S1<15> S2<19|20>[GS] S3<prénoms>[GS] S4<nom>[GS] S5<M|F> S6<JJ-MM-AAAA> [S7<5>]
//! └──── header, 26 characters ┘ └────────────────────────────── message ─────────────────────────────────────┘
//! ```
//!
//! **Header** ([`NATIONAL_HEADER`]): marker `IS`, version `01`, then 22
//! reserved characters, all `0`. It names no certificate: the national
//! payload is not signed.
//!
//! **Message**: fields, each a 2-character tag then its value:
//!
//! | tag | trait | length | rule |
//! |---|---|---|---|
//! | `S1` | matricule INS | fixed 15 | a [`Nir`] in compact form |
//! | `S2` | OID | variable, at most 20 | one of [`InsOid`] (19 or 20 characters) |
//! | `S3` | prénoms de naissance | variable 1–100 | normalised ([`normalize_trait`]) |
//! | `S4` | nom de naissance | variable 1–100 | normalised |
//! | `S5` | sexe | fixed 1 | `M` or `F` |
//! | `S6` | date de naissance | fixed 10 | `JJ-MM-AAAA` (lunar dates allowed) |
//! | `S7` | lieu de naissance | fixed 5 | a [`CogCode`]; **optional** |
//!
//! A variable-length value shorter than its maximum is ended by GS (0x1D),
//! unless it is the last field; a value of the maximum length and a
//! fixed-length value have no GS. [`InsDatamatrix::encode`] writes the
//! fields in tag order, as the public implementations do;
//! [`InsDatamatrix::decode`] also accepts them in any other order, each at
//! most once.
//!
//! **The 2D-Doc layout of vitale-ins 0.1** — header [`DocHeader`] (`DC04…`),
//! `S1` … `S7` in order and all present, `S5` may be `I`, then optionally US
//! (0x1F) and a base32 signature — is still **decoded** (nothing else ever
//! wrote it, but documents printed with 0.1 may need reading), never
//! written from an identity. Its signature is kept opaque
//! ([`InsDatamatrix::signature`], [`InsDatamatrix::signed_data`]) and not
//! checked here.
//!
//! Decoding is strict: printable ASCII and GS only (US in the 2D-Doc layout
//! only); no RS truncation mark; no unknown tag, repeated field or trailing
//! data; at most [`MAX_DATAMATRIX_LEN`] bytes. Which part of this comes
//! from which public source, and which is the project's choice, is written
//! in `docs/ins.md`.

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
mod message;

pub use header::{DocHeader, HEADER_LEN, NATIONAL_HEADER};
use header::{ParsedHeader, parse_header};
use message::{Order, RawFields};

/// Largest payload accepted by [`InsDatamatrix::decode`], in bytes.
pub const MAX_DATAMATRIX_LEN: usize = 1024;

/// Largest signature accepted in the 2D-Doc layout, in bytes (132: an
/// ECDSA P-521 `r‖s`).
pub const MAX_SIGNATURE_LEN: usize = 132;

/// Group separator: ends a variable-length value shorter than its maximum.
pub const GS: char = '\u{1D}';

/// Unit separator: starts the signature, in the 2D-Doc layout only.
pub const US: char = '\u{1F}';

/// Which layout a payload has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DatamatrixLayout {
    /// The ANS national layout: header [`NATIONAL_HEADER`], no signature.
    National,
    /// The 2D-Doc layout that vitale-ins 0.1 wrote: a [`DocHeader`], every
    /// field in order, maybe a signature. Decoded for compatibility only.
    Legacy2dDoc,
}

/// The header part of a payload.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Header {
    National,
    Doc {
        header: DocHeader,
        signature: Option<Vec<u8>>,
    },
}

/// A Datamatrix INS payload: an INS and its traits (birthplace optional).
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
/// let payload = InsDatamatrix::new(&identity.shareable()?)?;
/// let text = payload.encode();
/// assert_eq!(
///     text,
///     "IS010000000000000000000000S1215129913200195S21.2.250.1.213.1.4.10\
///      S3ADA\u{1d}S4LOVELACE\u{1d}S5FS610-12-1815S799132"
/// );
/// assert_eq!(InsDatamatrix::decode(&text)?, payload);
/// # Ok::<(), vitale_ins::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InsDatamatrix {
    header: Header,
    ins: Ins,
    given_names: GivenNames,
    birth_name: BirthName,
    sex: Sex,
    birth_date: BirthDate,
    birth_place: Option<CogCode>,
}

impl InsDatamatrix {
    /// A national-layout payload for a qualified identity, birthplace
    /// included. The names are stored in normalised form (what the
    /// Datamatrix carries); a name longer than 100 characters once
    /// normalised is refused, and so is the sex `I`
    /// ([`Error::DatamatrixIndeterminateSex`]).
    pub fn new(identity: &QualifiedIdentity) -> Result<Self, Error> {
        let traits = identity.traits();
        if traits.sex() == Sex::Indeterminate {
            return Err(Error::DatamatrixIndeterminateSex);
        }
        Ok(Self {
            header: Header::National,
            ins: identity.ins().clone(),
            given_names: GivenNames::new(&traits.given_names().normalized())?,
            birth_name: BirthName::new(&traits.birth_name().normalized())?,
            sex: traits.sex(),
            birth_date: traits.birth_date().clone(),
            birth_place: Some(traits.birth_place().clone()),
        })
    }

    /// The layout the payload has (and is encoded in).
    pub fn layout(&self) -> DatamatrixLayout {
        match self.header {
            Header::National => DatamatrixLayout::National,
            Header::Doc { .. } => DatamatrixLayout::Legacy2dDoc,
        }
    }

    /// The 2D-Doc header, in the 2D-Doc layout only.
    pub fn doc_header(&self) -> Option<&DocHeader> {
        match &self.header {
            Header::National => None,
            Header::Doc { header, .. } => Some(header),
        }
    }

    /// The signature bytes, opaque, if the payload has one (2D-Doc layout
    /// only).
    pub fn signature(&self) -> Option<&[u8]> {
        match &self.header {
            Header::National => None,
            Header::Doc { signature, .. } => signature.as_deref(),
        }
    }

    /// The INS (fields `S1`, `S2`).
    pub fn ins(&self) -> &Ins {
        &self.ins
    }

    /// Prénoms de naissance (`S3`), normalised.
    pub fn given_names(&self) -> &GivenNames {
        &self.given_names
    }

    /// Nom de naissance (`S4`), normalised.
    pub fn birth_name(&self) -> &BirthName {
        &self.birth_name
    }

    /// Sexe (`S5`).
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// Date de naissance (`S6`).
    pub fn birth_date(&self) -> &BirthDate {
        &self.birth_date
    }

    /// Lieu de naissance (`S7`), when the payload carries it.
    pub fn birth_place(&self) -> Option<&CogCode> {
        self.birth_place.as_ref()
    }

    /// The five traits, when the payload carries all five (`S7` present).
    pub fn traits(&self) -> Option<IdentityTraits> {
        self.birth_place.as_ref().map(|place| {
            IdentityTraits::new(
                self.birth_name.clone(),
                self.given_names.clone(),
                self.sex,
                self.birth_date.clone(),
                place.clone(),
            )
        })
    }

    /// In the 2D-Doc layout, the text its signature covers: header and
    /// message, without US and signature. `None` in the national layout,
    /// which is not signed.
    pub fn signed_data(&self) -> Option<String> {
        match self.header {
            Header::National => None,
            Header::Doc { .. } => Some(self.unsigned_text()),
        }
    }

    /// The full payload text, fields in tag order; in the 2D-Doc layout, US
    /// and the base32 signature when there is one.
    pub fn encode(&self) -> String {
        let mut out = self.unsigned_text();
        if let Header::Doc {
            signature: Some(signature),
            ..
        } = &self.header
        {
            out.push(US);
            out.push_str(&base32::encode(signature));
        }
        out
    }

    /// Header and message.
    fn unsigned_text(&self) -> String {
        let mut out = match &self.header {
            Header::National => NATIONAL_HEADER.to_owned(),
            Header::Doc { header, .. } => header.encode(),
        };
        let date = self.birth_date.as_str();
        let dashed = format!(
            "{}-{}-{}",
            date.get(6..8).unwrap_or_default(),
            date.get(4..6).unwrap_or_default(),
            date.get(0..4).unwrap_or_default(),
        );
        let mut sex = [0; 4];
        let sex = self.sex.code().encode_utf8(&mut sex);
        let fields = [
            (DatamatrixField::S1Matricule, self.ins.matricule().as_str()),
            (DatamatrixField::S2Oid, self.ins.oid().as_str()),
            (DatamatrixField::S3GivenNames, self.given_names.as_str()),
            (DatamatrixField::S4BirthName, self.birth_name.as_str()),
            (DatamatrixField::S5Sex, sex),
            (DatamatrixField::S6BirthDate, &dashed),
        ];
        for (field, value) in fields {
            message::push(&mut out, field, value);
        }
        if let Some(place) = &self.birth_place {
            message::push(&mut out, DatamatrixField::S7BirthPlace, place.as_str());
        }
        out
    }

    /// Decodes a payload, national or 2D-Doc layout, strictly (see the
    /// [module documentation](self)).
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
        let rest = text.get(HEADER_LEN..).unwrap_or_default();
        match parse_header(text)? {
            ParsedHeader::National => {
                if let Some(position) = text.find(US) {
                    return Err(Error::DatamatrixCharacter { position });
                }
                let fields = message::read(rest, Order::Free)?;
                Self::from_fields(Header::National, &fields)
            }
            ParsedHeader::Doc(header) => {
                let (message, signature) = match rest.split_once(US) {
                    Some((message, signature)) => (message, Some(signature)),
                    None => (rest, None),
                };
                let fields = message::read(message, Order::Fixed)?;
                let signature = signature
                    .map(|text| {
                        base32::decode(text)
                            .filter(|bytes| !bytes.is_empty() && bytes.len() <= MAX_SIGNATURE_LEN)
                            .ok_or(Error::DatamatrixSignature {
                                max: MAX_SIGNATURE_LEN,
                            })
                    })
                    .transpose()?;
                Self::from_fields(Header::Doc { header, signature }, &fields)
            }
        }
    }

    /// Validates each field's value.
    fn from_fields(header: Header, fields: &RawFields<'_>) -> Result<Self, Error> {
        let nir = value(DatamatrixField::S1Matricule, Nir::parse(fields.matricule))?;
        if nir.as_str() != fields.matricule {
            // Only a lower-case `2a` / `2b` parses to a different text.
            return Err(field_error(
                DatamatrixField::S1Matricule,
                Error::NirCharacter { position: 7 },
            ));
        }
        let oid = value(DatamatrixField::S2Oid, InsOid::parse(fields.oid))?;
        let given_names = value(
            DatamatrixField::S3GivenNames,
            normalized_name(fields.given_names).and_then(GivenNames::new),
        )?;
        let birth_name = value(
            DatamatrixField::S4BirthName,
            normalized_name(fields.birth_name).and_then(BirthName::new),
        )?;
        let sex = value(DatamatrixField::S5Sex, fields.sex.parse::<Sex>())?;
        if sex == Sex::Indeterminate && matches!(header, Header::National) {
            return Err(field_error(
                DatamatrixField::S5Sex,
                Error::DatamatrixIndeterminateSex,
            ));
        }
        let birth_date = value(
            DatamatrixField::S6BirthDate,
            parse_dashed_date(fields.birth_date),
        )?;
        let birth_place = fields
            .birth_place
            .map(|place| value(DatamatrixField::S7BirthPlace, CogCode::parse(place)))
            .transpose()?;
        Ok(Self {
            header,
            ins: Ins::new(nir, oid),
            given_names,
            birth_name,
            sex,
            birth_date,
            birth_place,
        })
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

#[cfg(test)]
mod tests;
