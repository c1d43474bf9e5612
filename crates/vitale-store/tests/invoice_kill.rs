//! Invoice numbers survive `SIGKILL` at any moment, on SQLite (one
//! workstation) and on PostgreSQL (several workstations).
//!
//! The test re-runs its own binary as writer processes (the ignored `writer`
//! test, run with `--ignored`). Each writer issues numbers in a
//! loop from a shared store (a SQLite file, or a PostgreSQL database on a
//! private server the test starts) and prints each number **after** `next`
//! returned it — the moment a billing program would put it on a sheet.
//! The parent starts several writers at once (two on SQLite, four on
//! PostgreSQL), waits until each has printed, kills them with `SIGKILL` at
//! random moments, reopens the store, and repeats until `VITALE_KILLS`
//! writers (default 200) have been killed. Then it checks:
//!
//! * no number was printed twice, across all writers and rounds;
//! * each writer's numbers increase;
//! * every printed number is at most the store's last number (no printed
//!   number can be handed out again: no gap a signed sheet could fall into);
//! * the store opens cleanly (integrity check) after every kill, and the
//!   next number is above every printed one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    missing_docs
)]

mod support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use vitale_adri::BillingNumber;
use vitale_fse::InvoiceNumbers;
use vitale_store::StoreLocation;

use support::{Rng, kill_round, kills, record_printed, scratch_dir, start_writer};

const PROFESSIONAL: &str = "751234567";

fn am() -> BillingNumber {
    BillingNumber::parse(PROFESSIONAL).unwrap()
}

/// Opens the store at `location` (a `StoreLocation` text).
fn open(location: &str) -> Box<dyn InvoiceNumbers> {
    let at: StoreLocation = location.parse().expect("a store location");
    at.open_invoice_numbers().expect("the store opens")
}

/// The writer process of the SIGKILL tests, which start it with
/// `--ignored` and the store's location in `VITALE_KILL_STORE`.
#[test]
#[ignore = "the writer process of the SIGKILL tests, started by them"]
fn writer() {
    let location = std::env::var("VITALE_KILL_STORE").expect("VITALE_KILL_STORE names the store");
    let store = open(&location);
    let professional = am();
    support::issue_forever(|| {
        store
            .next(&professional)
            .expect("writer gets a number")
            .get()
    });
}

#[test]
fn numbers_survive_sigkill() {
    let dir = scratch_dir("kill");
    let location = format!("sqlite:{}", dir.join("numbers.sqlite").display());
    survive_sigkill("SQLite", &location, 2, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn numbers_survive_sigkill_on_postgres() {
    let Some(server) = vitale_test_support::postgres::shared("numbers_survive_sigkill_on_postgres")
    else {
        return;
    };
    let location = format!("postgres:{}", server.database("kill"));
    let dir = scratch_dir("kill-pg");
    survive_sigkill("PostgreSQL", &location, 4, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The test of the module documentation, with `writers` processes at once
/// on the store at `location`; writers' stderr files go to `dir`.
fn survive_sigkill(name: &str, location: &str, writers: usize, dir: &Path) {
    let kills = kills(200);
    drop(open(location));

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut printed: HashSet<u32> = HashSet::new();
    let mut max_printed = 0u32;
    let mut killed = 0usize;
    let mut rounds = 0usize;
    let errs: Vec<PathBuf> = (0..writers)
        .map(|i| dir.join(format!("writer-{i}.err")))
        .collect();
    while killed < kills {
        rounds += 1;
        let running = errs
            .iter()
            .map(|e| start_writer(&[("VITALE_KILL_STORE", location.as_ref())], e))
            .collect();
        let seen = kill_round(running, &errs, &mut rng, rounds);
        killed += writers;
        if let Some(max) = record_printed(&seen, &mut printed, rounds) {
            max_printed = max_printed.max(max);
        }
        // The store opens cleanly after every kill and knows every printed number.
        let store = open(location);
        let last = store.last(&am()).unwrap().map_or(0, |n| n.get());
        assert!(
            last >= max_printed,
            "store's last {last} is below printed {max_printed}"
        );
    }
    let store = open(location);
    let next = store.next(&am()).unwrap().get();
    assert!(next > max_printed);
    let last = next - 1;
    // Gaps are numbers recorded as issued but never printed (killed between
    // commit and print); they are never handed out again.
    let gaps = last as usize - printed.len();
    println!(
        "SIGKILL test ({name}, {writers} writers at once): {killed} kills in {rounds} rounds, {} numbers printed, last issued {last}, {gaps} numbers lost to kills (never reissued)",
        printed.len()
    );
    assert!(
        printed.len() >= kills,
        "too few numbers printed to test anything"
    );
}
