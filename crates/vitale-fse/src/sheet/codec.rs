//! The care sheet's encodings: deterministic CBOR (RFC 8949 §4.2, the
//! signed form) and JSON (the same tree, for billing programs and humans).
//!
//! The CBOR is a map with text keys, in the core deterministic encoding
//! of `vitale_codec::cbor`; amounts are unsigned integers of cents, rates
//! basis points, dates `YYYY-MM-DD` text. [`CareSheet::from_cbor`] reads
//! it back through the same validation as the builder (every value in its
//! domain, every line's shares adding up to its fee, the totals equal to
//! the sums), so a decoded sheet re-encodes to the same bytes.

use time::Date;
use vitale_adri::{
    BillingNumber, CoverageReason, ProfessionalIdentity, Rpps, SolidarityCover, SpecialtyCode,
};
use vitale_codec::cbor::{self, Value};
use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, Rank};

use super::{CardRead, CareSheet, MAX_LINES, Practice, SheetPatient, totals};
use crate::Error;
use crate::act::Act;
use crate::money::{Cents, Rate};
use crate::numbering::InvoiceNumber;
use crate::pricing::{Deduction, Exemption, LineAmounts, Pathway, Profession, RateReason, Sector};
use crate::tariff::TariffZone;

/// Largest encoded sheet accepted (64 KiB).
pub const MAX_SHEET_BYTES: usize = 64 * 1024;
/// Deepest nesting of a sheet.
const MAX_DEPTH: usize = 6;
/// The encoding's version.
const VERSION: u64 = 1;

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}
fn uint(n: impl Into<u64>) -> Value {
    Value::Integer(n.into().into())
}
fn cents(c: Cents) -> Value {
    uint(c.get())
}
fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}

fn pathway_code(p: Pathway) -> &'static str {
    match p {
        Pathway::TreatingDoctor => "treating_doctor",
        Pathway::Referred => "referred",
        Pathway::DirectAccess => "direct_access",
        Pathway::Emergency => "emergency",
        Pathway::Outside => "outside",
    }
}
const PATHWAYS: [Pathway; 5] = [
    Pathway::TreatingDoctor,
    Pathway::Referred,
    Pathway::DirectAccess,
    Pathway::Emergency,
    Pathway::Outside,
];

fn profession_code(p: Profession) -> &'static str {
    match p {
        Profession::Physician => "physician",
        Profession::Auxiliary => "auxiliary",
    }
}
fn sector_code(s: Sector) -> &'static str {
    match s {
        Sector::One => "1",
        Sector::TwoOptam => "2-optam",
        Sector::Two => "2",
    }
}

fn reason_code(r: RateReason) -> String {
    match r {
        RateReason::Pathway => "pathway".into(),
        RateReason::OutsidePathway => "outside_pathway".into(),
        RateReason::Auxiliary => "auxiliary".into(),
        RateReason::Coverage(c) => format!("coverage:{}", c.code()),
        RateReason::Ame => "ame".into(),
    }
}
fn parse_reason(s: &str) -> Option<RateReason> {
    Some(match s {
        "pathway" => RateReason::Pathway,
        "outside_pathway" => RateReason::OutsidePathway,
        "auxiliary" => RateReason::Auxiliary,
        "ame" => RateReason::Ame,
        other => RateReason::Coverage(CoverageReason::from_code(other.strip_prefix("coverage:")?)?),
    })
}

fn exemption_code(e: Exemption) -> String {
    match e {
        Exemption::Profession => "profession".into(),
        Exemption::Minor => "minor".into(),
        Exemption::Maternity => "maternity".into(),
        Exemption::Solidarity(s) => format!("solidarity:{}", s.code()),
    }
}
fn parse_exemption(s: &str) -> Option<Exemption> {
    Some(match s {
        "profession" => Exemption::Profession,
        "minor" => Exemption::Minor,
        "maternity" => Exemption::Maternity,
        other => Exemption::Solidarity(SolidarityCover::from_code(
            other.strip_prefix("solidarity:")?,
        )?),
    })
}

