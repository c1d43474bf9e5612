//! The care sheet (*feuille de soins*, FSE-lite): built from a verified
//! card, the rights of the day and the acts, numbered, then encoded,
//! hashed and signed (see [`crate::signing`]).

use core::fmt;
use time::Date;
use vitale_adri::{ProfessionalIdentity, Rights};
use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, Rank};
use vitale_verify::{Provenance, VerifiedCard};

use crate::numbering::{InvoiceNumber, InvoiceNumbers};
use crate::pricing::{
    ActLine, Deduction, LineAmounts, Pathway, Patient, Profession, Rules, Sector,
};
use crate::tariff::{TariffTable, TariffZone};
use crate::{Cents, Error};

mod codec;

pub use codec::MAX_SHEET_BYTES;

/// Most acts on one sheet.
pub const MAX_LINES: usize = 32;

/// The professional who bills, with what the rules need: profession,
/// convention sector, tariff zone.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Practice {
    /// Billing number, RPPS and specialty.
    pub identity: ProfessionalIdentity,
    /// Profession.
    pub profession: Profession,
    /// Convention sector.
    pub sector: Sector,
    /// Where the care is given.
    pub zone: TariffZone,
}

/// Who the care was for, as the verified card and the rights say.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SheetPatient {
    /// The insured person's NIR (*NIR de l'ouvrant droit*).
    pub insured_nir: Nir,
    /// The beneficiary's rank on the card.
    pub rank: Rank,
    /// The beneficiary's birth date (lunar dates kept as text).
    pub birth_date: BirthDate,
    /// *Rang de naissance*.
    pub birth_rank: BirthRank,
}

impl fmt::Debug for SheetPatient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SheetPatient")
            .field("insured_nir", &self.insured_nir.masked())
            .field("rank", &self.rank)
            .field("birth_date", &"••••")
            .finish_non_exhaustive()
    }
}

/// Proof on the sheet that the card was read and verified.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum CardRead {
    /// An `open`-profile presentation verified offline.
    Offline {
        /// The issuer key that signed the credential.
        issuer_kid: [u8; 8],
        /// The credential's identifier.
        credential_id: Vec<u8>,
        /// When the phone made the presentation (RFC 3339).
        presented_at: String,
        /// SHA-256 of the signed presentation as read
        /// ([`vitale_verify::OfflineProvenance::presentation_digest`]): the
        /// proof that this presentation, and no other, was read.
        presentation_digest: [u8; 32],
    },
    /// A `token`-profile context opened online.
    Online {
        /// The context's identifier.
        context_id: String,
        /// The context service's name.
        service: String,
    },
}

impl CardRead {
    fn of(card: &VerifiedCard) -> Result<CardRead, Error> {
        Ok(match card.provenance() {
            Provenance::Online(p) => CardRead::Online {
                context_id: p.context_id().as_str().to_owned(),
                service: p.service().to_owned(),
            },
            Provenance::Offline(p) => CardRead::Offline {
                issuer_kid: *p.issuer_kid(),
                credential_id: p.credential_id().as_bytes().to_vec(),
                presented_at: p.presented_at().to_rfc3339(),
                presentation_digest: p.presentation_digest(),
            },
            _ => return Err(Error::UnknownProvenance),
        })
    }
}

/// The sums of a sheet.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[non_exhaustive]
pub struct Totals {
    /// What the professional charges.
    pub fee: Cents,
    /// Sum of the bases.
    pub base: Cents,
    /// AMO share.
    pub amo: Cents,
    /// AMC share.
    pub amc: Cents,
    /// Patient share.
    pub patient: Cents,
    /// Participation forfaitaire (withheld from the AMO reimbursement).
    pub participation: Cents,
    /// Franchise (recorded; withheld from later reimbursements).
    pub franchise: Cents,
    /// What the AMO reimburses once the participation is withheld.
    pub amo_net: Cents,
    /// What the patient pays at the desk: the fee less the shares paid to
    /// the professional by third-party payment.
    pub paid_at_desk: Cents,
}

/// A numbered care sheet. Build one with [`CareSheet::build`]; encode it
/// with [`CareSheet::to_cbor`] / [`CareSheet::to_json`]; sign it with
/// [`crate::signing`]. `Debug` redacts the patient.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct CareSheet {
    /// Invoice number.
    pub number: InvoiceNumber,
    /// The professional.
    pub practice: Practice,
    /// Date of care.
    pub date: Date,
    /// The patient.
    pub patient: SheetPatient,
    /// How the card was read.
    pub card: CardRead,
    /// The *parcours de soins* as the physician stated it.
    pub pathway: Pathway,
    /// The acts and their amounts.
    pub lines: Vec<LineAmounts>,
    /// Participation forfaitaire.
    pub participation: Deduction,
    /// Franchise.
    pub franchise: Deduction,
    /// Whether the AMO share is paid to the professional (*tiers payant*).
    pub third_party_amo: bool,
    /// Whether the AMC share is paid to the professional.
    pub third_party_amc: bool,
    /// The sums.
    pub totals: Totals,
}

