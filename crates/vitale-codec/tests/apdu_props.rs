//! Property tests of the APDU framing: round trips, no panics, chain
//! reassembly of arbitrary data in arbitrary parts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use vitale_codec::apdu::open::SelectAnswer;
use vitale_codec::apdu::{CommandApdu, LengthForm, ResponseApdu, ResponseChain, StatusWord, Step};

fn short_command() -> impl Strategy<Value = CommandApdu> {
    (
        any::<[u8; 4]>(),
        proptest::collection::vec(any::<u8>(), 0..=255),
        proptest::option::of(1u32..=256),
    )
        .prop_map(|([cla, ins, p1, p2], data, le)| CommandApdu {
            cla,
            ins,
            p1,
            p2,
            data,
            le,
        })
}

fn extended_command() -> impl Strategy<Value = CommandApdu> {
    (
        any::<[u8; 4]>(),
        proptest::collection::vec(any::<u8>(), 0..=1024),
        proptest::option::of(prop_oneof![1u32..=300, 65_000u32..=65_536]),
    )
        .prop_map(|([cla, ins, p1, p2], data, le)| CommandApdu {
            cla,
            ins,
            p1,
            p2,
            data,
            le,
        })
}

proptest! {
    #[test]
    fn short_round_trip(command in short_command()) {
        let bytes = command.encode_short().unwrap();
        prop_assert_eq!(bytes.len(),
            4 + usize::from(!command.data.is_empty()) + command.data.len()
                + usize::from(command.le.is_some()));
        let (parsed, form) = CommandApdu::parse_with_form(&bytes).unwrap();
        prop_assert_eq!(parsed, command);
        prop_assert_eq!(form, LengthForm::Short);
    }

    #[test]
    fn extended_round_trip(command in extended_command()) {
        let bytes = command.encode_extended().unwrap();
        let (parsed, form) = CommandApdu::parse_with_form(&bytes).unwrap();
        let has_lengths = !command.data.is_empty() || command.le.is_some();
        prop_assert_eq!(parsed, command);
        prop_assert_eq!(form, if has_lengths { LengthForm::Extended } else { LengthForm::Short });
    }

    #[test]
    fn command_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        // Whatever parses re-encodes to the same bytes in the form it was
        // read in: the parser accepts one encoding per command and form.
        if let Ok((command, form)) = CommandApdu::parse_with_form(&bytes) {
            let again = match form {
                LengthForm::Short => command.encode_short().unwrap(),
                LengthForm::Extended => command.encode_extended().unwrap(),
            };
            prop_assert_eq!(again, bytes);
        }
    }

    #[test]
    fn response_round_trip(data in proptest::collection::vec(any::<u8>(), 0..600), sw in any::<u16>()) {
        let response = ResponseApdu::new(data, StatusWord::from(sw));
        let bytes = response.encode();
        prop_assert_eq!(ResponseApdu::parse(&bytes).unwrap(), response);
    }

    #[test]
    fn response_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        match ResponseApdu::parse(&bytes) {
            Ok(response) => prop_assert_eq!(response.encode(), bytes),
            Err(_) => prop_assert!(bytes.len() < 2),
        }
    }

    #[test]
    fn status_word_round_trip(sw in any::<u16>()) {
        prop_assert_eq!(u16::from(StatusWord::from(sw)), sw);
    }

    #[test]
    fn select_answer_round_trip(size in any::<u16>(), extended in any::<bool>()) {
        let answer = SelectAnswer::new(size, extended);
        prop_assert_eq!(SelectAnswer::parse(&answer.encode()).unwrap(), answer);
    }

    #[test]
    fn select_answer_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..10)) {
        if let Ok(answer) = SelectAnswer::parse(&bytes) {
            prop_assert!(answer.version >= 1);
            prop_assert!(bytes.len() >= 4);
        }
    }

    /// Arbitrary data split into arbitrary parts, announced with `61 xx`
    /// (`xx` = next part's length, `00` for 256 or more), reassembles to
    /// the data.
    #[test]
    fn chain_reassembles(
        data in proptest::collection::vec(any::<u8>(), 0..3000),
        cuts in proptest::collection::vec(1usize..400, 0..40),
    ) {
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut rest = data.as_slice();
        for cut in cuts {
            if rest.is_empty() {
                break;
            }
            let (part, tail) = rest.split_at(cut.min(rest.len()));
            parts.push(part);
            rest = tail;
        }
        parts.push(rest);
        let mut chain = ResponseChain::new();
        let count = parts.len();
        for (i, part) in parts.iter().enumerate() {
            let status = match parts.get(i + 1) {
                Some(next) => StatusWord::MoreData(u8::try_from(next.len()).unwrap_or(0)),
                None => StatusWord::Ok,
            };
            let step = chain.feed(&ResponseApdu::new(part.to_vec(), status));
            if i + 1 < count {
                // A non-final empty part after the first is a stall.
                if i > 0 && part.is_empty() {
                    prop_assert!(step.is_err());
                    return Ok(());
                }
                let expected = match status {
                    StatusWord::MoreData(0) => 256,
                    StatusWord::MoreData(xx) => u16::from(xx),
                    _ => unreachable!(),
                };
                prop_assert_eq!(step.unwrap(), Step::NeedGetResponse(expected));
            } else {
                prop_assert_eq!(step.unwrap(), Step::Complete(data.clone()));
            }
        }
        prop_assert!(chain.is_finished());
    }

    /// A hostile card: any sequence of responses ends (complete or error)
    /// within the step limit, never panics, never exceeds the size limit.
    #[test]
    fn chain_terminates(responses in proptest::collection::vec(
        (proptest::collection::vec(any::<u8>(), 0..300), any::<u16>()), 0..50)
    ) {
        let mut chain = ResponseChain::with_limits(4096, 20);
        for (data, sw) in responses {
            match chain.feed(&ResponseApdu::new(data, StatusWord::from(sw))) {
                Ok(Step::NeedGetResponse(le)) => prop_assert!((1..=256).contains(&le)),
                Ok(Step::Complete(all)) => prop_assert!(all.len() <= 4096),
                Err(_) => {}
            }
            prop_assert!(chain.steps() <= 20 || chain.is_finished());
        }
    }
}
