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
    /// A sheet of another professional (another billing number) offered
    /// to a lot.
    #[error("the sheet is another professional's")]
    LotOtherProfessional,
    /// A lot already holds [`crate::lot::Lot::MAX_SHEETS`] sheets.
    #[error("the lot is full")]
    LotFull,
    /// A sheet whose invoice number is already in the lot.
    #[error("invoice number already in the lot")]
    LotDuplicateInvoice,
    /// A sheet whose invoice number is below the lot's last one.
    #[error("sheets out of invoice-number order")]
    LotOutOfOrder,
    /// A lot without sheets.
    #[error("empty lot")]
    LotEmpty,
    /// A sheet whose date of care is outside years 0000 to 9999.
    #[error("date of care out of range")]
    LotDateOutOfRange,
    /// A lot's encoding is refused (size, CBOR, shape, or a value out of
    /// its domain); names what is wrong.
    #[error("invalid lot encoding: {0}")]
    LotMalformed(&'static str),
    /// The sheets given with a lot's encoding are not the ones it lists,
    /// or do not add up to its summary.
    #[error("the sheets do not match the lot")]
    LotSheetMismatch,
    /// The lot number store failed.
    #[error("lot numbering: {0}")]
    LotNumbering(#[source] crate::lot::LotNumberingError),
    /// A receipt signed with a key that is not in the trust list.
    #[error("receipt signed by an unknown key")]
    ReceiptUnknownKey,
    /// A receipt signed with a key the trust list does not allow for
    /// receipts.
    #[error("receipt key not allowed to sign receipts")]
    ReceiptWrongKeyUsage,
    /// A receipt signed outside its key's validity.
    #[error("receipt key not valid when the receipt was signed")]
    ReceiptKeyNotValid,
    /// The trust list given to check a receipt is no longer valid.
    #[error("trust list expired")]
    ReceiptTrustListExpired,
    /// A receipt's signature does not verify.
    #[error("receipt signature invalid")]
    ReceiptBadSignature,
    /// A receipt past the last day it is shown.
    #[error("receipt expired")]
    ReceiptExpired,
    /// A receipt's encoding is refused (size, COSE, CBOR, shape, or a value
    /// out of its domain); names what is wrong.
    #[error("invalid receipt: {0}")]
    ReceiptMalformed(&'static str),
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
            Error::LotOtherProfessional => "fse_lot_other_professional",
            Error::LotFull => "fse_lot_full",
            Error::LotDuplicateInvoice => "fse_lot_duplicate_invoice",
            Error::LotOutOfOrder => "fse_lot_out_of_order",
            Error::LotEmpty => "fse_lot_empty",
            Error::LotDateOutOfRange => "fse_lot_date_out_of_range",
            Error::LotMalformed(_) => "fse_lot_malformed",
            Error::LotSheetMismatch => "fse_lot_sheet_mismatch",
            Error::LotNumbering(e) => e.kind(),
            Error::ReceiptUnknownKey => "fse_receipt_unknown_key",
            Error::ReceiptWrongKeyUsage => "fse_receipt_wrong_key_usage",
            Error::ReceiptKeyNotValid => "fse_receipt_key_not_valid",
            Error::ReceiptTrustListExpired => "fse_receipt_trust_list_expired",
            Error::ReceiptBadSignature => "fse_receipt_bad_signature",
            Error::ReceiptExpired => "fse_receipt_expired",
            Error::ReceiptMalformed(_) => "fse_receipt_malformed",
        }
    }
}
