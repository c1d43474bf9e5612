//! A verified card as text for people and as JSON for programs (schema in
//! `docs/cli.md`). NIRs and INS matricules are masked unless `--show-nir`.

use std::fmt::Write as _;

use serde::Serialize;
use vitale::codec::model::{Beneficiary, Channel};
use vitale::ins::{BirthDate, InsOid};
use vitale::verify::VerifiedCard;

use super::output::{Out, date, hex, readable, rfc3339};

/// The JSON form of a verified card.
#[derive(Debug, Serialize)]
pub(crate) struct CardJson {
    insured: InsuredJson,
    beneficiaries: Vec<BeneficiaryJson>,
    delegation: Option<DelegationJson>,
    provenance: ProvenanceJson,
}

#[derive(Debug, Serialize)]
struct InsuredJson {
    nir: String,
    regime: String,
    fund: String,
    centre: String,
    management_code: String,
}

#[derive(Debug, Serialize)]
struct BeneficiaryJson {
    rank: u8,
    quality: u8,
    birth_name: String,
    usual_name: Option<String>,
    first_names: String,
    sex: String,
    birth_date: String,
    birth_date_lunar: bool,
    birth_rank: u8,
    ins: Option<InsJson>,
    complementary: Option<ComplementaryJson>,
}

#[derive(Debug, Serialize)]
struct InsJson {
    matricule: String,
    oid: &'static str,
    oid_kind: &'static str,
    birthplace: String,
}

#[derive(Debug, Serialize)]
struct ComplementaryJson {
    amc_number: String,
    guarantee: String,
    from: String,
    until: String,
    third_party_payment: bool,
}

#[derive(Debug, Serialize)]
struct DelegationJson {
    delegate_name: String,
    ranks: Vec<u8>,
    not_before: String,
    expires_at: String,
}

#[derive(Debug, Serialize)]
struct ProvenanceJson {
    issuer_kid: String,
    issuer_label: Option<String>,
    trust_list_sequence: u64,
    credential_id: String,
    credential_not_before: String,
    credential_expires_at: String,
    channel: &'static str,
    presented_at: String,
    presentation_expires_at: String,
    verified_at: String,
}

/// `YYYY-MM-DD` from the `YYYYMMDD` text (kept as is for lunar dates,
/// whose month or day may be `00` or out of range).
pub(crate) fn birth_date(d: &BirthDate) -> String {
    let s = d.as_str();
    match (s.get(0..4), s.get(4..6), s.get(6..8)) {
        (Some(y), Some(m), Some(day)) => format!("{y}-{m}-{day}"),
        _ => s.to_owned(),
    }
}

pub(crate) fn oid_kind(oid: InsOid) -> &'static str {
    match oid {
        InsOid::Nir => "nir",
        InsOid::Nia => "nia",
        InsOid::TestNir => "test",
        InsOid::DemoNir => "demo",
        _ => "other",
    }
}

fn channel(c: Channel) -> &'static str {
    match c {
        Channel::Qr => "qr",
        Channel::Nfc => "nfc",
        _ => "other",
    }
}

fn beneficiary_json(b: &Beneficiary, out: &Out) -> BeneficiaryJson {
    BeneficiaryJson {
        rank: b.rank().get(),
        quality: b.quality().get(),
        birth_name: b.birth_name().to_string(),
        usual_name: b.usual_name().map(ToString::to_string),
        first_names: b.first_names().to_string(),
        sex: b.sex().code().to_string(),
        birth_date: birth_date(b.birth_date()),
        birth_date_lunar: b.birth_date().is_lunar(),
        birth_rank: b.birth_rank().get(),
        ins: b.ins().map(|i| InsJson {
            matricule: out.nir(i.ins().matricule()),
            oid: i.ins().oid().as_str(),
            oid_kind: oid_kind(i.ins().oid()),
            birthplace: i.birthplace().as_str().to_owned(),
        }),
        complementary: b.complementary().map(|c| ComplementaryJson {
            amc_number: c.amc_number().as_str().to_owned(),
            guarantee: c.guarantee().as_str().to_owned(),
            from: date(c.validity().from()),
            until: date(c.validity().until()),
            third_party_payment: c.third_party_payment(),
        }),
    }
}

