//! The scanning loop: frames from a source, decoding on a worker thread,
//! each new code verified once, stop at the first accepted.

use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::time::{Duration, Instant};

use vitale_codec::TextKind;

use super::{CancelToken, Frame, FrameSource, SourceError};
use crate::Error;
use crate::nfc_session::CANCEL_GRANULARITY;
use crate::qr::{DecodedCode, QrDecoder, QrStrategy, guarded};

#[cfg(test)]
mod tests;

/// Why a [`Scanner`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The `verify` callback accepted a code.
    Accepted,
    /// The [`CancelToken`] was cancelled.
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
    /// one.
    pub skipped: u64,
    /// Frames taken but not decoded because the loop stopped (the frame
    /// being decoded, or the one just taken; 0 or 1):
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

/// The decoder the worker runs.
enum Decoding {
    Strategy(QrStrategy),
    Decoder(Box<dyn QrDecoder>),
}

/// Codes remembered by hash to verify each once ([`Scanner`]); the oldest
/// is forgotten beyond this.
pub const MAX_REMEMBERED_CODES: usize = 256;

/// The scanning loop over a [`FrameSource`].
///
/// Defaults: a [`QrStrategy`] with a 30 ms budget a frame (a camera at
/// 30 frames a second delivers one every 33 ms), a timeout of 60 s, a
/// fresh [`CancelToken`]. See the [module](super) for what the loop does.
pub struct Scanner {
    decoding: Decoding,
    frame_budget: Option<Duration>,
    timeout: Option<Duration>,
    cancel: CancelToken,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let decoder = match &self.decoding {
            Decoding::Strategy(s) => s.name(),
            Decoding::Decoder(d) => d.name(),
        };
        f.debug_struct("Scanner")
            .field("decoder", &decoder)
            .field("frame_budget", &self.frame_budget)
            .field("timeout", &self.timeout)
            .field("cancelled", &self.cancel.is_cancelled())
            .finish()
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

impl Scanner {
    /// The default per-frame budget.
    pub const DEFAULT_FRAME_BUDGET: Duration = Duration::from_millis(30);
    /// The default timeout.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// A scanner with the defaults.
    pub fn new() -> Self {
        Scanner {
            decoding: Decoding::Strategy(
                QrStrategy::new().with_budget(Some(Self::DEFAULT_FRAME_BUDGET)),
            ),
            frame_budget: Some(Self::DEFAULT_FRAME_BUDGET),
            timeout: Some(Self::DEFAULT_TIMEOUT),
            cancel: CancelToken::new(),
        }
    }

    /// Decodes with this strategy; its budget is replaced by the
    /// scanner's frame budget.
    #[must_use]
    pub fn with_strategy(mut self, strategy: QrStrategy) -> Self {
        self.decoding = Decoding::Strategy(strategy.with_budget(self.frame_budget));
        self
    }

    /// Decodes with another backend. The frame budget is then only
    /// measured ([`ScanStats::over_budget`]): the backend runs to its end.
    #[must_use]
    pub fn with_decoder(mut self, decoder: Box<dyn QrDecoder>) -> Self {
        self.decoding = Decoding::Decoder(decoder);
        self
    }

    /// The time a frame's decoding may take: the strategy starts no new
    /// pass after it (its first pass always runs). `None`: no limit.
    #[must_use]
    pub fn with_frame_budget(mut self, budget: Option<Duration>) -> Self {
        self.frame_budget = budget;
        if let Decoding::Strategy(s) = self.decoding {
            self.decoding = Decoding::Strategy(s.with_budget(budget));
        }
        self
    }

    /// Stops with [`StopReason::TimedOut`] once this has passed without an
    /// accepted code. `None`: until the source ends or the loop is
    /// cancelled.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Stops with [`StopReason::Cancelled`] when `cancel` is cancelled
    /// (from any thread), within a frame interval.
    #[must_use]
    pub fn with_cancel(mut self, cancel: CancelToken) -> Self {
        self.cancel = cancel;
        self
    }

    /// The token that cancels this scanner's loops.
    pub fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }

    /// The frame budget.
    pub fn frame_budget(&self) -> Option<Duration> {
        self.frame_budget
    }

