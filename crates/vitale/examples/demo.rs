//! The vitale-sdk demo, on embedded defaults — nothing to configure:
//!
//! 1. a simulated insurer signs a trust list and a credential for a
//!    household of three;
//! 2. the simulated phone makes a QR presentation, rendered as a PNG;
//! 3. the terminal reads the PNG back with the QR decoder, verifies the
//!    presentation against the trust list, and prints the card;
//! 4. the same picture shown again is refused as a replay;
//! 5. the visit is billed: rights from the (simulated) rights service over
//!    HTTPS, a care sheet priced, numbered, hashed and signed.
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! Everything here is simulated: test keys, sample people, test INS OID.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::render::{DisplayOptions, card_text};
use vitale::verify::{TrustList, TrustStore, Verifier, default_backend};
use vitale_sim::render::{RenderOptions, render_qr};
use vitale_sim::{Scenario, Seed};

mod billing;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo failed: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let now =
        Timestamp::from_datetime(time::OffsetDateTime::now_utc()).ok_or("clock out of range")?;

    // 1. The insurer and the household.
    let scenario = Scenario::new(Seed::from_u64(2026), 3, now)?;
    println!(
        "1. Simulated insurer: root key {}, trust list #1 ({} bytes)",
        hex(&scenario.issuer.root_kid()),
        scenario.trust_list.len()
    );

    // 2. The phone shows a QR code.
    let text = scenario.phone.present_qr_text(now, 120)?;
    let png = render_qr(&text, &RenderOptions::default())?.to_png()?;
    let path = std::env::temp_dir().join("vitale-demo-presentation.png");
    std::fs::write(&path, &png)?;
    println!(
        "2. Phone: QR presentation of {} characters, written to {}",
        text.len(),
        path.display()
    );

    // 3. The terminal reads the picture back and verifies it.
    let list = TrustList::from_cbor(
        &scenario.trust_list,
        &scenario.anchor,
        default_backend(),
        now,
    )?;
    let terminal = Terminal::new(Verifier::new(TrustStore::new(
        scenario.anchor.clone(),
        list,
    )));
    let picture = std::fs::read(&path)?;
    let card = terminal.read_card_from_image(&picture)?;
    println!(
        "3. Terminal: read with the {} decoder and verified.\n",
        terminal.qr_decoder_name()
    );
    print!("{}", card_text(&card, DisplayOptions::default()));

    // 4. The same picture again: a screenshot replay.
    match terminal.read_card_from_image(&picture) {
        Err(vitale::Error::Verify(e)) => {
            println!(
                "\n4. The same picture shown again is refused: {e} (kind \"{}\")",
                e.kind()
            );
            billing::bill_consultation(
                &card,
                2026,
                &scenario.household,
                scenario.issuer.issuer_key(0)?.signer(),
                5,
            )
        }
        Ok(_) => Err("the replayed picture was accepted".into()),
        Err(e) => Err(e.into()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
