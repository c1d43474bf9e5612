//! Billing in two phases, for a professional key that cannot sign in this
//! process (an HSM, a smart card, a signing server): the visit priced and
//! numbered, its deterministic CBOR and SHA-256 digest handed out
//! (`vitale::fse::signing::SheetToSign`); the ES256 signature made
//! elsewhere over the digest comes back, is checked with the key's public
//! half, and completes the sheet and its receipt.

use std::sync::{Mutex, PoisonError};

use serde_json::{Value, json};
use vitale::adri::Rights;
use vitale::codec::hex;
use vitale::fse::signing::{SheetSignature, SheetToSign, SignedSheet};
use vitale::fse::{CareSheet, Receipt, Visit};
use vitale::verify::{PublicKey, Signature, default_backend, kid_of_spki};

use super::VitaleBilling;
use crate::boundary::Failure;
use crate::card::VitaleCard;
use crate::options;
use crate::status::VitaleStatus;

/// A care sheet priced and numbered, waiting for its signature (opaque).
/// Made by `vitale_billing_prepare`, completed once by
/// `vitale_sheet_to_sign_complete`, freed by `vitale_sheet_to_sign_free`.
/// Safe to share between threads.
pub struct VitaleSheetToSign {
    /// `None` once completed: a number is signed once.
    sheet: Mutex<Option<SheetToSign>>,
    rights: Rights,
    receipt_key: Option<vitale::billing::SharedSigner>,
    at: Option<vitale::codec::model::Timestamp>,
}

fn encoding(what: &str) -> Failure {
    Failure::abi(
        VitaleStatus::Panic,
        format!("internal error: {what} JSON encoding"),
    )
}

/// Phase one: rights of the day, the sheet priced and numbered (the number
/// is taken last), encoded and hashed — what `Billing::bill` does before it
/// signs.
pub(super) fn prepare(
    b: &VitaleBilling,
    c: &VitaleCard,
    visit: &vitale::billing::json::VisitJson,
) -> Result<VitaleSheetToSign, Failure> {
    let request = super::request(b, visit)?;
    let billing = &b.billing;
    let rights = billing.rights(c.card(), request.rank, request.date)?;
    let visit = Visit {
        date: request.date,
        pathway: request
            .pathway
            .unwrap_or_else(|| billing.pathway(&rights, request.date)),
        acts: request.acts.clone(),
        offer_third_party: request.offer_third_party,
    };
    let sheet = CareSheet::build(
        billing.practice(),
        billing.tariffs(),
        c.card(),
        request.rank,
        &rights,
        &visit,
        b.numbers.as_ref(),
    )
    .map_err(vitale::Error::from)?;
    Ok(VitaleSheetToSign {
        sheet: Mutex::new(Some(sheet.prepare())),
        rights,
        receipt_key: b.receipt_key.clone(),
        at: b.at,
    })
}

/// `{"sheet", "cbor", "digest", "rights"}` of a sheet waiting for its
/// signature.
pub(super) fn describe(s: &VitaleSheetToSign) -> Result<String, Failure> {
    let guard = s.sheet.lock().unwrap_or_else(PoisonError::into_inner);
    let to_sign = guard.as_ref().ok_or_else(|| {
        Failure::abi(
            VitaleStatus::InvalidArgument,
            "this sheet is already signed",
        )
    })?;
    let sheet: Value =
        serde_json::from_str(&to_sign.sheet().to_json()).map_err(|_| encoding("sheet"))?;
    Ok(json!({
        "sheet": sheet,
        "cbor": hex::encode(to_sign.cbor()),
        "digest": hex::encode(to_sign.digest()),
        "rights": rights_json(&s.rights)?,
    })
    .to_string())
}

fn rights_json(rights: &Rights) -> Result<Value, Failure> {
    let bytes = rights
        .to_json()
        .map_err(|e| Failure::from(vitale::Error::from(e)))?;
    serde_json::from_slice(&bytes).map_err(|_| encoding("rights"))
}

/// Phase two: an ES256 signature (`r ‖ s`, 64 bytes) over the digest,
/// checked with the signer's public key (DER SubjectPublicKeyInfo), then
/// the receipt; the JSON of `vitale_billing_bill`.
pub(super) fn complete(
    s: &VitaleSheetToSign,
    signature: &[u8],
    spki: &[u8],
) -> Result<String, Failure> {
    let key = PublicKey::from_spki_der(spki).map_err(vitale::Error::from)?;
    let signature = Signature::from_slice(signature).map_err(vitale::Error::from)?;
    let mut guard = s.sheet.lock().unwrap_or_else(PoisonError::into_inner);
    let to_sign = guard.as_ref().ok_or_else(|| {
        Failure::abi(
            VitaleStatus::InvalidArgument,
            "this sheet is already signed",
        )
    })?;
    let signed = to_sign.clone().complete(SheetSignature::Es256 {
        signature,
        kid: Some(kid_of_spki(spki)),
    });
    signed
        .verify(&key, default_backend())
        .map_err(|e| Failure::from(vitale::Error::from(e)))?;
    let now = match s.at {
        Some(at) => at,
        None => options::now()?,
    };
    let receipt = Receipt::of(&signed, now).map_err(vitale::Error::from)?;
    let signed_receipt = match &s.receipt_key {
        Some(key) => Some(receipt.sign(key.as_ref()).map_err(vitale::Error::from)?),
        None => None,
    };
    let out = billed_json(&s.rights, &signed, &receipt, signed_receipt.as_deref())?;
    *guard = None;
    Ok(out)
}

/// The shape of the facade's `BilledVisit::to_json`, plus `signed_sheet`.
fn billed_json(
    rights: &Rights,
    signed: &SignedSheet,
    receipt: &Receipt,
    signed_receipt: Option<&[u8]>,
) -> Result<String, Failure> {
    let sheet: Value =
        serde_json::from_str(&signed.sheet().to_json()).map_err(|_| encoding("sheet"))?;
    let signature = match signed.signature() {
        SheetSignature::Es256 { signature, kid } => json!({
            "kind": "es256",
            "kid": kid.map(|k| hex::encode(&k)),
            "signature": hex::encode(&signature.to_bytes()),
        }),
        _ => json!({"kind": "other"}),
    };
    Ok(json!({
        "rights": rights_json(rights)?,
        "sheet": sheet,
        "digest": hex::encode(&signed.digest()),
        "signature": signature,
        "receipt": {
            "text": receipt.to_text(),
            "signed": signed_receipt.map(hex::encode),
        },
        "signed_sheet": hex::encode(&signed.to_cbor()),
    })
    .to_string())
}
