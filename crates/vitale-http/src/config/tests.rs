use std::time::Duration;

use super::*;

#[test]
fn base_urls_are_https_with_a_host() -> Result<(), HttpError> {
    let url = BaseUrl::parse("HTTPS://Contexts.Example:8443/api/")?;
    assert_eq!(url.as_str(), "https://Contexts.Example:8443/api");
    assert_eq!(url.host(), "contexts.example");
    assert_eq!(
        BaseUrl::parse("https://127.0.0.1:4433")?.host(),
        "127.0.0.1"
    );
    assert_eq!(BaseUrl::parse("https://[::1]:4433/")?.host(), "::1");
    for bad in [
        "http://contexts.example",
        "https://",
        "https:///v1",
        "https://user@host",
        "https://host/?q=1",
        "https://host/#f",
        "https://ho st",
        "contexts.example",
        "",
    ] {
        assert!(
            matches!(BaseUrl::parse(bad), Err(HttpError::Config(_))),
            "{bad}"
        );
    }
    assert!(BaseUrl::parse(&format!("https://h/{}", "a".repeat(3000))).is_err());
    Ok(())
}

#[test]
fn pinned_ca_needs_a_certificate() {
    assert!(matches!(
        PinnedCa::from_pem(b"no pem here"),
        Err(HttpError::Config(_))
    ));
    assert!(matches!(
        PinnedCa::from_pem(b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"),
        Err(HttpError::Config(_))
    ));
    assert!(PinnedCa::from_der(&[]).is_err());
    assert!(PinnedCa::from_der(&[0x30, 0x00]).is_ok());
    assert!(ClientIdentity::from_pem(b"", b"").is_err());
}

#[test]
fn backoff_doubles_up_to_the_cap_and_stays_in_its_band() {
    let p = RetryPolicy::new(5, Duration::from_millis(100), Duration::from_millis(300));
    assert_eq!(p.backoff_ceiling(2), Duration::from_millis(100));
    assert_eq!(p.backoff_ceiling(3), Duration::from_millis(200));
    assert_eq!(p.backoff_ceiling(4), Duration::from_millis(300));
    assert_eq!(p.backoff_ceiling(40), Duration::from_millis(300));
    assert_eq!(p.backoff(3, 0.0), Duration::from_millis(100));
    assert_eq!(p.backoff(3, 1.0), Duration::from_millis(200));
    assert_eq!(p.backoff(3, 7.0), Duration::from_millis(200));
    assert_eq!(
        RetryPolicy::new(0, Duration::ZERO, Duration::ZERO).max_attempts,
        1
    );
    assert_eq!(
        RetryPolicy::new(99, Duration::ZERO, Duration::ZERO).max_attempts,
        10
    );
    assert_eq!(RetryPolicy::none().max_attempts, 1);
}

#[test]
fn response_limit_is_clamped() -> Result<(), HttpError> {
    let ca = PinnedCa::from_der(&[0x30, 0x00])?;
    let config = ClientConfig::new(BaseUrl::parse("https://h")?, ca);
    assert_eq!(
        config.max_response_bytes(),
        ClientConfig::DEFAULT_MAX_RESPONSE_BYTES
    );
    assert_eq!(
        config
            .clone()
            .with_max_response_bytes(0)
            .max_response_bytes(),
        1
    );
    assert_eq!(
        config
            .with_max_response_bytes(usize::MAX)
            .max_response_bytes(),
        ClientConfig::MAX_RESPONSE_BYTES
    );
    Ok(())
}

#[test]
fn debug_hides_key_material() -> Result<(), HttpError> {
    let ca = PinnedCa::from_der(&[0x30, 0x00])?;
    assert_eq!(format!("{ca:?}"), "PinnedCa(<1 certificates>)");
    Ok(())
}
