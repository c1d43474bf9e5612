//! Status codes: what every function returns.
//!
//! `0` is success; `1`–`99` are the ABI's own conditions (a panic, a null
//! pointer, invalid UTF-8, a buffer too small…); from `100` on, each of the
//! facade's stable error kinds ([`vitale::KINDS`]) has a fixed number.
//! Numbers are never reused or changed: a new kind of the facade gets the
//! next free number, appended at the end (a test fails until it has one,
//! and `docs/ffi.md` lists them all).

/// A status code (`int32_t` in C). [`VitaleStatus::Ok`] (0) is success;
/// the other values are listed in `docs/ffi.md`.
///
/// Functions return it; functions that *take* a status (such as
/// `vitale_error_message`) take a plain `int32_t`, so that any number can
/// be passed.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VitaleStatus {
    /// `ok`: Success.
    Ok = 0,
    /// `panic`: The library failed internally (a Rust panic, caught at the boundary); the handle stays usable.
    Panic = 1,
    /// `null_argument`: A required pointer argument was null.
    NullArgument = 2,
    /// `invalid_utf8`: A text argument is not valid UTF-8.
    InvalidUtf8 = 3,
    /// `buffer_too_small`: The caller's buffer is too small: `needed` tells the size to pass.
    BufferTooSmall = 4,
    /// `invalid_options`: A JSON options or query argument is not valid JSON, has an unknown field or a value out of range.
    InvalidOptions = 5,
    /// `invalid_argument`: An argument is out of range (a length beyond `isize::MAX`, a zero frame side…).
    InvalidArgument = 6,
    /// `not_supported`: The function needs a feature this build of the library does not have (`pcsc`, `online`).
    NotSupported = 7,
    /// `not_found`: `vitale_json_get`: nothing at that JSON pointer.
    NotFound = 8,
    /// `unnumbered_error`: An error whose kind has no number yet (`vitale_last_error_kind` names it).
    UnnumberedError = 9,
    /// `invalid_key`: A private key is not a P-256 key (32 bytes, or 64 hex digits).
    InvalidKey = 10,
    /// `bad_signature`: a signature does not verify.
    BadSignature = 100,
    /// `invalid_public_key`: a public key is not a valid P-256 key.
    InvalidPublicKey = 101,
    /// `invalid_signature_encoding`: a signature is not a valid encoding.
    InvalidSignatureEncoding = 102,
    /// `unsupported_algorithm`: an envelope uses an algorithm other than ES256.
    UnsupportedAlgorithm = 103,
    /// `signature_backend_failed`: the signature backend itself failed (a device or service behind it).
    SignatureBackendFailed = 104,
    /// `too_large`: the input exceeds the size limit.
    TooLarge = 105,
    /// `unknown_critical_header`: a COSE header marked critical is not understood.
    UnknownCriticalHeader = 106,
    /// `malformed`: not a well-formed presentation.
    Malformed = 107,
    /// `unsupported_version`: a data model version this SDK does not read.
    UnsupportedVersion = 108,
    /// `unprotected_header`: a COSE unprotected header that is not the empty map.
    UnprotectedHeader = 109,
    /// `unexpected_header`: a COSE protected header label the profile does not allow.
    UnexpectedHeader = 110,
    /// `unknown_issuer_key`: no key of the trust list has the issuer's kid.
    UnknownIssuerKey = 111,
    /// `issuer_key_not_valid_at_issue`: the issuer key was not valid when it signed.
    IssuerKeyNotValidAtIssue = 112,
    /// `wrong_key_usage`: the issuer key may not sign this kind of document.
    WrongKeyUsage = 113,
    /// `bad_issuer_signature`: the issuer's signature is wrong (forgery).
    BadIssuerSignature = 114,
    /// `trust_list_malformed`: the trust list is not well formed.
    TrustListMalformed = 115,
    /// `trust_list_too_large`: the trust list exceeds its size limit.
    TrustListTooLarge = 116,
    /// `trust_list_unsupported_version`: the trust list's version is unknown.
    TrustListUnsupportedVersion = 117,
    /// `trust_list_bad_root_signature`: the trust list is not signed by the pinned root.
    TrustListBadRootSignature = 118,
    /// `trust_list_expired`: the trust list is outside its own validity.
    TrustListExpired = 119,
    /// `trust_list_stale_sequence`: the trust list is not newer than the one in force.
    TrustListStaleSequence = 120,
    /// `trust_list_kid_mismatch`: a trust-list entry's kid does not match its key.
    TrustListKidMismatch = 121,
    /// `trust_list_duplicate_kid`: two trust-list entries share a kid.
    TrustListDuplicateKid = 122,
    /// `trust_list_bad_key`: a trust-list key is not a valid P-256 key.
    TrustListBadKey = 123,
    /// `trust_list_bad_certificate`: a trust-list certificate cannot be read.
    TrustListBadCertificate = 124,
    /// `credential_expired`: the credential's validity has ended.
    CredentialExpired = 125,
    /// `credential_not_yet_valid`: the credential is not valid yet.
    CredentialNotYetValid = 126,
    /// `bad_device_signature`: the phone's signature is wrong.
    BadDeviceSignature = 127,
    /// `presentation_expired`: the presentation has expired (beyond the clock skew).
    PresentationExpired = 128,
    /// `presentation_from_future`: the presentation was made after now (beyond the clock skew).
    PresentationFromFuture = 129,
    /// `presentation_lifetime`: the presentation lives longer than the policy allows.
    PresentationLifetime = 130,
    /// `replay`: this presentation was already accepted (screenshot or recording).
    Replay = 131,
    /// `replay_cache_full`: the replay cache is full and refuses new entries.
    ReplayCacheFull = 132,
    /// `replay_cache_unavailable`: the replay cache cannot be reached.
    ReplayCacheUnavailable = 133,
    /// `channel_mismatch`: the presentation was made for another channel (QR vs NFC).
    ChannelMismatch = 134,
    /// `challenge_mismatch`: an NFC answer to another reader's challenge.
    ChallengeMismatch = 135,
    /// `delegation_expired`: the delegation's validity has ended.
    DelegationExpired = 136,
    /// `delegation_not_yet_valid`: the delegation is not valid yet.
    DelegationNotYetValid = 137,
    /// `delegation_mismatch`: the delegation names another credential.
    DelegationMismatch = 138,
    /// `delegation_out_of_scope`: a rank not covered by the delegation.
    DelegationOutOfScope = 139,
    /// `no_such_beneficiary`: no beneficiary of this rank.
    NoSuchBeneficiary = 140,
    /// `token_refused`: the context service refused the token.
    TokenRefused = 141,
    /// `context_unknown`: no such context (closed or never opened).
    ContextUnknown = 142,
    /// `context_expired`: the context's validity has ended.
    ContextExpired = 143,
    /// `context_unauthorised`: the context service refused the professional.
    ContextUnauthorised = 144,
    /// `context_invalid_answer`: the context service answered something unusable.
    ContextInvalidAnswer = 145,
    /// `context_unavailable`: the context service cannot be reached.
    ContextUnavailable = 146,
    /// `no_token_verifier`: a token was read but no token verifier is configured.
    NoTokenVerifier = 147,
    /// `patient_unknown`: the rights service does not know the beneficiary.
    PatientUnknown = 148,
    /// `rights_refused`: the rights service refused, with its own code.
    RightsRefused = 149,
    /// `rights_unauthorised`: the rights service refused the professional.
    RightsUnauthorised = 150,
    /// `rights_invalid_answer`: the rights service answered something unusable.
    RightsInvalidAnswer = 151,
    /// `rights_unavailable`: the rights service cannot be reached.
    RightsUnavailable = 152,
    /// `fse_invalid_act`: an act's text is not an NGAP or CCAM act.
    FseInvalidAct = 153,
    /// `fse_act_unknown_on_date`: no tariff row prices the act in this zone and grid on the date of care.
    FseActUnknownOnDate = 154,
    /// `fse_rule_unknown_on_date`: no row gives the participation or franchise amount on the date of care.
    FseRuleUnknownOnDate = 155,
    /// `fse_modifier_not_allowed`: a CCAM modifier the tariff table does not price.
    FseModifierNotAllowed = 156,
    /// `fse_extra_fee_not_allowed`: an extra fee in sector 1 or for a C2S or AME patient.
    FseExtraFeeNotAllowed = 157,
    /// `fse_rights_closed`: AMO rights closed on the date of care (droits fermés).
    FseRightsClosed = 158,
    /// `fse_amount_too_large`: an amount above 1 000 000 EUR.
    FseAmountTooLarge = 159,
    /// `fse_no_acts`: a visit with no act.
    FseNoActs = 160,
    /// `fse_too_many_acts`: more acts than a care sheet holds.
    FseTooManyActs = 161,
    /// `fse_beneficiary_not_on_card`: no beneficiary of that rank on the card.
    FseBeneficiaryNotOnCard = 162,
    /// `fse_rights_for_another_patient`: the rights answer is about another person than the card's beneficiary.
    FseRightsForAnotherPatient = 163,
    /// `fse_unknown_provenance`: the card's provenance is of an unknown kind.
    FseUnknownProvenance = 164,
    /// `fse_inconsistent_amounts`: a care sheet's amounts do not add up.
    FseInconsistentAmounts = 165,
    /// `fse_encoding_invalid`: a care sheet's encoding is refused.
    FseEncodingInvalid = 166,
    /// `fse_signing_failed`: the signer or the context service failed to sign a care sheet.
    FseSigningFailed = 167,
    /// `fse_signature_invalid`: a care sheet's signature does not verify.
    FseSignatureInvalid = 168,
    /// `fse_tariff_invalid`: a tariff table is refused (line and reason in the message).
    FseTariffInvalid = 169,
    /// `invoice_numbers_exhausted`: the professional has used every invoice number.
    InvoiceNumbersExhausted = 170,
    /// `invoice_numbers_corrupt`: the invoice number store holds values no correct store writes.
    InvoiceNumbersCorrupt = 171,
    /// `invoice_numbers_unavailable`: the invoice number store cannot be reached or failed.
    InvoiceNumbersUnavailable = 172,
    /// `fse_lot_other_professional`: a sheet of another professional offered to a lot.
    FseLotOtherProfessional = 173,
    /// `fse_lot_full`: a lot already holds 50 sheets.
    FseLotFull = 174,
    /// `fse_lot_duplicate_invoice`: an invoice number already in the lot.
    FseLotDuplicateInvoice = 175,
    /// `fse_lot_out_of_order`: sheets not in increasing invoice-number order.
    FseLotOutOfOrder = 176,
    /// `fse_lot_empty`: a lot with no sheet.
    FseLotEmpty = 177,
    /// `fse_lot_date_out_of_range`: a sheet's date of care outside the lot's range.
    FseLotDateOutOfRange = 178,
    /// `fse_lot_malformed`: a lot's encoding is refused.
    FseLotMalformed = 179,
    /// `fse_lot_sheet_mismatch`: a sheet does not match the lot's digest of it.
    FseLotSheetMismatch = 180,
    /// `lot_numbers_corrupt`: the lot number store holds values no correct store writes.
    LotNumbersCorrupt = 181,
    /// `lot_numbers_unavailable`: the lot number store cannot be reached or failed.
    LotNumbersUnavailable = 182,
    /// `fse_receipt_unknown_key`: a receipt's key is not in the trust list.
    FseReceiptUnknownKey = 183,
    /// `fse_receipt_wrong_key_usage`: a receipt's key may not sign receipts.
    FseReceiptWrongKeyUsage = 184,
    /// `fse_receipt_key_not_valid`: a receipt's key was not valid when it signed.
    FseReceiptKeyNotValid = 185,
    /// `fse_receipt_trust_list_expired`: the trust list a receipt is checked against has expired.
    FseReceiptTrustListExpired = 186,
    /// `fse_receipt_bad_signature`: a receipt's signature does not verify.
    FseReceiptBadSignature = 187,
    /// `fse_receipt_expired`: a receipt is past its 7 days.
    FseReceiptExpired = 188,
    /// `fse_receipt_malformed`: a receipt's encoding is refused.
    FseReceiptMalformed = 189,
    /// `no_code`: no QR code in the image or frame.
    NoCode = 190,
    /// `not_a_presentation`: neither a VT1:/VT1B: presentation nor a token.
    NotAPresentation = 191,
    /// `io`: a file or device could not be read.
    Io = 192,
    /// `unsupported_image_format`: the image is not PNG, JPEG or WebP.
    UnsupportedImageFormat = 193,
    /// `corrupt_image`: the image cannot be decoded.
    CorruptImage = 194,
    /// `image_too_large`: the image's dimensions exceed the limit.
    ImageTooLarge = 195,
    /// `bad_frame`: a camera frame's dimensions or stride are inconsistent.
    BadFrame = 196,
    /// `code_unreadable`: a QR code was seen but could not be read.
    CodeUnreadable = 197,
    /// `decoder_panicked`: the QR decoder failed internally (contained).
    DecoderPanicked = 198,
    /// `decoder_error`: the QR decoder reported an error.
    DecoderError = 199,
    /// `reader_error`: another reader failure.
    ReaderError = 200,
    /// `scanner_line_too_long`: a scanner line exceeds the limit.
    ScannerLineTooLong = 201,
    /// `serial_port_not_found`: the serial port does not exist.
    SerialPortNotFound = 202,
    /// `serial_permission_denied`: no permission to open the serial port.
    SerialPermissionDenied = 203,
    /// `serial_disconnected`: the serial scanner was unplugged.
    SerialDisconnected = 204,
    /// `serial_timeout`: the serial scanner sent nothing in time.
    SerialTimeout = 205,
    /// `nfc_no_service`: no PC/SC service is running.
    NfcNoService = 206,
    /// `nfc_no_reader`: no PC/SC reader is connected.
    NfcNoReader = 207,
    /// `nfc_reader_not_found`: the named PC/SC reader is not connected.
    NfcReaderNotFound = 208,
    /// `nfc_timeout`: no phone was presented in time.
    NfcTimeout = 209,
    /// `nfc_cancelled`: the NFC wait was cancelled.
    NfcCancelled = 210,
    /// `nfc_card_removed`: the phone was taken away during the read.
    NfcCardRemoved = 211,
    /// `nfc_declined`: the patient declined on the phone.
    NfcDeclined = 212,
    /// `nfc_no_app`: the card on the reader has no appli carte Vitale.
    NfcNoApp = 213,
    /// `nfc_app_still_locked`: the app stayed locked until the timeout.
    NfcAppStillLocked = 214,
    /// `nfc_protocol`: the phone's answers break the NFC protocol.
    NfcProtocol = 215,
    /// `nfc_random`: no random challenge could be drawn.
    NfcRandom = 216,
    /// `nfc_transport`: the card transport (SCardTransmit, a vendor's reader) failed.
    NfcTransport = 217,
    /// `nfc_pcsc`: another PC/SC failure.
    NfcPcsc = 218,
    /// `nfc_error`: another NFC failure.
    NfcError = 219,
    /// `nir_length`: a NIR does not have 15 characters.
    NirLength = 220,
    /// `nir_character`: a NIR has a character out of place.
    NirCharacter = 221,
    /// `nir_field`: a NIR field is out of range.
    NirField = 222,
    /// `nir_key_mismatch`: a NIR's key does not match.
    NirKeyMismatch = 223,
    /// `unknown_oid`: an INS OID is not one of the four known.
    UnknownOid = 224,
    /// `sex_code`: a sex code is not M, F or I.
    SexCode = 225,
    /// `birth_date_format`: a birth date is not YYYYMMDD.
    BirthDateFormat = 226,
    /// `birth_date_year`: a birth date's year is out of range.
    BirthDateYear = 227,
    /// `cog_code`: a birthplace is not a COG code.
    CogCode = 228,
    /// `name_empty`: a name is empty.
    NameEmpty = 229,
    /// `name_too_long`: a name is too long.
    NameTooLong = 230,
    /// `name_control`: a name has a control character.
    NameControl = 231,
    /// `name_not_normalized`: a name is not in normalised form.
    NameNotNormalized = 232,
    /// `identity_not_qualified`: the identity is not qualified.
    IdentityNotQualified = 233,
    /// `ins_status_mismatch`: the INS does not match the identity status.
    InsStatusMismatch = 234,
    /// `datamatrix_too_long`: a Datamatrix INS payload is too long.
    DatamatrixTooLong = 235,
    /// `datamatrix_character`: a Datamatrix INS payload has a bad character.
    DatamatrixCharacter = 236,
    /// `datamatrix_header`: a Datamatrix INS header is wrong.
    DatamatrixHeader = 237,
    /// `datamatrix_unexpected_tag`: a Datamatrix INS field is out of place.
    DatamatrixUnexpectedTag = 238,
    /// `datamatrix_unknown_tag`: a Datamatrix INS field identifier is unknown.
    DatamatrixUnknownTag = 239,
    /// `datamatrix_duplicate_field`: a Datamatrix INS field appears twice.
    DatamatrixDuplicateField = 240,
    /// `datamatrix_missing_field`: a required Datamatrix INS field is missing.
    DatamatrixMissingField = 241,
    /// `datamatrix_indeterminate_sex`: sex I cannot be written in the national Datamatrix INS layout.
    DatamatrixIndeterminateSex = 242,
    /// `datamatrix_field_length`: a Datamatrix INS field has a wrong length.
    DatamatrixFieldLength = 243,
    /// `datamatrix_field_value`: a Datamatrix INS field has a wrong value.
    DatamatrixFieldValue = 244,
    /// `datamatrix_trailing`: data after the Datamatrix INS fields.
    DatamatrixTrailing = 245,
    /// `datamatrix_signature`: a Datamatrix INS signature part is invalid.
    DatamatrixSignature = 246,
    /// `identity_error`: another identity failure.
    IdentityError = 247,
    /// `no_sheet_signer`: billing has no care-sheet signer for the card's profile.
    NoSheetSigner = 248,
    /// `rights_invalid_value`: a rights value is out of its domain.
    RightsInvalidValue = 249,
    /// `rights_too_many_entries`: a rights answer holds too many entries.
    RightsTooManyEntries = 250,
    /// `rights_period_reversed`: a rights period ends before it starts.
    RightsPeriodReversed = 251,
    /// `rights_periods_overlap`: rights periods that must not overlap do.
    RightsPeriodsOverlap = 252,
    /// `rights_json_too_large`: a rights JSON document is too large.
    RightsJsonTooLarge = 253,
    /// `rights_json_malformed`: a rights JSON document cannot be read.
    RightsJsonMalformed = 254,
    /// `rights_identity_invalid`: an identity in a rights value is invalid.
    RightsIdentityInvalid = 255,
    /// `rights_model_invalid`: a card value in a rights value is invalid.
    RightsModelInvalid = 256,
    /// `trust_list_unavailable`: the trust-list service cannot be reached or failed.
    TrustListUnavailable = 257,
    /// `store_unavailable`: a store (replay cache, invoice numbers) cannot be opened: database unreachable or failing.
    StoreUnavailable = 258,
    /// `store_schema_unknown`: a store's database holds a schema this SDK does not know.
    StoreSchemaUnknown = 259,
    /// `store_corrupt`: a store's database fails its integrity check.
    StoreCorrupt = 260,
    /// `store_location_invalid`: a store location is not memory, sqlite:PATH or postgres:URL.
    StoreLocationInvalid = 261,
    /// `empty_input`: the input is empty (text, scanner line, image or trust list).
    EmptyInput = 262,
    /// `trust_list_not_yet_valid`: the trust list is not valid yet (the workstation's clock is behind).
    TrustListNotYetValid = 263,
    /// `camera_cancelled`: the camera scan was cancelled.
    CameraCancelled = 264,
    /// `camera_timeout`: no card was read by the camera before the timeout.
    CameraTimeout = 265,
    /// `camera_no_device`: no camera at that index.
    CameraNoDevice = 266,
    /// `camera_unavailable`: the camera is in use or access to it was refused.
    CameraUnavailable = 267,
    /// `camera_format`: the camera's pixel format cannot be converted to grey.
    CameraFormat = 268,
    /// `camera_capture`: the camera failed while streaming.
    CameraCapture = 269,
    /// `camera_not_compiled`: camera support is not compiled in (feature camera).
    CameraNotCompiled = 270,
    /// `camera_frame_file`: a frame file cannot be read as an image.
    CameraFrameFile = 271,
    /// `camera_too_many_frames`: a frame folder holds too many files.
    CameraTooManyFrames = 272,
}

