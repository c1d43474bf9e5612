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

use std::time::{Duration, Instant};

use qr_support::generated::generated_corpora;
use qr_support::{dcc_cases, load, quircs_generated, zxing_set};
use vitale_reader::qr::{
    Binarizer, DEFAULT_PASSES, DecodedCode, Engine, LumaImage, Pass, QrDecoder, QrStrategy,
    Rescale, RxingDecoder, ZXING_CPP_PASSES, ZxingCppDecoder, load_image,
};

/// A frame and what it must yield: all of `texts` (`any` = one of them is
/// enough, for the shared corpora's alternative payloads).
struct Frame {
    label: String,
    image: LumaImage,
    texts: Vec<Vec<u8>>,
    any: bool,
}

impl Frame {
    fn has_code(&self) -> bool {
        !self.texts.is_empty()
    }

    fn met(&self, codes: &[DecodedCode]) -> bool {
        if self.any {
            return codes.iter().any(|c| self.texts.contains(&c.content));
        }
        self.texts
            .iter()
            .all(|t| codes.iter().any(|c| &c.content == t))
    }
}

struct Corpus {
    name: String,
    frames: Vec<Frame>,
}

fn generated() -> Vec<Corpus> {
    generated_corpora()
        .into_iter()
        .map(|c| Corpus {
            name: c.name.to_owned(),
            frames: c
                .frames
                .into_iter()
                .map(|g| Frame {
                    label: g.label,
                    image: g.image,
                    texts: g.texts.into_iter().map(String::into_bytes).collect(),
                    any: false,
                })
                .collect(),
        })
        .collect()
}

fn shared() -> Vec<Corpus> {
    let mut zxing = Vec::new();
    for n in 1..=6 {
        for (p, t) in zxing_set(n) {
            zxing.push(Frame {
                label: p.display().to_string(),
                image: load(&p),
                texts: vec![t.into_bytes()],
                any: false,
            });
        }
    }
    let (dcc, _) = dcc_cases();
    vec![
        Corpus {
            name: "zxing qrcode-1..6".into(),
            frames: zxing,
        },
        Corpus {
            name: "quircs generated (v1-40)".into(),
            frames: quircs_generated()
                .into_iter()
                .map(|(p, any)| Frame {
                    label: p.display().to_string(),
                    image: load(&p),
                    texts: any,
                    any: true,
                })
                .collect(),
        },
        Corpus {
            name: "EU DCC (HC1)".into(),
            frames: dcc
                .into_iter()
                .map(|c| Frame {
                    label: c.label,
                    image: load_image(&c.image).unwrap(),
                    texts: vec![c.prefix.into_bytes()],
                    any: false,
                })
                .collect(),
        },
    ]
}

/// What one decoder did on one corpus.
#[derive(Default, Clone, Copy)]
struct Tally {
    read: usize,
    with_code: usize,
    spent_with: Duration,
    without_code: usize,
    spent_without: Duration,
    false_codes: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.read += other.read;
        self.with_code += other.with_code;
        self.spent_with += other.spent_with;
        self.without_code += other.without_code;
        self.spent_without += other.spent_without;
        self.false_codes += other.false_codes;
    }

    fn mean_with(&self) -> Duration {
        mean(self.spent_with, self.with_code)
    }

    fn mean_without(&self) -> Duration {
        mean(self.spent_without, self.without_code)
    }
}

