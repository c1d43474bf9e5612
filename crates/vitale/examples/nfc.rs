//! A phone tapped on an NFC reader (PC/SC: pcsc-lite on Linux and macOS,
//! WinSCard on Windows): feature `pcsc`.
//!
//! ```text
//! cargo run -p vitale --features pcsc --example nfc -- trust-list.cbor root.spki.der
//! ```
//!
//! The terminal is built from the insurer's trust list and the root key
//! the application pins, then waits (60 s at most) for a phone on any
//! reader, telling the patient what to do as the read goes on, reads the
//! presentation under a fresh random challenge and verifies it. It needs a
//! reader and a phone; to try it without either, run `pcscd` with the
//! `vsmartcard-vpcd` virtual reader and let the simulator play the phone
//! (as the README shows):
//!
//! ```text
//! cargo run -p vitale-cli -- sim init --dir /tmp/vt
//! cargo run -p vitale-cli -- sim card --dir /tmp/vt --vpcd 127.0.0.1:35963 &
//! cargo run -p vitale --features pcsc --example nfc -- /tmp/vt/trust-list.cbor /tmp/vt/root.spki.der
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::Duration;

use vitale::Terminal;
use vitale::reader::nfc::{NfcContext, NfcEvent, ReadOptions};
use vitale::render::{DisplayOptions, card_text};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [trust, root] = args.as_slice() else {
        eprintln!("usage: nfc TRUST_LIST ROOT_SPKI_DER");
        return ExitCode::from(2);
    };
    match run(trust, root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nfc failed: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(trust: &str, root: &str) -> Result<(), vitale::Error> {
    let terminal = Terminal::builder()
        .trust_list_file(trust)
        .pinned_root_file(root)
        .build()?;
    let context = NfcContext::establish().map_err(vitale::reader::Error::from)?;
    let readers = context
        .list_readers()
        .map_err(vitale::reader::Error::from)?;
    println!("{} reader(s): {}", readers.len(), readers.join(", "));

    // A GUI reads on a worker thread and keeps `options.cancel` (a
    // `CancelToken`) to stop the wait from its Cancel button.
    let options = ReadOptions {
        timeout: Duration::from_secs(60),
        ..ReadOptions::default()
    };
    let read = terminal.read_nfc(&context, &options, |event| match event {
        NfcEvent::WaitingForPhone => println!("Approchez votre téléphone du lecteur…"),
        NfcEvent::PhoneDetected { reader } => println!("phone detected on {reader}"),
        NfcEvent::AppLocked { attempt: 1 } => {
            println!("Déverrouillez l'appli carte Vitale (app locked)")
        }
        NfcEvent::Reading => println!("reading — do not move the phone"),
        NfcEvent::Done => println!("done: the phone may be removed"),
        _ => {}
    })?;
    println!(
        "read on {} in {} APDU(s){}\n",
        read.reader,
        read.round_trips,
        if read.extended {
            ", extended length"
        } else {
            ""
        }
    );
    print!("{}", card_text(&read.card, DisplayOptions::default()));
    Ok(())
}
