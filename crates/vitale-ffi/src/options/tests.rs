use super::*;
use crate::status::VitaleStatus;

#[test]
fn null_and_empty_options_are_the_defaults() {
    let o: TerminalOptions = parse(None, "options").expect("defaults");
    assert!(o.at.is_none() && !o.show_nir && o.context_service.is_none());
    let o: TerminalOptions = parse(Some("  "), "options").expect("defaults");
    assert!(o.clock_skew_secs.is_none());
}

#[test]
fn unknown_fields_and_wrong_types_are_refused() {
    for text in [
        r#"{"show_nirs": true}"#,
        r#"{"show_nir": 1}"#,
        "[]",
        "{",
        r#"{"at": -5}"#,
    ] {
        let e = parse::<TerminalOptions>(Some(text), "options").expect_err(text);
        assert_eq!(e.status, VitaleStatus::InvalidOptions, "{text}");
    }
}

#[test]
fn instants_are_rfc3339_or_unix_seconds() {
    let o: TerminalOptions =
        parse(Some(r#"{"at": "2026-11-22T08:00:00Z"}"#), "options").expect("valid");
    let at = o.at.expect("at").timestamp("at").expect("in range");
    assert_eq!(at.unix(), 1_795_334_400);
    let o: TerminalOptions = parse(Some(r#"{"at": 1795334400}"#), "options").expect("valid");
    assert_eq!(o.at.expect("at").timestamp("at").expect("in range"), at);
    let o: TerminalOptions = parse(Some(r#"{"at": "yesterday"}"#), "options").expect("a text");
    let e = o.at.expect("at").timestamp("at").expect_err("not RFC 3339");
    assert_eq!(e.status, VitaleStatus::InvalidOptions);
}

#[test]
fn oversized_json_is_refused_before_parsing() {
    let text = format!("{{\"a\": \"{}\"}}", "a".repeat(MAX_JSON_BYTES));
    let e = parse_required::<serde_json::Value>(&text, "query").expect_err("too long");
    assert_eq!(e.status, VitaleStatus::InvalidOptions);
}
