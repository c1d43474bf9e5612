//! Feeds arbitrary bytes to the APDU response side of the reader.
//!
//! 1. The whole input as one response APDU: parsed responses re-encode to
//!    the input.
//! 2. The input as a SELECT answer: accepted answers have a supported
//!    version and version-1 answers re-encode to the input.
//! 3. The input as a sequence of responses for the chain state machine:
//!    each record is a length byte `n`, then `n` data bytes and a status
//!    word (extended to a 256-byte part when `n` is `0xFF`, to reach the
//!    size limit quickly). The chain must end within its step and size
//!    limits, and its announced Le is always 1..=256.
//! 4. The input as a command APDU (what the phone emulator parses):
//!    accepted commands re-encode to the input in the form they were read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::apdu::open::SelectAnswer;
use vitale_codec::apdu::{CommandApdu, LengthForm, ResponseApdu, ResponseChain, Step};

const MAX_STEPS: usize = 64;
const MAX_BYTES: usize = 8192;

fuzz_target!(|data: &[u8]| {
    if let Ok(response) = ResponseApdu::parse(data) {
        assert_eq!(response.encode(), data);
    }

    if let Ok(answer) = SelectAnswer::parse(data) {
        assert!(answer.version >= 1);
        if answer.version == 1 {
            assert_eq!(answer.encode().as_slice(), data);
        }
    }

    let mut chain = ResponseChain::with_limits(MAX_BYTES, MAX_STEPS);
    let mut rest = data;
    let mut fed = 0usize;
    while let Some((&n, tail)) = rest.split_first() {
        let take = usize::from(n).saturating_add(2);
        let Some(record) = tail.get(..take) else {
            break;
        };
        rest = tail.get(take..).unwrap_or_default();
        let mut bytes = record.to_vec();
        if n == 0xFF {
            // Pad the data to 256 bytes, keeping the status word last.
            let sw = bytes.split_off(bytes.len() - 2);
            bytes.resize(256, 0xA5);
            bytes.extend_from_slice(&sw);
        }
        let Ok(response) = ResponseApdu::parse(&bytes) else {
            break;
        };
        fed += 1;
        match chain.feed(&response) {
            Ok(Step::NeedGetResponse(le)) => {
                assert!((1..=256).contains(&le));
                assert!(chain.received_len() <= MAX_BYTES);
                assert!(chain.steps() <= MAX_STEPS);
            }
            Ok(Step::Complete(all)) => {
                assert!(all.len() <= MAX_BYTES);
                assert!(chain.is_finished());
            }
            Err(_) => assert!(chain.is_finished()),
        }
        if chain.is_finished() {
            assert!(chain.feed(&response).is_err());
            break;
        }
    }
    assert!(fed <= MAX_STEPS + 1 || chain.is_finished());

    if let Ok((command, form)) = CommandApdu::parse_with_form(data) {
        let again = match form {
            LengthForm::Short => command.encode_short(),
            LengthForm::Extended => command.encode_extended(),
        };
        assert_eq!(again.ok().as_deref(), Some(data));
    }
});
