//! Every fault of the simulated server ends in its typed error, after the
//! number of attempts the retry rules allow — counted by the server, never
//! timed. A real HTTPS server on loopback, no mocks.

mod support;

use std::time::Duration;

use support::*;
use vitale_codec::model::Channel;
use vitale_http::{Call, HttpClient, HttpError, Idempotency, Method, TimeoutPhase};
use vitale_sim::online::{Fault, OnlineServer};
use vitale_verify::token::{Context, ContextError, ContextService};

const NORMAL_READ: Duration = Duration::from_secs(30);

/// Opens a context with no fault, then switches the server to `fault`.
fn opened_then(
    fault: Fault,
    read: Duration,
) -> Result<(OnlineServer, vitale_http::HttpContextService, Context)> {
    let server = server(None, |_| {})?;
    let service = service(config(&server, read)?);
    let context = service.open(&server.issue_token(0, 120)?, Channel::Qr)?;
    server.set_fault(Some(fault));
    Ok((server, service, context))
}

/// A direct `GET` of a context, to see the HTTP error itself.
fn raw_restore(
    client: &HttpClient,
    context: &Context,
) -> std::result::Result<vitale_http::Answer, HttpError> {
    let path = vitale_http::context_path(&context.id);
    client.call(&Call {
        operation: "restore_context",
        method: Method::Get,
        path: &path,
        body: None,
        idempotency: Idempotency::Idempotent,
    })
}

#[test]
fn slow_answers_time_out_on_every_attempt() -> Result {
    let (server, service, context) = opened_then(Fault::Slow, Duration::from_secs(2))?;
    let before = server.stats();
    let e = service.restore(&context.id).err();
    assert_eq!(
        e.as_ref().map(ContextError::kind),
        Some("context_unavailable")
    );
    assert_eq!(e.as_ref().and_then(http_kind), Some("timeout"));
    assert_eq!(server.stats().restore - before.restore, u64::from(ATTEMPTS));
    // Opening is retried too: it carries an idempotency key.
    let token = server.issue_token(0, 120)?;
    let e = service.open(&token, Channel::Qr).err();
    assert_eq!(e.as_ref().and_then(http_kind), Some("timeout"));
    assert_eq!(server.stats().open - before.open, u64::from(ATTEMPTS));
    let raw = raw_restore(service.client(), &context);
    assert_eq!(raw, Err(HttpError::Timeout(TimeoutPhase::Read)));
    Ok(())
}

#[test]
fn flaky_answers_succeed_on_the_last_attempt() -> Result {
    let (server, service, context) = opened_then(Fault::Flaky, NORMAL_READ)?;
    let before = server.stats();
    assert_eq!(service.restore(&context.id)?, context);
    assert_eq!(server.stats().restore - before.restore, 3);
    // An open that fails twice with 503 then succeeds uses its token once.
    let token = server.issue_token(1, 120)?;
    let opened = service.open(&token, Channel::Nfc)?;
    assert_eq!(server.stats().open - before.open, 3);
    assert_eq!(opened.channel, Channel::Nfc);
    server.set_fault(None);
    assert_eq!(
        service.open(&token, Channel::Nfc),
        Err(ContextError::TokenRefused)
    );
    // With two attempts only, the two failures are all the client sees.
    server.set_fault(Some(Fault::Flaky));
    let two = vitale_http::HttpClient::new(config(&server, NORMAL_READ)?.with_retry(
        vitale_http::RetryPolicy::new(2, Duration::from_millis(1), Duration::from_millis(2)),
    ));
    let before = server.stats();
    assert_eq!(
        raw_restore(&two, &context),
        Err(HttpError::HttpStatus { status: 503 })
    );
    assert_eq!(server.stats().restore - before.restore, 2);
    Ok(())
}

#[test]
fn an_unavailable_service_is_tried_the_allowed_number_of_times() -> Result {
    let (server, service, context) = opened_then(Fault::Unavailable, NORMAL_READ)?;
    let before = server.stats();
    let e = service.restore(&context.id).err();
    assert_eq!(e.as_ref().and_then(http_kind), Some("http_status"));
    assert_eq!(server.stats().restore - before.restore, u64::from(ATTEMPTS));
    assert_eq!(
        raw_restore(service.client(), &context),
        Err(HttpError::HttpStatus { status: 503 })
    );
    let e = service.close(&context.id).err();
    assert_eq!(e.as_ref().and_then(http_kind), Some("http_status"));
    assert_eq!(server.stats().close - before.close, u64::from(ATTEMPTS));
    Ok(())
}

