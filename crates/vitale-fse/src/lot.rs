//! Lots (*lots de FSE*): a professional's signed care sheets grouped for
//! sending, at most [`Lot::MAX_SHEETS`] to a lot, numbered, with a summary
//! and a digest.
//!
//! A lot holds [`SignedSheet`]s of **one** professional (one billing
//! number, *n° AM*), in increasing invoice-number order, no number twice,
//! at most 50 of them — the cap that public FSE engine configuration puts
//! on a lot of invoices. The official SESAM-Vitale lot format is not
//! public; this module is the SDK's own.
//!
//! Build one with a [`LotBuilder`] ([`LotBuilder::push`] refuses a sheet
//! that breaks a rule and leaves the builder as it was), or let [`group`]
//! split any number of sheets into lots per professional. The lot number
//! ([`LotNumber`], 1 to 999, a cycle per professional, see [`numbers`]) is
//! taken **last**, by [`LotBuilder::close`], once every rule passed.
//!
//! The lot's deterministic CBOR ([`Lot::to_cbor`], RFC 8949 §4.2, read back
//! by [`LotManifest::from_cbor`]) is its [`LotSummary`] and, for each
//! sheet, its invoice number and the SHA-256 of the signed sheet's CBOR
//! ([`signed_digest`]: over [`SignedSheet::to_cbor`], the sheet **and** its
//! signature): the lot's SHA-256, [`Lot::digest`], thus covers every byte
//! of every signed sheet without repeating them.
//!
//! ```text
//! { "v": 1, "number": 7, "professional": "751234567",
//!   "first_date": "2026-01-05", "last_date": "2026-01-09", "count": 2,
//!   "totals": { "fee": 6000, "amo": 4200, "amc": 0, "patient": 1800,
//!               "participation": 400, "paid_at_desk": 6000 },
//!   "sheets": [[41, h'…32 bytes…'], [42, h'…32 bytes…']] }
//! ```
//!
//! A lot does not check the sheets' signatures (it holds no key): verify
//! each sheet ([`SignedSheet::verify`]) before putting it in a lot.

use sha2::{Digest, Sha256};
use time::Date;
use vitale_adri::BillingNumber;
use vitale_model::DateRange;

use crate::numbering::InvoiceNumber;
use crate::signing::SignedSheet;
use crate::{Cents, Error};

mod codec;
pub mod numbers;

pub use codec::{LotEntry, LotManifest, MAX_LOT_BYTES};
pub use numbers::{LotNumber, LotNumberingError, LotNumbers, MemoryLotNumbers};

/// The sums of a lot's sheets, each over the sheets' [`crate::sheet::Totals`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[non_exhaustive]
pub struct LotTotals {
    /// What the professional charged (*honoraires*).
    pub fee: Cents,
    /// AMO share (*part obligatoire*).
    pub amo: Cents,
    /// AMC share (*part complémentaire*).
    pub amc: Cents,
    /// Patient share.
    pub patient: Cents,
    /// *Participation forfaitaire*.
    pub participation: Cents,
    /// Paid at the desk.
    pub paid_at_desk: Cents,
}

impl LotTotals {
    /// These totals plus one sheet's; [`Error::AmountTooLarge`] above
    /// [`Cents::MAX`].
    fn plus(self, sheet: &crate::sheet::Totals) -> Result<LotTotals, Error> {
        let add = |a: Cents, b: Cents| a.checked_add(b).ok_or(Error::AmountTooLarge);
        Ok(LotTotals {
            fee: add(self.fee, sheet.fee)?,
            amo: add(self.amo, sheet.amo)?,
            amc: add(self.amc, sheet.amc)?,
            patient: add(self.patient, sheet.patient)?,
            participation: add(self.participation, sheet.participation)?,
            paid_at_desk: add(self.paid_at_desk, sheet.paid_at_desk)?,
        })
    }
}

/// What a lot holds, in numbers: the *bordereau* of the lot.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct LotSummary {
    /// The lot number.
    pub number: LotNumber,
    /// The professional's billing number (*n° AM*).
    pub professional: BillingNumber,
    /// First and last dates of care.
    pub dates: DateRange,
    /// Number of sheets, 1 to [`Lot::MAX_SHEETS`].
    pub count: usize,
    /// The sums.
    pub totals: LotTotals,
}

/// A numbered lot of signed sheets; see the [module](self).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Lot {
    summary: LotSummary,
    sheets: Vec<SignedSheet>,
    digests: Vec<[u8; 32]>,
}

impl Lot {
    /// Most sheets in one lot: 50, the cap that public FSE engine
    /// configuration puts on a lot of invoices.
    pub const MAX_SHEETS: usize = 50;

