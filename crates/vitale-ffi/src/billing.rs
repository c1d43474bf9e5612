//! Billing (*facturation*) over the facade's `vitale::billing`: an
//! invoice-number store opened from a location, a billing handle (the
//! terminal, a rights service, the professional's key, the invoice
//! numbers), one visit billed in one call — rights of the day, care sheet
//! (FSE-lite, not CNDA-approved), signature, receipt — or in two phases
//! for a key that signs elsewhere (`two_phase.rs`); the checks of a signed
//! sheet and of a signed receipt are in `fse.rs`.
//!
//! **Threads.** `VitaleInvoiceNumbers`, `VitaleBilling` and
//! `VitaleSheetToSign` (completed once, under a lock) may be used from
//! several threads at once: each bill takes its own number from the store
//! (durable and unique across threads and, for SQLite and PostgreSQL,
//! across processes). A billing handle keeps the rights service and the
//! invoice numbers it was made from alive (of the terminal it copies the
//! clock): they may be freed before it.

mod config;
mod two_phase;

use core::ffi::c_char;
use std::sync::Arc;

use vitale::billing::json::VisitJson;
use vitale::fse::InvoiceNumbers;

use crate::boundary::{self, Failure, Out, call, call_json, call_keeping_last, into_handle};
use crate::card::VitaleCard;
use crate::options;
use crate::rights::VitaleRightsService;
use crate::status::VitaleStatus;
use crate::terminal::VitaleTerminal;

pub use two_phase::VitaleSheetToSign;

/// An invoice-number store (opaque): numbers unique and increasing per
/// professional, durable before they are returned (*numéro de facture*).
/// Made by [`vitale_invoice_numbers_open`], freed by
/// [`vitale_invoice_numbers_free`]. Safe to share between threads.
pub struct VitaleInvoiceNumbers {
    numbers: Arc<dyn InvoiceNumbers>,
}

/// A professional's billing set-up (opaque). Made by [`vitale_billing_new`],
/// freed by [`vitale_billing_free`]. Safe to share between threads.
pub struct VitaleBilling {
    billing: vitale::billing::Billing,
    /// The invoice numbers the billing takes from (for the two phases).
    numbers: Arc<dyn InvoiceNumbers>,
    /// The receipt key the billing signs with (for the two phases).
    receipt_key: Option<vitale::billing::SharedSigner>,
    /// The terminal's fixed "now" (its `at` option), which dates the
    /// visits and receipts.
    at: Option<vitale::codec::model::Timestamp>,
}

/// Opens the invoice-number store at `location`: `"sqlite:PATH"` (one
/// workstation, feature `sqlite`, on by default), `"postgres:URL"` (a
/// site's workstations, feature `postgres`) or `"memory"` (**not durable**:
/// numbers restart at 1 with the process — tests only). The same file or
/// database as the terminal's `replay_cache` may be used.
///
/// `store_location_invalid` when the text does not parse; `store_unavailable`,
/// `store_schema_unknown`, `store_corrupt` when the store cannot be opened.
/// `*numbers` receives a handle to free with [`vitale_invoice_numbers_free`].
///
/// # Safety
/// `location` is a NUL-terminated string; `numbers` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_invoice_numbers_open(
    location: *const c_char,
    numbers: *mut *mut VitaleInvoiceNumbers,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a writable pointer by the caller's contract.
        let out = unsafe { Out::required(numbers, "numbers") }?;
        // SAFETY: NUL-terminated by the caller's contract.
        let location = unsafe { boundary::text(location, "location") }?;
        out.put(into_handle(VitaleInvoiceNumbers {
            numbers: open_numbers(location)?,
        }));
        Ok(())
    })
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn open_numbers(location: &str) -> Result<Arc<dyn InvoiceNumbers>, Failure> {
    let location: vitale::store::StoreLocation = location.parse().map_err(vitale::Error::from)?;
    let numbers = location
        .open_invoice_numbers()
        .map_err(vitale::Error::from)?;
    Ok(Arc::from(numbers))
}

#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
fn open_numbers(location: &str) -> Result<Arc<dyn InvoiceNumbers>, Failure> {
    if location == "memory" {
        return Ok(Arc::new(vitale::fse::numbering::MemoryInvoiceNumbers::new()));
    }
    Err(Failure::abi(
        VitaleStatus::NotSupported,
        "location: built without the sqlite and postgres features",
    ))
}

