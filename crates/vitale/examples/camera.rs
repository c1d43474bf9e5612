//! Scan the appli carte Vitale's QR code live: a camera (feature `camera`)
//! or, without one, a simulated camera scene played in real time.
//!
//! ```text
//! cargo run --example camera                                  # a simulated scene (no camera needed)
//! cargo run -p vitale --features camera --example camera -- --camera [N]   # camera N (default 0)
//! ```
//!
//! The simulated scene (`vitale_sim::render::Scene`): a phone showing a
//! presentation slides into a 640×480 view with motion blur, is held
//! still, then leaves; 30 frames a second. The scanning loop decodes on a
//! worker thread, drops the frames that arrive while it is busy, verifies
//! each new code once and stops at the first card that verifies. The same
//! scene is then played again: the presentation is now a replay, refused
//! and reported. With `--camera` and no camera (or the feature off), the
//! example says so and plays the simulated scene.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::reader::camera::{FrameSequence, ScanEvent, Scanner};
use vitale::render::{DisplayOptions, card_text};
use vitale::verify::policy::FixedClock;
use vitale::verify::{TrustList, TrustStore, Verifier, default_backend};
use vitale_sim::render::{FrameSize, RenderOptions, Scene, render_qr};
use vitale_sim::{Scenario, Seed};

/// 2026-11-22T08:00:00Z: the scene is made and verified at a fixed time.
const NOW: u64 = 1_795_334_400;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let now = Timestamp::from_unix(NOW).ok_or("time out of range")?;
    let scenario = Scenario::new(Seed::from_u64(7), 2, now)?;
    let list = TrustList::from_cbor(
        &scenario.trust_list,
        &scenario.anchor,
        default_backend(),
        now,
    )?;
    let verifier =
        Verifier::new(TrustStore::new(scenario.anchor.clone(), list)).with_clock(FixedClock(now));
    let terminal = Terminal::new(verifier);

    if args.first().map(String::as_str) == Some("--camera") {
        let index = args
            .get(1)
            .map(|n| n.parse::<u32>())
            .transpose()?
            .unwrap_or(0);
        if live_camera(&terminal, index)? {
            return Ok(());
        }
    }

    let text = scenario.phone.present_qr_text(now, 120)?;
    let code = render_qr(&text, &RenderOptions::default())?;
    let mut scene = Scene::new(FrameSize::Vga);
    // Held still for a second: time to read it even on a slow machine.
    scene.sharp = 30;
    let frames = scene.frames(&code);
    println!(
        "simulated scene: {} frames of 640×480 at 30 frames a second",
        frames.len()
    );

    let scanner = Scanner::new();
    let mut source = FrameSequence::new(frames.clone(), 30.0);
    let read = terminal.scan_frames(&mut source, &scanner, print_event)?;
    println!(
        "ACCEPTED: card read in frame {} ({:?} while entering or still)",
        read.sequence,
        scene.phase(usize::try_from(read.sequence)?)
    );
    println!("{}", card_text(&read.card, DisplayOptions::default()));

    println!("the same scene again (the presentation was used):");
    let mut again = FrameSequence::new(frames, 30.0);
    match terminal.scan_frames(&mut again, &scanner, print_event) {
        Ok(_) => return Err("a replayed presentation was accepted".into()),
        Err(e) => println!("REFUSED: {e} [{}]", e.kind()),
    }
    Ok(())
}

/// The loop's events, as a UI would show them (not every frame).
fn print_event(event: ScanEvent<'_, vitale::Error>) {
    match event {
        ScanEvent::CodeSeen { .. } => println!("  code seen: verifying"),
        ScanEvent::CodeRefused { error, .. } => println!("  code refused [{}]", error.kind()),
        ScanEvent::Stopped { reason, .. } => println!("  stopped: {}", reason.kind()),
        _ => {}
    }
}

/// Scans camera `index`; `false` when there is no camera to scan with.
#[cfg(feature = "camera")]
fn live_camera(terminal: &Terminal, index: u32) -> Result<bool, Box<dyn std::error::Error>> {
    let scanner = Scanner::new();
    println!("camera {index}: show the QR code of the appli carte Vitale (60 s)");
    match terminal.scan_camera(index, &scanner, print_event) {
        Ok(read) => {
            println!("{}", card_text(&read.card, DisplayOptions::default()));
            Ok(true)
        }
        Err(e) if matches!(e.kind(), "camera_no_device" | "camera_unavailable") => {
            println!(
                "no camera to scan with ({e} [{}]): simulated scene",
                e.kind()
            );
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(feature = "camera"))]
fn live_camera(_terminal: &Terminal, _index: u32) -> Result<bool, Box<dyn std::error::Error>> {
    println!("built without the camera feature: simulated scene");
    Ok(false)
}
