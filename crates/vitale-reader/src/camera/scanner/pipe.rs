//! The loop's bookkeeping: the way to the decoder ([`Pipe`]), what each
//! decoded frame does to the counts and the events ([`State`]), and the
//! codes already verified ([`Seen`]).

use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::time::{Duration, Instant};

use super::{ScanEvent, ScanStats, StopReason};
use crate::Error;
use crate::camera::{CancelToken, Frame, SourceError};
use crate::nfc_session::CANCEL_GRANULARITY;
use crate::qr::DecodedCode;

/// Codes remembered by hash to verify each once ([`Scanner`](super::Scanner));
/// the oldest is forgotten beyond this.
pub const MAX_REMEMBERED_CODES: usize = 256;

/// A decoded frame, from the worker.
pub(super) struct Decoded {
    pub(super) sequence: u64,
    pub(super) result: Result<Vec<DecodedCode>, Error>,
    pub(super) elapsed: Duration,
}

/// How the caller's side of the loop ended.
pub(super) enum Outcome<T> {
    Found(T, u64),
    Stop(StopReason, Option<SourceError>),
}

/// The way to the decoder: a worker thread, or this thread.
pub(super) enum Pipe {
    Worker {
        jobs: SyncSender<Frame>,
        done: Receiver<Decoded>,
        in_flight: bool,
    },
    Inline,
}

impl Pipe {
    /// Whether a frame is with the worker.
    pub(super) fn in_flight(&self) -> bool {
        matches!(
            self,
            Pipe::Worker {
                in_flight: true,
                ..
            }
        )
    }

    /// Handles the worker's result, if it has one.
    pub(super) fn poll<T, E>(
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

    /// Waits until no frame is with the worker, handling its result;
    /// stops early when `cancel` is cancelled or the loop has `expired`
    /// (both seen within [`CANCEL_GRANULARITY`]).
    pub(super) fn settle<T, E>(
        &mut self,
        cancel: &CancelToken,
        expired: &impl Fn(Instant) -> bool,
        state: &mut State<E>,
        verify: &mut impl FnMut(&DecodedCode) -> Result<T, E>,
        on_event: &mut impl FnMut(ScanEvent<'_, E>),
    ) -> Option<Outcome<T>> {
        while let Pipe::Worker {
            done,
            in_flight: in_flight @ true,
            ..
        } = self
        {
            if cancel.is_cancelled() {
                return Some(Outcome::Stop(StopReason::Cancelled, None));
            }
            if expired(Instant::now()) {
                return Some(Outcome::Stop(StopReason::TimedOut, None));
            }
            match done.recv_timeout(CANCEL_GRANULARITY) {
                Ok(decoded) => {
                    *in_flight = false;
                    if let Some(found) = state.handle(decoded, verify, on_event) {
                        return Some(found);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => *in_flight = false,
            }
        }
        None
    }
}

/// The loop's bookkeeping.
pub(super) struct State<E> {
    pub(super) stats: ScanStats,
    pub(super) seen: Seen,
    pub(super) last_refusal: Option<E>,
    pub(super) budget: Option<Duration>,
}

impl<E> State<E> {
    /// Fresh counts; frames over `budget` are counted.
    pub(super) fn new(budget: Option<Duration>) -> Self {
        State {
            stats: ScanStats::default(),
            seen: Seen::new(),
            last_refusal: None,
            budget,
        }
    }

    /// Reports a decoded frame and verifies its new codes.
    pub(super) fn handle<T>(
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
pub(super) struct Seen {
    hasher: RandomState,
    pub(super) hashes: VecDeque<u64>,
}

impl Seen {
    pub(super) fn new() -> Self {
        Seen {
            hasher: RandomState::new(),
            hashes: VecDeque::new(),
        }
    }

    /// Remembers `content`; `false` if it was seen already.
    pub(super) fn insert(&mut self, content: &[u8]) -> bool {
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
