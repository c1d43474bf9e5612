//! The pure-Rust backend, on RustCrypto's `p256` (and `p384` for the
//! interop path).

use p256::ecdsa::signature::Verifier as _;
use p384::ecdsa::signature::hazmat::PrehashVerifier as _;
use sha2::{Digest as _, Sha256};

use super::SignatureBackend;
use crate::backend::BackendError;
use crate::interop::{P384PublicKey, split_p384};
use crate::key::PublicKey;
use crate::signature::Signature;

/// ES256 with the RustCrypto `p256` crate: pure Rust, portable, the
/// default.
#[derive(Debug, Clone, Copy, Default)]
pub struct P256Backend;

impl SignatureBackend for P256Backend {
    fn name(&self) -> &'static str {
        "p256"
    }

    fn verify_es256(
        &self,
        key: &PublicKey,
        message: &[u8],
        signature: &Signature,
    ) -> Result<(), BackendError> {
        // `from_scalars` refuses r or s equal to zero or not below n.
        let signature = p256::ecdsa::Signature::from_scalars(*signature.r(), *signature.s())
            .map_err(|_| BackendError::BadSignature)?;
        // `Verifier::verify` hashes `message` with SHA-256. High-S is
        // accepted (`NORMALIZE_S` is false for P-256), as in ring.
        key.verifying_key()
            .verify(message, &signature)
            .map_err(|_| BackendError::BadSignature)
    }
}

/// ECDSA on P-384 with SHA-256 (interop only), pure Rust: the provided
/// [`SignatureBackend::verify_es256_interop`] for P-384 keys.
///
/// `signature` is `r‖s`, 96 bytes.
pub(super) fn verify_p384_sha256(
    key: &P384PublicKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), BackendError> {
    let (r, s) = split_p384(signature).map_err(BackendError::from_parse)?;
    // `from_scalars` refuses r or s equal to zero or not below n.
    let signature =
        p384::ecdsa::Signature::from_scalars(r, s).map_err(|_| BackendError::BadSignature)?;
    // The 32-byte SHA-256 digest is shorter than the 48-byte order: it is
    // taken as an integer as is (FIPS 186-5 §6.4.2, leftmost min(N, 256)
    // bits). High-S is accepted (`NORMALIZE_S` is false for P-384), as in
    // ring.
    let digest = Sha256::digest(message);
    key.verifying_key()
        .verify_prehash(digest.as_slice(), &signature)
        .map_err(|_| BackendError::BadSignature)
}
