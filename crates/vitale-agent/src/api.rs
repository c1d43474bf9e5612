//! The routes: the page's static files and the `/v1/*` JSON API
//! (`docs/agent.md`).

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use vitale::render::{DisplayOptions, card_json};
use vitale::verify::VerifiedCard;

use crate::request::{self, BillRequest, LineRequest, RightsRequest};
use crate::server::{Body, Failure, Shared, failure, full, json, read_body};

const INDEX_HTML: &str = include_str!("../web/index.html");
const APP_JS: &str = include_str!("../web/app.js");
const APP_CSS: &str = include_str!("../web/app.css");
const I18N_JS: &str = include_str!("../web/i18n.js");

/// The routes, named for the logs (a path not listed is `other`).
const ROUTES: &[&str] = &[
    "/",
    "/app.js",
    "/app.css",
    "/i18n.js",
    "/v1/status",
    "/v1/read/line",
    "/v1/read/image",
    "/v1/read/frame",
    "/v1/rights",
    "/v1/bill",
    "/v1/nfc/read",
    "/v1/nfc/events",
    "/v1/nfc/cancel",
    "/v1/sim/qr.png",
    "/v1/sim/line",
];

/// The route's name for the logs.
pub(crate) fn route_name(path: &str) -> &'static str {
    ROUTES
        .iter()
        .find(|r| **r == path)
        .copied()
        .unwrap_or("other")
}

/// Routes an authorised, checked request.
pub(crate) async fn route(
    shared: Arc<Shared>,
    req: Request<hyper::body::Incoming>,
) -> Response<Body> {
    match route_inner(shared, req).await {
        Ok(r) => r,
        Err(f) => failure(&f),
    }
}

fn not_found() -> Failure {
    Failure::new(StatusCode::NOT_FOUND, "agent_not_found", "no such endpoint")
}

async fn route_inner(
    shared: Arc<Shared>,
    req: Request<hyper::body::Incoming>,
) -> Result<Response<Body>, Failure> {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let method = req.method().clone();
    if !path.starts_with("/v1/") {
        return match (method, path.as_str()) {
            (Method::GET, "/" | "/index.html") => Ok(page(&shared)),
            (Method::GET, "/app.js") => Ok(asset(APP_JS, "text/javascript; charset=utf-8")),
            (Method::GET, "/app.css") => Ok(asset(APP_CSS, "text/css; charset=utf-8")),
            (Method::GET, "/i18n.js") => Ok(asset(I18N_JS, "text/javascript; charset=utf-8")),
            _ => Err(not_found()),
        };
    }
    let params =
        request::parse_query(&query).ok_or_else(|| Failure::bad_request("invalid query string"))?;
    authorize(&shared, req.headers(), &path, &params)?;
    let (parts, body) = req.into_parts();
    let limits = shared.limits;
    match (parts.method, path.as_str()) {
        (Method::GET, "/v1/status") => Ok(json(StatusCode::OK, &status(&shared))),
        (Method::POST, "/v1/read/line") => {
            let body = read_body(body, limits.max_json_bytes).await?;
            let line: LineRequest =
                request::parse_json(&body, limits.max_json_bytes).map_err(Failure::bad_request)?;
            blocking(shared, move |s| read_line(s, &line.line)).await
        }
        (Method::POST, "/v1/read/image") => {
            let kind = parts
                .headers
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes().to_vec());
            if !matches!(kind.as_deref(), Some(b"image/png" | b"image/jpeg")) {
                return Err(Failure::bad_request(
                    "Content-Type: image/png or image/jpeg",
                ));
            }
            let body = read_body(body, limits.max_image_bytes).await?;
            blocking(shared, move |s| read_image(s, &body)).await
        }
        (Method::POST, "/v1/read/frame") => {
            let side = |name| {
                request::param(&params, name)
                    .and_then(|v| v.parse::<u32>().ok())
                    .filter(|v| (1..=8192).contains(v))
                    .ok_or_else(|| Failure::bad_request(format!("{name}: 1 to 8192")))
            };
            let (width, height) = (side("width")?, side("height")?);
            let body = read_body(body, limits.max_image_bytes).await?;
            blocking(shared, move |s| read_frame(s, width, height, &body)).await
        }
        (Method::POST, "/v1/rights") => {
            let body = read_body(body, limits.max_json_bytes).await?;
            let r: RightsRequest =
                request::parse_json(&body, limits.max_json_bytes).map_err(Failure::bad_request)?;
            blocking(shared, move |s| rights(s, &r)).await
        }
        (Method::POST, "/v1/bill") => {
            let body = read_body(body, limits.max_json_bytes).await?;
            let r: BillRequest =
                request::parse_json(&body, limits.max_json_bytes).map_err(Failure::bad_request)?;
            blocking(shared, move |s| bill(s, &r)).await
        }
        (Method::POST, "/v1/nfc/read") => {
            let body = read_body(body, limits.max_json_bytes).await?;
            let r =
                request::parse_json(&body, limits.max_json_bytes).map_err(Failure::bad_request)?;
            crate::nfc::start(&shared, &r).map(|v| json(StatusCode::OK, &v))
        }
        (Method::GET, "/v1/nfc/events") => {
            let job = request::param(&params, "job")
                .ok_or_else(|| Failure::bad_request("job: required"))?;
            crate::nfc::events(&shared, job)
        }
        (Method::POST, "/v1/nfc/cancel") => {
            let body = read_body(body, limits.max_json_bytes).await?;
            let r =
                request::parse_json(&body, limits.max_json_bytes).map_err(Failure::bad_request)?;
            crate::nfc::cancel(&shared, &r).map(|v| json(StatusCode::OK, &v))
        }
        #[cfg(feature = "simulator")]
        (Method::GET, "/v1/sim/line") => {
            blocking(shared, |s| {
                Ok(json(
                    StatusCode::OK,
                    &serde_json::json!({"line": simulation(s, |sim| sim.line())?}),
                ))
            })
            .await
        }
        #[cfg(feature = "simulator")]
        (Method::GET, "/v1/sim/qr.png") => {
            blocking(shared, |s| {
                let png = simulation(s, |sim| sim.png())?;
                let mut r = Response::new(full(png));
                r.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
                r.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                Ok(r)
            })
            .await
        }
        _ => Err(not_found()),
    }
}