fn deduction(d: &Deduction) -> Value {
    match d {
        Deduction::Applied {
            count,
            amount,
            source,
        } => map(vec![
            ("count", uint(*count as u64)),
            ("amount", cents(*amount)),
            ("source", text(source)),
        ]),
        Deduction::Exempt(e) => map(vec![("exempt", text(&exemption_code(*e)))]),
    }
}

impl CareSheet {
    /// The sheet as a CBOR value tree (the JSON form is the same tree).
    fn to_value(&self) -> Value {
        let p = &self.practice;
        let mut professional = vec![
            ("billing_number", text(p.identity.billing_number().as_str())),
            ("specialty", text(p.identity.specialty().as_str())),
            ("profession", text(profession_code(p.profession))),
            ("sector", text(sector_code(p.sector))),
            ("zone", text(p.zone.as_str())),
        ];
        if let Some(rpps) = p.identity.rpps() {
            professional.push(("rpps", text(rpps.as_str())));
        }
        let card = match &self.card {
            CardRead::Offline {
                issuer_kid,
                credential_id,
                presented_at,
                presentation_digest,
            } => map(vec![
                ("kind", text("offline")),
                ("issuer_kid", Value::Bytes(issuer_kid.to_vec())),
                ("credential_id", Value::Bytes(credential_id.clone())),
                ("presented_at", text(presented_at)),
                (
                    "presentation_digest",
                    Value::Bytes(presentation_digest.to_vec()),
                ),
            ]),
            CardRead::Online {
                context_id,
                service,
            } => map(vec![
                ("kind", text("online")),
                ("context_id", text(context_id)),
                ("service", text(service)),
            ]),
        };
        let lines = self
            .lines
            .iter()
            .map(|l| {
                map(vec![
                    ("act", text(&l.act.to_string())),
                    ("unit_price", cents(l.unit_price)),
                    ("base", cents(l.base)),
                    ("extra_fee", cents(l.extra_fee)),
                    ("fee", cents(l.fee)),
                    ("amo_rate", uint(l.amo_rate.basis_points())),
                    ("rate_reason", text(&reason_code(l.rate_reason))),
                    ("amo", cents(l.amo)),
                    ("amc", cents(l.amc)),
                    ("patient", cents(l.patient)),
                    ("source", text(&l.tariff_source)),
                ])
            })
            .collect();
        let t = &self.totals;
        map(vec![
            ("v", uint(VERSION)),
            ("number", uint(self.number.get())),
            ("professional", map(professional)),
            ("date", text(&self.date.to_string())),
            (
                "patient",
                map(vec![
                    ("insured_nir", text(self.patient.insured_nir.as_str())),
                    ("rank", uint(self.patient.rank.get())),
                    ("birth_date", text(self.patient.birth_date.as_str())),
                    ("birth_rank", uint(self.patient.birth_rank.get())),
                ]),
            ),
            ("card", card),
            ("pathway", text(pathway_code(self.pathway))),
            ("lines", Value::Array(lines)),
            ("participation", deduction(&self.participation)),
            ("franchise", deduction(&self.franchise)),
            (
                "third_party",
                map(vec![
                    ("amo", Value::Bool(self.third_party_amo)),
                    ("amc", Value::Bool(self.third_party_amc)),
                ]),
            ),
            (
                "totals",
                map(vec![
                    ("fee", cents(t.fee)),
                    ("base", cents(t.base)),
                    ("amo", cents(t.amo)),
                    ("amc", cents(t.amc)),
                    ("patient", cents(t.patient)),
                    ("participation", cents(t.participation)),
                    ("franchise", cents(t.franchise)),
                    ("amo_net", cents(t.amo_net)),
                    ("paid_at_desk", cents(t.paid_at_desk)),
                ]),
            ),
        ])
    }

    /// The signed form: deterministic CBOR (RFC 8949 §4.2).
    pub fn to_cbor(&self) -> Vec<u8> {
        // Only integers, text, bytes, booleans, arrays and maps with
        // distinct text keys: the encoder cannot refuse this tree.
        cbor::encode(&self.to_value()).unwrap_or_default()
    }

    /// The same tree as JSON (keys sorted, bytes as lower-case hex). **It
    /// carries the patient's NIR and birth date in clear**: for the billing
    /// program, never for logs.
    pub fn to_json(&self) -> String {
        json(&self.to_value()).to_string()
    }

