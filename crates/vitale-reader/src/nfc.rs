//! NFC readers through PC/SC (pcsc-lite on Linux and macOS, WinSCard on
//! Windows): wait for the patient's phone, read its presentation.
//!
//! The phone runs the "appli carte Vitale", which emulates a contactless
//! card (Android HCE). The protocol itself lives in
//! [`crate::nfc_session`]; this module adds the PC/SC side: the context,
//! reader discovery (hot-plugged readers included), card detection,
//! connection and the transport.
//!
//! Vendors call [`read_presentation`] from a worker thread; the UI thread
//! keeps a clone of the [`CancelToken`] and receives [`NfcEvent`]s through
//! the callback (forward them over a channel).
//!
//! ```no_run
//! use std::time::Duration;
//! use vitale_reader::nfc::{NfcContext, NfcEvent, ReadOptions, read_presentation};
//!
//! let ctx = NfcContext::establish()?;
//! let options = ReadOptions { timeout: Duration::from_secs(30), ..ReadOptions::default() };
//! let read = read_presentation(&ctx, &options, |event| match event {
//!     NfcEvent::WaitingForPhone => println!("Approchez votre téléphone du lecteur"),
//!     NfcEvent::AppLocked { .. } => println!("Déverrouillez l'appli carte Vitale"),
//!     _ => {}
//! })?;
//! // Hand `read.presentation` and `read.challenge` to
//! // `Verifier::verify_nfc`.
//! # Ok::<(), vitale_reader::nfc::NfcError>(())
//! ```

use core::fmt;
use std::ffi::CString;
use std::time::{Duration, Instant};

use crate::nfc_session::{
    CANCEL_GRANULARITY, PollState, Session, SessionOptions, sleep_until, timeout_error,
};
pub use crate::nfc_session::{CancelToken, CardTransport, NfcError, NfcEvent, TransportError};

mod card;
mod wait;

pub use card::PcscCard;

/// Length of the reader challenge drawn by [`read_presentation`] (the
/// protocol allows 16 to 32 bytes).
pub const CHALLENGE_LEN: usize = 32;

/// A connection to the PC/SC service (a `SCARDCONTEXT`).
///
/// Cheap to clone (shared); released when the last clone is dropped.
#[derive(Clone)]
pub struct NfcContext {
    ctx: pcsc::Context,
}

impl fmt::Debug for NfcContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NfcContext").finish_non_exhaustive()
    }
}

impl NfcContext {
    /// Connects to the PC/SC service, user scope.
    ///
    /// Wraps `SCardEstablishContext`.
    ///
    /// # Errors
    ///
    /// [`NfcError::NoService`] when the service (`pcscd`) is not running,
    /// [`NfcError::Pcsc`] otherwise.
    pub fn establish() -> Result<Self, NfcError> {
        pcsc::Context::establish(pcsc::Scope::User)
            .map(|ctx| Self { ctx })
            .map_err(|e| pcsc_error("SCardEstablishContext", e))
    }

    /// The names of the connected readers (empty when there are none).
    ///
    /// Wraps `SCardListReaders`.
    ///
    /// # Errors
    ///
    /// [`NfcError::NoService`] when the service stopped,
    /// [`NfcError::Pcsc`] otherwise.
    pub fn list_readers(&self) -> Result<Vec<String>, NfcError> {
        Ok(self
            .reader_names()?
            .iter()
            .map(|name| name.to_string_lossy().into_owned())
            .collect())
    }

    /// Waits until a phone (contactless card) is on a reader and returns
    /// that reader's name.
    ///
    /// `reader`: `None` for any reader, or a name that the reader's name
    /// equals or contains. Readers plugged in while waiting are watched
    /// too (through the `\\?PnP?\Notification` pseudo-reader).
    ///
    /// Wraps `SCardGetStatusChange`, in slices of at most
    /// [`CANCEL_GRANULARITY`]·5 so that `cancel` is noticed.
    ///
    /// # Errors
    ///
    /// [`NfcError::Cancelled`]; at the timeout [`NfcError::NoReader`] if
    /// no reader was ever connected, [`NfcError::ReaderNotFound`] if none
    /// matched `reader`, [`NfcError::Timeout`] otherwise;
    /// [`NfcError::NoService`], [`NfcError::Pcsc`].
    pub fn wait_for_phone(
        &self,
        reader: Option<&str>,
        timeout: Duration,
        cancel: &CancelToken,
    ) -> Result<String, NfcError> {
        let deadline = Instant::now() + timeout;
        wait::wait_for_phone(self, reader, deadline, cancel)
    }

