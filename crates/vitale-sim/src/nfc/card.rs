//! The phone's card application: the APDU state machine, without I/O.

use core::fmt;
use std::time::Duration;

use vitale::codec::apdu::{CommandApdu, LengthForm, ResponseApdu, StatusWord, open};
use vitale::codec::limits::MAX_PRESENTATION_BYTES;
use vitale::codec::model::Timestamp;

use super::Behaviour;
use crate::phone::SimPhone;

/// The ATR of an Android phone in host card emulation on a contactless
/// PC/SC reader: `3B 80 80 01 01` (ISO 14443-4 card without historical
/// bytes, as built by the PC/SC part 3 rules).
pub const HCE_ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];

/// Lifetime of the presentations the emulator makes, unless
/// [`CardEmulator::with_lifetime`] says otherwise.
pub const DEFAULT_LIFETIME_SECS: u64 = 60;

/// Largest data in one answer: a vpcd frame holds 65 535 bytes, the status
/// word included.
pub const MAX_ANSWER_DATA: usize = 65_533;

/// Largest part of a chained answer under [`Behaviour::DisconnectMidChain`]
/// and in short form (Le `00`).
const SHORT_PART: usize = 256;

/// `6A 88`: referenced data not found — GET RESPONSE with nothing pending.
const SW_NOTHING_PENDING: StatusWord = StatusWord::Other(0x6A88);
/// `6F 00`: no precise diagnosis — the phone failed to sign.
const SW_INTERNAL_ERROR: StatusWord = StatusWord::Other(0x6F00);

/// How many distinct SELECT answers [`Behaviour::Malformed`] cycles
/// through (see [`CardEmulator`]).
pub const MALFORMED_SELECT_CYCLE: u64 = 4;

/// Where the emulator reads the time at which it issues presentations.
enum Clock {
    Fixed(Timestamp),
    Dynamic(Box<dyn Fn() -> Timestamp + Send>),
}

impl Clock {
    fn now(&self) -> Timestamp {
        match self {
            Self::Fixed(at) => *at,
            Self::Dynamic(clock) => clock(),
        }
    }
}

/// The rest of a chained answer, waiting for GET RESPONSE.
struct Pending {
    data: Vec<u8>,
    offset: usize,
    /// [`Behaviour::Malformed`]: the next GET RESPONSE announces more data
    /// without sending any.
    lying: bool,
}

/// The Vitale app of a phone in host card emulation, as a state machine:
/// command APDU bytes in, response APDU bytes out (`docs/format.md` §8).
///
/// * `00 A4 04 00 08 <AID> 00` (SELECT) selects the app and answers the
///   [`open::SelectAnswer`]: version 1, maximum presentation size
///   [`MAX_PRESENTATION_BYTES`], extended length unless
///   [`Behaviour::ShortApdusOnly`]; another AID answers `6A 82` and
///   deselects.
/// * `80 50 00 00 Lc <challenge> Le` (GET PRESENTATION), app selected,
///   makes a fresh NFC presentation ([`SimPhone::present_nfc`]) bound to
///   the challenge. It answers it whole when *Ne* allows, else in parts of
///   *Ne* bytes (256 for Le `00`), each ending with `61 xx` (`xx` = bytes
///   left, `00` for 256 or more), the last with `90 00`.
/// * `00 C0 00 00 Le` (GET RESPONSE) returns the next part. Any other
///   command drops what was pending.
///
/// Refusals: a command that is not a well-formed short or extended APDU
/// `67 00`; extended length under [`Behaviour::ShortApdusOnly`] `67 00`; a
/// class other than `00`/`80` or the wrong one for the instruction `6E 00`;
/// an unknown instruction `6D 00`; wrong P1-P2 `6A 86`; GET PRESENTATION or
/// GET RESPONSE without Le, or GET RESPONSE with data, `67 00`; a
/// challenge outside 16..=32 bytes `6A 80`; GET PRESENTATION or GET
/// RESPONSE while the app is not selected `6A 82` (what Android answers
/// when no service is selected); GET RESPONSE with nothing pending `6A 88`;
/// a presentation the phone cannot make (no credential, time out of range)
/// `6F 00`.
///
/// [`Behaviour::Malformed`]: the `n`-th SELECT (from 0) of the app answers,
/// by `n` modulo [`MALFORMED_SELECT_CYCLE`]: 0 — a 5-byte version-1 answer
/// (wrong length), 1 — version 0, 2 — a 3-byte answer, 3 — a well-formed
/// answer. GET PRESENTATION then answers half the presentation with
/// `61 00` (a lie), and GET RESPONSE answers `61 00` without data.
///
/// Every answer carries a status word: never empty.
pub struct CardEmulator {
    phone: SimPhone,
    clock: Clock,
    behaviour: Behaviour,
    lifetime_secs: u64,
    selected: bool,
    pending: Option<Pending>,
    locked_polls_left: u32,
    presentations: u64,
    malformed_selects: u64,
    disconnect_requested: bool,
}