fn tally(d: &dyn QrDecoder, corpus: &Corpus, verbose: bool) -> Tally {
    let mut t = Tally::default();
    for frame in &corpus.frames {
        let start = Instant::now();
        let codes = d.decode(&frame.image.as_frame()).unwrap_or_default();
        let spent = start.elapsed();
        if frame.has_code() {
            t.with_code += 1;
            t.spent_with += spent;
            if frame.met(&codes) {
                t.read += 1;
            } else if verbose {
                eprintln!("{} missed {}: {}", d.name(), corpus.name, frame.label);
            }
        } else {
            t.without_code += 1;
            t.spent_without += spent;
            t.false_codes += codes.len();
        }
    }
    t
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn mean(d: Duration, n: usize) -> Duration {
    d / u32::try_from(n.max(1)).unwrap_or(u32::MAX)
}

/// The decoders compared, the baseline first; the last is the other way
/// to add zxing-cpp to the cascade (after the pure-Rust passes), measured
/// to choose [`ZXING_CPP_PASSES`].
const NAMES: [&str; 5] = [
    "zxing-cpp",
    "zxing-cpp strategy",
    "pure-Rust strategy",
    "rxing",
    "pure-Rust then zxing-cpp",
];

fn decoders() -> Vec<Box<dyn QrDecoder>> {
    let mut fallback = DEFAULT_PASSES.to_vec();
    fallback.push(Pass::new(Engine::ZxingCpp(Binarizer::Hybrid)));
    fallback.push(Pass::new(Engine::ZxingCpp(Binarizer::Hybrid)).inverted());
    vec![
        Box::new(ZxingCppDecoder),
        Box::new(QrStrategy::with_zxing_cpp()),
        Box::new(QrStrategy::new()),
        Box::new(RxingDecoder),
        Box::new(QrStrategy::with_passes(fallback)),
    ]
}

/// Frames read and mean time per frame, per corpus and decoder; returns
/// every corpus's tallies, in [`NAMES`] order.
fn corpus_table(corpora: &[Corpus], verbose: bool) -> Vec<(String, Vec<Tally>)> {
    let ds = decoders();
    println!(
        "| corpus | frames | {} |",
        NAMES
            .iter()
            .map(|n| format!("{n} read | {n} mean"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|---|{}", "---|---|".repeat(ds.len()));
    let mut rows = Vec::new();
    for corpus in corpora {
        let mut cells = Vec::new();
        let mut tallies = Vec::new();
        for d in &ds {
            let t = tally(d.as_ref(), corpus, verbose);
            let n = t.with_code + t.without_code;
            let read = if t.with_code == 0 {
                format!("{} false", t.false_codes)
            } else {
                format!("{}/{}", t.read, t.with_code)
            };
            cells.push(format!(
                "{read} | {}",
                ms(mean(t.spent_with + t.spent_without, n))
            ));
            tallies.push(t);
        }
        println!(
            "| {} | {} | {} |",
            corpus.name,
            corpus.frames.len(),
            cells.join(" | ")
        );
        rows.push((corpus.name.clone(), tallies));
    }
    rows
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

/// Each candidate pass alone (no pre-scan): frames read, frames read that
/// the first (zxing-cpp) pass misses, gain per ms, frames read that no
/// earlier pass of the list reads, mean time per frame.
fn pass_table(corpora: &[Corpus]) {
    let frames: Vec<&Frame> = corpora
        .iter()
        .flat_map(|c| &c.frames)
        .filter(|f| f.has_code())
        .collect();
    let mut first_read = Vec::new();
    let mut before = vec![false; frames.len()];
    println!(
        "| pass | read | read that pass 1 misses | gain per ms | read that no earlier pass reads | mean per frame |"
    );
    println!("|---|---|---|---|---|---|");
    for (i, pass) in candidate_passes().iter().enumerate() {
        let alone = QrStrategy::with_passes(vec![*pass]).with_prescan(false);
        let (mut read, mut gain, mut added, mut spent) = (0, 0, 0, Duration::ZERO);
        for (k, f) in frames.iter().enumerate() {
            let start = Instant::now();
            let ok = alone
                .decode(&f.image.as_frame())
                .is_ok_and(|codes| f.met(&codes));
            spent += start.elapsed();
            if i == 0 {
                first_read.push(ok);
            } else if ok && !first_read[k] {
                gain += 1;
            }
            read += usize::from(ok);
            if ok && !before[k] {
                added += 1;
                before[k] = true;
            }
        }
        let per = mean(spent, frames.len());
        println!(
            "| {} {:?} | {read}/{} | {gain} | {:.2} | {added} | {} |",
            i + 1,
            pass,
            frames.len(),
            gain as f64 / (per.as_secs_f64() * 1e3).max(1e-6),
            ms(per)
        );
    }
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
            let time = |d: &dyn QrDecoder| {
                let start = Instant::now();
                for _ in 0..3 {
                    std::hint::black_box(d.decode(&frame).ok());
                }
                start.elapsed() / 3
            };
            let (z, s, r) = (time(&ZxingCppDecoder), time(&zs), time(&rs));
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

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn main() {
    let report = std::env::var_os("QR_REPORT").is_some();
    let verbose = std::env::var_os("QR_REPORT_MISSES").is_some();
    let mut corpora = generated();
    if report {
        corpora.extend(shared());
    }
    let set = if report {
        "generated + shared"
    } else {
        "generated"
    };
    println!("zxing-cpp strategy passes: {ZXING_CPP_PASSES:?}\n");
    println!("## Frames read and mean time per frame, bare zxing-cpp the baseline (same run)\n");
    let rows = corpus_table(&corpora, verbose);
    println!("\n## Each candidate pass alone\n");
    pass_table(&corpora);
    println!("\n## Cost against frame size\n");
    size_table(&corpora);
    println!();

    let mut totals = vec![Tally::default(); NAMES.len()];
    for (_, tallies) in &rows {
        for (total, t) in totals.iter_mut().zip(tallies) {
            total.add(*t);
        }
    }
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
