//! DER signatures and keys (`vitale_verify`): `Signature::from_der`
//! (ECDSA-Sig-Value, how HSMs and PKCS#11 tokens return a signature),
//! `PublicKey::from_spki_der` and `from_sec1_bytes`, `InteropKey` and
//! `P384PublicKey` (P-256 and P-384 SPKI), `TrustAnchor::from_spki_der`
//! and `kid_of_spki`.
//!
//! Asserts beyond "no panic": strict DER has one encoding, so an accepted
//! signature re-encodes to the input; a parsed key re-encodes (SPKI, SEC1
//! compressed and uncompressed) to forms that parse back to the same key;
//! the interop parser agrees with the P-256 parser; an anchor's kid is the
//! kid of its key's SPKI.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_verify::{InteropKey, P384PublicKey, PublicKey, Signature, TrustAnchor, kid_of_spki};

fuzz_target!(|data: &[u8]| {
    if let Ok(signature) = Signature::from_der(data) {
        assert_eq!(signature.to_der(), data);
        assert_eq!(
            Signature::from_slice(&signature.to_bytes()).ok(),
            Some(signature)
        );
    }
    if let Ok(signature) = Signature::from_slice(data) {
        let der = signature.to_der();
        assert_eq!(Signature::from_der(&der).ok(), Some(signature));
    }

    let p256 = PublicKey::from_spki_der(data);
    if let Ok(key) = &p256 {
        let spki = key.to_spki_der();
        assert_eq!(PublicKey::from_spki_der(&spki).as_ref(), Ok(key));
        assert_eq!(
            PublicKey::from_sec1_bytes(&key.to_compressed()).as_ref(),
            Ok(key)
        );
        assert_eq!(
            PublicKey::from_sec1_bytes(&key.to_uncompressed()).as_ref(),
            Ok(key)
        );
    }
    if let Ok(key) = PublicKey::from_sec1_bytes(data) {
        assert_eq!(PublicKey::from_spki_der(&key.to_spki_der()).ok(), Some(key));
    }
    match InteropKey::from_spki_der(data) {
        Ok(InteropKey::P256(key)) => {
            assert_eq!(p256.as_ref().ok(), Some(&key));
        }
        Ok(InteropKey::P384(key)) => {
            assert!(p256.is_err());
            assert_eq!(
                P384PublicKey::from_sec1_bytes(&key.to_uncompressed()).ok(),
                Some(key.clone())
            );
            assert_eq!(P384PublicKey::from_spki_der(data).ok(), Some(key));
        }
        Ok(_) => {}
        Err(_) => assert!(p256.is_err()),
    }
    if let Ok(key) = P384PublicKey::from_sec1_bytes(data) {
        assert_eq!(
            P384PublicKey::from_sec1_bytes(&key.to_uncompressed()).ok(),
            Some(key)
        );
    }
    match TrustAnchor::from_spki_der(data) {
        Ok(anchor) => {
            assert_eq!(Some(anchor.public_key()), p256.as_ref().ok());
            assert_eq!(
                anchor.kid(),
                kid_of_spki(&anchor.public_key().to_spki_der())
            );
        }
        Err(_) => assert!(p256.is_err()),
    }
    let _ = kid_of_spki(data);
});
