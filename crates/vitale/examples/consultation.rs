//! A consultation billed end to end, on embedded defaults:
//!
//! 1. the simulated phone shows a QR presentation; the terminal verifies it;
//! 2. the rights of the day come from the (simulated) rights service over
//!    HTTPS;
//! 3. the care sheet is priced from the embedded tariffs and numbered in a
//!    SQLite file;
//! 4. it is hashed and signed, and the signature checked;
//! 5. the patient's receipt is made and signed.
//!
//! Steps 2 to 5 are one call of the facade's `vitale::billing::Billing`.
//!
//! ```text
//! cargo run --example consultation
//! ```
//!
//! Everything is simulated (test keys, sample people); this is not a
//! CNDA-approved FSE.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::verify::Verifier;
use vitale_sim::{Scenario, Seed};

mod billing;

const SEED: u64 = 2026;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("consultation failed: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let now =
        Timestamp::from_datetime(time::OffsetDateTime::now_utc()).ok_or("clock out of range")?;
    let scenario = Scenario::new(Seed::from_u64(SEED), 3, now)?;
    let store = vitale::load_trust_store(
        &scenario.trust_list,
        &scenario.anchor.public_key().to_spki_der(),
        now,
    )?;
    let terminal = Terminal::new(Verifier::new(store));
    let card = terminal.verify_text(&scenario.phone.present_qr_text(now, 120)?)?;
    println!(
        "1. Card verified: {} beneficiaries",
        card.beneficiaries().len()
    );
    billing::bill_consultation(
        &card,
        SEED,
        &scenario.household,
        scenario.issuer.issuer_key(0)?.signer(),
        2,
    )
}
