//! Rights (ADRi) through the reference HTTPS binding (feature `online`):
//! a rights service handle, a query as JSON or for a card's beneficiary,
//! the answer as JSON.
//!
//! **Threads.** A `VitaleRightsService` may be used from several threads
//! at once (each call is one HTTPS exchange, blocking).

use core::ffi::c_char;

use crate::boundary::{self, Failure, Out, call, call_json, call_keeping_last, into_handle};
use crate::card::VitaleCard;
use crate::options::{self, OnlineService};
use crate::status::VitaleStatus;

/// A rights service client (opaque): where the service is, the CA pinned,
/// the professional asking. Made by [`vitale_rights_service_new`], freed by
/// [`vitale_rights_service_free`]. Safe to share between threads.
pub struct VitaleRightsService {
    /// Shared with the billing handles built over it.
    #[cfg(feature = "online")]
    service: std::sync::Arc<vitale::http::HttpRightsService>,
}

impl VitaleRightsService {
    /// The service, for a handle that keeps it (billing).
    #[cfg(feature = "online")]
    pub(crate) fn shared(&self) -> std::sync::Arc<dyn vitale::adri::RightsService> {
        self.service.clone()
    }
}

/// Makes a rights service client from its settings as JSON, the shape of
/// the terminal's `context_service`: `{"url", "ca_pem", "billing_number",
/// "specialty", "rpps", "timeout_secs", "client_cert_pem",
/// "client_key_pem"}`. Nothing is sent yet. `not_supported` when the
/// library is built without the `online` feature.
///
/// # Safety
/// `config_json` is a NUL-terminated string; `service` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_rights_service_new(
    config_json: *const c_char,
    service: *mut *mut VitaleRightsService,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a writable pointer by the caller's contract.
        let out = unsafe { Out::required(service, "service") }?;
        // SAFETY: NUL-terminated by the caller's contract.
        let text = unsafe { boundary::text(config_json, "config_json") }?;
        let config: OnlineService = options::parse_required(text, "config")?;
        out.put(into_handle(make(&config)?));
        Ok(())
    })
}

#[cfg(feature = "online")]
fn make(config: &OnlineService) -> Result<VitaleRightsService, Failure> {
    let (client, professional) = crate::online::client(config, "config")?;
    Ok(VitaleRightsService {
        service: std::sync::Arc::new(vitale::http::HttpRightsService::new(client, professional)),
    })
}

#[cfg(not(feature = "online"))]
fn make(_: &OnlineService) -> Result<VitaleRightsService, Failure> {
    Err(Failure::not_supported(
        "vitale_rights_service_new",
        "online",
    ))
}

/// Frees a rights service client. Null is ignored.
///
/// # Safety
/// `service` is null or a live handle that no other thread uses any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_rights_service_free(service: *mut VitaleRightsService) {
    let _ = call_keeping_last(|| {
        // SAFETY: the caller's contract is free_handle's.
        unsafe { boundary::free_handle(service) };
        VitaleStatus::Ok
    });
}

/// Asks the rights of one beneficiary. `query_json` is a rights query in
/// the shape of `docs/rights.md`: `{"reference_date": "2026-11-21",
/// "beneficiary": {"by": "certified_nir", "nir": "…"}}` or `{"by":
/// "insured", "insured_nir", "birth_date": "YYYYMMDD", "birth_rank"}`, and
/// an optional `"organisation"`.
///
/// `*json` receives `{"rights": {…}, "amo": "open" | "closed"}`: the
/// answer (`docs/rights.md`, NIRs in clear: personal data, never for logs)
/// and the AMO status on the reference date. Refusals are statuses
/// (`patient_unknown`, `rights_refused`, `rights_unavailable`…).
///
/// # Safety
/// `service` is a live handle; `query_json` a NUL-terminated string;
/// `json` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_rights_query(
    service: *const VitaleRightsService,
    query_json: *const c_char,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: a live handle by the caller's contract.
        let s = unsafe { boundary::handle(service, "service") }?;
        // SAFETY: NUL-terminated by the caller's contract.
        let text = unsafe { boundary::text(query_json, "query_json") }?;
        query(s, text)
    })
}

