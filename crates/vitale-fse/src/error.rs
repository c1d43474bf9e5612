//! The crate's error type.

/// Why a care sheet, an act or a tariff table is refused. No variant
/// carries personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An act's text is not an NGAP or CCAM act (see [`crate::act`]).
    #[error("invalid act")]
    InvalidAct,
    /// A tariff file is refused; `line` is 1-based (0 for the whole file).
    #[error("tariff table, line {line}: {problem}")]
    Tariff {
        /// The line (0: the whole file).
        line: usize,
        /// What is wrong.
        problem: &'static str,
    },
}

impl Error {
    /// The stable snake_case kind of this failure.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidAct => "fse_invalid_act",
            Error::Tariff { .. } => "fse_tariff_invalid",
        }
    }
}
