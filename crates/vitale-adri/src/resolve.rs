//! [`Rights::on`]: what an answer means for one day of care, in the terms
//! billing needs (AMO open or closed, rate and why, *parcours de soins*,
//! third-party payment, the complementary cover).

use time::Date;
use vitale_model::ComplementaryCover;

use crate::{CoveragePeriod, CoverageReason, Period, Rate, Rights, SolidarityCover};

/// What the care is related to, for the rates that apply to related care
/// only (an ALD's, an AT/MP's). The prescriber or the professional states
/// it (e.g. the ALD part of an *ordonnance bizone*); the answer cannot.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum CareScope {
    /// Care related to no particular condition.
    General,
    /// Care related to the beneficiary's *affection de longue durée*.
    LongTermCondition,
    /// Care related to an *accident du travail / maladie professionnelle*.
    WorkInjury,
}

/// Whether AMO rights are open on the day of care.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum AmoStatus {
    /// Rights open (*droits ouverts*): the first AMO period of the answer
    /// that covers the day.
    Open(Period),
    /// Rights closed (*droits fermés*): no AMO period covers the day.
    Closed {
        /// The last day of the latest AMO period that ended before the
        /// day, if any.
        ended: Option<Date>,
        /// The first day of the earliest AMO period that starts after the
        /// day, if any.
        reopens: Option<Date>,
    },
}

/// The AMO rate that applies to care of a given [`CareScope`] on the day.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum AmoRate {
    /// Rights closed (*droits fermés*): no AMO share.
    Closed,
    /// No coverage applies to this care: the act's own rate from the
    /// tariff tables applies (with the *parcours de soins* rules).
    Standard,
    /// A coverage applies: its rate, as the service answered it, and why.
    Coverage {
        /// The AMO rate.
        rate: Rate,
        /// The coverage it comes from.
        reason: CoverageReason,
    },
}

/// Whether the beneficiary had declared a *médecin traitant* on the day,
/// which the billing rules of the *parcours de soins coordonnés* need.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum CarePathway {
    /// A *médecin traitant* is declared on the day.
    TreatingDoctorDeclared,
    /// No declaration covers the day.
    NoTreatingDoctor,
}

/// Why the patient is entitled to third-party payment (*tiers payant*,
/// *dispense d'avance de frais*) on the AMO share.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum ThirdPartyBasis {
    /// A coverage that carries it: maternity, an ALD (related care), an
    /// AT/MP (related care).
    Coverage(CoverageReason),
    /// The C2S or the AME.
    Solidarity(SolidarityCover),
}

/// Third-party payment for care of a given scope on the day. `amo` is
/// `None` when no situation in the answer entitles the patient to it (the
/// professional may still offer it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct ThirdPartyPayment {
    /// Why the AMO share is paid to the professional, if it must be.
    pub amo: Option<ThirdPartyBasis>,
    /// Whether the complementary share can be paid to the professional:
    /// C2S, or a complementary cover in *gestion unique* whose
    /// third-party flag is set.
    pub amc: bool,
}

/// What covers the complementary share on the day.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Complementary<'a> {
    /// Nothing in the answer (the patient may hold a contract the answer
    /// does not show).
    None,
    /// The C2S (with or without contribution).
    C2s(SolidarityCover),
    /// A complementary cover managed with the AMO (*gestion unique*), valid
    /// on the day.
    Amc(&'a ComplementaryCover),
}

/// A rights answer resolved for one day of care: see [`Rights::on`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct RightsOnDate<'a> {
    date: Date,
    amo: AmoStatus,
    coverage: Vec<CoveragePeriod>,
    care_pathway: CarePathway,
    solidarity: Option<SolidarityCover>,
    complementary: Option<&'a ComplementaryCover>,
}