mod table;

pub(crate) use table::{ABI_MEANINGS, TABLE};

impl VitaleStatus {
    /// The status's snake_case kind (`"ok"`, `"bad_signature"`…).
    pub fn kind(self) -> &'static str {
        TABLE
            .iter()
            .find(|(status, _)| *status == self)
            .map_or("unnumbered_error", |(_, kind)| kind)
    }

    /// What the status means, in a short English sentence.
    pub fn meaning(self) -> &'static str {
        let kind = self.kind();
        ABI_MEANINGS
            .iter()
            .find(|(status, _)| *status == self)
            .map(|(_, meaning)| *meaning)
            .or_else(|| {
                vitale::KINDS
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, meaning)| *meaning)
            })
            .unwrap_or("an error whose kind has no number yet")
    }

    /// The status of a facade error kind; [`VitaleStatus::UnnumberedError`]
    /// for a kind without a number.
    pub fn of_kind(kind: &str) -> Self {
        TABLE
            .iter()
            .skip(ABI_MEANINGS.len())
            .find(|(_, k)| *k == kind)
            .map_or(VitaleStatus::UnnumberedError, |(status, _)| *status)
    }

    /// The status with this number, if there is one.
    pub fn from_code(code: i32) -> Option<Self> {
        TABLE
            .iter()
            .find(|(status, _)| *status as i32 == code)
            .map(|(status, _)| *status)
    }

    /// Every status, in number order.
    pub fn all() -> impl Iterator<Item = VitaleStatus> {
        TABLE.iter().map(|(status, _)| *status)
    }
}

#[cfg(test)]
mod tests;
