//! Interop only: ECDSA with SHA-256 over a P-256 **or a P-384** key.
//!
//! RFC 9053 §2.1 defines COSE ES256 (`-7`) as "ECDSA w/ SHA-256" and only
//! *suggests* pairing SHA-256 with P-256, so a COSE_Sign1 labelled ES256
//! and signed with a P-384 key (a 96-byte `r‖s`) is legal COSE. Some
//! third-party data does this (the EU DCC test set, `ES/401`–`403`).
//!
//! **The `open` profile does not use this path.** The [`Verifier`], the
//! [`TrustList`] and [`PublicKey`] stay P-256 only: an issuer or device key
//! on another curve is refused there with
//! [`crate::KeyError::WrongCurve`]. This module is for
//! tools and tests that must check foreign ES256 signatures:
//!
//! * [`InteropKey`] — a P-256 [`PublicKey`] or a [`P384PublicKey`], parsed
//!   from a DER `SubjectPublicKeyInfo` ([`InteropKey::from_spki_der`]);
//! * [`SignatureBackend::verify_es256_interop`] — verifies an `r‖s`
//!   signature (64 bytes for P-256, 96 for P-384) over SHA-256 of the
//!   message, in every backend, with the same rules as
//!   [`SignatureBackend::verify_es256`] (high-S accepted, `r` or `s`
//!   outside `1..n` is [`Error::BadSignature`]).
//!
//! [`Verifier`]: crate::Verifier
//! [`TrustList`]: crate::TrustList
//! [`SignatureBackend::verify_es256_interop`]: crate::SignatureBackend::verify_es256_interop
//! [`SignatureBackend::verify_es256`]: crate::SignatureBackend::verify_es256

use core::fmt;

use p384::ecdsa::VerifyingKey;
use spki::ObjectIdentifier;
use spki::der::Decode as _;

use crate::error::{Error, KeyError, SignatureEncodingError};
use crate::key::PublicKey;
use crate::signature::SIGNATURE_LEN;

/// `id-ecPublicKey` (RFC 5480).
const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `secp256r1` / `prime256v1` (RFC 5480).
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// `secp384r1` (RFC 5480).
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// Length of an uncompressed P-384 SEC1 point: `04 ‖ x ‖ y`.
pub const P384_UNCOMPRESSED_LEN: usize = 97;
/// Length of a compressed P-384 SEC1 point: `02|03 ‖ x`.
pub const P384_COMPRESSED_LEN: usize = 49;
/// Length of a P-384 ECDSA signature in the COSE (`r‖s`) form.
pub const P384_SIGNATURE_LEN: usize = 96;
/// Length of one P-384 scalar (`r` or `s`).
pub(crate) const P384_SCALAR_LEN: usize = 48;

/// A P-384 public key, for [interop](self) verification only (never used
/// by the `open` profile).
///
/// Built only by its parsers, which reject anything but a point of the
/// P-384 curve (never the point at infinity). Keeps both the arithmetic
/// form (for the `p256`/`p384` backend) and the uncompressed SEC1 bytes
/// (for `ring`).
#[derive(Clone, PartialEq, Eq)]
pub struct P384PublicKey {
    key: VerifyingKey,
    uncompressed: [u8; P384_UNCOMPRESSED_LEN],
}

impl P384PublicKey {
    /// Parses a SEC1 point: uncompressed (`04 ‖ x ‖ y`, 97 bytes) or
    /// compressed (`02|03 ‖ x`, 49 bytes).
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] with [`KeyError::UnsupportedPointEncoding`]
    /// for any other leading byte, [`KeyError::WrongLength`] for a length
    /// that does not match the leading byte, [`KeyError::NotOnCurve`] when
    /// the point is not on P-384 (the variant's name says P-256; here it
    /// means the curve of this type).
    pub fn from_sec1_bytes(bytes: &[u8]) -> Result<Self, Error> {
        crate::key::check_sec1_shape(bytes, P384_COMPRESSED_LEN, P384_UNCOMPRESSED_LEN)?;
        let key = VerifyingKey::from_sec1_bytes(bytes)
            .map_err(|_| Error::InvalidPublicKey(KeyError::NotOnCurve))?;
        let encoded = key.to_sec1_point(false);
        let uncompressed = <[u8; P384_UNCOMPRESSED_LEN]>::try_from(encoded.as_bytes())
            .map_err(|_| Error::InvalidPublicKey(KeyError::NotOnCurve))?;
        Ok(Self { key, uncompressed })
    }

    /// Parses a DER `SubjectPublicKeyInfo` holding an `id-ecPublicKey` on
    /// the named curve `secp384r1` (RFC 5480).
    ///
    /// # Errors
    /// As [`InteropKey::from_spki_der`], and [`KeyError::WrongCurve`] for a
    /// P-256 key too.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        match InteropKey::from_spki_der(der)? {
            InteropKey::P384(key) => Ok(key),
            InteropKey::P256(_) => Err(Error::InvalidPublicKey(KeyError::WrongCurve)),
        }
    }

    /// The uncompressed SEC1 encoding, `04 ‖ x ‖ y` (97 bytes).
    pub fn to_uncompressed(&self) -> [u8; P384_UNCOMPRESSED_LEN] {
        self.uncompressed
    }

    /// The key in the form the RustCrypto backend verifies with.
    pub(crate) fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The uncompressed SEC1 bytes, borrowed (for backends that take bytes).
    #[cfg_attr(not(feature = "ring"), allow(dead_code))]
    pub(crate) fn uncompressed_bytes(&self) -> &[u8; P384_UNCOMPRESSED_LEN] {
        &self.uncompressed
    }
}

