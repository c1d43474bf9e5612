//! The lot's deterministic CBOR and its strict decoder.

use sha2::{Digest, Sha256};
use vitale_adri::BillingNumber;
use vitale_codec::cbor::{self, Value};
use vitale_model::DateRange;

use super::{Lot, LotNumber, LotSummary, LotTotals};
use crate::Error;
use crate::fields::{self, Field, Fields};
use crate::numbering::InvoiceNumber;

/// Largest lot CBOR accepted (8 KiB; a full lot of 50 sheets takes 2.0 to
/// 2.2 KiB, depending on the invoice numbers' size).
pub const MAX_LOT_BYTES: usize = 8 * 1024;
/// Deepest nesting: the map, `sheets`, one entry.
const MAX_DEPTH: usize = 3;
/// The encoding's version.
const VERSION: u64 = 1;

/// One sheet of a lot, as the lot's CBOR lists it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct LotEntry {
    /// The sheet's invoice number.
    pub invoice: InvoiceNumber,
    /// SHA-256 of the signed sheet's CBOR, signature included
    /// ([`super::signed_digest`]).
    pub digest: [u8; 32],
}

/// What a lot's CBOR holds: its summary and its sheets' numbers and
/// digests. [`Lot::manifest`] gives it; [`LotManifest::from_cbor`] reads
/// it (a receiver that has the bytes but not the sheets); [`Lot::from_cbor`]
/// puts the lot back together with its sheets.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LotManifest {
    summary: LotSummary,
    entries: Vec<LotEntry>,
}

impl LotManifest {
    pub(super) fn new(summary: LotSummary, entries: Vec<LotEntry>) -> Self {
        LotManifest { summary, entries }
    }

    /// The summary.
    pub fn summary(&self) -> &LotSummary {
        &self.summary
    }

    /// The sheets, in increasing invoice-number order.
    pub fn entries(&self) -> &[LotEntry] {
        &self.entries
    }

    /// Deterministic CBOR (RFC 8949 §4.2): see the [module](super).
    pub fn to_cbor(&self) -> Vec<u8> {
        let s = &self.summary;
        let t = &s.totals;
        let count = u64::try_from(s.count).unwrap_or(u64::MAX);
        let sheets = self
            .entries
            .iter()
            .map(|e| {
                Value::Array(vec![
                    fields::uint_value(e.invoice.get()),
                    Value::Bytes(e.digest.to_vec()),
                ])
            })
            .collect();
        let value = fields::map(vec![
            ("v", fields::uint_value(VERSION)),
            ("number", fields::uint_value(s.number.get())),
            ("professional", fields::text(s.professional.as_str())),
            ("first_date", fields::date(s.dates.from())),
            ("last_date", fields::date(s.dates.until())),
            ("count", fields::uint_value(count)),
            (
                "totals",
                fields::map(vec![
                    ("fee", fields::cents(t.fee)),
                    ("amo", fields::cents(t.amo)),
                    ("amc", fields::cents(t.amc)),
                    ("patient", fields::cents(t.patient)),
                    ("participation", fields::cents(t.participation)),
                    ("paid_at_desk", fields::cents(t.paid_at_desk)),
                ]),
            ),
            ("sheets", Value::Array(sheets)),
        ]);
        // Only unsigned integers, text, bytes, arrays and maps with distinct
        // text keys: the encoder cannot refuse this tree.
        cbor::encode(&value).unwrap_or_default()
    }

    /// SHA-256 of [`LotManifest::to_cbor`] (equal to [`Lot::digest`]).
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.to_cbor()).into()
    }

    /// Reads a lot's CBOR, strictly: at most [`MAX_LOT_BYTES`], core
    /// deterministic encoding, no unknown field, version 1, every value in
    /// its domain, 1 to [`Lot::MAX_SHEETS`] sheets in strictly increasing
    /// invoice-number order and as many as `count` says, dates in order,
    /// and totals that can be the sums of sheets (AMO + AMC + patient =
    /// fee, paid at the desk at most the fee). A manifest that decodes
    /// re-encodes to the same bytes.
    ///
    /// # Errors
    /// [`Error::LotMalformed`] naming what is wrong.
    pub fn from_cbor(bytes: &[u8]) -> Result<LotManifest, Error> {
        let value = cbor::decode(bytes, MAX_LOT_BYTES, MAX_DEPTH)
            .map_err(|_| Error::LotMalformed("not deterministic CBOR within the limits"))?;
        read(&value).map_err(Error::LotMalformed)
    }
}

fn read(value: &Value) -> Result<LotManifest, Field> {
    let lot = Fields::of(value, "lot")?;
    lot.only(&[
        "v",
        "number",
        "professional",
        "first_date",
        "last_date",
        "count",
        "totals",
        "sheets",
    ])?;
    if lot.uint("v")? != VERSION {
        return Err("unknown version");
    }
    let number = u16::try_from(lot.uint("number")?)
        .ok()
        .and_then(LotNumber::new)
        .ok_or("number")?;
    let professional =
        BillingNumber::parse(lot.text("professional")?).map_err(|_| "professional")?;
    // `BillingNumber::parse` ignores spaces: keep one spelling per value.
    if professional.as_str() != lot.text("professional")? {
        return Err("professional");
    }
    let dates = DateRange::new(lot.date("first_date")?, lot.date("last_date")?)
        .ok_or("dates out of order")?;
    let items = lot.array("sheets")?;
    if items.is_empty() || items.len() > Lot::MAX_SHEETS {
        return Err("number of sheets");
    }
    let count = usize::try_from(lot.uint("count")?).map_err(|_| "count")?;
    if count != items.len() {
        return Err("count");
    }
    let mut entries: Vec<LotEntry> = Vec::with_capacity(items.len());
    for item in items {
        let entry = read_entry(item)?;
        if entries.last().is_some_and(|e| entry.invoice <= e.invoice) {
            return Err("sheets not in increasing invoice-number order");
        }
        entries.push(entry);
    }
    let t = Fields::of(lot.get("totals")?, "totals")?;
    t.only(&[
        "fee",
        "amo",
        "amc",
        "patient",
        "participation",
        "paid_at_desk",
    ])?;
    let totals = LotTotals {
        fee: t.cents("fee")?,
        amo: t.cents("amo")?,
        amc: t.cents("amc")?,
        patient: t.cents("patient")?,
        participation: t.cents("participation")?,
        paid_at_desk: t.cents("paid_at_desk")?,
    };
    let shares = totals
        .amo
        .checked_add(totals.amc)
        .and_then(|s| s.checked_add(totals.patient));
    if shares != Some(totals.fee) || totals.paid_at_desk > totals.fee {
        return Err("totals do not add up");
    }
    Ok(LotManifest {
        summary: LotSummary {
            number,
            professional,
            dates,
            count,
            totals,
        },
        entries,
    })
}

fn read_entry(item: &Value) -> Result<LotEntry, Field> {
    let Value::Array(pair) = item else {
        return Err("sheet entry");
    };
    let [number, Value::Bytes(digest)] = pair.as_slice() else {
        return Err("sheet entry");
    };
    let invoice = fields::uint(number)
        .and_then(|n| u32::try_from(n).ok())
        .and_then(InvoiceNumber::new)
        .ok_or("sheet invoice number")?;
    let digest = <[u8; 32]>::try_from(digest.as_slice()).map_err(|_| "sheet digest")?;
    Ok(LotEntry { invoice, digest })
}
