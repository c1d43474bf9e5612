//! Human-readable summaries of a verified card, for terminals and logs
//! that a person reads. NIRs are masked unless asked otherwise.

use core::fmt::{self, Write as _};

use vitale_codec::model::{Beneficiary, Timestamp};
use vitale_ins::Nir;
use vitale_verify::VerifiedCard;

/// How much to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DisplayOptions {
    /// Show NIRs and INS matricules in full (default: masked).
    pub show_nir: bool,
}

/// `2026-11-22T08:00:00Z`.
pub fn iso(t: Timestamp) -> String {
    let d = t.to_datetime();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

fn nir(n: &Nir, options: DisplayOptions) -> String {
    if options.show_nir {
        n.to_string()
    } else {
        n.masked()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn beneficiary(out: &mut String, b: &Beneficiary, options: DisplayOptions) -> fmt::Result {
    let usual = b
        .usual_name()
        .as_ref()
        .map(|n| format!(" (nom d'usage {n})"))
        .unwrap_or_default();
    let lunar = if b.birth_date().to_calendar().is_none() {
        " (lunar date)"
    } else {
        ""
    };
    writeln!(
        out,
        "  {:>2}  {} {}{}  sex {}  born {}{}",
        b.rank().get(),
        b.birth_name(),
        b.first_names(),
        usual,
        b.sex().code(),
        b.birth_date().as_str(),
        lunar
    )?;
    if let Some(ins) = &b.ins() {
        writeln!(
            out,
            "      INS {} ({}), born in {}",
            nir(ins.ins().matricule(), options),
            ins.ins().oid().as_str(),
            ins.birthplace().as_str()
        )?;
    }
    if let Some(amc) = &b.complementary() {
        writeln!(
            out,
            "      AMC {} guarantee {} from {} to {}, tiers payant {}",
            amc.amc_number().as_str(),
            amc.guarantee().as_str(),
            amc.validity().from(),
            amc.validity().until(),
            if amc.third_party_payment() {
                "yes"
            } else {
                "no"
            }
        )?;
    }
    Ok(())
}

/// A multi-line summary: insured person, beneficiaries with INS and AMC,
/// delegation, provenance.
pub fn card_summary(card: &VerifiedCard, options: DisplayOptions) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_card(&mut out, card, options);
    out
}

fn write_card(out: &mut String, card: &VerifiedCard, options: DisplayOptions) -> fmt::Result {
    let insured = card.insured();
    let p = card.provenance();
    writeln!(
        out,
        "Insured (ouvrant droit): NIR {}, régime {} caisse {} centre {}, code de gestion {}",
        nir(insured.nir(), options),
        insured.organisation().regime(),
        insured.organisation().fund(),
        insured.organisation().centre(),
        insured.management_code().as_str()
    )?;
    writeln!(
        out,
        "Beneficiaries (ayants droit): {}",
        card.beneficiaries().len()
    )?;
    for b in card.beneficiaries() {
        beneficiary(out, b.data(), options)?;
    }
    if let Some(d) = card.delegation() {
        let ranks: Vec<String> = d.ranks().iter().map(|r| r.get().to_string()).collect();
        writeln!(
            out,
            "Presented by delegate {} for ranks {} (until {})",
            d.delegate_name(),
            ranks.join(", "),
            iso(d.validity().expires_at())
        )?;
    }
    writeln!(
        out,
        "Verified at {} ({:?}, presented {}, issuer key {}{}, trust list #{})",
        iso(p.verified_at()),
        p.channel(),
        iso(p.presented_at()),
        hex(p.issuer_kid()),
        p.issuer_label()
            .map(|l| format!(" \"{l}\""))
            .unwrap_or_default(),
        p.trust_list_sequence()
    )
}
