//! The fast backend, on `ring` (feature `ring`).

use ring::signature::{ECDSA_P256_SHA256_FIXED, ECDSA_P384_SHA256_ASN1, UnparsedPublicKey};

use super::SignatureBackend;
use crate::backend::BackendError;
use crate::interop::{InteropKey, split_p384};
use crate::key::PublicKey;
use crate::signature::{Signature, der_from_scalars};

/// ES256 with `ring` (assembly and C): several times faster than
/// [`P256Backend`](super::P256Backend). Needs the `ring` feature (the
/// facade's `fast-crypto`).
//
// The module is already behind the feature; the `cfg` repeated on the item
// is what marks it with its feature where another crate's documentation
// inlines it (the facade's `vitale::verify`).
#[cfg(feature = "ring")]
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
    ) -> Result<(), BackendError> {
        // `_FIXED` is the r‖s form; ring hashes `message` with SHA-256,
        // rejects r or s outside 1..n and accepts high-S.
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, key.uncompressed_bytes())
            .verify(message, &signature.to_bytes())
            .map_err(|_| BackendError::BadSignature)
    }

    fn verify_es256_interop(
        &self,
        key: &InteropKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), BackendError> {
        match key {
            InteropKey::P256(key) => self.verify_es256(
                key,
                message,
                &Signature::from_slice(signature).map_err(BackendError::from_parse)?,
            ),
            InteropKey::P384(key) => {
                let (r, s) = split_p384(signature).map_err(BackendError::from_parse)?;
                // ring has no `_FIXED` form for P-384 with SHA-256, only
                // ASN.1: r‖s becomes DER. ring rejects r or s outside 1..n
                // (zero included) and accepts high-S, like the p384 path.
                UnparsedPublicKey::new(&ECDSA_P384_SHA256_ASN1, key.uncompressed_bytes())
                    .verify(message, &der_from_scalars(&r, &s))
                    .map_err(|_| BackendError::BadSignature)
            }
        }
    }
}
