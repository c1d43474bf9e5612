use proptest::prelude::*;

use super::*;

fn act(text: &str) -> Act {
    text.parse().unwrap()
}

#[test]
fn ngap_forms() {
    for (text, letter, hundredths, canonical) in [
        ("G", "G", 100, "G"),
        ("APC", "APC", 100, "APC"),
        ("AMI 1.5", "AMI", 150, "AMI 1.5"),
        ("AMI1.5", "AMI", 150, "AMI 1.5"),
        ("AMI 1,5", "AMI", 150, "AMI 1.5"),
        ("AMI 0.25", "AMI", 25, "AMI 0.25"),
        ("AIS 3", "AIS", 300, "AIS 3"),
    ] {
        let a = act(text);
        let Act::Ngap {
            letter: l,
            coefficient,
        } = &a
        else {
            panic!("{text}")
        };
        assert_eq!(l.as_str(), letter);
        assert_eq!(coefficient.hundredths(), hundredths);
        assert_eq!(a.to_string(), canonical);
        assert_eq!(a.tariff_code(), letter);
    }
}

#[test]
fn ccam_forms() {
    let a = act("DEQP003");
    assert_eq!(a.to_string(), "DEQP003-1-0");
    assert_eq!(a.tariff_code(), "DEQP003-1-0");
    let a = act("DEQP003-1-0+U+F");
    let Act::Ccam(c) = &a else { panic!() };
    assert_eq!(
        c.modifiers()
            .iter()
            .map(|m| m.as_char())
            .collect::<String>(),
        "FU"
    );
    assert_eq!(a.to_string(), "DEQP003-1-0+F+U");
    assert_eq!(act("DEQA001-1-2").tariff_code(), "DEQA001-1-2");
}

#[test]
fn refused_forms() {
    for text in [
        "",
        "g",
        "AMI 0",
        "AMI -1",
        "AMI 1.555",
        "AMI 1001",
        "TOOLONGX",
        "A B",
        "AMI  1",
        "DEQP03",
        "DEOP003",
        "DEIP003",
        "DEQP003-0-0",
        "DEQP003-1",
        "DEQP003+F+F",
        "DEQP003+FF",
        "DEQP003+F+U+A+B+C",
        "DEQP003-1-0+",
        "DÉQP003",
        "G 1.5 ",
    ] {
        assert_eq!(text.parse::<Act>(), Err(Error::InvalidAct), "{text:?}");
    }
}

proptest! {
    #[test]
    fn parsing_never_panics_and_canonical_forms_round_trip(text in "\\PC{0,40}") {
        if let Ok(a) = text.parse::<Act>() {
            prop_assert_eq!(a.to_string().parse::<Act>(), Ok(a));
        }
    }

    #[test]
    fn generated_acts_round_trip(letters in "[A-Z]{1,6}", hundredths in 1u32..=100_000) {
        let a = Act::Ngap {
            letter: KeyLetter::new(&letters).unwrap(),
            coefficient: Coefficient::from_hundredths(hundredths).unwrap(),
        };
        // A key letter made only of a CCAM-looking prefix cannot be 7 long,
        // so every NGAP act's text parses back to itself.
        prop_assert_eq!(a.to_string().parse::<Act>(), Ok(a));
    }
}
