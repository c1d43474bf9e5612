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

use serde_json::json;
use support::{api, events_by_query, post_json, read_line, sim_line, start};

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
    let token = agent.pairing_token().to_owned();
    let line = sim_line(&agent);
    let card_id = read_line(&agent, &line).field("card_id");
    assert_eq!(read_line(&agent, &line).kind(), "replay");
    let rights = json!({"card_id": card_id, "rank": 1});
    assert_eq!(post_json(&agent, "/v1/rights", &rights).status, 200);
    let visit = json!({"card_id": card_id, "visit": {"rank": 1, "acts": ["G"]}});
    assert_eq!(post_json(&agent, "/v1/bill", &visit).status, 200);
    let job = api(&agent, "POST", "/v1/nfc/read", b"{}").field("job");
    let events = events_by_query(&agent, &job);
    assert!(events.text().contains("event: done"));
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
    assert!(!logs.contains(&token[..16]), "no pairing token in the logs");
}
