//! COSE_Sign1 envelopes (RFC 9052 §4.2) restricted to ES256 (RFC 9053 §2.1).
//!
//! [`Sign1`] is a parsed envelope that keeps the protected header's
//! **original bytes**: the signature is checked over those bytes, never over
//! a re-encoding ([`Sign1::to_be_signed`]). It holds no key and checks no
//! signature — `vitale-verify` does, given the bytes this module builds.
//!
//! Two parsing modes exist ([`ParseMode`]):
//!
//! * [`ParseMode::OpenProfile`] — the envelopes of the `open` profile: tag 18
//!   required, strict deterministic CBOR everywhere (see [`crate::cbor`]),
//!   algorithm in the protected header and exactly ES256;
//! * [`ParseMode::Interop`] — envelopes made by other systems (test suites,
//!   certificates of other schemes): tag 18 optional, ordinary CBOR, algorithm
//!   from the protected header or, when the protected header has none, from
//!   the unprotected one. Still ES256 only.
//!
//! In both modes a critical header (`crit`, label 2) naming a parameter this
//! module does not understand makes the envelope unacceptable. The open
//! profile further allows no protected label but `alg` (1) and `kid` (4),
//! and requires the unprotected header to be the empty map (`docs/format.md`
//! §3): one signed envelope then has exactly one encoding, and nothing
//! unsigned rides along.
//!
//! Signing takes two phases ([`sign`]): [`Sign1::prepare`] builds the
//! [`ToBeSigned`] bytes — storable, hashable, sent to a remote signer —
//! and [`ToBeSigned::complete`] puts the signature in the envelope.

use core::ops::Range;

use coset::{AsCborValue, CoseSign1};

use crate::cbor::{self, Value};
use crate::limits::MAX_CBOR_DEPTH;

mod profile;
pub mod sign;

pub use sign::ToBeSigned;

/// The CBOR tag of a COSE_Sign1 (RFC 9052 §2).
pub const COSE_SIGN1_TAG: u64 = 18;

/// Length of an ES256 signature in COSE form (`r ‖ s`, RFC 9053 §2.1).
pub const ES256_SIGNATURE_LEN: usize = 64;

/// Length of an issuer key identifier (`kid`) of the `open` profile.
pub const KID_LEN: usize = 8;

/// Why an envelope is unacceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoseError {
    /// The envelope is not strict deterministic CBOR (open profile).
    #[error("envelope: {0}")]
    Cbor(#[from] cbor::CborError),
    /// Not a COSE_Sign1 structure (wrong shape or types).
    #[error("not a COSE_Sign1 structure")]
    Malformed,
    /// The CBOR tag is missing (open profile) or not 18.
    #[error("expected CBOR tag 18 (COSE_Sign1), found {0:?}")]
    WrongTag(Option<u64>),
    /// No algorithm header.
    #[error("no algorithm in the header")]
    MissingAlgorithm,
    /// The algorithm is not ES256 (the text form of the label is kept).
    #[error("unsupported algorithm {0} (only ES256 is accepted)")]
    UnsupportedAlgorithm(String),
    /// A critical header this implementation does not understand.
    #[error("unknown critical header {0}")]
    UnknownCriticalHeader(String),
    /// The `crit` header is empty, unprotected or names an absent label.
    #[error("invalid crit header")]
    InvalidCritical,
    /// The payload is detached (nil); the `open` profile never detaches it.
    #[error("detached payload")]
    DetachedPayload,
    /// The signature is not 64 bytes.
    #[error("signature of {0} bytes, ES256 needs 64")]
    SignatureLength(usize),
    /// The key identifier does not have the profile's length.
    #[error("key identifier of {0} bytes")]
    KidLength(usize),
    /// The unprotected header is not the empty map (open profile): it
    /// would let unsigned data ride along, and give one signed envelope
    /// several encodings.
    #[error("the unprotected header is not the empty map")]
    UnprotectedHeader,
    /// A protected header parameter the open profile does not allow there
    /// (the label's text is kept): content type, `crit` naming understood
    /// labels, any other label, or a `kid` on a device-signed envelope.
    #[error("header parameter {0} is not allowed here")]
    UnexpectedHeader(String),
    /// Bytes that should be a `Sig_structure` (RFC 9052 §4.4,
    /// `["Signature1", protected, external_aad, payload]`) are not one.
    #[error("not a Signature1 Sig_structure")]
    MalformedSigStructure,
}

