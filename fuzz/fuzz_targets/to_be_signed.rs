//! Arbitrary bytes into `ToBeSigned::from_bytes` (a stored first phase of
//! two-phase signing). Whatever is accepted is reproduced byte for byte,
//! and the envelope it completes decodes with exactly those bytes as its
//! `Sig_structure`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::cose::{ParseMode, Sign1, ToBeSigned};

const MAX: usize = 16_384;

fuzz_target!(|data: &[u8]| {
    if let Ok(tbs) = ToBeSigned::from_bytes(data, MAX) {
        assert_eq!(tbs.bytes(), data);
        let aad = tbs.external_aad().to_vec();
        let envelope = tbs.complete([0x5a; 64]);
        let decoded = Sign1::decode(&envelope, MAX + 128, ParseMode::OpenProfile)
            .expect("a completed envelope decodes");
        assert_eq!(decoded.to_be_signed(&aad).expect("Sig_structure"), data);
    }
});
