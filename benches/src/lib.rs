//! Fixtures and measurement helpers of the end-to-end benchmarks.
//!
//! The benchmarks themselves are in `benches/` (`text_to_card`,
//! `image_to_card`); `docs/performance.md` explains what they measure and
//! reports their numbers. Every result is a **ratio against a baseline
//! measured in the same run** (the machine may be loaded by other builds,
//! so absolute times only illustrate); nothing asserts on time.
//!
//! * [`World`] — what `vitale-sim` makes for the benchmarks: one insurer,
//!   [`PHONES`] holders with their own credentials and households, the
//!   trust list, and verifiers or terminals built on it.
//! * [`Pool`] — pre-made presentations, each shown once per replay cache:
//!   see "Replay cache" below.
//! * [`interleaved`], [`report_ratio`] — the ratio of two paths timed in
//!   alternating short rounds (the fastest round of each: see
//!   [`interleaved`]), printed as one `ratio | …` line that `.ci/run`
//!   gathers into a table.
//!
//! # Replay cache
//!
//! A verifier refuses a presentation it has already accepted, so a
//! benchmark cannot verify the same text twice. Each benchmark draws from
//! a [`Pool`] of distinct presentations made beforehand (from several
//! phones, so several credentials and device keys), and verifies each of
//! them once against a verifier with the default
//! [`MemoryReplayCache`](vitale::verify::replay::MemoryReplayCache). When
//! the pool is used up, a fresh verifier (empty cache) is built **outside
//! the timed section** and the pool starts over. The replay check measured
//! is therefore the real one — a lookup and an insertion into a cache of
//! up to the pool's size — and no cache of any kind can be warmed by
//! repeated input: a presentation is never seen twice by one verifier, and
//! the credentials rotate.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use vitale::Terminal;
use vitale::codec::model::{DeviceKey, SignedPresentation, Timestamp, ValidityWindow};
use vitale::verify::policy::FixedClock;
use vitale::verify::trust::{TrustList, TrustStore};
use vitale::verify::{PublicKey, Signature, SignatureBackend, Verifier};
use vitale_sim::{Household, Scenario, Seed, SimPhone};

/// Any failure while building fixtures (they are made by the simulator,
/// so none is expected).
pub type BenchError = Box<dyn std::error::Error + Send + Sync>;

/// The benchmarks' clock: 2026-11-22T08:00:00Z, as in the format's vectors.
pub const NOW: u64 = 1_795_334_400;

/// Beneficiaries per household (a family of three, as in
/// `docs/performance.md` since the first measurements).
pub const BENEFICIARIES: usize = 3;

/// Phones (holders) presenting in turn, each with its own credential.
pub const PHONES: usize = 8;

/// Lifetime of the presentations, in seconds.
const LIFETIME_SECS: u64 = 120;

const DAY: u64 = 86_400;

/// How the issuer writes the device key in the credentials it issues
/// (`docs/format.md` allows both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKeyForm {
    /// Both coordinates: what the simulator issues and the format
    /// recommends.
    Uncompressed,
    /// x and the parity of y: 32 bytes shorter, but every verification
    /// computes a square root to recover y.
    Compressed,
}

impl DeviceKeyForm {
    /// A short label for reports.
    pub fn label(self) -> &'static str {
        match self {
            DeviceKeyForm::Uncompressed => "uncompressed key",
            DeviceKeyForm::Compressed => "compressed key",
        }
    }
}

/// One insurer and [`PHONES`] holders, all from fixed seeds.
pub struct World {
    now: Timestamp,
    scenario: Scenario,
    phones: Vec<SimPhone>,
}

impl World {
    /// Builds the world: the insurer and trust list of the scenario of
    /// seed 42, and [`PHONES`] holders, each with a household of
    /// [`BENEFICIARIES`] and a credential issued by the same issuer key,
    /// its device key written in `form`.
    ///
    /// # Errors
    /// Only if the simulator fails, which it does not for these inputs.
    pub fn new(form: DeviceKeyForm) -> Result<Self, BenchError> {
        Self::at(NOW, form)
    }

