//! Image → `VerifiedCard` through the facade (`vitale::Terminal`), against
//! the bare QR decode of the same image with the same (default) decoder,
//! in the same run:
//!
//! * `png_404px` — a PNG of the code alone (as `vitale sim present --png`
//!   writes it; 4 px modules): `Terminal::read_card_from_image` against
//!   loading the PNG and decoding the QR code;
//! * `frame_1280x720` — a grey camera frame of the phone showing the code:
//!   `Terminal::scan_frame` against decoding the QR code of the frame.
//!
//! `cargo bench -p vitale-benches --features ring --bench image_to_card`
//!
//! The ratio says what verification adds to reading; it has no goal. Each
//! image shows a presentation never seen by its terminal's verifier (see
//! "Replay cache" in the `vitale-benches` documentation). Nothing here
//! asserts on time.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::Criterion;
use vitale::reader::qr::{LumaImage, default_decoder, load_image};
use vitale::verify::compiled_backends;
use vitale_benches::{DeviceKeyForm, Pool, World, benchmarking, interleaved, quick, report_ratio};
use vitale_sim::render::{FrameSize, Placement, RenderOptions, compose_frame, render_qr};

/// Images made beforehand (distinct presentations); a verifier sees each
/// once.
const POOL: usize = 16;

/// One presentation as a PNG of the code and as a camera frame.
struct Shot {
    png: Vec<u8>,
    frame: LumaImage,
}

fn shots(world: &World) -> Vec<Shot> {
    world
        .qr_texts(POOL)
        .expect("presentations")
        .iter()
        .map(|text| {
            let code = render_qr(text, &RenderOptions::default()).expect("renders");
            let frame = compose_frame(&code, FrameSize::Hd, &Placement::default());
            Shot {
                png: code.to_png().expect("png"),
                frame: LumaImage::new(frame.width(), frame.height(), frame.into_pixels())
                    .expect("frame"),
            }
        })
        .collect()
}

fn main() {
    let world = World::new(DeviceKeyForm::Uncompressed).expect("world");
    let shots = shots(&world);
    let decoder = default_decoder();
    let mut c = Criterion::default().configure_from_args();

    let mut bare_png = Pool::new(&shots, || ());
    let mut png_decode = |iters| {
        bare_png.time(iters, |(), shot| {
            let image = load_image(black_box(&shot.png)).expect("loads");
            let codes = decoder.decode(&image.as_frame()).expect("decodes");
            assert_eq!(codes.len(), 1, "one code per image");
        })
    };
    let mut bare_frame = Pool::new(&shots, || ());
    let mut frame_decode = |iters| {
        bare_frame.time(iters, |(), shot| {
            let codes = decoder
                .decode(black_box(&shot.frame.as_frame()))
                .expect("decodes");
            assert_eq!(codes.len(), 1, "one code per frame");
        })
    };
    let mut group = c.benchmark_group("image_to_card/png_404px");
    group.bench_function("bare_qr_decode", |b| b.iter_custom(&mut png_decode));
    group.finish();
    let mut group = c.benchmark_group("image_to_card/frame_1280x720");
    group.bench_function("bare_qr_decode", |b| b.iter_custom(&mut frame_decode));
    group.finish();

    for &backend in compiled_backends() {
        let mut png_pool = Pool::new(&shots, || world.terminal(backend).expect("terminal"));
        let mut png_card = |iters| {
            png_pool.time(iters, |terminal, shot| {
                black_box(
                    terminal
                        .read_card_from_image(black_box(&shot.png))
                        .expect("verifies"),
                );
            })
        };
        let mut frame_pool = Pool::new(&shots, || world.terminal(backend).expect("terminal"));
        let mut frame_card = |iters| {
            frame_pool.time(iters, |terminal, shot| {
                let codes = terminal
                    .scan_frame(black_box(&shot.frame.as_frame()))
                    .expect("decodes");
                let card = codes.into_iter().next().expect("one code").into_outcome();
                black_box(card.expect("verifies"));
            })
        };
        let mut group = c.benchmark_group("image_to_card/png_404px");
        group.bench_function(backend.name(), |b| b.iter_custom(&mut png_card));
        group.finish();
        let mut group = c.benchmark_group("image_to_card/frame_1280x720");
        group.bench_function(backend.name(), |b| b.iter_custom(&mut frame_card));
        group.finish();

        if benchmarking() {
            // One image per round (several ms): see `interleaved`.
            let (rounds, per_round) = if quick() { (16, 1) } else { (48, 1) };
            let name = format!("image_to_card/{}", backend.name());
            let (full, bare) = interleaved(rounds, per_round, &mut png_card, &mut png_decode);
            report_ratio(
                &name,
                "PNG 404 px -> VerifiedCard / load + bare QR decode",
                full,
                bare,
                None,
            );
            let (full, bare) = interleaved(rounds, per_round, &mut frame_card, &mut frame_decode);
            report_ratio(
                &name,
                "frame 1280x720 -> VerifiedCard / bare QR decode",
                full,
                bare,
                None,
            );
        }
    }
    c.final_summary();
}
