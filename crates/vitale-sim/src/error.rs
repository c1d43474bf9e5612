//! The crate's error type.

use vitale::codec::model::Timestamp;

/// Every way the simulator can fail.
///
/// Most variants wrap an error of the SDK crate that refused what the
/// simulator asked for (a presentation living longer than 180 s, an NFC
/// challenge of the wrong length…). The others are mistakes of the caller
/// (an issuer key index that does not exist, a phone without a credential)
/// or invariants of the sample data that should never fail; they are errors
/// rather than panics so that a test sees what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A household has 1 to 16 beneficiaries.
    #[error("a household has 1 to 16 beneficiaries, not {0}")]
    HouseholdSize(usize),
    /// No valid P-256 scalar was found for a label after many counters
    /// (probability about 2^-32 per try: never seen in practice).
    #[error("no valid P-256 key derived for a label")]
    KeyDerivation,
    /// The issuer has no key at this index.
    #[error("the issuer has no key at index {0}")]
    UnknownIssuerKey(usize),
    /// The phone has no credential installed yet.
    #[error("the phone has no credential")]
    NoCredential,
    /// The credential or delegation being installed names another device key.
    #[error("the {0} names another device key than this phone's")]
    DeviceKeyMismatch(&'static str),
    /// A time computation left the range of [`Timestamp`].
    #[error("a time is outside the timestamp range")]
    TimeOutOfRange,
    /// Sample data could not be built (an internal invariant, reported with
    /// the item concerned, never with personal data).
    #[error("sample data: invalid {0}")]
    Sample(&'static str),
    /// The signer produced a signature of an unexpected size.
    #[error("signature of unexpected size")]
    SignatureSize,
    /// The signer failed (the simulator's software keys never do; the
    /// SDK's `SignerError` is not kept, as it holds a backend's error that
    /// cannot be cloned or compared).
    #[error("signing failed")]
    Signing,
    /// The codec refused a value or an encoding.
    #[error("codec: {0}")]
    Codec(#[from] vitale::codec::Error),
    /// An identity value (NIR, birth date, COG code…) was refused.
    #[error("identity: {0}")]
    Ins(#[from] vitale::ins::Error),
    /// The online server could not be set up (certificates, TLS): what
    /// failed.
    #[cfg(feature = "online")]
    #[error("online server: {0}")]
    Online(&'static str),
    /// The online server's socket failed: what was being done, and the
    /// I/O error's kind.
    #[cfg(feature = "online")]
    #[error("online server: {what}: {kind}")]
    OnlineIo {
        /// What was being done.
        what: &'static str,
        /// The I/O error's kind.
        kind: std::io::ErrorKind,
    },
    /// A key could not be converted for the verifier.
    #[error("verify: {0}")]
    Verify(#[from] vitale::verify::Error),
}

impl From<vitale::codec::ModelError> for Error {
    fn from(e: vitale::codec::ModelError) -> Self {
        Error::Codec(e.into())
    }
}

/// `at + secs`, or [`Error::TimeOutOfRange`].
pub(crate) fn add_secs(at: Timestamp, secs: u64) -> Result<Timestamp, Error> {
    at.checked_add_secs(secs).ok_or(Error::TimeOutOfRange)
}

/// `at - secs`, or [`Error::TimeOutOfRange`].
pub(crate) fn sub_secs(at: Timestamp, secs: u64) -> Result<Timestamp, Error> {
    at.unix()
        .checked_sub(secs)
        .and_then(Timestamp::from_unix)
        .ok_or(Error::TimeOutOfRange)
}
