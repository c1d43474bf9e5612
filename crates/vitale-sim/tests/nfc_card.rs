//! The phone's card application ([`CardEmulator`]) driven as a reader
//! would, with the codec's command builders and [`ResponseChain`].
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod nfc_common;

use std::time::Duration;

use nfc_common::{NOW, card, exchange, read, scenario, ts, verifier};
use vitale::codec::apdu::{CommandApdu, ResponseChain, StatusWord, Step, open};
use vitale::codec::{ApduError, Error as CodecError};
use vitale_sim::nfc::{Behaviour, CardEmulator, HCE_ATR, MALFORMED_SELECT_CYCLE};

const CHALLENGE: [u8; 24] = [0x5C; 24];

fn select(card: &mut CardEmulator) -> StatusWord {
    exchange(card, &open::select_command().encode_short().unwrap()).status
}

fn get_short(challenge: &[u8]) -> Vec<u8> {
    open::get_presentation_command(challenge, false)
        .unwrap()
        .encode_short()
        .unwrap()
}

fn get_extended(challenge: &[u8]) -> Vec<u8> {
    open::get_presentation_command(challenge, true)
        .unwrap()
        .encode_extended()
        .unwrap()
}

fn card_status(result: &Result<Vec<u8>, CodecError>) -> Option<StatusWord> {
    match result {
        Err(CodecError::Apdu(ApduError::CardStatus(sw))) => Some(*sw),
        _ => None,
    }
}

#[test]
fn the_atr_is_the_hce_atr() {
    let (card, _) = card(1, Behaviour::Normal);
    assert_eq!(card.atr(), &[0x3B, 0x80, 0x80, 0x01, 0x01]);
    assert_eq!(card.atr(), &HCE_ATR);
}

#[test]
fn the_select_answer_states_version_size_and_extended_length() {
    let (mut c, _) = card(1, Behaviour::Normal);
    let answer = exchange(&mut c, &open::select_command().encode_short().unwrap());
    assert_eq!(answer.data, [0x01, 0x20, 0x00, 0x01]);
    let parsed = open::SelectAnswer::from_response(&answer).unwrap();
    assert_eq!(parsed, open::SelectAnswer::new(8192, true));
    assert!(c.is_selected());

    let (mut c, _) = card(1, Behaviour::ShortApdusOnly);
    let answer = exchange(&mut c, &open::select_command().encode_short().unwrap());
    assert_eq!(answer.data, [0x01, 0x20, 0x00, 0x00]);
}

/// Households of 1, 3 and 16 give presentations of about 0.5, 0.7 and
/// 2.3 KB (a delegate's phone adds the delegation); each is read whole in
/// short and extended mode and verifies.
#[test]
#[allow(clippy::print_stderr)]
fn full_reads_verify_with_the_expected_round_trips() {
    let mut sizes = Vec::new();
    for (beneficiaries, delegate) in [(1, false), (3, false), (16, false), (16, true)] {
        for extended in [false, true] {
            let s = scenario(beneficiaries);
            let v = verifier(&s);
            let phone = if delegate {
                s.delegate("aidant", &[1]).unwrap()
            } else {
                s.phone
            };
            let mut c = CardEmulator::new(phone, ts(NOW), Behaviour::Normal);
            let r = read(&mut c, &CHALLENGE, extended);
            let bytes = r.result.unwrap();
            let n = bytes.len();
            let verified = v.verify_nfc(&bytes, &CHALLENGE).unwrap();
            assert_eq!(
                verified.beneficiaries().len(),
                if delegate { 1 } else { beneficiaries }
            );
            let bound = if extended { 2 } else { 2 + n.div_ceil(256) };
            assert!(r.round_trips <= bound, "{n} bytes took {}", r.round_trips);
            if extended {
                assert_eq!(r.round_trips, 2);
            } else {
                assert_eq!(r.round_trips, 1 + n.div_ceil(256));
            }
            eprintln!(
                "nfc read: {beneficiaries:2} beneficiaries{}, {n:5} bytes, {} APDUs: {} round trips",
                if delegate { " (delegate)" } else { "" },
                if extended { "extended" } else { "short" },
                r.round_trips
            );
            assert_eq!(c.presentations_made(), 1);
            if extended {
                sizes.push(n);
            }
        }
    }
    // The sizes the round-trip counts are about: more than one short
    // answer from the smallest household on.
    assert!(sizes.windows(2).all(|w| w[0] < w[1]), "{sizes:?}");
    assert!(sizes[0] > 256 && sizes[2] > 2048, "{sizes:?}");
}