impl fmt::Debug for CardEmulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardEmulator")
            .field("phone", &self.phone.name())
            .field("behaviour", &self.behaviour)
            .field("selected", &self.selected)
            .field("pending_len", &self.pending_len())
            .field("presentations", &self.presentations)
            .finish_non_exhaustive()
    }
}

impl CardEmulator {
    /// The app of `phone`, issuing presentations at `now` (a fixed clock:
    /// see [`CardEmulator::with_clock`]), acting as `behaviour` says.
    #[must_use]
    pub fn new(phone: SimPhone, now: Timestamp, behaviour: Behaviour) -> Self {
        let locked_polls_left = match behaviour {
            Behaviour::AppLocked { polls } => polls,
            _ => 0,
        };
        Self {
            phone,
            clock: Clock::Fixed(now),
            behaviour,
            lifetime_secs: DEFAULT_LIFETIME_SECS,
            selected: false,
            pending: None,
            locked_polls_left,
            presentations: 0,
            malformed_selects: 0,
            disconnect_requested: false,
        }
    }

    /// The same emulator reading the time from `clock` at each
    /// presentation (e.g. the system clock for a long-running demo).
    #[must_use]
    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + 'static) -> Self {
        self.clock = Clock::Dynamic(Box::new(clock));
        self
    }

    /// The same emulator issuing presentations valid `secs` seconds
    /// (1 to 180; outside that the phone fails and answers `6F 00`).
    #[must_use]
    pub const fn with_lifetime(mut self, secs: u64) -> Self {
        self.lifetime_secs = secs;
        self
    }

    /// The phone behind the app.
    #[must_use]
    pub const fn phone(&self) -> &SimPhone {
        &self.phone
    }

    /// How the app behaves.
    #[must_use]
    pub const fn behaviour(&self) -> &Behaviour {
        &self.behaviour
    }

    /// `true` while the app is selected.
    #[must_use]
    pub const fn is_selected(&self) -> bool {
        self.selected
    }

    /// The ATR of the emulated card, [`HCE_ATR`].
    #[must_use]
    pub fn atr(&self) -> &'static [u8] {
        &HCE_ATR
    }

    /// How many presentations the app has made (each GET PRESENTATION that
    /// got as far as signing).
    #[must_use]
    pub const fn presentations_made(&self) -> u64 {
        self.presentations
    }

    /// The pause before each APDU answer ([`Behaviour::Slow`]), for the
    /// transport to apply.
    #[must_use]
    pub const fn answer_delay(&self) -> Option<Duration> {
        match self.behaviour {
            Behaviour::Slow { delay } => Some(delay),
            _ => None,
        }
    }

    /// `true` once after an answer after which the card must leave the
    /// field ([`Behaviour::DisconnectMidChain`]: the first part of a
    /// chain); the transport then closes the connection.
    pub fn take_disconnect_request(&mut self) -> bool {
        core::mem::take(&mut self.disconnect_requested)
    }

    /// Power off, power on or reset: the app is deselected and a pending
    /// chained answer dropped. The lock of [`Behaviour::AppLocked`] keeps
    /// counting across resets.
    pub fn reset(&mut self) {
        self.selected = false;
        self.pending = None;
        self.disconnect_requested = false;
    }

    /// Answers one command APDU: response data then `SW1 SW2`, never empty.
    pub fn handle_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        self.answer(command).encode()
    }

    fn answer(&mut self, bytes: &[u8]) -> ResponseApdu {
        let Ok((command, form)) = CommandApdu::parse_with_form(bytes) else {
            self.pending = None;
            return status(StatusWord::WrongLength);
        };
        let is_get_response =
            command.cla == open::CLA_INTERINDUSTRY && command.ins == open::INS_GET_RESPONSE;
        let pending = self.pending.take();
        if form == LengthForm::Extended && !self.accepts_extended() {
            return status(StatusWord::WrongLength);
        }
        match (command.cla, command.ins) {
            (open::CLA_INTERINDUSTRY, open::INS_SELECT) => self.select(&command),
            (open::CLA_PROPRIETARY, open::INS_GET_PRESENTATION) => self.get_presentation(&command),
            _ if is_get_response => self.get_response(&command, pending),
            (
                open::CLA_INTERINDUSTRY | open::CLA_PROPRIETARY,
                open::INS_SELECT | open::INS_GET_RESPONSE | open::INS_GET_PRESENTATION,
            ) => status(StatusWord::ClaNotSupported),
            (open::CLA_INTERINDUSTRY | open::CLA_PROPRIETARY, _) => {
                status(StatusWord::InsNotSupported)
            }
            _ => status(StatusWord::ClaNotSupported),
        }
    }

    const fn accepts_extended(&self) -> bool {
        !matches!(self.behaviour, Behaviour::ShortApdusOnly)
    }

    fn select(&mut self, command: &CommandApdu) -> ResponseApdu {
        if command.p1 != open::P1_SELECT_BY_NAME || command.p2 != 0x00 {
            return status(StatusWord::WrongP1P2);
        }
        if command.data != open::AID || matches!(self.behaviour, Behaviour::WrongAid) {
            self.selected = false;
            return status(StatusWord::FileNotFound);
        }
        self.selected = true;
        let answer = open::SelectAnswer::new(max_presentation_size(), self.accepts_extended());
        let encoded = answer.encode();
        let data = if matches!(self.behaviour, Behaviour::Malformed) {
            let n = self.malformed_selects;
            self.malformed_selects = n.wrapping_add(1);
            malformed_select_answer(n, encoded)
        } else {
            encoded.to_vec()
        };
        ResponseApdu::new(data, StatusWord::Ok)
    }

    fn get_presentation(&mut self, command: &CommandApdu) -> ResponseApdu {
        if !self.selected {
            return status(StatusWord::FileNotFound);
        }
        if command.p1 != 0x00 || command.p2 != 0x00 {
            return status(StatusWord::WrongP1P2);
        }
        let Some(ne) = command.le else {
            return status(StatusWord::WrongLength);
        };
        let len = command.data.len();
        if !(open::MIN_CHALLENGE_LEN..=open::MAX_CHALLENGE_LEN).contains(&len) {
            return status(StatusWord::WrongData);
        }
        match self.behaviour {
            Behaviour::Declines => return status(StatusWord::Declined),
            Behaviour::AppLocked { .. } if self.locked_polls_left > 0 => {
                self.locked_polls_left = self.locked_polls_left.saturating_sub(1);
                return status(StatusWord::AppLocked);
            }
            _ => {}
        }
        let now = self.clock.now();
        let Ok(presentation) = self
            .phone
            .present_nfc(&command.data, now, self.lifetime_secs)
        else {
            return status(SW_INTERNAL_ERROR);
        };
        self.presentations = self.presentations.saturating_add(1);
        if matches!(self.behaviour, Behaviour::Malformed) {
            let half = presentation.len() / 2;
            let mut data = presentation;
            data.truncate(half.min(ne_bytes(ne)));
            self.pending = Some(Pending {
                data: Vec::new(),
                offset: 0,
                lying: true,
            });
            return ResponseApdu::new(data, StatusWord::MoreData(0));
        }
        self.next_part(
            Pending {
                data: presentation,
                offset: 0,
                lying: false,
            },
            ne,
        )
    }

    fn get_response(&mut self, command: &CommandApdu, pending: Option<Pending>) -> ResponseApdu {
        if !self.selected {
            return status(StatusWord::FileNotFound);
        }
        if command.p1 != 0x00 || command.p2 != 0x00 {
            self.pending = pending;
            return status(StatusWord::WrongP1P2);
        }
        let Some(ne) = command.le.filter(|_| command.data.is_empty()) else {
            self.pending = pending;
            return status(StatusWord::WrongLength);
        };
        let Some(pending) = pending else {
            return status(SW_NOTHING_PENDING);
        };
        if pending.lying {
            self.pending = Some(pending);
            return status(StatusWord::MoreData(0));
        }
        self.next_part(pending, ne)
    }

    /// Sends the next part of `pending`, at most `ne` bytes, and keeps the
    /// rest.
    fn next_part(&mut self, mut pending: Pending, ne: u32) -> ResponseApdu {
        let mut limit = ne_bytes(ne);
        if matches!(self.behaviour, Behaviour::DisconnectMidChain) {
            limit = limit.min(SHORT_PART);
        }
        let rest = pending.data.get(pending.offset..).unwrap_or_default();
        let part: Vec<u8> = rest.iter().take(limit).copied().collect();
        pending.offset = pending.offset.saturating_add(part.len());
        let left = pending.data.len().saturating_sub(pending.offset);
        if left == 0 {
            return ResponseApdu::new(part, StatusWord::Ok);
        }
        let xx = u8::try_from(left).unwrap_or(0);
        self.pending = Some(pending);
        if matches!(self.behaviour, Behaviour::DisconnectMidChain) {
            self.disconnect_requested = true;
        }
        ResponseApdu::new(part, StatusWord::MoreData(xx))
    }

    fn pending_len(&self) -> usize {
        self.pending
            .as_ref()
            .map_or(0, |p| p.data.len().saturating_sub(p.offset))
    }
}

