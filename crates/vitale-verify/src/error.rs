//! The crate's single error type and its sub-kinds.
//!
//! Every failure is a value of [`Error`]; the variants carry small
//! sub-kinds that say *why*, never personal data. New variants (trust list,
//! time policy, replay…) are added beside these: the enum is
//! `#[non_exhaustive]`, so adding one is not a breaking change.
//!
//! The parts: [`Error`] and its `kind()` here; the times of a refusal for
//! time in `time`; the codec errors' mapping in `codec`; the trust list's
//! sub-kinds (key usage, refusal) in `trust`; the key, signature-encoding
//! and algorithm sub-kinds in `encoding`.

mod codec;
mod encoding;
mod time;
mod trust;

pub use encoding::{AlgorithmLabel, KeyError, SignatureEncodingError};
pub use time::TimeRefusal;
pub use trust::{KeyUsage, TrustListError};

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