/// The last invoice number issued to the professional `billing_number`
/// (*n° AM*, 9 digits) into `*last`; 0 when none was issued yet.
///
/// # Safety
/// `numbers` is a live handle; `billing_number` a NUL-terminated string;
/// `last` a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_invoice_numbers_last(
    numbers: *const VitaleInvoiceNumbers,
    billing_number: *const c_char,
    last: *mut u32,
) -> VitaleStatus {
    call(|| {
        if last.is_null() {
            return Err(Failure::null("last"));
        }
        // SAFETY: a live handle by the caller's contract.
        let n = unsafe { boundary::handle(numbers, "numbers") }?;
        // SAFETY: NUL-terminated by the caller's contract.
        let text = unsafe { boundary::text(billing_number, "billing_number") }?;
        let professional = vitale::adri::BillingNumber::parse(text)
            .map_err(|e| Failure::options("billing_number", e))?;
        let number = n
            .numbers
            .last(&professional)
            .map_err(|e| Failure::from(vitale::Error::from(vitale::fse::Error::Numbering(e))))?;
        // SAFETY: not null (checked above), writable by the caller's
        // contract.
        unsafe { last.write(number.map_or(0, |n| n.get())) };
        Ok(())
    })
}

/// Frees an invoice-number store handle (a billing handle made from it
/// keeps the store open). Null is ignored.
///
/// # Safety
/// `numbers` is null or a live handle that no other thread uses any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_invoice_numbers_free(numbers: *mut VitaleInvoiceNumbers) {
    let _ = call_keeping_last(|| {
        // SAFETY: the caller's contract is free_handle's.
        unsafe { boundary::free_handle(numbers) };
        VitaleStatus::Ok
    });
}

/// Makes a professional's billing set-up over a terminal (its clock dates
/// the visits and receipts: the `at` option, else the system clock), a rights service
/// (the rights of the day), an invoice-number store, and the
/// professional's key.
///
/// `config_json`:
///
/// ```json
/// {"practice": {"billing_number": "991234567", "specialty": "01", "rpps": null,
///               "profession": "physician", "sector": "1", "zone": "metropole"},
///  "sheet_key_file": "C:\\Cabinet\\professional.key",
///  "receipt_key_file": null, "tariffs_file": null, "context_service": null}
/// ```
///
/// The professional's key signs the sheets of cards read offline (`open`
/// profile): pass it as bytes (`sheet_key`, `sheet_key_len`: the 32-byte
/// scalar or the text of 64 hex digits; the library keeps its own copy and
/// wipes it when freed) or as `sheet_key_file` — not both. Without a key
/// a bill of such a card is `no_sheet_signer`. `context_service` (the
/// shape of the terminal's) signs the sheets of cards read online;
/// `receipt_key_file` a key with the receipt usage in the trust list, so
/// that receipts are signed. A key that does not read is `invalid_key`.
///
/// Feature `online` (on by default): otherwise `not_supported`. The handle
/// keeps `rights` and `numbers` alive (not `terminal`); free it with
/// [`vitale_billing_free`].
///
/// # Safety
/// `terminal`, `rights` and `numbers` are live handles; `config_json` a
/// NUL-terminated string; `sheet_key` null or `sheet_key_len` readable
/// bytes; `billing` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_billing_new(
    terminal: *const VitaleTerminal,
    rights: *const VitaleRightsService,
    numbers: *const VitaleInvoiceNumbers,
    config_json: *const c_char,
    sheet_key: *const u8,
    sheet_key_len: usize,
    billing: *mut *mut VitaleBilling,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a writable pointer by the caller's contract.
        let out = unsafe { Out::required(billing, "billing") }?;
        // SAFETY: live handles by the caller's contract.
        let t = unsafe { boundary::handle(terminal, "terminal") }?;
        // SAFETY: as above.
        let r = unsafe { boundary::handle(rights, "rights") }?;
        // SAFETY: as above.
        let n = unsafe { boundary::handle(numbers, "numbers") }?;
        // SAFETY: NUL-terminated by the caller's contract.
        let text = unsafe { boundary::text(config_json, "config_json") }?;
        // SAFETY: readable bytes by the caller's contract.
        let key = unsafe { boundary::bytes(sheet_key, sheet_key_len, "sheet_key") }?;
        let config: config::BillingConfig = options::parse_required(text, "config")?;
        out.put(into_handle(make(t, r, n, &config, key)?));
        Ok(())
    })
}

