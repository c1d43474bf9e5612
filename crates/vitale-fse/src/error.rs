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
    /// A visit with no act.
    #[error("no act to bill")]
    NoActs,
    /// More acts than a sheet holds ([`crate::sheet::MAX_LINES`]).
    #[error("too many acts on one sheet")]
    TooManyActs,
    /// No beneficiary of that rank on the card.
    #[error("no beneficiary of that rank on the card")]
    BeneficiaryNotOnCard,
    /// The rights answer is about someone else than the card's
    /// beneficiary (insured NIR, birth date or birth rank differ).
    #[error("the rights are not the beneficiary's")]
    RightsForAnotherPatient,
    /// The card's provenance is of a kind this version does not know.
    #[error("unknown card provenance")]
    UnknownProvenance,
    /// A line's or the sheet's amounts do not add up (a decoded sheet that
    /// no builder made).
    #[error("amounts do not add up")]
    InconsistentAmounts,
    /// The invoice number store failed.
    #[error("invoice numbering: {0}")]
    Numbering(#[source] crate::numbering::NumberingError),
    /// A sheet's encoding is refused (size, CBOR, shape, or a value out of
    /// its domain).
    #[error("invalid care sheet encoding: {0}")]
    Encoding(&'static str),
    /// The signer or the context service failed (its error kind or
    /// message; never personal data).
    #[error("signing failed: {0}")]
    Signing(String),
    /// A signed sheet's signature does not verify.
    #[error("care sheet signature invalid")]
    SignatureInvalid,
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
            Error::NoActs => "fse_no_acts",
            Error::TooManyActs => "fse_too_many_acts",
            Error::BeneficiaryNotOnCard => "fse_beneficiary_not_on_card",
            Error::RightsForAnotherPatient => "fse_rights_for_another_patient",
            Error::UnknownProvenance => "fse_unknown_provenance",
            Error::InconsistentAmounts => "fse_inconsistent_amounts",
            Error::Numbering(e) => e.kind(),
            Error::Encoding(_) => "fse_encoding_invalid",
            Error::Signing(_) => "fse_signing_failed",
            Error::SignatureInvalid => "fse_signature_invalid",
            Error::Tariff { .. } => "fse_tariff_invalid",
        }
    }
}
