//! The zxing-cpp backend (feature `zxing-cpp`) against itself, in the same
//! run (issue 13): bare zxing-cpp is the baseline; the zxing-cpp strategy
//! ([`QrStrategy::with_zxing_cpp`]), the default pure-Rust strategy and
//! bare rxing are measured against it.
//!
//! * `cargo bench -p vitale-reader --features zxing-cpp --bench qr_zxing`
//!   — the generated corpora (`tests/qr_support/generated.rs`): frames read
//!   per corpus and mean time per frame; time relative to bare zxing-cpp,
//!   split into frames with and without a code; cost against frame size;
//!   each candidate pass's gain over the first pass per millisecond.
//!   Prints `ratio | …` lines for `.ci/run`.
//! * `QR_REPORT=1 …` — the shared corpora (zxing blackbox, quircs
//!   generated, EU DCC pictures) added to every table and ratio.
//! * `QR_REPORT_MISSES=1 …` — every frame a decoder misses, on stderr.
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

use support::{
    Corpus, corpora_from_env, corpus_table, ms, pass_table, ratio, time_decode, totals,
    verbose_from_env,
};
use vitale_reader::qr::{
    Binarizer, DEFAULT_PASSES, Engine, Pass, QrDecoder, QrStrategy, Rescale, RxingDecoder,
    ZXING_CPP_PASSES, ZxingCppDecoder,
};

/// The decoders compared, the baseline first; the last is the other way
/// to add zxing-cpp to the cascade (after the pure-Rust passes), measured
/// to choose [`ZXING_CPP_PASSES`].
fn decoders() -> Vec<(&'static str, Box<dyn QrDecoder>)> {
    let mut fallback = DEFAULT_PASSES.to_vec();
    fallback.push(Pass::new(Engine::ZxingCpp(Binarizer::Hybrid)));
    fallback.push(Pass::new(Engine::ZxingCpp(Binarizer::Hybrid)).inverted());
    vec![
        ("zxing-cpp", Box::new(ZxingCppDecoder)),
        ("zxing-cpp strategy", Box::new(QrStrategy::with_zxing_cpp())),
        ("pure-Rust strategy", Box::new(QrStrategy::new())),
        ("rxing", Box::new(RxingDecoder)),
        (
            "pure-Rust then zxing-cpp",
            Box::new(QrStrategy::with_passes(fallback)),
        ),
    ]
}

/// The passes a zxing-cpp cascade can be built from.
fn candidate_passes() -> Vec<Pass> {
    let z = |b| Pass::new(Engine::ZxingCpp(b));
    let r = |b| Pass::new(Engine::Rxing(b));
    vec![
        z(Binarizer::Hybrid),
        z(Binarizer::Hybrid).inverted(),
        z(Binarizer::GlobalHistogram),
        z(Binarizer::GlobalHistogram).inverted(),
        z(Binarizer::Hybrid).at(Rescale::Half),
        z(Binarizer::Hybrid).at(Rescale::Double),
        r(Binarizer::Hybrid),
        r(Binarizer::Hybrid).inverted(),
        r(Binarizer::GlobalHistogram),
        r(Binarizer::GlobalHistogram).inverted(),
        r(Binarizer::Hybrid).at(Rescale::Half),
        r(Binarizer::Hybrid).at(Rescale::Double),
        Pass::new(Engine::Quircs),
    ]
}

/// Mean time per frame size, with and without a code: bare zxing-cpp
/// against the two strategies.
fn size_table(corpora: &[Corpus]) {
    let zs = QrStrategy::with_zxing_cpp();
    let rs = QrStrategy::new();
    println!(
        "| frame | code | zxing-cpp | zxing-cpp strategy | pure-Rust strategy | zxing-cpp strategy / zxing-cpp |"
    );
    println!("|---|---|---|---|---|---|");
    for name in ["frame sizes 640x480-4000x3000", "no code"] {
        let Some(c) = corpora.iter().find(|c| c.name == name) else {
            continue;
        };
        for f in &c.frames {
            let frame = f.image.as_frame();
            let (z, s, r) = (
                time_decode(&ZxingCppDecoder, &frame, 3),
                time_decode(&zs, &frame, 3),
                time_decode(&rs, &frame, 3),
            );
            println!(
                "| {}×{} | {} | {} | {} | {} | {:.2} |",
                f.image.width(),
                f.image.height(),
                if f.has_code() { "yes" } else { "no" },
                ms(z),
                ms(s),
                ms(r),
                s.as_secs_f64() / z.as_secs_f64()
            );
        }
    }
}

