//! The blocking HTTPS client: one [`HttpClient::call`] sends a request,
//! retries it when that is safe, and reads the answer within the limits.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ureq::http;
use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

use crate::config::ClientConfig;
use crate::error::{HttpError, ServiceCode, TimeoutPhase};
use crate::wire;

/// The HTTP method of a call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`, with a JSON body.
    Post,
    /// `DELETE`.
    Delete,
}

impl Method {
    fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Delete => http::Method::DELETE,
        }
    }
}

/// Whether a call may be sent twice (`docs/online.md` §5).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Idempotency {
    /// Sending it twice has the effect of sending it once (reads,
    /// `DELETE`): retried on every retryable failure.
    Idempotent,
    /// Not idempotent by itself, made so by an `Idempotency-Key` header
    /// that the service honours: a fresh random key per call, the same for
    /// its retries. Retried like [`Idempotency::Idempotent`]; when no
    /// random key can be drawn, the call is sent without one and treated
    /// as [`Idempotency::NotIdempotent`].
    WithKey,
    /// Never sent twice once it may have reached the service: retried
    /// only when no connection could be made.
    NotIdempotent,
}

/// One logical call of the protocol.
#[derive(Clone, Copy, Debug)]
pub struct Call<'a> {
    /// The operation's name for logs (`open_context`…): never data.
    pub operation: &'static str,
    /// The method.
    pub method: Method,
    /// The path after the base URL, from `/` (it must hold no personal
    /// data: URLs end up in logs).
    pub path: &'a str,
    /// The JSON body, for `POST`.
    pub body: Option<&'a [u8]>,
    /// Whether it may be retried.
    pub idempotency: Idempotency,
}

/// A successful (2xx) answer.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, within the response size limit.
    pub body: Vec<u8>,
    /// Attempts made (1 when the first one succeeded).
    pub attempts: u32,
}

/// A blocking HTTPS client for one service: rustls with the pinned CA
/// only, an optional client certificate, timeouts, bounded retries, a
/// response size limit. Cheap to clone (the connection pool is shared);
/// safe to share between threads.
#[derive(Clone)]
pub struct HttpClient {
    agent: ureq::Agent,
    config: Arc<ClientConfig>,
}

impl core::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpClient")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// How one attempt failed, and whether another may follow.
struct Failure {
    error: HttpError,
    /// The request cannot have reached the service (no connection).
    before_send: bool,
    /// A transient failure (timeout, lost connection, 429/5xx).
    transient: bool,
}

