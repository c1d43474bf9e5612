//! Writing results: text or JSON on stdout, NIR masking, readable times,
//! and the error kinds of the crates that have none.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;
use vitale::codec::model::Timestamp;
use vitale::ins::Nir;

/// A failed write to stdout (a closed pipe included; the caller decides).
#[derive(Debug)]
pub(crate) struct WriteError(pub(crate) io::Error);

/// Where results go: stdout, as text or JSON, NIRs masked or not.
#[derive(Debug)]
pub(crate) struct Out {
    json: bool,
    show_nir: bool,
    stdout: io::Stdout,
}

impl Out {
    /// Output on stdout.
    pub(crate) fn new(json: bool, show_nir: bool) -> Self {
        Out {
            json,
            show_nir,
            stdout: io::stdout(),
        }
    }

    /// Whether `--json` was given.
    pub(crate) fn json(&self) -> bool {
        self.json
    }

    /// A NIR as shown: grouped, masked unless `--show-nir`.
    pub(crate) fn nir(&self, nir: &Nir) -> String {
        if self.show_nir {
            nir.to_string()
        } else {
            mask_nir(nir)
        }
    }

    /// Writes text, as is.
    pub(crate) fn text(&mut self, text: &str) -> Result<(), WriteError> {
        let mut lock = self.stdout.lock();
        lock.write_all(text.as_bytes()).map_err(WriteError)?;
        lock.flush().map_err(WriteError)
    }

    /// Writes one line of text.
    pub(crate) fn line(&mut self, text: &str) -> Result<(), WriteError> {
        let mut lock = self.stdout.lock();
        writeln!(lock, "{text}").map_err(WriteError)?;
        lock.flush().map_err(WriteError)
    }

    /// Writes a value as one line of JSON.
    pub(crate) fn json_line(&mut self, value: &impl Serialize) -> Result<(), WriteError> {
        let text = serde_json::to_string(value)
            .map_err(|e| WriteError(io::Error::new(io::ErrorKind::InvalidData, e)))?;
        self.line(&text)
    }
}

/// The JSON shape of every error: `{"ok": false, "error": {...}}`.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorReport<'a> {
    /// Always false.
    pub(crate) ok: bool,
    /// Kind and message.
    pub(crate) error: ErrorBody<'a>,
}

/// An error's stable kind and its human message.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorBody<'a> {
    /// Stable snake_case kind.
    pub(crate) kind: &'a str,
    /// Human message (never personal data).
    pub(crate) message: String,
}

impl<'a> ErrorBody<'a> {
    /// An error's kind and its message with its causes, `a: b: c`.
    pub(crate) fn new(kind: &'a str, error: &dyn std::error::Error) -> Self {
        ErrorBody {
            kind,
            message: chain(error),
        }
    }
}

/// `error: cause: cause`, each message once (transparent wrappers repeat
/// their source's message).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.ends_with(&text) {
            let _ = write!(message, ": {text}");
        }
        source = cause.source();
    }
    message
}

/// Prints `{"ok": false, "error": {"kind": …, "message": …}}` on stdout.
pub(crate) fn print_error_json(kind: &str, message: &str) -> Result<(), WriteError> {
    let report = ErrorReport {
        ok: false,
        error: ErrorBody {
            kind,
            message: message.to_owned(),
        },
    };
    Out::new(true, false).json_line(&report)
}

/// The grouped NIR with all but sex, year and month of birth hidden:
/// `1 84 03 •• ••• ••• ••`.
pub(crate) fn mask_nir(nir: &Nir) -> String {
    nir.to_string()
        .split(' ')
        .enumerate()
        .map(|(i, group)| {
            if i < 3 {
                group.to_owned()
            } else {
                "•".repeat(group.chars().count())
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `2026-11-12T14:00:00Z`.
pub(crate) fn rfc3339(at: Timestamp) -> String {
    let t = at.to_datetime();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `2026-11-12 14:00:00 UTC`.
pub(crate) fn readable(at: Timestamp) -> String {
    let t = at.to_datetime();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYY-MM-DD` from a calendar date.
pub(crate) fn date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The stable snake_case kind of an identity error.
pub(crate) fn ins_kind(e: &vitale::ins::Error) -> &'static str {
    use vitale::ins::Error as E;
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
        _ => "ins_error",
    }
}

/// The stable snake_case kind of a terminal error: the verifier's kind, or
/// the reader's.
pub(crate) fn terminal_kind(e: &vitale::terminal::Error) -> &'static str {
    use vitale::reader::qr::QrError;
    use vitale::terminal::Error as E;
    match e {
        E::Verify(v) => v.kind(),
        E::NoCode => "no_code",
        E::NotAPresentation => "not_a_presentation",
        E::Reader(vitale::reader::Error::Qr(q)) => match q {
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
        E::Reader(_) => "reader_error",
        _ => "terminal_error",
    }
}

/// Whether a terminal error is about the input file rather than the code
/// (exit 2 rather than 1): unreadable, not an image, too large.
pub(crate) fn is_input_error(e: &vitale::terminal::Error) -> bool {
    use vitale::reader::qr::QrError;
    matches!(
        e,
        vitale::terminal::Error::Reader(vitale::reader::Error::Qr(
            QrError::Io(_)
                | QrError::UnsupportedFormat
                | QrError::CorruptImage(_)
                | QrError::TooLarge { .. }
                | QrError::BadFrame(_)
                | QrError::DecoderPanicked { .. }
                | QrError::Decoder { .. }
        ))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_sex_year_month() -> Result<(), vitale::ins::Error> {
        let nir = Nir::parse("184037510821010")?;
        assert_eq!(mask_nir(&nir), "1 84 03 •• ••• ••• ••");
        Ok(())
    }

    #[test]
    fn chain_skips_repeated_messages() {
        let e = super::super::Error::io("cannot read x", io::Error::other("boom"));
        assert_eq!(chain(&e), "cannot read x: boom");
    }
}
