//! Rights (ADRi, *acquisition des droits intégrée*) for the vitale-sdk:
//! the query, the answer, what the answer means on the day of care, the
//! service trait, and the professional's identifiers.
//!
//! | module | what it holds |
//! |---|---|
//! | [`query`] | [`RightsQuery`]: reference date, [`BeneficiaryId`] (certified NIR, or insured NIR + birth date, lunar included, + rang de naissance), organisme |
//! | [`rights`] | [`Rights`] (built with [`RightsBuilder`]): [`RightsIdentity`], organisme, *qualité*, AMO [`Period`]s, [`CoveragePeriod`]s ([`CoverageReason`]: ALD, maternité, AT/MP, invalidité) with their [`Rate`], [`SolidarityPeriod`]s (C2S, AME), [`TreatingDoctor`], complementary covers in *gestion unique* |
//! | [`resolve`] | [`Rights::on`] → [`RightsOnDate`]: [`AmoStatus`] (open, or *droits fermés*), [`AmoRate`] for a [`CareScope`], [`CarePathway`], [`ThirdPartyPayment`], [`Complementary`] |
//! | [`period`] | [`Period`] (calendar days, both ends included, open-ended allowed), [`Rate`] (basis points) |
//! | [`professional`] | [`Rpps`] (11 digits, Luhn key), [`BillingNumber`] (*n° AM*, 9 digits), [`SpecialtyCode`], [`ProfessionalIdentity`] |
//! | [`service`] | [`RightsService`] (blocking, `Send + Sync`) and its [`RightsError`] |
//!
//! The official ApCV and ADRi specifications are not public. What is used
//! here comes from public integrator templates, vendors' help pages and
//! the public rules of the Assurance Maladie, each cited in the project's
//! `docs/rights.md`. No I/O happens in this crate: a binding (our reference
//! HTTPS one, a simulator, a vendor's own) implements [`RightsService`].
//!
//! Every value is validated when built and bounded; `Debug` of queries and
//! answers redacts NIRs, names and birth dates. With the `serde` feature,
//! queries and answers have the JSON shape of the reference binding
//! (`docs/rights.md`, snapshot `docs/json/rights.json`), read through the
//! same validation; [`Rights::from_json`] bounds the document's size.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
#[cfg(feature = "serde")]
mod json;
pub mod period;
pub mod professional;
pub mod query;
pub mod resolve;
pub mod rights;
pub mod service;

#[cfg(test)]
mod fixtures;

pub use error::Error;
pub use period::{Period, Rate};
pub use professional::{BillingNumber, ProfessionalIdentity, Rpps, SpecialtyCode};
pub use query::{BeneficiaryId, RightsQuery};
pub use resolve::{
    AmoRate, AmoStatus, CarePathway, CareScope, Complementary, RightsOnDate, ThirdPartyBasis,
    ThirdPartyPayment,
};
pub use rights::{
    CoveragePeriod, CoverageReason, Rights, RightsBuilder, RightsIdentity, SolidarityCover,
    SolidarityPeriod, TreatingDoctor,
};
pub use service::{RefusalCode, RightsError, RightsService};