    /// Connects to the card on `reader`, shared mode, T=1 or T=0.
    ///
    /// Wraps `SCardConnect`.
    ///
    /// # Errors
    ///
    /// [`NfcError::CardRemoved`] when no card is there (any more),
    /// [`NfcError::ReaderNotFound`] for an unknown reader,
    /// [`NfcError::NoService`], [`NfcError::Pcsc`].
    pub fn connect(&self, reader: &str) -> Result<PcscCard, NfcError> {
        let name = CString::new(reader).map_err(|_| NfcError::ReaderNotFound(reader.into()))?;
        card::connect(&self.ctx, &name, reader)
    }

    /// Wraps `SCardListReaders`.
    fn reader_names(&self) -> Result<Vec<CString>, NfcError> {
        match self.ctx.list_readers_owned() {
            Ok(names) => Ok(names),
            Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
            Err(e) => Err(pcsc_error("SCardListReaders", e)),
        }
    }

    /// Wraps `SCardGetStatusChange`.
    fn status_change(
        &self,
        timeout: Duration,
        states: &mut [pcsc::ReaderState],
    ) -> Result<bool, NfcError> {
        match self.ctx.get_status_change(timeout, states) {
            Ok(()) => Ok(true),
            Err(pcsc::Error::Timeout) => Ok(false),
            Err(e) => Err(pcsc_error("SCardGetStatusChange", e)),
        }
    }
}

/// How [`read_presentation`] reads.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Only this reader (a name it equals or contains); `None`: the first
    /// reader a phone is presented to.
    pub reader: Option<String>,
    /// Upper bound on the whole read, waiting for the phone included.
    pub timeout: Duration,
    /// How often a locked app (`69 82`) is asked again.
    pub poll_interval: Duration,
    /// Cancels the read from another thread.
    pub cancel: CancelToken,
    /// Use extended-length APDUs when the reader and the phone support
    /// them (default `true`; `false` forces short APDUs).
    pub allow_extended: bool,
}

impl Default for ReadOptions {
    /// Any reader, 60 s, polls every 500 ms, extended length allowed.
    fn default() -> Self {
        Self {
            reader: None,
            timeout: Duration::from_secs(60),
            poll_interval: Duration::from_millis(500),
            cancel: CancelToken::new(),
            allow_extended: true,
        }
    }
}

/// A presentation read over NFC, with the challenge it must be bound to.
///
/// `Debug` shows the presentation's length, never its content.
#[derive(Clone, PartialEq, Eq)]
pub struct NfcRead {
    /// The presentation bytes: give them to `Verifier::verify_nfc`.
    pub presentation: Vec<u8>,
    /// The fresh challenge sent in GET PRESENTATION: give it to
    /// `Verifier::verify_nfc` with the bytes.
    pub challenge: Vec<u8>,
    /// The reader the phone was on.
    pub reader: String,
    /// Command APDUs sent, over all connections of this read.
    pub round_trips: u32,
    /// The presentation came with extended-length APDUs.
    pub extended: bool,
}

impl fmt::Debug for NfcRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NfcRead")
            .field("presentation_len", &self.presentation.len())
            .field("challenge_len", &self.challenge.len())
            .field("reader", &self.reader)
            .field("round_trips", &self.round_trips)
            .field("extended", &self.extended)
            .finish()
    }
}