#[cfg(feature = "online")]
fn make(
    t: &VitaleTerminal,
    r: &VitaleRightsService,
    n: &VitaleInvoiceNumbers,
    config: &config::BillingConfig,
    key: &[u8],
) -> Result<VitaleBilling, Failure> {
    use vitale::billing::Billing;
    use vitale::verify::policy::FixedClock;

    let practice = config.practice.practice()?;
    let mut billing = Billing::new(practice, r.shared(), Arc::clone(&n.numbers));
    let sheet_key = match (key.is_empty(), &config.sheet_key_file) {
        (false, Some(_)) => {
            return Err(Failure::options(
                "config.sheet_key_file",
                "the key is passed as bytes already",
            ));
        }
        (false, None) => Some(config::signer(key, "sheet_key")?),
        (true, Some(path)) => Some(config::signer_file(path, "the professional's key")?),
        (true, None) => None,
    };
    if let Some(key) = sheet_key {
        billing = billing.with_sheet_key(Arc::new(key));
    }
    let receipt_key: Option<vitale::billing::SharedSigner> = match &config.receipt_key_file {
        Some(path) => Some(Arc::new(config::signer_file(path, "the receipt key")?)),
        None => None,
    };
    if let Some(key) = &receipt_key {
        billing = billing.with_receipt_key(Arc::clone(key));
    }
    if let Some(path) = &config.tariffs_file {
        billing = billing.with_tariffs(config::tariffs_file(path)?);
    }
    if let Some(service) = &config.context_service {
        let (client, professional) = crate::online::client(service, "config.context_service")?;
        billing = billing.with_context_service(Arc::new(vitale::http::HttpContextService::new(
            client,
            professional,
        )));
    }
    if let Some(at) = t.fixed_now() {
        billing = billing.with_clock(Arc::new(FixedClock(at)));
    }
    Ok(VitaleBilling {
        billing,
        numbers: Arc::clone(&n.numbers),
        receipt_key,
        at: t.fixed_now(),
    })
}

#[cfg(not(feature = "online"))]
fn make(
    _: &VitaleTerminal,
    _: &VitaleRightsService,
    _: &VitaleInvoiceNumbers,
    _: &config::BillingConfig,
    _: &[u8],
) -> Result<VitaleBilling, Failure> {
    Err(Failure::not_supported("vitale_billing_new", "online"))
}

/// Frees a billing handle (and the professional's key it holds, wiped).
/// Null is ignored.
///
/// # Safety
/// `billing` is null or a live handle that no other thread uses any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_billing_free(billing: *mut VitaleBilling) {
    let _ = call_keeping_last(|| {
        // SAFETY: the caller's contract is free_handle's.
        unsafe { boundary::free_handle(billing) };
        VitaleStatus::Ok
    });
}

/// Bills one visit of a verified card's beneficiary: rights of the day
/// (ADRi), care sheet priced and numbered (the number is taken last, once
/// every rule passed: a refused visit uses none), hashed and signed, and
/// the receipt.
///
/// `visit_json`: `{"rank": 1, "date": "2026-11-22", "acts": ["G",
/// {"act": "DEQP003", "extra_fee_cents": 0, "scope": "general"}],
/// "pathway": "treating_doctor", "third_party": false}` (`date` defaults
/// to today, `pathway` to what the rights show).
///
/// `*json` receives the facade's `BilledVisit` JSON — `rights`, `sheet`
/// (`number` is the invoice number, `totals.fee` the total in cents…),
/// `digest`, `signature`, `receipt` (`text`, and `signed`: the signed
/// receipt in hex, or null without a receipt key) — plus `signed_sheet`:
/// the signed sheet's CBOR in lower-case hex, the bytes to store and to
/// check with `vitale_sheet_verify`. Binary values are hex so that every
/// language decodes them with what it has. The JSON holds the patient's
/// NIR in clear: for billing, never for logs.
///
/// Failures: `no_sheet_signer`, `no_such_beneficiary`, `rights_*` and
/// `patient_unknown`, `fse_*`, `invoice_numbers_*`.
///
/// # Safety
/// `billing` and `card` are live handles; `visit_json` a NUL-terminated
/// string; `json` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_billing_bill(
    billing: *const VitaleBilling,
    card: *const VitaleCard,
    visit_json: *const c_char,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: live handles by the caller's contract.
        let b = unsafe { boundary::handle(billing, "billing") }?;
        // SAFETY: as above.
        let c = unsafe { boundary::handle(card, "card") }?;
        // SAFETY: NUL-terminated by the caller's contract.
        let text = unsafe { boundary::text(visit_json, "visit_json") }?;
        let visit: VisitJson = options::parse_required(text, "visit")?;
        bill(b, c, &visit)
    })
}

