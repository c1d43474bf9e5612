//! The trust-list refresher against the simulator's HTTPS service on
//! loopback: newer lists are installed and kept on disk, older and foreign
//! ones refused, failures keep the list in force, a restart restores the
//! kept list, and lists are swapped while other threads verify.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::trust::refresh::{RefreshOutcome, TrustListRefresher};
use vitale::verify::Verifier;
use vitale_http::{BaseUrl, ClientConfig, HttpClient, PinnedCa, RetryPolicy};
use vitale_sim::online::{Fault, OnlineServer, ServerConfig};
use vitale_sim::{Scenario, Seed};

fn now() -> Timestamp {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap()
}

fn later(secs: u64) -> Timestamp {
    Timestamp::from_unix(now().unix() + secs).unwrap()
}

struct World {
    scenario: Scenario,
    server: OnlineServer,
    dir: PathBuf,
}

impl World {
    fn new(name: &str) -> World {
        let scenario = Scenario::new(Seed::from_u64(31), 2, now()).unwrap();
        let server = OnlineServer::start(ServerConfig::new(
            Seed::from_u64(31),
            vec![scenario.household.clone()],
        ))
        .unwrap();
        let dir =
            std::env::temp_dir().join(format!("vitale-refresh-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        World {
            scenario,
            server,
            dir,
        }
    }

    fn list(&self, sequence: u64) -> Vec<u8> {
        self.scenario
            .issuer
            .trust_list_cbor(sequence, now(), later(86_400))
            .unwrap()
    }

    /// A terminal started with the list of sequence `sequence`.
    fn terminal(&self, sequence: u64) -> Terminal {
        let store = vitale::load_trust_store(
            &self.list(sequence),
            &self.scenario.anchor.public_key().to_spki_der(),
            now(),
        )
        .unwrap();
        Terminal::new(Verifier::new(store))
    }

    fn refresher(&self) -> TrustListRefresher {
        let config = ClientConfig::new(
            BaseUrl::parse(&self.server.url()).unwrap(),
            PinnedCa::from_pem(self.server.ca_pem().as_bytes()).unwrap(),
        )
        .with_retry(RetryPolicy::new(
            2,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ));
        TrustListRefresher::new(
            HttpClient::new(config),
            "/v1/trust-list",
            self.dir.join("trust-list.cbor"),
        )
    }

    fn serve(&self, list: Option<Vec<u8>>) {
        self.server.set_trust_list(list);
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn sequence(terminal: &Terminal) -> u64 {
    terminal.verifier().trust_store().current().sequence()
}

#[test]
fn newer_lists_are_installed_older_and_foreign_ones_refused() {
    let w = World::new("order");
    let terminal = w.terminal(1);
    let refresher = w.refresher();
    let store = terminal.verifier().trust_store();

    // Nothing served yet: the service answers 404, the list stays.
    let e = refresher.refresh(store).unwrap_err();
    assert_eq!(e.kind(), "trust_list_unavailable", "{e:?}");
    assert_eq!(
        refresher.status(store).last_failure,
        Some("trust_list_unavailable")
    );

    let second = w.list(2);
    w.serve(Some(second.clone()));
    assert_eq!(
        refresher.refresh(store).unwrap(),
        RefreshOutcome::Updated { from: 1, to: 2 }
    );
    assert_eq!(sequence(&terminal), 2);
    // Kept on disk, byte for byte.
    assert_eq!(std::fs::read(refresher.cache_path()).unwrap(), second);
    let status = refresher.status(store);
    assert_eq!(status.sequence, 2);
    assert!(status.last_success.is_some());
    assert_eq!(status.last_failure, None);
    assert!(!status.stale);

    // The same list again: unchanged.
    assert_eq!(
        refresher.refresh(store).unwrap(),
        RefreshOutcome::Unchanged { sequence: 2 }
    );
    // A rollback to an older list is refused.
    w.serve(Some(w.list(1)));
    let e = refresher.refresh(store).unwrap_err();
    assert_eq!(e.kind(), "trust_list_stale_sequence", "{e:?}");
    assert_eq!(sequence(&terminal), 2);
    // A list signed by another root is refused.
    let stranger = Scenario::new(Seed::from_u64(99), 1, now()).unwrap();
    w.serve(Some(
        stranger
            .issuer
            .trust_list_cbor(9, now(), later(86_400))
            .unwrap(),
    ));
    let e = refresher.refresh(store).unwrap_err();
    assert_eq!(e.kind(), "trust_list_bad_root_signature", "{e:?}");
    // Garbage is refused.
    w.serve(Some(b"not a trust list".to_vec()));
    assert!(refresher.refresh(store).is_err());
    assert_eq!(sequence(&terminal), 2);
    assert_eq!(std::fs::read(refresher.cache_path()).unwrap(), second);
}

#[test]
fn failures_keep_the_list_and_it_turns_stale() {
    let w = World::new("stale");
    let terminal = w.terminal(1);
    let store = terminal.verifier().trust_store();
    let refresher = w.refresher().with_stale_after(Duration::from_secs(3600));
    w.serve(Some(w.list(3)));
    refresher.refresh(store).unwrap();
    for fault in [
        Fault::Unavailable,
        Fault::Malformed,
        Fault::Truncated,
        Fault::Reset,
    ] {
        w.server.set_fault(Some(fault));
        let e = refresher.refresh(store).unwrap_err();
        assert!(
            matches!(
                e.kind(),
                "trust_list_unavailable" | "malformed" | "trust_list_malformed"
            ),
            "{fault:?}: {} {e:?}",
            e.kind()
        );
        assert_eq!(sequence(&terminal), 3, "{fault:?}");
    }
    w.server.set_fault(None);
    let status = refresher.status(store);
    assert!(status.last_failure.is_some());
    assert!(!status.stale, "confirmed less than an hour ago");
    // With a stale time of zero seconds, a list confirmed a second ago is stale.
    let strict = w.refresher().with_stale_after(Duration::ZERO);
    strict.refresh(store).unwrap();
    std::thread::sleep(Duration::from_millis(1_100));
    assert!(strict.status(store).stale);
}

#[test]
fn a_restart_restores_the_kept_list_and_still_refuses_a_rollback() {
    let w = World::new("restart");
    {
        let terminal = w.terminal(1);
        w.serve(Some(w.list(5)));
        w.refresher()
            .refresh(terminal.verifier().trust_store())
            .unwrap();
    }
    // The application starts again with the list it shipped with (1).
    let terminal = w.terminal(1);
    let refresher = w.refresher();
    let store = terminal.verifier().trust_store();
    assert_eq!(refresher.restore(store).unwrap(), Some(5));
    assert_eq!(sequence(&terminal), 5);
    // Restoring again changes nothing.
    assert_eq!(refresher.restore(store).unwrap(), None);
    // A rolled-back list served after the restart is refused.
    w.serve(Some(w.list(4)));
    assert_eq!(
        refresher.refresh(store).unwrap_err().kind(),
        "trust_list_stale_sequence"
    );
    // A kept file that does not verify is an error, and the store stays.
    std::fs::write(refresher.cache_path(), b"garbage").unwrap();
    let fresh = w.terminal(1);
    assert!(refresher.restore(fresh.verifier().trust_store()).is_err());
    assert_eq!(sequence(&fresh), 1);
}

#[test]
fn lists_are_swapped_while_threads_verify_and_the_replay_cache_stays() {
    let w = World::new("swap");
    let terminal = Arc::new(w.terminal(1));
    let refresher = Arc::new(w.refresher());

    // A presentation accepted before the swap is still a replay after it.
    let text = w.scenario.phone.present_qr_text(now(), 120).unwrap();
    terminal.verify_text(&text).unwrap();

    let texts: Vec<Vec<String>> = (0..2)
        .map(|_| {
            (0..40)
                .map(|_| w.scenario.phone.present_qr_text(now(), 120).unwrap())
                .collect()
        })
        .collect();
    let workers: Vec<_> = texts
        .into_iter()
        .map(|batch| {
            let terminal = Arc::clone(&terminal);
            std::thread::spawn(move || {
                for text in batch {
                    terminal.verify_text(&text).unwrap();
                }
            })
        })
        .collect();
    for sequence in 2..=6 {
        w.serve(Some(w.list(sequence)));
        refresher
            .refresh(terminal.verifier().trust_store())
            .unwrap();
    }
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(sequence(&terminal), 6);
    assert_eq!(terminal.verify_text(&text).unwrap_err().kind(), "replay");

    // In the background: the handle refreshes until stopped.
    w.serve(Some(w.list(7)));
    let handle = Arc::clone(&refresher).spawn(Arc::clone(&terminal), Duration::from_millis(20));
    assert!(handle.is_running());
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while sequence(&terminal) != 7 {
        assert!(
            std::time::Instant::now() < deadline,
            "no background refresh in 60 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    handle.stop();
    w.serve(Some(w.list(8)));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(sequence(&terminal), 7, "stopped means stopped");
}
