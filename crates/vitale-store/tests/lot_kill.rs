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

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use vitale_adri::BillingNumber;
use vitale_fse::LotNumbers;
use vitale_store::SqliteLotNumbers;

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
    let mut out = std::io::stdout().lock();
    let mut rng = Rng(u64::from(std::process::id()) | 1);
    loop {
        let n = store.next(&professional).expect("writer gets a number");
        // Printed only once `next` returned: from here on it may be on a sheet.
        use std::io::Write;
        writeln!(out, "N {}", n.get()).expect("parent reads");
        out.flush().expect("parent reads");
        // SQLite's locks are not fair: a process that takes the write lock
        // again the instant it released it can starve another one past its
        // busy timeout. A billing program does work between two lots; the
        // writer stands for it with a pause of up to 2 ms.
        thread::sleep(Duration::from_micros(rng.below(2_000)));
    }
}

struct Writer {
    child: Child,
    lines: mpsc::Receiver<u16>,
    reader: thread::JoinHandle<()>,
}

fn start_writer(db: &Path, round: usize, stderr: &Path) -> Writer {
    let stderr = std::fs::File::create(stderr).expect("writer's stderr file");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env("VITALE_KILL_DB", db)
        .env("VITALE_KILL_ROUND", round.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(stderr))
        .spawn()
        .expect("spawn a writer");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    let reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // A line cut by the kill has no newline and is not seen here:
            // only complete lines count as printed.
            if let Some(n) = line.strip_prefix("N ") {
                let _ = tx.send(n.parse().expect("a number"));
            }
        }
    });
    Writer {
        child,
        lines,
        reader,
    }
}

/// xorshift64*: reproducible random delays without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

#[test]
fn lot_numbers_survive_sigkill() {
    let kills: usize = std::env::var("VITALE_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(100);
    let dir = std::env::temp_dir().join(format!("vitale-lot-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("lots.sqlite");
    drop(SqliteLotNumbers::open(&db).unwrap());

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut killed = 0usize;
    let mut rounds = 0usize;
    let mut printed_total = 0usize;
    let mut lost_total = 0usize;
    while killed < kills {
        rounds += 1;
        let errs = [dir.join("writer-0.err"), dir.join("writer-1.err")];
        let mut writers = [
            start_writer(&db, rounds, &errs[0]),
            start_writer(&db, rounds, &errs[1]),
        ];
        // Wait until each writer has issued a number, so that the kill
        // lands inside the issuing loop, not during start-up.
        let mut seen: [Vec<u16>; 2] = [Vec::new(), Vec::new()];
        for ((w, s), err) in writers.iter().zip(seen.iter_mut()).zip(&errs) {
            match w.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(first) => s.push(first),
                Err(e) => panic!(
                    "round {rounds}: a writer printed no number within 60 s ({e}); its stderr:\n{}",
                    std::fs::read_to_string(err).unwrap_or_default()
                ),
            }
        }
        for w in &mut writers {
            thread::sleep(Duration::from_micros(rng.below(20_000)));
            w.child.kill().expect("SIGKILL");
            killed += 1;
        }
        for ((w, s), err) in writers.into_iter().zip(seen.iter_mut()).zip(&errs) {
            let status = w.child.wait_with_output().expect("reap").status;
            assert_eq!(
                status.signal(),
                Some(9),
                "a writer ended on its own ({status:?}); its stderr:\n{}",
                std::fs::read_to_string(err).unwrap_or_default()
            );
            w.reader.join().unwrap();
            s.extend(w.lines.try_iter());
        }
        let mut printed: HashSet<u16> = HashSet::new();
        let mut max_printed = 0u16;
        for s in &seen {
            assert!(
                s.windows(2).all(|p| p[0] < p[1]),
                "a writer's numbers went backwards"
            );
            for &n in s {
                assert!(
                    printed.insert(n),
                    "round {rounds}: lot number {n} printed twice"
                );
                max_printed = max_printed.max(n);
            }
        }
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
