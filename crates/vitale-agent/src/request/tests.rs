use proptest::prelude::*;

use super::*;

#[test]
fn queries_are_read_strictly() {
    let q = parse_query("width=640&height=480").unwrap();
    assert_eq!(param(&q, "width"), Some("640"));
    assert_eq!(param(&q, "height"), Some("480"));
    assert_eq!(param(&q, "job"), None);
    assert_eq!(parse_query("").unwrap().len(), 0);
    for bad in [
        "a=1&a=2",
        "a=%41",
        "a=<script>",
        &"a=1&".repeat(20),
        &"x".repeat(2000),
    ] {
        assert!(parse_query(bad).is_none(), "{bad}");
    }
}

#[test]
fn json_bodies_are_read_strictly_and_errors_do_not_echo_them() {
    let r: RightsRequest = parse_json(
        br#"{"card_id": "c-1", "rank": 1, "date": "2026-11-30"}"#,
        1024,
    )
    .unwrap();
    assert_eq!(r.rank, 1);
    let e = parse_json::<LineRequest>(br#"{"line": "VT1:SECRET", "x": 1}"#, 1024).unwrap_err();
    assert!(!e.contains("SECRET"), "{e}");
    let e = parse_json::<LineRequest>(br#"{"line": 1234567890123}"#, 1024).unwrap_err();
    assert!(!e.contains("1234567890123"), "{e}");
    assert!(parse_json::<LineRequest>(&[b' '; 2048], 1024).is_err());
    let b: BillRequest = parse_json(
        br#"{"card_id": "c-1", "visit": {"rank": 1, "date": "2026-11-30", "acts": ["G"], "pathway": null, "third_party": false}}"#,
        1024,
    )
    .unwrap();
    assert_eq!(b.visit.rank, 1);
}

proptest! {
    #[test]
    fn any_input_is_parsed_or_refused(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_any(&data);
    }

    #[test]
    fn any_query_is_parsed_or_refused(q in ".{0,300}") {
        if let Some(params) = parse_query(&q) {
            prop_assert!(params.len() <= 8);
        }
    }
}
