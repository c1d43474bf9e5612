#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

#[test]
fn normalisation_table() {
    // (input, expected, rule exercised)
    let cases = [
        ("Dupont", "DUPONT", "upper case"),
        ("Hélène", "HELENE", "acute, grave"),
        ("François", "FRANCOIS", "cedilla"),
        ("Noël", "NOEL", "diaeresis"),
        ("Jérôme", "JEROME", "circumflex"),
        ("Muñoz", "MUNOZ", "tilde"),
        ("Œdipe", "OEDIPE", "Œ ligature"),
        ("cœur", "COEUR", "œ ligature"),
        ("Lætitia", "LAETITIA", "æ ligature"),
        ("Ærø", "AERO", "Æ ligature, ø stroke"),
        ("Straße", "STRASSE", "ß"),
        ("Łukasz", "LUKASZ", "Ł stroke"),
        ("Đorđe", "DORDE", "Đ stroke"),
        ("d’Artagnan", "D'ARTAGNAN", "typographic apostrophe"),
        ("d'Artagnan", "D'ARTAGNAN", "ASCII apostrophe"),
        ("Jean‐Pierre", "JEAN-PIERRE", "U+2010 hyphen"),
        ("Jean–Pierre", "JEAN-PIERRE", "en dash"),
        (
            "  Marie   Anne  ",
            "MARIE ANNE",
            "spaces collapsed and trimmed",
        ),
        (
            "Marie\tAnne\u{a0}Lou",
            "MARIE ANNE LOU",
            "tab and no-break space",
        ),
        (
            "Louis XIV 2",
            "LOUIS XIV",
            "digit dropped, trailing space trimmed",
        ),
        ("O.Connor", "OCONNOR", "other punctuation dropped"),
        ("E\u{301}milie", "EMILIE", "already decomposed"),
        ("İlkay", "ILKAY", "dotted capital I"),
        ("Иван", "", "other scripts dropped"),
        ("", "", "empty"),
        ("  ", "", "only spaces"),
    ];
    for (input, expected, why) in cases {
        assert_eq!(normalize_trait(input), expected, "{why}");
        assert!(is_normalized(expected), "{why}");
    }
}

#[test]
fn is_normalized_rejects_each_rule() {
    for text in [
        "dupont", "DUPONT ", " DUPONT", "DU  PONT", "DUPONT2", "HÉLÈNE",
    ] {
        assert!(!is_normalized(text), "{text:?}");
    }
}
