//! Two-phase signing of `open`-profile envelopes (RFC 9052 §4.4).
//!
//! [`Sign1::prepare`](super::Sign1::prepare) builds a [`ToBeSigned`]: the
//! exact `Sig_structure` bytes the signature must cover. Those bytes can be
//! stored, hashed (SHA-256 for ES256) or sent to another process or machine
//! — an HSM, a phone's secure element, a server that signs hashes — and
//! [`ToBeSigned::from_bytes`] rebuilds the value from them, strictly and
//! within a size limit. [`ToBeSigned::complete`] then wraps the signature
//! into the tagged COSE_Sign1 envelope.
//!
//! The codec holds no key and never sees one: whoever signs returns 64
//! bytes `r ‖ s`. `vitale-verify`'s `Signer` trait is one way to get them.

use core::fmt;

use crate::cbor::{self, Value};
use crate::cose::{
    COSE_SIGN1_TAG, CoseError, ES256_SIGNATURE_LEN, KID_LEN, ParseMode, check_headers,
    header_entries, lookup,
};
use crate::limits::MAX_CBOR_DEPTH;

/// The context string of a COSE_Sign1 `Sig_structure`.
const CONTEXT: &str = "Signature1";

/// The bytes an `open`-profile COSE_Sign1 signature covers, with what is
/// needed to finish the envelope once the signature is known.
///
/// [`bytes`](Self::bytes) is the CBOR `Sig_structure`
/// `["Signature1", protected, external_aad, payload]` of RFC 9052 §4.4, in
/// core deterministic encoding; the protected header is `{1: -7}` (ES256)
/// or `{1: -7, 4: kid}`. An ES256 signer signs SHA-256 of these bytes.
///
/// `Debug` shows sizes and the kid, never the payload (it may hold
/// personal data).
#[derive(Clone, PartialEq, Eq)]
pub struct ToBeSigned {
    bytes: Vec<u8>,
    protected: Vec<u8>,
    kid: Option<[u8; KID_LEN]>,
    external_aad: Vec<u8>,
    payload: Vec<u8>,
}

impl ToBeSigned {
    pub(crate) fn new(kid: Option<&[u8; KID_LEN]>, payload: &[u8], external_aad: &[u8]) -> Self {
        let protected = protected_header(kid);
        ToBeSigned {
            bytes: sig_structure(&protected, external_aad, payload),
            protected,
            kid: kid.copied(),
            external_aad: external_aad.to_vec(),
            payload: payload.to_vec(),
        }
    }

    /// Rebuilds a value from its [`bytes`](Self::bytes), for instance
    /// after they were stored while a remote signer worked.
    ///
    /// Strict: the input must be at most `max_bytes` long, in core
    /// deterministic CBOR, exactly `["Signature1", protected,
    /// external_aad, payload]`, with a protected header that an
    /// `open`-profile envelope may carry (`{1: -7}` or `{1: -7, 4: kid}`
    /// with an 8-byte kid). Whatever this accepts,
    /// `from_bytes(b)?.bytes() == b`.
    ///
    /// # Errors
    /// [`crate::Error::Cbor`] with [`cbor::CborError::TooLarge`] above
    /// `max_bytes`; [`crate::Error::Cose`] with
    /// [`CoseError::Cbor`] (not deterministic CBOR),
    /// [`CoseError::MalformedSigStructure`] (another shape or context),
    /// or the header errors of an envelope
    /// ([`CoseError::MissingAlgorithm`], [`CoseError::UnsupportedAlgorithm`],
    /// [`CoseError::UnknownCriticalHeader`], [`CoseError::InvalidCritical`],
    /// [`CoseError::UnexpectedHeader`], [`CoseError::KidLength`]).
    pub fn from_bytes(bytes: &[u8], max_bytes: usize) -> Result<Self, crate::Error> {
        if bytes.len() > max_bytes {
            return Err(cbor::CborError::TooLarge {
                size: bytes.len(),
                limit: max_bytes,
            }
            .into());
        }
        let value = cbor::decode(bytes, max_bytes, MAX_CBOR_DEPTH).map_err(CoseError::Cbor)?;
        let Value::Array(items) = value else {
            return Err(CoseError::MalformedSigStructure.into());
        };
        let Ok(
            [
                Value::Text(context),
                Value::Bytes(protected),
                Value::Bytes(external_aad),
                Value::Bytes(payload),
            ],
        ) = <[Value; 4]>::try_from(items)
        else {
            return Err(CoseError::MalformedSigStructure.into());
        };
        if context != CONTEXT {
            return Err(CoseError::MalformedSigStructure.into());
        }
        let kid = profile_kid(&protected)?;
        let rebuilt = Self::new(kid.as_ref(), &payload, &external_aad);
        // The checks above leave one possible encoding; comparing the bytes
        // makes `from_bytes(b)?.bytes() == b` hold by construction.
        if rebuilt.bytes != bytes {
            return Err(CoseError::MalformedSigStructure.into());
        }
        Ok(rebuilt)
    }

