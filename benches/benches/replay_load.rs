//! The replay cache under load: workstation processes verifying at once
//! against one shared store, 10 % of the presentations being replays of
//! presentations another workstation accepted.
//!
//! `cargo bench -p vitale-benches --features state --bench replay_load`
//!
//! * **PostgreSQL** — 8 worker processes (each a workstation: its own
//!   verifier and connection) verify 2 000 presentations each against one
//!   private server the bench starts (`vitale_test_support::postgres`).
//! * **SQLite** — 1 process verifies 2 000 presentations against a file,
//!   10 % replays of its own earlier ones.
//!
//! The work is cut in 10 rounds; between rounds every worker waits for the
//! others (the parent relays a line on their stdin), so that a replay is
//! always of a presentation its first workstation has already verified.
//! Each round runs twice: once against the shared store (all workers at
//! once), then once against an in-memory cache in each worker — the
//! baseline, same presentations, same processes, same run. The bench
//! fails (panics) if the shared store accepts a replay or refuses a fresh
//! presentation; it reports, as `ratio | …` lines for `.ci/run`:
//!
//! * the p50 and p99 of the replay check alone (`check_and_remember`,
//!   timed inside the verifier by a wrapper) against the in-memory cache's;
//! * the p50 and p99 of a whole verification, shared store / in memory;
//! * the wall time per verification of a round (all workers), i.e. the
//!   inverse ratio of verifications per second, which the text gives.
//!
//! Criterion also measures one `check_and_remember` in this process on
//! each backend. Nothing asserts on time. Under `cargo test --benches` (no
//! `--bench`), a small run (2 workers × 100) checks the machinery only.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr,
    missing_docs
)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::Criterion;
use vitale::codec::model::{CredentialId, Nonce, Timestamp};
use vitale::store::StoreLocation;
use vitale::verify::default_backend;
use vitale::verify::replay::{MemoryReplayCache, ReplayCache, ReplayError, ReplayId};
use vitale_benches::{DeviceKeyForm, World, benchmarking, report_ratio};

const PLAN_VAR: &str = "VITALE_LOAD_PLAN";
const LOCATION_VAR: &str = "VITALE_LOAD_LOCATION";
const NOW_VAR: &str = "VITALE_LOAD_NOW";
const ROUNDS: usize = 10;

/// A replay cache that times each call of the one it wraps.
struct Timed {
    inner: Arc<dyn ReplayCache>,
    nanos: Mutex<Vec<u64>>,
}

impl Timed {
    fn new(inner: Arc<dyn ReplayCache>) -> Arc<Self> {
        Arc::new(Timed {
            inner,
            nanos: Mutex::new(Vec::with_capacity(4_096)),
        })
    }
}

impl ReplayCache for Timed {
    fn check_and_remember(
        &self,
        id: &ReplayId,
        retain_until: Timestamp,
        now: Timestamp,
    ) -> Result<(), ReplayError> {
        let start = Instant::now();
        let outcome = self.inner.check_and_remember(id, retain_until, now);
        let spent = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.nanos.lock().unwrap().push(spent);
        outcome
    }
}

/// One presentation of a worker's plan: fresh, or a replay.
#[derive(Clone)]
struct Item {
    fresh: bool,
    text: String,
}

