#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

#[test]
fn accepted_codes() {
    let cases = [
        ("75056", "Paris"),
        ("2A004", "Ajaccio, Corse-du-Sud"),
        ("2B033", "Bastia, Haute-Corse"),
        ("20004", "Corsica before 1976"),
        ("97411", "overseas department"),
        ("98735", "overseas collectivity"),
        ("99100", "born abroad"),
        ("01001", "first department"),
    ];
    for (text, why) in cases {
        let code = CogCode::parse(text).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert_eq!(code.as_str(), text);
        assert_eq!(code.is_abroad(), text.starts_with("99"), "{why}");
        assert_eq!(
            code.is_corsica(),
            text.starts_with("2A") || text.starts_with("2B")
        );
    }
}

#[test]
fn refused_codes() {
    let cases = [
        ("7505", "4 characters"),
        ("750561", "6 characters"),
        ("00100", "department 00"),
        ("2C004", "2C"),
        ("2a004", "lower case"),
        ("3A004", "letter after 3"),
        ("750A6", "letter in the commune"),
        ("7505 ", "space"),
        ("", "empty"),
        ("7505é", "non-ASCII"),
    ];
    for (text, why) in cases {
        assert_eq!(CogCode::parse(text), Err(Error::CogCode), "{why}");
    }
}

#[test]
fn debug_is_redacted() {
    let code = CogCode::parse("75056").unwrap();
    assert_eq!(format!("{code:?}"), "CogCode(<redacted>)");
}
