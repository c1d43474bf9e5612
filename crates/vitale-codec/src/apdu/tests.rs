//! Unit tests of the APDU framing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::open::{self, SelectAnswer};
use super::*;
use crate::Error;

fn apdu_err<T: core::fmt::Debug>(result: Result<T, Error>) -> ApduError {
    match result {
        Err(Error::Apdu(err)) => err,
        other => panic!("expected an APDU error, got {other:?}"),
    }
}

fn resp(data: &[u8], sw: u16) -> ResponseApdu {
    ResponseApdu::new(data.to_vec(), StatusWord::from(sw))
}

#[test]
fn status_words_both_ways() {
    let named = [
        (0x9000, StatusWord::Ok),
        (0x6112, StatusWord::MoreData(0x12)),
        (0x6100, StatusWord::MoreData(0)),
        (0x6C20, StatusWord::WrongLe(0x20)),
        (0x6982, StatusWord::AppLocked),
        (0x6985, StatusWord::Declined),
        (0x6A82, StatusWord::FileNotFound),
        (0x6700, StatusWord::WrongLength),
        (0x6D00, StatusWord::InsNotSupported),
        (0x6E00, StatusWord::ClaNotSupported),
        (0x6A86, StatusWord::WrongP1P2),
        (0x6A80, StatusWord::WrongData),
        (0x6F00, StatusWord::Other(0x6F00)),
        (0x6983, StatusWord::Other(0x6983)),
    ];
    for (value, sw) in named {
        assert_eq!(StatusWord::from(value), sw);
        assert_eq!(u16::from(sw), value);
        assert_eq!(StatusWord::from(value.to_be_bytes()), sw);
        assert_eq!(<[u8; 2]>::from(sw), value.to_be_bytes());
    }
    for value in 0..=u16::MAX {
        assert_eq!(StatusWord::from(value).to_u16(), value);
    }
    assert_eq!(
        StatusWord::AppLocked.to_string(),
        "69 82 (security status not satisfied: the patient must unlock the app)"
    );
}

#[test]
fn response_parse_limits() {
    assert_eq!(
        apdu_err(ResponseApdu::parse(&[])),
        ApduError::ResponseTooShort { len: 0 }
    );
    assert_eq!(
        apdu_err(ResponseApdu::parse(&[0x90])),
        ApduError::ResponseTooShort { len: 1 }
    );
    let biggest = vec![0; 65_538];
    assert_eq!(ResponseApdu::parse(&biggest).unwrap().data.len(), 65_536);
    assert_eq!(
        apdu_err(ResponseApdu::parse(&[0; 65_539])),
        ApduError::ResponseTooLong {
            len: 65_539,
            max: 65_538
        }
    );
    assert_eq!(
        resp(&[], 0x6985).into_ok_data(),
        Err(ApduError::CardStatus(StatusWord::Declined).into())
    );
    assert_eq!(resp(&[1, 2], 0x9000).into_ok_data().unwrap(), [1, 2]);
}

#[test]
fn select_answer_rules() {
    let v1 = SelectAnswer::new(8192, true);
    assert_eq!(v1.encode(), [0x01, 0x20, 0x00, 0x01]);
    assert_eq!(SelectAnswer::parse(&v1.encode()).unwrap(), v1);
    assert_eq!(
        SelectAnswer::parse(&[0x01, 0x08, 0x00, 0x00]).unwrap(),
        SelectAnswer::new(2048, false)
    );
    for bad in [&[][..], &[0x01], &[0x01, 0x20, 0x00]] {
        assert_eq!(
            apdu_err(SelectAnswer::parse(bad)),
            ApduError::SelectAnswerLength { len: bad.len() }
        );
    }
    // Version 1 is exactly 4 bytes.
    assert_eq!(
        apdu_err(SelectAnswer::parse(&[0x01, 0x20, 0x00, 0x01, 0xFF])),
        ApduError::SelectAnswerLength { len: 5 }
    );
    assert_eq!(
        apdu_err(SelectAnswer::parse(&[0x00, 0x20, 0x00, 0x01])),
        ApduError::UnsupportedVersion(0)
    );
    assert_eq!(
        apdu_err(SelectAnswer::parse(&[0x01, 0x20, 0x00, 0x83])),
        ApduError::ReservedFlags(0x82)
    );
    // A later version may append bytes and use other flag bits.
    assert_eq!(
        SelectAnswer::parse(&[0x02, 0x20, 0x00, 0x83, 0xAA, 0xBB]).unwrap(),
        SelectAnswer {
            version: 2,
            max_presentation_size: 8192,
            extended_length: true
        }
    );
    let answer = resp(&v1.encode(), 0x9000);
    assert_eq!(SelectAnswer::from_response(&answer).unwrap(), v1);
    assert_eq!(
        apdu_err(SelectAnswer::from_response(&resp(&[], 0x6A82))),
        ApduError::CardStatus(StatusWord::FileNotFound)
    );
}

