//! A verified card for people (text) and for programs (JSON), written once
//! here for every surface: the CLI, the examples and the C ABI use it.
//!
//! **NIRs.** Text masks NIRs and INS matricules unless
//! [`DisplayOptions::show_nir`]: `1 84 03 •• ••• ••• ••` keeps sex, year and
//! month of birth; shown, a NIR is its 15 characters without spaces
//! (`184037510821010`: [`vitale_ins::Nir::as_str`], the library's accessor
//! for billing programs). JSON ([`card_json`]) uses the model's serde shape
//! (`docs/json.md`): with `show_nir` it carries the full 15-character NIR
//! that billing needs — then it is personal data, never for logs.

use core::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;
use vitale_codec::hex;
use vitale_codec::model::Channel;
use vitale_ins::{BirthDate, InsOid, Nir};
use vitale_model::{Beneficiary, Insured, Timestamp, ValidityWindow};
use vitale_verify::{Provenance, VerifiedCard};

/// What to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DisplayOptions {
    /// Show NIRs and INS matricules in full (default: masked).
    pub show_nir: bool,
}

impl DisplayOptions {
    /// NIRs in full.
    pub fn with_nir_shown() -> Self {
        DisplayOptions { show_nir: true }
    }
}

/// A NIR as shown: masked and grouped (`1 84 03 •• ••• ••• ••`), or with
/// `show_nir` the full NIR in the one ungrouped form billing programs read,
/// 15 characters without spaces (`184037510821010`, [`Nir::as_str`], as in
/// the JSON form).
pub fn nir_text(nir: &Nir, options: DisplayOptions) -> String {
    if options.show_nir {
        nir.as_str().to_owned()
    } else {
        nir.masked()
    }
}

/// `2026-11-12 14:00:00 UTC`.
pub fn readable(at: Timestamp) -> String {
    at.to_rfc3339().replace('T', " ").replace('Z', " UTC")
}

/// `qr` or `nfc`.
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Qr => "qr",
        Channel::Nfc => "nfc",
        _ => "other",
    }
}

/// `YYYY-MM-DD` from the `YYYYMMDD` text (kept as is for lunar dates,
/// whose month or day may be `00` or out of range).
pub fn birth_date_text(d: &BirthDate) -> String {
    let s = d.as_str();
    match (s.get(0..4), s.get(4..6), s.get(6..8)) {
        (Some(y), Some(m), Some(day)) => format!("{y}-{m}-{day}"),
        _ => s.to_owned(),
    }
}

/// `nir`, `nia`, `test` or `demo`.
pub fn oid_kind(oid: InsOid) -> &'static str {
    match oid {
        InsOid::Nir => "nir",
        InsOid::Nia => "nia",
        InsOid::TestNir => "test",
        InsOid::DemoNir => "demo",
        _ => "other",
    }
}

// --- JSON --------------------------------------------------------------

/// The JSON shape of a card (`docs/json.md`).
#[derive(Serialize)]
struct CardJson<'a> {
    insured: &'a Insured,
    beneficiaries: Vec<&'a Beneficiary>,
    delegation: Option<DelegationJson<'a>>,
    provenance: ProvenanceJson<'a>,
}

#[derive(Serialize)]
struct DelegationJson<'a> {
    delegate_name: &'a str,
    ranks: Vec<u8>,
    validity: ValidityWindow,
}

#[derive(Serialize)]
#[serde(tag = "profile", rename_all = "snake_case")]
enum ProvenanceJson<'a> {
    Open {
        channel: &'static str,
        verified_at: Timestamp,
        issuer_kid: String,
        issuer_label: Option<&'a str>,
        trust_list_sequence: u64,
        credential_id: String,
        credential_validity: ValidityWindow,
        presented_at: Timestamp,
        presentation_expires_at: Timestamp,
        presentation_digest: String,
    },
    Token {
        channel: &'static str,
        verified_at: Timestamp,
        context_id: &'a str,
        service: &'a str,
        valid_until: Timestamp,
    },
}

