//! The pure-Rust backend, on RustCrypto's `p256`.

use p256::ecdsa::signature::Verifier as _;

use super::SignatureBackend;
use crate::error::Error;
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
    ) -> Result<(), Error> {
        // `from_scalars` refuses r or s equal to zero or not below n.
        let signature = p256::ecdsa::Signature::from_scalars(*signature.r(), *signature.s())
            .map_err(|_| Error::BadSignature)?;
        // `Verifier::verify` hashes `message` with SHA-256. High-S is
        // accepted (`NORMALIZE_S` is false for P-256), as in ring.
        key.verifying_key()
            .verify(message, &signature)
            .map_err(|_| Error::BadSignature)
    }
}
