//! Drives the NFC session logic (`vitale_reader::nfc_session`, no PC/SC)
//! against an arbitrary mock card.
//!
//! Input: a flags byte (bit 0: the reader carries extended APDUs; bit 1:
//! extended length allowed; bit 2: a well-formed SELECT answer is put
//! first, announcing extended length when bit 3 is set and a maximum size
//! from the next two bytes — so that the fuzzer reaches the chain quickly;
//! bits 4–5: the challenge length is 16, 24, 32 or 15 bytes), then records:
//! a length byte `n` and `n` bytes, each record one raw response APDU
//! (`0xFF` stands for 256 data bytes followed by the record's last two
//! bytes as status word). When the records run out the card is removed.
//!
//! Asserted beyond "no panic": the session ends (never more commands than
//! answers + 1), a read presentation fits the chain limit and the size
//! the SELECT answer announced, and the lock counter only counts answers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::apdu::open::SelectAnswer;
use vitale_reader::nfc_session::{
    CancelToken, CardTransport, PollState, Session, SessionOptions, TransportError,
};

struct MockCard {
    answers: std::vec::IntoIter<Vec<u8>>,
    extended: bool,
}

impl CardTransport for MockCard {
    fn transmit(&mut self, _apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.answers.next().ok_or(TransportError::CardRemoved)
    }

    fn supports_extended(&self) -> bool {
        self.extended
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let mut answers = Vec::new();
    let mut announced = usize::from(u16::MAX);
    if flags & 0x04 != 0 {
        let Some((size, tail)) = rest.split_first_chunk::<2>() else {
            return;
        };
        rest = tail;
        let max = u16::from_be_bytes(*size);
        announced = usize::from(max);
        let mut select = SelectAnswer::new(max, flags & 0x08 != 0).encode().to_vec();
        select.extend_from_slice(&[0x90, 0x00]);
        answers.push(select);
    }
    while let Some((&n, tail)) = rest.split_first() {
        let Some(record) = tail.get(..usize::from(n)) else {
            break;
        };
        rest = tail.get(usize::from(n)..).unwrap_or_default();
        if n == 0xFF {
            let mut padded = vec![0xA5; 256];
            padded.extend_from_slice(record.get(record.len() - 2..).unwrap_or_default());
            answers.push(padded);
        } else {
            answers.push(record.to_vec());
        }
    }
    let count = answers.len();
    let mut card = MockCard {
        answers: answers.into_iter(),
        extended: flags & 0x01 != 0,
    };
    let options = SessionOptions {
        allow_extended: flags & 0x02 != 0,
        poll_interval: std::time::Duration::ZERO,
        ..SessionOptions::default()
    };
    let challenge = vec![0x42; [16, 24, 32, 15][usize::from((flags >> 4) & 0x03)]];
    let mut state = PollState::default();
    let mut locked_events = 0_u32;
    let mut session = Session::new(&mut card, options);
    let result = session.run(&challenge, &CancelToken::new(), &mut state, &mut |e| {
        if matches!(e, vitale_reader::nfc_session::NfcEvent::AppLocked { .. }) {
            locked_events += 1;
        }
    });
    assert!(session.round_trips() as usize <= count + 1);
    assert!(session.answers() as usize <= count);
    assert_eq!(state.lock_answers, locked_events);
    if let Ok(read) = result {
        assert!(read.presentation.len() <= 65_536);
        assert!(read.presentation.len() <= announced);
        assert!(!state.locked);
    }
});