/// How strictly to parse an envelope; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseMode {
    /// The `open` profile's own envelopes.
    OpenProfile,
    /// Envelopes made by other systems (test suites, other schemes).
    Interop,
}

/// A parsed COSE_Sign1 whose algorithm is ES256. Not verified.
///
/// It keeps the envelope's bytes exactly as received. Two values are equal
/// when they come from the same bytes and read the same.
#[derive(Clone)]
pub struct Sign1 {
    envelope: Vec<u8>,
    parts: Parts,
    signature: [u8; ES256_SIGNATURE_LEN],
}

/// Where a [`Sign1`]'s pieces are.
#[derive(Clone)]
enum Parts {
    /// The open profile's one encoding ([`profile`]): the protected header
    /// (ending with the kid, when it has one) and the payload are ranges of
    /// the envelope.
    Profile {
        protected: Range<usize>,
        payload: Range<usize>,
        has_kid: bool,
    },
    /// Any other form, read through `coset`.
    Other {
        protected: Vec<u8>,
        /// Whether the protected header holds no parameter at all (then
        /// the `Sig_structure` carries an empty byte string, RFC 9052 §3).
        protected_is_empty: bool,
        /// Whether the protected map has label 4, whatever its value.
        protected_has_kid: bool,
        /// The protected `kid` (empty when absent).
        protected_kid: Vec<u8>,
        /// The unprotected `kid` (empty when absent; interop only).
        unprotected_kid: Vec<u8>,
        payload: Vec<u8>,
    },
}

impl PartialEq for Sign1 {
    fn eq(&self, other: &Self) -> bool {
        self.envelope == other.envelope
            && self.signature == other.signature
            && self.protected_bytes() == other.protected_bytes()
            && self.payload() == other.payload()
            && self.protected_is_empty() == other.protected_is_empty()
            && self.protected_has_kid() == other.protected_has_kid()
            && self.protected_kid_bytes() == other.protected_kid_bytes()
            && self.unprotected_kid_bytes() == other.unprotected_kid_bytes()
    }
}

impl core::fmt::Debug for Sign1 {
    // The payload may carry personal data: show its size only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Sign1")
            .field("kid", &self.kid())
            .field("payload_len", &self.payload().len())
            .finish_non_exhaustive()
    }
}

impl Sign1 {
    /// Parses an envelope of at most `max_bytes` bytes.
    pub fn decode(bytes: &[u8], max_bytes: usize, mode: ParseMode) -> Result<Self, crate::Error> {
        check_size(bytes, max_bytes)?;
        Self::decode_owned(bytes.to_vec(), max_bytes, mode)
    }

    /// As [`Sign1::decode`], keeping `bytes` instead of copying them.
    pub fn decode_owned(
        bytes: Vec<u8>,
        max_bytes: usize,
        mode: ParseMode,
    ) -> Result<Self, crate::Error> {
        check_size(&bytes, max_bytes)?;
        // The profile's one encoding is read from the bytes; anything else
        // (and every interop envelope) goes the generic way.
        let shortcut = match mode {
            ParseMode::OpenProfile => profile::read(&bytes),
            ParseMode::Interop => None,
        };
        let (parts, signature) = match shortcut {
            Some(read) => read,
            None => Self::read_generic(&bytes, max_bytes, mode)?,
        };
        Ok(Sign1 {
            envelope: bytes,
            parts,
            signature,
        })
    }

    /// The open profile's shortcut alone ([`profile::read`]).
    #[cfg(test)]
    fn from_profile_form(bytes: &[u8]) -> Option<Self> {
        let (parts, signature) = profile::read(bytes)?;
        Some(Sign1 {
            envelope: bytes.to_vec(),
            parts,
            signature,
        })
    }

    /// The generic path alone ([`Sign1::read_generic`]), whatever the form.
    #[cfg(test)]
    fn decode_generic(
        bytes: &[u8],
        max_bytes: usize,
        mode: ParseMode,
    ) -> Result<Self, crate::Error> {
        let (parts, signature) = Self::read_generic(bytes, max_bytes, mode)?;
        Ok(Sign1 {
            envelope: bytes.to_vec(),
            parts,
            signature,
        })
    }

