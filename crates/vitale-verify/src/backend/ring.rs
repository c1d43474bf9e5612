//! The fast backend, on `ring` (feature `ring`).

use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};

use super::SignatureBackend;
use crate::error::Error;
use crate::key::PublicKey;
use crate::signature::Signature;

/// ES256 with `ring` (assembly and C): several times faster than
/// [`P256Backend`](super::P256Backend). Needs the `ring` feature.
#[derive(Debug, Clone, Copy, Default)]
pub struct RingBackend;

impl SignatureBackend for RingBackend {
    fn name(&self) -> &'static str {
        "ring"
    }

    fn verify_es256(
        &self,
        key: &PublicKey,
        message: &[u8],
        signature: &Signature,
    ) -> Result<(), Error> {
        // `_FIXED` is the r‖s form; ring hashes `message` with SHA-256,
        // rejects r or s outside 1..n and accepts high-S.
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, key.uncompressed_bytes())
            .verify(message, &signature.to_bytes())
            .map_err(|_| Error::BadSignature)
    }
}