    /// The `Sig_structure` bytes to sign (ES256: sign their SHA-256).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The key identifier the protected header carries, if any.
    pub fn kid(&self) -> Option<&[u8; KID_LEN]> {
        self.kid.as_ref()
    }

    /// The payload being signed.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The external AAD being signed (the NFC challenge, or empty).
    pub fn external_aad(&self) -> &[u8] {
        &self.external_aad
    }

    /// The second phase: the tagged COSE_Sign1 envelope with this
    /// signature (`r ‖ s`, 64 bytes), an empty unprotected header, and
    /// the protected header and payload that were signed.
    ///
    /// The signature is not checked here: the codec has no key. A verifier
    /// refuses the envelope if it does not match.
    pub fn complete(self, signature: [u8; ES256_SIGNATURE_LEN]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + ES256_SIGNATURE_LEN + 16);
        // Tag 18 (major type 6, value below 24) and an array of 4.
        out.push(0xc0 | COSE_SIGN1_TAG as u8);
        out.push(0x84);
        cbor::write_bstr(&mut out, &self.protected);
        out.push(0xa0); // the empty map
        cbor::write_bstr(&mut out, &self.payload);
        cbor::write_bstr(&mut out, &signature);
        out
    }
}

impl fmt::Debug for ToBeSigned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToBeSigned")
            .field("kid", &self.kid.as_ref().map(Hex))
            .field("external_aad_len", &self.external_aad.len())
            .field("payload_len", &self.payload.len())
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Lower-case hex for `Debug`.
struct Hex<'a>(&'a [u8; KID_LEN]);

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// The protected header of the `open` profile: `{1: -7}` or
/// `{1: -7, 4: kid}`, in deterministic encoding.
fn protected_header(kid: Option<&[u8; KID_LEN]>) -> Vec<u8> {
    match kid {
        // {1: -7}
        None => vec![0xa1, 0x01, 0x26],
        // {1: -7, 4: h'<8 bytes>'}
        Some(kid) => {
            let mut out = vec![0xa2, 0x01, 0x26, 0x04];
            cbor::write_bstr(&mut out, kid);
            out
        }
    }
}

/// Checks protected header bytes as an `open`-profile envelope's, and
/// returns its kid.
fn profile_kid(protected: &[u8]) -> Result<Option<[u8; KID_LEN]>, CoseError> {
    if protected.is_empty() {
        return Err(CoseError::MissingAlgorithm);
    }
    let map = cbor::decode(protected, protected.len(), MAX_CBOR_DEPTH)?;
    if !check_headers(&map, &Value::Map(Vec::new()), ParseMode::OpenProfile)? {
        return Ok(None);
    }
    match lookup(header_entries(&map)?, &Value::from(4)) {
        Some(Value::Bytes(kid)) => <[u8; KID_LEN]>::try_from(kid.as_slice())
            .map(Some)
            .map_err(|_| CoseError::KidLength(kid.len())),
        _ => Err(CoseError::MalformedSigStructure),
    }
}

/// The CBOR `Sig_structure` of a COSE_Sign1 (RFC 9052 §4.4):
/// `["Signature1", protected, external_aad, payload]`.
pub(crate) fn sig_structure(protected: &[u8], external_aad: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(protected.len() + external_aad.len() + payload.len() + 32);
    out.push(0x84); // array(4)
    out.push(0x60 | CONTEXT.len() as u8); // text(10)
    out.extend_from_slice(CONTEXT.as_bytes());
    cbor::write_bstr(&mut out, protected);
    cbor::write_bstr(&mut out, external_aad);
    cbor::write_bstr(&mut out, payload);
    out
}

#[cfg(test)]
mod tests;
