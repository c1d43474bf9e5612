//! The crate's error type.

/// Why a care sheet, an act or a tariff table is refused. No variant
/// carries personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An act's text is not an NGAP or CCAM act (see [`crate::act`]).
    #[error("invalid act")]
    InvalidAct,
    /// No tariff row prices this act in this zone and grid on the date of
    /// care (unknown act, or a date before the table's first attested day).
    #[error("act unknown on the date of care")]
    ActUnknownOnDate,
    /// No row gives a deduction's amount (participation forfaitaire,
    /// franchise) on the date of care.
    #[error("deduction rule unknown on the date of care")]
    RuleUnknownOnDate,
    /// A CCAM modifier the table does not price.
    #[error("modifier not allowed")]
    ModifierNotAllowed,
    /// An extra fee where none is allowed (sector 1, C2S or AME patient).
    #[error("extra fee not allowed")]
    ExtraFeeNotAllowed,
    /// AMO rights closed on the date of care (*droits fermés*).
    #[error("rights closed on the date of care")]
    RightsClosed,
    /// An amount above the largest amount the SDK handles.
    #[error("amount too large")]
    AmountTooLarge,
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
            Error::ActUnknownOnDate => "fse_act_unknown_on_date",
            Error::RuleUnknownOnDate => "fse_rule_unknown_on_date",
            Error::ModifierNotAllowed => "fse_modifier_not_allowed",
            Error::ExtraFeeNotAllowed => "fse_extra_fee_not_allowed",
            Error::RightsClosed => "fse_rights_closed",
            Error::AmountTooLarge => "fse_amount_too_large",
            Error::Tariff { .. } => "fse_tariff_invalid",
        }
    }
}