    /// Reads a sheet from its CBOR form (at most [`MAX_SHEET_BYTES`]), with
    /// every check of the builder's output: no unknown field, every value
    /// in its domain, acts in canonical text, each AMO share equal to base
    /// × rate, each line's shares adding up to its fee, and the totals
    /// equal to the sums. A decoded sheet re-encodes to the same bytes.
    ///
    /// # Errors
    /// [`Error::Encoding`] naming what is wrong; [`Error::InconsistentAmounts`]
    /// when amounts do not add up.
    pub fn from_cbor(bytes: &[u8]) -> Result<CareSheet, Error> {
        let value = cbor::decode(bytes, MAX_SHEET_BYTES, MAX_DEPTH)
            .map_err(|_| Error::Encoding("not deterministic CBOR within the limits"))?;
        let sheet = Fields::of(&value, "sheet")?;
        if sheet.uint("v")? != VERSION {
            return Err(Error::Encoding("unknown version"));
        }
        let number = u32::try_from(sheet.uint("number")?)
            .ok()
            .and_then(InvoiceNumber::new)
            .ok_or(Error::Encoding("number"))?;
        let p = Fields::of(sheet.get("professional")?, "professional")?;
        let billing = BillingNumber::parse(p.text("billing_number")?)
            .map_err(|_| Error::Encoding("billing_number"))?;
        let specialty =
            SpecialtyCode::parse(p.text("specialty")?).map_err(|_| Error::Encoding("specialty"))?;
        let rpps = match p.opt("rpps") {
            Some(_) => Some(Rpps::parse(p.text("rpps")?).map_err(|_| Error::Encoding("rpps"))?),
            None => None,
        };
        let profession = [Profession::Physician, Profession::Auxiliary]
            .into_iter()
            .find(|x| profession_code(*x) == p.text("profession").unwrap_or(""))
            .ok_or(Error::Encoding("profession"))?;
        let sector = [Sector::One, Sector::TwoOptam, Sector::Two]
            .into_iter()
            .find(|x| sector_code(*x) == p.text("sector").unwrap_or(""))
            .ok_or(Error::Encoding("sector"))?;
        let zone = TariffZone::parse(p.text("zone")?).ok_or(Error::Encoding("zone"))?;
        p.only(&[
            "billing_number",
            "specialty",
            "rpps",
            "profession",
            "sector",
            "zone",
        ])?;
        let practice = Practice {
            identity: ProfessionalIdentity::new(billing, specialty).with_rpps(rpps),
            profession,
            sector,
            zone,
        };
        let date = parse_date(sheet.text("date")?)?;
        let pa = Fields::of(sheet.get("patient")?, "patient")?;
        pa.only(&["insured_nir", "rank", "birth_date", "birth_rank"])?;
        let patient = SheetPatient {
            insured_nir: Nir::parse(pa.text("insured_nir")?)
                .map_err(|_| Error::Encoding("insured_nir"))?,
            rank: small(pa.uint("rank")?)
                .and_then(Rank::new)
                .ok_or(Error::Encoding("rank"))?,
            birth_date: BirthDate::parse(pa.text("birth_date")?)
                .map_err(|_| Error::Encoding("birth_date"))?,
            birth_rank: small(pa.uint("birth_rank")?)
                .and_then(BirthRank::new)
                .ok_or(Error::Encoding("birth_rank"))?,
        };
        let card = read_card(sheet.get("card")?)?;
        let pathway = PATHWAYS
            .into_iter()
            .find(|x| pathway_code(*x) == sheet.text("pathway").unwrap_or(""))
            .ok_or(Error::Encoding("pathway"))?;
        let Value::Array(items) = sheet.get("lines")? else {
            return Err(Error::Encoding("lines"));
        };
        if items.is_empty() || items.len() > MAX_LINES {
            return Err(Error::Encoding("number of lines"));
        }
        let lines = items.iter().map(read_line).collect::<Result<Vec<_>, _>>()?;
        let participation = read_deduction(sheet.get("participation")?)?;
        let franchise = read_deduction(sheet.get("franchise")?)?;
        let tp = Fields::of(sheet.get("third_party")?, "third_party")?;
        tp.only(&["amo", "amc"])?;
        let (third_party_amo, third_party_amc) = (tp.bool("amo")?, tp.bool("amc")?);
        sheet.only(&[
            "v",
            "number",
            "professional",
            "date",
            "patient",
            "card",
            "pathway",
            "lines",
            "participation",
            "franchise",
            "third_party",
            "totals",
        ])?;
        let expected = totals(
            &lines,
            &participation,
            &franchise,
            third_party_amo,
            third_party_amc,
        )?;
        let t = Fields::of(sheet.get("totals")?, "totals")?;
        let names = [
            "fee",
            "base",
            "amo",
            "amc",
            "patient",
            "participation",
            "franchise",
            "amo_net",
            "paid_at_desk",
        ];
        t.only(&names)?;
        let want = [
            expected.fee,
            expected.base,
            expected.amo,
            expected.amc,
            expected.patient,
            expected.participation,
            expected.franchise,
            expected.amo_net,
            expected.paid_at_desk,
        ];
        for (name, value) in names.iter().zip(want) {
            if t.cents(name)? != value {
                return Err(Error::InconsistentAmounts);
            }
        }
        Ok(CareSheet {
            number,
            practice,
            date,
            patient,
            card,
            pathway,
            lines,
            participation,
            franchise,
            third_party_amo,
            third_party_amc,
            totals: expected,
        })
    }
}

