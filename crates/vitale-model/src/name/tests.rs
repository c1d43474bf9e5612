use proptest::prelude::*;

use super::*;

proptest! {
    /// ASCII names are checked byte by byte: the same verdict as character
    /// by character, controls, padding and lengths included.
    #[test]
    fn ascii_and_char_checks_agree(text in "[ -~\\t\\n\\x0b\\x0c\\r\\x00\\x7f]{0,110}") {
        prop_assert!(text.is_ascii());
        prop_assert_eq!(valid_ascii(&text), valid_chars(&text));
    }

    #[test]
    fn names_of_letters_agree(text in " ?[A-Z][A-Z' -]{0,99}[A-Z]? ?") {
        prop_assert_eq!(valid_ascii(&text), valid_chars(&text));
    }
}

#[test]
fn non_ascii_names_use_the_character_rules() {
    assert!(PersonName::new("MARIE-HÉLÈNE").is_some());
    assert!(PersonName::new("É".repeat(100)).is_some());
    assert!(PersonName::new("É".repeat(101)).is_none());
    assert!(PersonName::new("\u{a0}É").is_none());
    assert!(PersonName::new("A".repeat(100)).is_some());
    assert!(PersonName::new("A".repeat(101)).is_none());
    assert!(PersonName::new(" A").is_none());
    assert!(PersonName::new("A\u{7f}").is_none());
    assert!(PersonName::new("").is_none());
}
