//! Arbitrary bytes into the presentation decoder (envelope, payload,
//! embedded credential and delegation). Beyond "no panic": whatever decodes
//! re-encodes to the same payload, since only deterministic CBOR is accepted;
//! owned and borrowed bytes decode the same; and an envelope the open
//! profile accepts (read straight from its bytes) reads the same through
//! the interop path (a CBOR value and `coset`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::cose::{ParseMode, Sign1};
use vitale_codec::model::{Presentation, SignedPresentation};

fuzz_target!(|data: &[u8]| {
    let decoded = SignedPresentation::decode(data);
    assert_eq!(decoded, SignedPresentation::decode_owned(data.to_vec()));
    if let Ok(p) = decoded {
        let payload = p.presentation().to_payload().expect("re-encode");
        assert_eq!(payload, p.envelope().payload());
        assert_eq!(p.envelope().as_bytes(), data);
    }
    if let Ok(profile) = Sign1::decode(data, 8192, ParseMode::OpenProfile) {
        let interop = Sign1::decode(data, 8192, ParseMode::Interop).expect("interop reads it");
        assert_eq!(profile.payload(), interop.payload());
        assert_eq!(profile.signature(), interop.signature());
        assert_eq!(profile.protected_bytes(), interop.protected_bytes());
        assert_eq!(profile.kid(), interop.kid());
        assert_eq!(profile.protected_has_kid(), interop.protected_has_kid());
        assert_eq!(profile.to_be_signed(b"aad"), interop.to_be_signed(b"aad"));
    }
    if let Ok(p) = Presentation::from_payload(data) {
        assert_eq!(p.to_payload().expect("re-encode"), data);
    }
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = SignedPresentation::from_text(text);
    }
});
