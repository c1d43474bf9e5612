//! Reassembly of answers split with `61 xx` / GET RESPONSE.

use core::fmt;

use super::{ApduError, ResponseApdu, StatusWord};
use crate::{Error, limits};

/// Default bound on the number of responses in one chain.
///
/// A full [`limits::MAX_APDU_CHAIN_BYTES`] answer in 256-byte parts takes
/// 257 responses; the bound leaves room for phones that answer in smaller
/// parts while stopping a card that would chain forever.
pub const DEFAULT_MAX_CHAIN_STEPS: usize = 512;

/// What the driver must do after feeding a response to a [`ResponseChain`].
///
/// `Debug` shows the length of the completed data, not its content.
#[derive(Clone, PartialEq, Eq)]
pub enum Step {
    /// The card announced more data (`61 xx`): send
    /// [`super::open::get_response_command`] with this Le (1..=256; `61 00`
    /// gives 256) and feed its answer.
    NeedGetResponse(u16),
    /// The card answered `90 00`: here is the whole response data.
    Complete(Vec<u8>),
}

/// A state machine that reassembles a chained response, for the PC/SC
/// driver to drive.
///
/// Feed it the answer to the command (GET PRESENTATION), then the answer to
/// each GET RESPONSE it asks for. It accumulates the data of every `61 xx`
/// and `90 00` response and returns it whole on `90 00`. It fails with a
/// typed [`ApduError`] on any other status word
/// ([`ApduError::CardStatus`]), when the data would exceed its size limit
/// ([`ApduError::ChainTooLong`]), after too many responses
/// ([`ApduError::TooManySteps`]), or when a GET RESPONSE answer announces
/// more data without carrying any ([`ApduError::ChainStalled`]). Once it
/// has completed or failed, it refuses further input
/// ([`ApduError::ChainFinished`]).
///
/// `6C xx` (wrong Le) is reported as [`ApduError::CardStatus`]: resending
/// the original command is the driver's decision.
///
/// `Debug` shows lengths and counters, never the data.
#[derive(Clone)]
pub struct ResponseChain {
    data: Vec<u8>,
    steps: usize,
    max_bytes: usize,
    max_steps: usize,
    finished: bool,
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NeedGetResponse(le) => f.debug_tuple("NeedGetResponse").field(le).finish(),
            Self::Complete(data) => f
                .debug_struct("Complete")
                .field("data_len", &data.len())
                .finish(),
        }
    }
}

impl fmt::Debug for ResponseChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseChain")
            .field("received_len", &self.data.len())
            .field("steps", &self.steps)
            .field("max_bytes", &self.max_bytes)
            .field("max_steps", &self.max_steps)
            .field("finished", &self.finished)
            .finish()
    }
}

impl Default for ResponseChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ResponseChain {
    /// A chain bounded by [`limits::MAX_APDU_CHAIN_BYTES`] and
    /// [`DEFAULT_MAX_CHAIN_STEPS`].
    #[must_use]
    pub const fn new() -> Self {
        Self::with_limits(limits::MAX_APDU_CHAIN_BYTES, DEFAULT_MAX_CHAIN_STEPS)
    }

    /// A chain with tighter bounds: `max_bytes` (capped at
    /// [`limits::MAX_APDU_CHAIN_BYTES`]) and `max_steps` responses.
    #[must_use]
    pub const fn with_limits(max_bytes: usize, max_steps: usize) -> Self {
        let max_bytes = if max_bytes < limits::MAX_APDU_CHAIN_BYTES {
            max_bytes
        } else {
            limits::MAX_APDU_CHAIN_BYTES
        };
        Self {
            data: Vec::new(),
            steps: 0,
            max_bytes,
            max_steps,
            finished: false,
        }
    }

    /// Number of responses fed so far.
    #[must_use]
    pub const fn steps(&self) -> usize {
        self.steps
    }

    /// Number of data bytes accumulated so far.
    #[must_use]
    pub fn received_len(&self) -> usize {
        self.data.len()
    }

    /// `true` once the chain has completed or failed.
    #[must_use]
    pub const fn is_finished(&self) -> bool {
        self.finished
    }

    /// Feeds the next response.
    ///
    /// # Errors
    ///
    /// [`Error::Apdu`] with the [`ApduError`] listed on [`ResponseChain`];
    /// the chain is then finished.
    pub fn feed(&mut self, response: &ResponseApdu) -> Result<Step, Error> {
        if self.finished {
            return Err(ApduError::ChainFinished.into());
        }
        match self.step(response) {
            Ok(step @ Step::NeedGetResponse(_)) => Ok(step),
            other => {
                self.finished = true;
                self.data = Vec::new();
                other.map_err(Error::from)
            }
        }
    }

    fn step(&mut self, response: &ResponseApdu) -> Result<Step, ApduError> {
        self.steps = self.steps.saturating_add(1);
        if self.steps > self.max_steps {
            return Err(ApduError::TooManySteps {
                max: self.max_steps,
            });
        }
        let le = match response.status {
            StatusWord::Ok => None,
            StatusWord::MoreData(xx) => Some(if xx == 0 { 256 } else { u16::from(xx) }),
            other => return Err(ApduError::CardStatus(other)),
        };
        if le.is_some() && self.steps > 1 && response.data.is_empty() {
            return Err(ApduError::ChainStalled);
        }
        let total = self.data.len().saturating_add(response.data.len());
        if total > self.max_bytes {
            return Err(ApduError::ChainTooLong {
                max: self.max_bytes,
            });
        }
        self.data.extend_from_slice(&response.data);
        Ok(match le {
            Some(le) => Step::NeedGetResponse(le),
            None => Step::Complete(core::mem::take(&mut self.data)),
        })
    }
}
