//! The parts of a rights answer: the identity the service answered, the
//! coverage periods (exemptions), the solidarity covers (C2S, AME) and the
//! declared *médecin traitant*.

use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, PersonName};

use crate::{Period, Rate, Rpps};

/// The beneficiary as the rights service identified them. `Debug` redacts
/// the NIRs, names and birth date.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct RightsIdentity {
    insured_nir: Nir,
    beneficiary_nir: Option<Nir>,
    birth_name: PersonName,
    usual_name: Option<PersonName>,
    first_names: PersonName,
    birth_date: BirthDate,
    birth_rank: BirthRank,
}

impl RightsIdentity {
    /// An identity; add the beneficiary's own NIR and usual name with
    /// [`RightsIdentity::with_beneficiary_nir`] and
    /// [`RightsIdentity::with_usual_name`].
    pub fn new(
        insured_nir: Nir,
        birth_name: PersonName,
        first_names: PersonName,
        birth_date: BirthDate,
        birth_rank: BirthRank,
    ) -> Self {
        RightsIdentity {
            insured_nir,
            beneficiary_nir: None,
            birth_name,
            usual_name: None,
            first_names,
            birth_date,
            birth_rank,
        }
    }

    /// Sets (or clears) the beneficiary's own certified NIR.
    pub fn with_beneficiary_nir(mut self, nir: Option<Nir>) -> Self {
        self.beneficiary_nir = nir;
        self
    }

    /// Sets (or clears) the *nom d'usage*.
    pub fn with_usual_name(mut self, name: Option<PersonName>) -> Self {
        self.usual_name = name;
        self
    }

    /// The insured person's NIR (*NIR de l'ouvrant droit*).
    pub fn insured_nir(&self) -> &Nir {
        &self.insured_nir
    }

    /// The beneficiary's own certified NIR, when they have one.
    pub fn beneficiary_nir(&self) -> Option<&Nir> {
        self.beneficiary_nir.as_ref()
    }

    /// *Nom de naissance*.
    pub fn birth_name(&self) -> &PersonName {
        &self.birth_name
    }

    /// *Nom d'usage*, when it differs.
    pub fn usual_name(&self) -> Option<&PersonName> {
        self.usual_name.as_ref()
    }

    /// *Prénoms*.
    pub fn first_names(&self) -> &PersonName {
        &self.first_names
    }

    /// *Date de naissance*, possibly lunar.
    pub fn birth_date(&self) -> &BirthDate {
        &self.birth_date
    }

    /// *Rang de naissance*.
    pub fn birth_rank(&self) -> BirthRank {
        self.birth_rank
    }
}

/// Why the AMO covers care at a rate of its own during a period:
/// an exemption from the *ticket modérateur* (*exonération*) or the
/// nature of insurance (*nature d'assurance*) that carries it.
///
/// Only situations whose rule is public are listed (sources in
/// `docs/rights.md`); the variant says to which care the rate applies
/// ([`CoverageReason::applies_to`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum CoverageReason {
    /// *Affection de longue durée* (ALD) exonérante: the rate applies to
    /// care related to the condition only.
    LongTermCondition,
    /// *Assurance maternité* (from the first day of the 6th month of
    /// pregnancy to the 12th day after birth): the rate applies to all
    /// reimbursable care, related to the pregnancy or not.
    Maternity,
    /// *Accident du travail / maladie professionnelle* (AT/MP): the rate
    /// applies to care related to the accident or disease only.
    WorkInjury,
    /// *Pension d'invalidité*: the rate applies to all care.
    Invalidity,
}

impl CoverageReason {
    /// Every reason, in declaration order.
    pub const ALL: [CoverageReason; 4] = [
        CoverageReason::LongTermCondition,
        CoverageReason::Maternity,
        CoverageReason::WorkInjury,
        CoverageReason::Invalidity,
    ];

