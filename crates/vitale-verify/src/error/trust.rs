//! The trust list's sub-kinds: what an issuer key may sign, and why a
//! trust list was refused.

use core::fmt;

use vitale_model::Timestamp;

use super::KeyError;

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
