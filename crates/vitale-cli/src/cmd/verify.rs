//! `vitale verify`: one presentation text against a trust list.

use serde::Serialize;
use vitale::verify::VerifiedCard;

use super::output::{ErrorBody, Out, chain};
use super::render::{CardJson, card_json, card_text};
use super::{Error, Status, arg_or_stdin_line, load_verifier};
use crate::cli::VerifyArgs;

/// `{"ok": true, "card": {...}}`.
#[derive(Debug, Serialize)]
pub(crate) struct Accepted {
    ok: bool,
    card: CardJson,
}

/// `{"ok": false, "error": {"kind", "message"}}`.
#[derive(Debug, Serialize)]
pub(crate) struct Refused<'a> {
    ok: bool,
    error: ErrorBody<'a>,
}

pub(super) fn run(args: &VerifyArgs, out: &mut Out) -> Result<Status, Error> {
    let trust = args
        .trust
        .trust
        .as_deref()
        .ok_or_else(|| Error::Usage("verify needs --trust FILE".into()))?;
    let text = arg_or_stdin_line(args.text.as_deref(), "presentation")?;
    let verifier = load_verifier(trust, &args.trust)?;
    report(verifier.verify_text(&text), out)
}

/// Prints a verification's outcome; the status follows it.
pub(crate) fn report(
    outcome: Result<VerifiedCard, vitale::verify::Error>,
    out: &mut Out,
) -> Result<Status, Error> {
    match outcome {
        Ok(card) => {
            if out.json() {
                let json = card_json(&card, out);
                out.json_line(&Accepted {
                    ok: true,
                    card: json,
                })?;
            } else {
                let text = card_text(&card, out);
                out.line("ACCEPTED: appli carte Vitale presentation verified")?;
                out.line("")?;
                out.text(&text)?;
            }
            Ok(Status::Ok)
        }
        Err(e) => {
            if out.json() {
                out.json_line(&Refused {
                    ok: false,
                    error: ErrorBody::new(e.kind(), &e),
                })?;
            } else {
                out.line(&format!("REJECTED: {} [{}]", chain(&e), e.kind()))?;
            }
            Ok(Status::Rejected)
        }
    }
}
