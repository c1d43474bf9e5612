//! `vitale fse sign`: phase two of a care sheet — the professional's key,
//! the context service, or a signature made elsewhere over the digest that
//! `--digest-only` printed (phase one).

use serde::Serialize;
use vitale::fse::sheet::CardRead;
use vitale::fse::signing::{SheetSignature, SignedSheet};
use vitale::http::HttpContextService;
use vitale::verify::token::ContextId;
use vitale::verify::{Signature, default_backend, kid_of_spki};

use super::{Failure, NewFile, keys, read_sheet};
use crate::cli_fse::FseSignArgs;
use crate::cmd::output::{Out, hex};
use crate::cmd::{Error, Status, online};

/// `fse sign --digest-only`.
#[derive(Debug, Serialize)]
struct DigestJson {
    ok: bool,
    invoice: u32,
    /// Hex SHA-256 of the sheet's CBOR.
    digest: String,
    /// `offline` (sign with an ES256 key) or `online` (the context service).
    card: &'static str,
}

/// `fse sign`.
#[derive(Debug, Serialize)]
struct SignedJson {
    ok: bool,
    invoice: u32,
    digest: String,
    signature: serde_json::Value,
    #[serde(serialize_with = "crate::cmd::output::path_lossy")]
    out: std::path::PathBuf,
}

pub(super) fn run(args: &FseSignArgs, out: &mut Out) -> Result<Status, Failure> {
    let sheet = read_sheet(&args.sheet)?;
    let online = matches!(sheet.card, CardRead::Online { .. });
    let to_sign = sheet.prepare();
    if args.digest_only {
        let digest = hex(to_sign.digest());
        if out.json() {
            out.json_line(&DigestJson {
                ok: true,
                invoice: to_sign.sheet().number.get(),
                digest,
                card: if online { "online" } else { "offline" },
            })?;
        } else {
            out.line(&digest)?;
        }
        return Ok(Status::Ok);
    }
    let path = args
        .out
        .as_deref()
        .ok_or_else(|| Error::Usage("--out FILE is required to sign".into()))?;
    // The signer the card's profile needs, as `Billing::bill` chooses it.
    let wrong_signer = |needed: &str| {
        Failure::Cli(Error::Usage(format!(
            "the card of {} was read {}: sign it with {needed}",
            args.sheet.display(),
            if online {
                "online (token profile)"
            } else {
                "offline (open profile)"
            }
        )))
    };
    let file = NewFile::reserve(path)?;
    let signed = if let Some(key) = &args.key {
        if online {
            return Err(wrong_signer("--context-service"));
        }
        to_sign.sign(&keys::load_signer(key, "the professional's key")?)?
    } else if let Some(url) = &args.context.context_service {
        let CardRead::Online { context_id, .. } = &to_sign.sheet().card else {
            return Err(wrong_signer("--key (or --digest-only and --signature)"));
        };
        let context = ContextId::new(context_id).ok_or_else(|| {
            Failure::from(vitale::fse::Error::Encoding("context id of the card read"))
        })?;
        let service = HttpContextService::new(
            online::client(url, "--context-service", &args.context)?,
            online::professional(&args.context)?,
        );
        to_sign.sign_with_context(&service, &context)?
    } else if let Some(text) = &args.signature {
        if online {
            return Err(wrong_signer("--context-service"));
        }
        let signature = vitale::codec::hex::decode(text.trim())
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or_else(|| {
                Error::Usage("--signature: expected 128 hex digits (ES256 r ‖ s)".into())
            })?;
        let public_key = args
            .public_key
            .as_deref()
            .ok_or_else(|| Error::Usage("--signature needs --public-key".into()))?;
        let key = keys::load_public_key(public_key, "the public key")?;
        default_backend()
            .verify_es256(&key, to_sign.cbor(), &signature)
            .map_err(|_| vitale::fse::Error::SignatureInvalid)?;
        to_sign.complete(SheetSignature::Es256 {
            signature,
            kid: Some(kid_of_spki(&key.to_spki_der())),
        })
    } else {
        return Err(Error::Usage(
            "give --key, --context-service, --signature or --digest-only".into(),
        )
        .into());
    };
    let path = file.commit(&signed.to_cbor())?;
    print_signed(&signed, path, out)?;
    Ok(Status::Ok)
}

fn print_signed(
    signed: &SignedSheet,
    path: std::path::PathBuf,
    out: &mut Out,
) -> Result<(), Failure> {
    let digest = hex(&signed.digest());
    if out.json() {
        out.json_line(&SignedJson {
            ok: true,
            invoice: signed.sheet().number.get(),
            digest,
            signature: signature_json(signed.signature()),
            out: path,
        })?;
    } else {
        out.line(&format!(
            "SIGNED: care sheet {} ({}) over {digest}",
            signed.sheet().number,
            signature_text(signed.signature())
        ))?;
        out.line(&format!("  written to {}", path.display()))?;
    }
    Ok(())
}

/// `{"kind": "es256", "kid": …, "signature": …}` or `{"kind": "context",
/// "context_id": …, "signature": …}`, as `BilledVisit::to_json` writes it.
pub(super) fn signature_json(signature: &SheetSignature) -> serde_json::Value {
    match signature {
        SheetSignature::Es256 { signature, kid } => serde_json::json!({
            "kind": "es256",
            "kid": kid.map(|k| hex(&k)),
            "signature": hex(&signature.to_bytes()),
        }),
        SheetSignature::Context {
            context_id,
            signature,
        } => serde_json::json!({
            "kind": "context",
            "context_id": context_id.as_str(),
            "signature": hex(signature),
        }),
        _ => serde_json::json!({ "kind": "other" }),
    }
}

/// `ES256, key 0123…` or `by the context service, context …`.
pub(super) fn signature_text(signature: &SheetSignature) -> String {
    match signature {
        SheetSignature::Es256 { kid: Some(kid), .. } => format!("ES256, key {}", hex(kid)),
        SheetSignature::Es256 { kid: None, .. } => "ES256".to_owned(),
        SheetSignature::Context { context_id, .. } => {
            format!("by the context service, context {}", context_id.as_str())
        }
        _ => "another signature".to_owned(),
    }
}
