//! How a client reaches a service: base URL, pinned CA, optional client
//! certificate, timeouts, retries and the response size limit.

use std::time::Duration;

use ureq::tls::{Certificate, PemItem, PrivateKey, parse_pem};

use crate::HttpError;

/// The service's base URL: `https://host[:port][/prefix]`, without query
/// or fragment. Paths of the protocol (`/v1/contexts`…) are appended.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BaseUrl {
    text: String,
    host: String,
}

impl BaseUrl {
    /// Longest base URL.
    pub const MAX_CHARS: usize = 2048;

    /// Validates a base URL: `https://` (any letter case), a host, an
    /// optional port and path prefix; no user info, query or fragment; a
    /// trailing `/` is dropped.
    pub fn parse(text: &str) -> Result<Self, HttpError> {
        let bad = HttpError::Config;
        if text.len() > Self::MAX_CHARS || !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad(
                "the base URL is not printable ASCII of at most 2048 characters",
            ));
        }
        let rest = text
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
            .and_then(|_| text.get(8..))
            .ok_or(bad("the base URL does not start with https://"))?;
        if rest.contains(['?', '#', '@']) {
            return Err(bad("the base URL has a query, a fragment or user info"));
        }
        let authority = rest.split('/').next().unwrap_or_default();
        let host = if let Some(v6) = authority.strip_prefix('[') {
            v6.split(']').next().unwrap_or_default()
        } else {
            authority.split(':').next().unwrap_or_default()
        };
        if host.is_empty() {
            return Err(bad("the base URL has no host"));
        }
        let host = host.to_ascii_lowercase();
        let text = format!("https://{}", rest.trim_end_matches('/'));
        Ok(BaseUrl { text, host })
    }

    /// The URL, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The host (name or IP address, lower case), as logs show it.
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// The CA certificates the service's certificate must chain to: the only
/// trust anchors the client uses (no system roots).
#[derive(Clone)]
pub struct PinnedCa(Vec<Certificate<'static>>);

impl core::fmt::Debug for PinnedCa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PinnedCa(<{} certificates>)", self.0.len())
    }
}

impl PinnedCa {
    /// Every `CERTIFICATE` of a PEM text (other items are ignored); at
    /// least one is needed.
    pub fn from_pem(pem: &[u8]) -> Result<Self, HttpError> {
        let mut certs = Vec::new();
        for item in parse_pem(pem) {
            match item {
                Ok(PemItem::Certificate(cert)) => certs.push(cert),
                Ok(_) => {}
                Err(_) => return Err(HttpError::Config("the CA PEM text does not parse")),
            }
        }
        if certs.is_empty() {
            return Err(HttpError::Config("no CERTIFICATE in the CA PEM text"));
        }
        Ok(PinnedCa(certs))
    }

    /// One certificate in DER (checked when the first connection is made).
    pub fn from_der(der: &[u8]) -> Result<Self, HttpError> {
        if der.is_empty() {
            return Err(HttpError::Config("empty CA certificate"));
        }
        Ok(PinnedCa(vec![Certificate::from_der(der).to_owned()]))
    }

    pub(crate) fn certificates(&self) -> &[Certificate<'static>] {
        &self.0
    }
}

/// A client certificate chain and its private key, for services that
/// authenticate the workstation by mutual TLS. `Debug` does not show the
/// key.
#[derive(Clone)]
pub struct ClientIdentity {
    cert: ureq::tls::ClientCert,
}

impl core::fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "ClientIdentity(<{} certificates>, <key>)",
            self.cert.certs().len()
        )
    }
}

impl ClientIdentity {
    /// The chain (leaf first) from one PEM text and the private key (PKCS#8,
    /// SEC1 or PKCS#1) from another.
    pub fn from_pem(chain_pem: &[u8], key_pem: &[u8]) -> Result<Self, HttpError> {
        let mut chain = Vec::new();
        for item in parse_pem(chain_pem) {
            match item {
                Ok(PemItem::Certificate(cert)) => chain.push(cert),
                Ok(_) => {}
                Err(_) => return Err(HttpError::Config("the client chain PEM does not parse")),
            }
        }
        if chain.is_empty() {
            return Err(HttpError::Config("no CERTIFICATE in the client chain PEM"));
        }
        let key = PrivateKey::from_pem(key_pem)
            .map_err(|_| HttpError::Config("the client key PEM does not parse"))?;
        Ok(ClientIdentity {
            cert: ureq::tls::ClientCert::new_with_certs(&chain, key),
        })
    }