    /// Any envelope, in either mode: decoded as a CBOR value (strictly in
    /// the open profile), its headers checked, then read by `coset`.
    fn read_generic(
        bytes: &[u8],
        max_bytes: usize,
        mode: ParseMode,
    ) -> Result<(Parts, [u8; ES256_SIGNATURE_LEN]), crate::Error> {
        let value = match mode {
            ParseMode::OpenProfile => {
                cbor::decode(bytes, max_bytes, MAX_CBOR_DEPTH).map_err(CoseError::Cbor)?
            }
            ParseMode::Interop => {
                let mut reader = bytes;
                let value: Value =
                    ciborium::de::from_reader_with_recursion_limit(&mut reader, MAX_CBOR_DEPTH)
                        .map_err(|_| CoseError::Malformed)?;
                if !reader.is_empty() {
                    return Err(cbor::CborError::TrailingBytes(reader.len()).into());
                }
                value
            }
        };
        let untagged = match value {
            Value::Tag(COSE_SIGN1_TAG, inner) => *inner,
            Value::Tag(other, _) => return Err(CoseError::WrongTag(Some(other)).into()),
            other if mode == ParseMode::Interop => other,
            _ => return Err(CoseError::WrongTag(None).into()),
        };
        Self::from_value(untagged, mode).map_err(crate::Error::from)
    }

    fn from_value(
        value: Value,
        mode: ParseMode,
    ) -> Result<(Parts, [u8; ES256_SIGNATURE_LEN]), CoseError> {
        // Take the protected bytes before coset sees them, to keep them
        // exactly as received and to check them strictly.
        let protected_bytes = match &value {
            Value::Array(items) => match items.first() {
                Some(Value::Bytes(b)) => b.clone(),
                _ => return Err(CoseError::Malformed),
            },
            _ => return Err(CoseError::Malformed),
        };
        let protected_map = if protected_bytes.is_empty() {
            Value::Map(Vec::new())
        } else {
            match mode {
                ParseMode::OpenProfile => {
                    cbor::decode(&protected_bytes, protected_bytes.len(), MAX_CBOR_DEPTH)?
                }
                ParseMode::Interop => ciborium::de::from_reader_with_recursion_limit(
                    protected_bytes.as_slice(),
                    MAX_CBOR_DEPTH,
                )
                .map_err(|_| CoseError::Malformed)?,
            }
        };
        let unprotected_map = match &value {
            Value::Array(items) => items.get(1).ok_or(CoseError::Malformed)?,
            _ => return Err(CoseError::Malformed),
        };
        let protected_has_kid = check_headers(&protected_map, unprotected_map, mode)?;
        let sign1 = CoseSign1::from_cbor_value(value).map_err(|_| CoseError::Malformed)?;
        let payload = sign1.payload.ok_or(CoseError::DetachedPayload)?;
        let signature = <[u8; ES256_SIGNATURE_LEN]>::try_from(sign1.signature.as_slice())
            .map_err(|_| CoseError::SignatureLength(sign1.signature.len()))?;
        let parts = Parts::Other {
            protected: protected_bytes,
            protected_is_empty: sign1.protected.header.is_empty(),
            protected_has_kid,
            protected_kid: sign1.protected.header.key_id,
            unprotected_kid: sign1.unprotected.key_id,
            payload,
        };
        Ok((parts, signature))
    }

    /// The first phase of signing: the [`ToBeSigned`] bytes of an envelope
    /// with protected header `{1: -7}`, plus `{4: kid}` when a `kid` is
    /// given, and an empty unprotected header. Sign its
    /// [`bytes`](ToBeSigned::bytes) anywhere (software key, HSM, secure
    /// element, a server that signs hashes), then
    /// [`complete`](ToBeSigned::complete) it with the signature.
    ///
    /// ```
    /// use vitale_codec::cose::{ParseMode, Sign1, ToBeSigned};
    ///
    /// let tbs = Sign1::prepare(Some(&[7; 8]), b"payload", b"");
    /// // Store or send the bytes; rebuild them later, strictly parsed.
    /// let stored = tbs.bytes().to_vec();
    /// let tbs = ToBeSigned::from_bytes(&stored, 1024)?;
    /// let signature = [0x5a; 64]; // from the signer, over `stored`
    /// let envelope = tbs.complete(signature);
    /// let decoded = Sign1::decode(&envelope, 1024, ParseMode::OpenProfile)?;
    /// assert_eq!(decoded.to_be_signed(b"")?, stored);
    /// # Ok::<(), vitale_codec::Error>(())
    /// ```
    pub fn prepare(kid: Option<&[u8; KID_LEN]>, payload: &[u8], external_aad: &[u8]) -> ToBeSigned {
        ToBeSigned::new(kid, payload, external_aad)
    }

