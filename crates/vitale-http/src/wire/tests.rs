use proptest::prelude::*;
use vitale_ins::{BirthDate, Sex};
use vitale_model::{
    Beneficiary, BirthRank, ManagementCode, Organisation, PersonName, QualityCode, Rank,
};

use super::*;

fn sample_context() -> Context {
    let nir = Nir::parse("184037510821010").unwrap_or_else(|_| unreachable!("valid NIR"));
    let name = |s: &str| PersonName::new(s).unwrap_or_else(|| unreachable!("valid name"));
    let insured = Insured::new(
        nir,
        Organisation::new("01", "751", "0001").unwrap_or_else(|| unreachable!()),
        ManagementCode::new("10").unwrap_or_else(|| unreachable!()),
    );
    let beneficiary = Beneficiary::new(
        Rank::new(1).unwrap_or_else(|| unreachable!()),
        QualityCode::new(0).unwrap_or_else(|| unreachable!()),
        name("MARTIN"),
        name("LÉO"),
        Sex::Male,
        BirthDate::parse("19840300").unwrap_or_else(|_| unreachable!()),
        BirthRank::new(1).unwrap_or_else(|| unreachable!()),
    );
    Context::new(
        ContextId::new("ctx-0001").unwrap_or_else(|| unreachable!()),
        Timestamp::from_unix(1_795_336_200).unwrap_or_else(|| unreachable!()),
        Channel::Nfc,
        insured,
        Beneficiaries::new(vec![beneficiary]).unwrap_or_else(|_| unreachable!()),
    )
}

