//! Lot numbers survive `SIGKILL` at any moment.
//!
//! The same harness as `invoice_kill.rs`: the test re-runs its own binary
//! as writer processes (the ignored `writer` test, run with `--ignored`).
//! Each writer issues lot numbers in a loop from a shared SQLite file and
//! prints each number **after** `next` returned it — the moment a billing
//! program would put it on a lot. The parent starts two writers at once,
//! waits until both have printed, kills them with `SIGKILL` at random
//! moments, reopens the store, and repeats until `VITALE_KILLS` kills
//! (default 100). Lot numbers cycle after 999, so each round uses its own
//! professional (a round issues far fewer than 999 numbers). For each round
//! it checks:
//!
//! * no number was printed twice (two lots never share a number);
//! * each writer's numbers increase;
//! * every printed number is at most the store's last number for that
//!   professional (no printed number can be handed out again);
//! * the store opens cleanly (integrity check) after every kill, and the
//!   next number follows the store's last.
#![cfg(feature = "sqlite")]
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
use std::path::PathBuf;

use vitale_adri::BillingNumber;
use vitale_fse::LotNumbers;
use vitale_store::SqliteLotNumbers;

use support::{Rng, kill_round, kills, record_printed, scratch_dir, start_writer};

/// The professional of round `round`: `75` and seven digits.
fn am(round: usize) -> BillingNumber {
    BillingNumber::parse(&format!("75{:07}", round)).unwrap()
}

/// The writer process of `lot_numbers_survive_sigkill`, which starts it
/// with `--ignored`, the store's path in `VITALE_KILL_DB` and the round in
/// `VITALE_KILL_ROUND`.
#[test]
#[ignore = "the writer process of lot_numbers_survive_sigkill, started by it"]
fn writer() {
    let db = std::env::var_os("VITALE_KILL_DB").expect("VITALE_KILL_DB names the store");
    let round: usize = std::env::var("VITALE_KILL_ROUND")
        .expect("VITALE_KILL_ROUND names the round")
        .parse()
        .expect("a round number");
    let store = SqliteLotNumbers::open(PathBuf::from(db)).expect("writer opens the store");
    let professional = am(round);
    support::issue_forever(|| {
        store
            .next(&professional)
            .expect("writer gets a number")
            .get()
    });
}

#[test]
fn lot_numbers_survive_sigkill() {
    let kills = kills(100);
    let dir = scratch_dir("lot-kill");
    let db = dir.join("lots.sqlite");
    drop(SqliteLotNumbers::open(&db).unwrap());

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut killed = 0usize;
    let mut rounds = 0usize;
    let mut printed_total = 0usize;
    let mut lost_total = 0usize;
    let errs = [dir.join("writer-0.err"), dir.join("writer-1.err")];
    while killed < kills {
        rounds += 1;
        let round = rounds.to_string();
        let env = [
            ("VITALE_KILL_DB", db.as_os_str()),
            ("VITALE_KILL_ROUND", round.as_ref()),
        ];
        let writers = errs.iter().map(|e| start_writer(&env, e)).collect();
        let seen = kill_round(writers, &errs, &mut rng, rounds);
        killed += errs.len();
        // Each round has its own professional: duplicates within the round.
        let mut printed: HashSet<u16> = HashSet::new();
        let max_printed = record_printed(&seen, &mut printed, rounds).unwrap_or(0);
        assert!(
            max_printed < 999,
            "round {rounds} wrapped the cycle: the checks assume it does not"
        );
        // The store opens cleanly after every kill and knows every printed
        // number; the next one follows its last.
        let store = SqliteLotNumbers::open(&db).expect("store opens after a kill");
        let last = store.last(&am(rounds)).unwrap().map_or(0, |n| n.get());
        assert!(
            last >= max_printed,
            "round {rounds}: store's last {last} is below printed {max_printed}"
        );
        assert_eq!(store.next(&am(rounds)).unwrap().get(), last + 1);
        printed_total += printed.len();
        lost_total += usize::from(last) - printed.len();
    }
    println!(
        "lot SIGKILL test: {killed} kills in {rounds} rounds, {printed_total} lot numbers printed, {lost_total} lost to kills (never reissued)"
    );
    assert!(
        printed_total >= kills,
        "too few numbers printed to test anything"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
