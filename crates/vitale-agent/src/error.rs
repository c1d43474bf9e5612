//! The agent's error type: what can stop it from starting or serving.

use std::net::IpAddr;

/// Why the agent cannot start, or a request failed on the agent's side.
///
/// [`Error::kind`] gives a stable snake_case code: the facade's kinds
/// ([`vitale::KINDS`]) for the SDK's own failures, `agent_*` for the
/// agent's. No variant carries personal data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration file or a value in it is invalid.
    #[error("invalid agent configuration: {0}")]
    Config(String),
    /// The configuration asks for an address that is not loopback
    /// (`0.0.0.0`, a LAN address): the agent listens on 127.0.0.1 and ::1
    /// only (`docs/security.md`).
    #[error("the agent listens on loopback only, not on {0}")]
    NotLoopback(IpAddr),
    /// A file or socket operation failed.
    #[error("{context}")]
    Io {
        /// What was being done (a path or an address, never personal data).
        context: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The SDK refused or failed (trust list, store, rights service…).
    #[error(transparent)]
    Vitale(#[from] vitale::Error),
    /// The embedded simulator could not be set up (feature `simulator`).
    #[error("simulator: {0}")]
    Simulator(String),
    /// A random number could not be drawn (pairing token, card ids).
    #[error("no random numbers from the operating system")]
    Random,
}

impl Error {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The stable snake_case kind of this error.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Config(_) => "agent_config",
            Error::NotLoopback(_) => "agent_not_loopback",
            Error::Io { .. } => "io",
            Error::Vitale(e) => e.kind(),
            Error::Simulator(_) => "agent_simulator",
            Error::Random => "agent_random",
        }
    }
}

/// The kinds of the agent's own failures, with what each means; every
/// other kind the API reports is the facade's ([`vitale::KINDS`]).
pub const AGENT_KINDS: &[(&str, &str)] = &[
    (
        "agent_unauthorized",
        "the pairing token is missing or wrong",
    ),
    (
        "agent_origin_refused",
        "the Origin is not the agent's own nor an allowed one",
    ),
    (
        "agent_host_refused",
        "the Host header is not the agent's loopback address (DNS rebinding)",
    ),
    ("agent_too_large", "the request body exceeds the limit"),
    (
        "agent_rate_limited",
        "too many requests from this client: retry after the delay given",
    ),
    ("agent_not_found", "no such endpoint, method or NFC job"),
    (
        "agent_bad_request",
        "the request is malformed (JSON, query, content type, field value)",
    ),
    (
        "agent_card_expired",
        "the card id is unknown or has expired (15 minutes)",
    ),
    (
        "agent_busy",
        "the agent is already doing this (one NFC read at a time)",
    ),
    (
        "agent_not_supported",
        "this agent was built or configured without what the request needs",
    ),
    ("agent_internal", "the agent failed internally"),
    ("agent_config", "the configuration is invalid"),
    (
        "agent_not_loopback",
        "the configuration asks for an address that is not loopback",
    ),
    (
        "agent_simulator",
        "the embedded simulator could not be set up",
    ),
    (
        "agent_random",
        "no random numbers from the operating system",
    ),
];
