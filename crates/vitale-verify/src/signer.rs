//! Making ES256 signatures: the [`Signer`] trait and [`SoftwareSigner`].
//!
//! Whatever signs in the SDK — the tools of an issuer or of a trust-list
//! operator, a phone emulator, the FSE-lite care sheet — signs through
//! [`Signer`], in two phases: the codec prepares the exact bytes to sign
//! ([`vitale_codec::cose::Sign1::prepare`],
//! [`TrustListDraft::prepare_cbor`](crate::trust::TrustListDraft::prepare_cbor)),
//! a signer signs them, and the codec completes the document with the
//! signature. Between the two phases the bytes can be stored, hashed, or
//! sent away.
//!
//! The trait's primitive is [`Signer::sign_digest`]: ECDSA over a SHA-256
//! **digest** the caller computed. That is what an HSM, a smart card or a
//! server-side "sign this hash" service offers (the official FSE path sends
//! the care sheet's hash to a server); [`Signer::sign`] hashes a message
//! and calls it. [`SoftwareSigner`] holds a P-256 key in memory.
//!
//! ```
//! use vitale_codec::cose::Sign1;
//! use vitale_verify::signer::{Signer, SoftwareSigner};
//! use vitale_verify::{PublicKey, Signature, default_backend};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let signer = SoftwareSigner::from_slice(&[0x02; 32])?; // test key only
//! // Phase 1: the bytes to sign (a device-signed envelope here).
//! let tbs = Sign1::prepare(None, b"payload", b"");
//! // Any signer, anywhere: a remote one would get `tbs.bytes()` or its hash.
//! let signature = signer.sign(tbs.bytes())?;
//! // Phase 2: the envelope.
//! let envelope = tbs.complete(signature.to_bytes());
//! # let _ = envelope;
//! # let key = signer.verifying_key();
//! # default_backend().verify_es256(key, Sign1::prepare(None, b"payload", b"").bytes(), &signature)?;
//! # Ok(()) }
//! ```

use core::fmt;

use p256::ecdsa::signature::hazmat::PrehashSigner as _;
use sha2::{Digest as _, Sha256};

use crate::{PublicKey, Signature, SignatureEncodingError, kid_of_spki};

/// Length of the SHA-256 digest that [`Signer::sign_digest`] signs.
pub const DIGEST_LEN: usize = 32;

/// Why a [`Signer`] did not sign (or could not be made).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignerError {
    /// The key material is not a P-256 private key: not 32 bytes, or a
    /// scalar equal to zero or not below the group order.
    #[error("not a P-256 private key")]
    InvalidKey,
    /// The backend answered, but not with an ES256 signature encoding
    /// (for instance a DER signature that does not parse).
    #[error("the signing backend returned an invalid signature encoding: {0}")]
    SignatureEncoding(SignatureEncodingError),
    /// The signing backend (HSM, card, remote service) failed or refused;
    /// its own error is the source.
    #[error("the signing backend failed")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Makes ES256 signatures (ECDSA on P-256 with SHA-256, RFC 9053 §2.1).
///
/// Implement [`Signer::sign_digest`] and [`Signer::public_key`]; the other
/// methods are provided. Signatures may be low-S or not: verifiers of the
/// `open` profile accept both (`docs/format.md` §3).
pub trait Signer {
    /// Signs a SHA-256 digest: returns the ECDSA P-256 signature `r ‖ s`
    /// of the message whose digest this is.
    ///
    /// # Errors
    /// [`SignerError::Backend`] when the backend fails;
    /// [`SignerError::SignatureEncoding`] when it answers something that
    /// is not a signature.
    fn sign_digest(&self, digest: &[u8; DIGEST_LEN]) -> Result<Signature, SignerError>;

    /// The signer's public key, when it knows it (a remote service may
    /// not say).
    fn public_key(&self) -> Option<PublicKey>;

