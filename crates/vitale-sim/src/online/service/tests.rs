//! The service's logic without the network: tokens are single use,
//! contexts expire and close idempotently, keys replay their answer.

use vitale::verify::token::ContextId;

use super::*;

const NOW: u64 = 1_795_334_400;

fn at(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn service() -> Result<Service, Error> {
    let seed = Seed::from_u64(11);
    let households = vec![
        Household::sample(&seed, 3)?,
        Household::sample(&seed.child("b"), 1)?,
    ];
    Service::new(&seed, households, 1800)
}

fn request(method: &str, path: &str, body: &[u8], key: Option<&str>) -> Request {
    Request {
        method: method.into(),
        path: path.into(),
        idempotency_key: key.map(str::to_owned),
        body: body.to_vec(),
    }
}

fn open_body(token: &str) -> Vec<u8> {
    let request = OpenRequest {
        token: token.into(),
        channel: "qr".into(),
        professional: professional(),
    };
    serde_json::to_vec(&request).unwrap_or_default()
}

fn token(s: &Service, household: u8, serial: u64, expires: u64) -> String {
    s.issuer()
        .issue(TokenClaims {
            household,
            serial,
            expires_at: at(expires),
        })
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default()
}

fn second(s: &Service) -> &Household {
    s.households()
        .get(1)
        .unwrap_or_else(|| unreachable!("two households"))
}

fn code(r: &Response) -> Option<String> {
    vitale_http::wire::parse_error_body(&r.body).map(|c| c.to_string())
}

#[test]
fn a_token_opens_one_context_once() -> Result<(), Error> {
    let s = service()?;
    let t = token(&s, 1, 5, NOW + 60);
    let r = s.handle(
        &request("POST", "/v1/contexts", &open_body(&t), None),
        at(NOW),
        None,
    );
    assert_eq!(r.status, 201);
    let context = wire::parse_context(&r.body).map_err(|_| Error::Sample("context"))?;
    assert_eq!(context.valid_until, at(NOW + 1800));
    assert_eq!(&context.insured, &second(&s).insured);
    let again = s.handle(
        &request("POST", "/v1/contexts", &open_body(&t), None),
        at(NOW),
        None,
    );
    assert_eq!(
        (again.status, code(&again).as_deref()),
        (422, Some("token_refused"))
    );
    Ok(())
}

#[test]
fn bad_expired_or_foreign_tokens_are_refused() -> Result<(), Error> {
    let s = service()?;
    for t in [
        token(&s, 0, 1, NOW),
        token(&s, 7, 2, NOW + 60),
        "SIMTOK1.NOT-A-REAL-TOKEN-AT-ALL".into(),
    ] {
        let r = s.handle(
            &request("POST", "/v1/contexts", &open_body(&t), None),
            at(NOW),
            None,
        );
        assert_eq!(
            (r.status, code(&r).as_deref()),
            (422, Some("token_refused"))
        );
    }
    let r = s.handle(&request("POST", "/v1/contexts", b"{}", None), at(NOW), None);
    assert_eq!((r.status, code(&r).as_deref()), (400, Some("bad_request")));
    Ok(())
}

#[test]
fn contexts_restore_expire_and_close_idempotently() -> Result<(), Error> {
    let s = service()?;
    let t = token(&s, 0, 9, NOW + 60);
    let r = s.handle(
        &request("POST", "/v1/contexts", &open_body(&t), None),
        at(NOW),
        None,
    );
    let id = wire::parse_context(&r.body)
        .map_err(|_| Error::Sample("context"))?
        .id;
    let path = vitale_http::context_path(&id);
    assert_eq!(
        s.handle(&request("GET", &path, b"", None), at(NOW + 10), None)
            .status,
        200
    );
    let late = s.handle(&request("GET", &path, b"", None), at(NOW + 1800), None);
    assert_eq!(
        (late.status, code(&late).as_deref()),
        (410, Some("context_expired"))
    );
    assert_eq!(
        s.handle(&request("DELETE", &path, b"", None), at(NOW), None)
            .status,
        204
    );
    assert_eq!(
        s.handle(&request("DELETE", &path, b"", None), at(NOW), None)
            .status,
        204
    );
    let gone = s.handle(&request("GET", &path, b"", None), at(NOW), None);
    assert_eq!(
        (gone.status, code(&gone).as_deref()),
        (404, Some("unknown_context"))
    );
    let never = ContextId::new("ctx-never").unwrap_or_else(|| unreachable!());
    let r = s.handle(
        &request("DELETE", &vitale_http::context_path(&never), b"", None),
        at(NOW),
        None,
    );
    assert_eq!(r.status, 404);
    Ok(())
}

#[test]
fn an_idempotency_key_replays_the_first_answer() -> Result<(), Error> {
    let s = service()?;
    let t = token(&s, 0, 3, NOW + 60);
    let body = open_body(&t);
    let key = Some("0123456789abcdef0123456789abcdef");
    let first = s.handle(&request("POST", "/v1/contexts", &body, key), at(NOW), None);
    let second = s.handle(&request("POST", "/v1/contexts", &body, key), at(NOW), None);
    assert_eq!(first.status, 201);
    assert_eq!(first, second);
    let other = s.handle(
        &request(
            "POST",
            "/v1/contexts",
            &open_body(&token(&s, 0, 4, NOW + 60)),
            key,
        ),
        at(NOW),
        None,
    );
    assert_eq!(
        (other.status, code(&other).as_deref()),
        (422, Some("idempotency_key_reused"))
    );
    let bad_key = s.handle(
        &request("POST", "/v1/contexts", &body, Some("short")),
        at(NOW),
        None,
    );
    assert_eq!(bad_key.status, 400);
    Ok(())
}

#[test]
fn signatures_need_the_context_insured_person() -> Result<(), Error> {
    let s = service()?;
    let t = token(&s, 0, 12, NOW + 60);
    let r = s.handle(
        &request("POST", "/v1/contexts", &open_body(&t), None),
        at(NOW),
        None,
    );
    let context = wire::parse_context(&r.body).map_err(|_| Error::Sample("context"))?;
    let path = format!("{}/signatures", vitale_http::context_path(&context.id));
    let good = SignRequest::new(context.insured.nir().clone(), &[5; 32]);
    let r = s.handle(
        &request(
            "POST",
            &path,
            &serde_json::to_vec(&good).unwrap_or_default(),
            None,
        ),
        at(NOW),
        None,
    );
    assert_eq!(r.status, 200);
    let signature = SignAnswer::parse(&r.body).map_err(|_| Error::Sample("signature"))?;
    assert_eq!(signature.len(), 64);
    let other = SignRequest::new(second(&s).insured.nir().clone(), &[5; 32]);
    let r = s.handle(
        &request(
            "POST",
            &path,
            &serde_json::to_vec(&other).unwrap_or_default(),
            None,
        ),
        at(NOW),
        None,
    );
    assert_eq!(
        (r.status, code(&r).as_deref()),
        (422, Some("insured_mismatch"))
    );
    Ok(())
}

#[test]
fn the_expired_context_fault_opens_expired_contexts() -> Result<(), Error> {
    let s = service()?;
    let t = token(&s, 0, 1, NOW + 60);
    let r = s.handle(
        &request("POST", "/v1/contexts", &open_body(&t), None),
        at(NOW),
        Some(Fault::ExpiredContext),
    );
    let context = wire::parse_context(&r.body).map_err(|_| Error::Sample("context"))?;
    assert!(context.valid_until < at(NOW));
    let r = s.handle(
        &request("GET", &vitale_http::context_path(&context.id), b"", None),
        at(NOW),
        None,
    );
    assert_eq!(r.status, 410);
    Ok(())
}

#[test]
fn the_token_endpoint_issues_checkable_tokens() -> Result<(), Error> {
    let s = service()?;
    let r = s.handle(
        &request("POST", "/sim/v1/tokens", br#"{"household":1}"#, None),
        at(NOW),
        None,
    );
    assert_eq!(r.status, 201);
    let value: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
    let token = value
        .get("token")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let claims = s.issuer().check(token);
    assert_eq!(
        claims.map(|c| (c.household, c.expires_at)),
        Some((1, at(NOW + 120)))
    );
    let r = s.handle(
        &request("POST", "/sim/v1/tokens", br#"{"household":5}"#, None),
        at(NOW),
        None,
    );
    assert_eq!(r.status, 422);
    let r = s.handle(&request("GET", "/nowhere", b"", None), at(NOW), None);
    assert_eq!(r.status, 404);
    Ok(())
}

fn professional() -> vitale_adri::ProfessionalIdentity {
    vitale_adri::ProfessionalIdentity::new(
        vitale_adri::BillingNumber::parse("991234567").unwrap_or_else(|_| unreachable!("9 digits")),
        vitale_adri::SpecialtyCode::parse("01").unwrap_or_else(|_| unreachable!("2 digits")),
    )
}
