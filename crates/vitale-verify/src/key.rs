//! P-256 public keys, parsed and validated once.

use core::fmt;

use p256::ecdsa::VerifyingKey;
use spki::ObjectIdentifier;
use spki::der::Decode as _;

use crate::error::{Error, KeyError};

/// `id-ecPublicKey` (RFC 5480).
const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `secp256r1` / `prime256v1` (RFC 5480).
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// The DER of a P-256 `SubjectPublicKeyInfo` up to its uncompressed point:
/// `SEQUENCE(89) { SEQUENCE(19) { OID id-ecPublicKey, OID prime256v1 },
/// BIT STRING(66, 0 unused bits) }`.
const SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// Length of an uncompressed SEC1 point: `04 ‖ x ‖ y`.
pub const UNCOMPRESSED_LEN: usize = 65;
/// Length of a compressed SEC1 point: `02|03 ‖ x`.
pub const COMPRESSED_LEN: usize = 33;

/// A P-256 public key for ES256 verification.
///
/// Built only by the parsers below, which reject anything but a point of
/// the P-256 curve (never the point at infinity), so every backend can
/// use it without checking again. It keeps both the arithmetic form (for
/// the `p256` backend) and the uncompressed SEC1 bytes (for `ring`).
///
/// ```
/// use vitale_verify::PublicKey;
/// # fn main() -> Result<(), vitale_verify::Error> {
/// // The P-256 generator point, compressed.
/// let g = [
///     0x03, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63,
///     0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39,
///     0x45, 0xd8, 0x98, 0xc2, 0x96,
/// ];
/// let key = PublicKey::from_sec1_bytes(&g)?;
/// assert_eq!(PublicKey::from_sec1_bytes(&key.to_uncompressed())?, key);
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
    uncompressed: [u8; UNCOMPRESSED_LEN],
}

