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

    /// Whether `--show-nir` was given.
    pub(crate) fn show_nir(&self) -> bool {
        self.show_nir
    }

    /// A NIR as shown: masked and grouped, or with `--show-nir` the 15
    /// characters without spaces that billing programs read.
    pub(crate) fn nir(&self, nir: &Nir) -> String {
        if self.show_nir {
            nir.as_str().to_owned()
        } else {
            nir.masked()
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
    /// For a refusal for time: the verification time and the bound
    /// crossed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) times: Option<TimesJson>,
}

/// The times of a refusal for time, RFC 3339: `now` and `not_before` or
/// `expired_at`.
#[derive(Debug, Serialize)]
pub(crate) struct TimesJson {
    now: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expired_at: Option<String>,
}

impl From<vitale::verify::TimeRefusal> for TimesJson {
    fn from(t: vitale::verify::TimeRefusal) -> Self {
        TimesJson {
            now: rfc3339(t.now),
            not_before: t.not_before.map(rfc3339),
            expired_at: t.expired_at.map(rfc3339),
        }
    }
}

impl<'a> ErrorBody<'a> {
    /// An error's kind and its message with its causes, `a: b: c`.
    pub(crate) fn new(kind: &'a str, error: &dyn std::error::Error) -> Self {
        ErrorBody {
            kind,
            message: chain(error),
            times: None,
        }
    }
}

impl ErrorBody<'static> {
    /// A facade error's kind, message and, for a refusal for time, times.
    pub(crate) fn of(error: &vitale::Error) -> Self {
        ErrorBody {
            times: error.time_refusal().map(TimesJson::from),
            ..ErrorBody::new(error.kind(), error)
        }
    }
}

/// A path in JSON: its text, with any byte that is not UTF-8 replaced
/// (a file name from another system must not stop a batch).
pub(crate) fn path_lossy<S: serde::Serializer>(
    path: &impl AsRef<std::path::Path>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.as_ref().to_string_lossy())
}

/// As [`path_lossy`], for an optional path.
pub(crate) fn opt_path_lossy<S: serde::Serializer>(
    path: &Option<std::path::PathBuf>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match path {
        Some(p) => s.serialize_str(&p.to_string_lossy()),
        None => s.serialize_none(),
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
    print_error_json_with(kind, message, None)
}

/// As [`print_error_json`], with the times of a refusal for time.
pub(crate) fn print_error_json_with(
    kind: &str,
    message: &str,
    times: Option<vitale::verify::TimeRefusal>,
) -> Result<(), WriteError> {
    let report = ErrorReport {
        ok: false,
        error: ErrorBody {
            kind,
            message: message.to_owned(),
            times: times.map(TimesJson::from),
        },
    };
    Out::new(true, false).json_line(&report)
}

/// `2026-11-12T14:00:00Z`.
pub(crate) fn rfc3339(at: Timestamp) -> String {
    at.to_rfc3339()
}

pub(crate) use vitale::codec::hex::encode as hex;
pub(crate) use vitale::model::time::format_date as date;
pub(crate) use vitale::render::readable;

/// The status of a refused card, token, sheet or receipt: by its kind
/// ([`kind_status`]).
pub(crate) fn refusal_status(e: &vitale::Error) -> super::Status {
    kind_status(e.kind())
}

/// The status of a failure of this kind, as the table of `docs/cli.md`
/// says (a test checks it): exit 2 when the workstation could not do the
/// work (a service or store that cannot be reached, a missing signer, an
/// unreadable file or device), 1 when the input was refused.
pub(crate) fn kind_status(kind: &str) -> super::Status {
    match kind {
        "signature_backend_failed"
        | "context_unavailable"
        | "no_token_verifier"
        | "no_sheet_signer"
        | "rights_invalid_value"
        | "rights_too_many_entries"
        | "rights_period_reversed"
        | "rights_periods_overlap"
        | "rights_json_too_large"
        | "rights_json_malformed"
        | "rights_identity_invalid"
        | "rights_model_invalid"
        | "rights_unavailable"
        | "fse_signing_failed"
        | "invoice_numbers_corrupt"
        | "invoice_numbers_unavailable"
        | "lot_numbers_corrupt"
        | "lot_numbers_unavailable"
        | "io"
        | "unsupported_image_format"
        | "corrupt_image"
        | "image_too_large"
        | "bad_frame"
        | "decoder_panicked"
        | "decoder_error"
        | "serial_port_not_found"
        | "serial_permission_denied"
        | "camera_cancelled"
        | "camera_no_device"
        | "camera_unavailable"
        | "camera_format"
        | "camera_capture"
        | "camera_not_compiled"
        | "camera_frame_file"
        | "camera_too_many_frames"
        | "nfc_no_service"
        | "nfc_no_reader"
        | "nfc_reader_not_found"
        | "nfc_cancelled"
        | "nfc_random"
        | "nfc_transport"
        | "nfc_pcsc"
        | "replay_cache_unavailable"
        | "trust_list_unavailable"
        | "store_unavailable"
        | "store_schema_unknown"
        | "store_corrupt"
        | "store_location_invalid" => super::Status::Failed,
        _ => super::Status::Rejected,
    }
}

/// Whether a terminal error is about the input file rather than the code
/// (exit 2 rather than 1): unreadable, not an image, too large.
pub(crate) fn is_input_error(e: &vitale::Error) -> bool {
    use vitale::reader::qr::QrError;
    matches!(
        e,
        vitale::Error::Reader(vitale::reader::Error::Qr(
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
        assert_eq!(Out::new(false, false).nir(&nir), "1 84 03 •• ••• ••• ••");
        assert_eq!(Out::new(false, true).nir(&nir), "184037510821010");
        Ok(())
    }

    /// Every kind of the facade's table has the exit code `docs/cli.md`
    /// gives it.
    #[test]
    fn kind_status_follows_the_documented_exit_codes() -> Result<(), String> {
        let doc = include_str!("../../../../docs/cli.md");
        let table = doc
            .split_once("### Error kinds")
            .map(|(_, table)| table)
            .ok_or("docs/cli.md has no error-kind table")?;
        for (kind, _) in vitale::KINDS {
            let row = format!("| `{kind}` |");
            let line = table
                .lines()
                .find(|l| l.starts_with(&row))
                .ok_or(format!("docs/cli.md has no row for {kind}"))?;
            let exit = line.trim_end_matches(" |").rsplit("| ").next();
            assert_eq!(
                exit,
                Some(kind_status(kind).code().to_string().as_str()),
                "{kind}"
            );
        }
        Ok(())
    }

    #[test]
    fn chain_skips_repeated_messages() {
        let e = super::super::Error::io("cannot read x", io::Error::other("boom"));
        assert_eq!(chain(&e), "cannot read x: boom");
    }
}
