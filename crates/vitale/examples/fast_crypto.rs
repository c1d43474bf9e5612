//! The fast signature backend: feature `fast-crypto` (ES256 with `ring`,
//! assembly and C) instead of the default pure-Rust `p256` backend.
//!
//! ```text
//! cargo run -p vitale --features fast-crypto --example fast_crypto
//! ```
//!
//! With the feature, `default_backend()` is `ring` (the fastest compiled
//! in), so a terminal built without naming a backend already uses it;
//! `TerminalBuilder::backend` names one explicitly, and it verifies the
//! trust list and every presentation. This example lists the backends
//! compiled in, builds one terminal per backend from the same trust list and
//! checks that both accept the same 20 presentations and refuse the same
//! tampered one. How much faster `ring` is on your machine:
//! `cargo bench -p vitale-verify --features ring --bench backends`
//! (`docs/performance.md`). Everything is simulated and made at a fixed
//! time, so the output is the same on every run.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::codec::text::encode_qr;
use vitale::verify::policy::FixedClock;
use vitale::verify::{RingBackend, SignatureBackend, compiled_backends, default_backend};
use vitale_sim::{Scenario, Seed};

/// The time the presentations are made and verified (2026-11-12T14:05:00Z).
const NOW: u64 = 1_794_492_300;
/// Presentations verified by each backend.
const COUNT: usize = 20;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fast_crypto failed: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let names: Vec<&str> = compiled_backends().iter().map(|b| b.name()).collect();
    println!("backends compiled in: {}", names.join(", "));
    println!("default backend: {}", default_backend().name());

    let now = Timestamp::from_unix(NOW).ok_or("time")?;
    let scenario = Scenario::new(Seed::from_u64(2026), 3, now)?;
    let terminal = |backend: &'static dyn SignatureBackend| {
        Terminal::builder()
            .trust_list(scenario.trust_list.clone())
            .pinned_root(scenario.anchor.public_key().to_spki_der())
            .backend(backend)
            .clock(FixedClock(now))
            .build()
    };
    // The backend a vendor picks with `fast-crypto`: `ring`.
    let fast = terminal(&RingBackend)?;
    // The portable one, for comparison (always compiled in).
    let portable_backend = compiled_backends()
        .iter()
        .copied()
        .find(|b| b.name() != RingBackend.name())
        .ok_or("no portable backend compiled in")?;
    let portable = terminal(portable_backend)?;

    let mut texts = Vec::with_capacity(COUNT);
    for _ in 0..COUNT {
        texts.push(scenario.phone.present_qr_text(now, 120)?);
    }
    for (name, terminal) in [
        (RingBackend.name(), &fast),
        (portable_backend.name(), &portable),
    ] {
        let mut beneficiaries = 0;
        for text in &texts {
            beneficiaries += terminal.verify_text(text)?.beneficiaries().len();
        }
        println!(
            "{name}: {} presentations verified ({beneficiaries} beneficiaries)",
            texts.len()
        );
    }

    // The device signature (the last bytes of the COSE_Sign1) altered:
    // both refuse it, with the same stable kind.
    let mut bytes = scenario.phone.present_qr(now, 120)?;
    if let Some(last) = bytes.last_mut() {
        *last ^= 0x01;
    }
    let tampered = encode_qr(&bytes);
    for (name, terminal) in [
        (RingBackend.name(), &fast),
        (portable_backend.name(), &portable),
    ] {
        match terminal.verify_text(&tampered) {
            Ok(_) => return Err(format!("{name} accepted a tampered presentation").into()),
            Err(e) => println!("{name}: tampered presentation refused ({})", e.kind()),
        }
    }
    Ok(())
}