#[test]
fn malformed_answers_are_not_retried() -> Result {
    let (server, service, context) = opened_then(Fault::Malformed, NORMAL_READ)?;
    let before = server.stats();
    assert_eq!(
        service.restore(&context.id),
        Err(ContextError::InvalidAnswer)
    );
    assert_eq!(server.stats().restore - before.restore, 1);
    let raw = raw_restore(service.client(), &context)?;
    assert_eq!(
        vitale_http::wire::parse_context(&raw.body),
        Err(HttpError::MalformedAnswer { reason: "context" })
    );
    assert_eq!(raw.attempts, 1);
    Ok(())
}

#[test]
fn oversized_answers_stop_at_the_limit() -> Result {
    let (server, service, context) = opened_then(Fault::Oversized, NORMAL_READ)?;
    let before = server.stats();
    assert_eq!(
        service.restore(&context.id),
        Err(ContextError::InvalidAnswer)
    );
    assert_eq!(server.stats().restore - before.restore, 1);
    assert_eq!(
        raw_restore(service.client(), &context),
        Err(HttpError::TooLarge {
            limit: vitale_http::ClientConfig::DEFAULT_MAX_RESPONSE_BYTES
        })
    );
    Ok(())
}

#[test]
fn truncated_bodies_are_interruptions_and_retried() -> Result {
    let (server, service, context) = opened_then(Fault::Truncated, NORMAL_READ)?;
    let before = server.stats();
    let e = service.restore(&context.id).err();
    assert_eq!(e.as_ref().and_then(http_kind), Some("interrupted"));
    assert_eq!(server.stats().restore - before.restore, u64::from(ATTEMPTS));
    Ok(())
}

#[test]
fn reset_connections_are_interruptions_and_retried() -> Result {
    let (server, service, context) = opened_then(Fault::Reset, NORMAL_READ)?;
    let before = server.stats();
    let e = service.restore(&context.id).err();
    assert_eq!(e.as_ref().and_then(http_kind), Some("interrupted"));
    assert_eq!(server.stats().restore - before.restore, u64::from(ATTEMPTS));
    Ok(())
}

#[test]
fn expired_contexts_are_refused_by_the_verifier_and_the_service() -> Result {
    let (server, service, context) = opened_then(Fault::ExpiredContext, NORMAL_READ)?;
    // A context the service opens already expired.
    let verifier = verifier(service.clone());
    let token = server.issue_token(0, 120)?;
    let e = verifier.verify(&token, Channel::Qr).err();
    assert_eq!(
        e,
        Some(vitale_verify::Error::Context(ContextError::ContextExpired))
    );
    // A context opened before: the service answers 410 once it has ended.
    assert_eq!(service.restore(&context.id).map(|_| ()), Ok(()));
    let expired = service.open(&server.issue_token(0, 120)?, Channel::Qr)?;
    let before = server.stats();
    assert_eq!(
        service.restore(&expired.id),
        Err(ContextError::ContextExpired)
    );
    assert_eq!(server.stats().restore - before.restore, 1);
    Ok(())
}

#[test]
fn a_certificate_from_an_unknown_ca_is_a_tls_failure_never_retried() -> Result {
    let server = server(Some(Fault::UnknownCa), |_| {})?;
    let service = service(config(&server, NORMAL_READ)?);
    let e = service
        .open(&server.issue_token(0, 120)?, Channel::Qr)
        .err();
    assert_eq!(e.as_ref().and_then(http_kind), Some("tls"));
    let stats = server.stats();
    assert_eq!((stats.connections, stats.open), (1, 0));
    Ok(())
}

#[test]
fn nobody_listening_is_unreachable() -> Result {
    let refused = vitale_test_support::RefusedPort::new();
    let server = server(None, |_| {})?;
    let ca = vitale_http::PinnedCa::from_pem(server.ca_pem().as_bytes())?;
    let config = vitale_http::ClientConfig::new(
        vitale_http::BaseUrl::parse(&format!("https://{}", refused.addr()))?,
        ca,
    )
    .with_retry(vitale_http::RetryPolicy::new(
        ATTEMPTS,
        Duration::from_millis(1),
        Duration::from_millis(2),
    ));
    let e = service(config)
        .open(&server.issue_token(0, 120)?, Channel::Qr)
        .err();
    assert_eq!(e.as_ref().and_then(http_kind), Some("unreachable"));
    Ok(())
}

