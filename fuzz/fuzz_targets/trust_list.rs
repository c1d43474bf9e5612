//! Arbitrary bytes into the trust list loaders: `TrustList::from_cbor`
//! and, when the bytes are UTF-8, `TrustList::from_json`, with a fixed
//! anchor (the root of the `docs/trust-list.md` vectors) and time.
//!
//! Each input runs twice: with the real signature backend (everything
//! should stop at the root signature) and with a backend that accepts
//! every signature, so that the fuzzer also reaches the payload parsers
//! and the entry checks behind the signature. A list that loads must
//! satisfy the invariants the loader promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::model::Timestamp;
use vitale_verify::trust::{TrustAnchor, TrustList};
use vitale_verify::{BackendError, PublicKey, Signature, SignatureBackend, default_backend};

/// Accepts every signature: for fuzzing what lies behind it.
struct AcceptAll;

impl SignatureBackend for AcceptAll {
    fn name(&self) -> &'static str {
        "accept-all"
    }

    fn verify_es256(&self, _: &PublicKey, _: &[u8], _: &Signature) -> Result<(), BackendError> {
        Ok(())
    }
}

/// The root of the `docs/trust-list.md` vectors (scalar `04` × 32), so
/// that the seed corpus (`corpus/trust_list/`: the vectors) loads.
const ROOT_SPKI: [u8; 91] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0x73, 0x10, 0x3e, 0xc3, 0x0b,
    0x3c, 0xcf, 0x57, 0xda, 0xae, 0x08, 0xe9, 0x35, 0x34, 0xae, 0xf1, 0x44, 0xa3, 0x59, 0x40, 0xcf,
    0x6b, 0xbb, 0xa1, 0x2a, 0x0c, 0xf7, 0xcb, 0xd5, 0xd6, 0x5a, 0x64, 0xd8, 0x2c, 0x8c, 0x99, 0xe9,
    0xd3, 0xc4, 0x5f, 0x92, 0x45, 0xba, 0x9b, 0x27, 0x98, 0x2c, 0x9a, 0xea, 0x8e, 0xc1, 0xdb, 0x94,
    0xb1, 0x9c, 0x44, 0x79, 0x59, 0x42, 0xc0, 0xeb, 0x22, 0xaa, 0x32,
];

fn check(list: &TrustList, now: Timestamp) {
    assert!(list.issued_at() <= now && now < list.expires_at());
    assert!(!list.keys().is_empty() && list.keys().len() <= 256);
    for (i, key) in list.keys().iter().enumerate() {
        assert!(list.keys()[..i].iter().all(|k| k.kid() != key.kid()));
        assert_eq!(list.find(key.kid()).map(|k| k.kid()), Some(key.kid()));
        assert!((1..=3).contains(&key.usages().len()));
        assert!(key.validity().not_before() < key.validity().expires_at());
        assert!(
            key.label()
                .is_none_or(|l| (1..=100).contains(&l.chars().count()))
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let anchor = TrustAnchor::from_spki_der(&ROOT_SPKI).expect("root key");
    let now = Timestamp::from_unix(1_795_334_400).expect("time");
    let text = std::str::from_utf8(data).ok();
    for backend in [default_backend(), &AcceptAll as &dyn SignatureBackend] {
        if let Ok(list) = TrustList::from_cbor(data, &anchor, backend, now) {
            check(&list, now);
        }
        if let Some(text) = text
            && let Ok(list) = TrustList::from_json(text, &anchor, backend, now)
        {
            check(&list, now);
        }
    }
});
