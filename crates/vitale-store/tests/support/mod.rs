//! The harness the SIGKILL tests share (`invoice_kill.rs`, `lot_kill.rs`):
//! a test binary re-runs itself as writer processes (its ignored `writer`
//! test), reads the numbers they print, and kills them with `SIGKILL` at
//! random moments.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fmt::{Debug, Display};
use std::hash::Hash;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// How many writers a test kills: `VITALE_KILLS`, else `default`.
pub(crate) fn kills(default: usize) -> usize {
    std::env::var("VITALE_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(default)
}

/// An empty directory `vitale-{name}-{pid}` in the system's temporary
/// directory.
pub(crate) fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vitale-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The body of a writer process: issues numbers with `next` forever and
/// prints each one (`N 42`) **after** `next` returned it — the moment a
/// billing program would put it on a sheet or a lot.
pub(crate) fn issue_forever<N: Display>(mut next: impl FnMut() -> N) -> ! {
    let mut out = std::io::stdout().lock();
    let mut rng = Rng(u64::from(std::process::id()) | 1);
    loop {
        let n = next();
        // Printed only once `next` returned: from here on it may be on a sheet.
        writeln!(out, "N {n}").expect("parent reads");
        out.flush().expect("parent reads");
        // SQLite's locks are not fair: a process that takes the write lock
        // again the instant it released it can starve another one past its
        // busy timeout. A billing program does work between two sheets (or
        // lots); the writer stands for it with a pause of up to 2 ms (on
        // every store, so that they are tested alike).
        thread::sleep(Duration::from_micros(rng.below(2_000)));
    }
}

/// A running writer process and the numbers it printed.
pub(crate) struct Writer<N> {
    child: Child,
    lines: mpsc::Receiver<N>,
    reader: thread::JoinHandle<()>,
}

/// Starts this test binary's `writer` test as a process with `env` set
/// and its stderr in the file `stderr`.
pub(crate) fn start_writer<N>(env: &[(&str, &OsStr)], stderr: &Path) -> Writer<N>
where
    N: FromStr + Send + 'static,
    N::Err: Debug,
{
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
        .envs(env.iter().copied())
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

/// One round: waits until each writer has printed a number (so that the
/// kill lands inside the issuing loop, not during start-up), kills each
/// at a random moment, reaps it, and returns what each printed. `errs`
/// are the writers' stderr files, shown when one fails.
pub(crate) fn kill_round<N>(
    mut writers: Vec<Writer<N>>,
    errs: &[PathBuf],
    rng: &mut Rng,
    round: usize,
) -> Vec<Vec<N>> {
    let mut seen: Vec<Vec<N>> = writers.iter().map(|_| Vec::new()).collect();
    for ((w, s), err) in writers.iter().zip(seen.iter_mut()).zip(errs) {
        match w.lines.recv_timeout(Duration::from_secs(60)) {
            Ok(first) => s.push(first),
            Err(e) => panic!(
                "round {round}: a writer printed no number within 60 s ({e}); its stderr:\n{}",
                std::fs::read_to_string(err).unwrap_or_default()
            ),
        }
    }
    for w in &mut writers {
        thread::sleep(Duration::from_micros(rng.below(20_000)));
        w.child.kill().expect("SIGKILL");
    }
    for ((w, s), err) in writers.into_iter().zip(seen.iter_mut()).zip(errs) {
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
    seen
}

/// Checks what the writers of round `round` printed — each writer's
/// numbers increase, no number was printed twice (across everything in
/// `printed`, which it adds them to) — and returns the largest, if any.
pub(crate) fn record_printed<N>(
    seen: &[Vec<N>],
    printed: &mut HashSet<N>,
    round: usize,
) -> Option<N>
where
    N: Copy + Ord + Hash + Display,
{
    let mut max = None;
    for s in seen {
        assert!(
            s.windows(2).all(|p| p[0] < p[1]),
            "a writer's numbers went backwards"
        );
        for &n in s {
            assert!(
                printed.insert(n),
                "round {round}: number {n} was printed twice"
            );
            max = max.max(Some(n));
        }
    }
    max
}

/// xorshift64*: reproducible random delays without a dependency.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// A number below `n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}