#[test]
fn a_client_certificate_is_presented_when_asked() -> Result {
    let server = server(None, |c| c.require_client_cert = true)?;
    let Some((chain, key)) = server.files().client.clone() else {
        return Err("the server made no client certificate".into());
    };
    // Without it, the server refuses the handshake.
    let bare = service(config(&server, NORMAL_READ)?);
    let e = bare.open(&server.issue_token(0, 120)?, Channel::Qr).err();
    assert_eq!(e.as_ref().and_then(http_kind), Some("tls"));
    // With it, the context opens.
    let identity = vitale_http::ClientIdentity::from_pem(chain.as_bytes(), key.as_bytes())?;
    let with = service(config(&server, NORMAL_READ)?.with_client_identity(identity));
    let context = with.open(&server.issue_token(0, 120)?, Channel::Qr)?;
    assert_eq!(with.restore(&context.id)?, context);
    Ok(())
}

#[test]
fn refusals_keep_their_meaning() -> Result {
    let server = server(None, |_| {})?;
    let service = service(config(&server, NORMAL_READ)?);
    let token = server.issue_token(0, 120)?;
    let context = service.open(&token, Channel::Qr)?;
    let before = server.stats();
    assert_eq!(
        service.open(&token, Channel::Qr),
        Err(ContextError::TokenRefused)
    );
    assert_eq!(server.stats().open - before.open, 1);
    let foreign = vitale_codec::TokenText::parse(
        "SIMTOK1.0000000000000000000000000000000000.00000000000000000000000000000000",
    )?;
    assert_eq!(
        service.open(&foreign, Channel::Qr),
        Err(ContextError::TokenRefused)
    );
    // Closing is idempotent; a closed context is unknown.
    service.close(&context.id)?;
    service.close(&context.id)?;
    assert_eq!(
        service.restore(&context.id),
        Err(ContextError::UnknownContext)
    );
    assert_eq!(
        service.sign_hash(&context.id, context.insured.nir(), &[1; 32]),
        Err(ContextError::UnknownContext)
    );
    Ok(())
}

fn rights_service(server: &OnlineServer) -> Result<vitale_http::HttpRightsService> {
    Ok(vitale_http::HttpRightsService::new(
        HttpClient::new(config(server, NORMAL_READ)?),
        professional(),
    ))
}

fn query_for_holder(server: &OnlineServer, day: time::Date) -> Result<vitale_adri::RightsQuery> {
    let household = server.households().first().ok_or("a household")?;
    let holder = household
        .beneficiaries
        .iter()
        .next()
        .ok_or("a beneficiary")?;
    Ok(vitale_adri::RightsQuery::new(
        day,
        vitale_adri::BeneficiaryId::ThroughInsured {
            insured_nir: household.insured.nir().clone(),
            birth_date: holder.birth_date().clone(),
            birth_rank: holder.birth_rank(),
        },
    )?)
}

const REFERENCE: time::Date = time::macros::date!(2026 - 11 - 21);

#[test]
fn closed_rights_are_an_answer_that_says_so() -> Result {
    use vitale_adri::RightsService as _;
    let server = server(None, |_| {})?;
    let service = rights_service(&server)?;
    let query = query_for_holder(&server, REFERENCE)?;
    assert!(service.rights(&query)?.on(REFERENCE).is_amo_open());
    server.set_fault(Some(Fault::RightsClosed));
    let before = server.stats();
    let closed = service.rights(&query)?;
    assert!(matches!(
        closed.on(REFERENCE).amo(),
        vitale_adri::AmoStatus::Closed { .. }
    ));
    assert_eq!(server.stats().rights - before.rights, 1);
    Ok(())
}

#[test]
fn an_unknown_patient_is_refused_once() -> Result {
    use vitale_adri::RightsService as _;
    let server = server(Some(Fault::UnknownPatient), |_| {})?;
    let service = rights_service(&server)?;
    let query = query_for_holder(&server, REFERENCE)?;
    assert_eq!(
        service.rights(&query),
        Err(vitale_adri::RightsError::PatientUnknown)
    );
    assert_eq!(server.stats().rights, 1);
    // A stranger, without any fault: the same refusal.
    server.set_fault(None);
    let stranger = vitale_adri::RightsQuery::new(
        REFERENCE,
        vitale_adri::BeneficiaryId::CertifiedNir(vitale_ins::Nir::parse("184037510821010")?),
    )?;
    assert_eq!(
        service.rights(&stranger),
        Err(vitale_adri::RightsError::PatientUnknown)
    );
    // Rights queries are reads: retried on transient failures.
    server.set_fault(Some(Fault::Unavailable));
    let before = server.stats();
    let e = service.rights(&query).err();
    assert_eq!(
        e.as_ref().map(vitale_adri::RightsError::kind),
        Some("rights_unavailable")
    );
    assert_eq!(
        e.as_ref()
            .and_then(vitale_http::rights_http_error)
            .map(HttpError::kind),
        Some("http_status")
    );
    assert_eq!(server.stats().rights - before.rights, u64::from(ATTEMPTS));
    Ok(())
}
