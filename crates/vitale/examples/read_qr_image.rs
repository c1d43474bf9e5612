//! Read every QR code in image files (PNG, JPEG, WebP) or camera frames,
//! and verify the vitale presentations among them.
//!
//! ```text
//! cargo run --example read_qr_image                  # a simulated 1280×720 camera frame
//! cargo run --example read_qr_image -- photo.jpg …   # your images (listed, not verified:
//!                                                    # no trust list is configured here)
//! ```
//!
//! Without arguments the example makes a camera-like frame with
//! `vitale-sim` — a phone showing a QR presentation, turned 12°, slightly
//! blurred, with screen glare — and reads it with every QR decoder
//! (reporting each decoder's result, success or error), then verifies it
//! with the default one through a `Terminal`. The frame is the same on every
//! run: the presentation is made, and verified, at a fixed time.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::reader::qr;
use vitale::render::{DisplayOptions, card_text};
use vitale::verify::policy::FixedClock;
use vitale::verify::{TrustList, TrustStore, Verifier, default_backend};
use vitale_sim::render::{
    FrameSize, Perturbation, Placement, RenderOptions, compose_frame, render_qr,
};
use vitale_sim::{Scenario, Seed};

fn main() -> ExitCode {
    let result = match std::env::args().skip(1).collect::<Vec<_>>() {
        files if files.is_empty() => simulated_frame(),
        files => list_codes(&files),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn list_codes(files: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let decoder = qr::default_decoder();
    for file in files {
        let image = qr::load_image_file(file.as_ref())?;
        let codes = decoder.decode(&image.as_frame())?;
        println!("{file}: {} code(s)", codes.len());
        for code in codes {
            match code.text() {
                Some(t) if t.starts_with("VT1:") || t.starts_with("VT1B:") => {
                    println!("  vitale presentation ({} characters)", t.len())
                }
                Some(t) => println!("  other code: {:.60}", t),
                None => println!("  binary code of {} bytes", code.content.len()),
            }
        }
    }
    Ok(())
}

/// When the simulated phone shows its code (2026-11-12T14:05:00Z): a fixed
/// time makes a fixed presentation, so a fixed frame.
const SHOWN_AT: u64 = 1_794_492_300;

fn simulated_frame() -> Result<(), Box<dyn std::error::Error>> {
    let now = Timestamp::from_unix(SHOWN_AT).ok_or("time")?;
    let scenario = Scenario::new(Seed::from_u64(17), 2, now)?;
    let text = scenario.phone.present_qr_text(now, 120)?;
    let code = render_qr(&text, &RenderOptions::default())?;
    let placement = Placement {
        rotation: 12.0,
        code_height: 0.7,
        seed: 3,
        perturbations: vec![
            Perturbation::Blur { radius: 0.6 },
            Perturbation::Glare {
                center: (0.65, 0.3),
                radius: 0.25,
                strength: 0.4,
            },
        ],
        ..Placement::default()
    };
    // The frame is a `LumaImage`, the same type `qr::load_image` returns.
    let frame = compose_frame(&code, FrameSize::Hd, &placement);
    let path = std::env::temp_dir().join("vitale-camera-frame.png");
    frame.write_png(&path)?;
    println!(
        "Simulated 1280×720 camera frame written to {}",
        path.display()
    );

    for decoder in qr::decoders() {
        match decoder.decode(&frame.as_frame()) {
            Ok(found) => println!("  {:>6}: {} code(s)", decoder.name(), found.len()),
            Err(e) => println!("  {:>6}: no code read ({e})", decoder.name()),
        }
    }

    let list = TrustList::from_cbor(
        &scenario.trust_list,
        &scenario.anchor,
        default_backend(),
        now,
    )?;
    let terminal = Terminal::new(
        Verifier::new(TrustStore::new(scenario.anchor.clone(), list)).with_clock(FixedClock(now)),
    );
    let scanned = terminal.scan_frame(&frame.as_frame())?;
    for code in scanned {
        match code.outcome() {
            Ok(card) => print!("\n{}", card_text(card, DisplayOptions::default())),
            Err(e) => println!("  code refused: {e}"),
        }
    }
    Ok(())
}