/// The pairing token: `Authorization: Bearer TOKEN`; the events stream
/// (EventSource sends no header) also takes `?token=TOKEN`.
fn authorize(
    shared: &Shared,
    headers: &hyper::HeaderMap,
    path: &str,
    params: &[(&str, &str)],
) -> Result<(), Failure> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "));
    let query = (path == "/v1/nfc/events")
        .then(|| request::param(params, "token"))
        .flatten()
        .map(str::as_bytes);
    match bearer.or(query) {
        Some(candidate) if shared.token.matches(candidate) => Ok(()),
        _ => Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            "agent_unauthorized",
            "the pairing token is missing or wrong (vitale agent --print-token)",
        )),
    }
}

/// Runs blocking SDK work (verification, HTTPS to the rights service,
/// the invoice-number store) off the server's thread.
async fn blocking(
    shared: Arc<Shared>,
    work: impl FnOnce(&Shared) -> Result<Response<Body>, Failure> + Send + 'static,
) -> Result<Response<Body>, Failure> {
    tokio::task::spawn_blocking(move || work(&shared))
        .await
        .map_err(|_| Failure::internal("the request's work failed"))?
}

fn status(shared: &Shared) -> serde_json::Value {
    let list = shared.backend.terminal.verifier().trust_store().current();
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "simulator": shared.backend.is_simulator(),
        "decoder": shared.backend.terminal.qr_decoder_name(),
        "nfc": crate::nfc::available(shared),
        "trust_list": {
            "sequence": list.sequence(),
            "expires": list.expires_at().to_rfc3339(),
        },
        "billing": shared.backend.billing.is_some(),
    })
}

/// Keeps a verified card and answers its id and masked JSON.
pub(crate) fn card_answer(
    shared: &Shared,
    card: VerifiedCard,
) -> Result<serde_json::Value, Failure> {
    let shown = card_json(&card, DisplayOptions::default());
    let id = shared.cards.insert(card, Instant::now())?;
    Ok(serde_json::json!({"card_id": id, "card": shown}))
}

fn read_line(shared: &Shared, line: &str) -> Result<Response<Body>, Failure> {
    let scanned = shared.backend.terminal.verify_scanner_line(line)?;
    let mut answer = card_answer(shared, scanned.card)?;
    if let Some(object) = answer.as_object_mut() {
        object.insert(
            "repair".into(),
            serde_json::json!({
                "intact": scanned.repair.was_intact(),
                "advice": scanned.repair.advice(),
            }),
        );
    }
    Ok(json(StatusCode::OK, &answer))
}

fn read_image(shared: &Shared, bytes: &[u8]) -> Result<Response<Body>, Failure> {
    let card = shared.backend.terminal.read_card_from_image(bytes)?;
    Ok(json(StatusCode::OK, &card_answer(shared, card)?))
}

