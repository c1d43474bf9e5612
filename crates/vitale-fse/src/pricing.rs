//! The amounts of a visit: for each act, the fee, the *base de
//! remboursement*, the AMO rate and share, the AMC share and what is left
//! to the patient; for the visit, the *participation forfaitaire*, the
//! *franchise*, third-party payment and what the patient pays at the desk.
//!
//! Every rule is public and cited in `docs/fse.md`; what the official FSE
//! does beyond them is not modelled (this is not a CNDA-approved FSE).
//! Invariants, checked by property tests: for every act and for the
//! totals, AMO share + AMC share + patient share = fee; no amount is
//! negative (the types cannot hold one).

use time::Date;
use vitale_adri::{
    AmoRate, CarePathway, CareScope, Complementary, CoverageReason, RightsOnDate, SolidarityCover,
};
use vitale_ins::BirthDate;

use crate::Error;
use crate::act::Act;
use crate::money::{Cents, Rate};
use crate::tariff::{Grid, RowKind, TariffTable, TariffZone};

/// The kind of professional, for the rules that depend on it. Only kinds
/// whose rates have a public source here are listed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Profession {
    /// A physician (*médecin*), general practitioner or specialist.
    Physician,
    /// An auxiliary (*auxiliaire médical*: nurse, physiotherapist…).
    Auxiliary,
}

/// The professional's convention sector (*secteur conventionnel*).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Sector {
    /// Sector 1: convention tariffs, no extra fee.
    One,
    /// Sector 2 under OPTAM / OPTAM-CO.
    TwoOptam,
    /// Sector 2 without OPTAM.
    Two,
}

impl Sector {
    /// The tariff grid of the sector.
    pub fn grid(self) -> Grid {
        match self {
            Sector::One | Sector::TwoOptam => Grid::Optam,
            Sector::Two => Grid::NonOptam,
        }
    }
}

/// How the visit stands in the *parcours de soins coordonnés*, as the
/// physician states it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Pathway {
    /// The physician is the patient's *médecin traitant*.
    TreatingDoctor,
    /// Referred by the *médecin traitant* (*adressé*).
    Referred,
    /// A specialty open without referral (*accès direct spécifique*).
    DirectAccess,
    /// An emergency.
    Emergency,
    /// None of the above: outside the pathway.
    Outside,
}

/// Why an act has the AMO rate it has.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum RateReason {
    /// A physician's act within the pathway (or a patient under 16).
    Pathway,
    /// A physician's act outside the pathway.
    OutsidePathway,
    /// An auxiliary's act.
    Auxiliary,
    /// A coverage from the rights (ALD, maternity, AT/MP, invalidity).
    Coverage(CoverageReason),
    /// The AME (*aide médicale de l'État*) pays the base in full.
    Ame,
}

/// Why a deduction (participation forfaitaire, franchise) is not applied.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Exemption {
    /// The rule does not concern this profession.
    Profession,
    /// The patient is under 18 on the day of care.
    Minor,
    /// Maternity coverage in force.
    Maternity,
    /// C2S or AME.
    Solidarity(SolidarityCover),
}

/// The patient facts the rules need beyond the rights.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Patient {
    /// Certainly under 18 on the day of care.
    pub(crate) minor: bool,
    /// Certainly under 16 (outside the *parcours de soins* rules).
    pub(crate) under_16: bool,
}

impl Patient {
    pub(crate) fn on(birth: &BirthDate, date: Date) -> Patient {
        Patient {
            minor: certainly_under(birth, date, 18),
            under_16: certainly_under(birth, date, 16),
        }
    }
}

/// Whether the person is certainly under `years` on `date`: even born on
/// the earliest day the (possibly lunar) birth date allows, the birthday
/// is after `date`.
fn certainly_under(birth: &BirthDate, date: Date, years: u8) -> bool {
    // A lunar date's unknown month or day (00) is read as the earliest.
    let known_month = (1..=12).contains(&birth.month());
    let earliest_month = if known_month { birth.month() } else { 1 };
    let day = if !known_month || birth.day() == 0 {
        1
    } else {
        birth.day()
    };
    let born = (i32::from(birth.year()), earliest_month, day);
    let on = (date.year(), u8::from(date.month()), date.day());
    // Under `years` iff the `years`-th birthday is after `date`.
    (born.0 + i32::from(years), born.1, born.2) > on
}