impl Rights {
    /// Resolves the answer for the day of care `date`.
    ///
    /// Period ends are inclusive and open-ended periods never end (see
    /// [`Period`]). When no AMO period covers the day the outcome is
    /// [`AmoStatus::Closed`] (*droits fermés*), a value, not an error. The
    /// day need not be the answer's reference date, but an answer only
    /// tells what the service knew on that date: query again for another
    /// day when in doubt.
    ///
    /// ```
    /// use time::macros::date;
    /// use vitale_adri::{
    ///     AmoRate, AmoStatus, CareScope, CoveragePeriod, CoverageReason, Period, Rate, Rights,
    ///     RightsIdentity,
    /// };
    /// use vitale_ins::{BirthDate, Nir};
    /// use vitale_model::{BirthRank, Organisation, PersonName, QualityCode};
    ///
    /// let identity = RightsIdentity::new(
    ///     Nir::parse("184037510821010")?,
    ///     PersonName::new("MARTIN").unwrap(),
    ///     PersonName::new("JEAN").unwrap(),
    ///     BirthDate::parse("19840315")?,
    ///     BirthRank::new(1).unwrap(),
    /// );
    /// let organisation = Organisation::new("01", "751", "0001").unwrap();
    /// let rights = Rights::builder(date!(2026 - 11 - 21), identity, organisation, QualityCode::new(0).unwrap())
    ///     .amo_period(Period::open(date!(2026 - 01 - 01))?)
    ///     .coverage_period(CoveragePeriod::new(
    ///         Period::new(date!(2025 - 06 - 01), Some(date!(2030 - 05 - 31)))?,
    ///         CoverageReason::LongTermCondition,
    ///         Rate::FULL,
    ///     ))
    ///     .build()?;
    ///
    /// let on = rights.on(date!(2026 - 11 - 21));
    /// assert!(matches!(on.amo(), AmoStatus::Open(_)));
    /// assert_eq!(on.amo_rate(CareScope::General), AmoRate::Standard);
    /// assert_eq!(
    ///     on.amo_rate(CareScope::LongTermCondition),
    ///     AmoRate::Coverage { rate: Rate::FULL, reason: CoverageReason::LongTermCondition },
    /// );
    /// assert!(matches!(rights.on(date!(2025 - 12 - 31)).amo(), AmoStatus::Closed { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on(&self, date: Date) -> RightsOnDate<'_> {
        let amo = match self.amo_periods.iter().find(|p| p.contains(date)) {
            Some(p) => AmoStatus::Open(*p),
            None => AmoStatus::Closed {
                ended: self
                    .amo_periods
                    .iter()
                    .filter_map(|p| p.until())
                    .filter(|u| *u < date)
                    .max(),
                reopens: self
                    .amo_periods
                    .iter()
                    .map(|p| p.from())
                    .filter(|f| *f > date)
                    .min(),
            },
        };
        let declared = self
            .treating_doctor
            .as_ref()
            .is_some_and(|t| t.period().contains(date));
        RightsOnDate {
            date,
            amo,
            coverage: self
                .coverage_periods
                .iter()
                .filter(|c| c.period().contains(date))
                .copied()
                .collect(),
            care_pathway: if declared {
                CarePathway::TreatingDoctorDeclared
            } else {
                CarePathway::NoTreatingDoctor
            },
            // C2S/AME periods never overlap: at most one covers the day.
            solidarity: self
                .solidarity_periods
                .iter()
                .find(|s| s.period().contains(date))
                .map(|s| s.cover()),
            complementary: self
                .complementary
                .iter()
                .find(|c| c.validity().contains(date)),
        }
    }
}

impl<'a> RightsOnDate<'a> {
    /// The day of care.
    pub fn date(&self) -> Date {
        self.date
    }

    /// AMO rights open or closed on the day.
    pub fn amo(&self) -> AmoStatus {
        self.amo
    }

    /// Whether AMO rights are open on the day.
    pub fn is_amo_open(&self) -> bool {
        matches!(self.amo, AmoStatus::Open(_))
    }

    /// Every coverage period in force on the day, whatever care it applies
    /// to, in answer order (to show "ALD en cours", "maternité"…).
    pub fn coverage(&self) -> &[CoveragePeriod] {
        &self.coverage
    }

    /// The AMO rate for care of `scope` on the day: [`AmoRate::Closed`]
    /// when rights are closed; otherwise the highest rate among the
    /// coverages in force that apply to `scope`
    /// ([`CoverageReason::applies_to`]; on a tie, the first in answer
    /// order); otherwise [`AmoRate::Standard`].
    pub fn amo_rate(&self, scope: CareScope) -> AmoRate {
        if !self.is_amo_open() {
            return AmoRate::Closed;
        }
        let mut best: Option<&CoveragePeriod> = None;
        for c in self
            .coverage
            .iter()
            .filter(|c| c.reason().applies_to(scope))
        {
            if best.is_none_or(|b| c.amo_rate() > b.amo_rate()) {
                best = Some(c);
            }
        }
        best.map_or(AmoRate::Standard, |c| AmoRate::Coverage {
            rate: c.amo_rate(),
            reason: c.reason(),
        })
    }

    /// Whether a *médecin traitant* is declared on the day.
    pub fn care_pathway(&self) -> CarePathway {
        self.care_pathway
    }

    /// The C2S or AME cover on the day, if any.
    pub fn solidarity(&self) -> Option<SolidarityCover> {
        self.solidarity
    }

    /// What covers the complementary share: the C2S first (it is the
    /// complementary cover of its beneficiaries), else the first
    /// complementary cover in *gestion unique* valid on the day.
    pub fn complementary(&self) -> Complementary<'a> {
        match (self.solidarity, self.complementary) {
            (Some(s), _) if s.is_c2s() => Complementary::C2s(s),
            (_, Some(c)) => Complementary::Amc(c),
            _ => Complementary::None,
        }
    }

    /// Third-party payment for care of `scope` on the day.
    ///
    /// AMO share: maternity, an ALD (care related to it) and an AT/MP
    /// (care related to it) in force carry it, when rights are open; so do
    /// the C2S (rights open) and the AME. Complementary share: the C2S, or
    /// a cover in *gestion unique* with its third-party flag set. Sources
    /// in `docs/rights.md`.
    pub fn third_party_payment(&self, scope: CareScope) -> ThirdPartyPayment {
        let open = self.is_amo_open();
        let from_coverage = self
            .coverage
            .iter()
            .map(|c| c.reason())
            .filter(|r| r.applies_to(scope))
            .find(|r| {
                matches!(
                    r,
                    CoverageReason::Maternity
                        | CoverageReason::LongTermCondition
                        | CoverageReason::WorkInjury
                )
            })
            .filter(|_| open)
            .map(ThirdPartyBasis::Coverage);
        let from_solidarity = self
            .solidarity
            .filter(|s| open || *s == SolidarityCover::Ame)
            .map(ThirdPartyBasis::Solidarity);
        let amc = match self.complementary() {
            Complementary::C2s(_) => true,
            Complementary::Amc(c) => c.third_party_payment(),
            Complementary::None => false,
        };
        ThirdPartyPayment {
            amo: from_coverage.or(from_solidarity),
            amc,
        }
    }
}

#[cfg(test)]
mod tests;
