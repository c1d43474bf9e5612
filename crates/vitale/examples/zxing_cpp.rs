//! The zxing-cpp QR backend (feature `zxing-cpp`): bare zxing-cpp, the
//! zxing-cpp strategy and the default pure-Rust strategy on the same frame,
//! then a `Terminal` that reads with the zxing-cpp strategy.
//!
//! ```text
//! cargo run -p vitale --features zxing-cpp --example zxing_cpp                # a simulated dark-mode frame
//! cargo run -p vitale --features zxing-cpp --example zxing_cpp -- photo.jpg   # your images (listed, not verified)
//! ```
//!
//! The feature builds zxing-cpp's bundled C++ sources: it needs cmake and a
//! C++ compiler (Debian: `apt install cmake g++`).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::Instant;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::reader::qr::{self, LumaImage, QrDecoder, QrStrategy, ZxingCppDecoder};
use vitale::verify::policy::FixedClock;
use vitale::verify::{TrustList, TrustStore, Verifier, default_backend};
use vitale_sim::render::{FrameSize, Placement, RenderOptions, compose_frame, render_qr};
use vitale_sim::{Scenario, Seed};

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let result = if files.is_empty() {
        simulated()
    } else {
        files.iter().try_for_each(|f| {
            println!("{f}:");
            compare(&qr::load_image_file(f.as_ref())?);
            Ok::<(), Box<dyn std::error::Error>>(())
        })
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Each decoder on `image`: codes read and time.
fn compare(image: &LumaImage) {
    let decoders: [Box<dyn QrDecoder>; 3] = [
        Box::new(ZxingCppDecoder),
        Box::new(QrStrategy::with_zxing_cpp()),
        Box::new(QrStrategy::new()),
    ];
    let labels = ["bare zxing-cpp", "zxing-cpp strategy", "pure-Rust strategy"];
    for (label, decoder) in labels.iter().zip(&decoders) {
        let start = Instant::now();
        let result = decoder.decode(&image.as_frame());
        let spent = start.elapsed().as_secs_f64() * 1e3;
        match result {
            Ok(codes) => println!("  {label:>18}: {} code(s) in {spent:.1} ms", codes.len()),
            Err(e) => println!("  {label:>18}: no code read ({e}) in {spent:.1} ms"),
        }
    }
}

/// When the simulated phone shows its code (2026-11-12T14:05:00Z).
const SHOWN_AT: u64 = 1_794_492_300;

fn simulated() -> Result<(), Box<dyn std::error::Error>> {
    let now = Timestamp::from_unix(SHOWN_AT).ok_or("time")?;
    let scenario = Scenario::new(Seed::from_u64(17), 2, now)?;
    let text = scenario.phone.present_qr_text(now, 120)?;
    // A phone in dark mode: light modules on a dark screen.
    let code = render_qr(
        &text,
        &RenderOptions {
            dark: 225,
            light: 30,
            ..RenderOptions::default()
        },
    )?;
    let placement = Placement {
        rotation: 8.0,
        code_height: 0.6,
        phone_screen: false,
        seed: 5,
        ..Placement::default()
    };
    let frame = compose_frame(&code, FrameSize::Hd, &placement);
    println!("A simulated 1280×720 dark-mode frame:");
    compare(&frame);

    let list = TrustList::from_cbor(
        &scenario.trust_list,
        &scenario.anchor,
        default_backend(),
        now,
    )?;
    let terminal = Terminal::new(
        Verifier::new(TrustStore::new(scenario.anchor.clone(), list)).with_clock(FixedClock(now)),
    )
    .with_qr_decoder(Box::new(QrStrategy::with_zxing_cpp()));
    for code in terminal.scan_frame(&frame.as_frame())? {
        match code.outcome() {
            Ok(card) => println!(
                "Verified by a Terminal reading with \"{}\": {} beneficiar(y/ies)",
                terminal.qr_decoder_name(),
                card.beneficiaries().len()
            ),
            Err(e) => println!("Code refused: {e}"),
        }
    }
    Ok(())
}
