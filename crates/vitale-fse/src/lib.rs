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
//! | [`lot`] | [`Lot`]: one professional's signed sheets, at most 50, numbered ([`LotNumbers`]), with a [`lot::LotSummary`], deterministic CBOR and SHA-256 |
//! | [`receipt`] | [`Receipt`] (*reçu*): what the patient sees, as text and HTML, and signed (COSE_Sign1) for the phone to check against the trust list |
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod act;
mod error;
mod fields;
pub mod lot;
pub mod money;
pub mod numbering;
pub mod pricing;
pub mod receipt;
pub mod sheet;
pub mod signing;
pub mod tariff;

pub use act::Act;
pub use error::Error;
pub use lot::{Lot, LotBuilder, LotNumber, LotNumbers};
pub use money::{Cents, Rate};
pub use numbering::{InvoiceNumber, InvoiceNumbers, NumberingError};
pub use pricing::{ActLine, LineAmounts, Pathway, Profession, Sector};
pub use receipt::Receipt;
pub use sheet::{CareSheet, Practice, Visit};
pub use tariff::TariffTable;
