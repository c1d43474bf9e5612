//! Decode an `open`-profile QR text and show what it carries.
//!
//! ```text
//! cargo run --example inspect_qr            # the format's test vector
//! cargo run --example inspect_qr -- 'VT1:…' # any QR text, e.g. from a scanner
//! ```
//!
//! This decodes only: it does NOT check signatures, validity or replay, so
//! nothing it prints may be trusted yet. Verification (`vitale-verify`)
//! turns the same text into a `VerifiedCard`. NIRs are masked.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use vitale::codec::model::{Beneficiary, Channel, SignedPresentation};

/// The QR vector of `docs/format.md`.
const VECTORS: &str = include_str!("../docs/vectors/open-profile-v1.json");

fn vector_text() -> Option<String> {
    // The vector file is a flat JSON object of strings; find one value.
    let key = "\"presentation-qr-text\": \"";
    let start = VECTORS.find(key)? + key.len();
    let len = VECTORS.get(start..)?.find('"')?;
    VECTORS.get(start..start + len).map(str::to_owned)
}

fn show(b: &Beneficiary) {
    let usual = b
        .usual_name()
        .as_ref()
        .map(|n| format!(" (usual name {n})"))
        .unwrap_or_default();
    println!(
        "  rank {:>2}  {} {}{}  sex {}  born {}{}",
        b.rank().get(),
        b.birth_name(),
        b.first_names(),
        usual,
        b.sex().code(),
        b.birth_date().as_str(),
        if b.birth_date().to_calendar().is_none() {
            " (lunar date)"
        } else {
            ""
        },
    );
    if let Some(ins) = &b.ins() {
        println!(
            "           INS {} (OID {}), birthplace {}",
            ins.ins().matricule().masked(),
            ins.ins().oid().as_str(),
            ins.birthplace().as_str()
        );
    }
    if let Some(amc) = &b.complementary() {
        println!(
            "           AMC {} guarantee {} from {} to {}, third-party payment: {}",
            amc.amc_number().as_str(),
            amc.guarantee().as_str(),
            amc.validity().from(),
            amc.validity().until(),
            if amc.third_party_payment() {
                "yes"
            } else {
                "no"
            }
        );
    }
}

fn main() -> ExitCode {
    let text = match std::env::args().nth(1).or_else(vector_text) {
        Some(t) => t,
        None => {
            eprintln!("no QR text given and no vector found");
            return ExitCode::from(2);
        }
    };
    let presentation = match SignedPresentation::from_text(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("not an open-profile presentation: {e}");
            return ExitCode::from(1);
        }
    };
    let p = presentation.presentation();
    let signed = p.credential();
    let c = signed.credential();
    println!("DECODED ONLY — signatures, validity and replay NOT checked");
    println!(
        "presentation: channel {}, issued {}, expires {}",
        match p.channel() {
            Channel::Qr => "QR",
            _ => "NFC",
        },
        p.issued_at().to_rfc3339(),
        p.expires_at().to_rfc3339()
    );
    println!(
        "credential:   issuer kid {}, valid {} to {}",
        signed
            .kid()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        c.validity.not_before().to_rfc3339(),
        c.validity.expires_at().to_rfc3339()
    );
    println!(
        "insured:      NIR {}, régime {} caisse {} centre {}, code de gestion {}",
        c.insured.nir().masked(),
        c.insured.organisation().regime(),
        c.insured.organisation().fund(),
        c.insured.organisation().centre(),
        c.insured.management_code().as_str()
    );
    println!("beneficiaries ({}):", c.beneficiaries.len());
    c.beneficiaries.iter().for_each(show);
    if let Some(d) = p.delegation() {
        let d = d.delegation();
        let ranks: Vec<String> = d
            .ranks
            .as_slice()
            .iter()
            .map(|r| r.get().to_string())
            .collect();
        println!(
            "delegated to {} for ranks {}",
            d.delegate_name,
            ranks.join(", ")
        );
    }
    ExitCode::SUCCESS
}
