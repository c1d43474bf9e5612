//! A simulated world served over HTTPS on loopback, and a client for it.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::time::Duration;

use vitale_adri::{BillingNumber, ProfessionalIdentity, SpecialtyCode};
use vitale_http::{
    BaseUrl, ClientConfig, HttpClient, HttpContextService, HttpError, PinnedCa, RetryPolicy,
    Timeouts,
};
use vitale_sim::online::{Fault, OnlineServer, ServerConfig};
use vitale_sim::{Household, Seed};
use vitale_verify::token::{ContextError, TokenVerifier};

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Attempts per call in these tests.
pub const ATTEMPTS: u32 = 3;

/// A server for one household of three (seed 7) and a second of one.
pub fn server(fault: Option<Fault>, tweak: impl FnOnce(&mut ServerConfig)) -> Result<OnlineServer> {
    let seed = Seed::from_u64(7);
    let households = vec![
        Household::sample(&seed, 3)?,
        Household::sample(&seed.child("second"), 1)?,
    ];
    let mut config = ServerConfig::new(seed, households).with_fault(fault);
    // Slow answers wait until the server stops: far beyond any client
    // timeout, and the test never waits for them.
    config.slow_delay = Duration::from_secs(600);
    tweak(&mut config);
    Ok(OnlineServer::start(config)?)
}

/// A client configuration for `server`: pinned CA, 3 attempts with
/// millisecond backoffs, the given read timeout.
pub fn config(server: &OnlineServer, read: Duration) -> Result<ClientConfig> {
    let ca = PinnedCa::from_pem(server.ca_pem().as_bytes())?;
    Ok(ClientConfig::new(BaseUrl::parse(&server.url())?, ca)
        .with_timeouts(Timeouts::new(
            Duration::from_secs(10),
            read,
            Duration::from_secs(120),
        ))
        .with_retry(RetryPolicy::new(
            ATTEMPTS,
            Duration::from_millis(2),
            Duration::from_millis(10),
        )))
}

pub fn professional() -> ProfessionalIdentity {
    ProfessionalIdentity::new(
        BillingNumber::parse("991234567").unwrap_or_else(|_| unreachable!("9 digits")),
        SpecialtyCode::parse("01").unwrap_or_else(|_| unreachable!("2 digits")),
    )
}

pub fn service(config: ClientConfig) -> HttpContextService {
    HttpContextService::new(HttpClient::new(config), professional())
}

pub fn verifier(service: HttpContextService) -> TokenVerifier {
    TokenVerifier::new(Arc::new(service))
}

/// The HTTP failure behind a context error, by kind.
pub fn http_kind(e: &ContextError) -> Option<&'static str> {
    vitale_http::http_error(e).map(HttpError::kind)
}