fn read_frame(
    shared: &Shared,
    width: u32,
    height: u32,
    bytes: &[u8],
) -> Result<Response<Body>, Failure> {
    let expected = u64::from(width) * u64::from(height);
    if bytes.len() as u64 != expected {
        return Err(Failure::bad_request(format!(
            "a {width}x{height} frame is {expected} bytes"
        )));
    }
    let frame = vitale::reader::qr::LumaFrame::new(width, height, width as usize, bytes)
        .map_err(|e| Failure::from(vitale::Error::from(e)))?;
    let codes = shared.backend.terminal.scan_frame(&frame)?;
    let mut refused = None;
    for code in codes {
        match code.into_outcome() {
            Ok(card) => return Ok(json(StatusCode::OK, &card_answer(shared, card)?)),
            Err(e) => refused = refused.or(Some(e)),
        }
    }
    match refused {
        Some(e) => Err(Failure::from(e)),
        None => Ok(json(StatusCode::OK, &serde_json::json!({"card": null}))),
    }
}

fn card_of(shared: &Shared, id: &str) -> Result<Arc<VerifiedCard>, Failure> {
    shared.cards.get(id, Instant::now()).ok_or_else(|| {
        Failure::new(
            StatusCode::NOT_FOUND,
            "agent_card_expired",
            "unknown or expired card id: read the card again",
        )
    })
}

fn billing(shared: &Shared) -> Result<&vitale::billing::Billing, Failure> {
    shared.backend.billing.as_ref().ok_or_else(|| {
        Failure::new(
            StatusCode::NOT_IMPLEMENTED,
            "agent_not_supported",
            "billing is not configured (practice, rights, sheet_key_file)",
        )
    })
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn rights(shared: &Shared, r: &RightsRequest) -> Result<Response<Body>, Failure> {
    let billing = billing(shared)?;
    let card = card_of(shared, &r.card_id)?;
    let date = match &r.date {
        Some(text) => vitale::model::time::parse_date(text)
            .ok_or_else(|| Failure::bad_request("date: expected YYYY-MM-DD"))?,
        None => today(),
    };
    let rank = vitale::billing::json::parse_rank(r.rank)?;
    let rights = billing.rights(&card, rank, date)?;
    let amo = if rights.on(date).is_amo_open() {
        "open"
    } else {
        "closed"
    };
    let value = serde_json::to_value(&rights).map_err(|_| Failure::internal("rights encoding"))?;
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({"rights": value, "amo": amo}),
    ))
}

fn bill(shared: &Shared, r: &BillRequest) -> Result<Response<Body>, Failure> {
    let billing = billing(shared)?;
    let card = card_of(shared, &r.card_id)?;
    let request = r.visit.request(today())?;
    let billed = billing.bill(&card, &request)?;
    Ok(json(StatusCode::OK, &billed.to_json()?))
}

#[cfg(feature = "simulator")]
fn simulation<T>(
    shared: &Shared,
    f: impl FnOnce(&crate::sim::Simulation) -> Result<T, crate::Error>,
) -> Result<T, Failure> {
    let sim = shared.backend.sim.as_ref().ok_or_else(|| {
        Failure::new(
            StatusCode::NOT_FOUND,
            "agent_not_found",
            "the agent is not in simulator mode",
        )
    })?;
    Ok(f(&crate::cards::lock(sim))?)
}

/// The page, with the pairing token in `<meta name="vitale-token">`: only
/// a page of the agent's own origin can read it (the Host was checked, and
/// another origin cannot read a cross-origin response).
fn page(shared: &Shared) -> Response<Body> {
    let meta = format!(
        "<meta name=\"vitale-token\" content=\"{}\">",
        shared.token.expose()
    );
    let html = if INDEX_HTML.contains("<meta name=\"vitale-token\" content=\"\">") {
        INDEX_HTML.replacen("<meta name=\"vitale-token\" content=\"\">", &meta, 1)
    } else {
        INDEX_HTML.replacen("<head>", &format!("<head>\n{meta}"), 1)
    };
    let mut r = asset_bytes(Bytes::from(html), "text/html; charset=utf-8");
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn asset(text: &'static str, kind: &'static str) -> Response<Body> {
    asset_bytes(Bytes::from_static(text.as_bytes()), kind)
}

fn asset_bytes(bytes: Bytes, kind: &'static str) -> Response<Body> {
    let mut r = Response::new(full(bytes));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}
