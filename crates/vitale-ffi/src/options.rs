//! The JSON arguments: terminal options, the online services' settings,
//! queries. Each is read strictly (unknown fields refused) and bounded.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use vitale::codec::model::Timestamp;

use crate::boundary::Failure;

/// Largest JSON argument or JSON text read (options with CA certificates
/// stay far below).
pub(crate) const MAX_JSON_BYTES: usize = 16 << 20;

/// Reads a JSON argument; null or empty gives the defaults.
pub(crate) fn parse<T: DeserializeOwned + Default>(
    text: Option<&str>,
    what: &str,
) -> Result<T, Failure> {
    match text {
        None => Ok(T::default()),
        Some(text) if text.trim().is_empty() => Ok(T::default()),
        Some(text) => parse_required(text, what),
    }
}

/// Reads a required JSON argument: a JSON object.
pub(crate) fn parse_required<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, Failure> {
    if text.len() > MAX_JSON_BYTES {
        return Err(Failure::options(what, "longer than 16 MiB"));
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Failure::options(what, e))?;
    if !value.is_object() {
        return Err(Failure::options(what, "a JSON object is expected"));
    }
    T::deserialize(value).map_err(|e| Failure::options(what, e))
}

/// An instant: RFC 3339 text (`"2026-11-12T14:00:00Z"`) or UNIX seconds.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Instant {
    /// UNIX seconds.
    Unix(u64),
    /// RFC 3339.
    Text(String),
}

impl Instant {
    /// The timestamp, or why not.
    pub(crate) fn timestamp(&self, what: &str) -> Result<Timestamp, Failure> {
        match self {
            Instant::Unix(secs) => Timestamp::from_unix(*secs),
            Instant::Text(text) => Timestamp::parse_rfc3339(text),
        }
        .ok_or_else(|| {
            Failure::options(
                what,
                "expected RFC 3339 (2026-11-12T14:00:00Z) or UNIX seconds in range",
            )
        })
    }
}

/// The system clock, as a timestamp.
pub(crate) fn now() -> Result<Timestamp, Failure> {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).ok_or_else(|| {
        Failure::abi(
            crate::status::VitaleStatus::InvalidArgument,
            "the system clock is out of range",
        )
    })
}

/// The terminal's options (`vitale_terminal_new`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TerminalOptions {
    /// A fixed "now" (replays, tests): the trust list is checked and every
    /// presentation verified at that instant. Default: the system clock.
    #[serde(default)]
    pub(crate) at: Option<Instant>,
    /// Tolerated clock difference with the phone, seconds (default 300).
    #[serde(default)]
    pub(crate) clock_skew_secs: Option<u64>,
    /// NIRs and INS matricules in full in JSON results (default: masked).
    #[serde(default)]
    pub(crate) show_nir: bool,
    /// The QR decoder: `"strategy"` (default: the decoding strategy, which
    /// reads dark-mode codes), or a single backend, `"rxing"` or
    /// `"quircs"`.
    #[serde(default)]
    pub(crate) qr_decoder: Option<String>,
    /// The `token` profile's context service; without it a token read is
    /// `no_token_verifier`.
    #[serde(default)]
    pub(crate) context_service: Option<OnlineService>,
    /// Where the replay cache lives (`docs/deployment.md`): `"memory"`
    /// (default), `"sqlite:PATH"` (feature `sqlite`, default: a replay
    /// stays refused after a restart) or `"postgres:URL"` (feature
    /// `postgres`: shared by a site's workstations).
    #[serde(default)]
    pub(crate) replay_cache: Option<String>,
}

/// An online service of the reference HTTPS binding (`docs/online.md`):
/// where it is, the CA to pin, and the professional calling it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(feature = "online"), allow(dead_code))]
pub(crate) struct OnlineService {
    /// `https://host:port/base`.
    pub(crate) url: String,
    /// The CA certificate(s) to pin, PEM.
    pub(crate) ca_pem: String,
    /// The professional's billing number (*n° AM*, 9 digits).
    pub(crate) billing_number: String,
    /// The professional's specialty code (*code spécialité*, 2 digits).
    pub(crate) specialty: String,
    /// The professional's RPPS number (11 digits), if any.
    #[serde(default)]
    pub(crate) rpps: Option<String>,
    /// Upper bound on one call, seconds (default 10).
    #[serde(default)]
    pub(crate) timeout_secs: Option<u64>,
    /// Upper bound on reaching the service — TCP connection and TLS
    /// handshake — seconds (default 5, at most `timeout_secs`).
    #[serde(default)]
    pub(crate) connect_timeout_secs: Option<u64>,
    /// A client certificate chain (PEM), for mutual TLS.
    #[serde(default)]
    pub(crate) client_cert_pem: Option<String>,
    /// The client certificate's key (PEM).
    #[serde(default)]
    pub(crate) client_key_pem: Option<String>,
}

#[cfg(test)]
mod tests;
