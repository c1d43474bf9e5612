//! Invoice numbers survive `SIGKILL` at any moment.
//!
//! The test re-runs its own binary as writer processes (the ignored `writer`
//! test, run with `--ignored`). Each writer issues numbers in a
//! loop from a shared SQLite file and prints each number **after** `next`
//! returned it — the moment a billing program would put it on a sheet.
//! The parent starts two writers at once, waits until both have printed,
//! kills them with `SIGKILL` at random moments, reopens the store, and
//! repeats (`VITALE_KILLS` rounds, default 200). Then it checks:
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

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use vitale_adri::BillingNumber;
use vitale_fse::InvoiceNumbers;
use vitale_store::SqliteInvoiceNumbers;

const PROFESSIONAL: &str = "751234567";

fn am() -> BillingNumber {
    BillingNumber::parse(PROFESSIONAL).unwrap()
}

/// The writer process of `numbers_survive_sigkill`, which starts it with
/// `--ignored` and the store's path in `VITALE_KILL_DB`.
#[test]
#[ignore = "the writer process of numbers_survive_sigkill, started by it"]
fn writer() {
    let db = std::env::var_os("VITALE_KILL_DB").expect("VITALE_KILL_DB names the store");
    let store = SqliteInvoiceNumbers::open(PathBuf::from(db)).expect("writer opens the store");
    let professional = am();
    let mut out = std::io::stdout().lock();
    loop {
        let n = store.next(&professional).expect("writer gets a number");
        // Printed only once `next` returned: from here on it may be on a sheet.
        use std::io::Write;
        writeln!(out, "N {}", n.get()).expect("parent reads");
        out.flush().expect("parent reads");
    }
}

struct Writer {
    child: Child,
    lines: mpsc::Receiver<u32>,
    reader: thread::JoinHandle<()>,
}

fn start_writer(db: &Path) -> Writer {
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
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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
fn numbers_survive_sigkill() {
    let kills: usize = std::env::var("VITALE_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(200);
    let dir = std::env::temp_dir().join(format!("vitale-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("numbers.sqlite");
    drop(SqliteInvoiceNumbers::open(&db).unwrap());

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut printed: HashSet<u32> = HashSet::new();
    let mut max_printed = 0u32;
    let mut killed = 0usize;
    let mut rounds = 0usize;
    while killed < kills {
        rounds += 1;
        let mut writers = [start_writer(&db), start_writer(&db)];
        // Wait until each writer has issued a number, so that the kill
        // lands inside the issuing loop, not during start-up.
        let mut seen: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
        for (w, s) in writers.iter().zip(seen.iter_mut()) {
            let first = w
                .lines
                .recv_timeout(Duration::from_secs(60))
                .expect("a writer printed no number within 60 s");
            s.push(first);
        }
        for w in &mut writers {
            thread::sleep(Duration::from_micros(rng.below(20_000)));
            w.child.kill().expect("SIGKILL");
            killed += 1;
        }
        for (w, s) in writers.into_iter().zip(seen.iter_mut()) {
            let status = w.child.wait_with_output().expect("reap").status;
            assert!(!status.success(), "a writer ended on its own: {status:?}");
            w.reader.join().unwrap();
            s.extend(w.lines.try_iter());
        }
        for s in &seen {
            assert!(
                s.windows(2).all(|p| p[0] < p[1]),
                "a writer's numbers went backwards"
            );
            for &n in s {
                assert!(printed.insert(n), "number {n} was printed twice");
                max_printed = max_printed.max(n);
            }
        }
        // The store opens cleanly after every kill and knows every printed number.
        let store = SqliteInvoiceNumbers::open(&db).expect("store opens after a kill");
        let last = store.last(&am()).unwrap().map_or(0, |n| n.get());
        assert!(
            last >= max_printed,
            "store's last {last} is below printed {max_printed}"
        );
    }
    let store = SqliteInvoiceNumbers::open(&db).unwrap();
    let next = store.next(&am()).unwrap().get();
    assert!(next > max_printed);
    let last = next - 1;
    // Gaps are numbers recorded as issued but never printed (killed between
    // commit and print); they are never handed out again.
    let gaps = last as usize - printed.len();
    println!(
        "SIGKILL test: {killed} kills in {rounds} rounds, {} numbers printed, last issued {last}, {gaps} numbers lost to kills (never reissued)",
        printed.len()
    );
    assert!(
        printed.len() >= kills,
        "too few numbers printed to test anything"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
