//! The vpcd frame reader of the simulated card (`vitale_sim::nfc::VpcdFrames`:
//! 2-byte big-endian length, then the payload, as pcscd's vpcd driver
//! sends them), fed the input in pieces whose sizes come from the input,
//! and each frame dispatched as `serve_vpcd` does: control bytes, or an
//! APDU for the card emulator.
//!
//! Asserts beyond "no panic": the frames are exactly the input's
//! length-prefixed records, whatever the cut; what is left pending is the
//! unfinished record; every emulator answer ends with a status word.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vitale_codec::model::{Timestamp, ValidityWindow};
use vitale_fuzz::world::{NOW, world};
use vitale_sim::SimPhone;
use vitale_sim::nfc::{Behaviour, CardEmulator, VpcdFrames};

/// The records of `bytes`, and the length of the unfinished tail.
fn records(mut bytes: &[u8]) -> (Vec<Vec<u8>>, usize) {
    let mut out = Vec::new();
    while let Some((len, rest)) = bytes.split_first_chunk::<2>() {
        let len = usize::from(u16::from_be_bytes(*len));
        let Some(payload) = rest.get(..len) else {
            break;
        };
        out.push(payload.to_vec());
        bytes = &rest[len..];
    }
    (out, bytes.len())
}

/// A phone of the world with a credential (the credential is issued once;
/// a phone is not `Sync`, so each input makes its own from the same seed,
/// with the same key and the same nonces).
fn phone() -> SimPhone {
    static CREDENTIAL: OnceLock<Vec<u8>> = OnceLock::new();
    let seed = vitale_sim::Seed::from_u64(0x5eed).child("vpcd");
    let mut phone = SimPhone::new(&seed, "vpcd").expect("phone");
    let credential = CREDENTIAL.get_or_init(|| {
        let w = world();
        let validity = ValidityWindow::new(w.now, w.at(86_400).expect("time")).expect("window");
        w.issuer
            .issue_credential(0, w.household(2), phone.device_key(), w.now, validity)
            .expect("credential")
    });
    phone
        .install_credential(credential.clone())
        .expect("install");
    phone
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, stream)) = data.split_first() else {
        return;
    };
    let step = usize::from(cut).max(1);
    let (expected, tail) = records(stream);
    let mut frames = VpcdFrames::new();
    let mut got = Vec::new();
    for piece in stream.chunks(step) {
        frames.push(piece);
        while let Some(frame) = frames.next_frame() {
            got.push(frame);
        }
    }
    assert_eq!(got, expected);
    assert_eq!(frames.pending(), tail);

    let now = Timestamp::from_unix(NOW).expect("time");
    let mut card = CardEmulator::new(phone(), now, Behaviour::default());
    // Each GET PRESENTATION signs (ES256): a few APDUs per input keep the
    // target fast enough to explore the framing.
    for frame in got.iter().take(8) {
        match frame.as_slice() {
            [] | [_] => card.reset(),
            apdu => {
                let answer = card.handle_apdu(apdu);
                assert!(answer.len() >= 2, "an answer without a status word");
            }
        }
    }
});
