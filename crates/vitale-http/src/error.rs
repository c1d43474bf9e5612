//! The crate's one error type: every way an HTTPS call to an online
//! service can fail, each with a stable [`HttpError::kind`].

use std::sync::Arc;

/// A service's refusal code, from the error body
/// `{"error": {"code": …, "message": …}}` (`docs/online.md` §4): 1 to
/// [`ServiceCode::MAX_CHARS`] characters among `a-z 0-9 _`.
///
/// Codes are the service's words (`token_refused`, `unknown_context`…);
/// the message next to them is not kept, since a service may put anything
/// in it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ServiceCode(String);

impl ServiceCode {
    /// Longest code.
    pub const MAX_CHARS: usize = 64;

    /// Validates a code.
    pub fn new(text: &str) -> Option<Self> {
        let ok = (1..=Self::MAX_CHARS).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        ok.then(|| ServiceCode(text.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which timeout fired.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Setting up the connection (TCP and the TLS handshake).
    Connect,
    /// Waiting for the server's next bytes (the read timeout).
    Read,
    /// The whole call, retries included (the total timeout).
    Total,
}

impl core::fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connect",
            TimeoutPhase::Read => "read",
            TimeoutPhase::Total => "total",
        })
    }
}

/// Why a call to an online service failed.
///
/// Messages hold no personal data and no token: at most a host name, an
/// HTTP status, a service code and the transport's own reason. Two errors
/// are equal when they have the same kind and the same status or code
/// (sources are shared, `Arc`, and not compared).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The client configuration is unusable (a base URL that is not
    /// `https://`, a CA or client key that does not parse).
    #[error("invalid HTTP client configuration: {0}")]
    Config(&'static str),
    /// A timeout fired.
    #[error("{0} timeout")]
    Timeout(TimeoutPhase),
    /// No connection could be made (name not resolved, connection refused,
    /// no route).
    #[error("service unreachable")]
    Unreachable(#[source] Arc<dyn std::error::Error + Send + Sync>),
    /// The connection broke during the exchange (reset, body cut short).
    #[error("connection interrupted")]
    Interrupted(#[source] Arc<dyn std::error::Error + Send + Sync>),
    /// The TLS handshake failed: the server's certificate does not chain
    /// to the pinned CA, does not name the host, or the server refused
    /// the client certificate.
    #[error("TLS failure")]
    Tls(#[source] Arc<dyn std::error::Error + Send + Sync>),
    /// The server answered an HTTP status this protocol does not expect
    /// (a 5xx, or a 4xx without a valid error body).
    #[error("HTTP status {status}")]
    HttpStatus {
        /// The status code.
        status: u16,
    },
    /// The service refused the request with its own code (a 4xx with a
    /// valid error body).
    #[error("refused by the service: {code} (HTTP {status})")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The service's code.
        code: ServiceCode,
    },
    /// The answer is not what the protocol says (not JSON, wrong shape,
    /// an invalid value): `reason` names what, never the value.
    #[error("malformed answer: {reason}")]
    MalformedAnswer {
        /// What was wrong.
        reason: &'static str,
    },
    /// The answer's body exceeds the response size limit.
    #[error("answer larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
}

impl PartialEq for HttpError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (HttpError::Config(a), HttpError::Config(b)) => a == b,
            (HttpError::Timeout(a), HttpError::Timeout(b)) => a == b,
            (HttpError::HttpStatus { status: a }, HttpError::HttpStatus { status: b }) => a == b,
            (
                HttpError::Refused { status, code },
                HttpError::Refused {
                    status: s2,
                    code: c2,
                },
            ) => status == s2 && code == c2,
            (
                HttpError::MalformedAnswer { reason: a },
                HttpError::MalformedAnswer { reason: b },
            ) => a == b,
            (HttpError::TooLarge { limit: a }, HttpError::TooLarge { limit: b }) => a == b,
            _ => {
                core::mem::discriminant(self) == core::mem::discriminant(other)
                    && matches!(
                        self,
                        HttpError::Unreachable(_) | HttpError::Interrupted(_) | HttpError::Tls(_)
                    )
            }
        }
    }
}

impl Eq for HttpError {}

impl HttpError {
    /// Every kind [`HttpError::kind`] can return.
    pub const KINDS: &'static [&'static str] = &[
        "config",
        "timeout",
        "unreachable",
        "interrupted",
        "tls",
        "http_status",
        "refused",
        "malformed_answer",
        "too_large",
    ];

    /// The stable snake_case kind of this failure, one of
    /// [`HttpError::KINDS`].
    pub fn kind(&self) -> &'static str {
        match self {
            HttpError::Config(_) => "config",
            HttpError::Timeout(_) => "timeout",
            HttpError::Unreachable(_) => "unreachable",
            HttpError::Interrupted(_) => "interrupted",
            HttpError::Tls(_) => "tls",
            HttpError::HttpStatus { .. } => "http_status",
            HttpError::Refused { .. } => "refused",
            HttpError::MalformedAnswer { .. } => "malformed_answer",
            HttpError::TooLarge { .. } => "too_large",
        }
    }

    /// The service's refusal code, for [`HttpError::Refused`].
    pub fn service_code(&self) -> Option<&ServiceCode> {
        match self {
            HttpError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    pub(crate) fn unreachable(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        HttpError::Unreachable(Arc::new(e))
    }

    pub(crate) fn interrupted(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        HttpError::Interrupted(Arc::new(e))
    }

    pub(crate) fn tls(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        HttpError::Tls(Arc::new(e))
    }
}

#[cfg(test)]
mod tests;
