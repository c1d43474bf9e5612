//! Property tests: p256-made signatures verify in every compiled backend,
//! and any single-bit change makes every backend refuse.

use ::p256::ecdsa::SigningKey;
use ::p256::ecdsa::signature::Signer as _;
use proptest::prelude::*;

use super::*;

/// A signing key from 32 random bytes, or `None` for the rare scalars
/// that are zero or not below n.
fn signing_key(seed: [u8; 32]) -> Option<SigningKey> {
    SigningKey::from_bytes(&seed.into()).ok()
}

fn sign(key: &SigningKey, message: &[u8]) -> Signature {
    let sig: ::p256::ecdsa::Signature = key.sign(message);
    let bytes: [u8; 64] = sig.to_bytes().into();
    Signature::from_bytes(&bytes)
}

fn public(key: &SigningKey, compressed: bool) -> PublicKey {
    let point = key.verifying_key().to_sec1_point(compressed);
    PublicKey::from_sec1_bytes(point.as_bytes()).unwrap()
}

/// Every backend gives `expected`.
fn all_give(key: &PublicKey, message: &[u8], sig: &Signature, expected: Result<(), Error>) {
    for backend in compiled_backends() {
        assert_eq!(
            backend.verify_es256(key, message, sig).map_err(Error::from),
            expected,
            "backend {}",
            backend.name()
        );
    }
}

fn flip(bytes: &mut [u8], bit: usize) {
    let len = bytes.len();
    bytes[(bit / 8) % len] ^= 1 << (bit % 8);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn signatures_verify_and_bit_flips_fail(
        seed in proptest::array::uniform32(any::<u8>()),
        message in proptest::collection::vec(any::<u8>(), 0..300),
        bit in any::<usize>(),
    ) {
        let Some(key) = signing_key(seed) else { return Ok(()); };
        let sig = sign(&key, &message);
        let full = public(&key, false);
        let compressed = public(&key, true);
        prop_assert_eq!(&full, &compressed);
        all_give(&full, &message, &sig, Ok(()));
        all_give(&compressed, &message, &sig, Ok(()));

        if !message.is_empty() {
            let mut changed = message.clone();
            flip(&mut changed, bit);
            all_give(&full, &changed, &sig, Err(Error::BadSignature));
            all_give(&compressed, &changed, &sig, Err(Error::BadSignature));
        }

        let mut sig_bytes = sig.to_bytes();
        flip(&mut sig_bytes, bit);
        let changed = Signature::from_bytes(&sig_bytes);
        all_give(&full, &message, &changed, Err(Error::BadSignature));
        all_give(&compressed, &message, &changed, Err(Error::BadSignature));
    }

    #[test]
    fn backends_agree_on_arbitrary_signatures(
        seed in proptest::array::uniform32(any::<u8>()),
        sig in proptest::array::uniform32(any::<u8>()),
    ) {
        // Random junk never verifies, and both backends say so alike.
        let Some(key) = signing_key(seed) else { return Ok(()); };
        let mut bytes = [0u8; 64];
        bytes[..32].copy_from_slice(&sig);
        bytes[32..].copy_from_slice(&sig);
        all_give(&public(&key, true), b"m", &Signature::from_bytes(&bytes), Err(Error::BadSignature));
    }
}

#[test]
fn out_of_range_scalars_are_bad_signatures() {
    let key = signing_key([7; 32]).unwrap();
    let public = public(&key, false);
    let good = sign(&key, b"message").to_bytes();
    // n, the group order.
    let n =
        hex::decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551").unwrap();
    let mut cases = Vec::new();
    for (offset, value) in [
        (0, vec![0u8; 32]),
        (32, vec![0u8; 32]),
        (0, n.clone()),
        (32, n.clone()),
        (0, vec![0xff; 32]),
    ] {
        let mut bytes = good;
        bytes[offset..offset + 32].copy_from_slice(&value);
        cases.push(bytes);
    }
    for bytes in cases {
        all_give(
            &public,
            b"message",
            &Signature::from_bytes(&bytes),
            Err(Error::BadSignature),
        );
    }
}

#[test]
fn high_s_is_accepted_by_every_backend() {
    // ECDSA (FIPS 186, SEC 1) has no low-S rule; Wycheproof lists high-S
    // signatures as valid. (n - s, r) verifies when (r, s) does.
    let key = signing_key([9; 32]).unwrap();
    let sig: ::p256::ecdsa::Signature = key.sign(b"malleable");
    let (r, s) = sig.split_scalars();
    let flipped = ::p256::ecdsa::Signature::from_scalars(r.to_bytes(), (-*s).to_bytes()).unwrap();
    let bytes: [u8; 64] = flipped.to_bytes().into();
    all_give(
        &public(&key, false),
        b"malleable",
        &Signature::from_bytes(&bytes),
        Ok(()),
    );
    all_give(
        &public(&key, false),
        b"malleable",
        &sign(&key, b"malleable"),
        Ok(()),
    );
}

#[test]
fn default_backend_is_the_last_compiled() {
    let last = compiled_backends().last().unwrap();
    assert_eq!(default_backend().name(), last.name());
    #[cfg(feature = "ring")]
    assert_eq!(default_backend().name(), "ring");
    #[cfg(not(feature = "ring"))]
    assert_eq!(default_backend().name(), "p256");
}

#[test]
fn only_es256_is_supported() {
    assert_eq!(Algorithm::from_cose_id(-7), Ok(Algorithm::Es256));
    assert_eq!(Algorithm::Es256.cose_id(), -7);
    assert_eq!(
        Algorithm::from_cose_id(-37),
        Err(Error::UnsupportedAlgorithm(crate::AlgorithmLabel::Cose(
            -37
        )))
    );
}
