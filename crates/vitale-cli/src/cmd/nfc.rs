//! `vitale scan --nfc`: wait for a phone on a PC/SC reader, read its
//! presentation under a fresh challenge, verify it (feature `pcsc`).
//!
//! Progress goes to stderr while the read goes on: in text mode a line per
//! event, rewritten in place when stderr is a terminal; with `--json`, one
//! JSON object per event (`{"event": "waiting_for_phone"}`…). The result
//! goes to stdout as `verify` prints it, with the reader's name and the
//! round trips. Ctrl-C ends the process (the PC/SC service then releases
//! the reader by itself).

use std::io::{self, IsTerminal as _, Write as _};
use std::time::Duration;

use serde::Serialize;
use vitale::Terminal;
use vitale::reader::nfc::{NfcContext, NfcError, NfcEvent, ReadOptions};

use super::output::{ErrorBody, Out, chain};
use super::render::{CardJson, card_json, card_text};
use super::{Error, Status, load_verifier};
use crate::cli::ScanArgs;

/// `--timeout` when not given.
const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// `{"ok": true, "reader", "round_trips", "extended", "card"}`.
#[derive(Debug, Serialize)]
struct NfcAccepted<'a> {
    ok: bool,
    reader: &'a str,
    round_trips: u32,
    extended: bool,
    card: CardJson,
}

/// `{"ok": false, "error": {"kind", "message"}}`.
#[derive(Debug, Serialize)]
struct Refused<'a> {
    ok: bool,
    error: ErrorBody<'a>,
}

pub(super) fn run(args: &ScanArgs, out: &mut Out) -> Result<Status, Error> {
    let trust = args
        .trust
        .trust
        .as_deref()
        .ok_or_else(|| Error::Usage("scan --nfc needs --trust FILE".into()))?;
    let terminal = Terminal::new(load_verifier(trust, &args.trust)?);
    let context = NfcContext::establish().map_err(Error::Nfc)?;
    let options = ReadOptions {
        reader: args.reader.clone(),
        timeout: Duration::from_secs(args.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS)),
        allow_extended: !args.short_apdus,
        ..ReadOptions::default()
    };
    let mut progress = Progress::new(out.json(), args.reader.as_deref());
    let outcome = terminal.read_nfc(&context, &options, |event| progress.event(&event));
    progress.finish();
    match outcome {
        Ok(read) => {
            if out.json() {
                let card = card_json(&read.card, out);
                out.json_line(&NfcAccepted {
                    ok: true,
                    reader: &read.reader,
                    round_trips: read.round_trips,
                    extended: read.extended,
                    card,
                })?;
            } else {
                let text = card_text(&read.card, out);
                let apdus = if read.extended { "extended" } else { "short" };
                out.line("ACCEPTED: appli carte Vitale presentation verified (NFC)")?;
                out.line(&format!(
                    "  reader {}, {} round trips, {apdus} APDUs",
                    read.reader, read.round_trips
                ))?;
                out.line("")?;
                out.text(&text)?;
            }
            Ok(Status::Ok)
        }
        Err(vitale::Error::Verify(e)) => super::verify::report(Err(e.into()), out),
        Err(vitale::Error::Reader(vitale::reader::Error::Nfc(e))) => {
            if !is_rejection(&e) {
                return Err(Error::Nfc(e));
            }
            if out.json() {
                out.json_line(&Refused {
                    ok: false,
                    error: ErrorBody::new(vitale::nfc_kind(&e), &e),
                })?;
            } else {
                out.line(&format!(
                    "REJECTED: {} [{}]",
                    chain(&e),
                    vitale::nfc_kind(&e)
                ))?;
            }
            Ok(Status::Rejected)
        }
        Err(e) => Err(Error::Terminal(e)),
    }
}

/// Whether an NFC failure is about the phone or the patient (exit 1)
/// rather than the workstation (no service, no reader: exit 2).
fn is_rejection(e: &NfcError) -> bool {
    matches!(
        e,
        NfcError::Timeout
            | NfcError::CardRemoved
            | NfcError::Declined
            | NfcError::NoApp
            | NfcError::AppStillLocked
            | NfcError::Protocol(_)
    )
}

/// One event as a JSON line on stderr.
#[derive(Debug, Serialize)]
struct EventJson<'a> {
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reader: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attempt: Option<u32>,
}

/// The progress line on stderr.
struct Progress<'a> {
    json: bool,
    tty: bool,
    reader: Option<&'a str>,
    /// A line is shown in place (terminal) and must be cleared at the end.
    shown: bool,
}

impl<'a> Progress<'a> {
    fn new(json: bool, reader: Option<&'a str>) -> Self {
        Progress {
            json,
            tty: io::stderr().is_terminal(),
            reader,
            shown: false,
        }
    }

    fn event(&mut self, event: &NfcEvent) {
        if self.json {
            let (name, reader, attempt) = match event {
                NfcEvent::WaitingForPhone => ("waiting_for_phone", None, None),
                NfcEvent::PhoneDetected { reader } => {
                    ("phone_detected", Some(reader.as_str()), None)
                }
                NfcEvent::AppLocked { attempt } => ("app_locked", None, Some(*attempt)),
                NfcEvent::Reading => ("reading", None, None),
                NfcEvent::Done => ("done", None, None),
                _ => ("other", None, None),
            };
            let line = serde_json::to_string(&EventJson {
                event: name,
                reader,
                attempt,
            });
            if let Ok(line) = line {
                let _ = writeln!(io::stderr(), "{line}");
            }
            return;
        }
        let text = match event {
            NfcEvent::WaitingForPhone => format!(
                "waiting for a phone on {}…",
                self.reader.unwrap_or("any reader")
            ),
            NfcEvent::PhoneDetected { reader } => format!("phone detected on {reader}"),
            NfcEvent::AppLocked { attempt } => {
                format!("the app is locked: ask the patient to unlock it (attempt {attempt})")
            }
            NfcEvent::Reading => "reading…".into(),
            NfcEvent::Done => "read; verifying…".into(),
            _ => return,
        };
        let mut stderr = io::stderr().lock();
        let _ = if self.tty {
            self.shown = true;
            // Back to the line's start, clear it, write the new state.
            write!(stderr, "\r\x1b[2K{text}")
        } else {
            writeln!(stderr, "{text}")
        };
        let _ = stderr.flush();
    }

    /// Clears the line shown in place, so that the result starts clean.
    fn finish(&mut self) {
        if self.shown {
            let mut stderr = io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
            self.shown = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_prefixed_and_split_by_exit_code() {
        assert_eq!(vitale::nfc_kind(&NfcError::Declined), "nfc_declined");
        assert_eq!(vitale::nfc_kind(&NfcError::NoService), "nfc_no_service");
        assert_eq!(
            vitale::nfc_kind(&NfcError::AppStillLocked),
            "nfc_app_still_locked"
        );
        assert!(is_rejection(&NfcError::Declined));
        assert!(is_rejection(&NfcError::Timeout));
        assert!(!is_rejection(&NfcError::NoService));
        assert!(!is_rejection(&NfcError::NoReader));
        assert!(!is_rejection(&NfcError::ReaderNotFound("x".into())));
    }
}
