//! `vitale scan`: QR codes in image files, or keyboard-wedge scanner lines
//! on stdin; verified when `--trust` is given, else listed.
//!
//! Results are printed as they come: with `--json`, one JSON object per
//! image or per scanned line (JSON Lines).

use std::io;
use std::path::Path;

use serde::Serialize;
use vitale::Terminal;
use vitale::codec::TextKind;
use vitale::codec::model::SignedPresentation;
use vitale::reader::qr::{default_decoder, load_image_file};
use vitale::reader::wedge::{Repaired, WedgeConfig, WedgeError, WedgeLines};

use super::output::{ErrorBody, Out, chain, is_input_error};
use super::render::{CardJson, card_json, card_text};
use super::{Error, Status, load_verifier};
use crate::cli::ScanArgs;

pub(super) fn run(args: &ScanArgs, out: &mut Out) -> Result<Status, Error> {
    if args.nfc {
        return nfc(args, out);
    }
    let live = args.camera || args.frames.is_some();
    if args.reader.is_some() || (args.timeout.is_some() && !live) || args.short_apdus {
        return Err(Error::Usage(
            "--reader and --short-apdus go with --nfc, --timeout with --nfc, --camera or --frames"
                .into(),
        ));
    }
    let terminal = match &args.trust.trust {
        Some(trust) => {
            let terminal = Terminal::new(load_verifier(trust, &args.trust)?);
            Some(
                match super::online::token_verifier(&args.context, args.trust.at.as_deref())? {
                    Some(tokens) => terminal.with_token_verifier(tokens),
                    None => terminal,
                },
            )
        }
        None if args.trust.at.is_some() => {
            return Err(Error::Usage("--at needs --trust".into()));
        }
        None if args.context.context_service.is_some() => {
            return Err(Error::Usage("--context-service needs --trust".into()));
        }
        None => None,
    };
    if live {
        let terminal = terminal
            .ok_or_else(|| Error::Usage("scan --camera and --frames need --trust FILE".into()))?;
        super::camera::run(args, &terminal, out)
    } else if args.wedge {
        wedge(terminal.as_ref(), out)
    } else {
        let mut status = Status::Ok;
        for path in &args.image {
            status = status.max(image(path, terminal.as_ref(), out)?);
        }
        Ok(status)
    }
}

#[cfg(feature = "pcsc")]
fn nfc(args: &ScanArgs, out: &mut Out) -> Result<Status, Error> {
    super::nfc::run(args, out)
}

#[cfg(not(feature = "pcsc"))]
fn nfc(_args: &ScanArgs, _out: &mut Out) -> Result<Status, Error> {
    Err(Error::Usage(
        "built without NFC support (feature pcsc): rebuild with `--features pcsc`".into(),
    ))
}

/// One code of an image, in JSON.
#[derive(Debug, Serialize)]
struct CodeJson<'a> {
    /// The code's text: `null` if it is not UTF-8, and for a presentation
    /// or a token, whose text holds the patient's data and could be
    /// replayed for minutes (`length` says how long it is).
    text: Option<&'a str>,
    /// The text's length in characters (null if not UTF-8).
    length: Option<usize>,
    /// Whether it decodes as a vitale presentation.
    presentation: bool,
    /// With `--trust`: whether it verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    ok: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<CardJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorBody<'static>>,
}

/// One image, in JSON.
#[derive(Debug, Serialize)]
struct ImageJson<'a> {
    #[serde(serialize_with = "super::output::path_lossy")]
    file: &'a Path,
    ok: bool,
    codes: Vec<CodeJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorBody<'static>>,
}

fn looks_like_presentation(text: Option<&str>) -> bool {
    text.is_some_and(|t| SignedPresentation::from_text(t).is_ok())
}

/// The text JSON may carry: not a presentation's or a token's.
fn shareable(text: Option<&str>) -> Option<&str> {
    text.filter(|t| TextKind::of(t).is_err())
}

