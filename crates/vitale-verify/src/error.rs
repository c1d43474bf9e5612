//! The crate's single error type and its sub-kinds.
//!
//! Every failure is a value of [`Error`]; the variants carry small
//! sub-kinds that say *why*, never personal data. New variants (trust list,
//! time policy, replay…) are added beside these: the enum is
//! `#[non_exhaustive]`, so adding one is not a breaking change.

use core::fmt;

use vitale_model::Timestamp;

/// Everything that can go wrong in `vitale-verify`.
///
/// The verifier checks a presentation in the order documented on
/// [`crate::Verifier::verify`] and stops at the first failure, which is
/// reported as its own variant: a vendor can tell an expired card from a
/// forged one, a replay from an unknown issuer. No variant carries personal
/// data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // --- Signatures and keys -------------------------------------------
    /// The signature is well formed but does not verify with this key and
    /// message (this includes `r` or `s` equal to zero or not below the
    /// group order `n`). Raised by [`crate::SignatureBackend`]; the verifier
    /// reports which signature failed with [`Error::BadIssuerSignature`] or
    /// [`Error::BadDeviceSignature`].
    #[error("signature does not verify")]
    BadSignature,
    /// The public key could not be used: wrong encoding, not P-256, or not a
    /// point of the curve.
    #[error("invalid public key: {0}")]
    InvalidPublicKey(KeyError),
    /// The signature bytes are not a valid encoding (wrong length for the
    /// COSE form, or not strict DER).
    #[error("invalid signature encoding: {0}")]
    InvalidSignatureEncoding(SignatureEncodingError),
    /// The signature backend itself failed (a device or service behind it:
    /// see [`crate::backend::BackendError::Failed`]).
    #[error("signature backend failed")]
    SignatureBackendFailed,
    /// The message names an algorithm other than ES256.
    #[error("unsupported algorithm: {0}")]
    UnsupportedAlgorithm(AlgorithmLabel),

    // --- Decoding --------------------------------------------------------
    /// The input, or a credential or delegation it embeds, is larger than
    /// the policy or the format allows (`docs/format.md` §9).
    #[error("input of {size} bytes exceeds the limit of {limit}")]
    TooLarge {
        /// Size of what was too large: bytes, or characters for a text
        /// form.
        size: usize,
        /// The limit that applied, in the same unit.
        limit: usize,
    },
    /// A COSE header marked critical that this verifier does not understand.
    #[error("unknown critical COSE header")]
    UnknownCriticalHeader,
    /// The input is not a well-formed presentation of the `open` profile.
    #[error("malformed presentation: {0}")]
    Malformed(vitale_codec::Error),
    /// The presentation, credential or delegation names a data model
    /// version this SDK does not read (the phone app may fall back to an
    /// older version).
    #[error("unsupported data model version {version}")]
    UnsupportedVersion {
        /// The version found.
        version: u64,
    },
    /// An envelope's unprotected header is not the empty map: unsigned data
    /// riding along, refused.
    #[error("COSE unprotected header is not empty")]
    UnprotectedHeader,
    /// An envelope's protected header has a parameter the `open` profile
    /// does not allow: content type, `crit`, an unknown label, or a `kid`
    /// on the device-signed presentation.
    #[error("COSE header parameter not allowed by the profile")]
    UnexpectedHeader,

    // --- Issuer keys and the trust list ---------------------------------
    /// No key of the trust list has this kid.
    #[error("unknown issuer key {}", vitale_codec::hex::encode(.kid))]
    UnknownIssuerKey {
        /// The key identifier found in the envelope.
        kid: [u8; 8],
    },
    /// The issuer key was not valid when the credential (or delegation) was
    /// issued.
    #[error("issuer key not valid at the issue date of the {usage}")]
    IssuerKeyNotValidAtIssue {
        /// What the key signed.
        usage: KeyUsage,
    },
    /// The issuer key is not allowed to sign this kind of document.
    #[error("issuer key not allowed to sign a {usage}")]
    WrongKeyUsage {
        /// What the key was asked to vouch for.
        usage: KeyUsage,
    },
    /// The issuer's signature on the credential or delegation is wrong.
    #[error("bad issuer signature on the {usage}")]
    BadIssuerSignature {
        /// What was signed.
        usage: KeyUsage,
    },
    /// The trust list itself is unacceptable.
    #[error("trust list: {0}")]
    TrustList(TrustListError),

    // --- Credential --------------------------------------------------------
    /// The credential's validity ended before the verification time.
    #[error("credential expired at {expired_at} (verification time {now})")]
    CredentialExpired {
        /// The end of the credential's validity.
        expired_at: Timestamp,
        /// The verification time.
        now: Timestamp,
    },
    /// The credential is not valid yet: its validity starts after the
    /// verification time (often the workstation's clock is behind).
    #[error(
        "credential not valid before {not_before} (verification time {now}: is the workstation's clock behind?)"
    )]
    CredentialNotYetValid {
        /// The start of the credential's validity.
        not_before: Timestamp,
        /// The verification time.
        now: Timestamp,
    },

    // --- Presentation and device binding --------------------------------
    /// The device signature (phone key, or delegate key) is wrong.
    #[error("bad device signature")]
    BadDeviceSignature,
    /// The presentation expired (beyond the clock skew).
    #[error(
        "presentation expired at {expired_at} (verification time {now}, beyond the clock skew)"
    )]
    PresentationExpired {
        /// The presentation's expiry.
        expired_at: Timestamp,
        /// The verification time.
        now: Timestamp,
    },
    /// The presentation is not valid yet: it was made after the
    /// verification time (beyond the clock skew): a wrong clock on either
    /// side — most often the workstation's, behind — or a forgery.
    #[error(
        "presentation not valid yet: made at {issued_at}, after the verification time {now} beyond the clock skew (is the workstation's clock behind?)"
    )]
    PresentationFromFuture {
        /// When the phone made the presentation.
        issued_at: Timestamp,
        /// The verification time.
        now: Timestamp,
    },
    /// The presentation lives longer than the format's 180 s (found while
    /// decoding) or the policy's maximum (checked after the device
    /// signature).
    #[error("presentation lifetime of {secs} s exceeds the maximum")]
    PresentationLifetime {
        /// `expiry − issued-at`, in seconds.
        secs: u64,
    },
    /// This presentation (its nonce for this credential) was already
    /// accepted: a screenshot or a recording replayed.
    #[error("presentation already used (replay)")]
    Replay,
    /// The replay cache is full of live entries and refuses new ones
    /// (fail closed; see [`crate::replay`]).
    #[error("replay cache full")]
    ReplayCacheFull,
    /// The replay cache could not be reached (a shared cache's backend is
    /// down); the presentation is refused rather than risk a replay.
    #[error("replay cache unavailable")]
    ReplayCacheUnavailable,
    /// The presentation was made for another channel (QR vs NFC).
    #[error("presentation made for another channel")]
    ChannelMismatch,
    /// An NFC presentation answers another challenge than this reader's:
    /// a recorded answer replayed.
    #[error("NFC challenge mismatch")]
    ChallengeMismatch,

    // --- Delegation ---------------------------------------------------------
    /// The delegation's validity ended.
    #[error("delegation expired at {expired_at} (verification time {now})")]
    DelegationExpired {
        /// The end of the delegation's validity.
        expired_at: Timestamp,
        /// The verification time.
        now: Timestamp,
    },
    /// The delegation is not valid yet.
    #[error(
        "delegation not valid before {not_before} (verification time {now}: is the workstation's clock behind?)"
    )]
    DelegationNotYetValid {
        /// The start of the delegation's validity.
        not_before: Timestamp,
        /// The verification time.
        now: Timestamp,
    },
    /// The delegation names another credential than the one presented.
    #[error("delegation does not match the credential")]
    DelegationMismatch,
    /// The delegation covers a rank the credential does not have, or the
    /// caller asked for a beneficiary the delegation does not cover.
    #[error("beneficiary rank {rank} not covered by the delegation")]
    DelegationOutOfScope {
        /// The rank concerned.
        rank: u8,
    },
    // --- Token profile ------------------------------------------------------
    /// The online context service failed or refused the token (see
    /// [`crate::token::ContextError`] for the cases).
    #[error("context service: {0}")]
    Context(#[from] crate::token::ContextError),

    /// No beneficiary of this rank in the credential.
    #[error("no beneficiary of rank {rank}")]
    NoSuchBeneficiary {
        /// The rank asked for.
        rank: u8,
    },
}

