//! Sub-kinds of refused bytes: a public key, a signature's encoding, an
//! algorithm this crate does not verify.

use core::fmt;

/// Why a public key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// A SEC1 point of the wrong length for its leading tag byte.
    WrongLength,
    /// The SEC1 leading byte is none of `02`, `03`, `04` (this includes the
    /// point at infinity `00` and the hybrid forms `06`, `07`).
    UnsupportedPointEncoding,
    /// The coordinates are not a point of the P-256 curve (or a coordinate
    /// is not below the field prime).
    NotOnCurve,
    /// The SubjectPublicKeyInfo is not valid DER.
    MalformedSpki,
    /// The SubjectPublicKeyInfo is not an elliptic-curve key
    /// (algorithm is not `id-ecPublicKey`).
    NotEcKey,
    /// The SubjectPublicKeyInfo names a curve other than P-256
    /// (`prime256v1`), or no named curve.
    WrongCurve,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::WrongLength => "wrong SEC1 point length",
            Self::UnsupportedPointEncoding => "unsupported SEC1 point encoding",
            Self::NotOnCurve => "point is not on the P-256 curve",
            Self::MalformedSpki => "malformed SubjectPublicKeyInfo",
            Self::NotEcKey => "not an elliptic-curve public key",
            Self::WrongCurve => "curve is not P-256",
        })
    }
}

/// Why signature bytes were refused before any arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureEncodingError {
    /// A COSE (IEEE P1363, `r‖s`) signature is not exactly 64 bytes.
    WrongLength,
    /// DER: an unexpected tag (not SEQUENCE, not INTEGER).
    UnexpectedTag,
    /// DER: the input ends before the announced length.
    Truncated,
    /// DER: bytes after the SEQUENCE, or inside it after `s`.
    TrailingData,
    /// DER: indefinite length (BER only).
    IndefiniteLength,
    /// DER: a length in long form that fits the short form, or with leading
    /// zero bytes (BER only).
    NonMinimalLength,
    /// DER: a length or an integer too large for a P-256 signature.
    Oversized,
    /// DER: an INTEGER with no content bytes.
    EmptyInteger,
    /// DER: a negative INTEGER.
    NegativeInteger,
    /// DER: an INTEGER with a redundant leading `00` byte.
    NonMinimalInteger,
}

impl fmt::Display for SignatureEncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::WrongLength => "COSE signature is not 64 bytes",
            Self::UnexpectedTag => "unexpected DER tag",
            Self::Truncated => "truncated DER",
            Self::TrailingData => "trailing data after DER value",
            Self::IndefiniteLength => "indefinite length (BER)",
            Self::NonMinimalLength => "non-minimal DER length",
            Self::Oversized => "DER value too large for P-256",
            Self::EmptyInteger => "empty DER integer",
            Self::NegativeInteger => "negative DER integer",
            Self::NonMinimalInteger => "non-minimal DER integer",
        })
    }
}

/// The algorithm a message asked for, when it is not one this crate
/// verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlgorithmLabel {
    /// A COSE algorithm identifier (RFC 9053), e.g. `-37` for PS256.
    Cose(i64),
    /// A text algorithm label (private use in COSE); its text is not kept.
    Text,
    /// No algorithm was given.
    Absent,
}

impl fmt::Display for AlgorithmLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cose(id) => write!(f, "COSE algorithm {id}"),
            Self::Text => f.write_str("text algorithm label"),
            Self::Absent => f.write_str("no algorithm"),
        }
    }
}
