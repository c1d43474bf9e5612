//! Session logic against mock cards: a well-behaved phone with knobs, a
//! scripted card, and property tests with arbitrary answers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use proptest::prelude::*;
use vitale_codec::apdu::open::{self, SelectAnswer};
use vitale_codec::apdu::{ApduError, CommandApdu, LengthForm, ResponseApdu, StatusWord};

use super::*;

/// A phone that follows the profile, with knobs for its misbehaviours.
struct Phone {
    presentation: Vec<u8>,
    phone_extended: bool,
    reader_extended: bool,
    /// Answers `67 00` to extended APDUs although SELECT says it accepts them.
    refuses_extended: bool,
    /// Largest part per answer, below what Le allows.
    part: usize,
    locked: u32,
    declines: bool,
    /// Answers the first GET PRESENTATION with `6C xx`.
    wrong_le_first: Option<u8>,
    /// The card leaves after this many transmits.
    removed_after: Option<usize>,
    select_sw: StatusWord,
    max_size: u16,
    offset: usize,
    sent: Vec<(CommandApdu, LengthForm)>,
}

impl Phone {
    fn new(len: usize) -> Self {
        Self {
            presentation: (0..len).map(|i| (i % 251) as u8).collect(),
            phone_extended: true,
            reader_extended: true,
            refuses_extended: false,
            part: usize::MAX,
            locked: 0,
            declines: false,
            wrong_le_first: None,
            removed_after: None,
            select_sw: StatusWord::Ok,
            max_size: 4096,
            offset: 0,
            sent: Vec::new(),
        }
    }

    fn part(&mut self, ne: u32) -> ResponseApdu {
        let limit = (ne as usize).min(self.part);
        let rest = &self.presentation[self.offset..];
        let part = rest[..rest.len().min(limit)].to_vec();
        self.offset += part.len();
        let left = self.presentation.len() - self.offset;
        let sw = if left == 0 {
            StatusWord::Ok
        } else {
            StatusWord::MoreData(u8::try_from(left).unwrap_or(0))
        };
        ResponseApdu::new(part, sw)
    }

    fn answer(&mut self, command: &CommandApdu, form: LengthForm) -> ResponseApdu {
        if form == LengthForm::Extended && self.refuses_extended {
            return ResponseApdu::status_only(StatusWord::WrongLength);
        }
        match command.ins {
            open::INS_SELECT if self.select_sw.is_ok() => ResponseApdu::new(
                SelectAnswer::new(self.max_size, self.phone_extended)
                    .encode()
                    .to_vec(),
                StatusWord::Ok,
            ),
            open::INS_SELECT => ResponseApdu::status_only(self.select_sw),
            open::INS_GET_PRESENTATION => {
                if let Some(xx) = self.wrong_le_first.take() {
                    return ResponseApdu::status_only(StatusWord::WrongLe(xx));
                }
                if self.declines {
                    return ResponseApdu::status_only(StatusWord::Declined);
                }
                if self.locked > 0 {
                    self.locked -= 1;
                    return ResponseApdu::status_only(StatusWord::AppLocked);
                }
                self.offset = 0;
                self.part(command.le.unwrap())
            }
            open::INS_GET_RESPONSE => self.part(command.le.unwrap()),
            _ => ResponseApdu::status_only(StatusWord::InsNotSupported),
        }
    }
}

impl CardTransport for Phone {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.removed_after.is_some_and(|n| self.sent.len() >= n) {
            return Err(TransportError::CardRemoved);
        }
        let (command, form) = CommandApdu::parse_with_form(apdu).unwrap();
        let answer = self.answer(&command, form);
        self.sent.push((command, form));
        Ok(answer.encode())
    }

    fn supports_extended(&self) -> bool {
        self.reader_extended
    }
}

/// A card that answers a fixed list of responses, then is removed.
struct Scripted {
    answers: std::vec::IntoIter<Vec<u8>>,
    extended: bool,
}

impl CardTransport for Scripted {
    fn transmit(&mut self, _apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.answers.next().ok_or(TransportError::CardRemoved)
    }

    fn supports_extended(&self) -> bool {
        self.extended
    }
}