fn small(n: u64) -> Option<u8> {
    u8::try_from(n).ok()
}

fn parse_date(s: &str) -> Result<Date, Error> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format)
        .ok()
        .filter(|d| d.to_string() == s)
        .ok_or(Error::Encoding("date"))
}

fn read_card(v: &Value) -> Result<CardRead, Error> {
    let c = Fields::of(v, "card")?;
    match c.text("kind")? {
        "offline" => {
            c.only(&[
                "kind",
                "issuer_kid",
                "credential_id",
                "presented_at",
                "presentation_digest",
            ])?;
            let kid: [u8; 8] = c
                .bytes("issuer_kid")?
                .try_into()
                .map_err(|_| Error::Encoding("issuer_kid"))?;
            let id = c.bytes("credential_id")?;
            if id.is_empty() || id.len() > 64 {
                return Err(Error::Encoding("credential_id"));
            }
            let at = c.text("presented_at")?;
            vitale_model::Timestamp::parse_rfc3339(at).ok_or(Error::Encoding("presented_at"))?;
            let digest: [u8; 32] = c
                .bytes("presentation_digest")?
                .try_into()
                .map_err(|_| Error::Encoding("presentation_digest"))?;
            Ok(CardRead::Offline {
                issuer_kid: kid,
                credential_id: id.to_vec(),
                presented_at: at.to_owned(),
                presentation_digest: digest,
            })
        }
        "online" => {
            c.only(&["kind", "context_id", "service"])?;
            let id = c.text("context_id")?;
            vitale_verify::token::ContextId::new(id).ok_or(Error::Encoding("context_id"))?;
            let service = c.text("service")?;
            if service.is_empty() || service.len() > 128 {
                return Err(Error::Encoding("service"));
            }
            Ok(CardRead::Online {
                context_id: id.to_owned(),
                service: service.to_owned(),
            })
        }
        _ => Err(Error::Encoding("card kind")),
    }
}

fn read_line(v: &Value) -> Result<LineAmounts, Error> {
    let l = Fields::of(v, "line")?;
    l.only(&[
        "act",
        "unit_price",
        "base",
        "extra_fee",
        "fee",
        "amo_rate",
        "rate_reason",
        "amo",
        "amc",
        "patient",
        "source",
    ])?;
    let act: Act = l.text("act")?.parse().map_err(|_| Error::Encoding("act"))?;
    if act.to_string() != l.text("act")? {
        return Err(Error::Encoding("act not in canonical form"));
    }
    let rate = u16::try_from(l.uint("amo_rate")?)
        .ok()
        .and_then(Rate::from_basis_points)
        .ok_or(Error::Encoding("amo_rate"))?;
    let source = l.text("source")?;
    if source.is_empty() || source.len() > crate::tariff::MAX_SOURCE {
        return Err(Error::Encoding("source"));
    }
    let line = LineAmounts {
        act,
        unit_price: l.cents("unit_price")?,
        base: l.cents("base")?,
        extra_fee: l.cents("extra_fee")?,
        fee: l.cents("fee")?,
        amo_rate: rate,
        rate_reason: parse_reason(l.text("rate_reason")?).ok_or(Error::Encoding("rate_reason"))?,
        amo: l.cents("amo")?,
        amc: l.cents("amc")?,
        patient: l.cents("patient")?,
        tariff_source: source.to_owned(),
    };
    if line.base.percent(line.amo_rate) != line.amo {
        return Err(Error::InconsistentAmounts);
    }
    Ok(line)
}

