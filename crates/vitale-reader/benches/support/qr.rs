//! The set-up the QR benches share (`qr_strategy`, `qr_zxing`): the
//! corpora as frames with their expected texts, per-decoder tallies (frames
//! read, time with and without a code, false codes), the corpus and
//! single-pass tables, and the timing helpers. Included with `#[path]`
//! beside `tests/qr_support/mod.rs` (as `qr_support`).
#![allow(dead_code, unreachable_pub)]

use std::time::{Duration, Instant};

use vitale_reader::qr::{
    DecodedCode, LumaFrame, LumaImage, Pass, QrDecoder, QrStrategy, load_image,
};

use crate::qr_support::generated::generated_corpora;
use crate::qr_support::{dcc_cases, load, quircs_generated, zxing_set};

/// A frame and what it must yield: all of `texts` (`any` = one of them is
/// enough, for the shared corpora's alternative payloads).
pub struct Frame {
    pub label: String,
    pub image: LumaImage,
    pub texts: Vec<Vec<u8>>,
    pub any: bool,
}

impl Frame {
    pub fn has_code(&self) -> bool {
        !self.texts.is_empty()
    }

    pub fn met(&self, codes: &[DecodedCode]) -> bool {
        if self.any {
            return codes.iter().any(|c| self.texts.contains(&c.content));
        }
        self.texts
            .iter()
            .all(|t| codes.iter().any(|c| &c.content == t))
    }
}

/// A named set of frames.
pub struct Corpus {
    pub name: String,
    pub frames: Vec<Frame>,
}

/// The generated corpora (`tests/qr_support/generated.rs`).
pub fn generated() -> Vec<Corpus> {
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

/// The shared corpora: zxing blackbox qrcode-1…6, quircs generated, EU DCC.
pub fn shared() -> Vec<Corpus> {
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

/// The generated corpora, and with `QR_REPORT` set the shared ones too;
/// the name of the set for the `ratio |` lines.
pub fn corpora_from_env() -> (Vec<Corpus>, &'static str) {
    let mut corpora = generated();
    if std::env::var_os("QR_REPORT").is_some() {
        corpora.extend(shared());
        (corpora, "generated + shared")
    } else {
        (corpora, "generated")
    }
}

/// Whether `QR_REPORT_MISSES` asks for every miss on stderr.
pub fn verbose_from_env() -> bool {
    std::env::var_os("QR_REPORT_MISSES").is_some()
}

/// What one decoder did on one corpus.
#[derive(Default, Clone, Copy)]
pub struct Tally {
    pub read: usize,
    pub with_code: usize,
    pub spent_with: Duration,
    pub without_code: usize,
    pub spent_without: Duration,
    pub false_codes: usize,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.read += other.read;
        self.with_code += other.with_code;
        self.spent_with += other.spent_with;
        self.without_code += other.without_code;
        self.spent_without += other.spent_without;
        self.false_codes += other.false_codes;
    }

    pub fn mean_with(&self) -> Duration {
        mean(self.spent_with, self.with_code)
    }

    pub fn mean_without(&self) -> Duration {
        mean(self.spent_without, self.without_code)
    }
}

/// Runs `d` once on every frame of `corpus`.
pub fn tally(d: &dyn QrDecoder, corpus: &Corpus, verbose: bool) -> Tally {
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

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

pub fn mean(d: Duration, n: usize) -> Duration {
    d / u32::try_from(n.max(1)).unwrap_or(u32::MAX)
}

pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// Mean time of `reps` decodings of one frame.
pub fn time_decode(d: &dyn QrDecoder, frame: &LumaFrame<'_>, reps: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..reps {
        std::hint::black_box(d.decode(frame).ok());
    }
    start.elapsed() / reps.max(1)
}

/// Frames read and mean time per frame, per corpus and decoder (a table
/// on stdout); every corpus's tallies, in the order of `decoders`.
pub fn corpus_table(
    corpora: &[Corpus],
    decoders: &[(&str, Box<dyn QrDecoder>)],
    verbose: bool,
) -> Vec<(String, Vec<Tally>)> {
    println!(
        "| corpus | frames | {} |",
        decoders
            .iter()
            .map(|(n, _)| format!("{n} read | {n} mean"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|---|{}", "---|---|".repeat(decoders.len()));
    let mut rows = Vec::new();
    for corpus in corpora {
        let mut cells = Vec::new();
        let mut tallies = Vec::new();
        for (_, d) in decoders {
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

/// The totals over every corpus of [`corpus_table`]'s rows, per decoder.
pub fn totals(rows: &[(String, Vec<Tally>)], decoders: usize) -> Vec<Tally> {
    let mut totals = vec![Tally::default(); decoders];
    for (_, tallies) in rows {
        for (total, t) in totals.iter_mut().zip(tallies) {
            total.add(*t);
        }
    }
    totals
}

/// Each pass alone (no pre-scan) on the frames with a code: frames read,
/// frames read that the first pass misses, gain per ms, frames read that
/// no earlier pass of the list reads, mean time per frame.
pub fn pass_table(corpora: &[Corpus], passes: &[Pass]) {
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
    for (i, pass) in passes.iter().enumerate() {
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
