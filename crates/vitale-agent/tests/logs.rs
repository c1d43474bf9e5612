//! No personal data in the agent's logs: a whole visit (scanner line,
//! image, NFC, rights, bill, a replay refused) under a subscriber that
//! captures every event at the most verbose level. In a test binary of its
//! own: tracing caches a call site's interest when first hit, and a test
//! running beside would race the global subscriber.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::sync::{Arc, Mutex};

use support::{api, start};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The simulated household's personal data, in the forms a log could
/// hold it.
fn personal_data() -> Vec<String> {
    let now =
        vitale::codec::model::Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap();
    let s = vitale_sim::Scenario::new(
        vitale_sim::Seed::from_u64(vitale_agent::SIMULATOR_SEED),
        3,
        now,
    )
    .unwrap();
    let nir = s.household.insured.nir().as_str().to_owned();
    let mut out = vec![nir.clone(), nir[..13].to_owned()];
    for b in s.household.beneficiaries.iter() {
        out.push(b.birth_name().to_string());
        out.push(b.first_names().to_string());
        out.push(b.birth_date().as_str().to_owned());
    }
    out
}

#[test]
fn a_whole_visit_logs_no_personal_data() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let agent = start(|_| {});
    let line = api(&agent, "GET", "/v1/sim/line", b"").json()["line"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = serde_json::json!({"line": line}).to_string();
    let card_id = api(&agent, "POST", "/v1/read/line", body.as_bytes()).json()["card_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        api(&agent, "POST", "/v1/read/line", body.as_bytes()).kind(),
        "replay"
    );
    let rights = serde_json::json!({"card_id": card_id, "rank": 1}).to_string();
    assert_eq!(
        api(&agent, "POST", "/v1/rights", rights.as_bytes()).status,
        200
    );
    let visit =
        serde_json::json!({"card_id": card_id, "visit": {"rank": 1, "acts": ["G"]}}).to_string();
    assert_eq!(
        api(&agent, "POST", "/v1/bill", visit.as_bytes()).status,
        200
    );
    let job = api(&agent, "POST", "/v1/nfc/read", b"{}").json()["job"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/v1/nfc/events?job={job}&token={}", agent.pairing_token());
    let events = support::send(
        agent.addr(),
        "GET",
        &path,
        &[("Host", &support::host(&agent))],
        b"",
    );
    assert!(String::from_utf8_lossy(&events.body).contains("event: done"));
    agent.shutdown();

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("agent request"),
        "the requests are logged: {logs}"
    );
    assert!(
        logs.contains("route=\"/v1/bill\"") || logs.contains("route=/v1/bill"),
        "{logs}"
    );
    for secret in personal_data() {
        assert!(
            !logs.contains(&secret),
            "personal data in the logs: {secret}\n{logs}"
        );
    }
    assert!(
        !logs.contains(&line[..24]),
        "no presentation text in the logs"
    );
    assert!(
        !logs.contains(agent_token_prefix(&path)),
        "no pairing token in the logs"
    );
}

fn agent_token_prefix(path: &str) -> &str {
    let token = path.split("token=").nth(1).unwrap();
    &token[..16]
}
