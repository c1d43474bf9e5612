//! The scanning loop: frames from a source, decoding on a worker thread,
//! each new code verified once, stop at the first accepted.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::time::{Duration, Instant};

use vitale_codec::TextKind;

use super::{CancelToken, Frame, FrameSource};
use crate::qr::{DecodedCode, QrDecoder, QrStrategy, guarded};

mod pipe;
mod report;
#[cfg(test)]
mod tests;

pub use pipe::MAX_REMEMBERED_CODES;
#[cfg(test)]
use pipe::Seen;
use pipe::{Decoded, Outcome, Pipe, State};
pub use report::{Found, ScanEvent, ScanStats, StopReason, Stopped};

/// The decoder the worker runs.
enum Decoding {
    Strategy(QrStrategy),
    Decoder(Box<dyn QrDecoder>),
}

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
        let mut state = State::new(self.frame_budget);
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
            if pipe.in_flight() {
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
        let live = source.is_live();
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
            if !live {
                // Not live: this frame waits for the decoder, none is
                // dropped.
                if let Some(stop) = pipe.settle(&self.cancel, &expired, state, verify, on_event) {
                    state.stats.abandoned += 1;
                    return stop;
                }
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
        pipe.settle(&self.cancel, expired, state, verify, on_event)
            .unwrap_or(Outcome::Stop(StopReason::Ended, None))
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
