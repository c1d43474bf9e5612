#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

#[test]
fn names_keep_their_text_and_compare_normalised() {
    let a = BirthName::new("Lefèvre-Œuvray").unwrap();
    assert_eq!(a.as_str(), "Lefèvre-Œuvray");
    assert_eq!(a.normalized(), "LEFEVRE-OEUVRAY");
    assert!(a.matches(&BirthName::new(" LEFEVRE-OEUVRAY").unwrap()));
    assert!(!a.matches(&BirthName::new("LEFEVRE").unwrap()));
}

#[test]
fn refused_names() {
    let long = "A".repeat(MAX_NAME_CHARS + 1);
    let cases = [
        ("", Error::NameEmpty),
        ("   ", Error::NameEmpty),
        ("123", Error::NameEmpty),
        ("Ana\u{0}", Error::NameControl),
        ("Ana\nLou", Error::NameControl),
        (
            long.as_str(),
            Error::NameTooLong {
                max: MAX_NAME_CHARS,
            },
        ),
    ];
    for (text, error) in cases {
        assert_eq!(BirthName::new(text), Err(error.clone()), "{text:?}");
        assert_eq!(GivenNames::new(text), Err(error), "{text:?}");
    }
    assert!(BirthName::new(&"A".repeat(MAX_NAME_CHARS)).is_ok());
}

#[test]
fn first_given_name() {
    let names = GivenNames::new("Marie-Hélène  Anne").unwrap();
    assert_eq!(names.first_normalized(), "MARIE-HELENE");
}

#[test]
fn debug_is_redacted() {
    let name = BirthName::new("Dupont").unwrap();
    let given = GivenNames::new("Jean").unwrap();
    assert_eq!(format!("{name:?}"), "BirthName(<redacted>)");
    assert_eq!(format!("{given:?}"), "GivenNames(<redacted>)");
}