    /// Both phases in one call: [`Sign1::prepare`], then `sign` over the
    /// `Sig_structure` bytes, then [`ToBeSigned::complete`]. Returns the
    /// tagged envelope.
    ///
    /// # Errors
    /// The error of `sign`.
    pub fn sign<E>(
        kid: Option<&[u8; KID_LEN]>,
        payload: &[u8],
        external_aad: &[u8],
        sign: impl FnOnce(&[u8]) -> Result<[u8; ES256_SIGNATURE_LEN], E>,
    ) -> Result<Vec<u8>, E> {
        let tbs = Self::prepare(kid, payload, external_aad);
        let signature = sign(tbs.bytes())?;
        Ok(tbs.complete(signature))
    }

    /// The bytes the signature covers: the CBOR `Sig_structure` of RFC 9052
    /// §4.4, `["Signature1", protected, external_aad, payload]`, with the
    /// protected header's original bytes.
    ///
    /// A protected header that decodes to an empty map is an empty byte
    /// string in the `Sig_structure`, whatever its encoding (RFC 9052 §3:
    /// an empty map "MUST be encoded as a zero-length byte string"; the
    /// cose-wg vector `sign1-tests/sign-pass-01` sends `a0` and signs `h''`).
    pub fn to_be_signed(&self, external_aad: &[u8]) -> Result<Vec<u8>, crate::Error> {
        let protected: &[u8] = if self.protected_is_empty() {
            &[]
        } else {
            self.protected_bytes()
        };
        Ok(sign::sig_structure(protected, external_aad, self.payload()))
    }

    /// The envelope's bytes exactly as received.
    pub fn as_bytes(&self) -> &[u8] {
        &self.envelope
    }

    /// A range of the envelope (those of [`Parts::Profile`] are in it).
    fn slice(&self, range: &Range<usize>) -> &[u8] {
        self.envelope.get(range.clone()).unwrap_or_default()
    }

    /// The payload bytes (not yet decoded).
    pub fn payload(&self) -> &[u8] {
        match &self.parts {
            Parts::Profile { payload, .. } => self.slice(payload),
            Parts::Other { payload, .. } => payload,
        }
    }

    fn protected_is_empty(&self) -> bool {
        match &self.parts {
            Parts::Profile { .. } => false,
            Parts::Other {
                protected_is_empty, ..
            } => *protected_is_empty,
        }
    }

    /// The protected `kid`'s bytes (empty when absent).
    fn protected_kid_bytes(&self) -> &[u8] {
        match &self.parts {
            // The kid is the protected header's last 8 bytes.
            Parts::Profile {
                protected,
                has_kid: true,
                ..
            } => {
                let header = self.slice(protected);
                header
                    .get(header.len().saturating_sub(KID_LEN)..)
                    .unwrap_or_default()
            }
            Parts::Profile { .. } => &[],
            Parts::Other { protected_kid, .. } => protected_kid,
        }
    }

    /// The unprotected `kid`'s bytes (empty when absent).
    fn unprotected_kid_bytes(&self) -> &[u8] {
        match &self.parts {
            Parts::Profile { .. } => &[],
            Parts::Other {
                unprotected_kid, ..
            } => unprotected_kid,
        }
    }

    /// The signature, `r ‖ s`.
    pub fn signature(&self) -> &[u8; ES256_SIGNATURE_LEN] {
        &self.signature
    }

    /// The protected header's bytes exactly as received.
    pub fn protected_bytes(&self) -> &[u8] {
        match &self.parts {
            Parts::Profile { protected, .. } => self.slice(protected),
            Parts::Other { protected, .. } => protected,
        }
    }

    /// The key identifier: from the protected header, or from the
    /// unprotected header only when the protected one has none.
    pub fn kid(&self) -> Option<&[u8]> {
        let (protected, unprotected) = (self.protected_kid_bytes(), self.unprotected_kid_bytes());
        if !protected.is_empty() {
            Some(protected)
        } else if !unprotected.is_empty() {
            Some(unprotected)
        } else {
            None
        }
    }

