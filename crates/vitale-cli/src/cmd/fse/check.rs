//! `vitale fse verify`: a signed care sheet's ES256 signature, checked
//! with the professional's key.

use serde::Serialize;
use vitale::fse::signing::SheetSignature;
use vitale::verify::{default_backend, kid_of_spki};

use super::{Failure, keys, read_signed};
use crate::cli_fse::FseVerifyArgs;
use crate::cmd::output::{Out, hex};
use crate::cmd::{Error, Status};

/// `{"ok": true, "invoice": …, "digest": …, "kid": …, "sheet": {…}}`.
#[derive(Debug, Serialize)]
struct ValidJson {
    ok: bool,
    invoice: u32,
    digest: String,
    kid: String,
    sheet: serde_json::Value,
}

pub(super) fn run(args: &FseVerifyArgs, out: &mut Out) -> Result<Status, Failure> {
    let key = keys::verifying_key(args.public_key.as_deref(), args.key.as_deref())?
        .ok_or_else(|| Error::Usage("give --public-key or --key".into()))?;
    let signed = read_signed(&args.signed)?;
    if let SheetSignature::Context { context_id, .. } = signed.signature() {
        // Only the service that signed can check its signature.
        return Err(Error::Usage(format!(
            "{} was signed by the context service (context {}): only that service can check its signature",
            args.signed.display(),
            context_id.as_str()
        ))
        .into());
    }
    let sheet = signed.verify(&key, default_backend())?;
    let kid = hex(&kid_of_spki(&key.to_spki_der()));
    let digest = hex(&signed.digest());
    if out.json() {
        out.json_line(&ValidJson {
            ok: true,
            invoice: sheet.number.get(),
            digest,
            kid,
            sheet: super::sheet_json(sheet, out),
        })?;
    } else {
        out.line(&format!(
            "VALID: care sheet {} signed by key {kid} over {digest}",
            sheet.number
        ))?;
        out.line("")?;
        out.text(&super::sheet_text(sheet, out))?;
    }
    Ok(Status::Ok)
}
