//! ES256 verification backends behind one small trait.
//!
//! * [`P256Backend`] — the RustCrypto `p256` crate: pure Rust, no C, no
//!   system library. Always compiled; the default.
//! * `RingBackend` — `ring` (assembly and C), several times faster.
//!   Compiled with the `ring` feature (the facade's `fast-crypto`).
//!
//! Both hash the message with SHA-256 themselves (the message is the COSE
//! `Sig_structure` bytes) and give identical results on every input: the
//! Wycheproof and cose-wg suites in `tests/` run through each of them. In
//! particular both accept high-S signatures (ECDSA as standardised has no
//! low-S rule, and Wycheproof lists them as valid) and both reject `r` or
//! `s` equal to zero or not below the group order with
//! [`Error::BadSignature`].
//!
//! For interop only, [`SignatureBackend::verify_es256_interop`] also
//! verifies ECDSA with SHA-256 over P-384 keys (see [`crate::interop`]);
//! the `open` profile never calls it.

use crate::error::{AlgorithmLabel, Error};
use crate::interop::InteropKey;
use crate::key::PublicKey;
use crate::signature::Signature;

mod p256;
#[cfg(feature = "ring")]
mod ring;

pub use self::p256::P256Backend;
#[cfg(feature = "ring")]
pub use self::ring::RingBackend;

/// Why a [`SignatureBackend`] did not accept a signature: the trait's own
/// error, so that a backend (pure Rust, `ring`, a vendor's HSM or
/// accelerator) need not know the verifier's. The verifier maps it to
/// [`Error::BadSignature`] (then to the issuer or device variant),
/// [`Error::InvalidSignatureEncoding`] and
/// [`Error::SignatureBackendFailed`]. Two errors are equal when they are the
/// same variant with the same encoding error (sources are not compared).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum BackendError {
    /// The signature does not verify with this key and message (including
    /// `r` or `s` outside `1..n`).
    #[error("signature does not verify")]
    BadSignature,
    /// The signature bytes do not fit the key's curve (interop path).
    #[error("invalid signature encoding: {0}")]
    InvalidSignatureEncoding(crate::SignatureEncodingError),
    /// The backend itself failed (a device or service behind it); the
    /// source is its own error. Software backends never return it.
    #[error("signature backend failed")]
    Failed(#[source] std::sync::Arc<dyn std::error::Error + Send + Sync>),
}

impl BackendError {
    /// [`BackendError::Failed`] with the backend's error as its source.
    pub fn failed(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        BackendError::Failed(std::sync::Arc::new(source))
    }

    /// From a parsing error of this crate: its encoding error, or a bad
    /// signature.
    pub(crate) fn from_parse(e: Error) -> Self {
        match e {
            Error::InvalidSignatureEncoding(x) => BackendError::InvalidSignatureEncoding(x),
            _ => BackendError::BadSignature,
        }
    }
}

impl PartialEq for BackendError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::InvalidSignatureEncoding(a), Self::InvalidSignatureEncoding(b)) => a == b,
            _ => core::mem::discriminant(self) == core::mem::discriminant(other),
        }
    }
}

impl Eq for BackendError {}

impl From<BackendError> for Error {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::BadSignature => Error::BadSignature,
            BackendError::InvalidSignatureEncoding(x) => Error::InvalidSignatureEncoding(x),
            BackendError::Failed(_) => Error::SignatureBackendFailed,
        }
    }
}

/// Verifies ES256 signatures (ECDSA on P-256 with SHA-256, RFC 9053 §2.1).
pub trait SignatureBackend: Send + Sync {
    /// A short stable name for logs and benchmarks (`"p256"`, `"ring"`).
    fn name(&self) -> &'static str;

    /// Verifies `signature` over SHA-256(`message`) with `key`.
    ///
    /// # Errors
    /// [`BackendError::BadSignature`] when the signature does not verify,
    /// which includes `r` or `s` outside `1..n`; [`BackendError::Failed`]
    /// when the backend itself failed. The key and the signature encoding
    /// were checked when they were parsed.
    fn verify_es256(
        &self,
        key: &PublicKey,
        message: &[u8],
        signature: &Signature,
    ) -> Result<(), BackendError>;

    /// Interop only, **not used by the `open` profile** (see
    /// [`crate::interop`]): verifies an ECDSA signature over
    /// SHA-256(`message`) with a P-256 or a P-384 key, as COSE ES256
    /// allows (RFC 9053 §2.1).
    ///
    /// `signature` is the COSE (IEEE P1363) form `r‖s`: 64 bytes for a
    /// P-256 key, 96 for a P-384 key. A P-256 key goes through
    /// [`SignatureBackend::verify_es256`] unchanged; a P-384 key follows
    /// the same rules (high-S accepted, `r` or `s` outside `1..n` refused).
    ///
    /// The provided implementation uses the pure-Rust RustCrypto code for
    /// P-384; `RingBackend` overrides it with `ring`.
    ///
    /// # Errors
    /// [`BackendError::InvalidSignatureEncoding`] with
    /// [`SignatureEncodingError::WrongLength`](crate::SignatureEncodingError::WrongLength)
    /// when the length does not match the key's curve;
    /// [`BackendError::BadSignature`] when the signature does not verify.
    fn verify_es256_interop(
        &self,
        key: &InteropKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), BackendError> {
        match key {
            InteropKey::P256(key) => {
                let signature =
                    Signature::from_slice(signature).map_err(BackendError::from_parse)?;
                self.verify_es256(key, message, &signature)
            }
            InteropKey::P384(key) => self::p256::verify_p384_sha256(key, message, signature),
        }
    }
}

/// The fastest backend compiled in: `ring` with the `ring` feature,
/// `p256` otherwise.
pub fn default_backend() -> &'static dyn SignatureBackend {
    #[cfg(feature = "ring")]
    {
        &RingBackend
    }
    #[cfg(not(feature = "ring"))]
    {
        &P256Backend
    }
}

/// Every backend compiled in, the default one last. For tests and
/// benchmarks that must run each of them.
pub fn compiled_backends() -> &'static [&'static dyn SignatureBackend] {
    #[cfg(feature = "ring")]
    {
        &[&P256Backend, &RingBackend]
    }
    #[cfg(not(feature = "ring"))]
    {
        &[&P256Backend]
    }
}

/// A signature algorithm this crate verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// ECDSA on P-256 with SHA-256; COSE algorithm `-7`.
    Es256,
}

impl Algorithm {
    /// The COSE algorithm identifier (RFC 9053).
    pub const fn cose_id(self) -> i64 {
        match self {
            Self::Es256 => -7,
        }
    }

    /// The algorithm for a COSE algorithm identifier.
    ///
    /// # Errors
    /// [`Error::UnsupportedAlgorithm`] for anything but ES256 (`-7`); PS256
    /// (`-37`) included.
    pub fn from_cose_id(id: i64) -> Result<Self, Error> {
        match id {
            -7 => Ok(Self::Es256),
            other => Err(Error::UnsupportedAlgorithm(AlgorithmLabel::Cose(other))),
        }
    }
}

#[cfg(test)]
mod interop_tests;
#[cfg(test)]
mod tests;