impl HttpClient {
    /// A client for `config`. No connection is made yet.
    pub fn new(config: ClientConfig) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(provider)
            .root_certs(RootCerts::new_with_certs(config.ca.certificates()))
            .client_cert(config.identity.as_ref().map(|i| i.to_ureq()))
            .build();
        let t = config.timeouts;
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .https_only(true)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(None)
            .user_agent(concat!("vitale-http/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(t.connect))
            .timeout_resolve(Some(t.connect))
            .timeout_per_read(Some(t.read))
            .timeout_per_write(Some(t.read))
            .timeout_global(Some(t.total))
            .max_response_header_size(16 * 1024)
            .build()
            .new_agent();
        HttpClient {
            agent,
            config: Arc::new(config),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Sends `call`, retrying per its [`Idempotency`] and the retry
    /// policy, and returns the 2xx answer.
    ///
    /// A 4xx with a valid error body is [`HttpError::Refused`]; other
    /// non-2xx statuses are [`HttpError::HttpStatus`]. Emits a `tracing`
    /// span `vitale_http.call` with the operation, host, attempts, status,
    /// outcome and duration — never the path, body or answer.
    pub fn call(&self, call: &Call<'_>) -> Result<Answer, HttpError> {
        let span = tracing::info_span!(
            "vitale_http.call",
            operation = call.operation,
            host = self.config.base_url.host(),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            outcome = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let _entered = span.enter();
        let start = Instant::now();
        let result = self.call_with_retries(call, start);
        let (attempts, outcome) = match &result {
            Ok(answer) => {
                span.record("status", answer.status);
                (answer.attempts, "ok")
            }
            Err((attempts, e)) => {
                if let HttpError::HttpStatus { status } | HttpError::Refused { status, .. } = e {
                    span.record("status", *status);
                }
                (*attempts, e.kind())
            }
        };
        span.record("attempts", attempts);
        span.record("outcome", outcome);
        span.record("duration_ms", millis(start.elapsed()));
        tracing::info!(attempts, outcome, "call finished");
        result.map_err(|(_, e)| e)
    }

    fn call_with_retries(
        &self,
        call: &Call<'_>,
        start: Instant,
    ) -> Result<Answer, (u32, HttpError)> {
        let url = format!("{}{}", self.config.base_url.as_str(), call.path);
        let path_ok = call.path.starts_with('/')
            && call
                .path
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'?' && b != b'#');
        if !path_ok || url.parse::<http::Uri>().is_err() {
            return Err((0, HttpError::Config("invalid request path")));
        }
        let key = match call.idempotency {
            Idempotency::WithKey => wire::idempotency_key(),
            _ => None,
        };
        let retry_after_send = match call.idempotency {
            Idempotency::Idempotent => true,
            Idempotency::WithKey => key.is_some(),
            Idempotency::NotIdempotent => false,
        };
        let policy = self.config.retry;
        let total = self.config.timeouts.total;
        let mut attempt = 1;
        loop {
            let remaining = total.saturating_sub(start.elapsed());
            if remaining.is_zero() {
                return Err((attempt - 1, HttpError::Timeout(TimeoutPhase::Total)));
            }
            let attempt_start = Instant::now();
            let failure = match self.attempt(call, &url, key.as_deref(), remaining) {
                Ok(answer) => {
                    tracing::debug!(attempt, status = answer.status, "attempt succeeded");
                    return Ok(Answer {
                        attempts: attempt,
                        ..answer
                    });
                }
                Err(failure) => failure,
            };
            tracing::debug!(
                attempt,
                kind = failure.error.kind(),
                elapsed_ms = millis(attempt_start.elapsed()),
                "attempt failed"
            );
            let retryable = failure.before_send || (failure.transient && retry_after_send);
            if !retryable || attempt >= policy.max_attempts {
                return Err((attempt, failure.error));
            }
            attempt += 1;
            let pause = policy.backoff(attempt, wire::random_unit());
            if start.elapsed() + pause >= total {
                return Err((attempt - 1, failure.error));
            }
            std::thread::sleep(pause);
        }
    }

    /// One attempt, within `budget`.
    fn attempt(
        &self,
        call: &Call<'_>,
        url: &str,
        key: Option<&str>,
        budget: Duration,
    ) -> Result<Answer, Failure> {
        let mut builder = http::Request::builder()
            .method(call.method.as_http())
            .uri(url)
            .header("accept", "application/json");
        if call.body.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        if let Some(key) = key {
            builder = builder.header(wire::IDEMPOTENCY_KEY_HEADER, key);
        }
        let request = builder
            .body(call.body.unwrap_or_default().to_vec())
            .map_err(|_| Failure {
                error: HttpError::Config("invalid request"),
                before_send: false,
                transient: false,
            })?;
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(budget))
            .build();
        let mut response = self.agent.run(request).map_err(classify)?;
        let status = response.status().as_u16();
        let limit = self.config.max_response_bytes;
        let body = response
            .body_mut()
            .with_config()
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(|e| match classify(e) {
                Failure {
                    error: HttpError::TooLarge { .. },
                    ..
                } => Failure {
                    error: HttpError::TooLarge { limit },
                    before_send: false,
                    transient: false,
                },
                other => other,
            })?;
        if (200..300).contains(&status) {
            return Ok(Answer {
                status,
                body,
                attempts: 1,
            });
        }
        let transient = status == 429 || matches!(status, 500 | 502 | 503 | 504);
        let error = match (status, wire::parse_error_body(&body)) {
            (400..=499, Some(code)) => refused(status, code),
            _ => HttpError::HttpStatus { status },
        };
        Err(Failure {
            error,
            before_send: false,
            transient,
        })
    }
}

fn refused(status: u16, code: ServiceCode) -> HttpError {
    HttpError::Refused { status, code }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Maps a transport failure onto the crate's kinds.
fn classify(e: ureq::Error) -> Failure {
    use std::io::ErrorKind as K;
    use ureq::Timeout as T;
    let (error, before_send, transient) = match e {
        ureq::Error::Timeout(T::Connect | T::Resolve) => {
            (HttpError::Timeout(TimeoutPhase::Connect), true, true)
        }
        ureq::Error::Timeout(T::Global | T::PerCall) => {
            (HttpError::Timeout(TimeoutPhase::Total), false, true)
        }
        ureq::Error::Timeout(_) => (HttpError::Timeout(TimeoutPhase::Read), false, true),
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            (HttpError::unreachable(e), true, true)
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => (HttpError::tls(e), false, false),
        ureq::Error::BodyExceedsLimit(limit) => (
            HttpError::TooLarge {
                limit: usize::try_from(limit).unwrap_or(usize::MAX),
            },
            false,
            false,
        ),
        ureq::Error::LargeResponseHeader(_, limit) => (HttpError::TooLarge { limit }, false, false),
        ureq::Error::Protocol(_) => (
            HttpError::MalformedAnswer {
                reason: "not an HTTP/1.1 answer",
            },
            false,
            false,
        ),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) | ureq::Error::RequireHttpsOnly(_) => {
            (HttpError::Config("invalid request URL"), false, false)
        }
        ureq::Error::Io(io) => {
            let is_tls = io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some());
            match io.kind() {
                _ if is_tls => (HttpError::tls(io), false, false),
                K::ConnectionRefused
                | K::AddrNotAvailable
                | K::NetworkUnreachable
                | K::HostUnreachable
                | K::NotFound => (HttpError::unreachable(io), true, true),
                K::TimedOut | K::WouldBlock => {
                    (HttpError::Timeout(TimeoutPhase::Read), false, true)
                }
                _ => (HttpError::interrupted(io), false, true),
            }
        }
        other => (HttpError::interrupted(other), false, true),
    };
    Failure {
        error,
        before_send,
        transient,
    }
}

#[cfg(test)]
mod tests;
