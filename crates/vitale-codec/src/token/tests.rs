use proptest::prelude::*;

use super::*;

#[test]
fn routes_by_prefix_in_any_case() {
    for open in ["VT1:ABC", "vt1:abc", "Vt1B:xyz", "VT1B:"] {
        assert_eq!(TextKind::of(open), Ok(TextKind::Open), "{open}");
        assert!(TokenText::parse(open).is_err(), "{open}");
    }
    assert_eq!(
        TokenText::parse("vt1b:0123456789abcdef"),
        Err(TokenTextError::OpenProfilePrefix)
    );
    let token = "eyJhbGciOiJFUzI1NiJ9.payload-0123456789";
    assert_eq!(
        TextKind::of(token),
        Ok(TextKind::Token(TokenText::parse(token).unwrap()))
    );
}

#[test]
fn bounds_and_charset() {
    assert_eq!(TokenText::parse(""), Err(TokenTextError::TooShort(0)));
    assert_eq!(
        TokenText::parse(&"A".repeat(15)),
        Err(TokenTextError::TooShort(15))
    );
    assert!(TokenText::parse(&"A".repeat(16)).is_ok());
    assert!(TokenText::parse(&"A".repeat(4096)).is_ok());
    assert_eq!(
        TokenText::parse(&"A".repeat(4097)),
        Err(TokenTextError::TooLong { max: 4096 })
    );
    assert_eq!(
        TokenText::parse("0123456789abcdeé"),
        Err(TokenTextError::Character { position: 16 })
    );
    assert_eq!(
        TokenText::parse("0123456789\tabcdef"),
        Err(TokenTextError::Character { position: 11 })
    );
    assert_eq!(
        TokenText::parse(" 0123456789abcdef"),
        Err(TokenTextError::Padded)
    );
    assert!(TokenText::parse("0123456789 abcdef $%*+-./:").is_ok());
}

#[test]
fn debug_shows_the_length_only() {
    let t = TokenText::parse("SECRET-0123456789").unwrap();
    assert_eq!(format!("{t:?}"), "TokenText(<17 characters>)");
}

proptest! {
    #[test]
    fn never_panics_and_accepts_only_its_charset(text in "\\PC{0,64}") {
        if let Ok(t) = TokenText::parse(&text) {
            prop_assert!(t.as_str().bytes().all(|b| (0x20..=0x7e).contains(&b)));
            prop_assert!((16..=4096).contains(&t.as_str().len()));
            prop_assert!(!has_open_prefix(t.as_str()));
        }
    }

    #[test]
    fn printable_ascii_without_prefix_is_a_token(text in "[!-~][ -~]{14,60}[!-~]") {
        prop_assume!(!has_open_prefix(&text));
        prop_assert_eq!(TokenText::parse(&text).map(|t| t.as_str().to_owned()), Ok(text));
    }
}