/// Scans one image: every code, verified or listed.
fn image(path: &Path, terminal: Option<&Terminal>, out: &mut Out) -> Result<Status, Error> {
    let scanned = match terminal {
        Some(t) => t.scan_image_file(path).map(|codes| {
            codes
                .into_iter()
                .map(|c| {
                    let text = c.text().map(str::to_owned);
                    (text, Some(c.into_outcome()))
                })
                .collect::<Vec<_>>()
        }),
        None => list_codes(path),
    };
    let codes = match scanned {
        Ok(codes) => codes,
        Err(e) => return image_error(path, &e, out),
    };
    if codes.is_empty() {
        return image_error(path, &vitale::Error::NoCode, out);
    }
    let mut status = Status::Ok;
    let mut json_codes = Vec::new();
    if !out.json() {
        let plural = if codes.len() == 1 { "" } else { "s" };
        out.line(&format!("{}: {} code{plural}", path.display(), codes.len()))?;
    }
    for (n, (text, outcome)) in (1..).zip(&codes) {
        let presentation = looks_like_presentation(text.as_deref());
        let mut code = CodeJson {
            text: shareable(text.as_deref()),
            length: text.as_deref().map(|t| t.chars().count()),
            presentation,
            ok: None,
            card: None,
            error: None,
        };
        match outcome {
            None => {
                let what = if presentation {
                    "vitale presentation"
                } else {
                    "not a vitale presentation"
                };
                if !out.json() {
                    let shown = text.as_deref().map_or("<binary content>".into(), abridged);
                    out.line(&format!("  [{n}] {what}: {shown}"))?;
                }
            }
            Some(Ok(card)) => {
                code.ok = Some(true);
                if out.json() {
                    code.card = Some(card_json(card, out));
                } else {
                    out.line(&format!("  [{n}] ACCEPTED"))?;
                    out.text(&indent(&card_text(card, out)))?;
                }
            }
            Some(Err(e)) => {
                status = Status::Rejected;
                code.ok = Some(false);
                let kind = e.kind();
                if out.json() {
                    code.error = Some(ErrorBody::of(e));
                } else {
                    out.line(&format!("  [{n}] REJECTED: {} [{kind}]", chain(e)))?;
                }
            }
        }
        json_codes.push(code);
    }
    if out.json() {
        out.json_line(&ImageJson {
            file: path,
            ok: status == Status::Ok,
            codes: json_codes,
            error: None,
        })?;
    }
    Ok(status)
}

type Listed = (
    Option<String>,
    Option<Result<vitale::verify::VerifiedCard, vitale::Error>>,
);

/// Every code of an image, not verified.
fn list_codes(path: &Path) -> Result<Vec<Listed>, vitale::Error> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
        return Err(vitale::Error::EmptyInput { what: "image" });
    }
    let image = load_image_file(path)?;
    let codes = default_decoder().decode(&image.as_frame())?;
    Ok(codes
        .into_iter()
        .map(|c| (c.text().map(str::to_owned), None))
        .collect())
}

/// Reports an image that gave no code: unreadable file (exit 2) or no
/// readable code (exit 1).
fn image_error(path: &Path, e: &vitale::Error, out: &mut Out) -> Result<Status, Error> {
    let status = if is_input_error(e) {
        Status::Failed
    } else {
        Status::Rejected
    };
    let kind = e.kind();
    if out.json() {
        out.json_line(&ImageJson {
            file: path,
            ok: false,
            codes: Vec::new(),
            error: Some(ErrorBody::of(e)),
        })?;
    } else {
        out.line(&format!("{}: {} [{kind}]", path.display(), chain(e)))?;
    }
    Ok(status)
}

/// A long text cut for people (`--json` has it whole).
fn abridged(text: &str) -> String {
    const SHOWN: usize = 60;
    let count = text.chars().count();
    if count <= SHOWN {
        return text.to_owned();
    }
    let head: String = text.chars().take(SHOWN).collect();
    format!("{head}… ({count} characters)")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("      {l}\n")
            }
        })
        .collect()
}

