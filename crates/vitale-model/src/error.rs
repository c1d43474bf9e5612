//! The crate's error type.

/// Why a value cannot be a model value. No variant carries the value
/// itself, so errors never leak personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field's value is out of its domain (`what` names the field and the
    /// rule, never the value).
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// Not between 1 and [`crate::Beneficiaries::MAX`] beneficiaries.
    #[error("{0} beneficiaries (1 to 16 allowed)")]
    BeneficiaryCount(usize),
    /// Two beneficiaries with the same rank.
    #[error("rank {0} appears twice")]
    DuplicateRank(u8),
    /// A window or range that ends before it starts.
    #[error("{0}: ends before it starts")]
    TimeWindow(&'static str),
    /// An identity value (NIR, INS, birth date, sex, birthplace) is invalid.
    #[error(transparent)]
    Identity(#[from] vitale_ins::Error),
}