    /// [`World::new`] with `now` (UNIX seconds) instead of [`NOW`]: the
    /// same keys and households, credentials valid from a day before `now`
    /// to a week after. The load test uses the real time, so that a
    /// database purging by its own clock sees live presentations.
    ///
    /// # Errors
    /// Only if the simulator fails, which it does not for these inputs.
    pub fn at(now: u64, form: DeviceKeyForm) -> Result<Self, BenchError> {
        let now_secs = now;
        let now = Timestamp::from_unix(now_secs).ok_or("time out of range")?;
        let scenario = Scenario::new(Seed::from_u64(42), BENEFICIARIES, now)?;
        let yesterday =
            Timestamp::from_unix(now_secs.saturating_sub(DAY)).ok_or("time out of range")?;
        let in_a_week = Timestamp::from_unix(now_secs + 7 * DAY).ok_or("time out of range")?;
        let validity = ValidityWindow::new(yesterday, in_a_week).ok_or("empty validity")?;
        let mut phones = Vec::with_capacity(PHONES);
        for k in 0..PHONES {
            let seed = Seed::from_u64(1_000 + k as u64);
            let household = Household::sample(&seed, BENEFICIARIES)?;
            let mut phone = SimPhone::new(&seed, &format!("bench-{k}"))?;
            let issuer = &scenario.issuer;
            let mut credential =
                issuer.credential(&household, phone.device_key(), yesterday, validity)?;
            if form == DeviceKeyForm::Compressed {
                let point = phone.device_key().to_sec1_point(true);
                credential.device_key =
                    DeviceKey::from_sec1(point.as_bytes()).ok_or("compressed point")?;
            }
            phone.install_credential(issuer.sign_credential(0, &credential)?)?;
            phones.push(phone);
        }
        Ok(World {
            now,
            scenario,
            phones,
        })
    }

    /// The benchmarks' `now`.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// `n` QR texts (`VT1:`), each a new presentation (fresh nonce), the
    /// phones taking turns.
    ///
    /// # Errors
    /// Only if the simulator fails.
    pub fn qr_texts(&self, n: usize) -> Result<Vec<String>, BenchError> {
        let mut texts = Vec::with_capacity(n);
        for phone in self.phones.iter().cycle().take(n) {
            texts.push(phone.present_qr_text(self.now, LIFETIME_SECS)?);
        }
        Ok(texts)
    }

    /// A verifier as a vendor builds one — default policy, default
    /// in-memory replay cache — on this world's trust list, at [`NOW`],
    /// with `backend`.
    ///
    /// # Errors
    /// Only if the trust list does not verify, which it does.
    pub fn verifier(&self, backend: &'static dyn SignatureBackend) -> Result<Verifier, BenchError> {
        let s = &self.scenario;
        let list = TrustList::from_cbor(&s.trust_list, &s.anchor, backend, self.now)?;
        Ok(Verifier::new(TrustStore::new(s.anchor.clone(), list))
            .with_clock(FixedClock(self.now))
            .with_backend(backend))
    }

    /// A terminal (the facade) on [`World::verifier`], with the default QR
    /// decoder.
    ///
    /// # Errors
    /// As [`World::verifier`].
    pub fn terminal(&self, backend: &'static dyn SignatureBackend) -> Result<Terminal, BenchError> {
        Ok(Terminal::new(self.verifier(backend)?))
    }

    /// The two signatures inside a QR text, ready to verify bare: the
    /// irreducible cost of verifying it.
    ///
    /// # Errors
    /// If the text does not decode or its device key is not a P-256 point.
    pub fn bare_signatures(&self, text: &str) -> Result<BareSignatures, BenchError> {
        let p = SignedPresentation::from_text(text)?;
        let credential = p.presentation().credential();
        let issuer = self.scenario.issuer.issuer_key(0)?.verifying_key();
        let issuer_key = PublicKey::from_sec1_bytes(&issuer.to_sec1_bytes())?;
        let device_key = PublicKey::from_sec1_bytes(&credential.credential().device_key.to_sec1())?;
        Ok(BareSignatures {
            checks: [
                (
                    issuer_key,
                    credential.envelope().to_be_signed(&[])?,
                    Signature::from_bytes(credential.envelope().signature()),
                ),
                (
                    device_key,
                    p.envelope().to_be_signed(&[])?,
                    Signature::from_bytes(p.envelope().signature()),
                ),
            ],
        })
    }
}

/// The issuer's and the device's ES256 signatures of one presentation, with
/// their keys already parsed and their messages (`Sig_structure`s) already
/// built.
pub struct BareSignatures {
    checks: [(PublicKey, Vec<u8>, Signature); 2],
}

