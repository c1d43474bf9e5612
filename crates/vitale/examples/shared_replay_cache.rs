//! A replay cache shared by several workstations: feature `sqlite` (one
//! file on a workstation or a share) or `postgres` (a site's server).
//!
//! ```text
//! cargo run -p vitale --features sqlite --example shared_replay_cache
//! cargo run -p vitale --features sqlite,postgres --example shared_replay_cache -- \
//!     'postgres:postgresql://vitale@db.example/vitale'
//! ```
//!
//! A presentation is accepted once. With the default in-memory cache,
//! "once" means once per process: a screenshot shown at a second
//! workstation of the same practice would be accepted there. Two terminals
//! that open the same store location (`sqlite:PATH`, `postgres:URL`, the
//! text a configuration file holds) refuse it everywhere after its first
//! use, and a restart does not forget it. Without arguments the example
//! uses a SQLite file in the temporary folder. Everything is simulated and
//! made at a fixed time, so the output is the same on every run.
//! `docs/deployment.md` explains which store fits which site.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::store::StoreLocation;
use vitale::verify::policy::FixedClock;
use vitale_sim::{Scenario, Seed};

/// The time the presentations are made and verified (2026-11-12T14:05:00Z).
const NOW: u64 = 1_794_492_300;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shared_replay_cache failed: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("vitale-shared-replay-{}", std::process::id()));
    let _cleanup = RemoveOnDrop(dir.clone());
    let location: StoreLocation = match std::env::args().nth(1) {
        Some(text) => text.parse()?,
        None => {
            std::fs::create_dir_all(&dir)?;
            format!("sqlite:{}", dir.join("replay.sqlite").display()).parse()?
        }
    };
    let kind = match &location {
        StoreLocation::Sqlite(_) => "SQLite file",
        StoreLocation::Memory => "memory (not shared)",
        _ => "PostgreSQL server",
    };
    println!("replay cache: {kind}");

    let now = Timestamp::from_unix(NOW).ok_or("time")?;
    let scenario = Scenario::new(Seed::from_u64(2026), 3, now)?;
    // Each workstation builds its terminal from the same configuration.
    let workstation = || -> Result<Terminal> {
        Ok(Terminal::builder()
            .trust_list(scenario.trust_list.clone())
            .pinned_root(scenario.anchor.public_key().to_spki_der())
            .clock(FixedClock(now))
            .replay_store(&location)?
            .build()?)
    };
    let reception = workstation()?;
    let consulting_room = workstation()?;

    let text = scenario.phone.present_qr_text(now, 120)?;
    let card = reception.verify_text(&text)?;
    println!(
        "reception: accepted ({} beneficiaries)",
        card.beneficiaries().len()
    );
    for (name, terminal) in [
        ("reception", &reception),
        ("consulting room", &consulting_room),
    ] {
        match terminal.verify_text(&text) {
            Err(e) => println!(
                "{name}: the same presentation again is refused ({})",
                e.kind()
            ),
            Ok(_) => return Err(format!("{name} accepted a replay").into()),
        }
    }
    // A restart: a new terminal on the same store remembers it too.
    drop(reception);
    match workstation()?.verify_text(&text) {
        Err(e) => println!("after a restart: still refused ({})", e.kind()),
        Ok(_) => return Err("a restarted terminal accepted a replay".into()),
    }
    // A fresh presentation from the phone is accepted anywhere.
    let next = scenario.phone.present_qr_text(now, 120)?;
    consulting_room.verify_text(&next)?;
    println!("consulting room: the phone's next presentation is accepted");
    Ok(())
}

/// Removes the example's folder at the end.
struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
