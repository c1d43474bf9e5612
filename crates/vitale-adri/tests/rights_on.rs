//! Properties of `Rights::on`: it never panics, agrees with the periods it
//! was given, and on a day inside exactly one period gives that period's
//! outcome.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};
use vitale_adri::{
    AmoRate, AmoStatus, CarePathway, CareScope, CoveragePeriod, CoverageReason, Period, Rate,
    Rights, RightsIdentity, TreatingDoctor,
};
use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, Organisation, PersonName, QualityCode};

const SCOPES: [CareScope; 3] = [
    CareScope::General,
    CareScope::LongTermCondition,
    CareScope::WorkInjury,
];

fn builder() -> vitale_adri::RightsBuilder {
    Rights::builder(
        date!(2026 - 11 - 21),
        RightsIdentity::new(
            Nir::parse("184037510821010").unwrap(),
            PersonName::new("MARTIN").unwrap(),
            PersonName::new("JEAN").unwrap(),
            BirthDate::parse("19840315").unwrap(),
            BirthRank::new(1).unwrap(),
        ),
        Organisation::new("01", "751", "0001").unwrap(),
        QualityCode::new(0).unwrap(),
    )
}

fn day(offset: i64) -> Date {
    date!(2020 - 01 - 01) + Duration::days(offset)
}

fn arb_period() -> impl Strategy<Value = Period> {
    (0i64..4_000, proptest::option::of(0i64..800))
        .prop_map(|(start, len)| Period::new(day(start), len.map(|l| day(start + l))).unwrap())
}

fn arb_coverage() -> impl Strategy<Value = CoveragePeriod> {
    (arb_period(), 0usize..4, 0u16..=10_000).prop_map(|(p, r, bp)| {
        CoveragePeriod::new(
            p,
            CoverageReason::ALL[r],
            Rate::from_basis_points(bp).unwrap(),
        )
    })
}

/// Disjoint closed periods separated by gaps of at least one day.
fn arb_disjoint() -> impl Strategy<Value = Vec<Period>> {
    proptest::collection::vec((0i64..400, 1i64..200), 1..8).prop_map(|parts| {
        let mut at = 0i64;
        parts
            .into_iter()
            .map(|(len, gap)| {
                let p = Period::new(day(at), Some(day(at + len))).unwrap();
                at += len + 1 + gap;
                p
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn on_never_panics_and_agrees_with_its_periods(
        amo in proptest::collection::vec(arb_period(), 0..8),
        coverage in proptest::collection::vec(arb_coverage(), 0..8),
        doctor in proptest::option::of(arb_period()),
        offset in -100i64..5_000,
    ) {
        let mut b = builder();
        for p in &amo {
            b = b.amo_period(*p);
        }
        for c in &coverage {
            b = b.coverage_period(*c);
        }
        let r = b.treating_doctor(doctor.map(|p| TreatingDoctor::new(p, None))).build().unwrap();
        let d = day(offset);
        let on = r.on(d);
        let open = amo.iter().any(|p| p.contains(d));
        prop_assert_eq!(on.is_amo_open(), open);
        if let AmoStatus::Closed { ended, reopens } = on.amo() {
            prop_assert!(ended.is_none_or(|e| e < d));
            prop_assert!(reopens.is_none_or(|s| s > d));
        }
        let in_force: Vec<CoveragePeriod> =
            coverage.iter().filter(|c| c.period().contains(d)).copied().collect();
        prop_assert_eq!(on.coverage(), &in_force[..]);
        prop_assert_eq!(
            on.care_pathway() == CarePathway::TreatingDoctorDeclared,
            doctor.is_some_and(|p| p.contains(d))
        );
        for scope in SCOPES {
            match on.amo_rate(scope) {
                AmoRate::Closed => prop_assert!(!open),
                AmoRate::Standard => {
                    prop_assert!(open);
                    prop_assert!(!in_force.iter().any(|c| c.reason().applies_to(scope)));
                }
                AmoRate::Coverage { rate, reason } => {
                    prop_assert!(open);
                    prop_assert!(reason.applies_to(scope));
                    // The highest rate among the applicable ones.
                    let best = in_force
                        .iter()
                        .filter(|c| c.reason().applies_to(scope))
                        .map(|c| c.amo_rate())
                        .max();
                    prop_assert_eq!(Some(rate), best);
                }
                _ => prop_assert!(false, "unknown outcome"),
            }
            let _ = on.third_party_payment(scope);
        }
        let _ = on.complementary();
    }

    #[test]
    fn a_day_inside_exactly_one_period_gets_that_period(
        periods in arb_disjoint(),
        pick in any::<prop::sample::Index>(),
        within in any::<prop::sample::Index>(),
        reason in 0usize..4,
        bp in 0u16..=10_000,
    ) {
        let chosen = periods[pick.index(periods.len())];
        let until = chosen.until().unwrap();
        let len = usize::try_from((until - chosen.from()).whole_days()).unwrap();
        let offset = i64::try_from(within.index(len + 1)).unwrap();
        let d = chosen.from() + Duration::days(offset);
        let reason = CoverageReason::ALL[reason];
        let rate = Rate::from_basis_points(bp).unwrap();
        let mut b = builder();
        for p in &periods {
            b = b.amo_period(*p).coverage_period(CoveragePeriod::new(*p, reason, rate));
        }
        let r = b.build().unwrap();
        let on = r.on(d);
        prop_assert_eq!(on.amo(), AmoStatus::Open(chosen));
        prop_assert_eq!(on.coverage(), &[CoveragePeriod::new(chosen, reason, rate)][..]);
        for scope in SCOPES {
            let expected = if reason.applies_to(scope) {
                AmoRate::Coverage { rate, reason }
            } else {
                AmoRate::Standard
            };
            prop_assert_eq!(on.amo_rate(scope), expected);
        }
        // The day after the chosen period is in a gap: rights closed,
        // ended on the chosen period's last day.
        let after = r.on(until + Duration::days(1));
        prop_assert_eq!(after.amo_rate(CareScope::General), AmoRate::Closed);
        let ended_on_until =
            matches!(after.amo(), AmoStatus::Closed { ended: Some(e), .. } if e == until);
        prop_assert!(ended_on_until, "closed after the period");
        // The day before the first period: closed, nothing ended yet.
        let before = r.on(periods[0].from() - Duration::days(1));
        let closed_before =
            matches!(before.amo(), AmoStatus::Closed { ended: None, reopens: Some(_) });
        prop_assert!(closed_before, "closed before the first period");
    }
}
