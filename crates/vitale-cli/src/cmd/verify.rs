//! `vitale verify`: one presentation text against a trust list.

use serde::Serialize;
use vitale::codec::TextKind;
use vitale::codec::model::Channel;
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
    if args.trust.trust.is_none() && args.context.context_service.is_none() {
        return Err(Error::Usage(
            "verify needs --trust FILE (presentations) or --context-service URL (tokens)".into(),
        ));
    }
    let text = arg_or_stdin_line(args.text.as_deref(), "presentation")?;
    if text.is_empty() {
        return report(
            Err(vitale::Error::EmptyInput {
                what: "presentation text",
            }),
            out,
        );
    }
    let tokens = super::online::token_verifier(&args.context, args.trust.at.as_deref())?;
    if let Ok(TextKind::Token(token)) = TextKind::of(&text) {
        let outcome = match &tokens {
            Some(verifier) => verifier
                .verify(&token, Channel::Qr)
                .map_err(vitale::Error::from),
            None => Err(vitale::Error::NoTokenVerifier),
        };
        return report(outcome, out);
    }
    let Some(trust) = args.trust.trust.as_deref() else {
        return report(Err(vitale::Error::NotAPresentation), out);
    };
    let verifier = load_verifier(trust, &args.trust)?;
    report(
        verifier.verify_text(&text).map_err(vitale::Error::from),
        out,
    )
}

/// Prints a verification's outcome; the status follows it.
pub(crate) fn report(
    outcome: Result<VerifiedCard, vitale::Error>,
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
            let status = super::output::refusal_status(&e);
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