/// Asks the rights of the beneficiary of rank `rank` (*rang*) on a
/// verified card, on `date` (`"YYYY-MM-DD"`; null for today, UTC), through
/// the insured person's NIR, the beneficiary's birth date and birth rank.
/// Results as [`vitale_rights_query`]; `no_such_beneficiary` when the card
/// has no such rank.
///
/// # Safety
/// `service` and `card` are live handles; `date` null or a NUL-terminated
/// string; `json` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_rights_for_card(
    service: *const VitaleRightsService,
    card: *const VitaleCard,
    rank: u8,
    date: *const c_char,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: a live handle by the caller's contract.
        let s = unsafe { boundary::handle(service, "service") }?;
        // SAFETY: as above.
        let c = unsafe { boundary::handle(card, "card") }?;
        // SAFETY: null or NUL-terminated by the caller's contract.
        let date = unsafe { boundary::optional_text(date, "date") }?;
        for_card(s, c, rank, date)
    })
}

#[cfg(feature = "online")]
fn query(s: &VitaleRightsService, text: &str) -> Result<String, Failure> {
    let query: vitale::adri::RightsQuery = options::parse_required(text, "query")?;
    answer(s, &query)
}

#[cfg(feature = "online")]
fn answer(s: &VitaleRightsService, query: &vitale::adri::RightsQuery) -> Result<String, Failure> {
    use vitale::adri::RightsService as _;

    let rights = s
        .service
        .rights(query)
        .map_err(|e| Failure::from(vitale::Error::from(e)))?;
    let amo = if rights.on(query.reference_date()).is_amo_open() {
        "open"
    } else {
        "closed"
    };
    let value = serde_json::to_value(&rights).map_err(|e| {
        Failure::abi(
            VitaleStatus::Panic,
            format!("internal error: rights encoding: {e}"),
        )
    })?;
    Ok(serde_json::json!({"rights": value, "amo": amo}).to_string())
}

#[cfg(feature = "online")]
fn for_card(
    s: &VitaleRightsService,
    c: &VitaleCard,
    rank: u8,
    date: Option<&str>,
) -> Result<String, Failure> {
    use vitale::adri::{BeneficiaryId, RightsQuery};
    use vitale::model::Rank;

    let day = match date {
        Some(text) => vitale::model::time::parse_date(text)
            .ok_or_else(|| Failure::options("date", "expected YYYY-MM-DD"))?,
        None => time::OffsetDateTime::now_utc().date(),
    };
    let card = c.card();
    let rank = Rank::new(rank)
        .ok_or(vitale::verify::Error::NoSuchBeneficiary { rank })
        .map_err(|e| Failure::from(vitale::Error::from(e)))?;
    let beneficiary = card
        .beneficiary(rank)
        .map_err(|e| Failure::from(vitale::Error::from(e)))?
        .data();
    let query = RightsQuery::new(
        day,
        BeneficiaryId::ThroughInsured {
            insured_nir: card.insured().nir().clone(),
            birth_date: beneficiary.birth_date().clone(),
            birth_rank: beneficiary.birth_rank(),
        },
    )
    .map_err(|e| Failure::options("date", e))?;
    answer(s, &query)
}

#[cfg(not(feature = "online"))]
fn query(_: &VitaleRightsService, _: &str) -> Result<String, Failure> {
    Err(Failure::not_supported("vitale_rights_query", "online"))
}

#[cfg(not(feature = "online"))]
fn for_card(
    _: &VitaleRightsService,
    _: &VitaleCard,
    _: u8,
    _: Option<&str>,
) -> Result<String, Failure> {
    Err(Failure::not_supported("vitale_rights_for_card", "online"))
}
