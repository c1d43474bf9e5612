//! The patient's receipt (*reçu*): what a visit cost and what is
//! reimbursed, shown by the patient's app for [`Receipt::SHOWN_DAYS`] days.
//!
//! A [`Receipt`] is made from a [`SignedSheet`] only — never from a sheet
//! that was not signed — by [`Receipt::of`]. It holds what the patient
//! needs and nothing that identifies them beyond the beneficiary's rank on
//! the card: the date of care, the professional's billing number (*n° AM*)
//! and specialty, each act with its fee, AMO rate and AMO and AMC shares and
//! what is left to the patient, the *participation forfaitaire* and the
//! *franchise*, third-party payment (*tiers payant*), what was paid at the
//! desk, what the AMO and the AMC will reimburse to the patient, the
//! invoice number, the last day it is shown (`valid_until`, the date of
//! care plus 7 days), when it was signed, and the SHA-256 of the signed
//! sheet it comes from (so a dispute can point at that very sheet).
//!
//! **No NIR and no birth date**: not even the masked NIR
//! (`vitale_ins::Nir::masked`), whose first digits give the birth year and
//! month.
//!
//! It shows as plain text ([`Receipt::to_text`]) and as an HTML fragment
//! ([`Receipt::to_html`]), and is signed for the phone as a COSE_Sign1
//! (RFC 9052) of the `open` profile: protected header `{1: -7 (ES256),
//! 4: kid}`, empty unprotected header, no external AAD, payload the
//! receipt's deterministic CBOR (RFC 8949 §4.2). Signing takes two phases
//! like every signature of the SDK ([`Receipt::prepare`], any
//! `vitale_verify::Signer`, then `complete`), or one call
//! ([`Receipt::sign`]). The phone checks it with [`Receipt::verify`]: the
//! key must be in its trust list **with the receipt usage**
//! (`KeyUsage::Receipt`) and valid when the receipt was signed, the
//! signature must verify, and the receipt must not be past `valid_until`.
//!
//! ```text
//! { "v": 1, "invoice": 42, "date": "2026-01-05", "valid_until": "2026-01-12",
//!   "issued_at": 1767607200,
//!   "professional": { "billing_number": "751234567", "specialty": "01" },
//!   "rank": 1,
//!   "lines": [{ "act": "G", "fee": 3000, "amo_rate": 7000, "amo": 2100,
//!               "amc": 0, "patient": 900 }],
//!   "participation": 200, "franchise": 0,
//!   "third_party": { "amo": false, "amc": false },
//!   "totals": { "fee": 3000, "amo": 2100, "amc": 0, "patient": 900,
//!               "paid_at_desk": 3000, "amo_reimbursement": 1900,
//!               "amc_reimbursement": 0 },
//!   "sheet_digest": h'…32 bytes…' }
//! ```
//!
//! The official ApCV specification is not public; this receipt format is
//! the SDK's own.

use time::{Date, Duration};
use vitale_adri::{BillingNumber, SpecialtyCode};
use vitale_codec::cose::{ParseMode, Sign1, ToBeSigned};
use vitale_model::{Rank, Timestamp};
use vitale_verify::trust::TrustList;
use vitale_verify::{BackendError, KeyUsage, Signature, SignatureBackend, Signer, default_backend};

use crate::Error;
use crate::act::Act;
use crate::money::{Cents, Rate};
use crate::numbering::InvoiceNumber;
use crate::signing::SignedSheet;

mod codec;
mod render;

pub use codec::{MAX_RECEIPT_BYTES, MAX_SIGNED_RECEIPT_BYTES};

/// One act on the receipt.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct ReceiptLine {
    /// The act.
    pub act: Act,
    /// What the professional charged (*honoraires*).
    pub fee: Cents,
    /// The AMO rate (*taux de remboursement*).
    pub amo_rate: Rate,
    /// AMO share (*part obligatoire*).
    pub amo: Cents,
    /// AMC share (*part complémentaire*).
    pub amc: Cents,
    /// What is left to the patient (*reste à charge*).
    pub patient: Cents,
}