/// Waits for a phone, reads its presentation under a fresh random
/// challenge, and disconnects.
///
/// Events, in order: [`NfcEvent::WaitingForPhone`],
/// [`NfcEvent::PhoneDetected`], [`NfcEvent::Reading`], possibly
/// [`NfcEvent::AppLocked`] (then keep polling every `poll_interval`),
/// [`NfcEvent::Done`]. When the phone is lifted while its app is locked
/// (the patient unlocking it), the read goes back to
/// [`NfcEvent::WaitingForPhone`] and goes on when it is presented again.
/// A phone gone before answering anything (the service still showed the
/// previous one) is waited for again too.
///
/// Every wait is bounded by `options.timeout` and watches
/// `options.cancel`.
///
/// # Errors
///
/// [`NfcError::Timeout`], [`NfcError::AppStillLocked`] (timeout while
/// locked), [`NfcError::Cancelled`], [`NfcError::CardRemoved`] (phone
/// removed while the presentation was being read; call again),
/// [`NfcError::Declined`], [`NfcError::NoApp`], [`NfcError::Protocol`],
/// [`NfcError::NoReader`], [`NfcError::ReaderNotFound`],
/// [`NfcError::NoService`], [`NfcError::Random`], [`NfcError::Pcsc`].
pub fn read_presentation(
    ctx: &NfcContext,
    options: &ReadOptions,
    mut on_event: impl FnMut(NfcEvent),
) -> Result<NfcRead, NfcError> {
    let deadline = Instant::now() + options.timeout;
    let cancel = &options.cancel;
    let challenge = fresh_challenge()?;
    let session_options = SessionOptions {
        allow_extended: options.allow_extended,
        poll_interval: options.poll_interval,
        deadline: Some(deadline),
        ..SessionOptions::default()
    };
    let mut state = PollState::default();
    let mut round_trips = 0_u32;
    on_event(NfcEvent::WaitingForPhone);
    loop {
        let reader = match wait::wait_for_phone(ctx, options.reader.as_deref(), deadline, cancel) {
            Err(NfcError::Timeout) => return Err(timeout_error(&state)),
            other => other?,
        };
        on_event(NfcEvent::PhoneDetected {
            reader: reader.clone(),
        });
        let card = match ctx.connect(&reader) {
            // Gone before we could connect: wait again.
            Err(NfcError::CardRemoved) => {
                pause_before_retry(deadline, cancel)?;
                continue;
            }
            other => other?,
        };
        let mut session = Session::new(card, session_options);
        let result = session.run(&challenge, cancel, &mut state, &mut on_event);
        round_trips = round_trips.saturating_add(session.round_trips());
        let answered = session.answers() > 0;
        let card = session.into_transport();
        match result {
            Ok(read) => {
                // The presentation is read: a failed disconnect changes
                // nothing for the caller.
                let _ignored = card.disconnect();
                on_event(NfcEvent::Done);
                return Ok(NfcRead {
                    presentation: read.presentation,
                    challenge,
                    reader,
                    round_trips,
                    extended: read.extended,
                });
            }
            Err(NfcError::CardRemoved) if state.locked => {
                // Lifted to be unlocked: wait for it to come back.
                let _ignored = card.disconnect();
                on_event(NfcEvent::WaitingForPhone);
            }
            Err(NfcError::CardRemoved) if !answered => {
                // Gone before answering anything (the service had not yet
                // seen the previous phone leave): wait again.
                let _ignored = card.disconnect();
                pause_before_retry(deadline, cancel)?;
            }
            Err(error) => {
                let _ignored = card.disconnect();
                return Err(error);
            }
        }
    }
}

/// A fresh random reader challenge of [`CHALLENGE_LEN`] bytes, from the
/// operating system's generator.
///
/// # Errors
///
/// [`NfcError::Random`] when the generator fails.
pub fn fresh_challenge() -> Result<Vec<u8>, NfcError> {
    let mut challenge = vec![0_u8; CHALLENGE_LEN];
    getrandom::fill(&mut challenge).map_err(|e| NfcError::Random(e.to_string()))?;
    Ok(challenge)
}

/// A short pause before waiting again for a card that vanished, so that a
/// flapping card cannot spin the loop.
fn pause_before_retry(deadline: Instant, cancel: &CancelToken) -> Result<(), NfcError> {
    let until = (Instant::now() + CANCEL_GRANULARITY * 5).min(deadline);
    sleep_until(until, cancel)
}

/// Maps a PC/SC error of `call` to a typed [`NfcError`].
fn pcsc_error(call: &'static str, error: pcsc::Error) -> NfcError {
    match error {
        pcsc::Error::NoService | pcsc::Error::ServiceStopped => NfcError::NoService,
        pcsc::Error::NoReadersAvailable => NfcError::NoReader,
        pcsc::Error::Cancelled => NfcError::Cancelled,
        pcsc::Error::RemovedCard
        | pcsc::Error::NoSmartcard
        | pcsc::Error::ResetCard
        | pcsc::Error::UnpoweredCard
        | pcsc::Error::UnresponsiveCard => NfcError::CardRemoved,
        source => NfcError::Pcsc { call, source },
    }
}