    /// Whether the protected header has a `kid` (label 4), even an empty
    /// one. A device-signed envelope of the `open` profile must have none.
    pub fn protected_has_kid(&self) -> bool {
        match &self.parts {
            Parts::Profile { has_kid, .. } => *has_kid,
            Parts::Other {
                protected_has_kid, ..
            } => *protected_has_kid,
        }
    }

    /// The key identifier of the protected header, as the `open` profile
    /// requires for issuer-signed envelopes (8 bytes).
    pub fn protected_kid(&self) -> Result<[u8; KID_LEN], CoseError> {
        let kid = self.protected_kid_bytes();
        <[u8; KID_LEN]>::try_from(kid).map_err(|_| CoseError::KidLength(kid.len()))
    }
}

/// Algorithm, criticality and (open profile) label checks, on the raw
/// header maps so that an unregistered algorithm or label gets its own
/// error (coset would only say "unregistered value"). Returns whether the
/// protected map has a `kid` (label 4).
///
/// Order: algorithm; `crit`; then, in the open profile, protected labels
/// other than 1 and 4; then a non-empty unprotected map.
pub(crate) fn check_headers(
    protected: &Value,
    unprotected: &Value,
    mode: ParseMode,
) -> Result<bool, CoseError> {
    let protected = header_entries(protected)?;
    let unprotected = header_entries(unprotected)?;
    let (alg_label, crit_label) = (Value::from(1), Value::from(2));
    let alg = match (
        lookup(protected, &alg_label),
        lookup(unprotected, &alg_label),
        mode,
    ) {
        (Some(alg), _, _) => alg,
        (None, Some(alg), ParseMode::Interop) => alg,
        _ => return Err(CoseError::MissingAlgorithm),
    };
    if *alg != Value::from(ES256) {
        return Err(CoseError::UnsupportedAlgorithm(label_text(alg)));
    }
    if let Some(crit) = lookup(protected, &crit_label) {
        let Value::Array(labels) = crit else {
            return Err(CoseError::InvalidCritical);
        };
        if labels.is_empty() {
            return Err(CoseError::InvalidCritical);
        }
        for label in labels {
            if !UNDERSTOOD.iter().any(|&u| *label == Value::from(u)) {
                return Err(CoseError::UnknownCriticalHeader(label_text(label)));
            }
            if lookup(protected, label).is_none() {
                return Err(CoseError::InvalidCritical);
            }
        }
    }
    if mode == ParseMode::OpenProfile {
        if let Some((label, _)) = protected
            .iter()
            .find(|(label, _)| !PROFILE_LABELS.iter().any(|&l| *label == Value::from(l)))
        {
            return Err(CoseError::UnexpectedHeader(label_text(label)));
        }
        if !unprotected.is_empty() {
            return Err(CoseError::UnprotectedHeader);
        }
    }
    // crit belongs in the protected bucket only (RFC 9052 §3.1).
    if lookup(unprotected, &crit_label).is_some() {
        return Err(CoseError::InvalidCritical);
    }
    Ok(lookup(protected, &Value::from(4)).is_some())
}

/// The COSE algorithm identifier of ES256 (RFC 9053 §2.1).
const ES256: i64 = -7;

/// Header labels this module understands, hence accepts as critical
/// (RFC 9052 §3.1): alg, content type, kid.
const UNDERSTOOD: [i64; 3] = [1, 3, 4];

/// The only protected labels of the open profile: alg and kid.
const PROFILE_LABELS: [i64; 2] = [1, 4];

pub(crate) fn header_entries(map: &Value) -> Result<&[(Value, Value)], CoseError> {
    match map {
        Value::Map(entries) => Ok(entries),
        _ => Err(CoseError::Malformed),
    }
}

pub(crate) fn lookup<'a>(entries: &'a [(Value, Value)], key: &Value) -> Option<&'a Value> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Refuses an envelope above `max_bytes`, before any work on it.
fn check_size(bytes: &[u8], max_bytes: usize) -> Result<(), crate::Error> {
    if bytes.len() > max_bytes {
        return Err(cbor::CborError::TooLarge {
            size: bytes.len(),
            limit: max_bytes,
        }
        .into());
    }
    Ok(())
}

fn label_text(label: &Value) -> String {
    match label {
        Value::Integer(i) => i128::from(*i).to_string(),
        Value::Text(t) => format!("{t:?}"),
        _ => "(not a label)".to_owned(),
    }
}

#[cfg(test)]
mod tests;
