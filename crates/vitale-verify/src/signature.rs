//! ES256 signatures: the COSE form (`r‖s`) and a strict DER converter.
//!
//! COSE (RFC 9053 §2.1) carries an ECDSA signature as the two integers `r`
//! and `s`, each left-padded to 32 bytes and concatenated (the IEEE P1363
//! form). X.509 and many tools use the ASN.1 DER form
//! `SEQUENCE { INTEGER r, INTEGER s }`; [`Signature::from_der`] accepts
//! that form under the strict DER rules only (no BER).

use core::fmt;

use crate::error::{Error, SignatureEncodingError as Enc};

/// Length of an ES256 signature in the COSE form.
pub const SIGNATURE_LEN: usize = 64;
/// Length of one scalar (`r` or `s`).
const SCALAR_LEN: usize = 32;
/// Longest DER ES256 signature: `30 44 (02 21 00‖r) (02 21 00‖s)`.
pub const MAX_DER_SIGNATURE_LEN: usize = 72;

const TAG_SEQUENCE: u8 = 0x30;
const TAG_INTEGER: u8 = 0x02;

/// An ES256 signature in the COSE form: `r‖s`, 32 bytes each, big-endian.
///
/// This type only checks the *encoding*. Whether `r` and `s` are in the
/// range `1..n` is part of verification: a signature outside it never
/// verifies and yields [`Error::BadSignature`] in every backend.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    r: [u8; SCALAR_LEN],
    s: [u8; SCALAR_LEN],
}

impl Signature {
    /// Wraps the 64 bytes `r‖s`.
    pub fn from_bytes(bytes: &[u8; SIGNATURE_LEN]) -> Self {
        let (r, s) = split_scalars(bytes);
        Self { r, s }
    }

