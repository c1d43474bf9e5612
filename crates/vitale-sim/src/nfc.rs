//! The phone on an NFC reader: the Vitale app in host card emulation
//! ([`CardEmulator`]) and its transport to a real `pcscd` through the
//! vsmartcard **vpcd** virtual reader ([`serve_vpcd`], [`spawn_vpcd`]).
//!
//! With Debian's `vsmartcard-vpcd` driver, pcscd shows the readers
//! "Virtual PCD 00 00" and "Virtual PCD 00 01", listening on TCP 35963 and
//! 35964; the card side connects to them, one connection being one card in
//! the field. A PC/SC application then talks to the emulated phone as to a
//! real one (`docs/format.md` §8).
//!
//! ```no_run
//! use vitale::codec::model::Timestamp;
//! use vitale_sim::nfc::{Behaviour, CardEmulator, VPCD_DEFAULT_ADDR, spawn_vpcd};
//! use vitale_sim::{Scenario, Seed};
//!
//! let now = Timestamp::from_unix(1_795_334_400).ok_or("time out of range")?;
//! let s = Scenario::new(Seed::from_u64(7), 3, now)?;
//! let card = CardEmulator::new(s.phone, now, Behaviour::Normal);
//! let handle = spawn_vpcd(VPCD_DEFAULT_ADDR, card)?;
//! // … the PC/SC reader reads the phone …
//! let presentations = handle.stop()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The state machine alone, as a reader would drive it:
//!
//! ```
//! use vitale::codec::apdu::{open, ResponseApdu};
//! use vitale::codec::model::Timestamp;
//! use vitale_sim::nfc::{Behaviour, CardEmulator};
//! use vitale_sim::{Scenario, Seed};
//!
//! let now = Timestamp::from_unix(1_795_334_400).ok_or("time out of range")?;
//! let s = Scenario::new(Seed::from_u64(7), 1, now)?;
//! let mut card = CardEmulator::new(s.phone, now, Behaviour::Normal);
//! let select = card.handle_apdu(&open::select_command().encode()?);
//! let answer = open::SelectAnswer::from_response(&ResponseApdu::parse(&select)?)?;
//! assert!(answer.extended_length);
//! let get = open::get_presentation_command(&[0x42; 16], true)?.encode()?;
//! let presentation = ResponseApdu::parse(&card.handle_apdu(&get))?.into_ok_data()?;
//! assert!(!presentation.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::time::Duration;

mod card;
mod vpcd;

pub use card::{
    CardEmulator, DEFAULT_LIFETIME_SECS, HCE_ATR, MALFORMED_SELECT_CYCLE, MAX_ANSWER_DATA,
};
pub use vpcd::{
    CTRL_GET_ATR, CTRL_POWER_OFF, CTRL_POWER_ON, CTRL_RESET, EmulatorHandle, MAX_FRAME,
    VPCD_DEFAULT_ADDR, VpcdConnection, VpcdFrames, serve_vpcd, spawn_vpcd,
};

/// How the emulated phone (its user, its app) behaves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Behaviour {
    /// Answers as the profile says.
    #[default]
    Normal,
    /// The app is locked: GET PRESENTATION answers `69 82` for the first
    /// `polls` attempts (counted across resets and reconnections), then
    /// normally — the patient unlocked it while the reader polled.
    AppLocked {
        /// Attempts refused before the unlock.
        polls: u32,
    },
    /// The patient declines: GET PRESENTATION answers `69 85`.
    Declines,
    /// The SELECT answer says no extended length, and every extended
    /// APDU is refused with `67 00`.
    ShortApdusOnly,
    /// The transport waits `delay` before each APDU answer (a slow phone).
    Slow {
        /// The pause before each answer.
        delay: Duration,
    },
    /// The phone leaves the field after the first part of a chained
    /// answer: the transport closes the connection (card removed). Parts
    /// are then at most 256 bytes even in extended mode, so that a
    /// presentation above 256 bytes is always chained.
    DisconnectMidChain,
    /// Garbage answers: SELECT answers of the wrong length or an unknown
    /// version, and a `61 xx` that lies (see [`CardEmulator`]).
    Malformed,
    /// No Vitale app on this phone: SELECT answers `6A 82`.
    WrongAid,
}

/// Every way the vpcd transport can fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// vpcd closed the connection (pcscd stopped or restarted).
    #[error("vpcd closed the connection")]
    Closed,
    /// A frame does not fit vpcd's 2-byte length.
    #[error("frame of {len} bytes does not fit vpcd's 2-byte length")]
    FrameTooLong {
        /// Length of the payload.
        len: usize,
    },
    /// The emulator thread panicked (a bug).
    #[error("the emulator thread panicked")]
    ThreadPanicked,
    /// Connecting, reading or writing failed.
    #[error("vpcd I/O: {0}")]
    Io(#[from] std::io::Error),
}
