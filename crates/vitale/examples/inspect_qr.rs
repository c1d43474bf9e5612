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

/// The QR text of the format's test vector (`presentation-qr-text` of
/// `docs/vectors/open-profile-v1.json`, `docs/format.md`); the facade's
/// examples test checks that it is the vector's text.
const VECTOR_TEXT: &str = concat!(
    "VT1:RRQXO8O609CKJB0H:KX50FBBOZRTWGSLKC 45A9 3BM/95XSVN6FBBG+GW50",
    "7D0BMOBMOBMOBMOBMOBMOBMOBMOTH0XNDC2AFN0XNDC2A1T0.ND3KHZ$0X50324V",
    "94.34--1412G$UG8JIASKMDM9JAJENKMTZV:5I-TGJQ4EMH.FPPP4F6BAK22VIW6",
    "0O8AXQEQWBQH1$VKY02//M0K3ZRV/LD1YVG8E*GNM/07800A6+Q6GL6RW6E46OF6",
    "746536QIC$86JOCRW6:O0646746SU0$96I31KGLX50400:-CRB8MTA%%9GPD:X8K",
    "*9X6AGY81IAD 09X9X7DNA7+Q6AL6VV6+50ERKP2EX479463:6$96V47$96$96/D",
    "0Z96LF6SF6446Z96OF67L6Z96%Q6$96EJ03:6B46J$6V%K*7DVW6646746..6D C",
    "JZA746JJ0NF6TF63W5Y967465P0NF6TF64W5KF6AL6+X0KGLJB09Y0:-CRB8MTA$",
    "%9Z-CFZA71A:RAM.DRB8$B9RW5HWOVV9JAHUW8HDC6.01A6Y47C46NF6O01$9178",
    "0VF6QW6L%6OF6QF60R6I%6PV60VE $5 $5QW6Z$5 $5+96Z$5%$5Z$5636%ZCNF6",
    "*9627B$51E+IK49N87G7DTNM+ATODNN+93$BZ/FS4E*KQGNF%984 A3W4NDR4RBM",
    "ATMEJV$6O51%RKB+R4YA8ZBW32JORL$6MYO5JV%I0L+9L+9L+9L+9L+9L+9L+9L+",
    "9FN0YND-FK1T0YNDQIK7Y027B8/HJESJSFX.V6J7UKR%NVC/P%BN:LKO7C-3F IC",
    "ODH25W0TN$LSJ0BR/1DP0SC0EB8:5D ECENGQ/F7OJ4DNRCGR92/JUXKP",
);

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
    let text = std::env::args()
        .nth(1)
        .unwrap_or_else(|| VECTOR_TEXT.to_owned());
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
