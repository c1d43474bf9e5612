use proptest::prelude::*;

use super::*;

fn c(cents: u32) -> Cents {
    Cents::new(cents).unwrap()
}

#[test]
fn percent_rounds_half_up_to_the_cent() {
    let seventy = Rate::from_percent(70).unwrap();
    // G at 30.00 €: 70 % is exactly 21.00 €.
    assert_eq!(c(3000).percent(seventy), c(2100));
    // AMI 1.5 at 4.73 €: 70 % is 3.311 → 3.31; 60 % is 2.838 → 2.84.
    assert_eq!(c(473).percent(seventy), c(331));
    assert_eq!(c(473).percent(Rate::from_percent(60).unwrap()), c(284));
    // Exactly half a cent rounds up: 0.05 € × 50 % = 0.025 → 0.03.
    assert_eq!(c(5).percent(Rate::from_percent(50).unwrap()), c(3));
    assert_eq!(c(1234).percent(Rate::FULL), c(1234));
    assert_eq!(c(1234).percent(Rate::ZERO), Cents::ZERO);
}

#[test]
fn coefficients_round_half_up() {
    // AMI 3.15 € × 1.5 = 4.725 → 4.73.
    assert_eq!(c(315).times_hundredths(150), Some(c(473)));
    assert_eq!(c(3000).times_hundredths(100), Some(c(3000)));
    assert_eq!(Cents::MAX.times_hundredths(200), None);
}

#[test]
fn euros_parse_and_print() {
    for (text, cents) in [
        ("30.00", 3000),
        ("30,00", 3000),
        ("30", 3000),
        ("0.5", 50),
        ("14.26", 1426),
    ] {
        assert_eq!(Cents::parse_euros(text), Some(c(cents)), "{text}");
    }
    for text in [
        "",
        "30.",
        ".5",
        "30.001",
        "-1",
        "1e3",
        "30 00",
        "1000001",
        "99999999999",
    ] {
        assert_eq!(Cents::parse_euros(text), None, "{text}");
    }
    assert_eq!(c(1900).to_string(), "19.00");
    assert_eq!(c(5).to_string(), "0.05");
    assert_eq!(
        format_rate(Rate::from_basis_points(6250).unwrap()),
        "62.5 %"
    );
    assert_eq!(
        format_rate(Rate::from_basis_points(1234).unwrap()),
        "12.34 %"
    );
    assert_eq!(format_rate(Rate::from_percent(70).unwrap()), "70 %");
}

proptest! {
    #[test]
    fn a_share_and_its_complement_never_exceed_the_amount(cents in 0u32..=100_000_000, bp in 0u16..=10_000) {
        let amount = c(cents);
        let rate = Rate::from_basis_points(bp).unwrap();
        let share = amount.percent(rate);
        prop_assert!(share <= amount);
        // The patient's part is what is left, so the two always add up.
        let rest = amount.checked_sub(share).unwrap();
        prop_assert_eq!(share.checked_add(rest), Some(amount));
    }

    #[test]
    fn printed_amounts_parse_back(cents in 0u32..=100_000_000) {
        prop_assert_eq!(Cents::parse_euros(&c(cents).to_string()), Some(c(cents)));
    }
}