/// One act's amounts.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct LineAmounts {
    /// The act.
    pub act: Act,
    /// The tariff row's price (for NGAP, of the key letter).
    pub unit_price: Cents,
    /// *Base de remboursement*: the tariff times the coefficient.
    pub base: Cents,
    /// Extra fee above the base (*dépassement d'honoraires*).
    pub extra_fee: Cents,
    /// What the professional charges: base + extra fee.
    pub fee: Cents,
    /// The AMO rate.
    pub amo_rate: Rate,
    /// Why.
    pub rate_reason: RateReason,
    /// AMO share (*part obligatoire*): base × rate, rounded half up.
    pub amo: Cents,
    /// AMC share (*part complémentaire*): the rest of the base when the
    /// complementary cover (AMC in gestion unique, or C2S) pays it.
    pub amc: Cents,
    /// What is left to the patient: fee − AMO − AMC.
    pub patient: Cents,
    /// The tariff row's source.
    pub tariff_source: String,
}

/// One act to bill, with its extra fee and what care it relates to.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ActLine {
    /// The act.
    pub act: Act,
    /// Extra fee (*dépassement*), zero by default.
    pub extra_fee: Cents,
    /// What the care relates to (for ALD / AT-MP rates).
    pub scope: CareScope,
}

impl ActLine {
    /// An act with no extra fee, related to no particular condition.
    pub fn new(act: Act) -> Self {
        ActLine {
            act,
            extra_fee: Cents::ZERO,
            scope: CareScope::General,
        }
    }

    /// Sets the extra fee.
    pub fn with_extra_fee(mut self, extra: Cents) -> Self {
        self.extra_fee = extra;
        self
    }

    /// Sets what the care relates to.
    pub fn with_scope(mut self, scope: CareScope) -> Self {
        self.scope = scope;
        self
    }
}

/// Everything the rules need for one visit.
pub(crate) struct Rules<'r, 'a> {
    pub(crate) table: &'r TariffTable,
    pub(crate) profession: Profession,
    pub(crate) sector: Sector,
    pub(crate) zone: TariffZone,
    pub(crate) pathway: Pathway,
    pub(crate) rights: &'r RightsOnDate<'a>,
    pub(crate) patient: Patient,
}

impl Rules<'_, '_> {
    fn date(&self) -> Date {
        self.rights.date()
    }

    /// The amounts of one act.
    pub(crate) fn line(&self, line: &ActLine) -> Result<LineAmounts, Error> {
        let (kind, coefficient) = match &line.act {
            Act::Ngap { coefficient, .. } => (RowKind::Ngap, coefficient.hundredths()),
            Act::Ccam(c) if !c.modifiers().is_empty() => return Err(Error::ModifierNotAllowed),
            Act::Ccam(_) => (RowKind::Ccam, 100),
        };
        let code = line.act.tariff_code();
        let row = self
            .table
            .find(kind, &code, self.zone, self.sector.grid(), self.date())
            .ok_or(Error::ActUnknownOnDate)?;
        let base = row
            .price()
            .times_hundredths(coefficient)
            .ok_or(Error::AmountTooLarge)?;
        let solidarity = self.rights.solidarity();
        if line.extra_fee > Cents::ZERO && (self.sector == Sector::One || solidarity.is_some()) {
            return Err(Error::ExtraFeeNotAllowed);
        }
        let fee = base
            .checked_add(line.extra_fee)
            .ok_or(Error::AmountTooLarge)?;
        let (amo_rate, rate_reason) = self.rate(line.scope)?;
        let amo = base.percent(amo_rate);
        let amc = match self.rights.complementary() {
            Complementary::None => Cents::ZERO,
            _ if rate_reason == RateReason::Ame => Cents::ZERO,
            _ => base.saturating_sub(amo),
        };
        // fee ≥ base ≥ amo + amc, so the patient's share is never negative.
        let patient = fee.saturating_sub(amo).saturating_sub(amc);
        Ok(LineAmounts {
            act: line.act.clone(),
            unit_price: row.price(),
            base,
            extra_fee: line.extra_fee,
            fee,
            amo_rate,
            rate_reason,
            amo,
            amc,
            patient,
            tariff_source: row.source().to_owned(),
        })
    }

