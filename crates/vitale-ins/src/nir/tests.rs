#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

/// Valid numbers, each with why it is interesting.
const VALID: &[(&str, &str)] = &[
    ("184037510821010", "man born March 1984 in Paris (75)"),
    ("269054958815780", "woman, department 49"),
    ("185057512345673", "order number 456"),
    ("185052A12345633", "Corsica 2A: key computed with 19"),
    ("185052B12345660", "Corsica 2B: key computed with 18"),
    ("185052012345606", "Corsica before 1976: department 20"),
    ("269019912345695", "born abroad (99)"),
    ("175079935023452", "born abroad, country 350"),
    ("792041234512326", "provisional number, sex digit 7"),
    ("215129913200195", "key 95"),
];

#[test]
fn valid_numbers_parse_and_keep_their_text() {
    for (text, why) in VALID {
        let nir = Nir::parse(text).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert_eq!(nir.as_str(), *text, "{why}");
    }
}

#[test]
fn spaces_are_accepted_anywhere() {
    let cases = [
        "1 84 03 75 108 210 10",
        " 184037510821010 ",
        "1840 3751 0821 010",
        "1  84 03 75 108 210   10",
    ];
    for text in cases {
        assert_eq!(
            Nir::parse(text).unwrap().as_str(),
            "184037510821010",
            "{text:?}"
        );
    }
}

#[test]
fn lower_case_corsica_letters_are_upper_cased() {
    assert_eq!(
        Nir::parse("185052a12345633").unwrap().as_str(),
        "185052A12345633"
    );
}

#[test]
fn display_groups_and_debug_redacts() {
    let nir = Nir::parse("185052A12345633").unwrap();
    assert_eq!(nir.to_string(), "1 85 05 2A 123 456 33");
    assert_eq!(format!("{nir:?}"), "Nir(<redacted>)");
    assert_eq!(format!("{:?}", Some(&nir)), "Some(Nir(<redacted>))");
}

#[test]
fn corsica_keys_use_19_and_18() {
    // (13 first characters, key): 2A counts as 19, 2B as 18.
    let cases = [
        ("185052A123456", 33),
        ("185052B123456", 60),
        ("269052A012345", 37),
    ];
    for (first13, key) in cases {
        assert_eq!(Nir::key_of(first13), Some(key), "{first13}");
        let nir = Nir::parse(&format!("{first13}{key:02}")).unwrap();
        assert!(nir.is_corsica());
        assert_eq!(nir.key(), key);
    }
    // The same digits with 19 / 18 written out give the same key.
    assert_eq!(Nir::key_of("1850519123456"), Some(33));
    assert_eq!(Nir::key_of("1850518123456"), Some(60));
}

#[test]
fn errors_are_distinct() {
    let cases: &[(&str, Error, &str)] = &[
        (
            "18403751082101",
            Error::NirLength { found: 14 },
            "one digit short",
        ),
        (
            "1840375108210100",
            Error::NirLength { found: 16 },
            "one digit long",
        ),
        ("", Error::NirLength { found: 0 }, "empty"),
        (
            "18403751082101X",
            Error::NirCharacter { position: 15 },
            "letter in the key",
        ),
        (
            "1840375108210-0",
            Error::NirCharacter { position: 14 },
            "dash",
        ),
        (
            "1840375108é1010",
            Error::NirCharacter { position: 11 },
            "non-ASCII",
        ),
        (
            "185053A12345633",
            Error::NirCharacter { position: 7 },
            "letter after 3",
        ),
        ("185052C12345633", Error::NirCharacter { position: 7 }, "2C"),
        (
            "1850A2012345633",
            Error::NirCharacter { position: 5 },
            "letter in month",
        ),
        (
            "584037510821010",
            Error::NirField {
                field: NirField::Sex,
            },
            "sex 5",
        ),
        (
            "084037510821010",
            Error::NirField {
                field: NirField::Sex,
            },
            "sex 0",
        ),
        (
            "184007510821010",
            Error::NirField {
                field: NirField::Month,
            },
            "month 00",
        ),
        (
            "184137510821010",
            Error::NirField {
                field: NirField::Month,
            },
            "month 13",
        ),
        (
            "184437510821010",
            Error::NirField {
                field: NirField::Month,
            },
            "month 43",
        ),
        (
            "184497510821010",
            Error::NirField {
                field: NirField::Month,
            },
            "month 49",
        ),
        (
            "184030010821010",
            Error::NirField {
                field: NirField::Department,
            },
            "department 00",
        ),
        ("184037510821011", Error::NirKeyMismatch, "key off by one"),
        ("184037510821000", Error::NirKeyMismatch, "key 00"),
        ("184037510821098", Error::NirKeyMismatch, "key 98"),
    ];
    for (text, error, why) in cases {
        assert_eq!(Nir::parse(text).unwrap_err(), *error, "{why}");
    }
}

#[test]
fn month_special_ranges_are_accepted() {
    for month in (1..=12).chain(20..=42).chain(50..=99) {
        let first13 = format!("1{:02}{month:02}75108210", 84);
        let key = Nir::key_of(&first13).unwrap();
        assert!(
            Nir::parse(&format!("{first13}{key:02}")).is_ok(),
            "month {month}"
        );
    }
}

#[test]
fn all_sex_digits_and_departments() {
    for sex in ['1', '2', '3', '4', '7', '8'] {
        for department in (1..=99)
            .map(|d| format!("{d:02}"))
            .chain(["2A".into(), "2B".into()])
        {
            let first13 = format!("{sex}8403{department}108210");
            let key = Nir::key_of(&first13).unwrap();
            assert!(
                Nir::parse(&format!("{first13}{key:02}")).is_ok(),
                "{first13}"
            );
        }
    }
}

#[test]
fn oversized_input_is_refused_before_work() {
    let long = " ".repeat(MAX_NIR_INPUT + 1);
    assert_eq!(
        Nir::parse(&long).unwrap_err(),
        Error::NirLength {
            found: MAX_NIR_INPUT + 1
        }
    );
}

#[test]
fn error_messages_hold_no_digits_of_the_number() {
    for text in ["184037510821011", "584037510821010", "18403751082101X"] {
        let message = Nir::parse(text).unwrap_err().to_string();
        assert!(!message.contains("8403"), "{message}");
    }
}

proptest::proptest! {
    /// ASCII text is read byte by byte: the same result as character by
    /// character, on NIR-like and arbitrary ASCII text.
    #[test]
    fn ascii_and_char_paths_agree(
        text in "[0-9AaBbC ]{0,20}|[ -~]{0,20}|1[0-9]{4}2[AB][0-9]{8}",
    ) {
        proptest::prop_assert!(text.is_ascii());
        proptest::prop_assert_eq!(compact_ascii(&text), compact_chars(&text));
    }

    /// The key computed on the whole number equals the digit-by-digit
    /// remainder.
    #[test]
    fn key_by_whole_number_is_the_running_remainder(digits in "[0-9]{5}(2A|2B|[0-9]{2})[0-9]{6}") {
        let mut remainder = 0u32;
        for (index, b) in digits.bytes().enumerate() {
            let digit = match (digits.get(5..7), index) {
                (Some("2A"), 5) => b'1',
                (Some("2A"), 6) => b'9',
                (Some("2B"), 5) => b'1',
                (Some("2B"), 6) => b'8',
                _ => b,
            };
            remainder = (remainder * 10 + u32::from(digit - b'0')) % 97;
        }
        proptest::prop_assert_eq!(compute_key(&digits), u8::try_from(97 - remainder).ok());
    }
}
