//! A terminal with a durable or shared replay cache: a presentation
//! accepted before a restart, or at another counter, is refused; an
//! unreachable database refuses with its own kind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::store::StoreLocation;
use vitale::verify::{TrustList, TrustStore, Verifier, default_backend};
use vitale_sim::{Scenario, Seed};
use vitale_test_support::PostgresServer;
use vitale_test_support::postgres::{self as harness, skip};

fn now() -> Timestamp {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap()
}

/// A counter of the practice: its own verifier on the scenario's trust
/// list, with the replay cache at `location`.
fn counter(scenario: &Scenario, location: &str) -> Result<Terminal, vitale::Error> {
    let list = TrustList::from_cbor(
        &scenario.trust_list,
        &scenario.anchor,
        default_backend(),
        now(),
    )
    .unwrap();
    let verifier = Verifier::new(TrustStore::new(scenario.anchor.clone(), list));
    let at: StoreLocation = location.parse()?;
    Terminal::new(verifier).with_replay_store(&at)
}

fn scenario(seed: u64) -> Scenario {
    Scenario::new(Seed::from_u64(seed), 2, now()).unwrap()
}

#[test]
fn a_presentation_accepted_before_a_restart_is_refused_after() {
    let dir = std::env::temp_dir().join(format!("vitale-facade-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let location = format!("sqlite:{}", dir.join("state.sqlite").display());
    let s = scenario(7);
    let text = s.phone.present_qr_text(now(), 120).unwrap();
    {
        let terminal = counter(&s, &location).unwrap();
        terminal.verify_text(&text).unwrap();
    }
    // The program restarts: a new terminal on the same file.
    let terminal = counter(&s, &location).unwrap();
    let e = terminal.verify_text(&text).unwrap_err();
    assert_eq!(e.kind(), "replay");
    // A fresh presentation of the same phone is accepted.
    terminal
        .verify_text(&s.phone.present_qr_text(now(), 120).unwrap())
        .unwrap();
    // With the default in-memory cache, the restart would have forgotten.
    let forgetful = counter(&s, "memory").unwrap();
    forgetful.verify_text(&text).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn counters_sharing_a_postgres_cache_refuse_each_others_presentations() {
    let Some(server) = harness::shared("counters_sharing") else {
        return;
    };
    let location = format!("postgres:{}", server.database("counters"));
    let s = scenario(8);
    let (a, b) = (
        counter(&s, &location).unwrap(),
        counter(&s, &location).unwrap(),
    );
    let text = s.phone.present_qr_text(now(), 120).unwrap();
    a.verify_text(&text).unwrap();
    assert_eq!(b.verify_text(&text).unwrap_err().kind(), "replay");
    let other = s.phone.present_qr_text(now(), 120).unwrap();
    b.verify_text(&other).unwrap();
    assert_eq!(a.verify_text(&other).unwrap_err().kind(), "replay");
}

#[test]
fn an_unreachable_database_refuses_with_its_own_kind() {
    let mut server = match PostgresServer::start() {
        Ok(s) => s,
        Err(reason) => return skip("unreachable_database", &reason).unwrap_or(()),
    };
    let location = format!("postgres:{}", server.database("down"));
    let s = scenario(9);
    let terminal = counter(&s, &location).unwrap();
    server.stop();
    let text = s.phone.present_qr_text(now(), 120).unwrap();
    let e = terminal.verify_text(&text).unwrap_err();
    assert_eq!(e.kind(), "replay_cache_unavailable");
    // A counter started meanwhile cannot open its store.
    assert_eq!(
        counter(&s, &location).unwrap_err().kind(),
        "store_unavailable"
    );
    server.restart().unwrap();
    // Refused while the database was down, so never recorded: accepted now.
    terminal.verify_text(&text).unwrap();
}

#[test]
fn a_bad_location_is_its_own_kind() {
    let s = scenario(10);
    for location in [
        "sqlite:",
        "carrier-pigeon:12",
        "postgres:port=notaport host=x",
    ] {
        let e = counter(&s, location).unwrap_err();
        assert_eq!(e.kind(), "store_location_invalid", "{location}");
    }
}

#[test]
fn the_builder_takes_a_replay_store() {
    let s = scenario(11);
    let dir = std::env::temp_dir().join(format!("vitale-facade-builder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let at: StoreLocation = format!("sqlite:{}", dir.join("state.sqlite").display())
        .parse()
        .unwrap();
    let build = || {
        Terminal::builder()
            .trust_list(s.trust_list.clone())
            .pinned_root(s.anchor.public_key().to_spki_der())
            .replay_store(&at)
            .unwrap()
            .build()
            .unwrap()
    };
    let text = s.phone.present_qr_text(now(), 120).unwrap();
    build().verify_text(&text).unwrap();
    assert_eq!(build().verify_text(&text).unwrap_err().kind(), "replay");
    let _ = std::fs::remove_dir_all(&dir);
}
