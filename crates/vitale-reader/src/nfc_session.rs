//! The NFC session logic, independent of PC/SC: SELECT, GET PRESENTATION,
//! `61 xx` chaining, `6C xx` retries and polling of a locked app
//! (normative text: `docs/format.md` §8).
//!
//! Everything here talks to a [`CardTransport`], so it runs against a mock
//! card in unit tests, property tests and the fuzz target, and against the
//! real PC/SC stack through `nfc::PcscCard` (feature `pcsc`). It is always
//! compiled: no C library is needed.
//!
//! ```
//! use vitale_codec::apdu::open::SelectAnswer;
//! use vitale_codec::apdu::{CommandApdu, StatusWord};
//! use vitale_reader::nfc_session::{
//!     CardTransport, CancelToken, NfcError, PollState, Session, SessionOptions, TransportError,
//! };
//!
//! /// A phone holding a 600-byte presentation, speaking short APDUs only.
//! struct Phone {
//!     sent: usize,
//! }
//!
//! impl CardTransport for Phone {
//!     fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
//!         let command = CommandApdu::parse(apdu).map_err(TransportError::failed)?;
//!         let mut answer = match command.ins {
//!             0xA4 => SelectAnswer::new(4096, false).encode().to_vec(),
//!             _ => {
//!                 let part = 256.min(600 - self.sent);
//!                 self.sent += part;
//!                 vec![0x5A; part]
//!             }
//!         };
//!         let left = 600 - self.sent;
//!         let sw = if command.ins == 0xA4 || left == 0 { [0x90, 0] } else { [0x61, left.min(255) as u8] };
//!         answer.extend_from_slice(&sw);
//!         Ok(answer)
//!     }
//!     fn supports_extended(&self) -> bool {
//!         true
//!     }
//! }
//!
//! let mut phone = Phone { sent: 0 };
//! let mut session = Session::new(&mut phone, SessionOptions::default());
//! let mut state = PollState::default();
//! let read = session.run(&[7; 32], &CancelToken::new(), &mut state, &mut |_| {})?;
//! assert_eq!(read.presentation.len(), 600);
//! assert_eq!(read.round_trips, 4); // SELECT, GET PRESENTATION, 2 × GET RESPONSE
//! assert!(!read.extended);
//! # Ok::<(), NfcError>(())
//! ```

use core::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use vitale_codec::apdu::open::{self, SelectAnswer};
use vitale_codec::apdu::{
    ApduError, CommandApdu, DEFAULT_MAX_CHAIN_STEPS, ResponseApdu, ResponseChain, StatusWord, Step,
};
use vitale_codec::limits;

mod error;
mod event;

pub use error::{NfcError, TransportError};
pub use event::NfcEvent;

/// Largest SELECT answer accepted, chained or not (a version-1 answer is
/// 4 bytes; later versions may append a few).
const MAX_SELECT_ANSWER: usize = 256;
/// Responses allowed in a SELECT answer chain.
const MAX_SELECT_STEPS: usize = 4;
/// Longest single sleep while polling, so that cancellation is noticed.
pub const CANCEL_GRANULARITY: Duration = Duration::from_millis(20);

/// A channel to a contactless card (the patient's phone in HCE mode).
///
/// The PC/SC driver implements it over `SCardTransmit`; tests implement it
/// with a mock card or the `vitale-sim` emulator in memory.
pub trait CardTransport {
    /// Sends one command APDU and returns the whole response APDU
    /// (data, then `SW1 SW2`).
    ///
    /// # Errors
    ///
    /// [`TransportError::CardRemoved`] when the card left the field,
    /// [`TransportError::Failed`] with the transport's own error otherwise.
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError>;

    /// `true` when the reader carries extended-length APDUs (up to 65 536
    /// response bytes in one answer).
    fn supports_extended(&self) -> bool;
}

impl<T: CardTransport + ?Sized> CardTransport for &mut T {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(apdu)
    }

    fn supports_extended(&self) -> bool {
        (**self).supports_extended()
    }
}

/// A cancellation flag shared between the UI thread and the reading
/// thread: [`CancelToken::cancel`] makes the read end with
/// [`NfcError::Cancelled`] within [`CANCEL_GRANULARITY`] (plus one APDU
/// round trip).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token that is not cancelled.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every read holding a clone of this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// `true` once [`CancelToken::cancel`] has been called.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// The shared flag, for callers that already hold an `AtomicBool`.
    #[must_use]
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }
}

impl From<Arc<AtomicBool>> for CancelToken {
    fn from(flag: Arc<AtomicBool>) -> Self {
        Self(flag)
    }
}

/// How a [`Session`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    /// Use extended-length APDUs when both the reader and the phone
    /// support them (default `true`).
    pub allow_extended: bool,
    /// Re-send GET PRESENTATION this often while the app is locked
    /// (`69 82`).
    pub poll_interval: Duration,
    /// Give up at this instant (`None`: poll a locked app only while the
    /// card answers — for tests and fuzzing).
    pub deadline: Option<Instant>,
    /// Bound on the responses of one chained answer.
    pub max_chain_steps: usize,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            allow_extended: true,
            poll_interval: Duration::from_millis(500),
            deadline: None,
            max_chain_steps: DEFAULT_MAX_CHAIN_STEPS,
        }
    }
}

