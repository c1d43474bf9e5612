//! Arbitrary bytes into the presentation decoder (envelope, payload,
//! embedded credential and delegation). Beyond "no panic": whatever decodes
//! re-encodes to the same payload, since only deterministic CBOR is accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::model::{Presentation, SignedPresentation};

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = SignedPresentation::decode(data) {
        let payload = p.presentation().to_payload().expect("re-encode");
        assert_eq!(payload, p.envelope().payload());
    }
    if let Ok(p) = Presentation::from_payload(data) {
        assert_eq!(p.to_payload().expect("re-encode"), data);
    }
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = SignedPresentation::from_text(text);
    }
});
