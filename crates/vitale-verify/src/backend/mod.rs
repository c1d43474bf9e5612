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

/// Verifies ES256 signatures (ECDSA on P-256 with SHA-256, RFC 9053 §2.1).
pub trait SignatureBackend: Send + Sync {
    /// A short stable name for logs and benchmarks (`"p256"`, `"ring"`).
    fn name(&self) -> &'static str;

    /// Verifies `signature` over SHA-256(`message`) with `key`.
    ///
    /// # Errors
    /// [`Error::BadSignature`] when the signature does not verify, which
    /// includes `r` or `s` outside `1..n`. No other error is returned: the
    /// key and the signature encoding were checked when they were parsed.
    fn verify_es256(
        &self,
        key: &PublicKey,
        message: &[u8],
        signature: &Signature,
    ) -> Result<(), Error>;

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
    /// [`Error::InvalidSignatureEncoding`] with
    /// [`SignatureEncodingError::WrongLength`](crate::SignatureEncodingError::WrongLength)
    /// when the length does not match the key's curve;
    /// [`Error::BadSignature`] when the signature does not verify.
    fn verify_es256_interop(
        &self,
        key: &InteropKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        match key {
            InteropKey::P256(key) => {
                self.verify_es256(key, message, &Signature::from_slice(signature)?)
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
