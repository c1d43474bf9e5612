#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

#[test]
fn codes_round_trip() {
    for sex in Sex::ALL {
        assert_eq!(Sex::from_code(sex.code()).unwrap(), sex);
        assert_eq!(sex.to_string().parse::<Sex>().unwrap(), sex);
    }
}

#[test]
fn other_codes_are_refused() {
    // Lower case, digits (the NIR sex digit is not a trait code), blanks.
    for c in ['m', 'f', 'i', '1', '2', ' ', 'X', 'É'] {
        assert_eq!(Sex::from_code(c), Err(Error::SexCode), "{c:?}");
    }
    for s in ["", "MF", "M "] {
        assert_eq!(s.parse::<Sex>(), Err(Error::SexCode), "{s:?}");
    }
}

#[test]
fn one_letter_of_either_case_parses() {
    for (text, sex) in [
        ("M", Sex::Male),
        ("m", Sex::Male),
        ("f", Sex::Female),
        ("I", Sex::Indeterminate),
    ] {
        assert_eq!(Sex::parse_letter(text), Ok(sex), "{text:?}");
    }
    for bad in ["", "MF", "x", "é", " M", "M "] {
        assert_eq!(Sex::parse_letter(bad), Err(Error::SexCode), "{bad:?}");
    }
}
