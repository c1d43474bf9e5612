//! The receipt's payload: deterministic CBOR and its strict decoder.

use vitale_adri::{BillingNumber, SpecialtyCode};
use vitale_codec::cbor::{self, Value};
use vitale_model::{Rank, Timestamp};

use super::{Receipt, ReceiptLine, ReceiptTotals, shown_until, signed_in_time};
use crate::Error;
use crate::act::Act;
use crate::fields::{self, Field, Fields};
use crate::money::Rate;
use crate::numbering::InvoiceNumber;
use crate::sheet::MAX_LINES;

/// Largest receipt payload accepted (8 KiB; a receipt of
/// [`crate::sheet::MAX_LINES`] acts takes under 3 KiB, a consultation
/// about 370 bytes).
pub const MAX_RECEIPT_BYTES: usize = 8 * 1024;
/// Largest signed receipt accepted: the payload and the COSE envelope.
pub const MAX_SIGNED_RECEIPT_BYTES: usize = MAX_RECEIPT_BYTES + 256;
/// Deepest nesting: the map, `lines`, one line.
const MAX_DEPTH: usize = 3;
/// The encoding's version.
const VERSION: u64 = 1;

const TOTALS: [&str; 7] = [
    "fee",
    "amo",
    "amc",
    "patient",
    "paid_at_desk",
    "amo_reimbursement",
    "amc_reimbursement",
];

fn total_values(t: &ReceiptTotals) -> [crate::Cents; 7] {
    [
        t.fee,
        t.amo,
        t.amc,
        t.patient,
        t.paid_at_desk,
        t.amo_reimbursement,
        t.amc_reimbursement,
    ]
}

impl Receipt {
    /// The payload: deterministic CBOR (RFC 8949 §4.2), see the
    /// [module](super).
    pub fn to_cbor(&self) -> Vec<u8> {
        let lines = self
            .lines
            .iter()
            .map(|l| {
                fields::map(vec![
                    ("act", fields::text(&l.act.to_string())),
                    ("fee", fields::cents(l.fee)),
                    ("amo_rate", fields::uint_value(l.amo_rate.basis_points())),
                    ("amo", fields::cents(l.amo)),
                    ("amc", fields::cents(l.amc)),
                    ("patient", fields::cents(l.patient)),
                ])
            })
            .collect();
        let totals = TOTALS
            .iter()
            .zip(total_values(&self.totals))
            .map(|(k, v)| (*k, fields::cents(v)))
            .collect();
        let value = fields::map(vec![
            ("v", fields::uint_value(VERSION)),
            ("invoice", fields::uint_value(self.invoice.get())),
            ("date", fields::date(self.date)),
            ("valid_until", fields::date(self.valid_until)),
            ("issued_at", fields::uint_value(self.issued_at.unix())),
            (
                "professional",
                fields::map(vec![
                    ("billing_number", fields::text(self.professional.as_str())),
                    ("specialty", fields::text(self.specialty.as_str())),
                ]),
            ),
            ("rank", fields::uint_value(self.rank.get())),
            ("lines", Value::Array(lines)),
            ("participation", fields::cents(self.participation)),
            ("franchise", fields::cents(self.franchise)),
            (
                "third_party",
                fields::map(vec![
                    ("amo", Value::Bool(self.third_party_amo)),
                    ("amc", Value::Bool(self.third_party_amc)),
                ]),
            ),
            ("totals", fields::map(totals)),
            ("sheet_digest", Value::Bytes(self.sheet_digest.to_vec())),
        ]);
        // Only unsigned integers, text, bytes, booleans, arrays and maps
        // with distinct text keys: the encoder cannot refuse this tree.
        cbor::encode(&value).unwrap_or_default()
    }

    /// Reads a payload, strictly: at most [`MAX_RECEIPT_BYTES`], core
    /// deterministic encoding, no unknown field, version 1, every value in
    /// its domain, signed no earlier than the UTC day before the date of
    /// care, each line's shares adding up to its fee, the totals
    /// equal to what the lines and third-party payment give, `valid_until`
    /// the date of care plus [`Receipt::SHOWN_DAYS`]. A payload that
    /// decodes re-encodes to the same bytes. The signature is not this
    /// function's business: [`Receipt::verify`] calls it once the
    /// signature verified.
    pub(crate) fn from_cbor(bytes: &[u8]) -> Result<Receipt, Error> {
        let value = cbor::decode(bytes, MAX_RECEIPT_BYTES, MAX_DEPTH)
            .map_err(|_| Error::ReceiptMalformed("not deterministic CBOR within the limits"))?;
        read(&value).map_err(Error::ReceiptMalformed)
    }
}