    /// The AMO rate of an act of `scope`.
    fn rate(&self, scope: CareScope) -> Result<(Rate, RateReason), Error> {
        if self.rights.solidarity() == Some(SolidarityCover::Ame) {
            return Ok((Rate::FULL, RateReason::Ame));
        }
        match self.rights.amo_rate(scope) {
            AmoRate::Closed => Err(Error::RightsClosed),
            AmoRate::Coverage { rate, reason } => Ok((rate, RateReason::Coverage(reason))),
            _ => Ok(self.standard_rate()),
        }
    }

    fn standard_rate(&self) -> (Rate, RateReason) {
        let percent = |p| Rate::from_percent(p).unwrap_or(Rate::ZERO);
        match self.profession {
            Profession::Auxiliary => (percent(60), RateReason::Auxiliary),
            Profession::Physician => {
                let declared = self.rights.care_pathway() == CarePathway::TreatingDoctorDeclared;
                let within = self.patient.under_16
                    || match self.pathway {
                        Pathway::TreatingDoctor | Pathway::Referred => declared,
                        Pathway::DirectAccess | Pathway::Emergency => true,
                        Pathway::Outside => false,
                    };
                if within {
                    (percent(70), RateReason::Pathway)
                } else {
                    (percent(30), RateReason::OutsidePathway)
                }
            }
        }
    }

    /// Why the patient is exempt from participation and franchise, if so.
    fn exemption(&self) -> Option<Exemption> {
        if self.patient.minor {
            return Some(Exemption::Minor);
        }
        if let Some(s) = self.rights.solidarity() {
            return Some(Exemption::Solidarity(s));
        }
        self.rights
            .coverage()
            .iter()
            .any(|c| c.reason() == CoverageReason::Maternity)
            .then_some(Exemption::Maternity)
    }

    /// The deductions of the visit: (participation forfaitaire, franchise).
    pub(crate) fn deductions(&self, lines: usize) -> Result<(Deduction, Deduction), Error> {
        let exempt = self.exemption();
        let rule = |kind: RowKind,
                    concerned: bool,
                    cap: Option<(usize, u32)>|
         -> Result<Deduction, Error> {
            if !concerned {
                return Ok(Deduction::Exempt(Exemption::Profession));
            }
            if let Some(e) = exempt {
                return Ok(Deduction::Exempt(e));
            }
            let row = self
                .table
                .find(kind, "-", self.zone, Grid::All, self.date())
                .ok_or(Error::RuleUnknownOnDate)?;
            let (max_count, max_cents) = cap.unwrap_or((lines, u32::MAX));
            let count = lines.min(max_count);
            let total = (0..count).try_fold(Cents::ZERO, |sum, _| sum.checked_add(row.price()));
            let total = total.ok_or(Error::AmountTooLarge)?;
            let total = total.min(Cents::new(max_cents).unwrap_or(Cents::MAX));
            Ok(Deduction::Applied {
                count,
                amount: total,
                source: row.source().to_owned(),
            })
        };
        let physician = self.profession == Profession::Physician;
        // At most 4 participations a day with one professional; franchise
        // on paramedical acts capped at 4 EUR a day (docs/fse.md).
        let participation = rule(RowKind::Participation, physician, Some((4, u32::MAX)))?;
        let franchise = rule(RowKind::FranchiseAct, !physician, Some((usize::MAX, 400)))?;
        Ok((participation, franchise))
    }
}

/// A deduction of the visit: applied (how many acts, how much, the
/// source of the amount) or exempt (why).
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Deduction {
    /// Applied.
    Applied {
        /// Number of acts it applies to.
        count: usize,
        /// Total amount.
        amount: Cents,
        /// The tariff row's source.
        source: String,
    },
    /// Not applied, and why.
    Exempt(Exemption),
}

impl Deduction {
    /// The amount (zero when exempt).
    pub fn amount(&self) -> Cents {
        match self {
            Deduction::Applied { amount, .. } => *amount,
            Deduction::Exempt(_) => Cents::ZERO,
        }
    }
}

#[cfg(test)]
mod tests;
