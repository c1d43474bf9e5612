//! Helpers shared by the integration tests: signature checks with the
//! SDK's verifier backend.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use vitale::codec::cose::Sign1;
use vitale::codec::model::{SignedPresentation, Timestamp};
use vitale::verify::{PublicKey, Signature, default_backend};
use vitale_sim::p256::ecdsa::VerifyingKey;

/// 2026-11-22T08:00:00Z, the tests' "now".
pub const NOW: u64 = 1_795_334_400;

pub fn now() -> Timestamp {
    Timestamp::from_unix(NOW).unwrap()
}

pub fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

/// The verifier's key for a p256 public key.
pub fn public(key: &VerifyingKey) -> PublicKey {
    PublicKey::from_sec1_bytes(key.to_sec1_point(false).as_bytes()).unwrap()
}

/// Whether `envelope` verifies under `key` with `aad`.
pub fn verifies(envelope: &Sign1, key: &PublicKey, aad: &[u8]) -> bool {
    let message = envelope.to_be_signed(aad).unwrap();
    let signature = Signature::from_bytes(envelope.signature());
    default_backend()
        .verify_es256(key, &message, &signature)
        .is_ok()
}

/// Checks every signature of a presentation: the issuer's on the credential
/// (and the delegation), the device's (or delegate's) on the presentation
/// with the binding's AAD.
pub fn check_presentation(bytes: &[u8], issuer: &VerifyingKey) -> SignedPresentation {
    let signed = SignedPresentation::decode(bytes).unwrap();
    let p = signed.presentation();
    let issuer = public(issuer);
    assert!(
        verifies(p.credential().envelope(), &issuer, b""),
        "issuer signature"
    );
    let device = match p.delegation() {
        Some(d) => {
            assert!(verifies(d.envelope(), &issuer, b""), "delegation signature");
            d.delegation().delegate_key.to_sec1()
        }
        None => p.credential().credential().device_key.to_sec1(),
    };
    let device = PublicKey::from_sec1_bytes(&device).unwrap();
    assert!(
        verifies(signed.envelope(), &device, p.binding().external_aad()),
        "device signature"
    );
    signed
}
