//! Keeping the trust list (*liste de confiance*) fresh: feature `online`.
//!
//! ```text
//! cargo run -p vitale --features online --example trust_refresh
//! ```
//!
//! The simulated insurer serves its signed trust list over HTTPS on
//! loopback (`vitale_sim::online`, the protocol of `docs/online.md`). The
//! workstation starts with list #1; a `TrustListRefresher` fetches newer
//! lists, checks them under the pinned root, keeps the last good one on
//! disk and swaps it into the running terminal. Shown in order: the service
//! has no list yet (the list in force stays), list #2 is installed, a
//! rollback to #1 is refused, a restart restores #2 from disk, and a
//! background refresh installs #3. The lists are made, and checked, at a
//! fixed time, so the output is the same on every run.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::http::{BaseUrl, ClientConfig, HttpClient, PinnedCa};
use vitale::trust::refresh::{RefreshOutcome, TrustListRefresher};
use vitale::verify::policy::FixedClock;
use vitale_sim::online::{OnlineServer, ServerConfig};
use vitale_sim::{Scenario, Seed};

/// The time the lists are issued and checked (2026-11-12T14:05:00Z).
const NOW: u64 = 1_794_492_300;
/// How long each list is valid.
const LIST_LIFETIME: u64 = 7 * 86_400;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("trust_refresh failed: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<()> {
    let now = Timestamp::from_unix(NOW).ok_or("time")?;
    let until = Timestamp::from_unix(NOW + LIST_LIFETIME).ok_or("time")?;
    let scenario = Scenario::new(Seed::from_u64(2026), 2, now)?;
    let list = |sequence: u64| scenario.issuer.trust_list_cbor(sequence, now, until);
    let root = scenario.anchor.public_key().to_spki_der();

    // The insurer's service, and a folder for the list kept on disk.
    let server = OnlineServer::start(ServerConfig::new(
        Seed::from_u64(2026),
        vec![scenario.household.clone()],
    ))?;
    let dir = std::env::temp_dir().join(format!("vitale-trust-refresh-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let _cleanup = RemoveOnDrop(dir.clone());

    // The workstation: list #1, the refresher on the service's HTTPS
    // address with its CA pinned.
    let start = |list: Vec<u8>| {
        Terminal::builder()
            .trust_list(list)
            .pinned_root(root.clone())
            .clock(FixedClock(now))
            .build()
    };
    let terminal = start(list(1)?)?;
    let client = HttpClient::new(ClientConfig::new(
        BaseUrl::parse(&server.url())?,
        PinnedCa::from_pem(server.ca_pem().as_bytes())?,
    ));
    let refresher = TrustListRefresher::new(client, "/v1/trust-list", dir.join("trust-list.cbor"))
        .with_clock(Arc::new(FixedClock(now)));
    let store = terminal.verifier().trust_store();
    println!("started with list #{}", sequence(&terminal));

    // 1. No list served yet: the refresh fails, the list in force stays.
    match refresher.refresh(store) {
        Err(e) => println!(
            "1. service without a list: {} — list #{} stays",
            e.kind(),
            sequence(&terminal)
        ),
        Ok(outcome) => return Err(format!("unexpected {outcome:?}").into()),
    }

    // 2. List #2 served: installed, and kept on disk.
    server.set_trust_list(Some(list(2)?));
    match refresher.refresh(store)? {
        RefreshOutcome::Updated { from, to } => {
            println!(
                "2. list #{to} installed (was #{from}), kept in {}",
                file_name(refresher.cache_path())
            );
        }
        other => return Err(format!("unexpected {other:?}").into()),
    }

    // 3. A rollback to #1 (an attacker replaying an old list): refused.
    server.set_trust_list(Some(list(1)?));
    match refresher.refresh(store) {
        Err(e) => println!(
            "3. rollback to #1 refused: {} — list #{} stays",
            e.kind(),
            sequence(&terminal)
        ),
        Ok(outcome) => return Err(format!("rollback accepted: {outcome:?}").into()),
    }
    let status = refresher.status(store);
    println!(
        "   status: list #{}, last failure {}, stale {}",
        status.sequence,
        status.last_failure.unwrap_or("none"),
        status.stale
    );

    // 4. A restart with the list the application ships (#1): the refresher
    //    restores the newer list kept on disk before the first fetch.
    let restarted = Arc::new(start(list(1)?)?);
    let restored = refresher.restore(restarted.verifier().trust_store())?;
    println!(
        "4. after a restart: restored #{} from disk",
        restored.ok_or("nothing restored")?
    );

    // 5. In an application: a background refresh, here every 50 ms.
    server.set_trust_list(Some(list(3)?));
    let handle = Arc::new(refresher).spawn(Arc::clone(&restarted), Duration::from_millis(50));
    let deadline = Instant::now() + Duration::from_secs(10);
    while sequence(&restarted) != 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    handle.stop();
    println!(
        "5. background refresh: list #{} in force",
        sequence(&restarted)
    );
    if sequence(&restarted) != 3 {
        return Err("the background refresh did not install list #3".into());
    }
    Ok(())
}

fn sequence(terminal: &Terminal) -> u64 {
    terminal.verifier().trust_store().current().sequence()
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Removes the example's folder at the end.
struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
