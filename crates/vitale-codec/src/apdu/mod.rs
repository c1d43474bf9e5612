//! ISO/IEC 7816-4 APDU framing for the NFC channel, as pure functions.
//!
//! The reader (PC/SC driver) and the phone emulator exchange APDUs; this
//! module builds, encodes and parses them, without any I/O:
//!
//! * [`CommandApdu`] — command APDUs, short and extended length
//!   (cases 1 to 4), encoded and parsed strictly;
//! * [`ResponseApdu`] and [`StatusWord`] — response data and the status
//!   word (`SW1 SW2`), with the words of the `open` profile named;
//! * [`open`] — the `open` profile's command set: [`open::AID`],
//!   [`open::select_command`], [`open::get_presentation_command`],
//!   [`open::get_response_command`] and the [`open::SelectAnswer`];
//! * [`ResponseChain`] — the state machine that reassembles an answer
//!   split with `61 xx` / GET RESPONSE, bounded in size and steps.
//!
//! A reader session, without the transport:
//!
//! ```
//! use vitale_codec::apdu::{open, ResponseApdu, ResponseChain, Step};
//!
//! let select = open::select_command().encode_short()?;
//! assert_eq!(select, [0x00, 0xA4, 0x04, 0x00, 0x08,
//!                     0xF0, 0x56, 0x49, 0x54, 0x41, 0x4C, 0x45, 0x01, 0x00]);
//!
//! let challenge = [0x42; 16];
//! let get = open::get_presentation_command(&challenge, false)?.encode_short()?;
//! assert_eq!(get.len(), 4 + 1 + 16 + 1);
//!
//! // The phone answers 300 bytes in two parts.
//! let mut chain = ResponseChain::new();
//! let first = ResponseApdu::parse(&[&[0xAB; 256][..], &[0x61, 44]].concat())?;
//! let Step::NeedGetResponse(le) = chain.feed(&first)? else { unreachable!() };
//! assert_eq!(le, 44);
//! let _next = open::get_response_command(le).encode_short()?;
//! let last = ResponseApdu::parse(&[&[0xCD; 44][..], &[0x90, 0x00]].concat())?;
//! let Step::Complete(data) = chain.feed(&last)? else { unreachable!() };
//! assert_eq!(data.len(), 300);
//! # Ok::<(), vitale_codec::Error>(())
//! ```

mod chain;
mod command;
pub mod open;
mod response;

pub use chain::{DEFAULT_MAX_CHAIN_STEPS, ResponseChain, Step};
pub use command::{CommandApdu, LengthForm};
pub use response::{ResponseApdu, StatusWord};

/// Why an APDU is malformed, does not fit, or a response chain failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduError {
    /// A command APDU is shorter than its 4-byte header.
    #[error("command APDU of {len} bytes is shorter than its 4-byte header")]
    CommandTooShort {
        /// Length of the input.
        len: usize,
    },
    /// The body of a command APDU matches none of the short or extended
    /// cases 1 to 4 (Lc inconsistent with the length, Lc = 0, …).
    #[error("command APDU of {len} bytes matches no ISO 7816-4 case")]
    MalformedCommand {
        /// Length of the input.
        len: usize,
    },
    /// The command data does not fit the length form (Lc ≤ 255 in short
    /// form, ≤ 65 535 in extended form).
    #[error("command data of {len} bytes does not fit (at most {max})")]
    DataTooLong {
        /// Length of the data.
        len: usize,
        /// Largest length the form allows.
        max: usize,
    },
    /// The expected response length does not fit the length form
    /// (1..=256 in short form, 1..=65 536 in extended form).
    #[error("expected length (Le) {le} is out of range 1..={max}")]
    LeOutOfRange {
        /// The requested expected length.
        le: u32,
        /// Largest value the form allows.
        max: u32,
    },
    /// A response APDU is shorter than its 2-byte status word.
    #[error("response APDU of {len} bytes is shorter than its status word")]
    ResponseTooShort {
        /// Length of the input.
        len: usize,
    },
    /// A response APDU carries more data than extended length allows.
    #[error("response APDU of {len} bytes is longer than {max}")]
    ResponseTooLong {
        /// Length of the input.
        len: usize,
        /// Largest length accepted.
        max: usize,
    },
    /// The reader challenge of GET PRESENTATION is not 16 to 32 bytes.
    #[error("reader challenge of {len} bytes (expected 16 to 32)")]
    ChallengeLength {
        /// Length of the challenge.
        len: usize,
    },
    /// The SELECT answer is too short (or, for version 1, not exactly
    /// 4 bytes).
    #[error("SELECT answer of {len} bytes has the wrong length")]
    SelectAnswerLength {
        /// Length of the answer data.
        len: usize,
    },
    /// The phone speaks a protocol version this reader does not support.
    #[error("unsupported protocol version {0}")]
    UnsupportedVersion(u8),
    /// A version-1 SELECT answer has a reserved flag bit set.
    #[error("reserved flag bits set in the SELECT answer: 0x{0:02X}")]
    ReservedFlags(u8),
    /// The card (phone) answered with a status word other than success
    /// or `61 xx`: match the [`StatusWord`] to tell the patient what to do
    /// ([`StatusWord::AppLocked`], [`StatusWord::Declined`], …).
    #[error("the card answered {0}")]
    CardStatus(StatusWord),
    /// The reassembled answer would exceed the chain's size limit.
    #[error("chained response exceeds {max} bytes")]
    ChainTooLong {
        /// The limit, in bytes.
        max: usize,
    },
    /// The chain took more responses than its step limit.
    #[error("chained response takes more than {max} responses")]
    TooManySteps {
        /// The limit, in responses.
        max: usize,
    },
    /// A GET RESPONSE answer carried no data but announced more: the card
    /// makes no progress.
    #[error("GET RESPONSE answered `61 xx` without data")]
    ChainStalled,
    /// A response was fed to a chain that has already completed or failed.
    #[error("response chain already finished")]
    ChainFinished,
}

#[cfg(test)]
mod tests;
