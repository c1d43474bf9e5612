//! One ES256 verification with each backend, in the same run, and the
//! ratio p256 / ring.
//!
//! `cargo bench -p vitale-verify --features ring --bench backends`
//!
//! Criterion measures each backend; then, to print one honest number, both
//! are timed again with `Instant` in interleaved rounds (so both see the
//! same machine load) and the ratio of the mean times is printed. Nothing
//! here asserts on time.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer as _;
use vitale_verify::{P256Backend, PublicKey, RingBackend, Signature, SignatureBackend};

/// A message the size of a presentation's Sig_structure (a credential
/// with a few beneficiaries), about 700 bytes.
const MESSAGE_LEN: usize = 700;

struct Fixture {
    key: PublicKey,
    message: Vec<u8>,
    signature: Signature,
}

fn fixture() -> Fixture {
    let signing = SigningKey::from_bytes(&[0x5a; 32].into()).expect("valid scalar");
    let message: Vec<u8> = (0..MESSAGE_LEN).map(|i| (i % 251) as u8).collect();
    let sig: p256::ecdsa::Signature = signing.sign(&message);
    let bytes: [u8; 64] = sig.to_bytes().into();
    let key = PublicKey::from_sec1_bytes(signing.verifying_key().to_sec1_point(true).as_bytes())
        .expect("valid key");
    Fixture {
        key,
        message,
        signature: Signature::from_bytes(&bytes),
    }
}

fn backends() -> [&'static dyn SignatureBackend; 2] {
    [&P256Backend, &RingBackend]
}

fn criterion_groups(c: &mut Criterion, f: &Fixture) {
    let mut group = c.benchmark_group("es256_verify");
    for backend in backends() {
        // Fail loudly rather than time an error path.
        backend
            .verify_es256(&f.key, &f.message, &f.signature)
            .expect("fixture verifies");
        group.bench_function(backend.name(), |b| {
            b.iter(|| {
                backend.verify_es256(
                    black_box(&f.key),
                    black_box(&f.message),
                    black_box(&f.signature),
                )
            });
        });
    }
    group.finish();
}

/// Mean time of one verification per backend, over interleaved rounds.
fn interleaved_means(f: &Fixture, rounds: u32, per_round: u32) -> [Duration; 2] {
    let mut totals = [Duration::ZERO; 2];
    for _ in 0..rounds {
        for (total, backend) in totals.iter_mut().zip(backends()) {
            let start = Instant::now();
            for _ in 0..per_round {
                let _ = black_box(backend.verify_es256(
                    black_box(&f.key),
                    black_box(&f.message),
                    black_box(&f.signature),
                ));
            }
            *total += start.elapsed();
        }
    }
    totals.map(|t| t / (rounds * per_round))
}

fn main() {
    let f = fixture();
    let mut c = Criterion::default().configure_from_args();
    criterion_groups(&mut c, &f);
    c.final_summary();

    // Only when benchmarking (`cargo bench`), not in `cargo test --benches`.
    if std::env::args().any(|a| a == "--bench") {
        let [p256, ring] = interleaved_means(&f, 10, 200);
        // The `ratio | bench | what | value | goal | times` form that
        // `.ci/run` gathers into its table.
        println!(
            "ratio | es256_verify | p256 / ring (means of 10 interleaved rounds of 200) | {:.2} \
             | - | {:.1} µs / {:.1} µs",
            p256.as_secs_f64() / ring.as_secs_f64(),
            p256.as_secs_f64() * 1e6,
            ring.as_secs_f64() * 1e6,
        );
    }
}
