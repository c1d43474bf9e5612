//! Verifies presentations in a plain loop, one path and one backend, so that
//! `valgrind --tool=callgrind` can count the instructions of each path
//! (`docs/performance.md`, "Where the time goes"):
//!
//! ```text
//! cargo build --profile bench -p vitale-benches --features ring --example verify_loop
//! valgrind --tool=callgrind --toggle-collect='verify_loop::run_*' \
//!     target/release/examples/verify_loop ring text 200
//! callgrind_annotate --inclusive=yes callgrind.out.<pid>
//! ```
//!
//! Arguments: backend (`p256` or `ring`), path (`text`: QR text →
//! `VerifiedCard` through the facade; `bare`: the two ES256 verifications
//! alone; `setup`: the fixtures only), number of presentations, and
//! `compressed` to issue compressed device keys (default `uncompressed`). The fixtures are made
//! before the counted functions run, and each presentation is verified
//! once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs
)]

use std::hint::black_box;

use vitale::Terminal;
use vitale::verify::{SignatureBackend, compiled_backends};
use vitale_benches::{BareSignatures, DeviceKeyForm, World};

#[inline(never)]
fn run_text(terminal: &Terminal, texts: &[String]) {
    for text in texts {
        black_box(terminal.verify_text(black_box(text)).expect("verifies"));
    }
}

#[inline(never)]
fn run_bare(backend: &dyn SignatureBackend, bare: &[BareSignatures]) {
    for sigs in bare {
        sigs.verify(backend).expect("verifies");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (backend, path, count, form) = match args.as_slice() {
        [b, p, c] => (b, p, c, DeviceKeyForm::Uncompressed),
        [b, p, c, f] if f == "uncompressed" => (b, p, c, DeviceKeyForm::Uncompressed),
        [b, p, c, f] if f == "compressed" => (b, p, c, DeviceKeyForm::Compressed),
        _ => {
            println!(
                "usage: verify_loop <p256|ring> <text|bare|setup> <count> [uncompressed|compressed]"
            );
            return;
        }
    };
    let backend = *compiled_backends()
        .iter()
        .find(|b| b.name() == backend)
        .expect("backend compiled in (ring needs --features ring)");
    let count: usize = count.parse().expect("a count");
    let world = World::new(form).expect("world");
    let texts = world.qr_texts(count).expect("presentations");
    match path.as_str() {
        "text" => {
            let terminal = world.terminal(backend).expect("terminal");
            run_text(&terminal, &texts);
        }
        "bare" => {
            let bare: Vec<_> = texts
                .iter()
                .map(|t| world.bare_signatures(t).expect("bare"))
                .collect();
            run_bare(backend, &bare);
        }
        // Fixtures only: subtract its CPU time from the others' (perf stat).
        "setup" => {
            let terminal = world.terminal(backend).expect("terminal");
            let bare: Vec<_> = texts
                .iter()
                .map(|t| world.bare_signatures(t).expect("bare"))
                .collect();
            black_box((terminal, bare));
        }
        other => println!("unknown path {other}"),
    }
    println!(
        "{count} presentations, path {path}, backend {}",
        backend.name()
    );
}