/// What survives a removal of the phone between two sessions of one read:
/// the lock count, so that the patient who lifts the phone to unlock the
/// app and taps again is still counted, and the reader keeps polling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollState {
    /// GET PRESENTATION answers `69 82` seen so far.
    pub lock_answers: u32,
    /// The last GET PRESENTATION answer was `69 82`: a removal now is the
    /// patient unlocking the app, not a failed read.
    pub locked: bool,
}

/// The result of one successful [`Session::run`].
///
/// `Debug` shows the presentation's length, never its content.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRead {
    /// The presentation bytes (a tagged COSE_Sign1).
    pub presentation: Vec<u8>,
    /// The phone's answer to SELECT.
    pub select: SelectAnswer,
    /// Command APDUs sent in this session (SELECT, GET PRESENTATION
    /// including the polls of a locked app, GET RESPONSE, `6C` retries).
    pub round_trips: u32,
    /// The presentation was read with extended-length APDUs.
    pub extended: bool,
}

impl fmt::Debug for SessionRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRead")
            .field("presentation_len", &self.presentation.len())
            .field("select", &self.select)
            .field("round_trips", &self.round_trips)
            .field("extended", &self.extended)
            .finish()
    }
}

/// One conversation with a phone on the reader: SELECT, then GET
/// PRESENTATION until it answers, bounded by the deadline, the cancel
/// token and the chain limits.
#[derive(Debug)]
pub struct Session<T> {
    transport: T,
    options: SessionOptions,
    round_trips: u32,
    answers: u32,
}

/// What one GET PRESENTATION exchange gave.
enum Answer {
    Data(Vec<u8>),
    Locked,
}

impl<T: CardTransport> Session<T> {
    /// A session over `transport`.
    pub const fn new(transport: T, options: SessionOptions) -> Self {
        Self {
            transport,
            options,
            round_trips: 0,
            answers: 0,
        }
    }

    /// Command APDUs sent so far.
    #[must_use]
    pub const fn round_trips(&self) -> u32 {
        self.round_trips
    }

    /// Responses received so far: `0` after a [`NfcError::CardRemoved`]
    /// means the phone never answered on this connection (a stale
    /// presence), not that a read was interrupted.
    #[must_use]
    pub const fn answers(&self) -> u32 {
        self.answers
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.transport
    }

    /// SELECTs the app, then asks for a presentation bound to `challenge`,
    /// polling while the app is locked.
    ///
    /// Events: [`NfcEvent::Reading`] once the app is selected (and again
    /// when a locked app starts answering), [`NfcEvent::AppLocked`] for
    /// each `69 82`.
    ///
    /// # Errors
    ///
    /// [`NfcError::NoApp`] (`6A 82` to SELECT), [`NfcError::Declined`]
    /// (`69 85`), [`NfcError::AppStillLocked`] when the deadline passes
    /// while locked, [`NfcError::Timeout`] when it passes otherwise,
    /// [`NfcError::Cancelled`], [`NfcError::Protocol`] for a malformed
    /// answer, an unexpected status word or a chain error, and the
    /// transport's errors ([`NfcError::CardRemoved`]: check
    /// [`PollState::locked`] to know whether the app was locked).
    pub fn run(
        &mut self,
        challenge: &[u8],
        cancel: &CancelToken,
        state: &mut PollState,
        on_event: &mut dyn FnMut(NfcEvent),
    ) -> Result<SessionRead, NfcError> {
        self.check(cancel, state)?;
        let select = self.select()?;
        let extended = self.options.allow_extended
            && self.transport.supports_extended()
            && select.extended_length;
        let max_bytes = usize::from(select.max_presentation_size).min(limits::MAX_APDU_CHAIN_BYTES);
        on_event(NfcEvent::Reading);
        let mut extended = extended;
        loop {
            self.check(cancel, state)?;
            let command = open::get_presentation_command(challenge, extended)?;
            let answer = match self.get_presentation(&command, max_bytes) {
                Err(NfcError::Protocol(vitale_codec::Error::Apdu(ApduError::CardStatus(
                    StatusWord::WrongLength,
                )))) if extended => {
                    // The phone announced extended length but refuses it:
                    // fall back to short APDUs once.
                    extended = false;
                    continue;
                }
                other => other?,
            };
            match answer {
                Answer::Data(presentation) => {
                    state.locked = false;
                    return Ok(SessionRead {
                        presentation,
                        select,
                        round_trips: self.round_trips,
                        extended,
                    });
                }
                Answer::Locked => {
                    state.locked = true;
                    state.lock_answers = state.lock_answers.saturating_add(1);
                    on_event(NfcEvent::AppLocked {
                        attempt: state.lock_answers,
                    });
                    self.pause(cancel, state)?;
                }
            }
        }
    }

