//! The API against the real running agent in simulator mode: status,
//! scanner line (and its replay refused), image, frame, rights, bill,
//! NFC with progress events, simulator endpoints, card expiry.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use serde_json::json;
use support::{api, events_by_query, post_bytes, post_json, read_line, sim_line, start};

#[test]
fn status_tells_the_mode_decoder_and_trust_list() {
    let agent = start(|_| {});
    let r = api(&agent, "GET", "/v1/status", b"");
    assert_eq!(r.status, 200);
    let s = r.json();
    assert_eq!(s["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(s["simulator"], true);
    assert_eq!(s["billing"], true);
    assert_eq!(s["trust_list"]["sequence"], 1);
    assert!(s["trust_list"]["expires"].as_str().unwrap().ends_with('Z'));
    assert!(!s["decoder"].as_str().unwrap().is_empty());
}

#[test]
fn a_scanner_line_reads_a_masked_card_then_rights_and_a_bill_and_a_replay_is_refused() {
    let agent = start(|_| {});
    let line = sim_line(&agent);
    assert!(line.starts_with("VT1:"));
    let answer = read_line(&agent, &line).ok().json();
    let card_id = answer["card_id"].as_str().unwrap().to_owned();
    assert!(
        card_id.starts_with("c-") && card_id.len() == 34,
        "{card_id}"
    );
    assert_eq!(answer["repair"]["intact"], true);
    let nir = answer["card"]["insured"]["nir"].as_str().unwrap();
    assert!(nir.contains('•'), "NIR masked: {nir}");
    assert!(answer["card"]["beneficiaries"].as_array().unwrap().len() == 3);

    // The same line again: a replay.
    let again = read_line(&agent, &line);
    assert_eq!(again.status, 422);
    assert_eq!(again.kind(), "replay");

    let rights = post_json(
        &agent,
        "/v1/rights",
        &json!({"card_id": card_id, "rank": 1}),
    )
    .ok();
    assert!(matches!(
        rights.json()["amo"].as_str(),
        Some("open" | "closed")
    ));

    let visit = json!({"card_id": card_id, "visit": {"rank": 1, "acts": ["G"], "pathway": null, "third_party": false}});
    let billed = post_json(&agent, "/v1/bill", &visit).ok().json();
    assert!(
        billed["sheet"]["totals"]["fee"].as_i64().unwrap() > 0,
        "{billed}"
    );
    assert!(billed["receipt"]["text"].as_str().unwrap().len() > 10);

    let unknown = json!({"card_id": "c-00000000000000000000000000000000", "rank": 1});
    let r = post_json(&agent, "/v1/rights", &unknown);
    assert_eq!((r.status, r.kind().as_str()), (404, "agent_card_expired"));
}

#[test]
fn cards_expire() {
    let agent = start(|c| c.limits.card_ttl_secs = 1);
    let card_id = read_line(&agent, &sim_line(&agent)).field("card_id");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let r = post_json(
        &agent,
        "/v1/rights",
        &json!({"card_id": card_id, "rank": 1}),
    );
    assert_eq!((r.status, r.kind().as_str()), (404, "agent_card_expired"));
}

#[test]
fn an_image_and_a_frame_are_read_and_an_empty_frame_has_no_card() {
    let agent = start(|_| {});
    let png = api(&agent, "GET", "/v1/sim/qr.png", b"");
    assert_eq!(png.header("content-type"), Some("image/png"));
    let r = post_bytes(&agent, "/v1/read/image", "image/png", &png.body).ok();
    assert!(r.field("card_id").starts_with("c-"));

    // The same picture as a grey frame: a replay now.
    let image = image_luma(&png.body);
    let path = format!("/v1/read/frame?width={}&height={}", image.0, image.1);
    let frame =
        |path: &str, pixels: &[u8]| post_bytes(&agent, path, "application/octet-stream", pixels);
    let r = frame(&path, &image.2);
    assert_eq!((r.status, r.kind().as_str()), (422, "replay"));
    // A fresh one.
    let png = api(&agent, "GET", "/v1/sim/qr.png", b"");
    let image = image_luma(&png.body);
    let r = frame(&path, &image.2).ok();
    assert!(r.field("card_id").starts_with("c-"));
    // A blank frame: no code, the page sends the next.
    let blank = vec![255u8; 64 * 48];
    let r = frame("/v1/read/frame?width=64&height=48", &blank);
    assert_eq!(r.status, 200);
    assert!(r.json()["card"].is_null());
    // A frame of the wrong size.
    let r = frame("/v1/read/frame?width=64&height=49", &blank);
    assert_eq!((r.status, r.kind().as_str()), (400, "agent_bad_request"));
}

/// A PNG's grey pixels, through the SDK's own loader.
fn image_luma(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let image = vitale::reader::qr::load_image(png).unwrap();
    (image.width(), image.height(), image.pixels().to_vec())
}

#[test]
fn an_nfc_read_streams_its_progress_then_the_card() {
    let agent = start(|_| {});
    let r = api(
        &agent,
        "POST",
        "/v1/nfc/read",
        br#"{"reader": null, "timeout_ms": 60000}"#,
    );
    let job = r.ok().field("job");
    assert!(job.starts_with("n-"));
    // EventSource sends no header: the token in the query.
    let events = events_by_query(&agent, &job);
    assert_eq!(events.status, 200);
    assert_eq!(events.header("content-type"), Some("text/event-stream"));
    let text = String::from_utf8(events.body).unwrap();
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("event: "))
        .collect();
    assert_eq!(
        names,
        ["waiting", "phone_detected", "reading", "done"],
        "{text}"
    );
    let done = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .next_back()
        .unwrap();
    let done: serde_json::Value = serde_json::from_str(done).unwrap();
    assert!(done["card_id"].as_str().unwrap().starts_with("c-"));
    assert_eq!(
        done["card"]["provenance"]["channel"]
            .as_str()
            .map(str::to_lowercase)
            .as_deref(),
        Some("nfc"),
        "{done}"
    );
}

#[test]
fn a_cancelled_nfc_read_fails_with_its_kind_and_one_read_runs_at_a_time() {
    let agent = start(|_| {});
    let job = api(&agent, "POST", "/v1/nfc/read", b"{}").field("job");
    let busy = api(&agent, "POST", "/v1/nfc/read", b"{}");
    assert_eq!((busy.status, busy.kind().as_str()), (409, "agent_busy"));
    let r = post_json(&agent, "/v1/nfc/cancel", &json!({"job": job}));
    assert_eq!(r.status, 200);
    let events = api(&agent, "GET", &format!("/v1/nfc/events?job={job}"), b"");
    let text = String::from_utf8(events.body).unwrap();
    assert!(
        text.contains("event: failed\ndata: {\"kind\":\"nfc_cancelled\""),
        "{text}"
    );
    let r = api(&agent, "POST", "/v1/nfc/cancel", br#"{"job": "n-nope"}"#);
    assert_eq!((r.status, r.kind().as_str()), (404, "agent_not_found"));
}

#[test]
fn the_page_carries_the_token_and_its_files_are_served() {
    let agent = start(|_| {});
    let r = api(&agent, "GET", "/", b"");
    assert_eq!(r.status, 200);
    let html = String::from_utf8(r.body.clone()).unwrap();
    assert!(html.contains(&format!(
        "<meta name=\"vitale-token\" content=\"{}\">",
        agent.pairing_token()
    )));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert!(
        r.header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    for (path, kind) in [
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
        ("/i18n.js", "text/javascript"),
    ] {
        let r = api(&agent, "GET", path, b"");
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with(kind),
            "{path}"
        );
    }
    let r = api(&agent, "GET", "/v1/nope", b"");
    assert_eq!((r.status, r.kind().as_str()), (404, "agent_not_found"));
}