/// `plans[worker][round]`: the fresh presentations of each worker, with
/// replays of the next worker's (its own, when alone) from earlier rounds
/// spread among them: `per_worker / 10` replays in all.
fn plans(world: &World, workers: usize, per_worker: usize) -> Vec<Vec<Vec<Item>>> {
    let per_round = per_worker / ROUNDS;
    let replays = per_worker / 10;
    let replays_in = |r: usize| match r {
        0 => 0,
        r => replays / (ROUNDS - 1) + usize::from(r - 1 < replays % (ROUNDS - 1)),
    };
    let fresh_per_worker: usize = (0..ROUNDS).map(|r| per_round - replays_in(r)).sum();
    let texts = world
        .qr_texts(workers * fresh_per_worker)
        .expect("presentations");
    // fresh[w][r]: worker w's fresh texts in round r.
    let mut fresh: Vec<Vec<Vec<String>>> = Vec::new();
    let mut all = texts.into_iter();
    for _ in 0..workers {
        fresh.push(
            (0..ROUNDS)
                .map(|r| all.by_ref().take(per_round - replays_in(r)).collect())
                .collect(),
        );
    }
    let mut plans = Vec::new();
    for w in 0..workers {
        let source = (w + 1) % workers;
        let earlier: Vec<&String> = fresh[source].iter().flatten().collect();
        let mut next_replay = 0;
        let mut rounds = Vec::new();
        for (r, mine) in fresh[w].iter().enumerate() {
            let mut items: Vec<Item> = mine
                .iter()
                .map(|t| Item {
                    fresh: true,
                    text: t.clone(),
                })
                .collect();
            let n = replays_in(r);
            for q in 0..n {
                let text = earlier[next_replay].clone();
                next_replay += 1;
                let at = (q + 1) * items.len() / (n + 1);
                items.insert(at, Item { fresh: false, text });
            }
            rounds.push(items);
        }
        // Every replay is of a presentation verified in an earlier round.
        let verified_before_last: usize = fresh[source][..ROUNDS - 1].iter().map(Vec::len).sum();
        assert!(next_replay <= verified_before_last);
        plans.push(rounds);
    }
    plans
}

/// What a worker found.
#[derive(Default)]
struct Findings {
    anomalies: Vec<String>,
    memory_replays_accepted: u64,
    shared_check: Vec<u64>,
    memory_check: Vec<u64>,
    shared_verify: Vec<u64>,
    memory_verify: Vec<u64>,
}

/// A worker process: one workstation.
fn worker(plan: &str) {
    let now: u64 = std::env::var(NOW_VAR).unwrap().parse().unwrap();
    let location: StoreLocation = std::env::var(LOCATION_VAR).unwrap().parse().unwrap();
    let world = World::at(now, DeviceKeyForm::Uncompressed).unwrap();
    let shared = Timed::new(
        location
            .open_replay_cache()
            .expect("worker opens the store"),
    );
    let memory = Timed::new(Arc::new(MemoryReplayCache::default()));
    let verifiers = [
        world
            .verifier(default_backend())
            .unwrap()
            .with_replay_cache(Arc::clone(&shared)),
        world
            .verifier(default_backend())
            .unwrap()
            .with_replay_cache(Arc::clone(&memory)),
    ];
    let mut rounds: Vec<Vec<Item>> = vec![Vec::new(); ROUNDS];
    for line in std::fs::read_to_string(plan).unwrap().lines() {
        let mut parts = line.splitn(3, ' ');
        let r: usize = parts.next().unwrap().parse().unwrap();
        let fresh = parts.next() == Some("F");
        rounds[r].push(Item {
            fresh,
            text: parts.next().unwrap().to_owned(),
        });
    }
    let mut findings = Findings::default();
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    for command in std::io::stdin().lock().lines() {
        let command = command.unwrap();
        let mut parts = command.split(' ');
        let (phase, round) = (
            parts.next().unwrap(),
            parts.next().map(|r| r.parse::<usize>().unwrap()),
        );
        let Some(r) = round else { break };
        let on_shared = phase == "shared";
        let verifier = &verifiers[usize::from(!on_shared)];
        for item in &rounds[r] {
            let start = Instant::now();
            let outcome = verifier.verify_text(&item.text);
            let spent = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
            let times = if on_shared {
                &mut findings.shared_verify
            } else {
                &mut findings.memory_verify
            };
            times.push(spent);
            match (item.fresh, outcome, on_shared) {
                (true, Ok(_), _) | (false, Err(vitale::verify::Error::Replay), _) => {}
                (false, Ok(_), false) => findings.memory_replays_accepted += 1,
                (fresh, outcome, _) => findings.anomalies.push(format!(
                    "{phase} round {r}: {} presentation gave {:?}",
                    if fresh { "a fresh" } else { "a replayed" },
                    outcome.map(|_| "accepted").map_err(|e| e.kind())
                )),
            }
        }
        writeln!(out, "done").unwrap();
        out.flush().unwrap();
    }
    findings.shared_check = std::mem::take(&mut *shared.nanos.lock().unwrap());
    findings.memory_check = std::mem::take(&mut *memory.nanos.lock().unwrap());
    for a in &findings.anomalies {
        writeln!(out, "anomaly {a}").unwrap();
    }
    writeln!(
        out,
        "memory_replays_accepted {}",
        findings.memory_replays_accepted
    )
    .unwrap();
    for (name, v) in [
        ("shared_check", &findings.shared_check),
        ("memory_check", &findings.memory_check),
        ("shared_verify", &findings.shared_verify),
        ("memory_verify", &findings.memory_verify),
    ] {
        let list: Vec<String> = v.iter().map(u64::to_string).collect();
        writeln!(out, "{name} {}", list.join(" ")).unwrap();
    }
    writeln!(out, "end").unwrap();
}

