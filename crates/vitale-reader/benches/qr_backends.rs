//! QR backends compared on the same images in the same run.
//!
//! * `cargo bench -p vitale-reader --bench qr_backends` — criterion timings
//!   of both backends on four fixed images (a 640×480 camera photo, an EU
//!   DCC render, a 2-code frame, a 1536×2048 3-code photo), then
//!   interleaved rounds and the ratio of the means (quircs / rxing).
//! * `QR_REPORT=1 cargo bench -p vitale-reader --bench qr_backends` — the
//!   corpus report (`docs/performance.md`, "QR decoding"): decoded / total
//!   and mean decode time per image, per backend and corpus. With
//!   `QR_FRAMES_DIR=<dir>`, the PNGs of `<dir>` (expected text in a `.txt`
//!   beside each) are one more corpus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

#[path = "../tests/qr_support/mod.rs"]
mod qr_support;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::Criterion;
use qr_support::{dcc_cases, files, load, quircs_generated, testdata, zxing_set};
use vitale_reader::qr::{DecodedCode, LumaImage, decoders, load_image};

/// What a corpus image must yield to count as decoded.
enum Expect {
    /// One of the codes has one of these payloads.
    AnyOf(Vec<Vec<u8>>),
    /// All these texts are among the codes.
    All(Vec<String>),
    /// At least this many codes.
    Count(usize),
}

impl Expect {
    fn met(&self, codes: &[DecodedCode]) -> bool {
        match self {
            Expect::AnyOf(any) => codes.iter().any(|c| any.contains(&c.content)),
            Expect::All(all) => all
                .iter()
                .all(|t| codes.iter().any(|c| c.text() == Some(t.as_str()))),
            Expect::Count(n) => codes.len() >= *n,
        }
    }
}

struct Corpus {
    name: String,
    images: Vec<(String, LumaImage, Expect)>,
}

fn text(s: &str) -> Expect {
    Expect::AnyOf(vec![s.as_bytes().to_vec()])
}

fn corpora() -> Vec<Corpus> {
    let mut out = Vec::new();
    for n in 1..=6 {
        out.push(Corpus {
            name: format!("zxing qrcode-{n}"),
            images: zxing_set(n)
                .iter()
                .map(|(p, t)| (name(p), load(p), text(t)))
                .collect(),
        });
    }
    out.push(Corpus {
        name: "quircs generated (v1-40)".into(),
        images: quircs_generated()
            .into_iter()
            .map(|(p, any)| (name(&p), load(&p), Expect::AnyOf(any)))
            .collect(),
    });
    let one = |s: &str| Expect::All(vec![s.to_owned()]);
    let rqrr: Vec<(&str, Expect)> = vec![
        (
            "rqrr-testdata/github.gif",
            one("https://github.com/WanzenBug/rqrr"),
        ),
        ("rqrr-testdata/mirrored.gif", one("rqrr")),
        ("rqrr-testdata/rqrr.gif", one("rqrr")),
        ("rqrr-testdata/number.gif", Expect::Count(1)),
        ("rqrr-testdata/full/superlong.gif", Expect::Count(1)),
        (
            "rqrr-testdata/full/gogh.jpg",
            Expect::All(
                [
                    "https://github.com/WanzenBug/rqrr",
                    "rqrr",
                    "1234567891011121314151617181920",
                ]
                .map(String::from)
                .to_vec(),
            ),
        ),
        ("rqrr-testdata/full/multiple.png", Expect::Count(3)),
        ("rqrr-testdata/full/multiple_rotated.png", Expect::Count(3)),
        (
            "zxing-qrcode-blackbox/multi-qrcode-1/1.png",
            Expect::Count(4),
        ),
    ];
    out.push(Corpus {
        name: "rqrr + zxing multi".into(),
        images: rqrr
            .into_iter()
            .map(|(s, e)| (s.to_owned(), load(&testdata(s)), e))
            .collect(),
    });
    let (dcc, _) = dcc_cases();
    out.push(Corpus {
        name: "EU DCC (HC1)".into(),
        images: dcc
            .iter()
            .map(|c| {
                (
                    c.label.clone(),
                    load_image(&c.image).unwrap(),
                    text(&c.prefix),
                )
            })
            .collect(),
    });
    if let Some(dir) = std::env::var_os("QR_FRAMES_DIR") {
        let dir = PathBuf::from(dir);
        out.push(Corpus {
            name: format!("frames in {}", dir.display()),
            images: files(&dir, &["png"])
                .iter()
                .map(|p| {
                    let t = std::fs::read_to_string(p.with_extension("txt")).unwrap();
                    (name(p), load(p), text(t.trim_end_matches('\n')))
                })
                .collect(),
        });
    }
    out
}