fn read_deduction(v: &Value) -> Result<Deduction, Error> {
    let d = Fields::of(v, "deduction")?;
    if d.opt("exempt").is_some() {
        d.only(&["exempt"])?;
        return parse_exemption(d.text("exempt")?)
            .map(Deduction::Exempt)
            .ok_or(Error::Encoding("exempt"));
    }
    d.only(&["count", "amount", "source"])?;
    let count = usize::try_from(d.uint("count")?)
        .ok()
        .filter(|c| *c <= MAX_LINES)
        .ok_or(Error::Encoding("count"))?;
    let source = d.text("source")?;
    if source.is_empty() || source.len() > crate::tariff::MAX_SOURCE {
        return Err(Error::Encoding("source"));
    }
    Ok(Deduction::Applied {
        count,
        amount: d.cents("amount")?,
        source: source.to_owned(),
    })
}

/// A CBOR map with text keys, read field by field.
struct Fields<'a>(&'a [(Value, Value)]);

impl<'a> Fields<'a> {
    fn of(v: &'a Value, what: &'static str) -> Result<Self, Error> {
        match v {
            Value::Map(entries) => Ok(Fields(entries)),
            _ => Err(Error::Encoding(what)),
        }
    }
    fn opt(&self, key: &str) -> Option<&'a Value> {
        self.0
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
            .map(|(_, v)| v)
    }
    fn get(&self, key: &'static str) -> Result<&'a Value, Error> {
        self.opt(key).ok_or(Error::Encoding(key))
    }
    fn text(&self, key: &'static str) -> Result<&'a str, Error> {
        match self.get(key)? {
            Value::Text(t) => Ok(t),
            _ => Err(Error::Encoding(key)),
        }
    }
    fn bytes(&self, key: &'static str) -> Result<&'a [u8], Error> {
        match self.get(key)? {
            Value::Bytes(b) => Ok(b),
            _ => Err(Error::Encoding(key)),
        }
    }
    fn uint(&self, key: &'static str) -> Result<u64, Error> {
        match self.get(key)? {
            Value::Integer(i) => u64::try_from(*i).map_err(|_| Error::Encoding(key)),
            _ => Err(Error::Encoding(key)),
        }
    }
    fn bool(&self, key: &'static str) -> Result<bool, Error> {
        match self.get(key)? {
            Value::Bool(b) => Ok(*b),
            _ => Err(Error::Encoding(key)),
        }
    }
    fn cents(&self, key: &'static str) -> Result<Cents, Error> {
        u32::try_from(self.uint(key)?)
            .ok()
            .and_then(Cents::new)
            .ok_or(Error::Encoding(key))
    }
    /// Refuses keys not in `known` (every known key is read by the caller).
    fn only(&self, known: &[&str]) -> Result<(), Error> {
        let ok = self
            .0
            .iter()
            .all(|(k, _)| matches!(k, Value::Text(t) if known.contains(&t.as_str())));
        if ok {
            Ok(())
        } else {
            Err(Error::Encoding("unknown field"))
        }
    }
}

/// The tree as JSON: maps with text keys become objects, bytes hex text.
fn json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Integer(i) => u64::try_from(*i).map_or(J::Null, |n| J::Number(n.into())),
        Value::Text(t) => J::String(t.clone()),
        Value::Bytes(b) => J::String(vitale_codec::hex::encode(b)),
        Value::Bool(b) => J::Bool(*b),
        Value::Array(items) => J::Array(items.iter().map(json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .filter_map(|(k, v)| match k {
                    Value::Text(k) => Some((k.clone(), json(v))),
                    _ => None,
                })
                .collect(),
        ),
        _ => J::Null,
    }
}