/// A worker seen from the parent; killed if the bench fails.
struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Running {
    fn expect(&mut self, want: &str) {
        let line = self.lines.next().expect("a worker ended early").unwrap();
        assert_eq!(line, want, "a worker said something else");
    }
    fn say(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn quantile(sorted: &[u64], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    Duration::from_nanos(sorted.get(i).copied().unwrap_or(0))
}

/// Runs `workers` processes of `per_worker` presentations on `location`
/// and reports.
fn load(name: &str, location: &str, workers: usize, per_worker: usize, now: u64, dir: &Path) {
    let world = World::at(now, DeviceKeyForm::Uncompressed).unwrap();
    let plans = plans(&world, workers, per_worker);
    let exe = std::env::current_exe().unwrap();
    let mut running: Vec<Running> = plans
        .iter()
        .enumerate()
        .map(|(w, rounds)| {
            let path = dir.join(format!("{name}-{w}.plan"));
            let mut text = String::new();
            for (r, items) in rounds.iter().enumerate() {
                for item in items {
                    let tag = if item.fresh { "F" } else { "R" };
                    text.push_str(&format!("{r} {tag} {}\n", item.text));
                }
            }
            std::fs::write(&path, text).unwrap();
            let mut child = Command::new(&exe)
                .env(PLAN_VAR, &path)
                .env(LOCATION_VAR, location)
                .env(NOW_VAR, now.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let stdin = child.stdin.take().unwrap();
            let lines = BufReader::new(child.stdout.take().unwrap()).lines();
            Running {
                child,
                stdin,
                lines,
            }
        })
        .collect();
    for w in &mut running {
        w.expect("ready");
    }
    let mut walls = [Duration::ZERO, Duration::ZERO];
    for r in 0..ROUNDS {
        for (p, phase) in ["shared", "memory"].into_iter().enumerate() {
            let start = Instant::now();
            for w in &mut running {
                w.say(&format!("{phase} {r}"));
            }
            for w in &mut running {
                w.expect("done");
            }
            walls[p] += start.elapsed();
        }
    }
    let mut all = Findings::default();
    for w in &mut running {
        w.say("quit");
        for line in w.lines.by_ref() {
            let line = line.unwrap();
            let (key, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
            let numbers = || rest.split_whitespace().map(|n| n.parse::<u64>().unwrap());
            match key {
                "end" => break,
                "anomaly" => all.anomalies.push(rest.to_owned()),
                "memory_replays_accepted" => all.memory_replays_accepted += numbers().sum::<u64>(),
                "shared_check" => all.shared_check.extend(numbers()),
                "memory_check" => all.memory_check.extend(numbers()),
                "shared_verify" => all.shared_verify.extend(numbers()),
                "memory_verify" => all.memory_verify.extend(numbers()),
                _ => panic!("unexpected line from a worker: {line}"),
            }
        }
    }
    drop(running);
    let total = (workers * per_worker) as u64;
    let replays = (workers * (per_worker / 10)) as u64;
    assert!(
        all.anomalies.is_empty(),
        "{name}: {} anomalies, first: {:?}",
        all.anomalies.len(),
        all.anomalies.first()
    );
    assert_eq!(all.shared_verify.len() as u64, total);
    let rate = |wall: Duration| total as f64 / wall.as_secs_f64();
    println!(
        "replay_load: {name}, {workers} process(es) x {per_worker}: {total} verifications, {replays} replays all refused, {} fresh all accepted; {:.0} verifications/s (in-memory caches in the same processes: {:.0}/s, and they accepted {} of the {replays} replays)",
        total - replays,
        rate(walls[0]),
        rate(walls[1]),
        all.memory_replays_accepted
    );
    for v in [
        &mut all.shared_check,
        &mut all.memory_check,
        &mut all.shared_verify,
        &mut all.memory_verify,
    ] {
        v.sort_unstable();
    }
    let what = |x: &str| format!("{name}, {workers} proc.: {x}, shared / in-memory");
    for (label, q) in [("p50", 0.5), ("p99", 0.99)] {
        report_ratio(
            "replay_load",
            &what(&format!("replay check {label}")),
            quantile(&all.shared_check, q),
            quantile(&all.memory_check, q),
            None,
        );
    }
    for (label, q) in [("p50", 0.5), ("p99", 0.99)] {
        report_ratio(
            "replay_load",
            &what(&format!("verification {label}")),
            quantile(&all.shared_verify, q),
            quantile(&all.memory_verify, q),
            None,
        );
    }
    report_ratio(
        "replay_load",
        &what(&format!(
            "wall per verification ({:.0} vs {:.0} v/s)",
            rate(walls[0]),
            rate(walls[1])
        )),
        walls[0] / u32::try_from(total).unwrap(),
        walls[1] / u32::try_from(total).unwrap(),
        None,
    );
}

/// Criterion: one `check_and_remember` in this process on each backend
/// (a new presentation each time).
fn single_calls(c: &mut Criterion, caches: &[(&str, Arc<dyn ReplayCache>)], now: u64) {
    let counter = AtomicU64::new(0);
    let ts = |s| Timestamp::from_unix(s).unwrap();
    let mut group = c.benchmark_group("replay_check");
    for (name, cache) in caches {
        group.bench_function(*name, |b| {
            b.iter(|| {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let mut nonce = [0u8; 16];
                nonce[..8].copy_from_slice(&n.to_be_bytes());
                let id = ReplayId::new(
                    &CredentialId::from_bytes([9; 16]),
                    &Nonce::from_bytes(nonce),
                );
                // One second per call, each kept for 480: a steady state
                // well within the in-memory cache's capacity.
                let at = now + n;
                cache.check_and_remember(&id, ts(at + 480), ts(at)).unwrap();
            });
        });
    }
    group.finish();
}

fn main() {
    if let Ok(plan) = std::env::var(PLAN_VAR) {
        worker(&plan);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    let (workers, per_worker) = if benchmarking() { (8, 2_000) } else { (2, 100) };
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())
        .unwrap()
        .unix();
    let dir = std::env::temp_dir().join(format!("vitale-replay-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite:{}", dir.join("state.sqlite").display());
    let server = vitale_test_support::postgres::shared("replay_load");
    let postgres = server
        .as_ref()
        .map(|s| format!("postgres:{}", s.database("replay_load")));

    let mut caches: Vec<(&str, Arc<dyn ReplayCache>)> = vec![
        ("memory", Arc::new(MemoryReplayCache::default())),
        (
            "sqlite",
            sqlite
                .parse::<StoreLocation>()
                .unwrap()
                .open_replay_cache()
                .unwrap(),
        ),
    ];
    if let Some(location) = &postgres {
        caches.push((
            "postgres",
            location
                .parse::<StoreLocation>()
                .unwrap()
                .open_replay_cache()
                .unwrap(),
        ));
    }
    single_calls(&mut c, &caches, now);
    drop(caches);

    if let Some(location) = &postgres {
        load("PostgreSQL", location, workers, per_worker, now, &dir);
    }
    let sqlite_load = format!("sqlite:{}", dir.join("load.sqlite").display());
    load("SQLite", &sqlite_load, 1, per_worker, now, &dir);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