#[test]
fn a_short_le_below_256_gives_smaller_parts() {
    let (mut c, v) = card(3, Behaviour::Normal);
    assert_eq!(select(&mut c), StatusWord::Ok);
    let get = open::get_presentation_command(&CHALLENGE, false)
        .unwrap()
        .with_le(100)
        .encode_short()
        .unwrap();
    let mut chain = ResponseChain::new();
    let mut response = exchange(&mut c, &get);
    let bytes = loop {
        assert!(response.data.len() <= 100);
        match chain.feed(&response).unwrap() {
            Step::Complete(data) => break data,
            Step::NeedGetResponse(le) => {
                let next = open::get_response_command(le.min(100));
                response = exchange(&mut c, &next.encode_short().unwrap());
            }
        }
    };
    v.verify_nfc(&bytes, &CHALLENGE).unwrap();
}

#[test]
fn an_extended_le_below_the_size_chains_in_parts_of_le() {
    let (mut c, v) = card(16, Behaviour::Normal);
    assert_eq!(select(&mut c), StatusWord::Ok);
    let get = open::get_presentation_command(&CHALLENGE, true)
        .unwrap()
        .with_le(1000)
        .encode_extended()
        .unwrap();
    let first = exchange(&mut c, &get);
    assert_eq!(first.data.len(), 1000);
    assert_eq!(first.status, StatusWord::MoreData(0));
    let mut chain = ResponseChain::new();
    let mut step = chain.feed(&first).unwrap();
    let bytes = loop {
        match step {
            Step::Complete(data) => break data,
            Step::NeedGetResponse(le) => {
                let next = open::get_response_command(le).encode_short().unwrap();
                step = chain.feed(&exchange(&mut c, &next)).unwrap();
            }
        }
    };
    v.verify_nfc(&bytes, &CHALLENGE).unwrap();
}

#[test]
fn each_read_is_a_fresh_presentation_bound_to_its_challenge() {
    let (mut c, v) = card(1, Behaviour::Normal);
    let first = read(&mut c, &[0x01; 16], true).result.unwrap();
    let second = read(&mut c, &[0x02; 32], false).result.unwrap();
    assert_ne!(first, second);
    assert_eq!(c.presentations_made(), 2);
    v.verify_nfc(&first, &[0x01; 16]).unwrap();
    v.verify_nfc(&second, &[0x02; 32]).unwrap();
    assert!(v.verify_nfc(&first, &[0x02; 32]).is_err());
}

#[test]
fn short_apdus_only_refuses_extended_commands() {
    let (mut c, v) = card(3, Behaviour::ShortApdusOnly);
    assert_eq!(select(&mut c), StatusWord::Ok);
    let refused = exchange(&mut c, &get_extended(&CHALLENGE));
    assert_eq!(refused.status, StatusWord::WrongLength);
    assert!(refused.data.is_empty());
    // A reader that asks for extended length falls back to short APDUs
    // after reading the SELECT answer.
    let r = read(&mut c, &CHALLENGE, true);
    assert!(!r.select.unwrap().extended_length);
    let bytes = r.result.unwrap();
    assert_eq!(r.round_trips, 1 + bytes.len().div_ceil(256));
    v.verify_nfc(&bytes, &CHALLENGE).unwrap();
}

#[test]
fn a_locked_app_answers_69_82_then_unlocks() {
    let (mut c, v) = card(1, Behaviour::AppLocked { polls: 3 });
    for _ in 0..2 {
        let r = read(&mut c, &CHALLENGE, true);
        assert_eq!(card_status(&r.result), Some(StatusWord::AppLocked));
    }
    // The lock keeps counting across a reset (the reader polls again).
    c.reset();
    let r = read(&mut c, &CHALLENGE, false);
    assert_eq!(card_status(&r.result), Some(StatusWord::AppLocked));
    assert_eq!(c.presentations_made(), 0);
    let bytes = read(&mut c, &CHALLENGE, true).result.unwrap();
    v.verify_nfc(&bytes, &CHALLENGE).unwrap();
    assert_eq!(c.presentations_made(), 1);
}

#[test]
fn a_declining_patient_answers_69_85() {
    let (mut c, _) = card(1, Behaviour::Declines);
    for extended in [false, true] {
        let r = read(&mut c, &CHALLENGE, extended);
        assert_eq!(card_status(&r.result), Some(StatusWord::Declined));
        assert_eq!(r.round_trips, 2);
    }
    assert_eq!(c.presentations_made(), 0);
}