/// The receipt's sums.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[non_exhaustive]
pub struct ReceiptTotals {
    /// What the professional charged.
    pub fee: Cents,
    /// AMO share.
    pub amo: Cents,
    /// AMC share.
    pub amc: Cents,
    /// What is left to the patient.
    pub patient: Cents,
    /// What the patient paid at the desk: the fee less the shares paid to
    /// the professional by third-party payment.
    pub paid_at_desk: Cents,
    /// What the AMO will pay the patient: its share less the
    /// participation forfaitaire, or nothing under AMO third-party payment
    /// (the AMO then pays the professional).
    pub amo_reimbursement: Cents,
    /// What the AMC will pay the patient: its share, or nothing under AMC
    /// third-party payment.
    pub amc_reimbursement: Cents,
}

impl ReceiptTotals {
    /// The sums of `lines`, with the rules above. `None` when a line's
    /// shares do not add up to its fee or a sum exceeds [`Cents::MAX`].
    fn of(
        lines: &[ReceiptLine],
        participation: Cents,
        third_party_amo: bool,
        third_party_amc: bool,
    ) -> Option<ReceiptTotals> {
        let mut t = ReceiptTotals::default();
        for l in lines {
            if l.amo.checked_add(l.amc)?.checked_add(l.patient)? != l.fee {
                return None;
            }
            t.fee = t.fee.checked_add(l.fee)?;
            t.amo = t.amo.checked_add(l.amo)?;
            t.amc = t.amc.checked_add(l.amc)?;
            t.patient = t.patient.checked_add(l.patient)?;
        }
        let mut desk = t.fee;
        if third_party_amo {
            desk = desk.saturating_sub(t.amo);
        } else {
            t.amo_reimbursement = t.amo.saturating_sub(participation);
        }
        if third_party_amc {
            desk = desk.saturating_sub(t.amc);
        } else {
            t.amc_reimbursement = t.amc;
        }
        t.paid_at_desk = desk;
        Some(t)
    }
}

/// The patient's receipt; see the [module](self). Holds no personal data.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Receipt {
    invoice: InvoiceNumber,
    date: Date,
    valid_until: Date,
    issued_at: Timestamp,
    professional: BillingNumber,
    specialty: SpecialtyCode,
    rank: Rank,
    lines: Vec<ReceiptLine>,
    participation: Cents,
    franchise: Cents,
    third_party_amo: bool,
    third_party_amc: bool,
    totals: ReceiptTotals,
    sheet_digest: [u8; 32],
}

impl Receipt {
    /// How many days after the date of care the app shows the receipt.
    pub const SHOWN_DAYS: u8 = 7;

    /// The receipt of a signed sheet, signed at `issued_at`.
    ///
    /// # Errors
    /// [`Error::ReceiptMalformed`] when the date of care plus
    /// [`Receipt::SHOWN_DAYS`] is past year 9999, or when `issued_at` is
    /// before the date of care (see [`Receipt::issued_at`]);
    /// [`Error::InconsistentAmounts`] when the sheet's amounts do not add
    /// up (a signed sheet always does).
    pub fn of(signed: &SignedSheet, issued_at: Timestamp) -> Result<Receipt, Error> {
        let sheet = signed.sheet();
        let lines: Vec<ReceiptLine> = sheet
            .lines
            .iter()
            .map(|l| ReceiptLine {
                act: l.act.clone(),
                fee: l.fee,
                amo_rate: l.amo_rate,
                amo: l.amo,
                amc: l.amc,
                patient: l.patient,
            })
            .collect();
        let participation = sheet.participation.amount();
        let totals = ReceiptTotals::of(
            &lines,
            participation,
            sheet.third_party_amo,
            sheet.third_party_amc,
        )
        .ok_or(Error::InconsistentAmounts)?;
        let valid_until = shown_until(sheet.date).ok_or(Error::ReceiptMalformed("date of care"))?;
        if !signed_in_time(sheet.date, issued_at) {
            return Err(Error::ReceiptMalformed("signed before the date of care"));
        }
        Ok(Receipt {
            invoice: sheet.number,
            date: sheet.date,
            valid_until,
            issued_at,
            professional: sheet.practice.identity.billing_number().clone(),
            specialty: sheet.practice.identity.specialty(),
            rank: sheet.patient.rank,
            lines,
            participation,
            franchise: sheet.franchise.amount(),
            third_party_amo: sheet.third_party_amo,
            third_party_amc: sheet.third_party_amc,
            totals,
            sheet_digest: signed.digest(),
        })
    }

