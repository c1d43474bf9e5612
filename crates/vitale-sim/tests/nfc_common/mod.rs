//! Helpers shared by the `nfc_*` tests: scenarios, a verifier, and a
//! reader that drives a [`CardEmulator`] with the codec's builders.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    dead_code,
    unreachable_pub
)]

use vitale::codec::Error as CodecError;
use vitale::codec::apdu::{ResponseApdu, ResponseChain, Step, open};
use vitale::codec::model::Timestamp;
use vitale::verify::policy::FixedClock;
use vitale::verify::{TrustList, TrustStore, Verifier, default_backend};
use vitale_sim::nfc::{Behaviour, CardEmulator};
use vitale_sim::{Scenario, Seed};

pub const NOW: u64 = 1_795_334_400; // 2026-11-22T08:00:00Z

pub fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

pub fn scenario(beneficiaries: usize) -> Scenario {
    Scenario::new(Seed::from_u64(42), beneficiaries, ts(NOW)).unwrap()
}

/// A verifier trusting the scenario's issuer, at `NOW`.
pub fn verifier(s: &Scenario) -> Verifier {
    let list = TrustList::from_cbor(&s.trust_list, &s.anchor, default_backend(), ts(NOW)).unwrap();
    Verifier::new(TrustStore::new(s.anchor.clone(), list)).with_clock(FixedClock(ts(NOW)))
}

/// The scenario's holder phone as a card, and a verifier for it.
pub fn card(beneficiaries: usize, behaviour: Behaviour) -> (CardEmulator, Verifier) {
    let s = scenario(beneficiaries);
    let v = verifier(&s);
    (CardEmulator::new(s.phone, ts(NOW), behaviour), v)
}

/// Sends a command, parses the answer (which must not be empty).
pub fn exchange(card: &mut CardEmulator, command: &[u8]) -> ResponseApdu {
    let answer = card.handle_apdu(command);
    assert!(answer.len() >= 2, "answer shorter than a status word");
    ResponseApdu::parse(&answer).unwrap()
}

/// What a reader session got, and in how many round trips.
#[derive(Debug)]
pub struct Read {
    pub result: Result<Vec<u8>, CodecError>,
    pub round_trips: usize,
    pub select: Option<open::SelectAnswer>,
}

/// A reader session: SELECT, GET PRESENTATION (extended if `extended`
/// and the phone says it can), GET RESPONSE until done.
pub fn read(card: &mut CardEmulator, challenge: &[u8], extended: bool) -> Read {
    let mut round_trips = 1;
    let select = exchange(card, &open::select_command().encode_short().unwrap());
    let select = match open::SelectAnswer::from_response(&select) {
        Ok(answer) => answer,
        Err(e) => {
            return Read {
                result: Err(e),
                round_trips,
                select: None,
            };
        }
    };
    let extended = extended && select.extended_length;
    let get = open::get_presentation_command(challenge, extended).unwrap();
    let get = if extended {
        get.encode_extended().unwrap()
    } else {
        get.encode_short().unwrap()
    };
    let mut chain = ResponseChain::new();
    let mut response = exchange(card, &get);
    round_trips += 1;
    let result = loop {
        match chain.feed(&response) {
            Ok(Step::Complete(data)) => break Ok(data),
            Ok(Step::NeedGetResponse(le)) => {
                let next = open::get_response_command(le).encode_short().unwrap();
                response = exchange(card, &next);
                round_trips += 1;
            }
            Err(e) => break Err(e),
        }
    };
    Read {
        result,
        round_trips,
        select: Some(select),
    }
}