impl PublicKey {
    /// Parses a SEC1 point: uncompressed (`04 ‖ x ‖ y`, 65 bytes) or
    /// compressed (`02|03 ‖ x`, 33 bytes).
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] with [`KeyError::UnsupportedPointEncoding`]
    /// for any other leading byte (point at infinity, hybrid forms),
    /// [`KeyError::WrongLength`] for a length that does not match the
    /// leading byte, [`KeyError::NotOnCurve`] when the point is not on
    /// P-256 or a coordinate is not a field element.
    pub fn from_sec1_bytes(bytes: &[u8]) -> Result<Self, Error> {
        check_sec1_shape(bytes, COMPRESSED_LEN, UNCOMPRESSED_LEN)?;
        let not_on_curve = || Error::InvalidPublicKey(KeyError::NotOnCurve);
        let uncompressed: [u8; UNCOMPRESSED_LEN] = match <&[u8; COMPRESSED_LEN]>::try_from(bytes) {
            // Compressed: y computed here (`key/decompress.rs`, several
            // times faster than `p256`'s own), then the full point parsed.
            Ok(compressed) => decompress::decompress(compressed).ok_or_else(not_on_curve)?,
            Err(_) => bytes.try_into().map_err(|_| not_on_curve())?,
        };
        let key = VerifyingKey::from_sec1_bytes(&uncompressed).map_err(|_| not_on_curve())?;
        // `p256` accepted the point, so both coordinates are canonical field
        // elements and these bytes are the point's one uncompressed
        // encoding: no need to encode it again (a verification parses the
        // device key every time).
        Ok(Self { key, uncompressed })
    }

    /// Builds a key from its affine coordinates, big-endian, as found in a
    /// COSE_Key (`-2`, `-3`) or a JWK (`x`, `y`).
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] with [`KeyError::NotOnCurve`] when the
    /// point is not on P-256.
    pub fn from_coordinates(x: &[u8; 32], y: &[u8; 32]) -> Result<Self, Error> {
        let mut sec1 = [0u8; UNCOMPRESSED_LEN];
        for (out, byte) in sec1
            .iter_mut()
            .zip(core::iter::once(&0x04).chain(x).chain(y))
        {
            *out = *byte;
        }
        Self::from_sec1_bytes(&sec1)
    }

    /// Parses a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7) holding an
    /// `id-ecPublicKey` on the named curve `prime256v1` (RFC 5480).
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] with [`KeyError::MalformedSpki`] for bad
    /// DER (including trailing bytes or unused bits in the key),
    /// [`KeyError::NotEcKey`] for another key algorithm (RSA…),
    /// [`KeyError::WrongCurve`] for another curve, and the errors of
    /// [`PublicKey::from_sec1_bytes`] for the point itself.
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
        if curve != SECP256R1 {
            return Err(Error::InvalidPublicKey(KeyError::WrongCurve));
        }
        let point = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::InvalidPublicKey(KeyError::MalformedSpki))?;
        Self::from_sec1_bytes(point)
    }

    /// The uncompressed SEC1 encoding, `04 ‖ x ‖ y`.
    pub fn to_uncompressed(&self) -> [u8; UNCOMPRESSED_LEN] {
        self.uncompressed
    }

    /// The compressed SEC1 encoding, `02|03 ‖ x`.
    pub fn to_compressed(&self) -> [u8; COMPRESSED_LEN] {
        let mut out = [0u8; COMPRESSED_LEN];
        // The parity of y is the lowest bit of its last byte.
        let odd = self.uncompressed.last().is_some_and(|b| b & 1 == 1);
        let tag = if odd { 0x03 } else { 0x02 };
        for (o, b) in out
            .iter_mut()
            .zip(core::iter::once(&tag).chain(self.uncompressed.iter().skip(1)))
        {
            *o = *b;
        }
        out
    }

    /// The DER `SubjectPublicKeyInfo` (RFC 5480) of this key:
    /// `id-ecPublicKey` on the named curve `prime256v1`, with the
    /// uncompressed point — the 91-byte form whose SHA-256 gives the key
    /// identifiers of the `open` profile.
    ///
    /// ```
    /// use vitale_verify::PublicKey;
    /// # fn main() -> Result<(), vitale_verify::Error> {
    /// # let g = [
    /// #     0x03, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63,
    /// #     0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39,
    /// #     0x45, 0xd8, 0x98, 0xc2, 0x96,
    /// # ];
    /// let key = PublicKey::from_sec1_bytes(&g)?;
    /// let der = key.to_spki_der();
    /// assert_eq!(der.len(), 91);
    /// assert_eq!(PublicKey::from_spki_der(&der)?, key);
    /// # Ok(()) }
    /// ```
    pub fn to_spki_der(&self) -> Vec<u8> {
        let mut der = Vec::with_capacity(SPKI_PREFIX.len() + UNCOMPRESSED_LEN);
        der.extend_from_slice(&SPKI_PREFIX);
        der.extend_from_slice(&self.uncompressed);
        der
    }

    /// The key in the form the `p256` crate verifies with.
    pub(crate) fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The uncompressed SEC1 bytes, borrowed (for backends that take bytes).
    #[cfg_attr(not(feature = "ring"), allow(dead_code))]
    pub(crate) fn uncompressed_bytes(&self) -> &[u8; UNCOMPRESSED_LEN] {
        &self.uncompressed
    }
}

impl fmt::Debug for PublicKey {
    /// Public keys are not secret: shown as the compressed point in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PublicKey(P-256, ")?;
        for b in self.to_compressed() {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

/// Checks a SEC1 point's leading byte and length before any arithmetic:
/// `04` needs `uncompressed` bytes, `02`/`03` need `compressed`; anything
/// else (the point at infinity, hybrid forms) is refused.
pub(crate) fn check_sec1_shape(
    bytes: &[u8],
    compressed: usize,
    uncompressed: usize,
) -> Result<(), Error> {
    let expected = match bytes.first() {
        Some(0x04) => uncompressed,
        Some(0x02 | 0x03) => compressed,
        Some(_) => return Err(Error::InvalidPublicKey(KeyError::UnsupportedPointEncoding)),
        None => return Err(Error::InvalidPublicKey(KeyError::WrongLength)),
    };
    if bytes.len() == expected {
        Ok(())
    } else {
        Err(Error::InvalidPublicKey(KeyError::WrongLength))
    }
}

mod decompress;

#[cfg(test)]
mod tests;
