//! QR text → `VerifiedCard` through the facade (`vitale::Terminal`), against
//! its irreducible cost: the two bare ES256 verifications it contains
//! (issuer over the credential, device over the presentation) with keys
//! already parsed and messages already built, on the same backend, in the
//! same run. Goal: ≤ 1.10 (`docs/performance.md`).
//!
//! `cargo bench -p vitale-benches --features ring --bench text_to_card`
//! (without `--features ring`: the p256 backend only).
//!
//! Both forms of the credential's device key are measured: uncompressed,
//! as the simulator issues it and the format recommends (the goal applies
//! to it), and compressed, which costs a square root per verification.
//!
//! Each verification takes a presentation never seen by its verifier (see
//! "Replay cache" in the `vitale-benches` documentation). Criterion
//! measures both paths per backend; then both are timed again in many
//! short alternating rounds and the ratio of the fastest rounds is printed
//! as a `ratio | …` line (`vitale_benches::interleaved` says why the
//! fastest). Nothing here asserts on time.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::Criterion;
use vitale::verify::compiled_backends;
use vitale_benches::{DeviceKeyForm, Pool, World, benchmarking, interleaved, quick, report_ratio};

/// Presentations made beforehand; a verifier sees each once.
const POOL: usize = 512;

/// The goal: full verification within 10 % of the two signatures.
const GOAL: f64 = 1.10;

fn main() {
    let mut c = Criterion::default().configure_from_args();
    for form in [DeviceKeyForm::Uncompressed, DeviceKeyForm::Compressed] {
        let world = World::new(form).expect("world");
        let texts = world.qr_texts(POOL).expect("presentations");
        let bare: Vec<_> = texts
            .iter()
            .map(|t| world.bare_signatures(t).expect("bare signatures"))
            .collect();
        for &backend in compiled_backends() {
            let mut full = Pool::new(&texts, || world.terminal(backend).expect("terminal"));
            let mut base = Pool::new(&bare, || ());
            let mut full_path = |iters| {
                full.time(iters, |terminal, text| {
                    black_box(terminal.verify_text(black_box(text)).expect("verifies"));
                })
            };
            let mut bare_path =
                |iters| base.time(iters, |(), sigs| sigs.verify(backend).expect("verifies"));

            let name = match form {
                DeviceKeyForm::Uncompressed => format!("text_to_card/{}", backend.name()),
                DeviceKeyForm::Compressed => {
                    format!("text_to_card/{}/compressed_key", backend.name())
                }
            };
            let mut group = c.benchmark_group(&name);
            group.bench_function("two_bare_es256", |b| b.iter_custom(&mut bare_path));
            group.bench_function("qr_text_to_verified_card", |b| {
                b.iter_custom(&mut full_path)
            });
            group.finish();

            if benchmarking() {
                // Short rounds (a few ms), many of them: see `interleaved`.
                let per_round = if backend.name() == "ring" { 8 } else { 2 };
                let rounds = if quick() { 100 } else { 300 };
                let (full_mean, bare_mean) =
                    interleaved(rounds, per_round, &mut full_path, &mut bare_path);
                // The goal is for what the format recommends issuers to
                // write; the compressed form is reported for comparison.
                let goal = (form == DeviceKeyForm::Uncompressed).then_some(GOAL);
                report_ratio(
                    &name,
                    &format!(
                        "QR text -> VerifiedCard / two bare ES256 ({})",
                        form.label()
                    ),
                    full_mean,
                    bare_mean,
                    goal,
                );
            }
        }
    }
    c.final_summary();
}