impl Error {
    /// A stable, machine-readable code for this error, in snake_case
    /// (`"replay"`, `"presentation_expired"`, `"bad_device_signature"`…),
    /// for logs, JSON output and vendors' own error tables. Codes are never
    /// renamed; new variants get new codes.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::BadSignature => "bad_signature",
            Error::InvalidPublicKey(_) => "invalid_public_key",
            Error::InvalidSignatureEncoding(_) => "invalid_signature_encoding",
            Error::SignatureBackendFailed => "signature_backend_failed",
            Error::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Error::TooLarge { .. } => "too_large",
            Error::UnknownCriticalHeader => "unknown_critical_header",
            Error::Malformed(_) => "malformed",
            Error::UnsupportedVersion { .. } => "unsupported_version",
            Error::UnprotectedHeader => "unprotected_header",
            Error::UnexpectedHeader => "unexpected_header",
            Error::UnknownIssuerKey { .. } => "unknown_issuer_key",
            Error::IssuerKeyNotValidAtIssue { .. } => "issuer_key_not_valid_at_issue",
            Error::WrongKeyUsage { .. } => "wrong_key_usage",
            Error::BadIssuerSignature { .. } => "bad_issuer_signature",
            Error::TrustList(e) => match e {
                TrustListError::Malformed => "trust_list_malformed",
                TrustListError::TooLarge => "trust_list_too_large",
                TrustListError::UnsupportedVersion => "trust_list_unsupported_version",
                TrustListError::BadRootSignature => "trust_list_bad_root_signature",
                TrustListError::Expired { .. } => "trust_list_expired",
                TrustListError::NotYetValid { .. } => "trust_list_not_yet_valid",
                TrustListError::StaleSequence { .. } => "trust_list_stale_sequence",
                TrustListError::KidMismatch => "trust_list_kid_mismatch",
                TrustListError::DuplicateKid => "trust_list_duplicate_kid",
                TrustListError::BadKey(_) => "trust_list_bad_key",
                TrustListError::BadCertificate => "trust_list_bad_certificate",
            },
            Error::CredentialExpired { .. } => "credential_expired",
            Error::CredentialNotYetValid { .. } => "credential_not_yet_valid",
            Error::BadDeviceSignature => "bad_device_signature",
            Error::PresentationExpired { .. } => "presentation_expired",
            Error::PresentationFromFuture { .. } => "presentation_from_future",
            Error::PresentationLifetime { .. } => "presentation_lifetime",
            Error::Replay => "replay",
            Error::ReplayCacheFull => "replay_cache_full",
            Error::ReplayCacheUnavailable => "replay_cache_unavailable",
            Error::ChannelMismatch => "channel_mismatch",
            Error::ChallengeMismatch => "challenge_mismatch",
            Error::DelegationExpired { .. } => "delegation_expired",
            Error::DelegationNotYetValid { .. } => "delegation_not_yet_valid",
            Error::DelegationMismatch => "delegation_mismatch",
            Error::DelegationOutOfScope { .. } => "delegation_out_of_scope",
            Error::Context(e) => e.kind(),
            Error::NoSuchBeneficiary { .. } => "no_such_beneficiary",
        }
    }
}