fn provenance_json(p: &Provenance) -> Option<ProvenanceJson<'_>> {
    Some(match p {
        Provenance::Offline(o) => ProvenanceJson::Open {
            channel: channel_name(o.channel()),
            verified_at: o.verified_at(),
            issuer_kid: hex::encode(o.issuer_kid()),
            issuer_label: o.issuer_label(),
            trust_list_sequence: o.trust_list_sequence(),
            credential_id: hex::encode(o.credential_id().as_bytes()),
            credential_validity: o.credential_validity(),
            presented_at: o.presented_at(),
            presentation_expires_at: o.presentation_expires_at(),
            presentation_digest: hex::encode(&o.presentation_digest()),
        },
        Provenance::Online(o) => ProvenanceJson::Token {
            channel: channel_name(o.channel()),
            verified_at: o.verified_at(),
            context_id: o.context_id().as_str(),
            service: o.service(),
            valid_until: o.valid_until(),
        },
        _ => return None,
    })
}

/// The card as a JSON value: `insured`, `beneficiaries` (those the
/// presenter may present), `delegation` (or `null`) and `provenance`
/// (`profile` `"open"` or `"token"`). NIRs and INS matricules are masked
/// unless `options.show_nir`.
pub fn card_json(card: &VerifiedCard, options: DisplayOptions) -> Value {
    let json = CardJson {
        insured: card.insured(),
        beneficiaries: card.beneficiaries().iter().map(|b| b.data()).collect(),
        delegation: card.delegation().map(|d| DelegationJson {
            delegate_name: d.delegate_name().as_str(),
            ranks: d.ranks().iter().map(|r| r.get()).collect(),
            validity: d.validity(),
        }),
        provenance: match provenance_json(card.provenance()) {
            Some(p) => p,
            None => return Value::Null,
        },
    };
    // Serializing these types cannot fail (no maps with non-string keys,
    // no fallible Serialize impl).
    let mut value = serde_json::to_value(json).unwrap_or(Value::Null);
    if !options.show_nir {
        mask_nirs(&mut value, card);
    }
    value
}

/// Replaces the NIR and the INS matricules by their masked text.
fn mask_nirs(value: &mut Value, card: &VerifiedCard) {
    let masked = card.insured().nir().masked();
    if let Some(nir) = value.pointer_mut("/insured/nir") {
        *nir = Value::String(masked);
    }
    for (i, b) in card.beneficiaries().iter().enumerate() {
        if let (Some(ins), Some(slot)) = (
            b.data().ins(),
            value.pointer_mut(&format!("/beneficiaries/{i}/ins/matricule")),
        ) {
            *slot = Value::String(ins.ins().matricule().masked());
        }
    }
}

// --- Text --------------------------------------------------------------

/// Pads `text` to `width` characters (not bytes: names have accents).
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

fn beneficiary_row(b: &Beneficiary, options: DisplayOptions) -> [String; 6] {
    let name = match b.usual_name() {
        Some(usual) => format!("{usual} {} (born {})", b.first_names(), b.birth_name()),
        None => format!("{} {}", b.birth_name(), b.first_names()),
    };
    let mut born = birth_date_text(b.birth_date());
    if b.birth_date().is_lunar() {
        born.push_str(" (lunar)");
    }
    let ins = match b.ins() {
        Some(i) => format!(
            "{} ({}, born in {})",
            nir_text(i.ins().matricule(), options),
            oid_kind(i.ins().oid()),
            i.birthplace().as_str()
        ),
        None => "—".to_owned(),
    };
    [
        b.rank().get().to_string(),
        format!("{:02}", b.quality().get()),
        name,
        b.sex().code().to_string(),
        born,
        ins,
    ]
}

