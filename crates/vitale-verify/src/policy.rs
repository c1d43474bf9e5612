//! What the verifier tolerates, and where it reads the time.

use vitale_codec::limits::{MAX_PRESENTATION_BYTES, MAX_TEXT_CHARS};
use vitale_codec::model::{MAX_PRESENTATION_LIFETIME_SECS, Timestamp};

/// The verification policy. [`Policy::default`] is what the SDK
/// recommends; every field can be tightened (or, with care, loosened).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// Tolerated difference between the phone's clock and the
    /// workstation's, in seconds, applied to the presentation's time window
    /// (and to how long the replay cache remembers it). Default 300 s:
    /// phones keep network time, but workstations in practices are often a
    /// few minutes off, and a refused patient at the desk costs more than
    /// five minutes of extra replay-cache memory.
    pub clock_skew_secs: u64,
    /// Longest presentation lifetime (`expiry − issued-at`) accepted, in
    /// seconds; at most the format's 180 s, which is the default.
    pub max_presentation_lifetime_secs: u64,
    /// Largest presentation accepted, in bytes (default: the format's
    /// 8 192).
    pub max_presentation_bytes: usize,
    /// Longest text form accepted, in characters (default: the format's).
    pub max_text_chars: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            clock_skew_secs: 300,
            max_presentation_lifetime_secs: MAX_PRESENTATION_LIFETIME_SECS,
            max_presentation_bytes: MAX_PRESENTATION_BYTES,
            max_text_chars: MAX_TEXT_CHARS,
        }
    }
}

/// Where the verifier reads the current time. Inject a [`FixedClock`] in
/// tests, or a clock synchronised with a trusted source in production.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        // A system clock before 1970 or after 9999 reads as the epoch,
        // which then fails every time-window check (fail closed).
        Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// A clock that always reads the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}