#[test]
fn a_phone_without_the_app_answers_6a_82() {
    let (mut c, _) = card(1, Behaviour::WrongAid);
    let r = read(&mut c, &CHALLENGE, true);
    assert!(matches!(
        r.result,
        Err(CodecError::Apdu(ApduError::CardStatus(
            StatusWord::FileNotFound
        )))
    ));
    assert!(!c.is_selected());
    let get = exchange(&mut c, &get_short(&CHALLENGE));
    assert_eq!(get.status, StatusWord::FileNotFound);
}

#[test]
fn malformed_select_answers_cycle_then_the_chain_lies() {
    let (mut c, _) = card(3, Behaviour::Malformed);
    let r = read(&mut c, &CHALLENGE, true);
    assert!(matches!(
        r.result,
        Err(CodecError::Apdu(ApduError::SelectAnswerLength { len: 5 }))
    ));
    let r = read(&mut c, &CHALLENGE, true);
    assert!(matches!(
        r.result,
        Err(CodecError::Apdu(ApduError::UnsupportedVersion(0)))
    ));
    let r = read(&mut c, &CHALLENGE, true);
    assert!(matches!(
        r.result,
        Err(CodecError::Apdu(ApduError::SelectAnswerLength { len: 3 }))
    ));
    for extended in [true, false] {
        let r = read(&mut c, &CHALLENGE, extended);
        assert!(
            matches!(r.result, Err(CodecError::Apdu(ApduError::ChainStalled))),
            "{r:?}"
        );
        assert_eq!(r.round_trips, 3);
        // The cycle starts again.
        for _ in 1..MALFORMED_SELECT_CYCLE {
            assert!(read(&mut c, &CHALLENGE, true).result.is_err());
        }
    }
}

#[test]
fn disconnect_mid_chain_asks_to_leave_after_the_first_part() {
    for extended in [false, true] {
        let (mut c, _) = card(3, Behaviour::DisconnectMidChain);
        assert_eq!(select(&mut c), StatusWord::Ok);
        assert!(!c.take_disconnect_request());
        let get = if extended {
            get_extended(&CHALLENGE)
        } else {
            get_short(&CHALLENGE)
        };
        let first = exchange(&mut c, &get);
        assert_eq!(first.data.len(), 256);
        assert!(matches!(first.status, StatusWord::MoreData(_)));
        assert!(c.take_disconnect_request());
        assert!(!c.take_disconnect_request());
    }
    // A presentation that fits one part is not chained: no disconnection.
    let (mut c, _) = card(1, Behaviour::DisconnectMidChain);
    let r = read(&mut c, &CHALLENGE, true);
    if r.result.as_ref().unwrap().len() <= 256 {
        assert!(!c.take_disconnect_request());
    }
}

#[test]
fn a_slow_phone_only_asks_for_a_delay() {
    let delay = Duration::from_millis(30);
    let (mut c, v) = card(1, Behaviour::Slow { delay });
    assert_eq!(c.answer_delay(), Some(delay));
    let bytes = read(&mut c, &CHALLENGE, true).result.unwrap();
    v.verify_nfc(&bytes, &CHALLENGE).unwrap();
    let (c, _) = card(1, Behaviour::Normal);
    assert_eq!(c.answer_delay(), None);
}

