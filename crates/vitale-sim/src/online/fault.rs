//! The server's fault modes, by stable name.

/// How the server misbehaves, by a stable name (`--fault NAME`).
///
/// Transport faults apply to every request under `/v1/`; the token
/// endpoint of the simulator (`/sim/v1/tokens`) always answers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Fault {
    /// `slow`: answers after [`ServerConfig::slow_delay`](super::ServerConfig::slow_delay), beyond a
    /// client's read timeout.
    Slow,
    /// `flaky`: answers `503` to [`ServerConfig::flaky_failures`](super::ServerConfig::flaky_failures) requests,
    /// then normally to one, and again.
    Flaky,
    /// `unavailable`: answers `503` to every request.
    Unavailable,
    /// `malformed`: answers `200` with a body that is not JSON.
    Malformed,
    /// `truncated`: announces the whole body, sends half, and closes.
    Truncated,
    /// `reset`: reads the request, then resets the connection (TCP RST).
    Reset,
    /// `rights_closed`: rights answers have the AMO rights closed since the
    /// day before the reference date (*droits fermés*).
    RightsClosed,
    /// `unknown_patient`: rights queries are answered `404
    /// patient_unknown`.
    UnknownPatient,
    /// `expired_context`: contexts are opened already expired; reading,
    /// or signing under, one answers `410 context_expired`.
    ExpiredContext,
    /// `unknown_ca`: the server's certificate chains to a CA that no client
    /// pins (not the one in [`OnlineServer::ca_pem`](super::OnlineServer::ca_pem)).
    UnknownCa,
    /// `oversized`: answers `200` with a 1 MiB body, beyond a client's
    /// response size limit.
    Oversized,
}

impl Fault {
    /// Every fault.
    pub const ALL: [Fault; 11] = [
        Fault::Slow,
        Fault::Flaky,
        Fault::Unavailable,
        Fault::Malformed,
        Fault::Truncated,
        Fault::Reset,
        Fault::RightsClosed,
        Fault::UnknownPatient,
        Fault::ExpiredContext,
        Fault::UnknownCa,
        Fault::Oversized,
    ];

    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Slow => "slow",
            Fault::Flaky => "flaky",
            Fault::Unavailable => "unavailable",
            Fault::Malformed => "malformed",
            Fault::Truncated => "truncated",
            Fault::Reset => "reset",
            Fault::RightsClosed => "rights_closed",
            Fault::UnknownPatient => "unknown_patient",
            Fault::ExpiredContext => "expired_context",
            Fault::UnknownCa => "unknown_ca",
            Fault::Oversized => "oversized",
        }
    }

    /// A fault by its name.
    pub fn parse(name: &str) -> Option<Fault> {
        Fault::ALL.into_iter().find(|f| f.name() == name)
    }
}
