//! The card domain of the vitale-sdk, apart from any wire format.
//!
//! What an appli carte Vitale certifies, whichever profile carried it (the
//! `open` profile's signed CBOR, or the `token` profile's online context),
//! and what rights and billing work on:
//!
//! | module | what it holds |
//! |---|---|
//! | [`insured`] | [`Insured`] (*assuré*, *ouvrant droit*), [`Organisation`] (*organisme*: régime, caisse, centre), [`ManagementCode`] (*code de gestion*) |
//! | [`beneficiary`] | [`Beneficiary`] (*bénéficiaire*, *ayant droit*), [`Rank`], [`QualityCode`] (*qualité*), [`BirthRank`] (*rang de naissance*), [`BeneficiaryIns`] (INS link), [`Beneficiaries`] |
//! | [`amc`] | [`ComplementaryCover`] (*assurance maladie complémentaire*, AMC): [`AmcNumber`], [`GuaranteeCode`] |
//! | [`name`] | [`PersonName`], a registered name |
//! | [`time`] | [`Timestamp`] (whole-second UTC instant, RFC 3339 text), [`ValidityWindow`] (half-open), [`DateRange`] (calendar days, inclusive) |
//!
//! Every type can only hold valid values, is `#[non_exhaustive]` or has
//! private fields (new fields can be added without breaking vendors), is
//! built with constructors and read with accessors. `Debug` redacts
//! personal data (NIR, names, birth dates).
//!
//! With the `serde` feature every type is `Serialize` and `Deserialize`, in
//! the JSON shape documented in the project's `docs/json.md`. **JSON carries
//! the personal data in clear** — billing needs the full NIR — so JSON is for
//! the billing program, never for logs. Deserializing validates like the
//! constructors: a JSON document cannot smuggle an invalid NIR or rank in.
//!
//! The identity values themselves (NIR, INS, birth date, sex, birthplace)
//! live in `vitale-ins`, which this crate builds on.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// `Serialize`/`Deserialize` through a text form: `$as_str` gives it,
/// `$parse` validates it (`Option`), at most `$max` characters.
macro_rules! serde_text {
    ($ty:ty, $max:expr, $what:literal, |$v:ident| $as_str:expr, $parse:expr) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let $v = self;
                s.serialize_str($as_str)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let text = crate::name::bounded_string(d, $max)?;
                ($parse)(text.as_str()).ok_or_else(|| D::Error::custom(concat!("invalid ", $what)))
            }
        }
    };
}

/// `Serialize`/`Deserialize` of a small number type through `get` / `new`.
macro_rules! serde_u8 {
    ($ty:ty, $what:literal) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u8(self.get())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let n = <u8 as serde::Deserialize>::deserialize(d)?;
                <$ty>::new(n).ok_or_else(|| D::Error::custom(concat!($what, " out of range")))
            }
        }
    };
}

pub mod amc;
pub mod beneficiary;
mod error;
pub mod insured;
pub mod name;
pub mod time;

pub use amc::{AmcNumber, ComplementaryCover, GuaranteeCode};
pub use beneficiary::{Beneficiaries, Beneficiary, BeneficiaryIns, BirthRank, QualityCode, Rank};
pub use error::Error;
pub use insured::{Insured, ManagementCode, Organisation};
pub use name::PersonName;
pub use time::{DateRange, Timestamp, ValidityWindow};
