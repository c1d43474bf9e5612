//! The QR strategy against the bare backends, in the same run (issue 13).
//!
//! * `cargo bench -p vitale-reader --bench qr_strategy` — the generated
//!   corpora (`tests/qr_support/generated.rs`): frames read per corpus and
//!   mean time per frame for bare rxing, bare quircs and the strategy;
//!   time relative to bare rxing, split into frames with and without a
//!   code; cost against frame size; each pass's gain over the first pass
//!   per millisecond. Prints `ratio | …` lines for `.ci/run`.
//! * `QR_REPORT=1 …` — the same with the shared corpora (zxing blackbox,
//!   quircs generated, EU DCC pictures) added to the table and the pass
//!   gains.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

#[path = "../tests/qr_support/mod.rs"]
mod qr_support;
#[path = "support/qr.rs"]
mod support;

use std::time::Instant;

use support::{
    Corpus, corpora_from_env, corpus_table, ms, pass_table, ratio, time_decode, totals,
    verbose_from_env,
};
use vitale_reader::qr::{
    DEFAULT_PASSES, QrDecoder, QrStrategy, QuircsDecoder, RxingDecoder, finder_triples,
};

/// The decoders compared, bare rxing (the baseline) first.
fn decoders() -> Vec<(&'static str, Box<dyn QrDecoder>)> {
    vec![
        ("rxing", Box::new(RxingDecoder)),
        ("quircs", Box::new(QuircsDecoder)),
        ("strategy", Box::new(QrStrategy::new())),
    ]
}

/// Mean time per frame size, with and without a code, bare rxing against
/// the strategy, and the pre-scan alone (over the whole frame).
fn size_table(corpora: &[Corpus]) {
    let strategy = QrStrategy::new();
    println!(
        "| frame | code | rxing | strategy | pre-scan alone | strategy / rxing | strategy's end, passes run |"
    );
    println!("|---|---|---|---|---|---|---|");
    for name in [
        "frame sizes 640x480-4000x3000",
        "no code",
        "no code, decoys",
    ] {
        let Some(c) = corpora.iter().find(|c| c.name == name) else {
            continue;
        };
        for f in &c.frames {
            let frame = f.image.as_frame();
            let (r, s) = (
                time_decode(&RxingDecoder, &frame, 3),
                time_decode(&strategy, &frame, 3),
            );
            let start = Instant::now();
            for _ in 0..3 {
                std::hint::black_box(finder_triples(&frame));
            }
            let pre = start.elapsed() / 3;
            let end = strategy.scan(&frame, &mut |_| true).map_or_else(
                |e| e.to_string(),
                |s| format!("{:?}, {}", s.end, s.passes_run),
            );
            println!(
                "| {}×{} | {} | {} | {} | {} | {:.2} | {end} |",
                f.image.width(),
                f.image.height(),
                if f.has_code() { "yes" } else { "no" },
                ms(r),
                ms(s),
                ms(pre),
                s.as_secs_f64() / r.as_secs_f64()
            );
        }
    }
}

fn main() {
    let (corpora, set) = corpora_from_env();
    let verbose = verbose_from_env();
    println!("## Frames read and mean time per frame (same run)\n");
    let ds = decoders();
    let each = corpus_table(&corpora, &ds, verbose);
    let totals = totals(&each, ds.len());
    let (rx, st) = (totals[0], totals[2]);
    println!("\n## Each pass alone\n");
    pass_table(&corpora, &DEFAULT_PASSES);
    println!("\n## Cost against frame size\n");
    size_table(&corpora);
    println!();
    println!(
        "ratio | qr/strategy | strategy / rxing frames read ({set}) | {:.2} | > 1 | {} / {} of {}",
        st.read as f64 / rx.read.max(1) as f64,
        st.read,
        rx.read,
        rx.with_code
    );
    println!(
        "ratio | qr/strategy | strategy / rxing time, frames with a code ({set}) | {:.2} | ≤ 1.1 | {} / {}",
        ratio(st.mean_with(), rx.mean_with()),
        ms(st.mean_with()),
        ms(rx.mean_with())
    );
    println!(
        "ratio | qr/strategy | strategy / rxing time, frames without a code | {:.2} | ≤ 1.0 | {} / {}",
        ratio(st.mean_without(), rx.mean_without()),
        ms(st.mean_without()),
        ms(rx.mean_without())
    );
    // The phone frames and the decoys made to fool the pre-scan, apart.
    for (name, t) in each.iter().filter(|(n, _)| n.starts_with("no code")) {
        let (rx, st) = (&t[0], &t[2]);
        println!(
            "ratio | qr/strategy | strategy / rxing time, {name} | {:.2} | ≤ 1.0 | {} / {}",
            ratio(st.mean_without(), rx.mean_without()),
            ms(st.mean_without()),
            ms(rx.mean_without())
        );
    }
}