    /// Parses the COSE form from a slice.
    ///
    /// # Errors
    /// [`Error::InvalidSignatureEncoding`] with
    /// [`SignatureEncodingError::WrongLength`](Enc::WrongLength) unless the
    /// slice is exactly 64 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let array = <&[u8; SIGNATURE_LEN]>::try_from(bytes)
            .map_err(|_| Error::InvalidSignatureEncoding(Enc::WrongLength))?;
        Ok(Self::from_bytes(array))
    }

    /// Parses an ASN.1 DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3) and converts
    /// it to the COSE form.
    ///
    /// Strict DER: definite minimal lengths, no trailing bytes (inside or
    /// after the SEQUENCE), non-negative minimal INTEGERs of at most 32
    /// significant bytes.
    ///
    /// # Errors
    /// [`Error::InvalidSignatureEncoding`] saying which rule was broken.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        parse_der(der).map_err(Error::InvalidSignatureEncoding)
    }

    /// The 64 bytes `r‖s`.
    pub fn to_bytes(&self) -> [u8; SIGNATURE_LEN] {
        let mut out = [0u8; SIGNATURE_LEN];
        for (o, b) in out.iter_mut().zip(self.r.iter().chain(self.s.iter())) {
            *o = *b;
        }
        out
    }

    /// The DER encoding of this signature (at most 72 bytes).
    pub fn to_der(&self) -> Vec<u8> {
        der_from_scalars(&self.r, &self.s)
    }

    /// `r`, big-endian, 32 bytes.
    pub fn r(&self) -> &[u8; SCALAR_LEN] {
        &self.r
    }

    /// `s`, big-endian, 32 bytes.
    pub fn s(&self) -> &[u8; SCALAR_LEN] {
        &self.s
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(")?;
        for b in self.to_bytes() {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

fn split_scalars(bytes: &[u8; SIGNATURE_LEN]) -> ([u8; SCALAR_LEN], [u8; SCALAR_LEN]) {
    let mut r = [0u8; SCALAR_LEN];
    let mut s = [0u8; SCALAR_LEN];
    for (o, b) in r.iter_mut().chain(s.iter_mut()).zip(bytes.iter()) {
        *o = *b;
    }
    (r, s)
}

/// A length below 0x80, as one byte (callers guarantee the bound).
fn short_len(len: usize) -> u8 {
    u8::try_from(len).unwrap_or(u8::MAX) & 0x7f
}

/// The DER `ECDSA-Sig-Value` of two big-endian scalars of at most 48
/// bytes each (P-256 and P-384): every length then fits the short form.
pub(crate) fn der_from_scalars(r: &[u8], s: &[u8]) -> Vec<u8> {
    let r = der_integer_content(r);
    let s = der_integer_content(s);
    let body_len = 2 + r.len() + 2 + s.len();
    let mut out = Vec::with_capacity(2 + body_len);
    // Each content is at most 49 bytes, so every length is below 0x80.
    out.push(TAG_SEQUENCE);
    out.push(short_len(body_len));
    for int in [r, s] {
        out.push(TAG_INTEGER);
        out.push(short_len(int.len()));
        out.extend_from_slice(int.as_slice());
    }
    out
}

/// The minimal two's-complement content of a non-negative big-endian
/// integer: leading zeros stripped, one `00` put back if the top bit is set.
fn der_integer_content(scalar: &[u8]) -> Vec<u8> {
    let significant: &[u8] = match scalar.iter().position(|b| *b != 0) {
        Some(first) => scalar.get(first..).unwrap_or(&[]),
        None => &[0],
    };
    let mut out = Vec::with_capacity(significant.len() + 1);
    if significant.first().is_some_and(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(significant);
    out
}

/// A cursor over DER input.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, Enc> {
        let (first, rest) = self.rest.split_first().ok_or(Enc::Truncated)?;
        self.rest = rest;
        Ok(*first)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], Enc> {
        let (head, rest) = self.rest.split_at_checked(len).ok_or(Enc::Truncated)?;
        self.rest = rest;
        Ok(head)
    }

    /// A DER length: short form, or long form only when it is needed.
    fn length(&mut self) -> Result<usize, Enc> {
        let first = self.byte()?;
        if first < 0x80 {
            return Ok(usize::from(first));
        }
        if first == 0x80 {
            return Err(Enc::IndefiniteLength);
        }
        let count = first & 0x7f;
        let mut len: usize = 0;
        for i in 0..count {
            let b = self.byte()?;
            if i == 0 && b == 0 {
                return Err(Enc::NonMinimalLength);
            }
            // Anything past two bytes is far beyond any P-256 signature.
            if i >= 2 {
                return Err(Enc::Oversized);
            }
            len = (len << 8) | usize::from(b);
        }
        if len < 0x80 {
            return Err(Enc::NonMinimalLength);
        }
        // Legal DER, but longer than any ES256 signature can be.
        if len > MAX_DER_SIGNATURE_LEN {
            return Err(Enc::Oversized);
        }
        Ok(len)
    }

    /// A tag-length-value with the given tag; returns the content.
    fn tlv(&mut self, tag: u8) -> Result<&'a [u8], Enc> {
        if self.byte()? != tag {
            return Err(Enc::UnexpectedTag);
        }
        let len = self.length()?;
        self.take(len)
    }

    /// A non-negative INTEGER of at most 32 significant bytes, left-padded.
    fn scalar(&mut self) -> Result<[u8; SCALAR_LEN], Enc> {
        let content = self.tlv(TAG_INTEGER)?;
        let magnitude = match content {
            [] => return Err(Enc::EmptyInteger),
            [first, ..] if first & 0x80 != 0 => return Err(Enc::NegativeInteger),
            [0, second, ..] if second & 0x80 == 0 => return Err(Enc::NonMinimalInteger),
            [0, rest @ ..] if !rest.is_empty() => rest,
            all => all,
        };
        let pad = SCALAR_LEN
            .checked_sub(magnitude.len())
            .ok_or(Enc::Oversized)?;
        let mut out = [0u8; SCALAR_LEN];
        for (o, b) in out.iter_mut().skip(pad).zip(magnitude) {
            *o = *b;
        }
        Ok(out)
    }
}

fn parse_der(der: &[u8]) -> Result<Signature, Enc> {
    let mut outer = Reader { rest: der };
    let body = outer.tlv(TAG_SEQUENCE)?;
    if !outer.rest.is_empty() {
        return Err(Enc::TrailingData);
    }
    let mut inner = Reader { rest: body };
    let r = inner.scalar()?;
    let s = inner.scalar()?;
    if !inner.rest.is_empty() {
        return Err(Enc::TrailingData);
    }
    Ok(Signature { r, s })
}

#[cfg(test)]
mod tests;
