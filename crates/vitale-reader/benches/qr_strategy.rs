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

use std::time::{Duration, Instant};

use qr_support::generated::generated_corpora;
use qr_support::{dcc_cases, load, quircs_generated, zxing_set};
use vitale_reader::qr::{
    DEFAULT_PASSES, DecodedCode, LumaImage, QrDecoder, QrStrategy, QuircsDecoder, RxingDecoder,
    finder_triples, load_image,
};

/// A frame and what it must yield: all of `texts` (`any` = one of them
/// is enough, for the shared corpora's alternative payloads).
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
    let mut out = Vec::new();
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
    out.push(Corpus {
        name: "zxing qrcode-1..6".into(),
        frames: zxing,
    });
    out.push(Corpus {
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
    });
    let (dcc, _) = dcc_cases();
    out.push(Corpus {
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
    });
    out
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

fn decoders() -> Vec<Box<dyn QrDecoder>> {
    vec![
        Box::new(RxingDecoder),
        Box::new(QuircsDecoder),
        Box::new(QrStrategy::new()),
    ]
}

/// The totals per decoder, and each corpus's tallies per decoder.
fn corpus_table(corpora: &[Corpus], verbose: bool) -> (Vec<Tally>, Vec<(String, Vec<Tally>)>) {
    let ds = decoders();
    println!(
        "| corpus | frames | {} |",
        ds.iter()
            .map(|d| format!("{} read | {} mean", d.name(), d.name()))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|---|{}", "---|---|".repeat(ds.len()));
    let mut totals = vec![Tally::default(); ds.len()];
    let mut each = Vec::new();
    for corpus in corpora {
        let mut cells = Vec::new();
        let mut tallies = Vec::new();
        for (i, d) in ds.iter().enumerate() {
            let t = tally(d.as_ref(), corpus, verbose);
            totals[i].add(t);
            tallies.push(t);
            let n = t.with_code + t.without_code;
            let spent = t.spent_with + t.spent_without;
            let read = if t.with_code == 0 {
                format!("{} false", t.false_codes)
            } else {
                format!("{}/{}", t.read, t.with_code)
            };
            cells.push(format!("{read} | {}", ms(mean(spent, n))));
        }
        println!(
            "| {} | {} | {} |",
            corpus.name,
            corpus.frames.len(),
            cells.join(" | ")
        );
        each.push((corpus.name.clone(), tallies));
    }
    (totals, each)
}

/// Each default pass alone (no pre-scan): frames read, frames read that
/// the first pass misses, mean time per frame, and the gain per ms.
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
    for (i, pass) in DEFAULT_PASSES.iter().enumerate() {
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

/// Mean time per frame size, with and without a code, bare rxing against
/// the strategy, and the pre-scan alone (over the whole frame).
fn size_table(corpora: &[Corpus]) {
    let strategy = QrStrategy::new();
    println!("| frame | code | rxing | strategy | pre-scan alone | strategy / rxing |");
    println!("|---|---|---|---|---|---|");
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
            let time = |d: &dyn QrDecoder| {
                let start = Instant::now();
                for _ in 0..3 {
                    std::hint::black_box(d.decode(&frame).ok());
                }
                start.elapsed() / 3
            };
            let (r, s) = (time(&RxingDecoder), time(&strategy));
            let start = Instant::now();
            for _ in 0..3 {
                std::hint::black_box(finder_triples(&frame));
            }
            let pre = start.elapsed() / 3;
            println!(
                "| {}×{} | {} | {} | {} | {} | {:.2} |",
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
    let report = std::env::var_os("QR_REPORT").is_some();
    let verbose = std::env::var_os("QR_REPORT_MISSES").is_some();
    let mut corpora = generated();
    if report {
        corpora.extend(shared());
    }
    println!("## Frames read and mean time per frame (same run)\n");
    let (totals, each) = corpus_table(&corpora, verbose);
    let (rx, st) = (totals[0], totals[2]);
    println!("\n## Each pass alone\n");
    pass_table(&corpora);
    println!("\n## Cost against frame size\n");
    size_table(&corpora);
    println!();
    let with = |t: &Tally| mean(t.spent_with, t.with_code);
    let without = |t: &Tally| mean(t.spent_without, t.without_code);
    let set = if report {
        "generated + shared"
    } else {
        "generated"
    };
    println!(
        "ratio | qr/strategy | strategy / rxing frames read ({set}) | {:.2} | > 1 | {} / {} of {}",
        st.read as f64 / rx.read.max(1) as f64,
        st.read,
        rx.read,
        rx.with_code
    );
    println!(
        "ratio | qr/strategy | strategy / rxing time, frames with a code ({set}) | {:.2} | ≤ 1.1 | {} / {}",
        with(&st).as_secs_f64() / with(&rx).as_secs_f64(),
        ms(with(&st)),
        ms(with(&rx))
    );
    println!(
        "ratio | qr/strategy | strategy / rxing time, frames without a code | {:.2} | ≤ 1.0 | {} / {}",
        without(&st).as_secs_f64() / without(&rx).as_secs_f64(),
        ms(without(&st)),
        ms(without(&rx))
    );
    // The phone frames and the decoys made to fool the pre-scan, apart.
    for (name, t) in each.iter().filter(|(n, _)| n.starts_with("no code")) {
        let (rx, st) = (&t[0], &t[2]);
        println!(
            "ratio | qr/strategy | strategy / rxing time, {name} | {:.2} | ≤ 1.0 | {} / {}",
            without(st).as_secs_f64() / without(rx).as_secs_f64(),
            ms(without(st)),
            ms(without(rx))
        );
    }
}
