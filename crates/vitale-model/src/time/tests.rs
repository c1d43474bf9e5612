use proptest::prelude::*;
use time::macros::date;

use super::*;

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).expect("test instants are in range")
}

#[test]
fn rfc3339_known_instants() {
    for (secs, text) in [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (951_868_799, "2000-02-29T23:59:59Z"),
        (1_793_491_200, "2026-11-01T00:00:00Z"),
        (4_107_542_399, "2100-02-28T23:59:59Z"),
        (4_107_542_400, "2100-03-01T00:00:00Z"),
        (Timestamp::MAX_UNIX, "9999-12-31T23:59:59Z"),
    ] {
        assert_eq!(ts(secs).to_rfc3339(), text);
        assert_eq!(ts(secs).to_string(), text);
        assert_eq!(Timestamp::parse_rfc3339(text), Some(ts(secs)), "{text}");
    }
}

#[test]
fn rfc3339_refuses_every_other_form() {
    for text in [
        "",
        "1969-12-31T23:59:59Z",
        "2026-11-01T00:00:00",
        "2026-11-01T00:00:00z",
        "2026-11-01t00:00:00Z",
        "2026-11-01 00:00:00Z",
        "2026-11-01T00:00:00+00:00",
        "2026-11-01T00:00:00.0Z",
        "2026-11-1T00:00:00Z",
        "+2026-11-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-11-31T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2026-11-01T24:00:00Z",
        "2026-11-01T23:60:00Z",
        "2016-12-31T23:59:60Z",
        "2026-11-01T0a:00:00Z",
        "２026-11-01T00:00:00Z",
    ] {
        assert_eq!(Timestamp::parse_rfc3339(text), None, "{text}");
    }
}

#[test]
fn dates_have_one_text_form() {
    assert_eq!(format_date(date!(2026 - 03 - 01)), "2026-03-01");
    assert_eq!(format_date(date!(0001 - 01 - 01)), "0001-01-01");
    assert_eq!(parse_date("2024-02-29"), Some(date!(2024 - 02 - 29)));
    for bad in [
        "2023-02-29",
        "2026-1-01",
        "2026-01-01Z",
        "20260101",
        "",
        "2026/01/01",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn windows_are_half_open_and_ranges_inclusive() {
    let w = ValidityWindow::new(ts(10), ts(20)).expect("ordered");
    assert!(!w.contains(ts(9)) && w.contains(ts(10)) && w.contains(ts(19)) && !w.contains(ts(20)));
    assert!(ValidityWindow::new(ts(20), ts(20)).is_none());
    let r = DateRange::new(date!(2026 - 01 - 01), date!(2026 - 01 - 01)).expect("one day");
    assert!(r.contains(date!(2026 - 01 - 01)) && !r.contains(date!(2026 - 01 - 02)));
    assert!(DateRange::new(date!(2026 - 01 - 02), date!(2026 - 01 - 01)).is_none());
}

proptest! {
    #[test]
    fn rfc3339_round_trips(secs in 0..=Timestamp::MAX_UNIX) {
        let at = ts(secs);
        let text = at.to_rfc3339();
        prop_assert_eq!(text.len(), 20);
        prop_assert_eq!(Timestamp::parse_rfc3339(&text), Some(at));
    }

    #[test]
    fn rfc3339_parse_never_panics(text in "[0-9TZ:+.-]{0,24}") {
        if let Some(at) = Timestamp::parse_rfc3339(&text) {
            prop_assert_eq!(at.to_rfc3339(), text);
        }
    }

    #[test]
    fn date_parse_never_panics(text in "[0-9-]{0,12}") {
        if let Some(d) = parse_date(&text) {
            prop_assert_eq!(format_date(d), text);
        }
    }
}

#[test]
fn command_line_times_parse() {
    assert_eq!(
        Timestamp::parse_rfc3339_or_unix("@1795334400"),
        Some(ts(1_795_334_400))
    );
    assert_eq!(
        Timestamp::parse_rfc3339_or_unix("2026-11-22T08:00:00Z"),
        Some(ts(1_795_334_400))
    );
    assert_eq!(Timestamp::parse_rfc3339_or_unix("@0"), Some(ts(0)));
    for bad in [
        "",
        "@",
        "@-1",
        "@1.5",
        "1795334400",
        "2026-11-23",
        "@ 1",
        "@18446744073709551616",
    ] {
        assert_eq!(Timestamp::parse_rfc3339_or_unix(bad), None, "{bad:?}");
    }
}

proptest! {
    /// `@` and the seconds of any timestamp in range read back as itself,
    /// and so does its RFC 3339 text.
    #[test]
    fn command_line_times_round_trip(secs in 0u64..=253_402_300_799) {
        if let Some(at) = Timestamp::from_unix(secs) {
            prop_assert_eq!(Timestamp::parse_rfc3339_or_unix(&format!("@{secs}")), Some(at));
            prop_assert_eq!(Timestamp::parse_rfc3339_or_unix(&at.to_rfc3339()), Some(at));
        }
    }
}