fn main() {
    let (corpora, set) = corpora_from_env();
    let verbose = verbose_from_env();
    println!("zxing-cpp strategy passes: {ZXING_CPP_PASSES:?}\n");
    println!("## Frames read and mean time per frame, bare zxing-cpp the baseline (same run)\n");
    let ds = decoders();
    let rows = corpus_table(&corpora, &ds, verbose);
    println!("\n## Each candidate pass alone\n");
    pass_table(&corpora, &candidate_passes());
    println!("\n## Cost against frame size\n");
    size_table(&corpora);
    println!();

    let totals = totals(&rows, ds.len());
    let (zx, zs, rs, fb) = (totals[0], totals[1], totals[2], totals[4]);

    // Pure-Rust strategy against bare zxing-cpp, corpus by corpus: the
    // worst difference in frames read.
    let worst = rows
        .iter()
        .filter(|(_, t)| t[0].with_code > 0)
        .map(|(name, t)| {
            (
                t[2].read as i64 - t[0].read as i64,
                name,
                t[2].read,
                t[0].read,
            )
        })
        .min();
    if let Some((diff, name, r, z)) = worst {
        println!(
            "ratio | qr/zxing | pure-Rust strategy − zxing-cpp frames read, worst corpus ({name}, {set}) | {diff} | ≥ 0 | {r} / {z}"
        );
    }
    println!(
        "ratio | qr/zxing | pure-Rust strategy / zxing-cpp frames read ({set}) | {:.2} | ≥ 1 | {} / {} of {}",
        rs.read as f64 / zx.read.max(1) as f64,
        rs.read,
        zx.read,
        zx.with_code
    );
    println!(
        "ratio | qr/zxing | zxing-cpp strategy / zxing-cpp frames read ({set}) | {:.2} | > 1 | {} / {} of {}",
        zs.read as f64 / zx.read.max(1) as f64,
        zs.read,
        zx.read,
        zx.with_code
    );
    println!(
        "ratio | qr/zxing | zxing-cpp strategy / zxing-cpp time, frames with a code ({set}) | {:.2} | ≤ 1.1 | {} / {}",
        ratio(zs.mean_with(), zx.mean_with()),
        ms(zs.mean_with()),
        ms(zx.mean_with())
    );
    println!(
        "ratio | qr/zxing | zxing-cpp strategy / zxing-cpp time, frames without a code | {:.2} | ≤ 1.0 | {} / {}",
        ratio(zs.mean_without(), zx.mean_without()),
        ms(zs.mean_without()),
        ms(zx.mean_without())
    );
    println!(
        "ratio | qr/zxing | pure-Rust strategy / zxing-cpp time, frames with a code ({set}) | {:.2} | — | {} / {}",
        ratio(rs.mean_with(), zx.mean_with()),
        ms(rs.mean_with()),
        ms(zx.mean_with())
    );
    println!(
        "ratio | qr/zxing | pure-Rust strategy / zxing-cpp time, frames without a code | {:.2} | — | {} / {}",
        ratio(rs.mean_without(), zx.mean_without()),
        ms(rs.mean_without()),
        ms(zx.mean_without())
    );
    println!(
        "ratio | qr/zxing | pure-Rust then zxing-cpp / zxing-cpp frames read, time with, without a code ({set}) | {:.2} | — | {} / {}; {:.2}; {:.2}",
        fb.read as f64 / zx.read.max(1) as f64,
        fb.read,
        zx.read,
        ratio(fb.mean_with(), zx.mean_with()),
        ratio(fb.mean_without(), zx.mean_without())
    );
    println!(
        "ratio | qr/zxing | false codes in frames without one, zxing-cpp + zxing-cpp strategy | {} | 0 | {} + {}",
        zx.false_codes + zs.false_codes,
        zx.false_codes,
        zs.false_codes
    );
}