    /// SELECT by AID and parse the answer.
    fn select(&mut self) -> Result<SelectAnswer, NfcError> {
        let command = open::select_command();
        let chain = ResponseChain::with_limits(MAX_SELECT_ANSWER, MAX_SELECT_STEPS);
        match self.exchange(&command, chain) {
            Ok(data) => Ok(SelectAnswer::parse(&data)?),
            Err(error) => Err(match error.status() {
                Some(StatusWord::FileNotFound) => NfcError::NoApp,
                _ => error.into_error(),
            }),
        }
    }

    /// One GET PRESENTATION and its chain.
    fn get_presentation(
        &mut self,
        command: &CommandApdu,
        max_bytes: usize,
    ) -> Result<Answer, NfcError> {
        let chain = ResponseChain::with_limits(max_bytes, self.options.max_chain_steps);
        match self.exchange(command, chain) {
            Ok(data) => Ok(Answer::Data(data)),
            Err(error) => match error.status() {
                // Locked or declined are only meaningful as the first answer.
                Some(StatusWord::AppLocked) if error.first_answer() => Ok(Answer::Locked),
                Some(StatusWord::Declined) if error.first_answer() => Err(NfcError::Declined),
                _ => Err(error.into_error()),
            },
        }
    }

    /// Sends `command`, follows `61 xx` with GET RESPONSE and resends once
    /// with the right Le on `6C xx`.
    fn exchange(
        &mut self,
        command: &CommandApdu,
        mut chain: ResponseChain,
    ) -> Result<Vec<u8>, ExchangeError> {
        let mut next = command.clone();
        let mut wrong_le_retried = false;
        loop {
            let response = self.transmit(&next).map_err(ExchangeError::Other)?;
            if let StatusWord::WrongLe(xx) = response.status
                && !wrong_le_retried
            {
                wrong_le_retried = true;
                next.le = Some(if xx == 0 { 256 } else { u32::from(xx) });
                continue;
            }
            let first = chain.steps() == 0;
            match chain.feed(&response) {
                Ok(Step::Complete(data)) => return Ok(data),
                Ok(Step::NeedGetResponse(le)) => {
                    next = open::get_response_command(le);
                    wrong_le_retried = false;
                }
                Err(error) => {
                    return Err(ExchangeError::Card {
                        first,
                        error: error.into(),
                        status: response.status,
                    });
                }
            }
        }
    }

    fn transmit(&mut self, command: &CommandApdu) -> Result<ResponseApdu, NfcError> {
        let bytes = command.encode()?;
        self.round_trips = self.round_trips.saturating_add(1);
        let answer = self.transport.transmit(&bytes)?;
        self.answers = self.answers.saturating_add(1);
        Ok(ResponseApdu::parse(&answer)?)
    }

    /// Cancel and deadline checks.
    fn check(&self, cancel: &CancelToken, state: &PollState) -> Result<(), NfcError> {
        if cancel.is_cancelled() {
            return Err(NfcError::Cancelled);
        }
        match self.options.deadline {
            Some(deadline) if Instant::now() >= deadline => Err(timeout_error(state)),
            _ => Ok(()),
        }
    }

    /// Waits one poll interval, in slices, watching cancel and deadline.
    fn pause(&self, cancel: &CancelToken, state: &PollState) -> Result<(), NfcError> {
        let until = Instant::now() + self.options.poll_interval;
        let until = self.options.deadline.map_or(until, |d| until.min(d));
        sleep_until(until, cancel)?;
        self.check(cancel, state)
    }
}

/// The error of a read that reached its deadline.
#[must_use]
pub const fn timeout_error(state: &PollState) -> NfcError {
    if state.locked {
        NfcError::AppStillLocked
    } else {
        NfcError::Timeout
    }
}

/// Sleeps until `until` in slices of at most [`CANCEL_GRANULARITY`].
///
/// # Errors
///
/// [`NfcError::Cancelled`] as soon as the token is cancelled.
pub fn sleep_until(until: Instant, cancel: &CancelToken) -> Result<(), NfcError> {
    loop {
        if cancel.is_cancelled() {
            return Err(NfcError::Cancelled);
        }
        let now = Instant::now();
        if now >= until {
            return Ok(());
        }
        std::thread::sleep((until - now).min(CANCEL_GRANULARITY));
    }
}

/// A failed exchange: the card's status (and whether it came first) or
/// another error.
enum ExchangeError {
    Card {
        first: bool,
        error: NfcError,
        status: StatusWord,
    },
    Other(NfcError),
}

impl ExchangeError {
    /// The card's status word, when the chain failed on a card status.
    fn status(&self) -> Option<StatusWord> {
        match self {
            Self::Card {
                status,
                error: NfcError::Protocol(vitale_codec::Error::Apdu(ApduError::CardStatus(_))),
                ..
            } => Some(*status),
            _ => None,
        }
    }

    const fn first_answer(&self) -> bool {
        matches!(self, Self::Card { first: true, .. })
    }

    fn into_error(self) -> NfcError {
        match self {
            Self::Card { error, .. } | Self::Other(error) => error,
        }
    }
}

impl From<ExchangeError> for NfcError {
    fn from(error: ExchangeError) -> Self {
        error.into_error()
    }
}

#[cfg(test)]
mod tests;