impl fmt::Debug for P384PublicKey {
    /// Public keys are not secret: shown as the uncompressed point in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P384PublicKey(")?;
        for b in self.uncompressed {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

/// A public key for [interop](self) ES256 verification: ECDSA with SHA-256
/// over P-256 or P-384. Not used by the `open` profile, whose keys are
/// always a P-256 [`PublicKey`].
///
/// ```
/// use vitale_verify::{InteropKey, KeyError, Error};
/// # fn main() -> Result<(), Error> {
/// # let g = vitale_verify::PublicKey::from_sec1_bytes(&[
/// #     0x03, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63,
/// #     0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39,
/// #     0x45, 0xd8, 0x98, 0xc2, 0x96,
/// # ])?;
/// // A P-256 SubjectPublicKeyInfo gives the P-256 variant...
/// let key = InteropKey::from_spki_der(&g.to_spki_der())?;
/// assert_eq!(key, InteropKey::P256(g));
/// assert_eq!(key.signature_len(), 64);
/// // ...and anything that is not an EC key is refused.
/// assert_eq!(
///     InteropKey::from_spki_der(&[0x30, 0x00]),
///     Err(Error::InvalidPublicKey(KeyError::MalformedSpki))
/// );
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum InteropKey {
    /// A P-256 key: the same key type as the `open` profile.
    P256(PublicKey),
    /// A P-384 key (signatures of 96 bytes).
    P384(P384PublicKey),
}

impl InteropKey {
    /// Parses a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7) holding an
    /// `id-ecPublicKey` on the named curve `prime256v1` or `secp384r1`
    /// (RFC 5480).
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] with [`KeyError::MalformedSpki`] for bad
    /// DER, [`KeyError::NotEcKey`] for another key algorithm (RSA…),
    /// [`KeyError::WrongCurve`] for any other curve (P-521, brainpool…) or
    /// no named curve, and the point errors of
    /// [`PublicKey::from_sec1_bytes`] / [`P384PublicKey::from_sec1_bytes`].
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let spki = spki::SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|_| Error::InvalidPublicKey(KeyError::MalformedSpki))?;
        if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
            return Err(Error::InvalidPublicKey(KeyError::NotEcKey));
        }
        let curve = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| Error::InvalidPublicKey(KeyError::WrongCurve))?;
        if curve == SECP256R1 {
            PublicKey::from_spki_der(der).map(Self::P256)
        } else if curve == SECP384R1 {
            let point = spki
                .subject_public_key
                .as_bytes()
                .ok_or(Error::InvalidPublicKey(KeyError::MalformedSpki))?;
            P384PublicKey::from_sec1_bytes(point).map(Self::P384)
        } else {
            Err(Error::InvalidPublicKey(KeyError::WrongCurve))
        }
    }

    /// The length of an `r‖s` signature for this key's curve: 64 (P-256)
    /// or 96 (P-384).
    pub fn signature_len(&self) -> usize {
        match self {
            Self::P256(_) => SIGNATURE_LEN,
            Self::P384(_) => P384_SIGNATURE_LEN,
        }
    }
}

impl From<PublicKey> for InteropKey {
    fn from(key: PublicKey) -> Self {
        Self::P256(key)
    }
}

impl From<P384PublicKey> for InteropKey {
    fn from(key: P384PublicKey) -> Self {
        Self::P384(key)
    }
}

/// Splits a 96-byte P-384 `r‖s` signature.
///
/// # Errors
/// [`Error::InvalidSignatureEncoding`] with
/// [`SignatureEncodingError::WrongLength`] unless exactly 96 bytes.
pub(crate) fn split_p384(
    signature: &[u8],
) -> Result<([u8; P384_SCALAR_LEN], [u8; P384_SCALAR_LEN]), Error> {
    let wrong = || Error::InvalidSignatureEncoding(SignatureEncodingError::WrongLength);
    let (r, s) = signature
        .split_at_checked(P384_SCALAR_LEN)
        .ok_or_else(wrong)?;
    let r = <[u8; P384_SCALAR_LEN]>::try_from(r).map_err(|_| wrong())?;
    let s = <[u8; P384_SCALAR_LEN]>::try_from(s).map_err(|_| wrong())?;
    Ok((r, s))
}
