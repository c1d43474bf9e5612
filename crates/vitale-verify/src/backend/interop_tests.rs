//! The interop path (ECDSA with SHA-256 over P-384): RustCrypto-made and
//! OpenSSL-made signatures verify in every compiled backend, any single-bit
//! change makes every backend refuse, lengths and curves are checked.

use ::p384::ecdsa::SigningKey;
use ::p384::ecdsa::signature::hazmat::PrehashSigner as _;
use proptest::prelude::*;
use sha2::{Digest as _, Sha256};

use super::*;
use crate::error::{KeyError, SignatureEncodingError};
use crate::interop::{P384_SIGNATURE_LEN, P384PublicKey};

/// `SEQUENCE { SEQUENCE { id-ecPublicKey, secp384r1 }, BIT STRING(98) }`
/// up to the uncompressed point.
const P384_SPKI_PREFIX: &str = "3076301006072a8648ce3d020106052b81040022036200";

/// A P-384 key made by OpenSSL (`openssl ecparam -name secp384r1`).
const OPENSSL_SPKI: &str = "3076301006072a8648ce3d020106052b8104002203620004773e8188497702b52ec8fb1cbd9e462a9ab8bf780adc8f30e9aa3ee1fa2d46ba32d7cf003e5b6e1c73bf23d2de708aa3e2a5c90d1edb421664f714fae03a536e1198a93614fd371919a7052b84d49f95736c314325e167da1eec75002626ca5b";
/// `openssl dgst -sha256 -sign` of [`OPENSSL_MESSAGE`] with that key (DER).
const OPENSSL_SIG_DER: &str = "3066023100d9e0276cc731e40743464799c9ce9cb4019fc3c0ec2d10d5809ad387aa9bb505bd2a62739711f50dd16aa13fae2df115023100ca61f2cd29fb831640ac2971210f2bbe81b682a2106831e408047100f3aea821a391bd027f4855b55e23e3800a7c6e62";
const OPENSSL_R: &str = "d9e0276cc731e40743464799c9ce9cb4019fc3c0ec2d10d5809ad387aa9bb505bd2a62739711f50dd16aa13fae2df115";
const OPENSSL_S: &str = "ca61f2cd29fb831640ac2971210f2bbe81b682a2106831e408047100f3aea821a391bd027f4855b55e23e3800a7c6e62";
const OPENSSL_MESSAGE: &[u8] = b"vitale-sdk interop P-384 SHA-256";

/// A P-521 key made by OpenSSL (`openssl ecparam -name secp521r1`).
const P521_SPKI: &str = "30819b301006072a8648ce3d020106052b810400230381860004003baf247c5bf787a556c93e2486dc4ec2a79325a8b48a1c65cab8cddb048242083cc269f87bbe80f9988cde8cbb3b2b9ba09cfb0bd15406c1df85425e3fdbc5131101032a081641cf551529758088bfa78344c736c6c7a2b30baa74481dbed9fa29203911d3de1f090b292c31fac0a1a82de566381b57552f1ee00619a273af5d62ca60";

/// The order n of P-384, big-endian.
const P384_N: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";

fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

fn openssl_signature() -> Vec<u8> {
    [unhex(OPENSSL_R), unhex(OPENSSL_S)].concat()
}

/// ECDSA P-384 over SHA-256(`message`), `r‖s`.
fn sign(key: &SigningKey, message: &[u8]) -> Vec<u8> {
    let sig: ::p384::ecdsa::Signature = key.sign_prehash(&Sha256::digest(message)).unwrap();
    sig.to_bytes().to_vec()
}

fn spki(key: &SigningKey) -> Vec<u8> {
    let point = key.verifying_key().to_sec1_point(false);
    [unhex(P384_SPKI_PREFIX), point.as_bytes().to_vec()].concat()
}