fn report() {
    let backends = decoders();
    println!(
        "| corpus | images | {} |",
        backends
            .iter()
            .map(|d| format!("{} decoded | {} mean", d.name(), d.name()))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|---|{}", "---|---|".repeat(backends.len()));
    let mut totals = vec![(0usize, Duration::ZERO); backends.len()];
    let mut images = 0;
    for corpus in corpora() {
        let mut cells = Vec::new();
        for (i, d) in backends.iter().enumerate() {
            let mut ok = 0;
            let mut spent = Duration::ZERO;
            for (label, image, expect) in &corpus.images {
                let start = Instant::now();
                let r = d.decode(&image.as_frame());
                spent += start.elapsed();
                if r.is_ok_and(|codes| expect.met(&codes)) {
                    ok += 1;
                } else if std::env::var_os("QR_REPORT_MISSES").is_some() {
                    eprintln!("{} missed {}: {label}", d.name(), corpus.name);
                }
            }
            totals[i].0 += ok;
            totals[i].1 += spent;
            let n = corpus.images.len().max(1);
            cells.push(format!(
                "{ok}/{} | {}",
                corpus.images.len(),
                ms(spent / n as u32)
            ));
        }
        images += corpus.images.len();
        println!(
            "| {} | {} | {} |",
            corpus.name,
            corpus.images.len(),
            cells.join(" | ")
        );
    }
    let cells: Vec<String> = totals
        .iter()
        .map(|(ok, t)| format!("**{ok}/{images}** | {}", ms(*t / images.max(1) as u32)))
        .collect();
    println!("| **all** | {images} | {} |", cells.join(" | "));
}

fn name(p: &std::path::Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn fixed_images() -> Vec<(&'static str, LumaImage)> {
    let at = |s: &str| load(&testdata(s));
    vec![
        ("photo 640x480", at("zxing-qrcode-blackbox/qrcode-1/1.png")),
        ("EU DCC render", at("dgc-testdata/FR/png/DCC_Test_0001.png")),
        (
            "2 codes",
            at("quircs-testdata/big_image_with_two_qrcodes.png"),
        ),
        ("3 codes 1536x2048", at("rqrr-testdata/full/gogh.jpg")),
    ]
}

fn bench(c: &mut Criterion) {
    let images = fixed_images();
    let backends = decoders();
    let mut group = c.benchmark_group("qr/backends");
    for (label, image) in &images {
        for d in &backends {
            group.bench_function(format!("{}/{label}", d.name()), |b| {
                b.iter(|| black_box(d.decode(black_box(&image.as_frame()))));
            });
        }
    }
    group.finish();

    // Interleaved rounds: both backends under the same machine load.
    let mut spent = vec![Duration::ZERO; backends.len()];
    for _ in 0..10 {
        for (i, d) in backends.iter().enumerate() {
            let start = Instant::now();
            for (_, image) in &images {
                black_box(d.decode(&image.as_frame()).ok());
            }
            spent[i] += start.elapsed();
        }
    }
    for (d, t) in backends.iter().zip(&spent) {
        println!(
            "{}: {} per round of {} images",
            d.name(),
            ms(*t / 10),
            images.len()
        );
    }
    if let [first, second] = spent.as_slice() {
        // The `ratio | bench | what | value | goal | times` form that
        // `.ci/run` gathers into its table.
        println!(
            "ratio | qr/backends | {} / {} (10 interleaved rounds of {} images) | {:.2} | - \
             | {} / {}",
            backends[1].name(),
            backends[0].name(),
            images.len(),
            second.as_secs_f64() / first.as_secs_f64(),
            ms(*second / 10),
            ms(*first / 10)
        );
    }
}

fn main() {
    if std::env::var_os("QR_REPORT").is_some() {
        report();
        return;
    }
    // Defaults for these slow images; the command line (`.ci/run`'s short
    // mode) overrides them.
    let mut c = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench(&mut c);
    c.final_summary();
}