fn read(value: &Value) -> Result<Receipt, Field> {
    let r = Fields::of(value, "receipt")?;
    r.only(&[
        "v",
        "invoice",
        "date",
        "valid_until",
        "issued_at",
        "professional",
        "rank",
        "lines",
        "participation",
        "franchise",
        "third_party",
        "totals",
        "sheet_digest",
    ])?;
    if r.uint("v")? != VERSION {
        return Err("unknown version");
    }
    let invoice = u32::try_from(r.uint("invoice")?)
        .ok()
        .and_then(InvoiceNumber::new)
        .ok_or("invoice")?;
    let date = r.date("date")?;
    let valid_until = r.date("valid_until")?;
    if shown_until(date) != Some(valid_until) {
        return Err("valid_until");
    }
    let issued_at = Timestamp::from_unix(r.uint("issued_at")?)
        .filter(|at| signed_in_time(date, *at))
        .ok_or("issued_at")?;
    let p = Fields::of(r.get("professional")?, "professional")?;
    p.only(&["billing_number", "specialty"])?;
    let billing = p.text("billing_number")?;
    let professional = BillingNumber::parse(billing)
        .ok()
        .filter(|b| b.as_str() == billing)
        .ok_or("billing_number")?;
    let specialty = SpecialtyCode::parse(p.text("specialty")?).map_err(|_| "specialty")?;
    let rank = u8::try_from(r.uint("rank")?)
        .ok()
        .and_then(Rank::new)
        .ok_or("rank")?;
    let items = r.array("lines")?;
    if items.is_empty() || items.len() > MAX_LINES {
        return Err("number of lines");
    }
    let lines = items.iter().map(read_line).collect::<Result<Vec<_>, _>>()?;
    let participation = r.cents("participation")?;
    let franchise = r.cents("franchise")?;
    let tp = Fields::of(r.get("third_party")?, "third_party")?;
    tp.only(&["amo", "amc"])?;
    let (third_party_amo, third_party_amc) = (tp.bool("amo")?, tp.bool("amc")?);
    let totals = ReceiptTotals::of(&lines, participation, third_party_amo, third_party_amc)
        .ok_or("amounts do not add up")?;
    let t = Fields::of(r.get("totals")?, "totals")?;
    t.only(&TOTALS)?;
    for (name, want) in TOTALS.iter().zip(total_values(&totals)) {
        if t.cents(name)? != want {
            return Err("totals do not add up");
        }
    }
    let sheet_digest =
        <[u8; 32]>::try_from(r.bytes("sheet_digest")?).map_err(|_| "sheet_digest")?;
    Ok(Receipt {
        invoice,
        date,
        valid_until,
        issued_at,
        professional,
        specialty,
        rank,
        lines,
        participation,
        franchise,
        third_party_amo,
        third_party_amc,
        totals,
        sheet_digest,
    })
}

fn read_line(v: &Value) -> Result<ReceiptLine, Field> {
    let l = Fields::of(v, "line")?;
    l.only(&["act", "fee", "amo_rate", "amo", "amc", "patient"])?;
    let text = l.text("act")?;
    if text.len() > crate::act::MAX_ACT_TEXT {
        return Err("act");
    }
    let act: Act = text.parse().map_err(|_| "act")?;
    if act.to_string() != text {
        return Err("act not in canonical form");
    }
    let amo_rate = u16::try_from(l.uint("amo_rate")?)
        .ok()
        .and_then(Rate::from_basis_points)
        .ok_or("amo_rate")?;
    Ok(ReceiptLine {
        act,
        fee: l.cents("fee")?,
        amo_rate,
        amo: l.cents("amo")?,
        amc: l.cents("amc")?,
        patient: l.cents("patient")?,
    })
}