    pub(crate) fn to_ureq(&self) -> ureq::tls::ClientCert {
        self.cert.clone()
    }
}

/// Connect, read and total timeouts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct Timeouts {
    /// Setting up one connection, TLS handshake included (default 5 s).
    pub connect: Duration,
    /// Longest wait for the server's next bytes (default 10 s).
    pub read: Duration,
    /// The whole call, every attempt and backoff included (default 30 s).
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(10),
            total: Duration::from_secs(30),
        }
    }
}

impl Timeouts {
    /// Timeouts from their three values.
    pub fn new(connect: Duration, read: Duration, total: Duration) -> Self {
        Timeouts {
            connect,
            read,
            total,
        }
    }
}

/// Bounded retries with jittered exponential backoff.
///
/// Attempt `n` (from 2) waits a delay drawn uniformly in `[d/2, d]`, with
/// `d = min(max_backoff, initial_backoff × 2^(n−2))`, and only while the
/// total timeout leaves room for it. Which failures are retried, and for
/// which calls: [`crate::Idempotency`] and `docs/online.md` §5.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 to [`RetryPolicy::MAX_ATTEMPTS`];
    /// default 3).
    pub max_attempts: u32,
    /// The first backoff's upper bound (default 200 ms).
    pub initial_backoff: Duration,
    /// The largest backoff (default 2 s).
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// The most attempts a policy may ask for.
    pub const MAX_ATTEMPTS: u32 = 10;

    /// A policy; `max_attempts` is clamped to 1..=[`RetryPolicy::MAX_ATTEMPTS`].
    pub fn new(max_attempts: u32, initial_backoff: Duration, max_backoff: Duration) -> Self {
        RetryPolicy {
            max_attempts: max_attempts.clamp(1, Self::MAX_ATTEMPTS),
            initial_backoff,
            max_backoff,
        }
    }

    /// No retry: one attempt.
    pub fn none() -> Self {
        RetryPolicy::new(1, Duration::ZERO, Duration::ZERO)
    }

    /// The upper bound of the backoff before attempt `attempt` (2, 3…).
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(2).min(20);
        self.initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }

    /// The backoff before attempt `attempt`, with `unit` in `[0, 1]` the
    /// random draw: `ceiling × (1 + unit) / 2`.
    pub fn backoff(&self, attempt: u32, unit: f64) -> Duration {
        let ceiling = self.backoff_ceiling(attempt);
        ceiling.mul_f64((1.0 + unit.clamp(0.0, 1.0)) / 2.0)
    }
}

/// Everything a client needs to reach one service.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub(crate) base_url: BaseUrl,
    pub(crate) ca: PinnedCa,
    pub(crate) identity: Option<ClientIdentity>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
}

impl ClientConfig {
    /// Default response size limit (256 KiB: a context of 16
    /// beneficiaries is about 10 KB).
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 256 * 1024;
    /// The largest response size limit allowed (16 MiB).
    pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

    /// A configuration with the default timeouts, retries and limit.
    pub fn new(base_url: BaseUrl, ca: PinnedCa) -> Self {
        ClientConfig {
            base_url,
            ca,
            identity: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Presents a client certificate (mutual TLS).
    pub fn with_client_identity(mut self, identity: ClientIdentity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Replaces the timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the response size limit (clamped to 1 byte ..=
    /// [`ClientConfig::MAX_RESPONSE_BYTES`]).
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit.clamp(1, Self::MAX_RESPONSE_BYTES);
        self
    }

    /// The base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The retry policy.
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }

    /// The response size limit.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

#[cfg(test)]
mod tests;