/// The card as text: insured person, beneficiaries table, complementary
/// cover, delegation, provenance.
pub fn card_text(card: &VerifiedCard, options: DisplayOptions) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = write_card(&mut s, card, options);
    s
}

fn write_card(s: &mut String, card: &VerifiedCard, options: DisplayOptions) -> core::fmt::Result {
    let i = card.insured();
    let o = i.organisation();
    writeln!(s, "Insured person (assuré)")?;
    writeln!(s, "  NIR               {}", nir_text(i.nir(), options))?;
    writeln!(
        s,
        "  Organisation      régime {} · caisse {} · centre {} · code de gestion {}",
        o.regime(),
        o.fund(),
        o.centre(),
        i.management_code().as_str()
    )?;
    writeln!(s)?;
    let list: Vec<&Beneficiary> = card.beneficiaries().iter().map(|b| b.data()).collect();
    writeln!(s, "Beneficiaries (ayants droit): {}", list.len())?;
    let rows: Vec<[String; 6]> = list.iter().map(|b| beneficiary_row(b, options)).collect();
    let header = ["rank", "qual.", "name", "sex", "born", "INS"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let text: Vec<String> = cells.iter().zip(widths).map(|(c, w)| pad(c, w)).collect();
        format!("  {}", text.join("  ").trim_end())
    };
    writeln!(s, "{}", line(&header))?;
    for row in &rows {
        writeln!(s, "{}", line(row))?;
    }
    for b in &list {
        if let Some(c) = b.complementary() {
            writeln!(
                s,
                "  rank {}: AMC {} guarantee {} from {} until {}{}",
                b.rank().get(),
                c.amc_number().as_str(),
                c.guarantee().as_str(),
                vitale_model::time::format_date(c.validity().from()),
                vitale_model::time::format_date(c.validity().until()),
                if c.third_party_payment() {
                    ", third-party payment"
                } else {
                    ""
                }
            )?;
        }
    }
    if let Some(d) = card.delegation() {
        let ranks: Vec<String> = d.ranks().iter().map(|r| r.get().to_string()).collect();
        writeln!(s)?;
        writeln!(s, "Delegation")?;
        writeln!(s, "  Delegate          {}", d.delegate_name())?;
        writeln!(s, "  Covered ranks     {}", ranks.join(", "))?;
        writeln!(
            s,
            "  Valid             {} → {}",
            readable(d.validity().not_before()),
            readable(d.validity().expires_at())
        )?;
    }
    writeln!(s)?;
    writeln!(s, "Provenance")?;
    let p = card.provenance();
    match p {
        Provenance::Offline(o) => {
            let label = o
                .issuer_label()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            writeln!(
                s,
                "  Issuer key        {}{label}, trust list #{}",
                hex::encode(o.issuer_kid()),
                o.trust_list_sequence()
            )?;
            writeln!(
                s,
                "  Channel           {}",
                channel_name(o.channel()).to_uppercase()
            )?;
            writeln!(
                s,
                "  Presented         {} (expires {})",
                readable(o.presented_at()),
                readable(o.presentation_expires_at())
            )?;
            writeln!(s, "  Verified at       {}", readable(o.verified_at()))?;
            writeln!(
                s,
                "  Credential        {} valid {} → {}",
                hex::encode(o.credential_id().as_bytes()),
                readable(o.credential_validity().not_before()),
                readable(o.credential_validity().expires_at())
            )?;
        }
        Provenance::Online(o) => {
            writeln!(
                s,
                "  Context           {} ({})",
                o.context_id().as_str(),
                o.service()
            )?;
            writeln!(
                s,
                "  Channel           {}",
                channel_name(o.channel()).to_uppercase()
            )?;
            writeln!(s, "  Verified at       {}", readable(o.verified_at()))?;
            writeln!(s, "  Valid until       {}", readable(o.valid_until()))?;
        }
        _ => writeln!(s, "  (unknown provenance)")?,
    }
    Ok(())
}
