//! The `open` profile data model (normative CDDL in `docs/format.md`).
//!
//! Three signed structures travel from the phone to the workstation:
//!
//! * the [`Credential`], signed by the insurer's issuer key and refreshed
//!   online by the phone app: device key, insured person (*ouvrant droit*),
//!   beneficiaries (*ayants droit*);
//! * the [`Presentation`], signed by the phone's device key for each QR
//!   display or NFC tap: the credential, a nonce, a short time window, the
//!   channel, optionally a [`Delegation`];
//! * the [`Delegation`], signed by the issuer: a delegate (another phone)
//!   may present some beneficiaries of a credential for a while.
//!
//! Every type here holds only valid values; decoding refuses unknown keys,
//! wrong types and out-of-range values with a [`ModelError`]. Decoding is
//! not verification: the `Signed*` types carry the envelopes whose
//! signatures `vitale-verify` checks.

mod amc;
mod beneficiary;
mod credential;
mod delegation;
mod device_key;
pub(crate) mod fields;
mod insured;
mod presentation;
mod signed;
mod values;

pub use credential::Credential;
pub use delegation::{DelegatedRanks, Delegation};
pub use device_key::DeviceKey;
pub use presentation::{Channel, ChannelBinding, Presentation, SignedPresentation};
pub use signed::{IssuerPayload, IssuerSigned, SignedCredential, SignedDelegation};
pub use values::{CredentialId, DelegationId, Nonce, ReaderChallenge};
// The domain types the wire structures hold, from `vitale-model` (where
// they live, apart from any wire format), named here too so that the
// wire structures' signatures read in one place.
pub use vitale_model::{
    AmcNumber, Beneficiaries, Beneficiary, BeneficiaryIns, BirthRank, ComplementaryCover,
    DateRange, GuaranteeCode, Insured, ManagementCode, Organisation, PersonName, QualityCode, Rank,
    Timestamp, ValidityWindow,
};

/// The only version of the data model this crate reads and writes.
pub const VERSION: u64 = 1;

/// Longest lifetime of a presentation (`expiry − issued-at`), in seconds.
pub const MAX_PRESENTATION_LIFETIME_SECS: u64 = 180;

/// Why well-formed CBOR does not match the data model.
///
/// `structure` names the map (`"credential"`, `"beneficiary"`…) and `key`
/// the field's integer key as registered in `docs/format.md`. No variant
/// carries a field's value, so errors never leak personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The `version` field names a version this crate does not know.
    #[error("unsupported data model version {0}")]
    UnsupportedVersion(u64),
    /// A required field is absent.
    #[error("{structure}: missing field {key}")]
    MissingField {
        /// The structure.
        structure: &'static str,
        /// The missing key.
        key: i64,
    },
    /// A key that the data model does not define (`None`: not an integer).
    #[error("{structure}: unknown field {key:?}")]
    UnknownField {
        /// The structure.
        structure: &'static str,
        /// The unknown key, when it is an integer.
        key: Option<i64>,
    },
    /// A field (or the structure itself, `key: None`) of the wrong CBOR type.
    #[error("{structure}: field {key:?} is not a {expected}")]
    WrongType {
        /// The structure.
        structure: &'static str,
        /// The field, or `None` for the structure itself.
        key: Option<i64>,
        /// The CBOR type expected.
        expected: &'static str,
    },
    /// A field of the right type whose value is not acceptable.
    #[error("{structure}: field {key}: {reason}")]
    InvalidField {
        /// The structure.
        structure: &'static str,
        /// The field.
        key: i64,
        /// What is wrong, without the value.
        reason: &'static str,
    },
    /// An identity field (NIR, INS, sex, birth date, birthplace) is invalid.
    #[error("{structure}: field {key}: {source}")]
    Identity {
        /// The structure.
        structure: &'static str,
        /// The field.
        key: i64,
        /// The identity crate's error (it never carries the value).
        source: vitale_ins::Error,
    },
    /// A validity window that does not end after it starts (or, for a
    /// credential or delegation, that ends before its issue date).
    #[error("{0}: invalid time window")]
    TimeWindow(&'static str),
    /// A presentation living longer than [`MAX_PRESENTATION_LIFETIME_SECS`]
    /// (`expiry − issued-at`, in seconds).
    #[error("presentation lifetime of {secs} s exceeds {max} s", max = MAX_PRESENTATION_LIFETIME_SECS)]
    PresentationLifetime {
        /// `expiry − issued-at`, in seconds.
        secs: u64,
    },
    /// Not between 1 and 16 beneficiaries.
    #[error("{0} beneficiaries (1 to 16 allowed)")]
    BeneficiaryCount(usize),
    /// Two beneficiaries (or two delegated ranks) with the same rank.
    #[error("rank {0} appears twice")]
    DuplicateRank(u8),
    /// A domain value refused by `vitale-model` for another reason.
    #[error(transparent)]
    Domain(vitale_model::Error),
    /// An embedded envelope (credential, delegation) is invalid.
    #[error("embedded {structure}: {source}")]
    Embedded {
        /// Which embedded structure.
        structure: &'static str,
        /// What is wrong with it.
        source: Box<crate::Error>,
    },
}

impl From<vitale_model::Error> for ModelError {
    fn from(e: vitale_model::Error) -> Self {
        match e {
            vitale_model::Error::BeneficiaryCount(n) => ModelError::BeneficiaryCount(n),
            vitale_model::Error::DuplicateRank(r) => ModelError::DuplicateRank(r),
            other => ModelError::Domain(other),
        }
    }
}

#[cfg(test)]
mod tests;
