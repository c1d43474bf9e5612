//! The full verifier against arbitrary input: raw bytes (as QR and as NFC
//! answers), text, and single-byte mutations of a genuine presentation.
//! Beyond "no panic": a mutated presentation is never accepted.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vitale_codec::model::Timestamp;
use vitale_sim::{Scenario, Seed};
use vitale_verify::policy::FixedClock;
use vitale_verify::{ExpectedChannel, TrustList, TrustStore, Verifier, default_backend};

const NOW: u64 = 1_795_334_400;
const CHALLENGE: [u8; 16] = [0x42; 16];

struct Fixture {
    verifier: Verifier,
    genuine: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let now = Timestamp::from_unix(NOW).expect("valid time");
        let s = Scenario::new(Seed::from_u64(5), 2, now).expect("scenario");
        let list = TrustList::from_cbor(&s.trust_list, &s.anchor, default_backend(), now)
            .expect("trust list");
        let verifier =
            Verifier::new(TrustStore::new(s.anchor.clone(), list)).with_clock(FixedClock(now));
        let genuine = s
            .phone
            .present_nfc(&CHALLENGE, now, 60)
            .expect("presentation");
        Fixture { verifier, genuine }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let _ = f.verifier.verify(data, ExpectedChannel::Qr);
    let _ = f.verifier.verify(
        data,
        ExpectedChannel::Nfc {
            challenge: &CHALLENGE,
        },
    );
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = f.verifier.verify_text(text);
    }
    // Mutate the genuine presentation: pairs of (position, xor) bytes.
    if data.len() >= 3 {
        let mut changed = f.genuine.clone();
        for chunk in data.chunks_exact(3) {
            let position = usize::from(u16::from_be_bytes([chunk[0], chunk[1]])) % changed.len();
            changed[position] ^= chunk[2];
        }
        if changed != f.genuine {
            let result = f.verifier.verify(
                &changed,
                ExpectedChannel::Nfc {
                    challenge: &CHALLENGE,
                },
            );
            assert!(result.is_err(), "a mutated presentation was accepted");
        }
    }
});