/// A layout repair, in JSON.
#[derive(Debug, Serialize)]
struct RepairJson {
    scanner: Option<&'static str>,
    desktop: Option<&'static str>,
    caps_lock: bool,
    advice: Option<String>,
}

fn repair_json(r: &Repaired) -> Option<RepairJson> {
    (!r.was_intact()).then(|| RepairJson {
        scanner: r.mismatch.map(|(s, _)| s.name()),
        desktop: r.mismatch.map(|(_, d)| d.name()),
        caps_lock: r.caps_lock,
        advice: r.advice(),
    })
}

/// One scanned line, in JSON. Never the line's text: a presentation or a
/// token holds the patient's data and could be replayed for minutes (the
/// text output prints the repaired line, for pipes).
#[derive(Debug, Serialize)]
struct LineJson {
    line: u64,
    ok: bool,
    /// Without `--trust`: the repaired line's length, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
    repair: Option<RepairJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<CardJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorBody<'static>>,
}

/// Scanner lines on stdin, one result each; the status is the last line's.
fn wedge(terminal: Option<&Terminal>, out: &mut Out) -> Result<Status, Error> {
    let stdin = io::stdin();
    let lines = WedgeLines::new(stdin.lock(), WedgeConfig::default());
    let mut status = Status::Ok;
    for (n, item) in (1u64..).zip(lines) {
        let line = match item {
            Ok(line) => line,
            Err(WedgeError::Io(e)) => return Err(Error::io("cannot read stdin", e)),
            Err(e) => {
                status = Status::Rejected;
                report_line_error(n, "line_too_long", &e, None, out)?;
                continue;
            }
        };
        let repair = line.repaired.as_ref().and_then(repair_json);
        if let Some(advice) = repair.as_ref().and_then(|r| r.advice.as_ref())
            && !out.json()
        {
            out.line(&format!("line {n}: repaired ({advice})"))?;
        }
        status = match (terminal, &line.repaired) {
            (None, None) => {
                let e = vitale::Error::NotAPresentation;
                report_line_error(n, e.kind(), &e, None, out)?;
                Status::Rejected
            }
            (None, Some(r)) => {
                if out.json() {
                    out.json_line(&LineJson {
                        line: n,
                        ok: true,
                        length: Some(r.text.chars().count()),
                        repair,
                        card: None,
                        error: None,
                    })?;
                } else {
                    out.line(&r.text)?;
                }
                Status::Ok
            }
            // The terminal repairs the line itself: a presentation text as
            // the reader's lines did, or else a token text (which the
            // reader's presentation-only repair leaves out).
            (Some(t), _) => match t.verify_scanner_line(&line.raw) {
                Ok(scanned) => {
                    if out.json() {
                        out.json_line(&LineJson {
                            line: n,
                            ok: true,
                            length: None,
                            repair: repair_json(&scanned.repair),
                            card: Some(card_json(&scanned.card, out)),
                            error: None,
                        })?;
                    } else {
                        out.line(&format!("line {n}: ACCEPTED"))?;
                        out.text(&indent(&card_text(&scanned.card, out)))?;
                    }
                    Status::Ok
                }
                Err(e) => {
                    report_line_error(n, e.kind(), &e, e.time_refusal(), out)?;
                    super::output::refusal_status(&e)
                }
            },
        };
    }
    Ok(status)
}

fn report_line_error(
    n: u64,
    kind: &'static str,
    e: &dyn std::error::Error,
    times: Option<vitale::verify::TimeRefusal>,
    out: &mut Out,
) -> Result<(), Error> {
    if out.json() {
        let mut error = ErrorBody::new(kind, e);
        error.times = times.map(Into::into);
        out.json_line(&LineJson {
            line: n,
            ok: false,
            length: None,
            repair: None,
            card: None,
            error: Some(error),
        })?;
    } else {
        out.line(&format!("line {n}: REJECTED: {} [{kind}]", chain(e)))?;
    }
    Ok(())
}