/// A response with no data.
const fn status(sw: StatusWord) -> ResponseApdu {
    ResponseApdu::status_only(sw)
}

/// *Ne* as a byte count, capped to what one vpcd frame carries.
fn ne_bytes(ne: u32) -> usize {
    usize::try_from(ne).map_or(MAX_ANSWER_DATA, |ne| ne.min(MAX_ANSWER_DATA))
}

/// The size announced in the SELECT answer.
fn max_presentation_size() -> u16 {
    u16::try_from(MAX_PRESENTATION_BYTES).unwrap_or(u16::MAX)
}

/// The `n`-th SELECT answer of [`Behaviour::Malformed`].
fn malformed_select_answer(n: u64, good: [u8; open::SELECT_ANSWER_LEN]) -> Vec<u8> {
    let [version, size_hi, size_lo, flags] = good;
    match n % MALFORMED_SELECT_CYCLE {
        0 => vec![version, size_hi, size_lo, flags, 0x00],
        1 => vec![0x00, size_hi, size_lo, flags],
        2 => vec![version, size_hi, size_lo],
        _ => good.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn ne_is_capped_to_one_vpcd_frame() {
        assert_eq!(ne_bytes(1), 1);
        assert_eq!(ne_bytes(256), 256);
        assert_eq!(ne_bytes(65_536), MAX_ANSWER_DATA);
        const { assert!(MAX_ANSWER_DATA + 2 <= super::super::MAX_FRAME) };
    }

    #[test]
    fn the_announced_size_is_the_profile_limit() {
        assert_eq!(usize::from(max_presentation_size()), MAX_PRESENTATION_BYTES);
    }

    #[test]
    fn malformed_select_answers_cycle() {
        let good = open::SelectAnswer::new(8192, true).encode();
        let answers: Vec<_> = (0..MALFORMED_SELECT_CYCLE * 2)
            .map(|n| malformed_select_answer(n, good))
            .collect();
        assert!(open::SelectAnswer::parse(&answers[0]).is_err());
        assert_eq!(answers[0].len(), 5);
        assert_eq!(answers[1][0], 0);
        assert!(open::SelectAnswer::parse(&answers[1]).is_err());
        assert_eq!(answers[2].len(), 3);
        assert_eq!(answers[3], good);
        assert_eq!(answers[..4], answers[4..]);
    }

    #[test]
    fn status_only_answers_are_two_bytes() {
        assert_eq!(status(StatusWord::WrongLength).encode(), [0x67, 0x00]);
        assert_eq!(status(SW_NOTHING_PENDING).encode(), [0x6A, 0x88]);
        assert_eq!(status(SW_INTERNAL_ERROR).encode(), [0x6F, 0x00]);
    }
}