/// The times of a refusal for time (an expiry, or a validity not begun
/// yet), for programs: the message holds them for people. No personal
/// data: these are the validity bounds of a credential, presentation,
/// delegation or trust list, and the verification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimeRefusal {
    /// The verification time (the clock the verifier read).
    pub now: Timestamp,
    /// For "not valid yet": the start of validity, after `now`.
    pub not_before: Option<Timestamp>,
    /// For "expired": the end of validity, at or before `now`.
    pub expired_at: Option<Timestamp>,
}

impl Error {
    /// The times involved when this is a refusal for time
    /// (`*_expired`, `*_not_yet_valid`, `presentation_from_future`).
    ///
    /// ```
    /// use vitale_verify::Error;
    /// use vitale_model::Timestamp;
    /// # fn main() -> Result<(), &'static str> {
    /// let now = Timestamp::from_unix(1_800_000_000).ok_or("time")?;
    /// let not_before = now.checked_add_secs(3600).ok_or("time")?;
    /// let e = Error::CredentialNotYetValid { not_before, now };
    /// assert_eq!(e.kind(), "credential_not_yet_valid");
    /// let times = e.time_refusal().ok_or("a refusal for time")?;
    /// assert_eq!(times.not_before, Some(not_before));
    /// assert!(e.to_string().contains(&not_before.to_rfc3339()));
    /// # Ok(()) }
    /// ```
    pub fn time_refusal(&self) -> Option<TimeRefusal> {
        let (now, not_before, expired_at) = match *self {
            Error::CredentialExpired { expired_at, now }
            | Error::PresentationExpired { expired_at, now }
            | Error::DelegationExpired { expired_at, now }
            | Error::TrustList(TrustListError::Expired { expired_at, now }) => {
                (now, None, Some(expired_at))
            }
            Error::CredentialNotYetValid { not_before, now }
            | Error::DelegationNotYetValid { not_before, now }
            | Error::TrustList(TrustListError::NotYetValid { not_before, now })
            | Error::PresentationFromFuture {
                issued_at: not_before,
                now,
            } => (now, Some(not_before), None),
            _ => return None,
        };
        Some(TimeRefusal {
            now,
            not_before,
            expired_at,
        })
    }
}

