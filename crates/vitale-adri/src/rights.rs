//! The rights answer (*droits du bénéficiaire*), validated and bounded.

mod parts;
#[cfg(feature = "serde")]
mod serde_impls;

pub use parts::{
    CoveragePeriod, CoverageReason, RightsIdentity, SolidarityCover, SolidarityPeriod,
    TreatingDoctor,
};

use time::Date;
use vitale_model::{ComplementaryCover, Organisation, QualityCode};

use crate::{Error, Period};

/// A beneficiary's rights as a rights service (ADRi) answered them for a
/// reference date: identity, organisme, *qualité*, AMO periods, coverage
/// periods with their rates, C2S/AME, the declared *médecin traitant* and
/// the complementary covers managed with the AMO (*gestion unique*).
///
/// Every list is bounded ([`Rights::MAX_PERIODS`],
/// [`Rights::MAX_COMPLEMENTARY`]) and C2S/AME periods never overlap (the
/// two covers exclude each other), so a value holds a consistent answer.
/// Build it with [`Rights::builder`]; resolve it for a day of care with
/// [`Rights::on`]. `Debug` redacts the NIRs, names and birth date.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct Rights {
    pub(crate) reference_date: Date,
    pub(crate) identity: RightsIdentity,
    pub(crate) organisation: Organisation,
    pub(crate) quality: QualityCode,
    pub(crate) amo_periods: Vec<Period>,
    pub(crate) coverage_periods: Vec<CoveragePeriod>,
    pub(crate) solidarity_periods: Vec<SolidarityPeriod>,
    pub(crate) treating_doctor: Option<TreatingDoctor>,
    pub(crate) complementary: Vec<ComplementaryCover>,
}

impl Rights {
    /// Most entries of each list of periods (AMO, coverage, solidarity).
    pub const MAX_PERIODS: usize = 32;

    /// Most complementary covers (AMC in *gestion unique*).
    pub const MAX_COMPLEMENTARY: usize = 4;

    /// Largest JSON document [`Rights::from_json`] reads.
    pub const MAX_JSON_BYTES: usize = 64 * 1024;

    /// A builder for the answer about `identity` on `reference_date`.
    pub fn builder(
        reference_date: Date,
        identity: RightsIdentity,
        organisation: Organisation,
        quality: QualityCode,
    ) -> RightsBuilder {
        RightsBuilder {
            rights: Rights {
                reference_date,
                identity,
                organisation,
                quality,
                amo_periods: Vec::new(),
                coverage_periods: Vec::new(),
                solidarity_periods: Vec::new(),
                treating_doctor: None,
                complementary: Vec::new(),
            },
        }
    }

    /// The date the answer was asked for (*date de référence*).
    pub fn reference_date(&self) -> Date {
        self.reference_date
    }

    /// The beneficiary as the service identified them.
    pub fn identity(&self) -> &RightsIdentity {
        &self.identity
    }

    /// The organisme managing the rights (*régime*, *caisse*, *centre*).
    pub fn organisation(&self) -> &Organisation {
        &self.organisation
    }

    /// *Code qualité* of the beneficiary.
    pub fn quality(&self) -> QualityCode {
        self.quality
    }

    /// Periods of open AMO rights (*droits AMO ouverts*), in answer order.
    pub fn amo_periods(&self) -> &[Period] {
        &self.amo_periods
    }

    /// Coverage periods (exemptions, maternity, AT/MP…), in answer order.
    pub fn coverage_periods(&self) -> &[CoveragePeriod] {
        &self.coverage_periods
    }

    /// C2S and AME periods, in answer order; they never overlap.
    pub fn solidarity_periods(&self) -> &[SolidarityPeriod] {
        &self.solidarity_periods
    }

    /// The declared *médecin traitant*, if any.
    pub fn treating_doctor(&self) -> Option<&TreatingDoctor> {
        self.treating_doctor.as_ref()
    }