fn fast() -> SessionOptions {
    SessionOptions {
        poll_interval: Duration::ZERO,
        ..SessionOptions::default()
    }
}

fn run_with(
    phone: &mut Phone,
    options: SessionOptions,
) -> (Result<SessionRead, NfcError>, PollState, Vec<NfcEvent>) {
    let mut events = Vec::new();
    let mut state = PollState::default();
    let result =
        Session::new(phone, options).run(&[0x42; 32], &CancelToken::new(), &mut state, &mut |e| {
            events.push(e)
        });
    (result, state, events)
}

fn run(phone: &mut Phone) -> Result<SessionRead, NfcError> {
    run_with(phone, fast()).0
}

fn apdu_error(error: &NfcError) -> &ApduError {
    match error {
        NfcError::Protocol(vitale_codec::Error::Apdu(e)) => e,
        other => panic!("expected an APDU protocol error, got {other:?}"),
    }
}

#[test]
fn extended_read_takes_two_round_trips() {
    let mut phone = Phone::new(1500);
    let read = run(&mut phone).unwrap();
    assert_eq!(read.presentation, phone.presentation);
    assert_eq!(read.round_trips, 2);
    assert!(read.extended);
    assert_eq!(phone.sent[1].1, LengthForm::Extended);
    assert_eq!(phone.sent[1].0.data, [0x42; 32]);
}

#[test]
fn short_read_chains_with_get_response() {
    let mut phone = Phone::new(1500);
    phone.phone_extended = false;
    let read = run(&mut phone).unwrap();
    assert_eq!(read.presentation, phone.presentation);
    // SELECT + GET PRESENTATION + 5 GET RESPONSE (6 parts of ≤ 256 bytes).
    assert_eq!(read.round_trips, 7);
    assert!(!read.extended);
    assert!(
        phone
            .sent
            .iter()
            .all(|(_, form)| *form == LengthForm::Short)
    );
}

#[test]
fn short_when_the_reader_lacks_extended_length() {
    let mut phone = Phone::new(300);
    phone.reader_extended = false;
    let read = run(&mut phone).unwrap();
    assert!(!read.extended);
    assert_eq!(read.round_trips, 3);
}

#[test]
fn short_when_the_caller_forbids_extended_length() {
    let mut phone = Phone::new(300);
    let options = SessionOptions {
        allow_extended: false,
        ..fast()
    };
    let read = run_with(&mut phone, options).0.unwrap();
    assert!(!read.extended);
}

#[test]
fn falls_back_to_short_when_extended_is_refused() {
    let mut phone = Phone::new(700);
    phone.refuses_extended = true;
    let read = run(&mut phone).unwrap();
    assert_eq!(read.presentation, phone.presentation);
    assert!(!read.extended);
    // SELECT, refused extended GET PRESENTATION, short one, 2 GET RESPONSE.
    assert_eq!(read.round_trips, 5);
}

#[test]
fn small_parts_are_reassembled() {
    let mut phone = Phone::new(1000);
    phone.part = 100;
    let read = run(&mut phone).unwrap();
    assert_eq!(read.presentation, phone.presentation);
    assert_eq!(read.round_trips, 11);
}

#[test]
fn wrong_le_is_resent_with_the_right_le() {
    let mut phone = Phone::new(200);
    phone.wrong_le_first = Some(0xC8);
    let read = run(&mut phone).unwrap();
    assert_eq!(read.presentation, phone.presentation);
    assert_eq!(phone.sent[2].0.le, Some(0xC8));
    assert_eq!(phone.sent[2].0.data, [0x42; 32]);
    assert_eq!(read.round_trips, 3);
}