impl From<vitale_codec::Error> for Error {
    /// Codec errors become [`Error::Malformed`], except those a vendor must
    /// tell apart, wherever they occur — in the presentation or in the
    /// credential or delegation it embeds
    /// ([`vitale_codec::Error::innermost`]): an unsupported or missing
    /// algorithm, an unknown critical header, a header the profile does not
    /// allow, a non-empty unprotected header, an input above its size limit
    /// ([`Error::TooLarge`]), an unsupported version, and a presentation
    /// living longer than the format allows
    /// ([`Error::PresentationLifetime`]).
    fn from(e: vitale_codec::Error) -> Self {
        classify(e.innermost()).unwrap_or(Error::Malformed(e))
    }
}

/// The [`Error`] of a codec failure that has its own kind, if it has one.
fn classify(e: &vitale_codec::Error) -> Option<Error> {
    use vitale_codec::Error as Codec;
    use vitale_codec::base45::Base45Error;
    use vitale_codec::cbor::CborError;
    use vitale_codec::cose::CoseError;
    use vitale_codec::{ModelError, TextError};
    Some(match e {
        Codec::Cose(CoseError::UnsupportedAlgorithm(label)) => {
            Error::UnsupportedAlgorithm(match label.parse::<i64>() {
                Ok(id) => AlgorithmLabel::Cose(id),
                Err(_) => AlgorithmLabel::Text,
            })
        }
        Codec::Cose(CoseError::MissingAlgorithm) => {
            Error::UnsupportedAlgorithm(AlgorithmLabel::Absent)
        }
        Codec::Cose(CoseError::UnknownCriticalHeader(_)) => Error::UnknownCriticalHeader,
        Codec::Cose(CoseError::UnexpectedHeader(_)) => Error::UnexpectedHeader,
        Codec::Cose(CoseError::UnprotectedHeader) => Error::UnprotectedHeader,
        Codec::Cbor(CborError::TooLarge { size, limit })
        | Codec::Cose(CoseError::Cbor(CborError::TooLarge { size, limit })) => Error::TooLarge {
            size: *size,
            limit: *limit,
        },
        Codec::Text(
            TextError::TextTooLong { len, max }
            | TextError::PresentationTooLarge { len, max }
            | TextError::Base45(Base45Error::TooLong { len, max }),
        ) => Error::TooLarge {
            size: *len,
            limit: *max,
        },
        Codec::Model(ModelError::UnsupportedVersion(version)) => {
            Error::UnsupportedVersion { version: *version }
        }
        Codec::Model(ModelError::PresentationLifetime { secs }) => {
            Error::PresentationLifetime { secs: *secs }
        }
        _ => return None,
    })
}

