//! A QR scanner on a serial port (*douchette série*, or USB in "virtual
//! COM" mode): feature `serial`.
//!
//! ```text
//! cargo run -p vitale --features serial --example serial_scanner          # a simulated port
//! cargo run -p vitale --features serial --example serial_scanner -- --list
//! cargo run -p vitale --features serial --example serial_scanner -- \
//!     /dev/ttyACM0 trust-list.cbor root.spki.der                          # a real scanner
//! ```
//!
//! A serial scanner sends the bytes of the QR text followed by CR (or LF,
//! Tab): keyboard layouts play no part, nothing needs repairing. Without
//! arguments the example plays a simulated port — idle for a while (reads
//! that time out), then the bytes in small chunks, as over a 9600-baud
//! line — and reads them with `SerialLines`, the reader `SerialScanner`
//! uses over a real port. Everything is simulated and made at a fixed time, so the
//! output is the same on every run. With a port name it reads one scan from
//! that port and verifies it against the trust list and root given.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::VecDeque;
use std::io::{self, Read};
use std::process::ExitCode;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::reader::serial::{PortKind, SerialError, SerialLines, SerialScanner, list_ports};
use vitale::reader::wedge::WedgeConfig;
use vitale::render::{DisplayOptions, card_text};
use vitale::verify::policy::FixedClock;
use vitale_sim::{Scenario, Seed};

/// When the simulated phone shows its code (2026-11-12T14:05:00Z).
const NOW: u64 = 1_794_492_300;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [] => simulated(),
        [flag] if flag == "--list" => list(),
        [port, trust, root] => real(port, trust, root),
        _ => Err("usage: serial_scanner [--list | PORT TRUST_LIST ROOT_SPKI_DER]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serial_scanner failed: {e}");
            ExitCode::from(2)
        }
    }
}

/// The serial ports of this machine, as a settings screen would offer them.
fn list() -> Result<(), Box<dyn std::error::Error>> {
    let ports = list_ports()?;
    println!("{} serial port(s)", ports.len());
    for port in ports {
        let kind = match port.kind {
            PortKind::Usb { vid, pid, .. } => format!("USB {vid:04x}:{pid:04x}"),
            PortKind::Bluetooth => "Bluetooth".to_owned(),
            PortKind::Pci => "built-in".to_owned(),
            _ => "unknown".to_owned(),
        };
        println!("  {}  ({kind})", port.name);
    }
    Ok(())
}

/// One scan from a real port, verified.
fn real(port: &str, trust: &str, root: &str) -> Result<(), Box<dyn std::error::Error>> {
    let terminal = Terminal::builder()
        .trust_list_file(trust)
        .pinned_root_file(root)
        .build()?;
    let mut scanner = SerialScanner::open(port, 9600)?;
    println!("waiting for a scan on {} …", scanner.port_name());
    let line = loop {
        match scanner.read_line() {
            Ok(line) => break line,
            // Nothing scanned for a while (the port's read timed out): a
            // real application checks here whether the user cancelled.
            Err(vitale::reader::Error::Serial(SerialError::Timeout)) => continue,
            Err(e) => return Err(e.into()),
        }
    };
    let card = terminal.verify_text(&line)?;
    print!("{}", card_text(&card, DisplayOptions::default()));
    Ok(())
}

/// A scan over a simulated port.
fn simulated() -> Result<(), Box<dyn std::error::Error>> {
    let now = Timestamp::from_unix(NOW).ok_or("time")?;
    let scenario = Scenario::new(Seed::from_u64(2026), 3, now)?;
    let terminal = Terminal::builder()
        .trust_list(scenario.trust_list.clone())
        .pinned_root(scenario.anchor.public_key().to_spki_der())
        .clock(FixedClock(now))
        .build()?;

    // The port idles (two reads time out: nobody is scanning), then the
    // scanner sends the text's bytes and CR, 64 bytes at a time.
    let text = scenario.phone.present_qr_text(now, 120)?;
    let mut bytes = text.into_bytes();
    bytes.push(b'\r');
    let mut port = SimulatedPort::default();
    port.steps.push_back(Err(io::ErrorKind::TimedOut));
    port.steps.push_back(Err(io::ErrorKind::TimedOut));
    for chunk in bytes.chunks(64) {
        port.steps.push_back(Ok(chunk.to_vec()));
    }
    let chunks = port.steps.len() - 2;

    let mut lines = SerialLines::new(port, WedgeConfig::default());
    let mut pauses = 0;
    let line = loop {
        match lines.read_line() {
            Ok(line) => break line,
            Err(SerialError::Timeout) => pauses += 1,
            Err(e) => return Err(e.into()),
        }
    };
    println!(
        "simulated port: {pauses} idle read(s), then {} characters in {chunks} chunks: one line",
        line.len()
    );
    let card = terminal.verify_text(&line)?;
    println!("verified:\n");
    print!("{}", card_text(&card, DisplayOptions::default()));

    // The port closed: the reader says so instead of waiting for ever.
    match lines.read_line() {
        Err(SerialError::Disconnected) => println!("\nthen the port closed: disconnected"),
        other => return Err(format!("expected a disconnection, got {other:?}").into()),
    }
    Ok(())
}

/// A port that yields its script, then end of stream (a vanished device).
#[derive(Default)]
struct SimulatedPort {
    steps: VecDeque<Result<Vec<u8>, io::ErrorKind>>,
}

impl Read for SimulatedPort {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.steps.pop_front() {
            None => Ok(0),
            Some(Err(kind)) => Err(kind.into()),
            Some(Ok(mut chunk)) => {
                let n = chunk.len().min(buf.len());
                let rest = chunk.split_off(n);
                if let Some(head) = buf.get_mut(..n) {
                    head.copy_from_slice(&chunk);
                }
                if !rest.is_empty() {
                    self.steps.push_front(Ok(rest));
                }
                Ok(n)
            }
        }
    }
}