#[test]
fn wrong_le_twice_is_a_protocol_error() {
    let answers = vec![
        [&SelectAnswer::new(4096, false).encode()[..], &[0x90, 0x00]].concat(),
        vec![0x6C, 0x10],
        vec![0x6C, 0x10],
    ];
    let mut card = Scripted {
        answers: answers.into_iter(),
        extended: false,
    };
    let error = Session::new(&mut card, fast())
        .run(
            &[1; 16],
            &CancelToken::new(),
            &mut PollState::default(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(error.card_status(), Some(StatusWord::WrongLe(0x10)));
}

#[test]
fn unknown_aid_is_no_app() {
    let mut phone = Phone::new(10);
    phone.select_sw = StatusWord::FileNotFound;
    assert!(matches!(run(&mut phone), Err(NfcError::NoApp)));
}

#[test]
fn other_select_refusals_are_protocol_errors() {
    let mut phone = Phone::new(10);
    phone.select_sw = StatusWord::InsNotSupported;
    let error = run(&mut phone).unwrap_err();
    assert_eq!(error.card_status(), Some(StatusWord::InsNotSupported));
    assert_eq!(error.kind(), "protocol");
}

#[test]
fn declined() {
    let mut phone = Phone::new(10);
    phone.declines = true;
    assert!(matches!(run(&mut phone), Err(NfcError::Declined)));
}

#[test]
fn locked_app_is_polled_until_unlocked() {
    let mut phone = Phone::new(400);
    phone.locked = 3;
    let (result, state, events) = run_with(&mut phone, fast());
    let read = result.unwrap();
    assert_eq!(read.presentation, phone.presentation);
    assert_eq!(
        events,
        [
            NfcEvent::Reading,
            NfcEvent::AppLocked { attempt: 1 },
            NfcEvent::AppLocked { attempt: 2 },
            NfcEvent::AppLocked { attempt: 3 },
        ]
    );
    assert_eq!(state.lock_answers, 3);
    assert!(!state.locked);
    // SELECT, 3 locked + 1 answered GET PRESENTATION.
    assert_eq!(read.round_trips, 5);
}

#[test]
fn locked_until_the_deadline_is_app_still_locked() {
    let mut phone = Phone::new(400);
    phone.locked = u32::MAX;
    let options = SessionOptions {
        poll_interval: Duration::from_millis(5),
        deadline: Some(Instant::now() + Duration::from_millis(60)),
        ..SessionOptions::default()
    };
    let (result, state, _) = run_with(&mut phone, options);
    assert!(matches!(result, Err(NfcError::AppStillLocked)));
    assert!(state.locked);
    assert!(state.lock_answers >= 1);
}

#[test]
fn past_deadline_is_timeout() {
    let mut phone = Phone::new(400);
    let options = SessionOptions {
        deadline: Some(Instant::now()),
        ..fast()
    };
    assert!(matches!(
        run_with(&mut phone, options).0,
        Err(NfcError::Timeout)
    ));
    assert!(phone.sent.is_empty());
}

#[test]
fn cancel_while_locked() {
    let mut phone = Phone::new(400);
    phone.locked = u32::MAX;
    let cancel = CancelToken::new();
    let token = cancel.clone();
    let mut state = PollState::default();
    let options = SessionOptions {
        poll_interval: Duration::from_secs(3600),
        ..SessionOptions::default()
    };
    let result = Session::new(&mut phone, options).run(&[7; 16], &cancel, &mut state, &mut |e| {
        if matches!(e, NfcEvent::AppLocked { .. }) {
            token.cancel();
        }
    });
    assert!(matches!(result, Err(NfcError::Cancelled)));
    assert!(cancel.is_cancelled());
}

#[test]
fn removal_mid_chain_is_card_removed_and_not_locked() {
    let mut phone = Phone::new(1000);
    phone.phone_extended = false;
    phone.removed_after = Some(3);
    let (result, state, _) = run_with(&mut phone, fast());
    assert!(matches!(result, Err(NfcError::CardRemoved)));
    assert!(!state.locked);
}

#[test]
fn removal_while_locked_keeps_the_lock_state() {
    let mut phone = Phone::new(1000);
    phone.locked = 5;
    phone.removed_after = Some(3);
    let (result, state, _) = run_with(&mut phone, fast());
    assert!(matches!(result, Err(NfcError::CardRemoved)));
    assert!(state.locked);
    assert_eq!(state.lock_answers, 2);
}

#[test]
fn answer_above_the_announced_maximum_is_refused() {
    let mut phone = Phone::new(1000);
    phone.max_size = 999;
    let error = run(&mut phone).unwrap_err();
    assert_eq!(apdu_error(&error), &ApduError::ChainTooLong { max: 999 });
}

#[test]
fn stalled_chain_is_a_protocol_error() {
    let answers = vec![
        [&SelectAnswer::new(4096, false).encode()[..], &[0x90, 0x00]].concat(),
        [&[0xAA; 10][..], &[0x61, 0x00]].concat(),
        vec![0x61, 0x00],
    ];
    let mut card = Scripted {
        answers: answers.into_iter(),
        extended: true,
    };
    let error = Session::new(&mut card, fast())
        .run(
            &[1; 16],
            &CancelToken::new(),
            &mut PollState::default(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(apdu_error(&error), &ApduError::ChainStalled);
}

#[test]
fn malformed_answers_are_protocol_errors() {
    for (select, code) in [
        (vec![0x90], "response too short"),
        (vec![0x01, 0x10, 0x00, 0x00, 0x00, 0x90, 0x00], "5-byte v1"),
        (vec![0x00, 0x10, 0x00, 0x00, 0x90, 0x00], "version 0"),
        (vec![0x01, 0x10, 0x00, 0x80, 0x90, 0x00], "reserved flag"),
    ] {
        let mut card = Scripted {
            answers: vec![select].into_iter(),
            extended: true,
        };
        let error = Session::new(&mut card, fast())
            .run(
                &[1; 16],
                &CancelToken::new(),
                &mut PollState::default(),
                &mut |_| {},
            )
            .unwrap_err();
        assert_eq!(error.kind(), "protocol", "{code}");
    }
}

#[test]
fn wrong_challenge_length_is_refused_before_sending() {
    let mut phone = Phone::new(10);
    let error = Session::new(&mut phone, fast())
        .run(
            &[1; 8],
            &CancelToken::new(),
            &mut PollState::default(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(apdu_error(&error), &ApduError::ChallengeLength { len: 8 });
}

#[test]
fn debug_output_hides_the_presentation() {
    let mut phone = Phone::new(40);
    let read = run(&mut phone).unwrap();
    let debug = format!("{read:?}");
    assert!(debug.contains("presentation_len: 40"));
    assert!(!debug.contains("[0, 1, 2"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary answers never panic and never loop: the session ends
    /// once the script is exhausted (card removed) at the latest.
    #[test]
    fn arbitrary_answers_end(
        answers in prop::collection::vec(
            prop::collection::vec(any::<u8>(), 0..40),
            0..24,
        ),
        extended in any::<bool>(),
        challenge_len in 14_usize..34,
    ) {
        let steps = answers.len();
        let mut card = Scripted { answers: answers.into_iter(), extended };
        let mut session = Session::new(&mut card, fast());
        let result = session.run(
            &vec![9; challenge_len],
            &CancelToken::new(),
            &mut PollState::default(),
            &mut |_| {},
        );
        prop_assert!(session.round_trips() as usize <= steps + 1);
        if let Ok(read) = result {
            prop_assert!(read.presentation.len() <= 65_536);
        }
    }

    /// Well-formed chains of any part size read back the same bytes, in
    /// the expected number of round trips.
    #[test]
    fn well_formed_chains_read_back(
        len in 0_usize..5000,
        part in 16_usize..600,
        phone_extended in any::<bool>(),
        reader_extended in any::<bool>(),
    ) {
        let mut phone = Phone::new(len);
        phone.part = part;
        phone.max_size = 5000;
        phone.phone_extended = phone_extended;
        phone.reader_extended = reader_extended;
        let read = run(&mut phone).unwrap();
        prop_assert_eq!(&read.presentation, &phone.presentation);
        let extended = phone_extended && reader_extended;
        prop_assert_eq!(read.extended, extended);
        // The first answer is as long as Le allows; GET RESPONSE parts
        // follow `61 xx`, at most 256 bytes each.
        let first = if extended { part } else { part.min(256) }.min(len);
        let answers = 1 + (len - first).div_ceil(part.min(256));
        prop_assert_eq!(read.round_trips as usize, 1 + answers);
    }
}