#[test]
fn refusals_carry_the_status_words_of_the_profile() {
    let (mut c, _) = card(1, Behaviour::Normal);
    let sw = |c: &mut CardEmulator, cmd: CommandApdu| exchange(c, &cmd.encode().unwrap()).status;

    // Not selected yet.
    assert_eq!(
        exchange(&mut c, &get_short(&CHALLENGE)).status,
        StatusWord::FileNotFound
    );
    // Unknown AID; SELECT with other P1-P2.
    let other_aid = CommandApdu::new(0x00, 0xA4, 0x04, 0x00)
        .with_data(vec![0xA0, 0, 0, 0, 0x03, 0x10, 0x10])
        .with_le(256);
    assert_eq!(sw(&mut c, other_aid), StatusWord::FileNotFound);
    let mut by_path = open::select_command();
    by_path.p1 = 0x08;
    assert_eq!(sw(&mut c, by_path), StatusWord::WrongP1P2);

    assert_eq!(select(&mut c), StatusWord::Ok);
    // Unknown instruction, wrong class.
    assert_eq!(
        sw(&mut c, CommandApdu::new(0x00, 0xB0, 0, 0).with_le(16)),
        StatusWord::InsNotSupported
    );
    assert_eq!(
        sw(&mut c, CommandApdu::new(0x80, 0xCA, 0, 0).with_le(16)),
        StatusWord::InsNotSupported
    );
    assert_eq!(
        sw(&mut c, CommandApdu::new(0x90, 0x50, 0, 0).with_le(16)),
        StatusWord::ClaNotSupported
    );
    let mut get = open::get_presentation_command(&CHALLENGE, false).unwrap();
    get.cla = 0x00;
    assert_eq!(sw(&mut c, get), StatusWord::ClaNotSupported);
    let mut select_80 = open::select_command();
    select_80.cla = 0x80;
    assert_eq!(sw(&mut c, select_80), StatusWord::ClaNotSupported);
    // A failed SELECT under another class leaves the app selected.
    assert!(c.is_selected());

    // GET PRESENTATION: P1-P2, challenge length, Le.
    let mut get = open::get_presentation_command(&CHALLENGE, false).unwrap();
    get.p2 = 0x01;
    assert_eq!(sw(&mut c, get), StatusWord::WrongP1P2);
    for len in [1, 15, 33, 200] {
        let get = CommandApdu::new(0x80, 0x50, 0, 0)
            .with_data(vec![7; len])
            .with_le(256);
        assert_eq!(sw(&mut c, get), StatusWord::WrongData, "{len}");
    }
    let no_le = CommandApdu::new(0x80, 0x50, 0, 0).with_data(CHALLENGE.to_vec());
    assert_eq!(sw(&mut c, no_le), StatusWord::WrongLength);

    // GET RESPONSE with nothing pending, without Le, with P1-P2.
    let nothing = exchange(&mut c, &open::get_response_command(256).encode().unwrap());
    assert_eq!(nothing.status, StatusWord::Other(0x6A88));
    assert_eq!(
        sw(&mut c, CommandApdu::new(0x00, 0xC0, 0, 0)),
        StatusWord::WrongLength
    );
    assert_eq!(
        sw(&mut c, CommandApdu::new(0x00, 0xC0, 1, 0).with_le(16)),
        StatusWord::WrongP1P2
    );

    // Not an APDU at all.
    for garbage in [&[0x00, 0xA4][..], &[0x00, 0xA4, 0x04, 0x00, 0x08, 0xF0]] {
        let answer = c.handle_apdu(garbage);
        assert_eq!(answer, [0x67, 0x00]);
    }
    // An unknown AID deselects.
    let other_aid = CommandApdu::new(0x00, 0xA4, 0x04, 0x00).with_data(vec![0xF0; 8]);
    assert_eq!(sw(&mut c, other_aid), StatusWord::FileNotFound);
    assert!(!c.is_selected());
}

#[test]
fn reset_and_other_commands_drop_the_pending_chain() {
    let (mut c, _) = card(3, Behaviour::Normal);
    assert_eq!(select(&mut c), StatusWord::Ok);
    let first = exchange(&mut c, &get_short(&CHALLENGE));
    assert!(matches!(first.status, StatusWord::MoreData(_)));
    c.reset();
    assert!(!c.is_selected());
    let next = open::get_response_command(256).encode_short().unwrap();
    assert_eq!(exchange(&mut c, &next).status, StatusWord::FileNotFound);
    assert_eq!(select(&mut c), StatusWord::Ok);
    assert_eq!(exchange(&mut c, &next).status, StatusWord::Other(0x6A88));

    // Another command between two parts drops the rest.
    let first = exchange(&mut c, &get_short(&CHALLENGE));
    assert!(matches!(first.status, StatusWord::MoreData(_)));
    assert_eq!(select(&mut c), StatusWord::Ok);
    assert_eq!(exchange(&mut c, &next).status, StatusWord::Other(0x6A88));
}

#[test]
fn the_clock_and_lifetime_are_the_phones() {
    let s = scenario(1);
    let v = verifier(&s);
    let mut c = CardEmulator::new(s.phone, ts(0), Behaviour::Normal)
        .with_clock(|| ts(NOW - 10))
        .with_lifetime(120);
    let bytes = read(&mut c, &CHALLENGE, true).result.unwrap();
    let verified = v.verify_nfc(&bytes, &CHALLENGE).unwrap();
    assert_eq!(verified.provenance().verified_at(), ts(NOW));

    // A lifetime the profile forbids: the phone cannot sign.
    let (c, _) = card(1, Behaviour::Normal);
    let mut c = c.with_lifetime(181);
    let r = read(&mut c, &CHALLENGE, true);
    assert_eq!(card_status(&r.result), Some(StatusWord::Other(0x6F00)));
    assert_eq!(c.presentations_made(), 0);
}