#[test]
fn contexts_round_trip() -> Result<(), HttpError> {
    let context = sample_context();
    let json = context_json(&context);
    assert_eq!(parse_context(&json)?, context);
    let text = String::from_utf8(json).unwrap_or_default();
    assert!(
        text.contains(r#""valid_until":"2026-11-22T08:30:00Z""#),
        "{text}"
    );
    assert!(text.contains(r#""channel":"nfc""#));
    Ok(())
}

#[test]
fn contexts_are_validated() {
    let good = String::from_utf8(context_json(&sample_context())).unwrap_or_default();
    for (from, to, reason) in [
        (r#""id":"ctx-0001""#, r#""id":"ctx 0001""#, "context id"),
        (r#""channel":"nfc""#, r#""channel":"bluetooth""#, "channel"),
        (
            r#""nir":"184037510821010""#,
            r#""nir":"184037510821011""#,
            "context",
        ),
        (
            r#""valid_until":"2026-11-22T08:30:00Z""#,
            r#""valid_until":"soon""#,
            "context",
        ),
        (
            r#""birth_date":"19840300""#,
            r#""birth_date":"1984AB00""#,
            "context",
        ),
    ] {
        assert!(good.contains(from), "{from}");
        let bad = good.replace(from, to);
        assert_eq!(
            parse_context(bad.as_bytes()),
            Err(HttpError::MalformedAnswer { reason }),
            "{to}"
        );
    }
    assert_eq!(
        parse_context(b"{"),
        Err(HttpError::MalformedAnswer { reason: "context" })
    );
    let padded = format!("{good}{}", " ".repeat(MAX_BODY_BYTES));
    assert_eq!(
        parse_context(padded.as_bytes()),
        Err(HttpError::TooLarge {
            limit: MAX_BODY_BYTES
        })
    );
}

#[test]
fn unknown_members_are_ignored() -> Result<(), HttpError> {
    let good = String::from_utf8(context_json(&sample_context())).unwrap_or_default();
    let extended = good.replacen('{', r#"{"opened_at":"2026-11-21T08:00:00Z","#, 1);
    assert_eq!(parse_context(extended.as_bytes())?, sample_context());
    Ok(())
}

#[test]
fn error_bodies_round_trip_and_bound_the_message() {
    let code = ServiceCode::new("token_refused").unwrap_or_else(|| unreachable!());
    let body = error_body(&code, &"x".repeat(10_000));
    assert!(body.len() < 700);
    assert_eq!(parse_error_body(&body), Some(code));
    assert_eq!(parse_error_body(br#"{"error":{"code":"Bad Code"}}"#), None);
    assert_eq!(parse_error_body(br#"{"code":"x"}"#), None);
    assert_eq!(
        parse_error_body(br#"{"error":{"code":"no_message"}}"#).map(|c| c.to_string()),
        Some("no_message".into())
    );
}

#[test]
fn sign_requests_and_answers() -> Result<(), HttpError> {
    let nir = Nir::parse("184037510821010").map_err(|_| HttpError::Config("nir"))?;
    let request = SignRequest::new(nir, &[0xab; 32]);
    let json = serde_json::to_vec(&request).unwrap_or_default();
    assert_eq!(SignRequest::parse(&json)?.digest_bytes()?, [0xab; 32]);
    let upper = String::from_utf8(json)
        .unwrap_or_default()
        .replace("ab", "AB");
    assert!(SignRequest::parse(upper.as_bytes()).is_err());
    let answer = serde_json::to_vec(&SignAnswer::new(&[7; 72])).unwrap_or_default();
    assert_eq!(SignAnswer::parse(&answer)?, vec![7; 72]);
    assert!(SignAnswer::parse(br#"{"signature":""}"#).is_err());
    assert!(SignAnswer::parse(br#"{"signature":"***"}"#).is_err());
    let huge = serde_json::to_vec(&SignAnswer::new(&[7; 2000])).unwrap_or_default();
    assert!(SignAnswer::parse(&huge).is_err());
    Ok(())
}

#[test]
fn open_requests_are_checked() -> Result<(), HttpError> {
    let request = OpenRequest {
        token: "SIMTOK1.ABCDEF0123456789".into(),
        channel: "qr".into(),
        professional: professional(),
    };
    let json =
        String::from_utf8(serde_json::to_vec(&request).unwrap_or_default()).unwrap_or_default();
    assert_eq!(OpenRequest::parse(json.as_bytes())?, request);
    assert!(OpenRequest::parse(json.replace(r#""qr""#, r#""fax""#).as_bytes()).is_err());
    assert!(OpenRequest::parse(json.replace("991234567", "99123456X").as_bytes()).is_err());
    Ok(())
}

#[test]
fn idempotency_keys_are_fresh_and_valid() {
    let a = idempotency_key().unwrap_or_default();
    let b = idempotency_key().unwrap_or_default();
    assert!(is_idempotency_key(&a), "{a}");
    assert_ne!(a, b);
    assert!(!is_idempotency_key("short"));
    assert!(!is_idempotency_key("has a space in it, long enough"));
    let u = random_unit();
    assert!((0.0..=1.0).contains(&u));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any bytes: a context or an error, never a panic.
    #[test]
    fn context_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_context(&bytes);
        let _ = parse_error_body(&bytes);
        let _ = SignAnswer::parse(&bytes);
        let _ = OpenRequest::parse(&bytes);
        let _ = SignRequest::parse(&bytes);
    }

    /// A valid context with one member's text replaced by arbitrary text:
    /// parsed or refused as malformed, never a panic, and what parses
    /// serializes back to an equal context.
    #[test]
    fn mutated_contexts_parse_or_fail_cleanly(
        member in prop::sample::select(vec!["id", "valid_until", "channel", "birth_name", "first_names", "birth_date", "nir"]),
        value in "\\PC{0,40}",
    ) {
        let good = String::from_utf8(context_json(&sample_context())).unwrap_or_default();
        let mut doc: serde_json::Value = serde_json::from_str(&good).unwrap_or_default();
        replace_member(&mut doc, member, &value);
        let bytes = serde_json::to_vec(&doc).unwrap_or_default();
        match parse_context(&bytes) {
            Ok(context) => prop_assert_eq!(parse_context(&context_json(&context)), Ok(context)),
            Err(e) => prop_assert_eq!(e.kind(), "malformed_answer"),
        }
    }

    /// Valid ids survive the round trip and the path encoding stays one
    /// segment.
    #[test]
    fn context_ids_round_trip(id in "[A-Za-z0-9._~:-]{1,128}") {
        let context_id = ContextId::new(&id);
        prop_assert!(context_id.is_some());
        if let Some(context_id) = context_id {
            let path = crate::context_path(&context_id);
            let segment = path.trim_start_matches("/v1/contexts/");
            prop_assert!(!segment.contains('/'));
            prop_assert!(segment != "." && segment != "..");
        }
    }
}

fn replace_member(value: &mut serde_json::Value, member: &str, text: &str) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == member {
                    *v = serde_json::Value::String(text.to_owned());
                } else {
                    replace_member(v, member, text);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                replace_member(v, member, text);
            }
        }
        _ => {}
    }
}

fn professional() -> vitale_adri::ProfessionalIdentity {
    vitale_adri::ProfessionalIdentity::new(
        vitale_adri::BillingNumber::parse("991234567").unwrap_or_else(|_| unreachable!("9 digits")),
        vitale_adri::SpecialtyCode::parse("01").unwrap_or_else(|_| unreachable!("2 digits")),
    )
}