    /// The lot number.
    pub fn number(&self) -> LotNumber {
        self.summary.number
    }

    /// The summary.
    pub fn summary(&self) -> &LotSummary {
        &self.summary
    }

    /// The sheets, in increasing invoice-number order.
    pub fn sheets(&self) -> &[SignedSheet] {
        &self.sheets
    }

    /// What the lot's CBOR holds: the summary and each sheet's invoice
    /// number and digest.
    pub fn manifest(&self) -> LotManifest {
        let entries = self
            .sheets
            .iter()
            .zip(&self.digests)
            .map(|(s, d)| LotEntry {
                invoice: s.sheet().number,
                digest: *d,
            })
            .collect();
        LotManifest::new(self.summary.clone(), entries)
    }

    /// The lot as deterministic CBOR (see the [module](self)).
    pub fn to_cbor(&self) -> Vec<u8> {
        self.manifest().to_cbor()
    }

    /// SHA-256 of [`Lot::to_cbor`].
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.to_cbor()).into()
    }

    /// Puts a lot back together from its CBOR and its sheets (as read from
    /// the vendor's storage): the sheets must be exactly those the lot
    /// lists, in its order, and add up to its summary.
    ///
    /// # Errors
    /// [`Error::LotMalformed`] for bytes [`LotManifest::from_cbor`]
    /// refuses; [`Error::LotSheetMismatch`] when a sheet is missing, extra,
    /// another, or when the sheets do not add up to the summary.
    pub fn from_cbor(bytes: &[u8], sheets: &[SignedSheet]) -> Result<Lot, Error> {
        let manifest = LotManifest::from_cbor(bytes)?;
        let summary = manifest.summary();
        if sheets.len() != manifest.entries().len() {
            return Err(Error::LotSheetMismatch);
        }
        let mut builder = LotBuilder::new(summary.professional.clone());
        for (sheet, entry) in sheets.iter().zip(manifest.entries()) {
            if sheet.sheet().number != entry.invoice || signed_digest(sheet) != entry.digest {
                return Err(Error::LotSheetMismatch);
            }
            builder.push(sheet).map_err(|_| Error::LotSheetMismatch)?;
        }
        let lot = builder
            .finish(summary.number)
            .map_err(|_| Error::LotSheetMismatch)?;
        if lot.summary != *summary {
            return Err(Error::LotSheetMismatch);
        }
        Ok(lot)
    }
}

/// Collects one professional's signed sheets into a lot; see the
/// [module](self).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LotBuilder {
    professional: BillingNumber,
    sheets: Vec<SignedSheet>,
    digests: Vec<[u8; 32]>,
    first: Option<Date>,
    last: Option<Date>,
    totals: LotTotals,
}

impl LotBuilder {
    /// An empty lot for the professional with this billing number.
    pub fn new(professional: BillingNumber) -> Self {
        LotBuilder {
            professional,
            sheets: Vec::new(),
            digests: Vec::new(),
            first: None,
            last: None,
            totals: LotTotals::default(),
        }
    }

    /// The professional's billing number.
    pub fn professional(&self) -> &BillingNumber {
        &self.professional
    }

    /// The sheets so far.
    pub fn sheets(&self) -> &[SignedSheet] {
        &self.sheets
    }

    /// Number of sheets so far.
    pub fn len(&self) -> usize {
        self.sheets.len()
    }

    /// Whether no sheet was added.
    pub fn is_empty(&self) -> bool {
        self.sheets.is_empty()
    }

    /// Whether the lot holds [`Lot::MAX_SHEETS`] sheets.
    pub fn is_full(&self) -> bool {
        self.sheets.len() >= Lot::MAX_SHEETS
    }

    /// Adds a copy of `sheet` at the end of the lot. On error the builder
    /// is unchanged.
    ///
    /// # Errors
    /// [`Error::LotOtherProfessional`] for a sheet with another billing
    /// number; [`Error::LotFull`] past [`Lot::MAX_SHEETS`];
    /// [`Error::LotDuplicateInvoice`] for an invoice number already in the
    /// lot; [`Error::LotOutOfOrder`] for a number below the last one;
    /// [`Error::LotDateOutOfRange`] for a date of care outside years 0000
    /// to 9999; [`Error::AmountTooLarge`] when a total would exceed
    /// [`Cents::MAX`].
    pub fn push(&mut self, sheet: &SignedSheet) -> Result<(), Error> {
        let s = sheet.sheet();
        if s.practice.identity.billing_number() != &self.professional {
            return Err(Error::LotOtherProfessional);
        }
        if self.is_full() {
            return Err(Error::LotFull);
        }
        let last_number = self.sheets.last().map(|l| l.sheet().number);
        if last_number.is_some_and(|n| s.number <= n) {
            return Err(if self.contains(s.number) {
                Error::LotDuplicateInvoice
            } else {
                Error::LotOutOfOrder
            });
        }
        if DateRange::new(s.date, s.date).is_none() {
            return Err(Error::LotDateOutOfRange);
        }
        let totals = self.totals.plus(&s.totals)?;
        self.first = Some(self.first.map_or(s.date, |d| d.min(s.date)));
        self.last = Some(self.last.map_or(s.date, |d| d.max(s.date)));
        self.totals = totals;
        self.digests.push(signed_digest(sheet));
        self.sheets.push(sheet.clone());
        Ok(())
    }

