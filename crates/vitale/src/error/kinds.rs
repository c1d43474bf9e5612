//! The table of stable error kinds ([`KINDS`]): one snake_case name per
//! failure a vendor tells apart, with what it means.

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
    ("camera_cancelled", "the camera scan was cancelled"),
    (
        "camera_timeout",
        "no card was read by the camera before the timeout",
    ),
    ("camera_no_device", "no camera at that index"),
    (
        "camera_unavailable",
        "the camera is in use or access to it was refused",
    ),
    (
        "camera_format",
        "the camera's pixel format cannot be converted to grey",
    ),
    ("camera_capture", "the camera failed while streaming"),
    (
        "camera_not_compiled",
        "camera support is not compiled in (feature camera)",
    ),
    (
        "camera_frame_file",
        "a frame file cannot be read as an image",
    ),
    (
        "camera_too_many_frames",
        "a frame folder holds too many files",
    ),
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
