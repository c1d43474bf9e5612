//! Arbitrary bytes into the rights answer reader `Rights::from_json`, and,
//! as JSON, into `RightsQuery`; as text, into the professional identifier
//! parsers (`Rpps`, `BillingNumber`, `SpecialtyCode`).
//!
//! Beyond "no panic", an answer that reads must re-encode to a document
//! that reads back equal, and `Rights::on` must keep its promises on the
//! days around every period's edges: rights closed exactly when no AMO
//! period covers the day, a coverage rate only from a coverage in force
//! that applies to the care, and the highest such rate.
#![no_main]

use libfuzzer_sys::fuzz_target;
use time::Duration;
use vitale_adri::{AmoRate, BillingNumber, CareScope, Rights, RightsQuery, Rpps, SpecialtyCode};

const SCOPES: [CareScope; 3] = [
    CareScope::General,
    CareScope::LongTermCondition,
    CareScope::WorkInjury,
];

fn check_day(rights: &Rights, day: time::Date) {
    let on = rights.on(day);
    let open = rights.amo_periods().iter().any(|p| p.contains(day));
    assert_eq!(on.is_amo_open(), open);
    for scope in SCOPES {
        let best = on
            .coverage()
            .iter()
            .filter(|c| c.reason().applies_to(scope))
            .map(|c| c.amo_rate())
            .max();
        match on.amo_rate(scope) {
            AmoRate::Closed => assert!(!open),
            AmoRate::Standard => assert!(open && best.is_none()),
            AmoRate::Coverage { rate, reason } => {
                assert!(open && reason.applies_to(scope));
                assert_eq!(Some(rate), best);
            }
            _ => {}
        }
        let _ = on.third_party_payment(scope);
    }
    let _ = on.complementary();
}

fuzz_target!(|data: &[u8]| {
    if let Ok(rights) = Rights::from_json(data) {
        let again = rights.to_json().expect("an answer serialises");
        assert_eq!(Rights::from_json(&again).as_ref(), Ok(&rights));
        let mut days = vec![rights.reference_date()];
        let edges = rights
            .amo_periods()
            .iter()
            .copied()
            .chain(rights.coverage_periods().iter().map(|c| c.period()))
            .chain(rights.solidarity_periods().iter().map(|s| s.period()));
        for p in edges {
            days.push(p.from());
            days.extend(p.from().checked_sub(Duration::days(1)));
            if let Some(u) = p.until() {
                days.push(u);
                days.extend(u.checked_add(Duration::days(1)));
            }
        }
        for day in days {
            check_day(&rights, day);
        }
    }
    if let Ok(query) = serde_json::from_slice::<RightsQuery>(data) {
        let text = serde_json::to_vec(&query).expect("a query serialises");
        assert_eq!(
            serde_json::from_slice::<RightsQuery>(&text).ok(),
            Some(query)
        );
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(rpps) = Rpps::parse(text) {
            assert_eq!(Rpps::parse(rpps.as_str()).as_ref(), Ok(&rpps));
        }
        if let Ok(am) = BillingNumber::parse(text) {
            assert_eq!(am.as_str().len(), BillingNumber::LEN);
        }
        if let Ok(code) = SpecialtyCode::parse(text) {
            assert_eq!(code.as_str(), text);
        }
    }
});
