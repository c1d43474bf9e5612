//! `vitale scan --camera [--device N]` and `vitale scan --frames DIR`:
//! the scanning loop over a camera (feature `camera`) or a folder of
//! frames played at `--fps`, each new code verified once, stopping at the
//! first card that verifies.
//!
//! Progress goes to stderr (with `--json`, one JSON object per event:
//! `{"event": "started"}`, `{"event": "code_seen", "frame": 7}`,
//! `{"event": "code_refused", "frame": 7, "kind": "replay"}`,
//! `{"event": "stopped", "reason": "accepted", …}`). The result goes to
//! stdout as `verify` prints it, with the frame and the loop's counts.

use std::io::{self, Write as _};
use std::time::Duration;

use serde::Serialize;
use vitale::Terminal;
use vitale::camera::CameraCard;
use vitale::reader::camera::{FrameFolder, FrameSource, ScanEvent, ScanStats, Scanner};

use super::output::{ErrorBody, Out, chain};
use super::render::{CardJson, card_json, card_text};
use super::{Error, Status};
use crate::cli::ScanArgs;

/// `--timeout` when not given.
const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// `{"ok": true, "source", "frame", "stats", "card"}`.
#[derive(Debug, Serialize)]
struct CameraAccepted<'a> {
    ok: bool,
    source: &'a str,
    frame: u64,
    stats: StatsJson,
    card: CardJson,
}

/// `{"ok": false, "error": {"kind", "message"}}`.
#[derive(Debug, Serialize)]
struct Refused<'a> {
    ok: bool,
    error: ErrorBody<'a>,
}

/// The loop's counts.
#[derive(Debug, Serialize)]
struct StatsJson {
    frames: u64,
    decoded: u64,
    skipped: u64,
    verified: u64,
    refused: u64,
    elapsed_ms: u128,
}

impl From<&ScanStats> for StatsJson {
    fn from(s: &ScanStats) -> Self {
        StatsJson {
            frames: s.frames,
            decoded: s.decoded,
            skipped: s.skipped,
            verified: s.verified,
            refused: s.refused,
            elapsed_ms: s.elapsed.as_millis(),
        }
    }
}

pub(super) fn run(args: &ScanArgs, terminal: &Terminal, out: &mut Out) -> Result<Status, Error> {
    let scanner = Scanner::new().with_timeout(Some(Duration::from_secs(
        args.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS),
    )));
    let json = out.json();
    let mut progress = |event: ScanEvent<'_, vitale::Error>| progress(json, &event);
    let (source_name, outcome) = match &args.frames {
        Some(dir) => {
            let mut folder = FrameFolder::open(dir, args.fps)
                .map_err(|e| Error::Camera(vitale::reader::Error::from(e).into()))?;
            if args.unpaced {
                folder = folder.unpaced();
            }
            let mut source: Box<dyn FrameSource> = Box::new(folder);
            (
                "frames",
                terminal.scan_frames(&mut source, &scanner, &mut progress),
            )
        }
        None => ("camera", camera(terminal, args, &scanner, &mut progress)),
    };
    report(source_name, outcome, out)
}

#[cfg(feature = "camera")]
fn camera(
    terminal: &Terminal,
    args: &ScanArgs,
    scanner: &Scanner,
    progress: &mut impl FnMut(ScanEvent<'_, vitale::Error>),
) -> Result<CameraCard, vitale::Error> {
    terminal.scan_camera(args.device.unwrap_or(0), scanner, progress)
}

#[cfg(not(feature = "camera"))]
fn camera(
    _terminal: &Terminal,
    _args: &ScanArgs,
    _scanner: &Scanner,
    _progress: &mut impl FnMut(ScanEvent<'_, vitale::Error>),
) -> Result<CameraCard, vitale::Error> {
    Err(vitale::reader::Error::Source(vitale::reader::camera::SourceError::NotCompiled).into())
}

fn report(
    source: &str,
    outcome: Result<CameraCard, vitale::Error>,
    out: &mut Out,
) -> Result<Status, Error> {
    match outcome {
        Ok(read) => {
            if out.json() {
                let card = card_json(&read.card, out);
                out.json_line(&CameraAccepted {
                    ok: true,
                    source,
                    frame: read.sequence,
                    stats: StatsJson::from(&read.stats),
                    card,
                })?;
            } else {
                let text = card_text(&read.card, out);
                let s = &read.stats;
                out.line(&format!(
                    "ACCEPTED: appli carte Vitale presentation verified ({source})"
                ))?;
                out.line(&format!(
                    "  frame {}: {} frames, {} decoded, {} skipped while busy, {} code(s) verified",
                    read.sequence, s.frames, s.decoded, s.skipped, s.verified
                ))?;
                out.line("")?;
                out.text(&text)?;
            }
            Ok(Status::Ok)
        }
        Err(e) => {
            let status = super::output::refusal_status(&e);
            if status == Status::Failed {
                return Err(Error::Camera(e));
            }
            if out.json() {
                out.json_line(&Refused {
                    ok: false,
                    error: ErrorBody::of(&e),
                })?;
            } else {
                out.line(&format!("REJECTED: {} [{}]", chain(&e), e.kind()))?;
            }
            Ok(status)
        }
    }
}

/// One event as a JSON line on stderr.
#[derive(Debug, Serialize)]
struct EventJson<'a> {
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    frame: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<StatsJson>,
}

/// Reports an event on stderr (not every decoded frame: 30 a second).
fn progress(json: bool, event: &ScanEvent<'_, vitale::Error>) {
    let (name, frame, kind, reason, stats) = match event {
        ScanEvent::Started => ("started", None, None, None, None),
        ScanEvent::CodeSeen { sequence } => ("code_seen", Some(*sequence), None, None, None),
        ScanEvent::CodeRefused { sequence, error } => (
            "code_refused",
            Some(*sequence),
            Some(error.kind()),
            None,
            None,
        ),
        ScanEvent::Stopped { reason, stats } => (
            "stopped",
            None,
            None,
            Some(reason.kind()),
            Some(StatsJson::from(*stats)),
        ),
        _ => return,
    };
    let mut stderr = io::stderr().lock();
    if json {
        let line = serde_json::to_string(&EventJson {
            event: name,
            frame,
            kind,
            reason,
            stats,
        });
        if let Ok(line) = line {
            let _ = writeln!(stderr, "{line}");
        }
        return;
    }
    let text = match (name, frame, kind, reason) {
        ("started", ..) => "scanning: show the QR code to the camera…".to_owned(),
        ("code_seen", Some(f), ..) => format!("code seen in frame {f}; verifying…"),
        ("code_refused", Some(f), Some(k), _) => format!("code of frame {f} refused [{k}]"),
        ("stopped", _, _, Some(r)) => format!("stopped: {r}"),
        _ => return,
    };
    let _ = writeln!(stderr, "{text}");
}