/// Every backend gives `expected`.
fn all_give(key: &InteropKey, message: &[u8], sig: &[u8], expected: Result<(), Error>) {
    for backend in compiled_backends() {
        assert_eq!(
            backend
                .verify_es256_interop(key, message, sig)
                .map_err(Error::from),
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

/// `n - s`, big-endian, 48 bytes.
fn negate(s: &[u8]) -> Vec<u8> {
    let n = unhex(P384_N);
    let mut out = vec![0u8; 48];
    let mut borrow = 0i16;
    for i in (0..48).rev() {
        let mut d = i16::from(n[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = u8::try_from(d).unwrap();
    }
    assert_eq!(borrow, 0);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn p384_signatures_verify_and_bit_flips_fail(
        seed in proptest::collection::vec(any::<u8>(), 48),
        message in proptest::collection::vec(any::<u8>(), 0..300),
        bit in any::<usize>(),
    ) {
        let Ok(key) = SigningKey::from_slice(&seed) else { return Ok(()); };
        let sig = sign(&key, &message);
        prop_assert_eq!(sig.len(), P384_SIGNATURE_LEN);
        let from_spki = InteropKey::from_spki_der(&spki(&key)).unwrap();
        let compressed = key.verifying_key().to_sec1_point(true);
        let from_compressed =
            InteropKey::P384(P384PublicKey::from_sec1_bytes(compressed.as_bytes()).unwrap());
        prop_assert_eq!(&from_spki, &from_compressed);
        all_give(&from_spki, &message, &sig, Ok(()));

        let mut bad_sig = sig.clone();
        flip(&mut bad_sig, bit);
        all_give(&from_spki, &message, &bad_sig, Err(Error::BadSignature));

        let mut bad_message = message.clone();
        if bad_message.is_empty() {
            bad_message.push(0);
        } else {
            flip(&mut bad_message, bit);
        }
        all_give(&from_spki, &bad_message, &sig, Err(Error::BadSignature));
    }

    #[test]
    fn backends_agree_on_arbitrary_p384_signatures(
        sig in proptest::collection::vec(any::<u8>(), 96),
        message in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let key = InteropKey::from_spki_der(&unhex(OPENSSL_SPKI)).unwrap();
        let outcomes: Vec<_> = compiled_backends()
            .iter()
            .map(|b| b.verify_es256_interop(&key, &message, &sig))
            .collect();
        prop_assert!(outcomes.windows(2).all(|w| w[0] == w[1]), "{:?}", outcomes);
    }
}

#[test]
fn openssl_p384_sha256_signature_verifies() {
    let key = InteropKey::from_spki_der(&unhex(OPENSSL_SPKI)).unwrap();
    assert!(matches!(key, InteropKey::P384(_)));
    assert_eq!(key.signature_len(), 96);
    let sig = openssl_signature();
    all_give(&key, OPENSSL_MESSAGE, &sig, Ok(()));
    // Another message must fail.
    all_give(&key, b"another message", &sig, Err(Error::BadSignature));
    // The DER encoder, generalised to 48-byte scalars, gives OpenSSL's bytes.
    assert_eq!(
        crate::signature::der_from_scalars(&unhex(OPENSSL_R), &unhex(OPENSSL_S)),
        unhex(OPENSSL_SIG_DER)
    );
}

#[test]
fn every_single_bit_flip_of_the_openssl_signature_fails() {
    let key = InteropKey::from_spki_der(&unhex(OPENSSL_SPKI)).unwrap();
    let sig = openssl_signature();
    for bit in 0..sig.len() * 8 {
        let mut bad = sig.clone();
        flip(&mut bad, bit);
        all_give(&key, OPENSSL_MESSAGE, &bad, Err(Error::BadSignature));
    }
}

#[test]
fn wrong_lengths_are_encoding_errors() {
    let wrong = Err(Error::InvalidSignatureEncoding(
        SignatureEncodingError::WrongLength,
    ));
    let p384 = InteropKey::from_spki_der(&unhex(OPENSSL_SPKI)).unwrap();
    let sig = openssl_signature();
    for len in [0, 1, 47, 48, 64, 95, 97, 104] {
        let bytes: Vec<u8> = sig.iter().copied().cycle().take(len).collect();
        all_give(&p384, OPENSSL_MESSAGE, &bytes, wrong.clone());
    }
    // A P-256 key takes 64 bytes only: a 96-byte signature is refused.
    let p256_key = ::p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let point = p256_key.verifying_key().to_sec1_point(false);
    let p256 = InteropKey::from(PublicKey::from_sec1_bytes(point.as_bytes()).unwrap());
    assert_eq!(p256.signature_len(), 64);
    all_give(&p256, OPENSSL_MESSAGE, &sig, wrong.clone());
    all_give(&p256, OPENSSL_MESSAGE, &sig[..63], wrong);
}

#[test]
fn p256_keys_go_through_verify_es256() {
    use ::p256::ecdsa::signature::Signer as _;
    let signer = ::p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).unwrap();
    let message = b"same rules as verify_es256";
    let sig: ::p256::ecdsa::Signature = signer.sign(message);
    let bytes = sig.to_bytes().to_vec();
    let key =
        PublicKey::from_sec1_bytes(signer.verifying_key().to_sec1_point(true).as_bytes()).unwrap();
    let interop = InteropKey::from_spki_der(&key.to_spki_der()).unwrap();
    assert_eq!(interop, InteropKey::P256(key.clone()));
    all_give(&interop, message, &bytes, Ok(()));
    for bit in [0, 255, 256, 511] {
        let mut bad = bytes.clone();
        flip(&mut bad, bit);
        let parsed = Signature::from_slice(&bad).unwrap();
        for backend in compiled_backends() {
            assert_eq!(
                backend.verify_es256_interop(&interop, message, &bad),
                backend.verify_es256(&key, message, &parsed)
            );
        }
        all_give(&interop, message, &bad, Err(Error::BadSignature));
    }
}

#[test]
fn other_curves_and_algorithms_are_refused() {
    let wrong_curve = Error::InvalidPublicKey(KeyError::WrongCurve);
    assert_eq!(
        InteropKey::from_spki_der(&unhex(P521_SPKI)),
        Err(wrong_curve.clone())
    );
    assert_eq!(
        P384PublicKey::from_spki_der(&unhex(P521_SPKI)),
        Err(wrong_curve.clone())
    );
    // The `open` profile's key type stays P-256 only.
    assert_eq!(
        PublicKey::from_spki_der(&unhex(OPENSSL_SPKI)),
        Err(wrong_curve.clone())
    );
    assert_eq!(
        PublicKey::from_spki_der(&unhex(P521_SPKI)),
        Err(wrong_curve.clone())
    );
    // A P-256 SubjectPublicKeyInfo is not a P384PublicKey.
    let p256 = ::p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let key =
        PublicKey::from_sec1_bytes(p256.verifying_key().to_sec1_point(false).as_bytes()).unwrap();
    assert_eq!(
        P384PublicKey::from_spki_der(&key.to_spki_der()),
        Err(wrong_curve)
    );
    // Not DER; trailing bytes.
    assert_eq!(
        InteropKey::from_spki_der(&[0x30]),
        Err(Error::InvalidPublicKey(KeyError::MalformedSpki))
    );
    let mut trailing = unhex(OPENSSL_SPKI);
    trailing.push(0);
    assert_eq!(
        InteropKey::from_spki_der(&trailing),
        Err(Error::InvalidPublicKey(KeyError::MalformedSpki))
    );
    // A point off the curve.
    let mut off = unhex(OPENSSL_SPKI);
    if let Some(last) = off.last_mut() {
        *last ^= 1;
    }
    assert_eq!(
        InteropKey::from_spki_der(&off),
        Err(Error::InvalidPublicKey(KeyError::NotOnCurve))
    );
}

#[test]
fn p384_sec1_parsing_is_strict() {
    let key = InteropKey::from_spki_der(&unhex(OPENSSL_SPKI)).unwrap();
    let InteropKey::P384(key) = key else {
        panic!("not P-384")
    };
    let full = key.to_uncompressed();
    assert_eq!(P384PublicKey::from_sec1_bytes(&full).unwrap(), key);
    assert_eq!(
        P384PublicKey::from_sec1_bytes(&full[..96]),
        Err(Error::InvalidPublicKey(KeyError::WrongLength))
    );
    assert_eq!(
        P384PublicKey::from_sec1_bytes(&[]),
        Err(Error::InvalidPublicKey(KeyError::WrongLength))
    );
    assert_eq!(
        P384PublicKey::from_sec1_bytes(&[0x00]),
        Err(Error::InvalidPublicKey(KeyError::UnsupportedPointEncoding))
    );
    // A P-256 point is the wrong length for P-384.
    let p256 = ::p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    assert_eq!(
        P384PublicKey::from_sec1_bytes(p256.verifying_key().to_sec1_point(false).as_bytes()),
        Err(Error::InvalidPublicKey(KeyError::WrongLength))
    );
    assert!(format!("{key:?}").starts_with("P384PublicKey(04773e81"));
}

#[test]
fn p384_high_s_is_accepted_and_out_of_range_scalars_refused() {
    let key = InteropKey::from_spki_der(&unhex(OPENSSL_SPKI)).unwrap();
    let r = unhex(OPENSSL_R);
    let s = unhex(OPENSSL_S);
    // (r, n - s) is the other valid signature; one of the two is high-S.
    let other = [r.clone(), negate(&s)].concat();
    all_give(&key, OPENSSL_MESSAGE, &other, Ok(()));

    let n = unhex(P384_N);
    let zero = vec![0u8; 48];
    let ones = vec![0xffu8; 48];
    for (r, s) in [
        (&zero, &s),
        (&r, &zero),
        (&n, &s),
        (&r, &n),
        (&ones, &s),
        (&r, &ones),
    ] {
        all_give(
            &key,
            OPENSSL_MESSAGE,
            &[r.clone(), s.clone()].concat(),
            Err(Error::BadSignature),
        );
    }
}
