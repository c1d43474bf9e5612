//! `vitale fse receipt`: the patient's receipt (*reçu*) of a signed sheet,
//! as text or HTML, signed for the phone with a receipt key; or a signed
//! receipt checked against a trust list, as the phone does.

use serde::Serialize;
use vitale::fse::Receipt;
use vitale::fse::receipt::MAX_SIGNED_RECEIPT_BYTES;

use super::{Failure, NewFile, keys, read_bounded, read_signed};
use crate::cli_fse::FseReceiptArgs;
use crate::cmd::output::{Out, date, hex, rfc3339};
use crate::cmd::{Error, Status, read_file, time_or_now};

/// The receipt in JSON: its main facts, the text (or HTML), and the signed
/// receipt written, if any.
#[derive(Debug, Serialize)]
struct ReceiptJson {
    ok: bool,
    /// True when the receipt was checked (`--verify`).
    verified: bool,
    invoice: u32,
    date: String,
    valid_until: String,
    issued_at: String,
    professional: String,
    rank: u8,
    paid_at_desk: u32,
    amo_reimbursement: u32,
    amc_reimbursement: u32,
    sheet_digest: String,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
    /// The signed receipt written (`--key`, `--out`).
    #[serde(skip_serializing_if = "Option::is_none")]
    out: Option<std::path::PathBuf>,
    /// The receipt key's kid (`--key`).
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
}

pub(super) fn run(args: &FseReceiptArgs, out: &mut Out) -> Result<Status, Failure> {
    if let Some(path) = &args.verify {
        return verify(args, path, out);
    }
    let signed_path = args
        .signed
        .as_deref()
        .ok_or_else(|| Error::Usage("give --signed FILE or --verify FILE".into()))?;
    let key = match &args.key {
        Some(path) => Some(keys::load_signer(path, "the receipt key")?),
        None => None,
    };
    let file = match &args.out {
        Some(path) => Some(NewFile::reserve(path)?),
        None => None,
    };
    let signed = read_signed(signed_path)?;
    let issued_at = time_or_now(args.trust.at.as_deref())?;
    let receipt = Receipt::of(&signed, issued_at)?;
    let (written, kid) = match (key, file) {
        (Some(key), Some(file)) => {
            let bytes = receipt.sign(&key)?;
            let kid = vitale::verify::Signer::kid(&key).map(|k| hex(&k));
            (Some(file.commit(&bytes)?), kid)
        }
        _ => (None, None),
    };
    show(&receipt, false, args.html, written, kid, out)?;
    Ok(Status::Ok)
}

/// `--verify FILE --trust LIST`: the phone's check.
fn verify(args: &FseReceiptArgs, path: &std::path::Path, out: &mut Out) -> Result<Status, Failure> {
    let trust = args
        .trust
        .trust
        .as_deref()
        .ok_or_else(|| Error::Usage("--verify needs --trust FILE".into()))?;
    let now = time_or_now(args.trust.at.as_deref())?;
    let root_path = match &args.trust.root {
        Some(root) => root.clone(),
        None => trust
            .parent()
            .unwrap_or_else(|| std::path::Path::new(""))
            .join("root.spki.der"),
    };
    let list = read_file(trust, "the trust list")?;
    let root = read_file(&root_path, "the root key")?;
    let store = vitale::load_trust_store(&list, &root, now).map_err(Error::Trust)?;
    let bytes = read_bounded(path, "the signed receipt", MAX_SIGNED_RECEIPT_BYTES)?;
    let receipt = Receipt::verify(&bytes, &store.current(), now)?;
    show(&receipt, true, args.html, None, None, out)?;
    Ok(Status::Ok)
}

fn show(
    receipt: &Receipt,
    verified: bool,
    html: bool,
    written: Option<std::path::PathBuf>,
    kid: Option<String>,
    out: &mut Out,
) -> Result<(), Failure> {
    let t = receipt.totals();
    if out.json() {
        out.json_line(&ReceiptJson {
            ok: true,
            verified,
            invoice: receipt.invoice().get(),
            date: date(receipt.date()),
            valid_until: date(receipt.valid_until()),
            issued_at: rfc3339(receipt.issued_at()),
            professional: receipt.professional().as_str().to_owned(),
            rank: receipt.rank().get(),
            paid_at_desk: t.paid_at_desk.get(),
            amo_reimbursement: t.amo_reimbursement.get(),
            amc_reimbursement: t.amc_reimbursement.get(),
            sheet_digest: hex(receipt.sheet_digest()),
            text: receipt.to_text(),
            html: html.then(|| receipt.to_html()),
            out: written,
            kid,
        })?;
        return Ok(());
    }
    if verified {
        out.line(&format!(
            "VALID: receipt of care sheet {} signed {} (shown until {})",
            receipt.invoice(),
            rfc3339(receipt.issued_at()),
            date(receipt.valid_until())
        ))?;
        out.line("")?;
    }
    if html {
        out.text(&receipt.to_html())?;
    } else {
        out.text(&receipt.to_text())?;
    }
    if let Some(path) = written {
        let note = format!(
            "signed receipt (key {}) written to {}",
            kid.unwrap_or_default(),
            path.display()
        );
        if html {
            // Stdout holds the HTML fragment alone.
            eprintln!("{note}");
        } else {
            out.line("")?;
            out.line(&note)?;
        }
    }
    Ok(())
}