    /// Whether the lot holds a sheet with this invoice number.
    pub fn contains(&self, number: InvoiceNumber) -> bool {
        self.sheets
            .binary_search_by_key(&number, |s| s.sheet().number)
            .is_ok()
    }

    /// Closes the lot: takes its number from `numbers` (last, once the lot
    /// is known to be valid).
    ///
    /// # Errors
    /// [`Error::LotEmpty`] for a lot without sheets (no number is taken);
    /// [`Error::LotNumbering`] when the store fails.
    pub fn close(self, numbers: &dyn LotNumbers) -> Result<Lot, Error> {
        if self.is_empty() {
            return Err(Error::LotEmpty);
        }
        let number = numbers
            .next(&self.professional)
            .map_err(Error::LotNumbering)?;
        self.finish(number)
    }

    /// The lot with this number.
    fn finish(self, number: LotNumber) -> Result<Lot, Error> {
        let (Some(first), Some(last)) = (self.first, self.last) else {
            return Err(Error::LotEmpty);
        };
        // Both dates passed `DateRange::new` alone in `push`.
        let dates = DateRange::new(first, last).ok_or(Error::LotDateOutOfRange)?;
        Ok(Lot {
            summary: LotSummary {
                number,
                professional: self.professional,
                dates,
                count: self.sheets.len(),
                totals: self.totals,
            },
            sheets: self.sheets,
            digests: self.digests,
        })
    }
}

/// SHA-256 of a signed sheet's whole CBOR ([`SignedSheet::to_cbor`]: the
/// sheet bytes, the signature and its label), so that a lot's digest also
/// covers the signatures. [`SignedSheet::digest`], the hash of the sheet
/// alone, is what a signer signs.
pub fn signed_digest(sheet: &SignedSheet) -> [u8; 32] {
    Sha256::digest(sheet.to_cbor()).into()
}

/// Groups signed sheets into lots: per professional (by billing number, in
/// increasing order), sheets in increasing invoice-number order, cut every
/// [`Lot::MAX_SHEETS`], each lot numbered from `numbers` in that order.
///
/// Every rule is checked before the first number is taken, so a refused
/// set of sheets uses no lot number. Should the store fail part-way, the
/// numbers already taken are not used again (the cycle moves on).
///
/// # Errors
/// [`Error::LotDuplicateInvoice`] when two sheets of one professional
/// share an invoice number; the other errors of [`LotBuilder::push`] and
/// [`LotBuilder::close`].
pub fn group(sheets: &[SignedSheet], numbers: &dyn LotNumbers) -> Result<Vec<Lot>, Error> {
    let mut sorted: Vec<&SignedSheet> = sheets.iter().collect();
    sorted.sort_by(|a, b| {
        let (a, b) = (a.sheet(), b.sheet());
        (a.practice.identity.billing_number(), a.number)
            .cmp(&(b.practice.identity.billing_number(), b.number))
    });
    let mut builders: Vec<LotBuilder> = Vec::new();
    for sheet in sorted {
        let professional = sheet.sheet().practice.identity.billing_number();
        let open = builders
            .last_mut()
            .filter(|b| b.professional() == professional && !b.is_full());
        match open {
            Some(builder) => builder.push(sheet)?,
            None => {
                // A full lot closed just before: the same number again is
                // a duplicate, not the start of a new lot.
                let previous_last = builders
                    .last()
                    .filter(|b| b.professional() == professional)
                    .and_then(|b| b.sheets().last())
                    .map(|s| s.sheet().number);
                if previous_last == Some(sheet.sheet().number) {
                    return Err(Error::LotDuplicateInvoice);
                }
                let mut builder = LotBuilder::new(professional.clone());
                builder.push(sheet)?;
                builders.push(builder);
            }
        }
    }
    builders.into_iter().map(|b| b.close(numbers)).collect()
}

#[cfg(test)]
pub(crate) mod tests;
