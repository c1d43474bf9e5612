//! A handheld QR scanner in keyboard-wedge mode, configured for US QWERTY
//! but plugged into a French AZERTY workstation: what the desktop receives
//! is garbled, and the `Terminal` repairs it.
//!
//! ```text
//! cargo run --example keyboard_wedge            # simulated keystrokes
//! some-scanner-tool | cargo run --example keyboard_wedge -- --stdin
//! ```
//!
//! The simulated scanner types the characters with realistic timing (2 ms
//! apart) followed by CR; a `LineAssembler` turns key events into lines, as
//! a GUI integration would. The simulated run is made at a fixed time, so
//! its output is the same on every run.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::BufRead as _;
use std::process::ExitCode;
use std::time::Duration;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::reader::wedge::{Assembled, KeyboardLayout, KeyboardSetup, LineAssembler, WedgeConfig};
use vitale::render::{DisplayOptions, card_text};
use vitale::verify::policy::FixedClock;
use vitale_sim::{Scenario, Seed};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// When the simulated phone shows its code (2026-11-12T14:05:00Z): a fixed
/// time makes the same keystrokes and the same card on every run.
const SHOWN_AT: u64 = 1_794_492_300;

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let stdin = std::env::args().any(|a| a == "--stdin");
    let builder = Terminal::builder();
    let (now, builder) = if stdin {
        // Lines from a real scanner are checked at the workstation's time.
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).ok_or("clock")?;
        (now, builder)
    } else {
        let now = Timestamp::from_unix(SHOWN_AT).ok_or("time")?;
        (now, builder.clock(FixedClock(now)))
    };
    let scenario = Scenario::new(Seed::from_u64(31), 2, now)?;
    let terminal = builder
        .trust_list(scenario.trust_list.clone())
        .pinned_root(scenario.anchor.public_key().to_spki_der())
        .build()?;

    let lines: Vec<String> = if stdin {
        std::io::stdin().lock().lines().collect::<Result<_, _>>()?
    } else {
        let text = scenario.phone.present_qr_text(now, 120)?;
        let setup = KeyboardSetup::new(KeyboardLayout::UsQwerty, KeyboardLayout::FrenchAzerty);
        let typed = setup.simulate(&text) + "\r";
        println!("The scanner meant:      {:.60}…", text);
        println!("The desktop received:   {:.60}…", typed);
        let mut assembler = LineAssembler::new(WedgeConfig::default());
        let mut lines = Vec::new();
        for (i, ch) in typed.chars().enumerate() {
            let at = Duration::from_millis(2 * u64::try_from(i)?);
            if let Some(Assembled::Line(line)) = assembler.push(ch, at) {
                lines.push(line);
            }
        }
        lines
    };

    for line in lines {
        match terminal.verify_scanner_line(&line) {
            Ok(scanned) => {
                if let Some(advice) = scanned.repair.advice() {
                    println!("Repaired: {advice}.");
                }
                print!("{}", card_text(&scanned.card, DisplayOptions::default()));
            }
            Err(e) => println!("Refused: {e}"),
        }
    }
    Ok(())
}
