//! FSE-lite for the vitale-sdk: the care sheet (*feuille de soins
//! électronique*) a professional builds from a verified card, the rights of
//! the day and the acts performed.
//!
//! **This is not a CNDA-approved FSE.** The official FSE specification
//! (SESAM-Vitale) is not public; this crate implements public tariff and
//! reimbursement rules, each with its source (`docs/fse.md`), so that a
//! vendor can show the patient what a visit costs and what is reimbursed.
//!
//! | module | what it holds |
//! |---|---|
//! | [`money`] | [`Cents`] (integer euro cents) and [`Rate`] (basis points), one rounding rule |
//! | [`act`] | [`Act`]: NGAP key letter + coefficient, CCAM code + activity + phase + modifiers |
//! | [`tariff`] | [`TariffTable`]: prices as dated rows with their sources, validated at load |
//! | [`pricing`] | the rules: AMO rate and why, AMO/AMC/patient shares, participation forfaitaire, franchise |
//! | [`sheet`] | [`CareSheet`]: built from a verified card, the rights and the acts; numbered; deterministic CBOR and JSON |
//! | [`signing`] | two-phase signing: [`CareSheet::prepare`] (CBOR + SHA-256), then a `Signer` or the context service; [`signing::SignedSheet`] verifies |
//! | [`numbering`] | [`InvoiceNumbers`]: unique, increasing invoice numbers per professional, durable before returned |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod act;
mod error;
pub mod money;
pub mod numbering;
pub mod pricing;
pub mod sheet;
pub mod signing;
pub mod tariff;

pub use act::Act;
pub use error::Error;
pub use money::{Cents, Rate};
pub use numbering::{InvoiceNumber, InvoiceNumbers, NumberingError};
pub use pricing::{ActLine, LineAmounts, Pathway, Profession, Sector};
pub use sheet::{CareSheet, Practice, Visit};
pub use tariff::TariffTable;
