//! What a scanning loop reports: its progress ([`ScanEvent`]), its counts
//! ([`ScanStats`]) and how it ended ([`Found`], [`Stopped`],
//! [`StopReason`]).

use std::time::Duration;

use crate::Error;
use crate::camera::SourceError;

/// Why a [`Scanner`](super::Scanner) stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The `verify` callback accepted a code.
    Accepted,
    /// The [`CancelToken`](crate::camera::CancelToken) was cancelled.
    Cancelled,
    /// The timeout passed before a code was accepted.
    TimedOut,
    /// The source ended (the last frame of a file-backed source was
    /// decoded) before a code was accepted.
    Ended,
    /// The source failed ([`Stopped::source_error`]).
    SourceFailed,
}

impl StopReason {
    /// A stable snake_case code: `accepted`, `cancelled`, `timed_out`,
    /// `ended`, `source_failed`.
    pub const fn kind(self) -> &'static str {
        match self {
            StopReason::Accepted => "accepted",
            StopReason::Cancelled => "cancelled",
            StopReason::TimedOut => "timed_out",
            StopReason::Ended => "ended",
            StopReason::SourceFailed => "source_failed",
        }
    }
}

/// What a scanning loop did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScanStats {
    /// Frames taken from the source.
    pub frames: u64,
    /// Frames decoded.
    pub decoded: u64,
    /// Frames dropped because the decoder was still busy with an earlier
    /// one (from a live source only, see
    /// [`FrameSource::is_live`](crate::camera::FrameSource::is_live)).
    pub skipped: u64,
    /// Frames taken but not decoded because the loop stopped: the frame
    /// being decoded, the one just taken (0, 1, or 2 when a source that is
    /// not live was waiting for the decoder):
    /// `frames = decoded + skipped + abandoned`.
    pub abandoned: u64,
    /// Frames whose decoding took longer than the frame budget.
    pub over_budget: u64,
    /// Frames whose decoding failed (a code seen but unreadable, a
    /// backend failure).
    pub decode_errors: u64,
    /// Distinct codes handed to `verify`.
    pub verified: u64,
    /// Codes `verify` refused.
    pub refused: u64,
    /// Codes seen again in a later frame and not verified again.
    pub repeats: u64,
    /// Time from the start to the stop.
    pub elapsed: Duration,
}

/// Progress of a scanning loop, for the UI ("hold the phone still", "this
/// code has expired: refresh it on the phone").
#[derive(Debug)]
#[non_exhaustive]
pub enum ScanEvent<'a, E> {
    /// The loop started.
    Started,
    /// A frame was decoded; `codes` is 0 when it held no readable code.
    FrameDecoded {
        /// The frame's sequence number.
        sequence: u64,
        /// Codes read in the frame (seen before or not).
        codes: usize,
        /// Decoding time.
        elapsed: Duration,
    },
    /// A frame's decoding failed (a code seen but unreadable, a backend
    /// failure); the loop goes on.
    FrameFailed {
        /// The frame's sequence number.
        sequence: u64,
        /// The decoder's error.
        error: &'a Error,
    },
    /// A code not seen before in this loop; `verify` is called next.
    CodeSeen {
        /// The frame's sequence number.
        sequence: u64,
    },
    /// `verify` refused the code (expired, replayed, not a presentation…);
    /// the same code will not be verified again in this loop.
    CodeRefused {
        /// The frame's sequence number.
        sequence: u64,
        /// `verify`'s error.
        error: &'a E,
    },
    /// The loop stopped.
    Stopped {
        /// Why.
        reason: StopReason,
        /// What it did.
        stats: &'a ScanStats,
    },
}

/// The code `verify` accepted.
#[derive(Debug)]
#[non_exhaustive]
pub struct Found<T> {
    /// What `verify` returned (the facade: the verified card).
    pub value: T,
    /// The sequence number of the frame the code was read in.
    pub sequence: u64,
    /// What the loop did.
    pub stats: ScanStats,
}

/// Why a scanning loop ended without an accepted code.
#[derive(Debug)]
#[non_exhaustive]
pub struct Stopped<E> {
    /// Why it stopped: never [`StopReason::Accepted`].
    pub reason: StopReason,
    /// The source's failure, for [`StopReason::SourceFailed`].
    pub source_error: Option<SourceError>,
    /// The last refusal of `verify`, if any code was refused.
    pub last_refusal: Option<E>,
    /// What the loop did.
    pub stats: ScanStats,
}