/// What an issuer key may sign (*usage*), as listed in the trust list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum KeyUsage {
    /// Credentials issued to phones.
    Credential,
    /// Delegations from one phone to another.
    Delegation,
    /// Receipts (care sheet acknowledgements).
    Receipt,
}

impl KeyUsage {
    /// The code used in trust lists: 1, 2, 3.
    pub fn code(self) -> u8 {
        match self {
            KeyUsage::Credential => 1,
            KeyUsage::Delegation => 2,
            KeyUsage::Receipt => 3,
        }
    }

    /// From a trust-list code.
    pub fn from_code(code: u64) -> Option<Self> {
        match code {
            1 => Some(KeyUsage::Credential),
            2 => Some(KeyUsage::Delegation),
            3 => Some(KeyUsage::Receipt),
            _ => None,
        }
    }

    /// The name used in the JSON form: `credential`, `delegation`, `receipt`.
    pub fn name(self) -> &'static str {
        match self {
            KeyUsage::Credential => "credential",
            KeyUsage::Delegation => "delegation",
            KeyUsage::Receipt => "receipt",
        }
    }
}

impl fmt::Display for KeyUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a trust list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustListError {
    /// Not a well-formed trust list (CBOR, COSE, JSON or JWS structure).
    #[error("malformed trust list")]
    Malformed,
    /// Larger than the limit for trust lists.
    #[error("trust list too large")]
    TooLarge,
    /// A version this crate does not read.
    #[error("unsupported trust list version")]
    UnsupportedVersion,
    /// Not signed by the pinned root key (kid or signature).
    #[error("trust list not signed by the pinned root key")]
    BadRootSignature,
    /// The list's own validity has ended.
    #[error("trust list expired at {expired_at} (verification time {now})")]
    Expired {
        /// The end of the list's validity.
        expired_at: Timestamp,
        /// The verification time.
        now: Timestamp,
    },
    /// The list's own validity has not begun: it was signed after the
    /// verification time (often the workstation's clock is behind).
    #[error(
        "trust list not valid before {not_before} (verification time {now}: is the workstation's clock behind?)"
    )]
    NotYetValid {
        /// When the root signed the list (the start of its validity).
        not_before: Timestamp,
        /// The verification time.
        now: Timestamp,
    },
    /// An update whose sequence number is not greater than the current one.
    #[error("trust list sequence {offered} is not newer than {current}")]
    StaleSequence {
        /// The sequence number offered.
        offered: u64,
        /// The sequence number in force.
        current: u64,
    },
    /// An entry's kid does not match its key (kid = first 8 bytes of
    /// SHA-256 of the SubjectPublicKeyInfo DER).
    #[error("trust list entry kid does not match its key")]
    KidMismatch,
    /// Two entries with the same kid.
    #[error("duplicate kid in trust list")]
    DuplicateKid,
    /// An entry's key or certificate is unusable.
    #[error("unusable key in trust list: {0}")]
    BadKey(KeyError),
    /// An entry's X.509 certificate could not be parsed.
    #[error("unparsable certificate in trust list")]
    BadCertificate,
}

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