/// What a visit bills: the inputs of [`CareSheet::build`] besides the
/// card, the rights and the number store.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Visit {
    /// Date of care.
    pub date: Date,
    /// The *parcours de soins* as the physician states it.
    pub pathway: Pathway,
    /// The acts.
    pub acts: Vec<ActLine>,
    /// Third-party payment of the AMO share offered by the professional
    /// even when the rights do not require it.
    pub offer_third_party: bool,
}

impl CareSheet {
    /// Builds and numbers the sheet for the beneficiary of rank `rank` on
    /// `card`, with the `rights` answered for that beneficiary.
    ///
    /// The number is taken from `numbers` last, once every rule passed, so
    /// a refused visit uses no number.
    ///
    /// # Errors
    /// [`Error::NoActs`], [`Error::TooManyActs`]; [`Error::BeneficiaryNotOnCard`];
    /// [`Error::RightsForAnotherPatient`] when the rights are not the
    /// card's; the pricing errors ([`Error::RightsClosed`],
    /// [`Error::ActUnknownOnDate`], …); [`Error::Numbering`].
    pub fn build(
        practice: &Practice,
        table: &TariffTable,
        card: &VerifiedCard,
        rank: Rank,
        rights: &Rights,
        visit: &Visit,
        numbers: &dyn InvoiceNumbers,
    ) -> Result<CareSheet, Error> {
        if visit.acts.is_empty() {
            return Err(Error::NoActs);
        }
        if visit.acts.len() > MAX_LINES {
            return Err(Error::TooManyActs);
        }
        let beneficiary = card
            .beneficiary(rank)
            .map_err(|_| Error::BeneficiaryNotOnCard)?
            .data();
        let insured = card.insured().nir();
        let identity = rights.identity();
        if identity.insured_nir() != insured
            || identity.birth_date() != beneficiary.birth_date()
            || identity.birth_rank() != beneficiary.birth_rank()
        {
            return Err(Error::RightsForAnotherPatient);
        }
        let on = rights.on(visit.date);
        let pricing = Rules {
            table,
            profession: practice.profession,
            sector: practice.sector,
            zone: practice.zone,
            pathway: visit.pathway,
            rights: &on,
            patient: Patient::on(beneficiary.birth_date(), visit.date),
        };
        let lines = visit
            .acts
            .iter()
            .map(|a| pricing.line(a))
            .collect::<Result<Vec<_>, _>>()?;
        let (participation, franchise) = pricing.deductions(lines.len())?;
        // Third-party payment covers the whole sheet: the AMO share when
        // the rights entitle every act to it (or the professional offers
        // it), the AMC share when the complementary cover allows it.
        let entitled = |f: fn(&vitale_adri::ThirdPartyPayment) -> bool| {
            visit
                .acts
                .iter()
                .all(|a| f(&on.third_party_payment(a.scope)))
        };
        let third_party_amo = entitled(|t| t.amo.is_some()) || visit.offer_third_party;
        let third_party_amc = entitled(|t| t.amc) && lines.iter().any(|l| l.amc > Cents::ZERO);
        let card_read = CardRead::of(card)?;
        let totals = totals(
            &lines,
            &participation,
            &franchise,
            third_party_amo,
            third_party_amc,
        )?;
        let number = numbers
            .next(identity_key(practice))
            .map_err(Error::Numbering)?;
        // The number and the amounts only: never the patient.
        tracing::info!(
            invoice = %number,
            acts = lines.len(),
            fee_eur = %totals.fee,
            amo_eur = %totals.amo,
            amc_eur = %totals.amc,
            patient_eur = %totals.patient,
            "care sheet built"
        );
        Ok(CareSheet {
            number,
            practice: practice.clone(),
            date: visit.date,
            patient: SheetPatient {
                insured_nir: insured.clone(),
                rank,
                birth_date: beneficiary.birth_date().clone(),
                birth_rank: beneficiary.birth_rank(),
            },
            card: card_read,
            pathway: visit.pathway,
            lines,
            participation,
            franchise,
            third_party_amo,
            third_party_amc,
            totals,
        })
    }
}

fn identity_key(practice: &Practice) -> &vitale_adri::BillingNumber {
    practice.identity.billing_number()
}

/// The sums of the lines and deductions; checks each line's invariant.
pub(crate) fn totals(
    lines: &[LineAmounts],
    participation: &Deduction,
    franchise: &Deduction,
    third_party_amo: bool,
    third_party_amc: bool,
) -> Result<Totals, Error> {
    let add = |a: Cents, b: Cents| a.checked_add(b).ok_or(Error::AmountTooLarge);
    let mut t = Totals::default();
    for l in lines {
        if add(add(l.amo, l.amc)?, l.patient)? != l.fee || add(l.base, l.extra_fee)? != l.fee {
            return Err(Error::InconsistentAmounts);
        }
        t.fee = add(t.fee, l.fee)?;
        t.base = add(t.base, l.base)?;
        t.amo = add(t.amo, l.amo)?;
        t.amc = add(t.amc, l.amc)?;
        t.patient = add(t.patient, l.patient)?;
    }
    t.participation = participation.amount();
    t.franchise = franchise.amount();
    t.amo_net = t.amo.saturating_sub(t.participation);
    let mut desk = t.fee;
    if third_party_amo {
        desk = desk.saturating_sub(t.amo);
    }
    if third_party_amc {
        desk = desk.saturating_sub(t.amc);
    }
    t.paid_at_desk = desk;
    Ok(t)
}
