#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

#[test]
fn calendar_and_lunar_dates() {
    // (text, calendar?, why)
    let cases = [
        ("19840315", true, "ordinary date"),
        ("20000229", true, "leap day"),
        ("18000101", true, "first accepted year"),
        ("29991231", true, "last accepted year"),
        ("19000229", false, "1900 is not a leap year"),
        ("19840300", false, "day unknown: 00"),
        ("19840015", false, "month unknown: 00"),
        ("19840000", false, "day and month unknown"),
        ("19841315", false, "month 13"),
        ("19840232", false, "day 32"),
        ("19849999", false, "month and day 99"),
        ("19840431", false, "31 April"),
    ];
    for (text, calendar, why) in cases {
        let date = BirthDate::parse(text).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert_eq!(date.as_str(), text, "{why}");
        assert_eq!(date.to_calendar().is_some(), calendar, "{why}");
        assert_eq!(date.is_lunar(), !calendar, "{why}");
        assert_eq!(date.year(), text[0..4].parse::<u16>().unwrap());
        assert_eq!(date.month(), text[4..6].parse::<u8>().unwrap());
        assert_eq!(date.day(), text[6..8].parse::<u8>().unwrap());
    }
}

#[test]
fn calendar_value_is_the_same_day() {
    let date = BirthDate::parse("19840315").unwrap().to_calendar().unwrap();
    assert_eq!(date.to_string(), "1984-03-15");
    assert_eq!(BirthDate::from_calendar(date).unwrap().as_str(), "19840315");
}

#[test]
fn refused_texts() {
    let cases = [
        ("1984031", Error::BirthDateFormat, "7 digits"),
        ("198403150", Error::BirthDateFormat, "9 digits"),
        ("1984-03-15", Error::BirthDateFormat, "ISO form"),
        ("1984031a", Error::BirthDateFormat, "letter"),
        (
            "１９８４０３１５",
            Error::BirthDateFormat,
            "full-width digits",
        ),
        ("", Error::BirthDateFormat, "empty"),
        ("17991231", Error::BirthDateYear, "year 1799"),
        ("30000101", Error::BirthDateYear, "year 3000"),
        ("00000000", Error::BirthDateYear, "year 0"),
    ];
    for (text, error, why) in cases {
        assert_eq!(BirthDate::parse(text), Err(error), "{why}");
    }
}

#[test]
fn from_calendar_checks_the_year() {
    let old = time::Date::from_calendar_date(1799, time::Month::December, 31).unwrap();
    assert_eq!(BirthDate::from_calendar(old), Err(Error::BirthDateYear));
}

#[test]
fn debug_is_redacted() {
    let date = BirthDate::parse("19840315").unwrap();
    let debug = format!("{date:?}");
    assert_eq!(debug, "BirthDate(<redacted>)");
}

#[test]
fn dashed_and_compact_forms_give_the_same_date() {
    for (dashed, compact) in [("1984-02-29", "19840229"), ("1984-00-35", "19840035")] {
        assert_eq!(
            BirthDate::parse_with_dashes(dashed),
            BirthDate::parse(compact)
        );
        assert_eq!(
            BirthDate::parse_with_dashes(compact),
            BirthDate::parse(compact)
        );
    }
    // Only a ten-character text with a dash after the year loses its
    // dashes; anything else is read as `YYYYMMDD`.
    for bad in [
        "1984-0229",
        "1984--02-29",
        "19840-2-29",
        "1984-02-2x",
        "",
        "1984/02/29",
    ] {
        assert!(BirthDate::parse_with_dashes(bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        BirthDate::parse_with_dashes("1984-022-9").map(|d| d.as_str().to_owned()),
        Ok("19840229".to_owned())
    );
}
