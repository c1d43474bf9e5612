use super::config::{BillingConfig, signer};
use crate::options::parse_required;
use crate::status::VitaleStatus;
use vitale::billing::json::{ActJson, VisitJson, parse_pathway};

#[test]
fn a_key_is_32_bytes_or_64_hex_digits_in_either_case() {
    let raw = [0x42u8; 32];
    let a = signer(&raw, "key").unwrap();
    let b = signer(
        b" 4242424242424242424242424242424242424242424242424242424242424242\n",
        "key",
    )
    .unwrap();
    let upper = "AB".repeat(32);
    let c = signer(upper.as_bytes(), "key").unwrap();
    use vitale::verify::Signer as _;
    assert_eq!(a.kid(), b.kid());
    assert_ne!(a.kid(), c.kid());
    for bad in [
        &b"42"[..],
        &[0u8; 32][..],
        "zz".repeat(32).as_bytes(),
        &[0xff; 33][..],
    ] {
        let e = signer(bad, "key").unwrap_err();
        assert_eq!(e.status, VitaleStatus::InvalidKey);
        assert!(!e.message.contains("42"), "no key material: {}", e.message);
    }
}

#[test]
fn practice_and_visit_json_are_read_strictly() {
    let config: BillingConfig = parse_required(
        r#"{"practice": {"billing_number": "991234567", "specialty": "01", "sector": "2-optam"}}"#,
        "config",
    )
    .unwrap();
    let practice = config.practice.practice().unwrap();
    assert_eq!(practice.identity.billing_number().as_str(), "991234567");
    for bad in [
        r#"{"practice": {"billing_number": "12", "specialty": "01"}}"#,
        r#"{"practice": {"billing_number": "991234567", "specialty": "01", "sector": "3"}}"#,
        r#"{"practice": {"billing_number": "991234567", "specialty": "01", "profession": "vet"}}"#,
    ] {
        let config: BillingConfig = parse_required(bad, "config").unwrap();
        let e = crate::boundary::Failure::from(config.practice.practice().unwrap_err());
        assert_eq!(e.status, VitaleStatus::InvalidOptions, "{bad}");
        assert!(e.message.starts_with("practice."), "{}", e.message);
    }
    assert!(parse_required::<BillingConfig>(r#"{"practice": {}, "x": 1}"#, "config").is_err());

    let visit: VisitJson = parse_required(
        r#"{"rank": 2, "acts": ["G", {"act": "DEQP003", "extra_fee_cents": 500, "scope": "long_term_condition"}], "pathway": "referred"}"#,
        "visit",
    )
    .unwrap();
    assert_eq!(visit.rank, 2);
    let lines: Vec<_> = visit.acts.iter().map(|a| a.line().unwrap()).collect();
    assert_eq!(lines[0].act.to_string(), "G");
    assert_eq!(lines[1].extra_fee.get(), 500);
    assert!(parse_pathway("referred").is_ok());
    let e = crate::boundary::Failure::from(parse_pathway("sideways").unwrap_err());
    assert_eq!(e.status, VitaleStatus::InvalidOptions);
    let e = crate::boundary::Failure::from(ActJson::Text("NOPE!".into()).line().unwrap_err());
    assert_eq!(e.status, VitaleStatus::FseInvalidAct);
}
