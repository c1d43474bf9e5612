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
    /// A camera scan ([`Terminal::scan_frames`](crate::Terminal::scan_frames))
    /// was cancelled from another thread.
    #[error("camera scan cancelled")]
    ScanCancelled,
    /// A camera scan saw no code that verifies before its timeout (and
    /// none that was refused).
    #[error("no card read by the camera before the timeout")]
    ScanTimedOut,
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
            Error::ScanCancelled => "camera_cancelled",
            Error::ScanTimedOut => "camera_timeout",
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
        vitale_reader::Error::Source(s) => camera_kind(s),
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

/// The kind of a frame source's error: `camera_` and the source's own
/// kind (`io` stays `io`).
pub fn camera_kind(e: &vitale_reader::camera::SourceError) -> &'static str {
    match e.kind() {
        "no_device" => "camera_no_device",
        "unavailable" => "camera_unavailable",
        "format" => "camera_format",
        "capture" => "camera_capture",
        "not_compiled" => "camera_not_compiled",
        "frame_file" => "camera_frame_file",
        "too_many_frames" => "camera_too_many_frames",
        "io" => "io",
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

mod kinds;
pub use kinds::KINDS;

#[cfg(test)]
mod tests;