    /// The invoice number (*numéro de facture*).
    pub fn invoice(&self) -> InvoiceNumber {
        self.invoice
    }

    /// The date of care.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The last day the app shows the receipt: the date of care plus
    /// [`Receipt::SHOWN_DAYS`] days.
    pub fn valid_until(&self) -> Date {
        self.valid_until
    }

    /// When the receipt was signed: never before the date of care, read
    /// as the UTC day before it at the earliest (the date of care is a
    /// local calendar day, and every time zone is within 14 hours of UTC).
    /// A receipt therefore cannot be dated back to before the care, for
    /// instance into the validity of a key that has since expired.
    pub fn issued_at(&self) -> Timestamp {
        self.issued_at
    }

    /// The professional's billing number (*n° AM*).
    pub fn professional(&self) -> &BillingNumber {
        &self.professional
    }

    /// The professional's specialty code (*code spécialité*).
    pub fn specialty(&self) -> SpecialtyCode {
        self.specialty
    }

    /// The specialty's label in the public nomenclature, when it has one
    /// ([`SpecialtyCode::label`]).
    pub fn specialty_label(&self) -> Option<&'static str> {
        self.specialty.label()
    }

    /// The beneficiary's rank on the card (*rang*).
    pub fn rank(&self) -> Rank {
        self.rank
    }

    /// The acts.
    pub fn lines(&self) -> &[ReceiptLine] {
        &self.lines
    }

    /// The *participation forfaitaire* (withheld from the AMO
    /// reimbursement).
    pub fn participation(&self) -> Cents {
        self.participation
    }

    /// The *franchise médicale* (withheld from later reimbursements).
    pub fn franchise(&self) -> Cents {
        self.franchise
    }

    /// Whether the AMO pays its share to the professional (*tiers payant*).
    pub fn third_party_amo(&self) -> bool {
        self.third_party_amo
    }

    /// Whether the AMC pays its share to the professional.
    pub fn third_party_amc(&self) -> bool {
        self.third_party_amc
    }

    /// The sums.
    pub fn totals(&self) -> &ReceiptTotals {
        &self.totals
    }

    /// SHA-256 of the signed sheet's CBOR
    /// ([`SignedSheet::digest`]).
    pub fn sheet_digest(&self) -> &[u8; 32] {
        &self.sheet_digest
    }

    /// Phase one of signing: the COSE `Sig_structure` bytes of the receipt
    /// for the key `kid` (first 8 bytes of SHA-256 of its SPKI, as in the
    /// trust list). Sign [`ToBeSigned::bytes`] with any signer, then
    /// [`ToBeSigned::complete`] gives the signed receipt.
    pub fn prepare(&self, kid: &[u8; 8]) -> ToBeSigned {
        Sign1::prepare(Some(kid), &self.to_cbor(), &[])
    }

    /// Both phases with `signer`, whose kid goes in the protected header.
    ///
    /// # Errors
    /// [`Error::Signing`] when the signer fails or does not know its key
    /// (hence its kid): use [`Receipt::prepare`] with the kid then.
    pub fn sign(&self, signer: &dyn Signer) -> Result<Vec<u8>, Error> {
        let kid = signer
            .kid()
            .ok_or_else(|| Error::Signing("the signer does not know its key".to_owned()))?;
        let tbs = self.prepare(&kid);
        let signature = signer
            .sign(tbs.bytes())
            .map_err(|e| Error::Signing(e.to_string()))?;
        Ok(tbs.complete(signature.to_bytes()))
    }

    /// Checks a signed receipt at `now` against a trust list (with a
    /// `vitale_verify::TrustStore`, its `current()` list), with the
    /// default signature backend; see [`Receipt::verify_with`].
    ///
    /// # Errors
    /// As [`Receipt::verify_with`].
    pub fn verify(bytes: &[u8], list: &TrustList, now: Timestamp) -> Result<Receipt, Error> {
        Self::verify_with(bytes, list, default_backend(), now)
    }

    /// Checks a signed receipt at `now`, in this order: size and envelope
    /// (an `open`-profile COSE_Sign1 with an 8-byte kid); the trust list's
    /// own validity at `now`; the kid in the list; the receipt usage; the
    /// signature; the payload; the key's validity when the receipt was
    /// signed; `now` not after `valid_until` (compared with `now`'s UTC
    /// calendar day).
    ///
    /// # Errors
    /// [`Error::ReceiptMalformed`], [`Error::ReceiptTrustListExpired`],
    /// [`Error::ReceiptUnknownKey`], [`Error::ReceiptWrongKeyUsage`],
    /// [`Error::ReceiptBadSignature`], [`Error::ReceiptKeyNotValid`],
    /// [`Error::ReceiptExpired`]; [`Error::Signing`] when the signature
    /// backend itself fails (a device behind it).
    pub fn verify_with(
        bytes: &[u8],
        list: &TrustList,
        backend: &dyn SignatureBackend,
        now: Timestamp,
    ) -> Result<Receipt, Error> {
        if bytes.len() > MAX_SIGNED_RECEIPT_BYTES {
            return Err(Error::ReceiptMalformed("too large"));
        }
        let envelope = Sign1::decode(bytes, MAX_SIGNED_RECEIPT_BYTES, ParseMode::OpenProfile)
            .map_err(|_| Error::ReceiptMalformed("not an open-profile COSE_Sign1"))?;
        let kid = envelope
            .protected_kid()
            .map_err(|_| Error::ReceiptMalformed("kid"))?;
        if !(list.issued_at() <= now && now < list.expires_at()) {
            return Err(Error::ReceiptTrustListExpired);
        }
        let key = list.find(&kid).ok_or(Error::ReceiptUnknownKey)?;
        if !key.allows(KeyUsage::Receipt) {
            return Err(Error::ReceiptWrongKeyUsage);
        }
        let tbs = envelope
            .to_be_signed(&[])
            .map_err(|_| Error::ReceiptMalformed("Sig_structure"))?;
        backend
            .verify_es256(
                key.public_key(),
                &tbs,
                &Signature::from_bytes(envelope.signature()),
            )
            .map_err(|e| match e {
                BackendError::Failed(_) => Error::Signing(e.to_string()),
                _ => Error::ReceiptBadSignature,
            })?;
        let receipt = Receipt::from_cbor(envelope.payload())?;
        if !key.validity().contains(receipt.issued_at) {
            return Err(Error::ReceiptKeyNotValid);
        }
        if now.date() > receipt.valid_until {
            return Err(Error::ReceiptExpired);
        }
        Ok(receipt)
    }
}

/// Whether `issued_at` is not before the date of care (its UTC day at
/// least the day before, see [`Receipt::issued_at`]).
fn signed_in_time(date: Date, issued_at: Timestamp) -> bool {
    date.previous_day()
        .is_none_or(|day_before| issued_at.date() >= day_before)
}

/// The date of care plus [`Receipt::SHOWN_DAYS`], within years 0000 to
/// 9999 (the dates the encoding writes).
fn shown_until(date: Date) -> Option<Date> {
    let until = date.checked_add(Duration::days(i64::from(Receipt::SHOWN_DAYS)))?;
    let writable = |d: Date| (0..=9999).contains(&d.year());
    (writable(date) && writable(until)).then_some(until)
}

#[cfg(test)]
mod tests;
