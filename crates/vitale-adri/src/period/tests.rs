#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use time::macros::date;

use super::{Period, Rate};
use crate::Error;

#[test]
fn both_ends_are_included() {
    let p = Period::new(date!(2026 - 03 - 01), Some(date!(2026 - 03 - 31))).unwrap();
    let cases = [
        (date!(2026 - 02 - 28), false), // day before the start
        (date!(2026 - 03 - 01), true),  // start
        (date!(2026 - 03 - 15), true),
        (date!(2026 - 03 - 31), true),  // end (date de fin, inclusive)
        (date!(2026 - 04 - 01), false), // day after the end
    ];
    for (day, expected) in cases {
        assert_eq!(p.contains(day), expected, "{day}");
    }
}

#[test]
fn a_one_day_period_covers_that_day_only() {
    let d = date!(2026 - 03 - 01);
    let p = Period::new(d, Some(d)).unwrap();
    assert!(p.contains(d));
    assert!(!p.contains(d.previous_day().unwrap()));
    assert!(!p.contains(d.next_day().unwrap()));
}

#[test]
fn open_ended_periods_never_end() {
    let p = Period::open(date!(2026 - 01 - 01)).unwrap();
    assert!(p.is_open_ended());
    assert!(!p.contains(date!(2025 - 12 - 31)));
    assert!(p.contains(date!(2026 - 01 - 01)));
    assert!(p.contains(date!(9999 - 12 - 31)));
}

#[test]
fn reversed_periods_and_unwritable_years_are_refused() {
    assert_eq!(
        Period::new(date!(2026 - 01 - 02), Some(date!(2026 - 01 - 01))),
        Err(Error::PeriodReversed("period"))
    );
    assert!(matches!(
        Period::new(date!(-0001 - 12 - 31), None),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn overlap_is_symmetric_and_counts_shared_end_days() {
    let jan = Period::new(date!(2026 - 01 - 01), Some(date!(2026 - 01 - 31))).unwrap();
    let feb = Period::new(date!(2026 - 02 - 01), Some(date!(2026 - 02 - 28))).unwrap();
    let jan31 = Period::new(date!(2026 - 01 - 31), Some(date!(2026 - 02 - 10))).unwrap();
    let from_feb = Period::open(date!(2026 - 02 - 01)).unwrap();
    let from_2025 = Period::open(date!(2025 - 01 - 01)).unwrap();
    let cases = [
        (jan, feb, false),  // adjacent, no shared day
        (jan, jan31, true), // share 2026-01-31
        (jan, from_feb, false),
        (feb, from_feb, true),
        (from_feb, from_2025, true), // two open-ended periods
        (jan, jan, true),
    ];
    for (a, b, expected) in cases {
        assert_eq!(a.overlaps(&b), expected, "{a:?} {b:?}");
        assert_eq!(b.overlaps(&a), expected, "{b:?} {a:?}");
    }
}

#[test]
fn rates_are_basis_points_up_to_full() {
    assert_eq!(Rate::from_percent(70).unwrap().basis_points(), 7_000);
    assert_eq!(Rate::from_percent(0), Some(Rate::ZERO));
    assert_eq!(Rate::from_percent(100), Some(Rate::FULL));
    assert_eq!(Rate::from_percent(101), None);
    assert_eq!(Rate::from_basis_points(10_000), Some(Rate::FULL));
    assert_eq!(Rate::from_basis_points(10_001), None);
    assert_eq!(Rate::from_basis_points(u16::MAX), None);
    assert_eq!(
        Rate::from_basis_points(3_050).unwrap().whole_percent(),
        None
    );
    for percent in 0..=100u8 {
        let rate = Rate::from_percent(percent).unwrap();
        assert_eq!(rate.whole_percent(), Some(percent));
    }
    assert!(Rate::from_percent(60).unwrap() < Rate::from_percent(70).unwrap());
}
