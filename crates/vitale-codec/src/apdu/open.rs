//! The NFC command set of the `open` profile (normative text:
//! `docs/format.md`).
//!
//! 1. SELECT by [`AID`] → a [`SelectAnswer`] and `90 00`;
//! 2. GET PRESENTATION (CLA `80`, INS `50`) with the reader's 16–32 byte
//!    challenge → the presentation, possibly split with `61 xx` and
//!    GET RESPONSE (see [`super::ResponseChain`]).

use super::{ApduError, CommandApdu, ResponseApdu};
use crate::Error;

/// Application identifier: `F0` (proprietary range) + ASCII `VITALE` +
/// version `01`.
pub const AID: [u8; 8] = [0xF0, 0x56, 0x49, 0x54, 0x41, 0x4C, 0x45, 0x01];

/// Interindustry class byte (SELECT, GET RESPONSE).
pub const CLA_INTERINDUSTRY: u8 = 0x00;
/// Proprietary class byte (GET PRESENTATION).
pub const CLA_PROPRIETARY: u8 = 0x80;
/// INS of SELECT.
pub const INS_SELECT: u8 = 0xA4;
/// INS of GET RESPONSE.
pub const INS_GET_RESPONSE: u8 = 0xC0;
/// INS of GET PRESENTATION.
pub const INS_GET_PRESENTATION: u8 = 0x50;
/// P1 of SELECT: select by DF name (AID).
pub const P1_SELECT_BY_NAME: u8 = 0x04;

/// Shortest reader challenge, in bytes.
pub const MIN_CHALLENGE_LEN: usize = 16;
/// Longest reader challenge, in bytes.
pub const MAX_CHALLENGE_LEN: usize = 32;

/// The protocol version this module implements.
pub const PROTOCOL_VERSION: u8 = 1;
/// Length of a version-1 SELECT answer.
pub const SELECT_ANSWER_LEN: usize = 4;
/// SELECT answer flag: the phone accepts extended-length APDUs.
pub const FLAG_EXTENDED_LENGTH: u8 = 0x01;

/// `00 A4 04 00 08 <AID> 00`: SELECT the app by its AID, expecting up to
/// 256 bytes (Le `00`).
#[must_use]
pub fn select_command() -> CommandApdu {
    CommandApdu::new(CLA_INTERINDUSTRY, INS_SELECT, P1_SELECT_BY_NAME, 0x00)
        .with_data(AID.to_vec())
        .with_le(256)
}

/// `80 50 00 00 Lc <challenge> Le`: ask for a presentation bound to the
/// reader's challenge (the COSE `external_aad`).
///
/// With `extended == false` Le is `00` (256 bytes per answer, the rest by
/// GET RESPONSE); with `extended == true` Le is `00 00` (up to 65 536) and
/// the command must be sent with [`CommandApdu::encode_extended`] (which
/// [`CommandApdu::encode`] picks by itself). Use extended length only when
/// the [`SelectAnswer`] says the phone accepts it.
///
/// # Errors
///
/// [`ApduError::ChallengeLength`] unless the challenge has 16 to 32 bytes.
pub fn get_presentation_command(challenge: &[u8], extended: bool) -> Result<CommandApdu, Error> {
    let len = challenge.len();
    if !(MIN_CHALLENGE_LEN..=MAX_CHALLENGE_LEN).contains(&len) {
        return Err(ApduError::ChallengeLength { len }.into());
    }
    let le = if extended { 65_536 } else { 256 };
    Ok(
        CommandApdu::new(CLA_PROPRIETARY, INS_GET_PRESENTATION, 0x00, 0x00)
            .with_data(challenge.to_vec())
            .with_le(le),
    )
}

/// `00 C0 00 00 Le`: fetch the next part of a chained answer, `le` being
/// the count announced by `61 xx` (256 for `61 00`), as given by
/// [`super::Step::NeedGetResponse`].
#[must_use]
pub fn get_response_command(le: u16) -> CommandApdu {
    CommandApdu::new(CLA_INTERINDUSTRY, INS_GET_RESPONSE, 0x00, 0x00).with_le(u32::from(le))
}

/// The data of the phone's answer to SELECT:
/// `version (1) | max presentation size (2, big-endian) | flags (1)`.
///
/// Flags: bit 0 — the phone accepts extended-length APDUs; the other bits
/// are reserved and must be 0 in version 1. Later versions may append
/// bytes, which this (version-1) reader ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SelectAnswer {
    /// Protocol version spoken by the phone (1 for this profile; higher
    /// versions are backward compatible under the same AID).
    pub version: u8,
    /// Largest presentation the phone may send, in bytes.
    pub max_presentation_size: u16,
    /// The phone accepts extended-length APDUs (flag bit 0).
    pub extended_length: bool,
}

impl SelectAnswer {
    /// The version-1 answer with these capabilities.
    #[must_use]
    pub const fn new(max_presentation_size: u16, extended_length: bool) -> Self {
        Self {
            version: PROTOCOL_VERSION,
            max_presentation_size,
            extended_length,
        }
    }

    /// Parses the SELECT answer data (status word removed).
    ///
    /// Version 1: exactly 4 bytes, reserved flags 0. Version 2 and up:
    /// at least 4 bytes; appended bytes and flag bits other than bit 0 are
    /// that version's business and ignored.
    ///
    /// # Errors
    ///
    /// [`ApduError::SelectAnswerLength`] for a wrong length,
    /// [`ApduError::UnsupportedVersion`] for version 0,
    /// [`ApduError::ReservedFlags`] for a version-1 answer with reserved
    /// bits set.
    pub fn parse(data: &[u8]) -> Result<Self, Error> {
        let len = data.len();
        let Some((&[version, size_hi, size_lo, flags], rest)) = data.split_first_chunk::<4>()
        else {
            return Err(ApduError::SelectAnswerLength { len }.into());
        };
        match version {
            0 => return Err(ApduError::UnsupportedVersion(version).into()),
            PROTOCOL_VERSION => {
                if !rest.is_empty() {
                    return Err(ApduError::SelectAnswerLength { len }.into());
                }
                let reserved = flags & !FLAG_EXTENDED_LENGTH;
                if reserved != 0 {
                    return Err(ApduError::ReservedFlags(reserved).into());
                }
            }
            _ => {}
        }
        Ok(Self {
            version,
            max_presentation_size: u16::from_be_bytes([size_hi, size_lo]),
            extended_length: flags & FLAG_EXTENDED_LENGTH != 0,
        })
    }

    /// Parses the answer to SELECT, status word included.
    ///
    /// # Errors
    ///
    /// [`ApduError::CardStatus`] unless the status is `90 00`
    /// ([`super::StatusWord::FileNotFound`]: no carte Vitale app), then as
    /// [`SelectAnswer::parse`].
    pub fn from_response(response: &ResponseApdu) -> Result<Self, Error> {
        if !response.status.is_ok() {
            return Err(ApduError::CardStatus(response.status).into());
        }
        Self::parse(&response.data)
    }

    /// Encodes the 4 bytes of the answer (what the phone sends).
    #[must_use]
    pub const fn encode(&self) -> [u8; SELECT_ANSWER_LEN] {
        let [size_hi, size_lo] = self.max_presentation_size.to_be_bytes();
        let flags = if self.extended_length {
            FLAG_EXTENDED_LENGTH
        } else {
            0
        };
        [self.version, size_hi, size_lo, flags]
    }
}
