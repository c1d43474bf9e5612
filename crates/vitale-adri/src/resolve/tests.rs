//! Table tests of `Rights::on` over period edges: the day before a start,
//! the start, the end, the day after, open-ended periods, overlaps, gaps.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use time::Date;
use time::macros::date;
use vitale_model::{AmcNumber, ComplementaryCover, DateRange, GuaranteeCode};

use crate::fixtures::{builder, closed, open};
use crate::{
    AmoRate, AmoStatus, CarePathway, CareScope, Complementary, CoveragePeriod, CoverageReason,
    Rate, Rights, SolidarityCover, SolidarityPeriod, ThirdPartyBasis, TreatingDoctor,
};

const ALD: CoverageReason = CoverageReason::LongTermCondition;
const MAT: CoverageReason = CoverageReason::Maternity;
const AT: CoverageReason = CoverageReason::WorkInjury;

fn pct(p: u8) -> Rate {
    Rate::from_percent(p).unwrap()
}

/// AMO: 2025-01-01..=2025-06-30, gap, then from 2025-09-01 on.
/// ALD 100 % 2025-03-01..=2025-12-31; maternity 100 % 2025-11-01..=2026-02-12;
/// AT/MP 100 % 2026-01-10..=2026-01-20; invalidity 90 % from 2026-06-01
/// (an answer's own rate, to see the highest rate win).
/// Médecin traitant from 2025-05-01. C2S 2025-04-01..=2025-09-30, AME from
/// 2026-09-01. AMC (gestion unique, third-party) 2026-01-01..=2026-12-31.
fn rights() -> Rights {
    builder()
        .amo_period(closed(date!(2025 - 01 - 01), date!(2025 - 06 - 30)))
        .amo_period(open(date!(2025 - 09 - 01)))
        .coverage_period(CoveragePeriod::new(
            closed(date!(2025 - 03 - 01), date!(2025 - 12 - 31)),
            ALD,
            Rate::FULL,
        ))
        .coverage_period(CoveragePeriod::new(
            closed(date!(2025 - 11 - 01), date!(2026 - 02 - 12)),
            MAT,
            Rate::FULL,
        ))
        .coverage_period(CoveragePeriod::new(
            closed(date!(2026 - 01 - 10), date!(2026 - 01 - 20)),
            AT,
            Rate::FULL,
        ))
        .coverage_period(CoveragePeriod::new(
            open(date!(2026 - 06 - 01)),
            CoverageReason::Invalidity,
            pct(90),
        ))
        .treating_doctor(Some(TreatingDoctor::new(open(date!(2025 - 05 - 01)), None)))
        .solidarity_period(SolidarityPeriod::new(
            closed(date!(2025 - 04 - 01), date!(2025 - 09 - 30)),
            SolidarityCover::C2s,
        ))
        .solidarity_period(SolidarityPeriod::new(
            open(date!(2026 - 09 - 01)),
            SolidarityCover::Ame,
        ))
        .complementary(ComplementaryCover::new(
            AmcNumber::new("75500017").unwrap(),
            GuaranteeCode::new("MUT01").unwrap(),
            DateRange::new(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap(),
            true,
        ))
        .build()
        .unwrap()
}

fn cov(rate: Rate, reason: CoverageReason) -> AmoRate {
    AmoRate::Coverage { rate, reason }
}

/// One row: the day, whether AMO is open, and the AMO rate for general,
/// ALD-related and AT-related care.
struct Row {
    day: Date,
    open: bool,
    general: AmoRate,
    ald: AmoRate,
    at: AmoRate,
}

#[test]
fn amo_rates_over_period_edges() {
    use AmoRate::{Closed, Standard};
    let full = Rate::FULL;
    let rows = [
        // Before any AMO period.
        Row {
            day: date!(2024 - 12 - 31),
            open: false,
            general: Closed,
            ald: Closed,
            at: Closed,
        },
        // First AMO day, no coverage yet.
        Row {
            day: date!(2025 - 01 - 01),
            open: true,
            general: Standard,
            ald: Standard,
            at: Standard,
        },
        // ALD: day before its start, its start.
        Row {
            day: date!(2025 - 02 - 28),
            open: true,
            general: Standard,
            ald: Standard,
            at: Standard,
        },
        Row {
            day: date!(2025 - 03 - 01),
            open: true,
            general: Standard,
            ald: cov(full, ALD),
            at: Standard,
        },
        // Last AMO day of the first period, then the gap: droits fermés even under an ALD.
        Row {
            day: date!(2025 - 06 - 30),
            open: true,
            general: Standard,
            ald: cov(full, ALD),
            at: Standard,
        },
        Row {
            day: date!(2025 - 07 - 01),
            open: false,
            general: Closed,
            ald: Closed,
            at: Closed,
        },
        Row {
            day: date!(2025 - 08 - 31),
            open: false,
            general: Closed,
            ald: Closed,
            at: Closed,
        },
        // Reopening (open-ended period).
        Row {
            day: date!(2025 - 09 - 01),
            open: true,
            general: Standard,
            ald: cov(full, ALD),
            at: Standard,
        },
        // Maternity starts: all care at its rate, overlapping the ALD.
        Row {
            day: date!(2025 - 10 - 31),
            open: true,
            general: Standard,
            ald: cov(full, ALD),
            at: Standard,
        },
        Row {
            day: date!(2025 - 11 - 01),
            open: true,
            general: cov(full, MAT),
            ald: cov(full, ALD),
            at: cov(full, MAT),
        },
        // ALD's last day, then the day after.
        Row {
            day: date!(2025 - 12 - 31),
            open: true,
            general: cov(full, MAT),
            ald: cov(full, ALD),
            at: cov(full, MAT),
        },
        Row {
            day: date!(2026 - 01 - 01),
            open: true,
            general: cov(full, MAT),
            ald: cov(full, MAT),
            at: cov(full, MAT),
        },
        // AT/MP inside maternity: the tie goes to the first in answer order.
        Row {
            day: date!(2026 - 01 - 10),
            open: true,
            general: cov(full, MAT),
            ald: cov(full, MAT),
            at: cov(full, MAT),
        },
        // Maternity's last day and the day after.
        Row {
            day: date!(2026 - 02 - 12),
            open: true,
            general: cov(full, MAT),
            ald: cov(full, MAT),
            at: cov(full, MAT),
        },
        Row {
            day: date!(2026 - 02 - 13),
            open: true,
            general: Standard,
            ald: Standard,
            at: Standard,
        },
        // Invalidity (open-ended, 90 %) applies to all care.
        Row {
            day: date!(2026 - 05 - 31),
            open: true,
            general: Standard,
            ald: Standard,
            at: Standard,
        },
        Row {
            day: date!(2026 - 06 - 01),
            open: true,
            general: cov(pct(90), CoverageReason::Invalidity),
            ald: cov(pct(90), CoverageReason::Invalidity),
            at: cov(pct(90), CoverageReason::Invalidity),
        },
        Row {
            day: date!(2040 - 01 - 01),
            open: true,
            general: cov(pct(90), CoverageReason::Invalidity),
            ald: cov(pct(90), CoverageReason::Invalidity),
            at: cov(pct(90), CoverageReason::Invalidity),
        },
    ];
    let r = rights();
    for row in rows {
        let on = r.on(row.day);
        assert_eq!(on.date(), row.day);
        assert_eq!(on.is_amo_open(), row.open, "{} open", row.day);
        assert_eq!(
            on.amo_rate(CareScope::General),
            row.general,
            "{} general",
            row.day
        );
        assert_eq!(
            on.amo_rate(CareScope::LongTermCondition),
            row.ald,
            "{} ALD",
            row.day
        );
        assert_eq!(on.amo_rate(CareScope::WorkInjury), row.at, "{} AT", row.day);
    }
}

#[test]
fn the_work_injury_rate_applies_to_related_care_only() {
    // Without maternity around it, the AT/MP period stands alone.
    let r = builder()
        .amo_period(open(date!(2026 - 01 - 01)))
        .coverage_period(CoveragePeriod::new(
            closed(date!(2026 - 01 - 10), date!(2026 - 01 - 20)),
            AT,
            Rate::FULL,
        ))
        .build()
        .unwrap();
    for (day, at) in [
        (date!(2026 - 01 - 09), AmoRate::Standard),
        (date!(2026 - 01 - 10), cov(Rate::FULL, AT)),
        (date!(2026 - 01 - 20), cov(Rate::FULL, AT)),
        (date!(2026 - 01 - 21), AmoRate::Standard),
    ] {
        let on = r.on(day);
        assert_eq!(on.amo_rate(CareScope::WorkInjury), at, "{day}");
        assert_eq!(on.amo_rate(CareScope::General), AmoRate::Standard, "{day}");
        assert_eq!(
            on.amo_rate(CareScope::LongTermCondition),
            AmoRate::Standard,
            "{day}"
        );
    }
}

#[test]
fn the_highest_applicable_rate_wins() {
    let r = builder()
        .amo_period(open(date!(2026 - 01 - 01)))
        .coverage_period(CoveragePeriod::new(
            open(date!(2026 - 01 - 01)),
            CoverageReason::Invalidity,
            pct(80),
        ))
        .coverage_period(CoveragePeriod::new(
            open(date!(2026 - 01 - 01)),
            ALD,
            Rate::FULL,
        ))
        .build()
        .unwrap();
    let on = r.on(date!(2026 - 05 - 05));
    assert_eq!(
        on.amo_rate(CareScope::General),
        cov(pct(80), CoverageReason::Invalidity)
    );
    assert_eq!(
        on.amo_rate(CareScope::LongTermCondition),
        cov(Rate::FULL, ALD)
    );
    assert_eq!(on.coverage().len(), 2);
}

#[test]
fn closed_rights_say_when_they_ended_and_reopen() {
    let r = rights();
    assert_eq!(
        r.on(date!(2024 - 12 - 31)).amo(),
        AmoStatus::Closed {
            ended: None,
            reopens: Some(date!(2025 - 01 - 01))
        }
    );
    assert_eq!(
        r.on(date!(2025 - 07 - 01)).amo(),
        AmoStatus::Closed {
            ended: Some(date!(2025 - 06 - 30)),
            reopens: Some(date!(2025 - 09 - 01))
        }
    );
    assert_eq!(
        r.on(date!(2025 - 09 - 01)).amo(),
        AmoStatus::Open(open(date!(2025 - 09 - 01)))
    );
    let none = builder().build().unwrap();
    assert_eq!(
        none.on(date!(2026 - 01 - 01)).amo(),
        AmoStatus::Closed {
            ended: None,
            reopens: None
        }
    );
    assert_eq!(
        none.on(date!(2026 - 01 - 01)).amo_rate(CareScope::General),
        AmoRate::Closed
    );
}

#[test]
fn care_pathway_follows_the_declaration() {
    let r = rights();
    assert_eq!(
        r.on(date!(2025 - 04 - 30)).care_pathway(),
        CarePathway::NoTreatingDoctor
    );
    assert_eq!(
        r.on(date!(2025 - 05 - 01)).care_pathway(),
        CarePathway::TreatingDoctorDeclared
    );
    assert_eq!(
        r.on(date!(2031 - 01 - 01)).care_pathway(),
        CarePathway::TreatingDoctorDeclared
    );
    let ended = builder()
        .treating_doctor(Some(TreatingDoctor::new(
            closed(date!(2020 - 01 - 01), date!(2025 - 12 - 31)),
            None,
        )))
        .build()
        .unwrap();
    assert_eq!(
        ended.on(date!(2025 - 12 - 31)).care_pathway(),
        CarePathway::TreatingDoctorDeclared
    );
    assert_eq!(
        ended.on(date!(2026 - 01 - 01)).care_pathway(),
        CarePathway::NoTreatingDoctor
    );
    assert_eq!(
        builder()
            .build()
            .unwrap()
            .on(date!(2026 - 01 - 01))
            .care_pathway(),
        CarePathway::NoTreatingDoctor
    );
}

#[test]
fn solidarity_complementary_and_third_party_payment() {
    let r = rights();
    let general = CareScope::General;
    // C2S in force and AMO open: C2S is the complementary, third-party both.
    let on = r.on(date!(2025 - 04 - 01));
    assert_eq!(on.solidarity(), Some(SolidarityCover::C2s));
    assert_eq!(on.complementary(), Complementary::C2s(SolidarityCover::C2s));
    let tp = on.third_party_payment(general);
    assert_eq!(
        tp.amo,
        Some(ThirdPartyBasis::Solidarity(SolidarityCover::C2s))
    );
    assert!(tp.amc);
    // ALD-related care on the same day: the ALD is the basis.
    assert_eq!(
        on.third_party_payment(CareScope::LongTermCondition).amo,
        Some(ThirdPartyBasis::Coverage(ALD))
    );
    // C2S in force but AMO closed (the gap): no AMO third-party payment.
    let gap = r.on(date!(2025 - 07 - 01));
    assert_eq!(gap.solidarity(), Some(SolidarityCover::C2s));
    assert_eq!(gap.third_party_payment(general).amo, None);
    // C2S over: nothing for general care before maternity.
    let on = r.on(date!(2025 - 10 - 01));
    assert_eq!(on.solidarity(), None);
    assert_eq!(on.complementary(), Complementary::None);
    assert_eq!(on.third_party_payment(general).amo, None);
    assert!(!on.third_party_payment(general).amc);
    // Maternity: third-party on the AMO share for all care.
    assert_eq!(
        r.on(date!(2025 - 11 - 01)).third_party_payment(general).amo,
        Some(ThirdPartyBasis::Coverage(MAT))
    );
    // AMC in gestion unique with its flag: complementary share too.
    let on = r.on(date!(2026 - 03 - 01));
    assert!(
        matches!(on.complementary(), Complementary::Amc(c) if c.amc_number().as_str() == "75500017")
    );
    assert!(on.third_party_payment(general).amc);
    // Invalidity carries no third-party payment by itself.
    assert_eq!(
        r.on(date!(2026 - 06 - 01)).third_party_payment(general).amo,
        None
    );
    // AME (open-ended) with the AMC still valid.
    let on = r.on(date!(2026 - 09 - 01));
    assert_eq!(on.solidarity(), Some(SolidarityCover::Ame));
    assert_eq!(
        on.third_party_payment(general).amo,
        Some(ThirdPartyBasis::Solidarity(SolidarityCover::Ame))
    );
    // AMC validity ended; AME only.
    let on = r.on(date!(2027 - 01 - 01));
    assert_eq!(on.complementary(), Complementary::None);
    assert!(!on.third_party_payment(general).amc);
}

#[test]
fn ame_gives_third_party_payment_even_without_amo() {
    let r = builder()
        .solidarity_period(SolidarityPeriod::new(
            open(date!(2026 - 01 - 01)),
            SolidarityCover::Ame,
        ))
        .build()
        .unwrap();
    let on = r.on(date!(2026 - 01 - 01));
    assert!(!on.is_amo_open());
    assert_eq!(on.amo_rate(CareScope::General), AmoRate::Closed);
    assert_eq!(
        on.third_party_payment(CareScope::General).amo,
        Some(ThirdPartyBasis::Solidarity(SolidarityCover::Ame))
    );
    assert_eq!(
        r.on(date!(2025 - 12 - 31))
            .third_party_payment(CareScope::General)
            .amo,
        None
    );
}

#[test]
fn an_amc_without_third_party_flag_is_shown_but_not_paid_directly() {
    let r = builder()
        .amo_period(open(date!(2026 - 01 - 01)))
        .complementary(ComplementaryCover::new(
            AmcNumber::new("1234").unwrap(),
            GuaranteeCode::new("G1").unwrap(),
            DateRange::new(date!(2026 - 01 - 01), date!(2026 - 01 - 31)).unwrap(),
            false,
        ))
        .build()
        .unwrap();
    for (day, shown) in [
        (date!(2025 - 12 - 31), false),
        (date!(2026 - 01 - 01), true),
        (date!(2026 - 01 - 31), true),
        (date!(2026 - 02 - 01), false),
    ] {
        let on = r.on(day);
        assert_eq!(
            matches!(on.complementary(), Complementary::Amc(_)),
            shown,
            "{day}"
        );
        assert!(!on.third_party_payment(CareScope::General).amc, "{day}");
    }
}