impl BareSignatures {
    /// Verifies both signatures with `backend`.
    ///
    /// # Errors
    /// [`vitale::verify::Error::BadSignature`] if one does not verify (they
    /// do: they come from a valid presentation).
    pub fn verify(&self, backend: &dyn SignatureBackend) -> Result<(), vitale::verify::Error> {
        for (key, message, signature) in &self.checks {
            backend.verify_es256(black_box(key), black_box(message), black_box(signature))?;
        }
        Ok(())
    }
}

/// Inputs used once each, in turn, with a state (a verifier or a terminal)
/// that is rebuilt — outside the timed section — whenever the inputs have
/// all been used. See "Replay cache" in the crate documentation.
pub struct Pool<'a, T, S, F> {
    items: &'a [T],
    next: usize,
    state: S,
    fresh: F,
}

impl<'a, T, S, F: FnMut() -> S> Pool<'a, T, S, F> {
    /// A pool over `items` (at least one) with the state `fresh` makes.
    pub fn new(items: &'a [T], mut fresh: F) -> Self {
        let state = fresh();
        Pool {
            items,
            next: 0,
            state,
            fresh,
        }
    }

    /// Runs `run` on the next `iters` inputs and returns the time spent in
    /// `run` only (the rebuilding of the state is not timed).
    pub fn time(&mut self, iters: u64, mut run: impl FnMut(&S, &T)) -> Duration {
        let mut spent = Duration::ZERO;
        for _ in 0..iters {
            if self.next >= self.items.len() {
                self.state = (self.fresh)();
                self.next = 0;
            }
            let Some(item) = self.items.get(self.next) else {
                // An empty pool: nothing to time.
                break;
            };
            self.next += 1;
            let start = Instant::now();
            run(&self.state, item);
            spent += start.elapsed();
        }
        spent
    }

    /// How many inputs the pool holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the pool holds no input.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// The time per iteration of two paths, each the **fastest** of `rounds`
/// short rounds of `per_round` iterations, the rounds alternating (A B,
/// then B A, …) so that both paths see the same machine.
///
/// Why the fastest: the build machine is shared, and a round during which
/// the process lost its core to another build only ever takes longer, so
/// the fastest of many short rounds is the time of the path itself; a mean
/// would measure the other builds too. `a` and `b` take an iteration count
/// and return the time spent, like criterion's `iter_custom`.
pub fn interleaved(
    rounds: u32,
    per_round: u32,
    mut a: impl FnMut(u64) -> Duration,
    mut b: impl FnMut(u64) -> Duration,
) -> (Duration, Duration) {
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    for round in 0..rounds {
        if round % 2 == 0 {
            best_a = best_a.min(a(u64::from(per_round)));
            best_b = best_b.min(b(u64::from(per_round)));
        } else {
            best_b = best_b.min(b(u64::from(per_round)));
            best_a = best_a.min(a(u64::from(per_round)));
        }
    }
    let n = per_round.max(1);
    (best_a / n, best_b / n)
}

/// Whether the benchmark binary runs under `cargo bench` (criterion's
/// `--bench` flag), not as a smoke test under `cargo test --benches`.
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Whether criterion's `--quick` was passed: the short mode of `.ci/run`.
/// The benchmarks then also shorten their interleaved rounds.
pub fn quick() -> bool {
    std::env::args().any(|a| a == "--quick")
}

/// One ratio, for the table `.ci/run` prints: `ratio | bench | what |
/// value | goal`, with the two mean times it comes from.
#[allow(clippy::print_stdout, reason = "a benchmark's report goes to stdout")]
pub fn report_ratio(bench: &str, what: &str, a: Duration, b: Duration, goal: Option<f64>) {
    let ratio = a.as_secs_f64() / b.as_secs_f64();
    let goal = match goal {
        None => "-".to_owned(),
        Some(g) if ratio <= g => format!("<= {g:.2} met"),
        Some(g) => format!("<= {g:.2} NOT met"),
    };
    println!(
        "ratio | {bench} | {what} | {ratio:.3} | {goal} | {} / {}",
        micros(a),
        micros(b)
    );
}

/// A duration in µs (or ms above 10 ms), for reports.
pub fn micros(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 10_000.0 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{us:.1} µs")
    }
}
