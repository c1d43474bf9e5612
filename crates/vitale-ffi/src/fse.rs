//! Checks of what billing produced, over `vitale::fse`: a signed care sheet
//! against the professional's public key, and a signed receipt (*reçu*)
//! against a terminal's trust list — what the phone, an auditor or the
//! vendor's server does with the bytes of `vitale_billing_bill`.
//!
//! **Threads.** These functions take no handle of their own; the terminal
//! may be shared as everywhere else.

use core::ffi::c_char;

use serde_json::json;
use vitale::codec::hex;
use vitale::fse::Receipt;
use vitale::fse::signing::SignedSheet;
use vitale::verify::{PublicKey, default_backend};

use crate::boundary::{self, Failure, Out, call_json};
use crate::status::VitaleStatus;
use crate::terminal::VitaleTerminal;

fn fse(e: vitale::fse::Error) -> Failure {
    Failure::from(vitale::Error::from(e))
}

/// Checks a signed care sheet (the bytes of `signed_sheet` in
/// `vitale_billing_bill`'s JSON, hex-decoded) with the professional's
/// public key (DER SubjectPublicKeyInfo).
///
/// `*json` receives `{"sheet": SHEET, "digest": "hex SHA-256 of the signed
/// sheet"}` (`docs/fse.md`; the NIR in clear). `fse_encoding_invalid` when
/// the bytes are not a signed sheet, `fse_signature_invalid` when the
/// signature does not verify (or the sheet was signed by a context
/// service, which only the service can check), `invalid_public_key` for a
/// bad key.
///
/// # Safety
/// `signed_sheet` points to `signed_sheet_len` readable bytes,
/// `public_key_spki` to `public_key_spki_len`; `json` is a writable
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_sheet_verify(
    signed_sheet: *const u8,
    signed_sheet_len: usize,
    public_key_spki: *const u8,
    public_key_spki_len: usize,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: readable bytes by the caller's contract.
        let bytes = unsafe { boundary::bytes(signed_sheet, signed_sheet_len, "signed_sheet") }?;
        // SAFETY: as above.
        let der =
            unsafe { boundary::bytes(public_key_spki, public_key_spki_len, "public_key_spki") }?;
        let key = PublicKey::from_spki_der(der).map_err(vitale::Error::from)?;
        let signed = SignedSheet::from_cbor(bytes).map_err(fse)?;
        let sheet = signed.verify(&key, default_backend()).map_err(fse)?;
        let sheet: serde_json::Value = serde_json::from_str(&sheet.to_json()).map_err(|_| {
            Failure::abi(VitaleStatus::Panic, "internal error: sheet JSON encoding")
        })?;
        Ok(json!({"sheet": sheet, "digest": hex::encode(&signed.digest())}).to_string())
    })
}

/// Checks a signed receipt (the bytes of `receipt.signed` in
/// `vitale_billing_bill`'s JSON, hex-decoded) against the trust list in
/// force in `terminal`, now (the terminal's `at`, else the system clock):
/// signed by a key with the receipt usage, valid when it signed, the
/// receipt within its 7 days.
///
/// `*json` receives `{"invoice", "date", "valid_until", "issued_at",
/// "professional", "rank", "totals": {"fee", "amo", "amc", "patient",
/// "paid_at_desk", "amo_reimbursement", "amc_reimbursement"} (cents),
/// "sheet_digest", "text"}`. Failures are the `fse_receipt_*` kinds.
///
/// # Safety
/// `terminal` is a live handle; `receipt` points to `receipt_len` readable
/// bytes; `json` is a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_receipt_verify(
    terminal: *const VitaleTerminal,
    receipt: *const u8,
    receipt_len: usize,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: a live handle by the caller's contract.
        let t = unsafe { boundary::handle(terminal, "terminal") }?;
        // SAFETY: readable bytes by the caller's contract.
        let bytes = unsafe { boundary::bytes(receipt, receipt_len, "receipt") }?;
        let list = t.read().verifier().trust_store().current();
        let r = Receipt::verify(bytes, &list, t.now()?).map_err(fse)?;
        let totals = r.totals();
        Ok(json!({
            "invoice": r.invoice().get(),
            "date": r.date().to_string(),
            "valid_until": r.valid_until().to_string(),
            "issued_at": r.issued_at().to_rfc3339(),
            "professional": r.professional().as_str(),
            "rank": r.rank().get(),
            "totals": {
                "fee": totals.fee.get(),
                "amo": totals.amo.get(),
                "amc": totals.amc.get(),
                "patient": totals.patient.get(),
                "paid_at_desk": totals.paid_at_desk.get(),
                "amo_reimbursement": totals.amo_reimbursement.get(),
                "amc_reimbursement": totals.amc_reimbursement.get(),
            },
            "sheet_digest": hex::encode(r.sheet_digest()),
            "text": r.to_text(),
        })
        .to_string())
    })
}
