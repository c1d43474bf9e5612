//! The cost of one `MemoryReplayCache::check_and_remember` at capacity 1k
//! and 64k, in steady state, and the ratio 64k / 1k.
//!
//! `cargo bench -p vitale-verify --bench replay`
//!
//! Each cache is first run to a steady state about half full: presentations
//! retained 480 s (the default policy: 180 s of lifetime + 300 s of skew)
//! arrive at `capacity / 960` per second, so every second of clock also
//! purges a bucket of the timing wheel. A measured operation is one new
//! presentation (lookup, insertion, and its share of the purging) or one
//! replay (a lookup that finds the id). Criterion measures each; then both
//! capacities are timed again with `Instant` in interleaved rounds (so both
//! see the same machine load) and the ratio of the mean times is printed.
//! The operations are O(1), so the ratio should stay near 1; what remains
//! is the memory hierarchy (the 64k tables do not fit in the L2 cache).
//! Nothing here asserts on time.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use vitale_codec::model::{CredentialId, Nonce, Timestamp};
use vitale_verify::replay::{MemoryReplayCache, ReplayCache, ReplayError, ReplayId};

/// Seconds each presentation is remembered (default policy).
const RETENTION: u64 = 480;

/// A realistic epoch.
const T0: u64 = 1_700_000_000;

/// The capacities compared.
const CAPACITIES: [usize; 2] = [1 << 10, 1 << 16];

fn id(n: u64) -> ReplayId {
    let mut credential = [0u8; 16];
    credential[..8].copy_from_slice(&n.to_le_bytes());
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&n.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    ReplayId::new(
        &CredentialId::from_bytes(credential),
        &Nonce::from_bytes(nonce),
    )
}

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).expect("in range")
}

/// A cache in steady state and the stream of presentations that feeds it.
struct Workload {
    cache: MemoryReplayCache,
    /// Presentations per second of clock.
    per_second: u64,
    /// Presentations made so far (the next id).
    next: u64,
}

impl Workload {
    /// A cache of `capacity` fed `per_second` presentations per second.
    fn new(capacity: usize, per_second: u64) -> Self {
        let mut w = Workload {
            cache: MemoryReplayCache::new(capacity),
            per_second,
            next: 0,
        };
        // Two retentions' worth: the wheel has turned and entries expire
        // as fast as they arrive.
        for _ in 0..2 * RETENTION * per_second {
            w.present().expect("steady state is below capacity");
        }
        w
    }

    fn now(&self) -> u64 {
        T0 + self.next / self.per_second
    }

    /// A new presentation: accepted.
    fn present(&mut self) -> Result<(), ReplayError> {
        let now = self.now();
        let result =
            self.cache
                .check_and_remember(black_box(&id(self.next)), ts(now + RETENTION), ts(now));
        self.next += 1;
        result
    }

    /// The presentation made just before, shown again: a replay.
    fn replay(&self) -> Result<(), ReplayError> {
        let now = self.now();
        self.cache
            .check_and_remember(black_box(&id(self.next - 1)), ts(now + RETENTION), ts(now))
    }
}

/// The rate that keeps a cache of `capacity` about half full.
fn half_full(capacity: usize) -> u64 {
    (capacity as u64 / (2 * RETENTION)).max(1)
}

/// Presentations per second for a cache of the given capacity.
type Rate = fn(usize) -> u64;

/// The two loads compared: half full (the load scales with the capacity),
/// and a busy workstation (one presentation per second, about 480 live
/// entries whatever the capacity).
const LOADS: [(&str, Rate); 2] = [("half-full", half_full), ("1-per-s", |_| 1)];

fn label(capacity: usize) -> String {
    format!("{}k", capacity / 1024)
}

fn criterion_groups(c: &mut Criterion) {
    for (load, rate) in LOADS {
        let mut group = c.benchmark_group(format!("replay/{load}"));
        for capacity in CAPACITIES {
            let mut w = Workload::new(capacity, rate(capacity));
            group.bench_function(format!("new/{}", label(capacity)), |b| {
                b.iter(|| w.present().expect("accepted"));
            });
            group.bench_function(format!("replay/{}", label(capacity)), |b| {
                b.iter(|| w.replay().expect_err("a replay"));
            });
        }
        group.finish();
    }
}

/// Capacities of the interleaved sweep: where the cost steps up is where
/// the tables stop fitting in a CPU cache, not where the algorithm changes.
const SWEEP: [usize; 5] = [1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18];

/// Mean time of one new presentation per workload, over interleaved rounds.
fn interleaved_means(workloads: &mut [Workload], rounds: u32, per_round: u32) -> Vec<Duration> {
    let mut totals = vec![Duration::ZERO; workloads.len()];
    for _ in 0..rounds {
        for (total, w) in totals.iter_mut().zip(workloads.iter_mut()) {
            let start = Instant::now();
            for _ in 0..per_round {
                let _ = black_box(w.present());
            }
            *total += start.elapsed();
        }
    }
    totals
        .into_iter()
        .map(|t| t / (rounds * per_round))
        .collect()
}

fn nanos(d: Duration) -> f64 {
    d.as_secs_f64() * 1e9
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    criterion_groups(&mut c);
    c.final_summary();

    // Only when benchmarking (`cargo bench`), not in `cargo test --benches`.
    if std::env::args().any(|a| a == "--bench") {
        println!("new presentation, means over 20 interleaved rounds of 50 000:");
        for (load, rate) in LOADS {
            let mut workloads = SWEEP.map(|c| Workload::new(c, rate(c)));
            let means = interleaved_means(&mut workloads, 20, 50_000);
            let line: Vec<String> = SWEEP
                .iter()
                .zip(&means)
                .map(|(c, m)| format!("{} {:.0} ns", label(*c), nanos(*m)))
                .collect();
            // SWEEP[0] is 1k, SWEEP[3] is 64k; the `ratio | …` form is
            // the one `.ci/run` gathers into its table.
            println!("  {load:>9}: {}", line.join(", "));
            println!(
                "ratio | replay/{load} | new presentation, capacity 64k / 1k | {:.2} | - \
                 | {:.0} ns / {:.0} ns",
                nanos(means[3]) / nanos(means[0]),
                nanos(means[3]),
                nanos(means[0])
            );
        }
    }
}
