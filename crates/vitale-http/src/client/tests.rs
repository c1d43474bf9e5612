use std::io;

use super::*;
use crate::config::{BaseUrl, PinnedCa};

fn kind_of(e: ureq::Error) -> (&'static str, bool, bool) {
    let f = classify(e);
    (f.error.kind(), f.before_send, f.transient)
}

#[test]
fn connection_failures_happen_before_sending() {
    for kind in [
        io::ErrorKind::ConnectionRefused,
        io::ErrorKind::NetworkUnreachable,
        io::ErrorKind::HostUnreachable,
    ] {
        assert_eq!(
            kind_of(ureq::Error::Io(io::Error::from(kind))),
            ("unreachable", true, true)
        );
    }
    assert_eq!(
        kind_of(ureq::Error::HostNotFound),
        ("unreachable", true, true)
    );
    assert_eq!(
        kind_of(ureq::Error::Timeout(ureq::Timeout::Connect)),
        ("timeout", true, true)
    );
}

#[test]
fn failures_after_sending_are_transient_or_final() {
    assert_eq!(
        kind_of(ureq::Error::Io(io::Error::from(
            io::ErrorKind::ConnectionReset
        ))),
        ("interrupted", false, true)
    );
    assert_eq!(
        kind_of(ureq::Error::Io(io::Error::from(
            io::ErrorKind::UnexpectedEof
        ))),
        ("interrupted", false, true)
    );
    assert_eq!(
        kind_of(ureq::Error::Timeout(ureq::Timeout::PerRead)),
        ("timeout", false, true)
    );
    assert_eq!(kind_of(ureq::Error::Tls("bad")), ("tls", false, false));
    assert_eq!(
        kind_of(ureq::Error::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ))),
        ("tls", false, false)
    );
    assert_eq!(
        kind_of(ureq::Error::BodyExceedsLimit(10)),
        ("too_large", false, false)
    );
}

#[test]
fn a_bad_path_fails_before_any_connection() -> Result<(), HttpError> {
    let config = ClientConfig::new(
        BaseUrl::parse("https://127.0.0.1:9")?,
        PinnedCa::from_der(&[0x30, 0x00])?,
    );
    let client = HttpClient::new(config);
    for path in ["v1/contexts", "/v1/a b", "/v1/\u{e9}"] {
        let e = client.call(&Call {
            operation: "test",
            method: Method::Get,
            path,
            body: None,
            idempotency: Idempotency::Idempotent,
        });
        assert_eq!(e, Err(HttpError::Config("invalid request path")), "{path}");
    }
    Ok(())
}