    /// The timeout.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Runs the loop: frames from `source`, each new code handed to
    /// `verify` (on the calling thread) until it returns `Ok`; every step
    /// reported to `on_event`.
    ///
    /// # Errors
    ///
    /// [`Stopped`] (boxed: it carries the source's error and the last
    /// refusal) when no code was accepted: cancelled, timed out, the
    /// source ended or failed.
    pub fn run<T, E>(
        &self,
        source: &mut dyn FrameSource,
        mut verify: impl FnMut(&DecodedCode) -> Result<T, E>,
        mut on_event: impl FnMut(ScanEvent<'_, E>),
    ) -> Result<Found<T>, Box<Stopped<E>>> {
        let start = Instant::now();
        on_event(ScanEvent::Started);
        let mut state = State {
            stats: ScanStats::default(),
            seen: Seen::new(),
            last_refusal: None,
            budget: self.frame_budget,
        };
        let (job_tx, job_rx) = mpsc::sync_channel::<Frame>(1);
        let (done_tx, done_rx) = mpsc::sync_channel::<Decoded>(1);
        let outcome = std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("vitale-qr-scan".into())
                .spawn_scoped(scope, || self.work(job_rx, done_tx));
            let mut pipe = match worker {
                Ok(_) => Pipe::Worker {
                    jobs: job_tx,
                    done: done_rx,
                    in_flight: false,
                },
                // No thread to be had: decode on this one (no frame is
                // skipped then, the source waits).
                Err(_) => Pipe::Inline,
            };
            let outcome = self.drive(source, &mut pipe, &mut state, &mut verify, &mut on_event);
            if let Pipe::Worker {
                in_flight: true, ..
            } = pipe
            {
                state.stats.abandoned += 1;
            }
            // Dropping the job sender ends the worker once its frame is done.
            drop(pipe);
            outcome
        });
        state.stats.elapsed = start.elapsed();
        match outcome {
            Outcome::Found(value, sequence) => {
                on_event(ScanEvent::Stopped {
                    reason: StopReason::Accepted,
                    stats: &state.stats,
                });
                Ok(Found {
                    value,
                    sequence,
                    stats: state.stats,
                })
            }
            Outcome::Stop(reason, source_error) => {
                on_event(ScanEvent::Stopped {
                    reason,
                    stats: &state.stats,
                });
                Err(Box::new(Stopped {
                    reason,
                    source_error,
                    last_refusal: state.last_refusal,
                    stats: state.stats,
                }))
            }
        }
    }

    /// The caller's side of the loop.
    fn drive<T, E>(
        &self,
        source: &mut dyn FrameSource,
        pipe: &mut Pipe,
        state: &mut State<E>,
        verify: &mut impl FnMut(&DecodedCode) -> Result<T, E>,
        on_event: &mut impl FnMut(ScanEvent<'_, E>),
    ) -> Outcome<T> {
        let start = Instant::now();
        let expired = |now: Instant| self.timeout.is_some_and(|t| now - start >= t);
        loop {
            if self.cancel.is_cancelled() {
                return Outcome::Stop(StopReason::Cancelled, None);
            }
            if expired(Instant::now()) {
                return Outcome::Stop(StopReason::TimedOut, None);
            }
            if let Some(found) = pipe.poll(state, verify, on_event) {
                return found;
            }
            let frame = match source.next_frame() {
                Ok(Some(frame)) => frame,
                Ok(None) => return self.finish(pipe, state, verify, on_event, &expired),
                Err(e) => return Outcome::Stop(StopReason::SourceFailed, Some(e)),
            };
            state.stats.frames += 1;
            if let Some(found) = pipe.poll(state, verify, on_event) {
                // This frame is not decoded: the loop stops.
                state.stats.abandoned += 1;
                return found;
            }
            match pipe {
                Pipe::Worker {
                    jobs, in_flight, ..
                } => {
                    if *in_flight {
                        state.stats.skipped += 1;
                    } else if jobs.send(frame).is_ok() {
                        *in_flight = true;
                    } else {
                        // The worker is gone (it cannot panic: decoding
                        // is guarded): decode here from now on.
                        *pipe = Pipe::Inline;
                    }
                }
                Pipe::Inline => {
                    let done = self.decode(frame);
                    if let Some(found) = state.handle(done, verify, on_event) {
                        return found;
                    }
                }
            }
        }
    }

    /// The source has ended: waits for the frame being decoded.
    fn finish<T, E>(
        &self,
        pipe: &mut Pipe,
        state: &mut State<E>,
        verify: &mut impl FnMut(&DecodedCode) -> Result<T, E>,
        on_event: &mut impl FnMut(ScanEvent<'_, E>),
        expired: &impl Fn(Instant) -> bool,
    ) -> Outcome<T> {
        while let Pipe::Worker {
            done,
            in_flight: in_flight @ true,
            ..
        } = pipe
        {
            if self.cancel.is_cancelled() {
                return Outcome::Stop(StopReason::Cancelled, None);
            }
            if expired(Instant::now()) {
                return Outcome::Stop(StopReason::TimedOut, None);
            }
            match done.recv_timeout(CANCEL_GRANULARITY) {
                Ok(decoded) => {
                    *in_flight = false;
                    if let Some(found) = state.handle(decoded, verify, on_event) {
                        return found;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => *in_flight = false,
            }
        }
        Outcome::Stop(StopReason::Ended, None)
    }

    /// The worker: decodes each frame it is sent.
    fn work(&self, jobs: Receiver<Frame>, done: SyncSender<Decoded>) {
        for frame in jobs {
            if done.send(self.decode(frame)).is_err() {
                return;
            }
        }
    }

    fn decode(&self, frame: Frame) -> Decoded {
        let start = Instant::now();
        let image = frame.image();
        let result = match &self.decoding {
            Decoding::Strategy(strategy) => strategy
                .scan(&image.as_frame(), &mut |code| looks_like_presentation(code))
                .map(|scan| scan.codes),
            Decoding::Decoder(decoder) => {
                guarded(decoder.name(), || decoder.decode(&image.as_frame()))
            }
        };
        Decoded {
            sequence: frame.sequence(),
            result,
            elapsed: start.elapsed(),
        }
    }
}

/// Whether the strategy may stop at this code: a `VT1:`/`VT1B:` text or a
/// token text. Others are still returned (and refused by `verify`).
fn looks_like_presentation(code: &DecodedCode) -> bool {
    code.text().is_some_and(|t| TextKind::of(t).is_ok())
}

/// A decoded frame, from the worker.
struct Decoded {
    sequence: u64,
    result: Result<Vec<DecodedCode>, Error>,
    elapsed: Duration,
}

enum Outcome<T> {
    Found(T, u64),
    Stop(StopReason, Option<SourceError>),
}

/// The way to the decoder: a worker thread, or this thread.
enum Pipe {
    Worker {
        jobs: SyncSender<Frame>,
        done: Receiver<Decoded>,
        in_flight: bool,
    },
    Inline,
}

impl Pipe {
    /// Handles the worker's result, if it has one.
    fn poll<T, E>(
        &mut self,
        state: &mut State<E>,
        verify: &mut impl FnMut(&DecodedCode) -> Result<T, E>,
        on_event: &mut impl FnMut(ScanEvent<'_, E>),
    ) -> Option<Outcome<T>> {
        let Pipe::Worker {
            done, in_flight, ..
        } = self
        else {
            return None;
        };
        match done.try_recv() {
            Ok(decoded) => {
                *in_flight = false;
                state.handle(decoded, verify, on_event)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                *self = Pipe::Inline;
                None
            }
        }
    }
}

/// The loop's bookkeeping.
struct State<E> {
    stats: ScanStats,
    seen: Seen,
    last_refusal: Option<E>,
    budget: Option<Duration>,
}

impl<E> State<E> {
    /// Reports a decoded frame and verifies its new codes.
    fn handle<T>(
        &mut self,
        decoded: Decoded,
        verify: &mut impl FnMut(&DecodedCode) -> Result<T, E>,
        on_event: &mut impl FnMut(ScanEvent<'_, E>),
    ) -> Option<Outcome<T>> {
        let Decoded {
            sequence,
            result,
            elapsed,
        } = decoded;
        self.stats.decoded += 1;
        if self.budget.is_some_and(|b| elapsed > b) {
            self.stats.over_budget += 1;
        }
        let codes = match result {
            Ok(codes) => codes,
            Err(error) => {
                self.stats.decode_errors += 1;
                on_event(ScanEvent::FrameFailed {
                    sequence,
                    error: &error,
                });
                return None;
            }
        };
        on_event(ScanEvent::FrameDecoded {
            sequence,
            codes: codes.len(),
            elapsed,
        });
        for code in &codes {
            if !self.seen.insert(&code.content) {
                self.stats.repeats += 1;
                continue;
            }
            on_event(ScanEvent::CodeSeen { sequence });
            self.stats.verified += 1;
            match verify(code) {
                Ok(value) => return Some(Outcome::Found(value, sequence)),
                Err(error) => {
                    self.stats.refused += 1;
                    on_event(ScanEvent::CodeRefused {
                        sequence,
                        error: &error,
                    });
                    self.last_refusal = Some(error);
                }
            }
        }
        None
    }
}

/// Hashes of the codes seen, oldest first, at most
/// [`MAX_REMEMBERED_CODES`].
struct Seen {
    hasher: RandomState,
    hashes: VecDeque<u64>,
}

impl Seen {
    fn new() -> Self {
        Seen {
            hasher: RandomState::new(),
            hashes: VecDeque::new(),
        }
    }

    /// Remembers `content`; `false` if it was seen already.
    fn insert(&mut self, content: &[u8]) -> bool {
        let hash = self.hasher.hash_one(content);
        if self.hashes.contains(&hash) {
            return false;
        }
        if self.hashes.len() == MAX_REMEMBERED_CODES {
            self.hashes.pop_front();
        }
        self.hashes.push_back(hash);
        true
    }
}
