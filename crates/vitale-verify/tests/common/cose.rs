//! Test-only COSE_Sign1 glue over `coset`: envelope forms, the
//! Sig_structure, the algorithm check. The real envelope code lives in
//! `vitale-codec`; this is just enough to drive external vectors.

use coset::{CoseSign1, RegisteredLabelWithPrivate, cbor::value::Value, iana::EnumI64 as _};
use vitale_verify::{
    Algorithm, AlgorithmLabel, Error, InteropKey, PublicKey, Signature, SignatureBackend,
};

/// COSE_Sign1 tag (RFC 9052).
const TAG_COSE_SIGN1: u64 = 18;
/// CWT tag (RFC 8392), which the EU DCC wraps around tag 18.
const TAG_CWT: u64 = 61;

/// How a COSE_Sign1 was wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Envelope {
    /// A bare 4-element array.
    Untagged,
    /// `18(...)`.
    Tagged,
    /// `61(18(...))`.
    CwtTagged,
}

/// Parses one CBOR item holding a COSE_Sign1: untagged, tag 18, or (when
/// `allow_cwt`) tag 61 around tag 18. Any other tag, trailing bytes or a
/// malformed structure is an error (as text: this is test glue).
pub fn parse_sign1(bytes: &[u8], allow_cwt: bool) -> Result<(CoseSign1, Envelope), String> {
    let mut cursor = std::io::Cursor::new(bytes);
    let mut value: Value =
        coset::cbor::de::from_reader(&mut cursor).map_err(|e| format!("CBOR: {e}"))?;
    if usize::try_from(cursor.position()).ok() != Some(bytes.len()) {
        return Err("trailing bytes after the COSE item".into());
    }
    let mut envelope = Envelope::Untagged;
    if allow_cwt && let Value::Tag(TAG_CWT, inner) = value {
        value = *inner;
        envelope = Envelope::CwtTagged;
        if !matches!(value, Value::Tag(TAG_COSE_SIGN1, _)) {
            return Err("CWT tag 61 not followed by COSE_Sign1 tag 18".into());
        }
    }
    match value {
        Value::Tag(TAG_COSE_SIGN1, inner) => {
            value = *inner;
            if envelope == Envelope::Untagged {
                envelope = Envelope::Tagged;
            }
        }
        Value::Tag(other, _) => return Err(format!("unexpected CBOR tag {other}")),
        _ => {}
    }
    let sign1 = coset::AsCborValue::from_cbor_value(value).map_err(|e| format!("COSE: {e}"))?;
    Ok((sign1, envelope))
}

/// The Sig_structure (RFC 9052 §4.4) over the protected header's original
/// bytes — except for an empty header map.
///
/// RFC 9052 §3 lets a sender encode "no protected header" either as a
/// zero-length bstr (preferred) or as the bstr `h'a0'` (an empty map), and
/// recipients MUST accept both; §4.4 puts "a zero-length byte string" in
/// `body_protected` when there are no protected attributes. cose-wg
/// `sign1-tests/sign-pass-01` has `h'a0'` on the wire and a signature over
/// a Sig_structure holding `h''` (its `ToBeSign_hex` has `40`), so an empty
/// map is signed as empty bytes. coset keeps the original `a0` bytes, so
/// we drop them here. Any non-empty header is signed over its exact bytes.
pub fn sig_structure(sign1: &CoseSign1, external_aad: &[u8]) -> Vec<u8> {
    if sign1.protected.header.is_empty() {
        let mut normalised = sign1.clone();
        normalised.protected.original_data = None;
        normalised.tbs_data(external_aad)
    } else {
        sign1.tbs_data(external_aad)
    }
}

/// The algorithm named by the protected header, or by the unprotected one
/// when the protected has none (as the DCC and cose-wg vectors do).
pub fn algorithm(sign1: &CoseSign1) -> Result<Algorithm, Error> {
    let alg = sign1
        .protected
        .header
        .alg
        .as_ref()
        .or(sign1.unprotected.alg.as_ref());
    match alg {
        Some(RegisteredLabelWithPrivate::Assigned(a)) => Algorithm::from_cose_id(a.to_i64()),
        Some(RegisteredLabelWithPrivate::PrivateUse(i)) => Algorithm::from_cose_id(*i),
        Some(RegisteredLabelWithPrivate::Text(_)) => {
            Err(Error::UnsupportedAlgorithm(AlgorithmLabel::Text))
        }
        None => Err(Error::UnsupportedAlgorithm(AlgorithmLabel::Absent)),
    }
}

/// Checks the algorithm is ES256, then verifies the signature with `key`.
pub fn verify(
    backend: &dyn SignatureBackend,
    sign1: &CoseSign1,
    external_aad: &[u8],
    key: &PublicKey,
) -> Result<(), Error> {
    // ES256 is the only `Algorithm` there is: anything else is an error.
    algorithm(sign1)?;
    let signature = Signature::from_slice(&sign1.signature)?;
    Ok(backend.verify_es256(key, &sig_structure(sign1, external_aad), &signature)?)
}

/// Interop (not the `open` profile): checks the algorithm is ES256, then
/// verifies the `r‖s` signature with a P-256 or P-384 `key` (RFC 9053 §2.1
/// lets ES256 run on any curve). The signature length must match the
/// key's curve.
pub fn verify_interop(
    backend: &dyn SignatureBackend,
    sign1: &CoseSign1,
    external_aad: &[u8],
    key: &InteropKey,
) -> Result<(), Error> {
    algorithm(sign1)?;
    Ok(backend.verify_es256_interop(key, &sig_structure(sign1, external_aad), &sign1.signature)?)
}

/// Key id from the protected header, or from the unprotected one only when
/// the protected header has none.
pub fn kid(sign1: &CoseSign1) -> Option<&[u8]> {
    if !sign1.protected.header.key_id.is_empty() {
        Some(&sign1.protected.header.key_id)
    } else if !sign1.unprotected.key_id.is_empty() {
        Some(&sign1.unprotected.key_id)
    } else {
        None
    }
}
