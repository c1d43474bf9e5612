//! Full verification (QR text → `VerifiedCard`) against its irreducible
//! cost — two bare ES256 verifications (issuer, device) with the same
//! backend — as a ratio measured in the same run. Goal: ≤ 1.10.
//!
//! `cargo bench -p vitale-verify --bench verify` (p256 only), or with
//! `--features ring` to measure both backends.
//!
//! Criterion measures both paths per backend; then the two are timed again
//! with `Instant` in interleaved rounds (same machine load for both) and the
//! ratio of the means is printed. Nothing here asserts on time.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use vitale_codec::model::{SignedPresentation, Timestamp};
use vitale_sim::{Scenario, Seed};
use vitale_verify::policy::FixedClock;
use vitale_verify::replay::MemoryReplayCache;
use vitale_verify::{
    PublicKey, Signature, SignatureBackend, TrustList, TrustStore, Verifier, compiled_backends,
};

const NOW: u64 = 1_795_334_400;
const ROUNDS: usize = 10;
const PER_ROUND: usize = 40;

struct Fixture {
    scenario: Scenario,
    texts: Vec<String>,
    /// (key, message, signature) of the issuer and device signatures of
    /// the first presentation: what any verifier must at least do.
    bare: [(PublicKey, Vec<u8>, Signature); 2],
}

fn fixture() -> Fixture {
    let now = Timestamp::from_unix(NOW).unwrap();
    let scenario = Scenario::new(Seed::from_u64(42), 3, now).unwrap();
    let texts: Vec<String> = (0..ROUNDS * PER_ROUND + 1)
        .map(|_| scenario.phone.present_qr_text(now, 120).unwrap())
        .collect();
    let p = SignedPresentation::from_text(&texts[0]).unwrap();
    let credential = p.presentation().credential();
    let issuer_key = PublicKey::from_sec1_bytes(
        &scenario
            .issuer
            .issuer_key(0)
            .unwrap()
            .verifying_key()
            .to_sec1_bytes(),
    )
    .unwrap();
    let device_key =
        PublicKey::from_sec1_bytes(&credential.credential().device_key.to_sec1()).unwrap();
    let bare = [
        (
            issuer_key,
            credential.envelope().to_be_signed(&[]).unwrap(),
            Signature::from_bytes(credential.envelope().signature()),
        ),
        (
            device_key,
            p.envelope().to_be_signed(&[]).unwrap(),
            Signature::from_bytes(p.envelope().signature()),
        ),
    ];
    Fixture {
        scenario,
        texts,
        bare,
    }
}

fn verifier(f: &Fixture, backend: &'static dyn SignatureBackend, capacity: usize) -> Verifier {
    let now = Timestamp::from_unix(NOW).unwrap();
    let s = &f.scenario;
    let list = TrustList::from_cbor(&s.trust_list, &s.anchor, backend, now).unwrap();
    Verifier::new(TrustStore::new(s.anchor.clone(), list))
        .with_clock(FixedClock(now))
        .with_backend(backend)
        .with_replay_cache(MemoryReplayCache::new(capacity))
}

fn two_bare(f: &Fixture, backend: &dyn SignatureBackend) {
    for (key, message, signature) in &f.bare {
        backend
            .verify_es256(black_box(key), black_box(message), black_box(signature))
            .unwrap();
    }
}

fn criterion_groups(c: &mut Criterion, f: &Fixture) {
    // Where the time outside the two signatures goes.
    let mut parts = c.benchmark_group("verify/parts");
    parts.bench_function("decode_text", |b| {
        b.iter(|| SignedPresentation::from_text(black_box(&f.texts[0])).unwrap())
    });
    let p = SignedPresentation::from_text(&f.texts[0]).unwrap();
    let device = p
        .presentation()
        .credential()
        .credential()
        .device_key
        .to_sec1();
    parts.bench_function("parse_device_key", |b| {
        b.iter(|| PublicKey::from_sec1_bytes(black_box(&device)).unwrap())
    });
    parts.bench_function("to_be_signed", |b| {
        b.iter(|| black_box(&p).envelope().to_be_signed(&[]).unwrap())
    });
    parts.finish();
    for &backend in compiled_backends() {
        let mut group = c.benchmark_group(format!("verify/{}", backend.name()));
        group.bench_function("two_bare_es256", |b| b.iter(|| two_bare(f, backend)));
        let mut next = 0;
        group.bench_function("qr_text_to_verified_card", |b| {
            // A fresh verifier (empty replay cache) per iteration, built
            // outside the timed part, so the same texts can be reused.
            b.iter_batched(
                || {
                    next = (next + 1) % f.texts.len();
                    (verifier(f, backend, 64), &f.texts[next])
                },
                |(v, text)| v.verify_text(black_box(text)).unwrap(),
                BatchSize::SmallInput,
            );
        });
        group.finish();
    }
}

/// Mean time of (full verification, two bare verifications), interleaved.
fn interleaved_means(f: &Fixture, backend: &'static dyn SignatureBackend) -> (Duration, Duration) {
    let v = verifier(f, backend, f.texts.len());
    let (mut full, mut bare) = (Duration::ZERO, Duration::ZERO);
    let mut texts = f.texts.iter();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for text in texts.by_ref().take(PER_ROUND) {
            black_box(v.verify_text(black_box(text)).unwrap());
        }
        full += start.elapsed();
        let start = Instant::now();
        for _ in 0..PER_ROUND {
            two_bare(f, backend);
        }
        bare += start.elapsed();
    }
    let n = u32::try_from(ROUNDS * PER_ROUND).unwrap();
    (full / n, bare / n)
}

fn main() {
    let f = fixture();
    let mut c = Criterion::default().configure_from_args();
    criterion_groups(&mut c, &f);
    c.final_summary();

    if std::env::args().any(|a| a == "--bench") {
        for &backend in compiled_backends() {
            let (full, bare) = interleaved_means(&f, backend);
            // One `ratio | bench | what | value | goal | times` line, the
            // form `.ci/run` gathers into its table.
            let ratio = full.as_secs_f64() / bare.as_secs_f64();
            println!(
                "ratio | verify/{} | QR text -> VerifiedCard / two bare ES256 (means of {} \
                 interleaved rounds of {}) | {ratio:.3} | <= 1.10 {} | {:.1} µs / {:.1} µs",
                backend.name(),
                ROUNDS,
                PER_ROUND,
                if ratio <= 1.10 { "met" } else { "NOT met" },
                full.as_secs_f64() * 1e6,
                bare.as_secs_f64() * 1e6,
            );
        }
    }
}