#[test]
fn challenge_bounds() {
    for len in [0, 15, 33, 255] {
        assert_eq!(
            apdu_err(open::get_presentation_command(&vec![0; len], false)),
            ApduError::ChallengeLength { len }
        );
    }
    for len in [16, 24, 32] {
        let short = open::get_presentation_command(&vec![0; len], false).unwrap();
        assert_eq!(short.le, Some(256));
        assert_eq!(short.natural_form(), LengthForm::Short);
        let extended = open::get_presentation_command(&vec![0; len], true).unwrap();
        assert_eq!(extended.le, Some(65_536));
        assert_eq!(extended.natural_form(), LengthForm::Extended);
        assert!(extended.encode_short().is_err());
    }
}

#[test]
fn chain_single_answer() {
    let mut chain = ResponseChain::new();
    assert_eq!(
        chain.feed(&resp(b"abc", 0x9000)).unwrap(),
        Step::Complete(b"abc".to_vec())
    );
    assert!(chain.is_finished());
    assert_eq!(
        apdu_err(chain.feed(&resp(b"abc", 0x9000))),
        ApduError::ChainFinished
    );
}

#[test]
fn chain_61_00_means_256() {
    let mut chain = ResponseChain::new();
    assert_eq!(
        chain.feed(&resp(&[], 0x6100)).unwrap(),
        Step::NeedGetResponse(256)
    );
    assert_eq!(
        chain.feed(&resp(&[1; 256], 0x6105)).unwrap(),
        Step::NeedGetResponse(5)
    );
    assert_eq!(chain.received_len(), 256);
    assert_eq!(chain.steps(), 2);
    let Step::Complete(data) = chain.feed(&resp(&[2; 5], 0x9000)).unwrap() else {
        panic!("not complete");
    };
    assert_eq!(data.len(), 261);
}

#[test]
fn chain_error_status_is_typed() {
    for (sw, expected) in [
        (0x6982, StatusWord::AppLocked),
        (0x6985, StatusWord::Declined),
        (0x6C10, StatusWord::WrongLe(0x10)),
        (0x6F00, StatusWord::Other(0x6F00)),
    ] {
        let mut chain = ResponseChain::new();
        chain.feed(&resp(&[1; 10], 0x6110)).unwrap();
        assert_eq!(
            apdu_err(chain.feed(&resp(&[], sw))),
            ApduError::CardStatus(expected)
        );
        assert!(chain.is_finished());
        assert_eq!(chain.received_len(), 0);
    }
}

#[test]
fn chain_stalls_are_refused() {
    let mut chain = ResponseChain::new();
    chain.feed(&resp(&[], 0x6100)).unwrap();
    assert_eq!(
        apdu_err(chain.feed(&resp(&[], 0x6100))),
        ApduError::ChainStalled
    );
    // A final empty 90 00 is fine.
    let mut chain = ResponseChain::new();
    chain.feed(&resp(&[7], 0x6100)).unwrap();
    assert_eq!(
        chain.feed(&resp(&[], 0x9000)).unwrap(),
        Step::Complete(vec![7])
    );
}

