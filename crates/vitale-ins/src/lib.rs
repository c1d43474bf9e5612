//! National health identity for the vitale-sdk: NIR/NIA, INS, identity traits.
//!
//! This crate holds the identity values that the rest of the SDK passes
//! around, each one validated when it is built and redacted in `Debug`:
//!
//! | module | what it holds |
//! |---|---|
//! | [`nir`] | [`Nir`]: the NIR (numéro d'inscription au répertoire) or NIA, with its key |
//! | [`ins`] | [`Ins`] (identifiant national de santé) = matricule + [`InsOid`] |
//! | [`sex`] | [`Sex`], the *sexe* trait (M / F / I) |
//! | [`birth_date`] | [`BirthDate`], `YYYYMMDD` text that keeps legal lunar dates |
//! | [`cog`] | [`CogCode`], the birthplace code (code officiel géographique) |
//! | [`names`] | [`BirthName`] (nom de naissance), [`GivenNames`] (prénoms de naissance) |
//! | [`normalize`] | [`normalize_trait`], the comparison form of a name trait |
//! | [`identity`] | the five traits, the identity status and the INS sharing rule |
//! | [`datamatrix`] | the Datamatrix INS payload (ANS national layout), encode and decode |
//!
//! With the `serde` feature, the values serialize as their canonical text
//! (NIR as 15 characters without spaces, birth date as `YYYYMMDD`, …) and
//! deserialize through the same validation as the parsers.
//!
//! The rules and the sources behind them are in the project's `docs/ins.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod birth_date;
pub mod cog;
pub mod datamatrix;
mod error;
pub mod identity;
pub mod ins;
pub mod names;
pub mod nir;
pub mod normalize;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod sex;

pub use birth_date::BirthDate;
pub use cog::CogCode;
pub use datamatrix::{DatamatrixLayout, DocHeader, InsDatamatrix};
pub use error::{DatamatrixField, Error, HeaderField, NirField};
pub use identity::{IdentityStatus, IdentityTraits, PatientIdentity, QualifiedIdentity};
pub use ins::{Ins, InsOid};
pub use names::{BirthName, GivenNames};
pub use nir::Nir;
pub use normalize::normalize_trait;
pub use sex::Sex;
