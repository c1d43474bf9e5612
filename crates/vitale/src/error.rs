//! The facade's one error type and the table of stable error kinds that
//! every surface reports: the Rust API ([`Error::kind`]), the CLI's
//! `--json` output and the C ABI.

use vitale_codec::TokenTextError;

/// Everything that can go wrong between a reader and a verified card.
///
/// [`Error::kind`] gives a stable snake_case code from [`KINDS`]: codes are
/// never renamed, new failures get new codes. No variant carries personal
/// data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The presentation, token or trust list was read but refused
    /// (expired, replayed, unknown issuer, context refused…): see
    /// [`vitale_verify::Error`].
    #[error(transparent)]
    Verify(#[from] vitale_verify::Error),
    /// The reader failed (unreadable image, scanner, serial port, NFC).
    #[error(transparent)]
    Reader(#[from] vitale_reader::Error),
    /// An identity value (NIR, INS, birth date…) is invalid.
    #[error(transparent)]
    Identity(#[from] vitale_ins::Error),
    /// A file could not be read.
    #[error("{context}")]
    Io {
        /// What was being read (a path, never personal data).
        context: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The input is empty: an empty text or scanner line, an empty image
    /// file, an empty trust list (a file saved before it was written, a
    /// script's empty variable).
    #[error("empty {what}")]
    EmptyInput {
        /// What was empty: `"presentation text"`, `"image"`,
        /// `"trust list"`.
        what: &'static str,
    },
    /// No QR code in the image or frame.
    #[error("no QR code found")]
    NoCode,
    /// A code or scanner line that is neither a `VT1:`/`VT1B:` presentation
    /// nor a token, even after trying the keyboard-layout repairs (another
    /// kind of QR code, or a garbled scan).
    #[error("not a vitale presentation")]
    NotAPresentation,
    /// The rights service failed or refused: see
    /// [`vitale_adri::RightsError`].
    #[error(transparent)]
    Rights(#[from] vitale_adri::RightsError),
    /// A rights value (query, answer, JSON) is invalid: see
    /// [`vitale_adri::Error`].
    #[error(transparent)]
    RightsValue(#[from] vitale_adri::Error),
    /// A care sheet could not be built, numbered, encoded or signed: see
    /// [`vitale_fse::Error`].
    #[error(transparent)]
    Fse(#[from] vitale_fse::Error),
    /// A store (replay cache, invoice numbers) could not be opened: see
    /// [`vitale_store::Error`] (features `sqlite`, `postgres`).
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    #[error(transparent)]
    Store(#[from] vitale_store::Error),
    /// A token (`token` profile) was read but the terminal has no token
    /// verifier configured.
    #[error("token read but no token verifier is configured")]
    NoTokenVerifier,
    /// The trust-list service cannot be reached or failed: the list in
    /// force stays (see [`crate::trust::refresh`]).
    #[cfg(feature = "online")]
    #[error("trust-list service unavailable")]
    TrustListUnavailable(#[source] vitale_http::HttpError),
    /// Billing was asked to sign a care sheet for a card whose profile needs
    /// a signer it was not given: a software key for a card read offline
    /// (`open` profile), the context service for a card read online
    /// (`token` profile). See [`crate::billing::Billing`].
    #[error("no care-sheet signer for a card of the {profile} profile")]
    NoSheetSigner {
        /// `"open"` or `"token"`.
        profile: &'static str,
    },
}

impl Error {
    /// An I/O error with what was being read.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The stable snake_case kind of this error, one of [`KINDS`].
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Verify(e) => e.kind(),
            Error::Reader(e) => reader_kind(e),
            Error::Identity(e) => identity_kind(e),
            Error::Io { .. } => "io",
            Error::EmptyInput { .. } => "empty_input",
            Error::NoCode => "no_code",
            Error::NotAPresentation => "not_a_presentation",
            Error::NoTokenVerifier => "no_token_verifier",
            Error::NoSheetSigner { .. } => "no_sheet_signer",
            #[cfg(feature = "online")]
            Error::TrustListUnavailable(_) => "trust_list_unavailable",
            Error::Rights(e) => e.kind(),
            Error::RightsValue(e) => e.kind(),
            Error::Fse(e) => e.kind(),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Error::Store(e) => e.kind(),
        }
    }
}

impl Error {
    /// The times involved when this is a refusal for time — an expiry, or
    /// a validity not begun yet (the workstation's clock behind): the
    /// verification time and the bound crossed. The message has them too.
    pub fn time_refusal(&self) -> Option<vitale_verify::TimeRefusal> {
        match self {
            Error::Verify(e) => e.time_refusal(),
            _ => None,
        }
    }
}

impl From<TokenTextError> for Error {
    fn from(_: TokenTextError) -> Self {
        Error::NotAPresentation
    }
}

/// The kind of a reader error.
pub fn reader_kind(e: &vitale_reader::Error) -> &'static str {
    use vitale_reader::qr::QrError;
    match e {
        vitale_reader::Error::Qr(q) => match q {
            QrError::Io(_) => "io",
            QrError::UnsupportedFormat => "unsupported_image_format",
            QrError::CorruptImage(_) => "corrupt_image",
            QrError::TooLarge { .. } => "image_too_large",
            QrError::BadFrame(_) => "bad_frame",
            QrError::CodeUnreadable { .. } => "code_unreadable",
            QrError::DecoderPanicked { .. } => "decoder_panicked",
            QrError::Decoder { .. } => "decoder_error",
            _ => "reader_error",
        },
        vitale_reader::Error::Wedge(w) => match w {
            vitale_reader::wedge::WedgeError::LineTooLong { .. } => "scanner_line_too_long",
            vitale_reader::wedge::WedgeError::Io(_) => "io",
            _ => "reader_error",
        },
        #[cfg(feature = "serial")]
        vitale_reader::Error::Serial(s) => {
            use vitale_reader::serial::SerialError;
            match s {
                SerialError::PortNotFound(_) => "serial_port_not_found",
                SerialError::PermissionDenied(_) => "serial_permission_denied",
                SerialError::Disconnected => "serial_disconnected",
                SerialError::Timeout => "serial_timeout",
                SerialError::LineTooLong { .. } => "scanner_line_too_long",
                SerialError::Io(_) => "io",
                _ => "reader_error",
            }
        }
        #[cfg(feature = "pcsc")]
        vitale_reader::Error::Nfc(n) => nfc_kind(n),
        _ => "reader_error",
    }
}

/// The kind of an NFC error: `nfc_` and the driver's own kind.
#[cfg(feature = "pcsc")]
pub fn nfc_kind(e: &vitale_reader::nfc::NfcError) -> &'static str {
    match e.kind() {
        "no_service" => "nfc_no_service",
        "no_reader" => "nfc_no_reader",
        "reader_not_found" => "nfc_reader_not_found",
        "timeout" => "nfc_timeout",
        "cancelled" => "nfc_cancelled",
        "card_removed" => "nfc_card_removed",
        "declined" => "nfc_declined",
        "no_app" => "nfc_no_app",
        "app_still_locked" => "nfc_app_still_locked",
        "protocol" => "nfc_protocol",
        "random" => "nfc_random",
        "transport" => "nfc_transport",
        "pcsc" => "nfc_pcsc",
        _ => "nfc_error",
    }
}

/// The kind of an identity error.
pub fn identity_kind(e: &vitale_ins::Error) -> &'static str {
    use vitale_ins::Error as E;
    match e {
        E::NirLength { .. } => "nir_length",
        E::NirCharacter { .. } => "nir_character",
        E::NirField { .. } => "nir_field",
        E::NirKeyMismatch => "nir_key_mismatch",
        E::UnknownOid => "unknown_oid",
        E::SexCode => "sex_code",
        E::BirthDateFormat => "birth_date_format",
        E::BirthDateYear => "birth_date_year",
        E::CogCode => "cog_code",
        E::NameEmpty => "name_empty",
        E::NameTooLong { .. } => "name_too_long",
        E::NameControl => "name_control",
        E::NameNotNormalized => "name_not_normalized",
        E::IdentityNotQualified { .. } => "identity_not_qualified",
        E::InsStatusMismatch { .. } => "ins_status_mismatch",
        E::DatamatrixTooLong { .. } => "datamatrix_too_long",
        E::DatamatrixCharacter { .. } => "datamatrix_character",
        E::DatamatrixHeader { .. } => "datamatrix_header",
        E::DatamatrixUnexpectedTag { .. } => "datamatrix_unexpected_tag",
        E::DatamatrixUnknownTag { .. } => "datamatrix_unknown_tag",
        E::DatamatrixDuplicateField { .. } => "datamatrix_duplicate_field",
        E::DatamatrixMissingField { .. } => "datamatrix_missing_field",
        E::DatamatrixIndeterminateSex => "datamatrix_indeterminate_sex",
        E::DatamatrixFieldLength { .. } => "datamatrix_field_length",
        E::DatamatrixFieldValue { .. } => "datamatrix_field_value",
        E::DatamatrixTrailing => "datamatrix_trailing",
        E::DatamatrixSignature { .. } => "datamatrix_signature",
        _ => "identity_error",
    }
}

/// Every error kind the SDK reports, with what it means. The CLI's
/// `docs/cli.md` lists them all (a test checks it); the C ABI maps each to
/// a status code.
pub const KINDS: &[(&str, &str)] = &[
    // Signatures and keys.
    ("bad_signature", "a signature does not verify"),
    (
        "invalid_public_key",
        "a public key is not a valid P-256 key",
    ),
    (
        "invalid_signature_encoding",
        "a signature is not a valid encoding",
    ),
    (
        "unsupported_algorithm",
        "an envelope uses an algorithm other than ES256",
    ),
    (
        "signature_backend_failed",
        "the signature backend itself failed (a device or service behind it)",
    ),
    // Decoding.
    ("too_large", "the input exceeds the size limit"),
    (
        "unknown_critical_header",
        "a COSE header marked critical is not understood",
    ),
    ("malformed", "not a well-formed presentation"),
    (
        "unsupported_version",
        "a data model version this SDK does not read",
    ),
    (
        "unprotected_header",
        "a COSE unprotected header that is not the empty map",
    ),
    (
        "unexpected_header",
        "a COSE protected header label the profile does not allow",
    ),
    // Issuer keys and the trust list.
    (
        "unknown_issuer_key",
        "no key of the trust list has the issuer's kid",
    ),
    (
        "issuer_key_not_valid_at_issue",
        "the issuer key was not valid when it signed",
    ),
    (
        "wrong_key_usage",
        "the issuer key may not sign this kind of document",
    ),
    (
        "bad_issuer_signature",
        "the issuer's signature is wrong (forgery)",
    ),
    ("trust_list_malformed", "the trust list is not well formed"),
    (
        "trust_list_too_large",
        "the trust list exceeds its size limit",
    ),
    (
        "trust_list_unsupported_version",
        "the trust list's version is unknown",
    ),
    (
        "trust_list_bad_root_signature",
        "the trust list is not signed by the pinned root",
    ),
    (
        "trust_list_expired",
        "the trust list is past its own validity",
    ),
    (
        "trust_list_not_yet_valid",
        "the trust list is not valid yet (the workstation's clock is behind)",
    ),
    (
        "trust_list_stale_sequence",
        "the trust list is not newer than the one in force",
    ),
    (
        "trust_list_kid_mismatch",
        "a trust-list entry's kid does not match its key",
    ),
    (
        "trust_list_duplicate_kid",
        "two trust-list entries share a kid",
    ),
    (
        "trust_list_bad_key",
        "a trust-list key is not a valid P-256 key",
    ),
    (
        "trust_list_bad_certificate",
        "a trust-list certificate cannot be read",
    ),
    // Credential, presentation, device binding.
    ("credential_expired", "the credential's validity has ended"),
    (
        "credential_not_yet_valid",
        "the credential is not valid yet",
    ),
    ("bad_device_signature", "the phone's signature is wrong"),
    (
        "presentation_expired",
        "the presentation has expired (beyond the clock skew)",
    ),
    (
        "presentation_from_future",
        "the presentation was made after now (beyond the clock skew)",
    ),
    (
        "presentation_lifetime",
        "the presentation lives longer than the policy allows",
    ),
    (
        "replay",
        "this presentation was already accepted (screenshot or recording)",
    ),
    (
        "replay_cache_full",
        "the replay cache is full and refuses new entries",
    ),
    (
        "replay_cache_unavailable",
        "the replay cache cannot be reached",
    ),
    (
        "channel_mismatch",
        "the presentation was made for another channel (QR vs NFC)",
    ),
    (
        "challenge_mismatch",
        "an NFC answer to another reader's challenge",
    ),
    // Delegation.
    ("delegation_expired", "the delegation's validity has ended"),
    (
        "delegation_not_yet_valid",
        "the delegation is not valid yet",
    ),
    (
        "delegation_mismatch",
        "the delegation names another credential",
    ),
    (
        "delegation_out_of_scope",
        "a rank not covered by the delegation",
    ),
    ("no_such_beneficiary", "no beneficiary of this rank"),
    // Token profile.
    ("token_refused", "the context service refused the token"),
    (
        "context_unknown",
        "no such context (closed or never opened)",
    ),
    ("context_expired", "the context's validity has ended"),
    (
        "context_unauthorised",
        "the context service refused the professional",
    ),
    (
        "context_invalid_answer",
        "the context service answered something unusable",
    ),
    (
        "context_unavailable",
        "the context service cannot be reached",
    ),
    (
        "no_token_verifier",
        "a token was read but no token verifier is configured",
    ),
    (
        "trust_list_unavailable",
        "the trust-list service cannot be reached or failed",
    ),
    (
        "no_sheet_signer",
        "billing has no care-sheet signer for the card's profile",
    ),
    // Rights (ADRi): `vitale_adri::RightsError::kind`.
    (
        "rights_invalid_value",
        "a rights value is out of its domain",
    ),
    (
        "rights_too_many_entries",
        "a rights answer holds too many entries",
    ),
    (
        "rights_period_reversed",
        "a rights period ends before it starts",
    ),
    (
        "rights_periods_overlap",
        "rights periods that must not overlap do",
    ),
    (
        "rights_json_too_large",
        "a rights JSON document is too large",
    ),
    (
        "rights_json_malformed",
        "a rights JSON document cannot be read",
    ),
    (
        "rights_identity_invalid",
        "an identity in a rights value is invalid",
    ),
    (
        "rights_model_invalid",
        "a card value in a rights value is invalid",
    ),
    (
        "patient_unknown",
        "the rights service does not know the beneficiary",
    ),
    (
        "rights_refused",
        "the rights service refused, with its own code",
    ),
    (
        "rights_unauthorised",
        "the rights service refused the professional",
    ),
    (
        "rights_invalid_answer",
        "the rights service answered something unusable",
    ),
    ("rights_unavailable", "the rights service cannot be reached"),
    // Care sheets (FSE-lite): `vitale_fse::Error::kind`.
    (
        "fse_invalid_act",
        "an act's text is not an NGAP or CCAM act",
    ),
    (
        "fse_act_unknown_on_date",
        "no tariff row prices the act in this zone and grid on the date of care",
    ),
    (
        "fse_rule_unknown_on_date",
        "no row gives the participation or franchise amount on the date of care",
    ),
    (
        "fse_modifier_not_allowed",
        "a CCAM modifier the tariff table does not price",
    ),
    (
        "fse_extra_fee_not_allowed",
        "an extra fee in sector 1 or for a C2S or AME patient",
    ),
    (
        "fse_rights_closed",
        "AMO rights closed on the date of care (droits fermés)",
    ),
    ("fse_amount_too_large", "an amount above 1 000 000 EUR"),
    ("fse_no_acts", "a visit with no act"),
    ("fse_too_many_acts", "more acts than a care sheet holds"),
    (
        "fse_beneficiary_not_on_card",
        "no beneficiary of that rank on the card",
    ),
    (
        "fse_rights_for_another_patient",
        "the rights answer is about another person than the card's beneficiary",
    ),
    (
        "fse_unknown_provenance",
        "the card's provenance is of an unknown kind",
    ),
    (
        "fse_inconsistent_amounts",
        "a care sheet's amounts do not add up",
    ),
    ("fse_encoding_invalid", "a care sheet's encoding is refused"),
    (
        "fse_signing_failed",
        "the signer or the context service failed to sign a care sheet",
    ),
    (
        "fse_signature_invalid",
        "a care sheet's signature does not verify",
    ),
    (
        "fse_tariff_invalid",
        "a tariff table is refused (line and reason in the message)",
    ),
    (
        "invoice_numbers_exhausted",
        "the professional has used every invoice number",
    ),
    (
        "invoice_numbers_corrupt",
        "the invoice number store holds values no correct store writes",
    ),
    (
        "invoice_numbers_unavailable",
        "the invoice number store cannot be reached or failed",
    ),
    (
        "fse_lot_other_professional",
        "a sheet of another professional offered to a lot",
    ),
    ("fse_lot_full", "a lot already holds 50 sheets"),
    (
        "fse_lot_duplicate_invoice",
        "an invoice number already in the lot",
    ),
    (
        "fse_lot_out_of_order",
        "sheets not in increasing invoice-number order",
    ),
    ("fse_lot_empty", "a lot with no sheet"),
    (
        "fse_lot_date_out_of_range",
        "a sheet's date of care outside the lot's range",
    ),
    ("fse_lot_malformed", "a lot's encoding is refused"),
    (
        "fse_lot_sheet_mismatch",
        "a sheet does not match the lot's digest of it",
    ),
    (
        "store_unavailable",
        "a store (replay cache, invoice numbers) cannot be opened: database unreachable or failing",
    ),
    (
        "store_schema_unknown",
        "a store's database holds a schema this SDK does not know",
    ),
    (
        "store_corrupt",
        "a store's database fails its integrity check",
    ),
    (
        "store_location_invalid",
        "a store location is not memory, sqlite:PATH or postgres:URL",
    ),
    (
        "lot_numbers_corrupt",
        "the lot number store holds values no correct store writes",
    ),
    (
        "lot_numbers_unavailable",
        "the lot number store cannot be reached or failed",
    ),
    (
        "fse_receipt_unknown_key",
        "a receipt's key is not in the trust list",
    ),
    (
        "fse_receipt_wrong_key_usage",
        "a receipt's key may not sign receipts",
    ),
    (
        "fse_receipt_key_not_valid",
        "a receipt's key was not valid when it signed",
    ),
    (
        "fse_receipt_trust_list_expired",
        "the trust list a receipt is checked against has expired",
    ),
    (
        "fse_receipt_bad_signature",
        "a receipt's signature does not verify",
    ),
    ("fse_receipt_expired", "a receipt is past its 7 days"),
    ("fse_receipt_malformed", "a receipt's encoding is refused"),
    // Readers.
    (
        "empty_input",
        "the input is empty (text, scanner line, image or trust list)",
    ),
    ("no_code", "no QR code in the image or frame"),
    (
        "not_a_presentation",
        "neither a VT1:/VT1B: presentation nor a token",
    ),
    ("io", "a file or device could not be read"),
    (
        "unsupported_image_format",
        "the image is not PNG, JPEG or WebP",
    ),
    ("corrupt_image", "the image cannot be decoded"),
    ("image_too_large", "the image's dimensions exceed the limit"),
    (
        "bad_frame",
        "a camera frame's dimensions or stride are inconsistent",
    ),
    (
        "code_unreadable",
        "a QR code was seen but could not be read",
    ),
    (
        "decoder_panicked",
        "the QR decoder failed internally (contained)",
    ),
    ("decoder_error", "the QR decoder reported an error"),
    ("reader_error", "another reader failure"),
    ("scanner_line_too_long", "a scanner line exceeds the limit"),
    ("serial_port_not_found", "the serial port does not exist"),
    (
        "serial_permission_denied",
        "no permission to open the serial port",
    ),
    ("serial_disconnected", "the serial scanner was unplugged"),
    ("serial_timeout", "the serial scanner sent nothing in time"),
    ("nfc_no_service", "no PC/SC service is running"),
    ("nfc_no_reader", "no PC/SC reader is connected"),
    (
        "nfc_reader_not_found",
        "the named PC/SC reader is not connected",
    ),
    ("nfc_timeout", "no phone was presented in time"),
    ("nfc_cancelled", "the NFC wait was cancelled"),
    (
        "nfc_card_removed",
        "the phone was taken away during the read",
    ),
    ("nfc_declined", "the patient declined on the phone"),
    (
        "nfc_no_app",
        "the card on the reader has no appli carte Vitale",
    ),
    (
        "nfc_app_still_locked",
        "the app stayed locked until the timeout",
    ),
    ("nfc_protocol", "the phone's answers break the NFC protocol"),
    ("nfc_random", "no random challenge could be drawn"),
    (
        "nfc_transport",
        "the card transport (SCardTransmit, a vendor's reader) failed",
    ),
    ("nfc_pcsc", "another PC/SC failure"),
    ("nfc_error", "another NFC failure"),
    // Identity values.
    ("nir_length", "a NIR does not have 15 characters"),
    ("nir_character", "a NIR has a character out of place"),
    ("nir_field", "a NIR field is out of range"),
    ("nir_key_mismatch", "a NIR's key does not match"),
    ("unknown_oid", "an INS OID is not one of the four known"),
    ("sex_code", "a sex code is not M, F or I"),
    ("birth_date_format", "a birth date is not YYYYMMDD"),
    ("birth_date_year", "a birth date's year is out of range"),
    ("cog_code", "a birthplace is not a COG code"),
    ("name_empty", "a name is empty"),
    ("name_too_long", "a name is too long"),
    ("name_control", "a name has a control character"),
    ("name_not_normalized", "a name is not in normalised form"),
    ("identity_not_qualified", "the identity is not qualified"),
    (
        "ins_status_mismatch",
        "the INS does not match the identity status",
    ),
    (
        "datamatrix_too_long",
        "a Datamatrix INS payload is too long",
    ),
    (
        "datamatrix_character",
        "a Datamatrix INS payload has a bad character",
    ),
    ("datamatrix_header", "a Datamatrix INS header is wrong"),
    (
        "datamatrix_unexpected_tag",
        "a Datamatrix INS field is out of place",
    ),
    (
        "datamatrix_unknown_tag",
        "a Datamatrix INS field identifier is unknown",
    ),
    (
        "datamatrix_duplicate_field",
        "a Datamatrix INS field appears twice",
    ),
    (
        "datamatrix_missing_field",
        "a required Datamatrix INS field is missing",
    ),
    (
        "datamatrix_indeterminate_sex",
        "sex I cannot be written in the national Datamatrix INS layout",
    ),
    (
        "datamatrix_field_length",
        "a Datamatrix INS field has a wrong length",
    ),
    (
        "datamatrix_field_value",
        "a Datamatrix INS field has a wrong value",
    ),
    (
        "datamatrix_trailing",
        "data after the Datamatrix INS fields",
    ),
    (
        "datamatrix_signature",
        "a Datamatrix INS signature part is invalid",
    ),
    ("identity_error", "another identity failure"),
];

#[cfg(test)]
mod tests;
