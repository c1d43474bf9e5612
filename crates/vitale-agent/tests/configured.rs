//! The agent outside the simulator, from a configuration file: trust list
//! and pinned root from files, a durable SQLite state (a code read before
//! a restart is refused after it), the rights service over HTTPS with a
//! pinned CA, the practice and the professional's key file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use serde_json::json;
use support::{api, post_json, read_line, start_configured, write_config};
use vitale::codec::model::Timestamp;
use vitale_agent::{Agent, Config};
use vitale_sim::online::{OnlineServer, ServerConfig};
use vitale_sim::{Scenario, Seed};

#[test]
fn a_configured_agent_reads_bills_and_remembers_codes_across_a_restart() {
    let dir = std::env::temp_dir().join(format!("vitale-agent-configured-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap();
    // Another insurer than the simulator's.
    let scenario = Scenario::new(Seed::from_u64(77), 2, now).unwrap();
    std::fs::write(dir.join("professional.key"), "42".repeat(32)).unwrap();
    let rights = OnlineServer::start(ServerConfig::new(
        Seed::from_u64(77),
        vec![scenario.household.clone()],
    ))
    .unwrap();
    std::fs::write(dir.join("rights-ca.pem"), rights.ca_pem()).unwrap();
    let extra = format!(
        r#"
        state = "sqlite:{d}/state.sqlite"
        sheet_key_file = "{d}/professional.key"
        [rights]
        url = "{url}"
        ca_pem_file = "{d}/rights-ca.pem"
        [practice]
        billing_number = "991234567"
        specialty = "01"
        "#,
        d = dir.display(),
        url = rights.url(),
    );
    write_config(&dir, &scenario, &extra);

    let line = scenario.phone.present_qr_text(now, 120).unwrap();
    {
        let agent = start_configured(&dir);
        let status = api(&agent, "GET", "/v1/status", b"").json();
        assert_eq!(status["simulator"], false);
        assert_eq!(status["billing"], true);
        let r = api(&agent, "GET", "/v1/sim/line", b"");
        assert_eq!(
            (r.status, r.kind().as_str()),
            (404, "agent_not_found"),
            "no simulator here"
        );
        let card_id = read_line(&agent, &line).ok().field("card_id");
        let visit =
            json!({"card_id": card_id, "visit": {"rank": 1, "acts": ["G"], "pathway": "outside"}});
        let r = post_json(&agent, "/v1/bill", &visit).ok();
        assert_eq!(r.json()["signature"]["kind"], "es256");
        // A presentation of the simulator's insurer is not trusted here.
        let sim = Scenario::new(Seed::from_u64(vitale_agent::SIMULATOR_SEED), 1, now).unwrap();
        let r = read_line(&agent, &sim.phone.present_qr_text(now, 120).unwrap());
        assert_eq!((r.status, r.kind().as_str()), (422, "unknown_issuer_key"));
    }
    // A restart: the replay cache is on disk.
    let agent = start_configured(&dir);
    let r = read_line(&agent, &line);
    assert_eq!((r.status, r.kind().as_str()), (422, "replay"));
    drop(agent);
    rights.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_trust_files_stop_the_start() {
    let dir = std::env::temp_dir().join(format!("vitale-agent-half-{}", std::process::id()));
    let mut config = Config::from_toml(
        r#"
        port = 0
        trust_list_file = "/nonexistent/trust-list.cbor"
        pinned_root_file = "/nonexistent/root.spki.der"
        "#,
    )
    .unwrap();
    config.config_dir = Some(dir.clone());
    let e = Agent::start(config).unwrap_err();
    assert_eq!(e.kind(), "io", "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
