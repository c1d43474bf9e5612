use proptest::prelude::*;

use super::*;
use crate::compiled_backends;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// RFC 6979 Appendix A.2.5: the P-256 key.
const RFC6979_KEY: &str = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";

/// RFC 6979 Appendix A.2.5, SHA-256: message, then `r ‖ s`.
const RFC6979_SHA256: [(&str, &str); 2] = [
    (
        "sample",
        concat!(
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
            "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
        ),
    ),
    (
        "test",
        concat!(
            "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367",
            "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083",
        ),
    ),
];

/// Half the P-256 group order, rounded down (big-endian).
const HALF_N: &str = "7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8";

#[test]
fn software_signer_matches_rfc6979_appendix_a25() {
    let signer = SoftwareSigner::from_slice(&unhex(RFC6979_KEY)).unwrap();
    // The public key of A.2.5 (Ux, Uy).
    assert_eq!(
        signer.verifying_key().to_uncompressed()[1..33],
        unhex("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6")[..]
    );
    for (message, want) in RFC6979_SHA256 {
        let signature = signer.sign(message.as_bytes()).unwrap();
        assert_eq!(signature.to_bytes().to_vec(), unhex(want), "{message}");
        // The digest primitive gives the same signature.
        let digest: [u8; 32] = Sha256::digest(message.as_bytes()).into();
        assert_eq!(signer.sign_digest(&digest).unwrap(), signature);
    }
}

#[test]
fn signatures_are_not_low_s_normalised() {
    // RFC 6979's "sample" signature has s > n/2; the signer returns it as
    // is (docs/format.md: low-S is neither required nor produced).
    let signer = SoftwareSigner::from_slice(&unhex(RFC6979_KEY)).unwrap();
    let signature = signer.sign(b"sample").unwrap();
    assert!(signature.s().as_slice() > unhex(HALF_N).as_slice());
    for backend in compiled_backends() {
        assert_eq!(
            backend.verify_es256(signer.verifying_key(), b"sample", &signature),
            Ok(()),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn signatures_verify_with_every_backend() {
    let signer = SoftwareSigner::from_slice(&[0x02; 32]).unwrap();
    let signature = signer.sign(b"Sig_structure").unwrap();
    assert_eq!(
        compiled_backends().len(),
        if cfg!(feature = "ring") { 2 } else { 1 }
    );
    for backend in compiled_backends() {
        let key = signer.verifying_key();
        assert_eq!(
            backend.verify_es256(key, b"Sig_structure", &signature),
            Ok(())
        );
        assert_eq!(
            backend.verify_es256(key, b"Sig_structurE", &signature),
            Err(crate::BackendError::BadSignature),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn invalid_scalars_are_refused() {
    let n = unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    for bad in [
        vec![0; 32],
        n,
        vec![0xff; 32],
        vec![1; 31],
        vec![1; 33],
        vec![],
    ] {
        assert!(
            matches!(
                SoftwareSigner::from_slice(&bad),
                Err(SignerError::InvalidKey)
            ),
            "{bad:02x?}"
        );
    }
}

#[test]
fn kid_is_that_of_the_uncompressed_spki() {
    // The issuer of docs/format.md §10: scalar 01 x 32, kid f857ae4ed6e34e33.
    let signer = SoftwareSigner::from_slice(&[0x01; 32]).unwrap();
    assert_eq!(
        signer.kid(),
        Some([0xf8, 0x57, 0xae, 0x4e, 0xd6, 0xe3, 0x4e, 0x33])
    );
    assert_eq!(signer.public_key().as_ref(), Some(signer.verifying_key()));
}

#[test]
fn debug_shows_the_kid_never_the_scalar() {
    let signer = SoftwareSigner::from_slice(&[0x01; 32]).unwrap();
    let shown = format!("{signer:?}");
    assert!(shown.contains("f857ae4ed6e34e33"), "{shown}");
    assert!(!shown.contains("0101"), "{shown}");
    assert!(!shown.contains("[1, 1"), "{shown}");
}

#[test]
fn the_key_is_zeroized_on_drop() {
    fn zeroized_on_drop<T: p256::elliptic_curve::zeroize::ZeroizeOnDrop>() {}
    zeroized_on_drop::<p256::ecdsa::SigningKey>();
    zeroized_on_drop::<SoftwareSigner>();
}

/// A signer whose backend is down: how a remote service reports failure.
struct Unreachable;

#[derive(Debug)]
struct Down;

impl fmt::Display for Down {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("signing service unreachable")
    }
}

impl std::error::Error for Down {}

impl Signer for Unreachable {
    fn sign_digest(&self, _digest: &[u8; DIGEST_LEN]) -> Result<Signature, SignerError> {
        Err(SignerError::Backend(Box::new(Down)))
    }

    fn public_key(&self) -> Option<PublicKey> {
        None
    }
}

#[test]
fn a_backend_failure_keeps_its_source() {
    let signer: &dyn Signer = &Unreachable;
    let err = signer.sign(b"message").unwrap_err();
    assert!(matches!(err, SignerError::Backend(_)));
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), "signing service unreachable");
    assert_eq!(signer.kid(), None);
    // Through a reference too.
    assert!((&signer).sign(b"m").is_err());
}

proptest! {
    #[test]
    fn any_key_signs_what_every_backend_verifies(
        scalar in any::<[u8; 32]>(),
        message in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let Ok(signer) = SoftwareSigner::from_slice(&scalar) else {
            return Ok(()); // zero or not below n: refused, checked above
        };
        let signature = signer.sign(&message).unwrap();
        // Deterministic.
        prop_assert_eq!(signer.sign(&message).unwrap(), signature);
        for backend in compiled_backends() {
            prop_assert_eq!(
                backend.verify_es256(signer.verifying_key(), &message, &signature),
                Ok(())
            );
        }
    }
}
