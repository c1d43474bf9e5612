use proptest::prelude::*;

use super::*;

fn day(y: i32, m: time::Month, d: u8) -> Date {
    Date::from_calendar_date(y, m, d).unwrap()
}

#[test]
fn a_practice_is_read_strictly() {
    let json: PracticeJson = serde_json::from_str(
        r#"{"billing_number": "991234567", "specialty": "01", "sector": "2-optam", "rpps": "10005173140"}"#,
    )
    .unwrap();
    let practice = json.practice().unwrap();
    assert_eq!(practice.identity.billing_number().as_str(), "991234567");
    assert_eq!(practice.sector, Sector::TwoOptam);
    assert_eq!(practice.profession, Profession::Physician);
    for (bad, field) in [
        (
            r#"{"billing_number": "12", "specialty": "01"}"#,
            "practice.billing_number",
        ),
        (
            r#"{"billing_number": "991234567", "specialty": "01", "sector": "3"}"#,
            "practice.sector",
        ),
        (
            r#"{"billing_number": "991234567", "specialty": "01", "profession": "vet"}"#,
            "practice.profession",
        ),
        (
            r#"{"billing_number": "991234567", "specialty": "01", "zone": "mars"}"#,
            "practice.zone",
        ),
    ] {
        let json: PracticeJson = serde_json::from_str(bad).unwrap();
        let e = json.practice().unwrap_err();
        assert_eq!(e.kind(), "invalid_options", "{bad}");
        assert!(
            matches!(&e, JsonError::Field { field: f, .. } if f == field),
            "{e}"
        );
    }
    assert!(
        serde_json::from_str::<PracticeJson>(
            r#"{"billing_number": "991234567", "specialty": "01", "x": 1}"#
        )
        .is_err()
    );
}

#[test]
fn a_visit_is_read_with_its_acts_pathway_and_date() {
    let json: VisitJson = serde_json::from_str(
        r#"{"rank": 2, "acts": ["G", {"act": "DEQP003", "extra_fee_cents": 500, "scope": "long_term_condition"}], "pathway": "referred", "third_party": true}"#,
    )
    .unwrap();
    let today = day(2026, time::Month::November, 30);
    let request = json.request(today).unwrap();
    assert_eq!(request.rank.get(), 2);
    assert_eq!(request.date, today, "no date: the caller's today");
    assert_eq!(request.acts[0].act.to_string(), "G");
    assert_eq!(request.acts[1].extra_fee.get(), 500);
    assert_eq!(request.acts[1].scope, CareScope::LongTermCondition);
    assert_eq!(request.pathway, Some(Pathway::Referred));
    assert!(request.offer_third_party);

    let dated: VisitJson = serde_json::from_str(
        r#"{"rank": 1, "date": "2026-11-02", "acts": ["G"], "pathway": null}"#,
    )
    .unwrap();
    let request = dated.request(today).unwrap();
    assert_eq!(request.date, day(2026, time::Month::November, 2));
    assert_eq!(request.pathway, None);
}

#[test]
fn invalid_visits_have_their_kind() {
    let today = day(2026, time::Month::November, 30);
    for (bad, kind) in [
        (
            r#"{"rank": 1, "date": "30/11/2026", "acts": ["G"]}"#,
            "invalid_options",
        ),
        (
            r#"{"rank": 1, "acts": ["G"], "pathway": "sideways"}"#,
            "invalid_options",
        ),
        (r#"{"rank": 0, "acts": ["G"]}"#, "no_such_beneficiary"),
        (r#"{"rank": 1, "acts": ["NOPE!"]}"#, "fse_invalid_act"),
        (
            r#"{"rank": 1, "acts": [{"act": "G", "scope": "mars"}]}"#,
            "invalid_options",
        ),
    ] {
        let json: VisitJson = serde_json::from_str(bad).unwrap();
        assert_eq!(json.request(today).unwrap_err().kind(), kind, "{bad}");
    }
    assert!(serde_json::from_str::<VisitJson>(r#"{"rank": 1, "acts": [], "x": 1}"#).is_err());
    assert!(parse_pathway("emergency").is_ok());
}

proptest! {
    /// Any JSON text: read or refused, never a panic.
    #[test]
    fn any_visit_text_is_read_or_refused(text in ".{0,200}") {
        if let Ok(json) = serde_json::from_str::<VisitJson>(&text) {
            let _ = json.request(day(2026, time::Month::November, 30));
        }
    }

    /// Any field values: a request or an error with a listed kind.
    #[test]
    fn any_visit_fields_give_a_request_or_a_kind(
        rank in any::<u8>(),
        act in "[A-Z0-9]{0,8}",
        pathway in "[a-z_]{0,16}",
        fee in any::<u32>(),
    ) {
        let json = VisitJson {
            rank,
            date: None,
            acts: vec![ActJson::Line(ActLineJson { act, extra_fee_cents: fee, scope: None })],
            pathway: Some(pathway),
            third_party: false,
        };
        match json.request(day(2026, time::Month::November, 30)) {
            Ok(r) => prop_assert_eq!(r.rank.get(), rank),
            Err(e) => prop_assert!(
                e.kind() == "invalid_options" || crate::KINDS.iter().any(|(k, _)| *k == e.kind())
            ),
        }
    }
}
