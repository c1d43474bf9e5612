#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::{BillingNumber, ProfessionalIdentity, Rpps, SpecialtyCode, luhn_valid};

/// A Luhn-valid RPPS shown as an example in a public RPPS client's
/// documentation (`10005173140`).
const SAMPLE_RPPS: &str = "10005173140";

#[test]
fn luhn_matches_the_textbook_example() {
    // The standard Luhn example "79927398713".
    assert!(luhn_valid(b"79927398713"));
    assert!(!luhn_valid(b"79927398710"));
}

#[test]
fn rpps_accepts_a_valid_key_and_spaces() {
    let rpps = Rpps::parse(SAMPLE_RPPS).unwrap();
    assert_eq!(rpps.as_str(), SAMPLE_RPPS);
    assert_eq!(Rpps::parse("100 051 731 40").unwrap(), rpps);
    assert_eq!(rpps.to_string(), SAMPLE_RPPS);
}

#[test]
fn rpps_refuses_every_single_digit_error() {
    let good = SAMPLE_RPPS.as_bytes();
    for i in 0..good.len() {
        for d in b'0'..=b'9' {
            if d == good[i] {
                continue;
            }
            let mut bad = good.to_vec();
            bad[i] = d;
            let text = String::from_utf8(bad).unwrap();
            assert!(Rpps::parse(&text).is_err(), "{text} accepted");
        }
    }
}

#[test]
fn rpps_refuses_bad_shapes() {
    for text in [
        "",
        "1000517314",
        "100051731400",
        "1000517314a",
        "１0005173140",
        &"1".repeat(200),
    ] {
        assert!(Rpps::parse(text).is_err(), "{text:?}");
    }
}

#[test]
fn key_of_completes_any_ten_digits() {
    for first10 in ["1000517314", "0000000000", "9999999999", "1234567890"] {
        let key = Rpps::key_of(first10).unwrap();
        let full = format!("{first10}{key}");
        assert!(Rpps::parse(&full).is_ok(), "{full}");
    }
    assert_eq!(Rpps::key_of("123"), None);
    assert_eq!(Rpps::key_of("123456789x"), None);
}

#[test]
fn billing_number_is_nine_digits() {
    assert_eq!(
        BillingNumber::parse("75 1 23456 7").unwrap().as_str(),
        "751234567"
    );
    for text in ["", "75123456", "7512345678", "2A1234567", "75123456x"] {
        assert!(BillingNumber::parse(text).is_err(), "{text:?}");
    }
}

#[test]
fn specialty_codes_round_trip_and_label_the_nomenclature() {
    for n in 0..=99u8 {
        let code = SpecialtyCode::new(n).unwrap();
        assert_eq!(code.get(), n);
        assert_eq!(SpecialtyCode::parse(code.as_str()).unwrap(), code);
    }
    assert_eq!(SpecialtyCode::new(100), None);
    assert_eq!(
        SpecialtyCode::GENERAL_PRACTICE.label(),
        Some("Médecine générale")
    );
    assert_eq!(SpecialtyCode::new(12).unwrap().label(), Some("Pédiatrie"));
    // Not in the published nomenclature: accepted, without a label.
    assert_eq!(SpecialtyCode::new(19).unwrap().label(), None);
    assert_eq!(SpecialtyCode::new(99).unwrap().label(), None);
    for text in ["1", "001", "a1", " 1"] {
        assert!(SpecialtyCode::parse(text).is_err(), "{text:?}");
    }
}

#[test]
fn professional_identity_holds_its_parts() {
    let p = ProfessionalIdentity::new(
        BillingNumber::parse("751234567").unwrap(),
        SpecialtyCode::GENERAL_PRACTICE,
    )
    .with_rpps(Some(Rpps::parse(SAMPLE_RPPS).unwrap()));
    assert_eq!(p.billing_number().as_str(), "751234567");
    assert_eq!(p.rpps().map(Rpps::as_str), Some(SAMPLE_RPPS));
    assert_eq!(p.specialty(), SpecialtyCode::GENERAL_PRACTICE);
}

mod properties {
    use proptest::prelude::*;

    use super::super::{BillingNumber, Rpps, SpecialtyCode};

    proptest! {
        #[test]
        fn any_ten_digits_with_their_key_parse(first10 in "[0-9]{10}") {
            let key = Rpps::key_of(&first10).unwrap();
            let rpps = Rpps::parse(&format!("{first10}{key}")).unwrap();
            prop_assert_eq!(Rpps::parse(rpps.as_str()).unwrap(), rpps);
            // Any other key is refused.
            for other in (0..10u8).filter(|k| *k != key) {
                let text = format!("{first10}{other}");
                prop_assert!(Rpps::parse(&text).is_err(), "wrong key accepted");
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,64}") {
            if let Ok(r) = Rpps::parse(&text) {
                prop_assert_eq!(r.as_str().len(), Rpps::LEN);
            }
            if let Ok(b) = BillingNumber::parse(&text) {
                prop_assert_eq!(b.as_str().len(), BillingNumber::LEN);
            }
            if let Ok(s) = SpecialtyCode::parse(&text) {
                prop_assert_eq!(s.as_str(), text.as_str());
            }
        }
    }
}