    /// The key identifier of the signer's public key, when known: the
    /// first 8 bytes of SHA-256 of its **uncompressed**
    /// `SubjectPublicKeyInfo` DER ([`PublicKey::to_spki_der`]). It matches
    /// a trust list entry that carries that form (`docs/format.md` §3).
    fn kid(&self) -> Option<[u8; 8]> {
        self.public_key().map(|key| kid_of_spki(&key.to_spki_der()))
    }

    /// Signs `message`: SHA-256, then [`Signer::sign_digest`].
    ///
    /// # Errors
    /// As [`Signer::sign_digest`].
    fn sign(&self, message: &[u8]) -> Result<Signature, SignerError> {
        self.sign_digest(&Sha256::digest(message).into())
    }
}

impl<S: Signer + ?Sized> Signer for &S {
    fn sign_digest(&self, digest: &[u8; DIGEST_LEN]) -> Result<Signature, SignerError> {
        (**self).sign_digest(digest)
    }

    fn public_key(&self) -> Option<PublicKey> {
        (**self).public_key()
    }

    fn kid(&self) -> Option<[u8; 8]> {
        (**self).kid()
    }
}

/// A P-256 private key in memory that signs with ES256.
///
/// Signatures are deterministic (RFC 6979) and **not** low-S normalised:
/// they are exactly those of any RFC 6979 implementation, so test vectors
/// can be reproduced with other libraries.
///
/// The scalar is zeroized when the signer is dropped (RustCrypto's
/// `SigningKey` is `ZeroizeOnDrop`). The type is neither `Clone` nor
/// serializable, and `Debug` shows the kid only. Load the 32 bytes from
/// the key store and drop your copy: this type keeps its own.
pub struct SoftwareSigner {
    key: p256::ecdsa::SigningKey,
    public: PublicKey,
    /// Computed once: signers that attach their kid (care sheets) ask for
    /// it at every signature.
    kid: [u8; 8],
}

impl SoftwareSigner {
    /// A signer from a 32-byte big-endian scalar in `1..n`.
    ///
    /// # Errors
    /// [`SignerError::InvalidKey`] for another length, zero, or a scalar
    /// not below the group order.
    pub fn from_slice(scalar: &[u8]) -> Result<Self, SignerError> {
        // `SigningKey::from_slice` would left-pad a shorter slice.
        if scalar.len() != 32 {
            return Err(SignerError::InvalidKey);
        }
        let key =
            p256::ecdsa::SigningKey::from_slice(scalar).map_err(|_| SignerError::InvalidKey)?;
        let point = key.verifying_key().to_sec1_point(false);
        // The public point of a valid scalar is always a valid point.
        let public =
            PublicKey::from_sec1_bytes(point.as_bytes()).map_err(|_| SignerError::InvalidKey)?;
        let kid = kid_of_spki(&public.to_spki_der());
        Ok(SoftwareSigner { key, public, kid })
    }

    /// The public key.
    pub fn verifying_key(&self) -> &PublicKey {
        &self.public
    }
}

impl Signer for SoftwareSigner {
    fn sign_digest(&self, digest: &[u8; DIGEST_LEN]) -> Result<Signature, SignerError> {
        let signature: p256::ecdsa::Signature = self
            .key
            .sign_prehash(digest)
            .map_err(|e| SignerError::Backend(Box::new(e)))?;
        let (r, s) = signature.split_bytes();
        let mut bytes = [0u8; 64];
        for (out, byte) in bytes.iter_mut().zip(r.iter().chain(s.iter())) {
            *out = *byte;
        }
        Ok(Signature::from_bytes(&bytes))
    }

    fn public_key(&self) -> Option<PublicKey> {
        Some(self.public.clone())
    }

    fn kid(&self) -> Option<[u8; 8]> {
        Some(self.kid)
    }
}

/// The only secret field, `SigningKey`, zeroizes itself on drop.
impl p256::elliptic_curve::zeroize::ZeroizeOnDrop for SoftwareSigner {}

impl fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kid: String = kid_of_spki(&self.public.to_spki_der())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        f.debug_struct("SoftwareSigner")
            .field("kid", &kid)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