/// The facade's visit request of a visit's JSON
/// (`vitale::billing::json`, the shape the local agent reads too).
fn request(b: &VitaleBilling, visit: &VisitJson) -> Result<vitale::billing::VisitRequest, Failure> {
    let today = match b.at {
        Some(at) => at.date(),
        None => options::now()?.date(),
    };
    Ok(visit.request(today)?)
}

fn bill(b: &VitaleBilling, c: &VitaleCard, visit: &VisitJson) -> Result<String, Failure> {
    let request = request(b, visit)?;
    let billed = b.billing.bill(c.card(), &request)?;
    let mut value = billed.to_json()?;
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "signed_sheet".into(),
            vitale::codec::hex::encode(&billed.sheet().to_cbor()).into(),
        );
    }
    Ok(value.to_string())
}

/// Phase one of billing with a key that signs elsewhere (an HSM, a smart
/// card, a signing server): as [`vitale_billing_bill`] up to the
/// signature — rights of the day, the sheet priced and numbered (the
/// number is taken now, last) — then `*sheet` receives a handle holding
/// the sheet's deterministic CBOR and its SHA-256 digest, the bytes to
/// sign (`vitale_sheet_to_sign_json`). Complete it with
/// [`vitale_sheet_to_sign_complete`]; free it with
/// [`vitale_sheet_to_sign_free`]. The billing needs no key of its own for
/// this.
///
/// # Safety
/// As [`vitale_billing_bill`]; `sheet` is a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_billing_prepare(
    billing: *const VitaleBilling,
    card: *const VitaleCard,
    visit_json: *const c_char,
    sheet: *mut *mut VitaleSheetToSign,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a writable pointer by the caller's contract.
        let out = unsafe { Out::required(sheet, "sheet") }?;
        // SAFETY: live handles by the caller's contract.
        let b = unsafe { boundary::handle(billing, "billing") }?;
        // SAFETY: as above.
        let c = unsafe { boundary::handle(card, "card") }?;
        // SAFETY: NUL-terminated by the caller's contract.
        let text = unsafe { boundary::text(visit_json, "visit_json") }?;
        let visit: VisitJson = options::parse_required(text, "visit")?;
        out.put(into_handle(two_phase::prepare(b, c, &visit)?));
        Ok(())
    })
}

/// What to sign: `{"sheet": SHEET, "cbor": "hex", "digest": "hex SHA-256
/// of cbor", "rights": RIGHTS}`. An ES256 signer signs `cbor` (or, given
/// the pre-hash, `digest`). `invalid_argument` once completed.
///
/// # Safety
/// `sheet` is a live handle; `json` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_sheet_to_sign_json(
    sheet: *const VitaleSheetToSign,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: a live handle by the caller's contract.
        let s = unsafe { boundary::handle(sheet, "sheet") }?;
        two_phase::describe(s)
    })
}

/// Phase two: the ES256 signature made elsewhere over the digest (`r ‖ s`,
/// 64 bytes) and the signer's public key (DER SubjectPublicKeyInfo; its
/// kid goes on the sheet). The signature is checked first
/// (`fse_signature_invalid`: the handle stays, to try again); then the
/// receipt is made (and signed, with the billing's receipt key) and
/// `*json` receives what [`vitale_billing_bill`] gives. A sheet is
/// completed once (`invalid_argument` afterwards).
///
/// # Safety
/// `sheet` is a live handle; `signature` points to `signature_len`
/// readable bytes, `public_key_spki` to `public_key_spki_len`; `json` is a
/// writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_sheet_to_sign_complete(
    sheet: *const VitaleSheetToSign,
    signature: *const u8,
    signature_len: usize,
    public_key_spki: *const u8,
    public_key_spki_len: usize,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: a live handle by the caller's contract.
        let s = unsafe { boundary::handle(sheet, "sheet") }?;
        // SAFETY: readable bytes by the caller's contract.
        let sig = unsafe { boundary::bytes(signature, signature_len, "signature") }?;
        // SAFETY: as above.
        let spki =
            unsafe { boundary::bytes(public_key_spki, public_key_spki_len, "public_key_spki") }?;
        two_phase::complete(s, sig, spki)
    })
}

/// Frees a sheet waiting for its signature (completed or not: a number
/// taken and never signed stays used — invoice numbers are never reused).
/// Null is ignored.
///
/// # Safety
/// `sheet` is null or a live handle that no other thread uses any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_sheet_to_sign_free(sheet: *mut VitaleSheetToSign) {
    let _ = call_keeping_last(|| {
        // SAFETY: the caller's contract is free_handle's.
        unsafe { boundary::free_handle(sheet) };
        VitaleStatus::Ok
    });
}

#[cfg(test)]
mod tests;
