//! Both QR decoders on camera-like frames made by `vitale_sim::render`: the
//! 640×480, 1280×720 and 1920×1080 sizes × five placements, decoded counts
//! and mean decode time per frame, then a criterion comparison on one HD
//! frame and the ratio of total times. Nothing asserts on time.
//!
//! `cargo bench -p vitale-sim --features render --bench qr_frames`
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use vitale::codec::model::Timestamp;
use vitale_reader::qr::{LumaImage, QrDecoder, decoders};
use vitale_sim::render::{
    FrameSize, Perturbation, Placement, RenderOptions, compose_frame, render_qr,
};
use vitale_sim::{Scenario, Seed};

struct Frame {
    label: String,
    image: LumaImage,
}

fn frames(text: &str) -> Vec<Frame> {
    let code = render_qr(text, &RenderOptions::default()).unwrap();
    let placements: [(&str, Placement); 5] = [
        ("plain", Placement::default()),
        (
            "turned 20°",
            Placement {
                rotation: 20.0,
                ..Placement::default()
            },
        ),
        (
            "small (35 %)",
            Placement {
                code_height: 0.35,
                ..Placement::default()
            },
        ),
        (
            "blur σ1 + noise ±24",
            Placement {
                perturbations: vec![
                    Perturbation::Blur { radius: 1.0 },
                    Perturbation::Noise {
                        amplitude: 24,
                        seed: 9,
                    },
                ],
                ..Placement::default()
            },
        ),
        (
            "contrast 70–200 + glare",
            Placement {
                perturbations: vec![
                    Perturbation::LowContrast { min: 70, max: 200 },
                    Perturbation::Glare {
                        center: (0.6, 0.4),
                        radius: 0.3,
                        strength: 0.5,
                    },
                ],
                ..Placement::default()
            },
        ),
    ];
    let mut out = Vec::new();
    for size in FrameSize::STANDARD {
        for (name, placement) in &placements {
            let (w, h) = size.dimensions();
            out.push(Frame {
                label: format!("{w}×{h} {name}"),
                image: compose_frame(&code, size, placement),
            });
        }
    }
    out
}

fn decodes(decoder: &dyn QrDecoder, frame: &Frame, text: &str) -> (bool, Duration) {
    let start = Instant::now();
    let found = decoder.decode(&frame.image.as_frame()).unwrap_or_default();
    let elapsed = start.elapsed();
    (found.iter().any(|c| c.content == text.as_bytes()), elapsed)
}

fn main() {
    let now = Timestamp::from_unix(1_795_334_400).unwrap();
    let scenario = Scenario::new(Seed::from_u64(7), 3, now).unwrap();
    let text = scenario.phone.present_qr_text(now, 120).unwrap();
    let frames = frames(&text);
    let all = decoders();

    let mut c = Criterion::default().sample_size(10).configure_from_args();
    let hd = frames
        .iter()
        .find(|f| f.label.starts_with("1280×720 plain"))
        .unwrap();
    let mut group = c.benchmark_group("qr_frames/1280x720_plain");
    for d in &all {
        group.bench_function(d.name(), |b| {
            b.iter(|| d.decode(black_box(&hd.image.as_frame())))
        });
    }
    group.finish();
    c.final_summary();

    if std::env::args().any(|a| a == "--bench") {
        let names: Vec<&str> = all.iter().map(|d| d.name()).collect();
        println!("\n{:<40}| {}", "frame", names.join(" | "));
        let mut totals = vec![(0usize, Duration::ZERO); all.len()];
        for frame in &frames {
            let mut row = format!("{:<40}", frame.label);
            for (d, total) in all.iter().zip(totals.iter_mut()) {
                let (ok, t) = decodes(d.as_ref(), frame, &text);
                total.0 += usize::from(ok);
                total.1 += t;
                let status = if ok { "ok  " } else { "MISS" };
                row.push_str(&format!("| {status} {:>7.2} ms ", t.as_secs_f64() * 1e3));
            }
            println!("{row}");
        }
        for (name, (ok, t)) in names.iter().zip(&totals) {
            println!(
                "{name}: {ok}/{} frames decoded, mean {:.2} ms per frame",
                frames.len(),
                t.as_secs_f64() * 1e3 / frames.len() as f64
            );
        }
        if let ([a, b], [na, nb]) = (totals.as_slice(), names.as_slice()) {
            // The `ratio | bench | what | value | goal | times` form that
            // `.ci/run` gathers into its table.
            println!(
                "ratio | qr_frames | decode time {nb} / {na} ({} frames) | {:.2} | - | {:.2} ms / {:.2} ms",
                frames.len(),
                b.1.as_secs_f64() / a.1.as_secs_f64(),
                b.1.as_secs_f64() * 1e3,
                a.1.as_secs_f64() * 1e3
            );
        }
    }
}