    /// Complementary covers managed with the AMO (*gestion unique*).
    pub fn complementary(&self) -> &[ComplementaryCover] {
        &self.complementary
    }

    /// Reads the JSON shape of the reference binding (`docs/rights.md`),
    /// refusing documents over [`Rights::MAX_JSON_BYTES`] before parsing.
    /// Every value goes through the same validation as the builder.
    ///
    /// # Errors
    /// [`Error::TooLarge`], or [`Error::Json`] with the position of the
    /// first syntax error or refused value (never the value itself).
    #[cfg(feature = "serde")]
    pub fn from_json(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() > Self::MAX_JSON_BYTES {
            return Err(Error::TooLarge {
                found: bytes.len(),
                max: Self::MAX_JSON_BYTES,
            });
        }
        serde_json::from_slice(bytes).map_err(|e| crate::json::error_position(&e))
    }

    /// The JSON shape of the reference binding. It carries the NIRs, names
    /// and birth date in clear: for the billing program, never for logs.
    ///
    /// # Errors
    /// [`Error::Json`] if serialisation fails (it does not for values of
    /// this type; the error is kept rather than a panic).
    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> Result<Vec<u8>, Error> {
        serde_json::to_vec(self).map_err(|e| crate::json::error_position(&e))
    }
}

/// Builds a [`Rights`] value; [`RightsBuilder::build`] checks the bounds
/// and that C2S/AME periods do not overlap.
#[derive(Clone, Debug)]
#[must_use]
pub struct RightsBuilder {
    rights: Rights,
}

impl RightsBuilder {
    /// Adds a period of open AMO rights.
    pub fn amo_period(mut self, period: Period) -> Self {
        self.rights.amo_periods.push(period);
        self
    }

    /// Adds a coverage period.
    pub fn coverage_period(mut self, coverage: CoveragePeriod) -> Self {
        self.rights.coverage_periods.push(coverage);
        self
    }

    /// Adds a C2S or AME period.
    pub fn solidarity_period(mut self, solidarity: SolidarityPeriod) -> Self {
        self.rights.solidarity_periods.push(solidarity);
        self
    }

    /// Sets (or clears) the declared *médecin traitant*.
    pub fn treating_doctor(mut self, doctor: Option<TreatingDoctor>) -> Self {
        self.rights.treating_doctor = doctor;
        self
    }

    /// Adds a complementary cover managed with the AMO.
    pub fn complementary(mut self, cover: ComplementaryCover) -> Self {
        self.rights.complementary.push(cover);
        self
    }

    /// The answer.
    ///
    /// # Errors
    /// [`Error::TooMany`] when a list is over its bound,
    /// [`Error::Overlap`] when two C2S/AME periods share a day,
    /// [`Error::Invalid`] for a reference date outside years 0000–9999.
    pub fn build(self) -> Result<Rights, Error> {
        let r = self.rights;
        if !(0..=9999).contains(&r.reference_date.year()) {
            return Err(Error::Invalid("reference date: year outside 0000-9999"));
        }
        bounded("AMO periods", r.amo_periods.len(), Rights::MAX_PERIODS)?;
        bounded(
            "coverage periods",
            r.coverage_periods.len(),
            Rights::MAX_PERIODS,
        )?;
        bounded(
            "solidarity periods",
            r.solidarity_periods.len(),
            Rights::MAX_PERIODS,
        )?;
        bounded(
            "complementary covers",
            r.complementary.len(),
            Rights::MAX_COMPLEMENTARY,
        )?;
        for (i, a) in r.solidarity_periods.iter().enumerate() {
            if r.solidarity_periods
                .iter()
                .skip(i + 1)
                .any(|b| a.period().overlaps(&b.period()))
            {
                return Err(Error::Overlap("C2S/AME periods"));
            }
        }
        Ok(r)
    }
}

fn bounded(what: &'static str, found: usize, max: usize) -> Result<(), Error> {
    if found > max {
        Err(Error::TooMany { what, found, max })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