    /// The reason's code in the JSON shape: `ald`, `maternity`,
    /// `work_injury`, `invalidity`.
    pub fn code(self) -> &'static str {
        match self {
            CoverageReason::LongTermCondition => "ald",
            CoverageReason::Maternity => "maternity",
            CoverageReason::WorkInjury => "work_injury",
            CoverageReason::Invalidity => "invalidity",
        }
    }

    /// The reason of a JSON code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this reason's rate applies to care of the given scope:
    /// maternity and invalidity to all care, an ALD to care related to the
    /// condition, AT/MP to care related to the accident or disease.
    pub fn applies_to(self, scope: crate::CareScope) -> bool {
        use crate::CareScope;
        match self {
            CoverageReason::Maternity | CoverageReason::Invalidity => true,
            CoverageReason::LongTermCondition => scope == CareScope::LongTermCondition,
            CoverageReason::WorkInjury => scope == CareScope::WorkInjury,
        }
    }
}

/// A period during which the AMO covers care at `amo_rate` for `reason`
/// (*période d'exonération*, ALD, maternité, AT/MP…), the rate as the
/// service answered it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct CoveragePeriod {
    period: Period,
    reason: CoverageReason,
    amo_rate: Rate,
}

impl CoveragePeriod {
    /// A coverage period.
    pub fn new(period: Period, reason: CoverageReason, amo_rate: Rate) -> Self {
        CoveragePeriod {
            period,
            reason,
            amo_rate,
        }
    }

    /// The days covered.
    pub fn period(&self) -> Period {
        self.period
    }

    /// Why.
    pub fn reason(&self) -> CoverageReason {
        self.reason
    }

    /// The AMO rate the service gives for care under this cover.
    pub fn amo_rate(&self) -> Rate {
        self.amo_rate
    }
}

/// A solidarity cover managed with the AMO.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum SolidarityCover {
    /// *Complémentaire santé solidaire* without financial contribution:
    /// the complementary share is covered, with third-party payment.
    C2s,
    /// *Complémentaire santé solidaire* with a financial contribution
    /// (*avec participation financière*): same cover, paid by a small
    /// monthly contribution.
    C2sWithContribution,
    /// *Aide médicale de l'État* (AME).
    Ame,
}

impl SolidarityCover {
    /// Every cover, in declaration order.
    pub const ALL: [SolidarityCover; 3] = [
        SolidarityCover::C2s,
        SolidarityCover::C2sWithContribution,
        SolidarityCover::Ame,
    ];

    /// The cover's code in the JSON shape: `c2s`, `c2s_contribution`,
    /// `ame`.
    pub fn code(self) -> &'static str {
        match self {
            SolidarityCover::C2s => "c2s",
            SolidarityCover::C2sWithContribution => "c2s_contribution",
            SolidarityCover::Ame => "ame",
        }
    }

    /// The cover of a JSON code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether this is the C2S (with or without contribution).
    pub fn is_c2s(self) -> bool {
        matches!(
            self,
            SolidarityCover::C2s | SolidarityCover::C2sWithContribution
        )
    }
}

/// A period of C2S or AME (*période de C2S / d'AME*).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct SolidarityPeriod {
    period: Period,
    cover: SolidarityCover,
}

impl SolidarityPeriod {
    /// A solidarity period.
    pub fn new(period: Period, cover: SolidarityCover) -> Self {
        SolidarityPeriod { period, cover }
    }

    /// The days covered.
    pub fn period(&self) -> Period {
        self.period
    }

    /// Which cover.
    pub fn cover(&self) -> SolidarityCover {
        self.cover
    }
}

/// The declaration of a *médecin traitant* (treating doctor), which
/// decides whether care is inside the *parcours de soins coordonnés*.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct TreatingDoctor {
    period: Period,
    rpps: Option<Rpps>,
}

impl TreatingDoctor {
    /// A declaration valid during `period`, naming the doctor by RPPS when
    /// the service does.
    pub fn new(period: Period, rpps: Option<Rpps>) -> Self {
        TreatingDoctor { period, rpps }
    }

    /// The days the declaration holds.
    pub fn period(&self) -> Period {
        self.period
    }

    /// The declared doctor's RPPS number, when given.
    pub fn rpps(&self) -> Option<&Rpps> {
        self.rpps.as_ref()
    }
}
