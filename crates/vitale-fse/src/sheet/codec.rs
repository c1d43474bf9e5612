//! The care sheet's encodings: deterministic CBOR (RFC 8949 §4.2, the
//! signed form) and JSON (the same tree, for billing programs and humans).
//!
//! The CBOR is a map with text keys, in the core deterministic encoding
//! of `vitale_codec::cbor`; amounts are unsigned integers of cents, rates
//! basis points, dates `YYYY-MM-DD` text. [`CareSheet::from_cbor`] reads
//! it back through the same validation as the builder (every value in its
//! domain, every line's shares adding up to its fee, the totals equal to
//! the sums), so a decoded sheet re-encodes to the same bytes.
//!
//! This file writes the tree and reads its top level; `codes` holds the
//! text codes of the enumerations, `read` the readers of its parts.

use time::Date;
use vitale_adri::{BillingNumber, ProfessionalIdentity, Rpps, SpecialtyCode};
use vitale_codec::cbor::{self, Value};
use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, Rank};

use super::{CardRead, CareSheet, MAX_LINES, Practice, SheetPatient, totals};
use crate::Error;
use crate::money::Cents;
use crate::numbering::InvoiceNumber;
use crate::pricing::{Deduction, Profession, Sector};
use crate::tariff::TariffZone;

mod codes;
mod read;

use codes::{PATHWAYS, exemption_code, pathway_code, profession_code, reason_code, sector_code};
use read::{Fields, read_card, read_deduction, read_line};

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