/// The card as JSON.
pub(crate) fn card_json(card: &VerifiedCard, out: &Out) -> CardJson {
    let insured = card.insured();
    let p = card.provenance();
    CardJson {
        insured: InsuredJson {
            nir: out.nir(insured.nir()),
            regime: insured.organisation().regime().to_owned(),
            fund: insured.organisation().fund().to_owned(),
            centre: insured.organisation().centre().to_owned(),
            management_code: insured.management_code().as_str().to_owned(),
        },
        beneficiaries: card
            .beneficiaries()
            .iter()
            .map(|b| beneficiary_json(b.data(), out))
            .collect(),
        delegation: card.delegation().map(|d| DelegationJson {
            delegate_name: d.delegate_name().to_string(),
            ranks: d.ranks().iter().map(|r| r.get()).collect(),
            not_before: rfc3339(d.validity().not_before()),
            expires_at: rfc3339(d.validity().expires_at()),
        }),
        provenance: ProvenanceJson {
            issuer_kid: hex(p.issuer_kid()),
            issuer_label: p.issuer_label().map(str::to_owned),
            trust_list_sequence: p.trust_list_sequence(),
            credential_id: hex(p.credential_id().as_bytes()),
            credential_not_before: rfc3339(p.credential_validity().not_before()),
            credential_expires_at: rfc3339(p.credential_validity().expires_at()),
            channel: channel(p.channel()),
            presented_at: rfc3339(p.presented_at()),
            presentation_expires_at: rfc3339(p.presentation_expires_at()),
            verified_at: rfc3339(p.verified_at()),
        },
    }
}

/// Pads `text` to `width` characters (not bytes: names have accents).
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

/// The card as text: insured person, beneficiaries table, delegation,
/// provenance.
pub(crate) fn card_text(card: &VerifiedCard, out: &Out) -> String {
    let json = card_json(card, out);
    let mut s = String::new();
    let i = &json.insured;
    let _ = writeln!(s, "Insured person (assuré)");
    let _ = writeln!(s, "  NIR               {}", i.nir);
    let _ = writeln!(
        s,
        "  Organisation      régime {} · caisse {} · centre {} · code de gestion {}",
        i.regime, i.fund, i.centre, i.management_code
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Beneficiaries (ayants droit): {}",
        json.beneficiaries.len()
    );
    let rows: Vec<[String; 6]> = json
        .beneficiaries
        .iter()
        .map(|b| {
            let name = match &b.usual_name {
                Some(usual) => format!("{usual} {} (born {})", b.first_names, b.birth_name),
                None => format!("{} {}", b.birth_name, b.first_names),
            };
            let born = if b.birth_date_lunar {
                format!("{} (lunar)", b.birth_date)
            } else {
                b.birth_date.clone()
            };
            let ins = match &b.ins {
                Some(ins) => format!(
                    "{} ({}, born in {})",
                    ins.matricule, ins.oid_kind, ins.birthplace
                ),
                None => "—".to_owned(),
            };
            [
                b.rank.to_string(),
                format!("{:02}", b.quality),
                name,
                b.sex.clone(),
                born,
                ins,
            ]
        })
        .collect();
    let header = ["rank", "qual.", "name", "sex", "born", "INS"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let text: Vec<String> = cells.iter().zip(widths).map(|(c, w)| pad(c, w)).collect();
        format!("  {}", text.join("  ").trim_end())
    };
    let _ = writeln!(s, "{}", line(&header.map(str::to_owned)));
    for row in &rows {
        let _ = writeln!(s, "{}", line(row));
    }
    for b in &json.beneficiaries {
        if let Some(c) = &b.complementary {
            let _ = writeln!(
                s,
                "  rank {}: AMC {} guarantee {} from {} until {}{}",
                b.rank,
                c.amc_number,
                c.guarantee,
                c.from,
                c.until,
                if c.third_party_payment {
                    ", third-party payment"
                } else {
                    ""
                }
            );
        }
    }
    if let Some(d) = &json.delegation {
        let ranks: Vec<String> = d.ranks.iter().map(u8::to_string).collect();
        let _ = writeln!(s);
        let _ = writeln!(s, "Delegation");
        let _ = writeln!(s, "  Delegate          {}", d.delegate_name);
        let _ = writeln!(s, "  Covered ranks     {}", ranks.join(", "));
        if let Some(v) = card.delegation().map(|d| d.validity()) {
            let _ = writeln!(
                s,
                "  Valid             {} → {}",
                readable(v.not_before()),
                readable(v.expires_at())
            );
        }
    }
    let p = card.provenance();
    let _ = writeln!(s);
    let _ = writeln!(s, "Provenance");
    let label = p
        .issuer_label()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "  Issuer key        {}{label}, trust list #{}",
        json.provenance.issuer_kid,
        p.trust_list_sequence()
    );
    let _ = writeln!(
        s,
        "  Channel           {}",
        json.provenance.channel.to_uppercase()
    );
    let _ = writeln!(
        s,
        "  Presented         {} (expires {})",
        readable(p.presented_at()),
        readable(p.presentation_expires_at())
    );
    let _ = writeln!(s, "  Verified at       {}", readable(p.verified_at()));
    let _ = writeln!(
        s,
        "  Credential        {} valid {} → {}",
        json.provenance.credential_id,
        readable(p.credential_validity().not_before()),
        readable(p.credential_validity().expires_at())
    );
    s
}
