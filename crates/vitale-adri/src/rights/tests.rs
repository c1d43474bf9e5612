#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use time::macros::date;
use vitale_model::{AmcNumber, ComplementaryCover, DateRange, GuaranteeCode};

use crate::fixtures::{builder, closed, open};
use crate::{
    CoveragePeriod, CoverageReason, Error, Rate, Rights, SolidarityCover, SolidarityPeriod,
};

fn amc() -> ComplementaryCover {
    ComplementaryCover::new(
        AmcNumber::new("75500017").unwrap(),
        GuaranteeCode::new("MUT01").unwrap(),
        DateRange::new(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap(),
        true,
    )
}

#[test]
fn a_full_answer_keeps_everything_in_order() {
    let ald = CoveragePeriod::new(
        closed(date!(2025 - 06 - 01), date!(2030 - 05 - 31)),
        CoverageReason::LongTermCondition,
        Rate::FULL,
    );
    let r = builder()
        .amo_period(closed(date!(2025 - 01 - 01), date!(2025 - 12 - 31)))
        .amo_period(open(date!(2026 - 01 - 01)))
        .coverage_period(ald)
        .solidarity_period(SolidarityPeriod::new(
            closed(date!(2026 - 04 - 01), date!(2027 - 03 - 31)),
            SolidarityCover::C2s,
        ))
        .complementary(amc())
        .build()
        .unwrap();
    assert_eq!(r.amo_periods().len(), 2);
    assert_eq!(r.amo_periods()[1], open(date!(2026 - 01 - 01)));
    assert_eq!(r.coverage_periods(), &[ald]);
    assert_eq!(r.solidarity_periods()[0].cover(), SolidarityCover::C2s);
    assert_eq!(r.complementary(), &[amc()]);
    assert_eq!(r.reference_date(), date!(2026 - 11 - 21));
    assert_eq!(r.organisation().fund(), "751");
}

#[test]
fn lists_are_bounded() {
    let mut b = builder();
    for _ in 0..Rights::MAX_PERIODS {
        b = b.amo_period(open(date!(2026 - 01 - 01)));
    }
    assert!(b.clone().build().is_ok());
    assert_eq!(
        b.amo_period(open(date!(2026 - 01 - 01))).build(),
        Err(Error::TooMany {
            what: "AMO periods",
            found: Rights::MAX_PERIODS + 1,
            max: Rights::MAX_PERIODS
        })
    );
    let mut b = builder();
    for _ in 0..=Rights::MAX_COMPLEMENTARY {
        b = b.complementary(amc());
    }
    assert!(matches!(b.build(), Err(Error::TooMany { .. })));
    let mut b = builder();
    for _ in 0..=Rights::MAX_PERIODS {
        b = b.coverage_period(CoveragePeriod::new(
            open(date!(2026 - 01 - 01)),
            CoverageReason::Invalidity,
            Rate::FULL,
        ));
    }
    assert!(matches!(b.build(), Err(Error::TooMany { .. })));
}

#[test]
fn c2s_and_ame_periods_must_not_overlap() {
    let c2s = SolidarityPeriod::new(
        closed(date!(2026 - 01 - 01), date!(2026 - 06 - 30)),
        SolidarityCover::C2s,
    );
    let ame_next_day = SolidarityPeriod::new(open(date!(2026 - 07 - 01)), SolidarityCover::Ame);
    let ame_same_day = SolidarityPeriod::new(open(date!(2026 - 06 - 30)), SolidarityCover::Ame);
    assert!(
        builder()
            .solidarity_period(c2s)
            .solidarity_period(ame_next_day)
            .build()
            .is_ok()
    );
    assert_eq!(
        builder()
            .solidarity_period(c2s)
            .solidarity_period(ame_same_day)
            .build()
            .unwrap_err(),
        Error::Overlap("C2S/AME periods")
    );
}

#[test]
fn coverage_and_amo_periods_may_overlap() {
    // An ALD and a maternity can be in force together; AMO periods may be
    // given twice. Rights::on decides between them.
    let r = builder()
        .amo_period(open(date!(2026 - 01 - 01)))
        .amo_period(closed(date!(2026 - 01 - 01), date!(2026 - 12 - 31)))
        .coverage_period(CoveragePeriod::new(
            open(date!(2026 - 01 - 01)),
            CoverageReason::LongTermCondition,
            Rate::FULL,
        ))
        .coverage_period(CoveragePeriod::new(
            open(date!(2026 - 03 - 01)),
            CoverageReason::Maternity,
            Rate::FULL,
        ))
        .build();
    assert!(r.is_ok());
}

#[test]
fn debug_redacts_personal_data() {
    let r = builder().build().unwrap();
    let debug = format!("{r:?}");
    for secret in ["184037510821010", "MARTIN", "JEAN", "19840315"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

#[test]
fn codes_round_trip() {
    for r in CoverageReason::ALL {
        assert_eq!(CoverageReason::from_code(r.code()), Some(r));
    }
    for c in SolidarityCover::ALL {
        assert_eq!(SolidarityCover::from_code(c.code()), Some(c));
    }
    assert_eq!(CoverageReason::from_code("ALD"), None);
    assert_eq!(SolidarityCover::from_code("cmu"), None);
}