#[test]
fn chain_limits() {
    let mut chain = ResponseChain::new();
    let part = vec![0; 256];
    for _ in 0..256 {
        chain.feed(&resp(&part, 0x6100)).unwrap();
    }
    assert_eq!(chain.received_len(), 65_536);
    assert_eq!(
        apdu_err(chain.feed(&resp(&[0], 0x9000))),
        ApduError::ChainTooLong { max: 65_536 }
    );

    let mut chain = ResponseChain::with_limits(100, 3);
    chain.feed(&resp(&[0; 10], 0x6101)).unwrap();
    chain.feed(&resp(&[0; 10], 0x6101)).unwrap();
    chain.feed(&resp(&[0; 10], 0x6101)).unwrap();
    assert_eq!(
        apdu_err(chain.feed(&resp(&[0; 10], 0x9000))),
        ApduError::TooManySteps { max: 3 }
    );

    let mut chain = ResponseChain::with_limits(usize::MAX, 10);
    assert_eq!(
        apdu_err(chain.feed(&resp(&vec![0; 65_537], 0x9000))),
        ApduError::ChainTooLong { max: 65_536 }
    );
}

#[test]
fn command_parse_rejects_malformed() {
    let malformed = [
        &[0x00, 0xA4, 0x04][..],
        // Short Lc = 0.
        &[0x00, 0xA4, 0x04, 0x00, 0x00, 0x01],
        // Lc says 2, one byte of data.
        &[0x00, 0xA4, 0x04, 0x00, 0x02, 0x01],
        // Lc says 1, then two trailing bytes.
        &[0x00, 0xA4, 0x04, 0x00, 0x01, 0x01, 0x02, 0x03],
        // Extended Lc = 0.
        &[0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01],
        // Extended Lc = 2, one byte of data.
        &[0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x02, 0x01],
        // Extended case 4 with a one-byte Le.
        &[0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00],
        // Extended case 4 with a three-byte Le.
        &[
            0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00,
        ],
    ];
    assert_eq!(
        apdu_err(CommandApdu::parse(malformed[0])),
        ApduError::CommandTooShort { len: 3 }
    );
    for bytes in &malformed[1..] {
        assert_eq!(
            apdu_err(CommandApdu::parse(bytes)),
            ApduError::MalformedCommand { len: bytes.len() },
            "{bytes:02X?}"
        );
    }
}

#[test]
fn command_encode_limits() {
    let big = CommandApdu::new(0, 0, 0, 0).with_data(vec![0; 256]);
    assert_eq!(
        apdu_err(big.encode_short()),
        ApduError::DataTooLong { len: 256, max: 255 }
    );
    assert_eq!(big.encode().unwrap().len(), 4 + 3 + 256);
    let huge = CommandApdu::new(0, 0, 0, 0).with_data(vec![0; 65_536]);
    assert_eq!(
        apdu_err(huge.encode()),
        ApduError::DataTooLong {
            len: 65_536,
            max: 65_535
        }
    );
    for (le, short_ok, extended_ok) in [
        (0, false, false),
        (1, true, true),
        (256, true, true),
        (257, false, true),
        (65_536, false, true),
        (65_537, false, false),
    ] {
        let command = CommandApdu::new(0, 0, 0, 0).with_le(le);
        assert_eq!(command.encode_short().is_ok(), short_ok, "{le}");
        assert_eq!(command.encode_extended().is_ok(), extended_ok, "{le}");
    }
    assert_eq!(
        apdu_err(CommandApdu::new(0, 0, 0, 0).with_le(0).encode_short()),
        ApduError::LeOutOfRange { le: 0, max: 256 }
    );
}

#[test]
fn debug_redacts_response_data() {
    let secret = b"DUPONT 1840375108210".to_vec();
    let response = ResponseApdu::new(secret.clone(), StatusWord::Ok);
    let shown = format!("{response:?}");
    assert!(
        !shown.contains("68") && shown.contains("data_len: 20"),
        "{shown}"
    );
    let step = Step::Complete(secret.clone());
    assert_eq!(format!("{step:?}"), "Complete { data_len: 20 }");
    let mut chain = ResponseChain::new();
    chain
        .feed(&ResponseApdu::new(secret, StatusWord::MoreData(1)))
        .unwrap();
    assert!(format!("{chain:?}").contains("received_len: 20"));
}
