//! The billing flow (*facturation*) in one call: a verified card → the
//! beneficiary's rights of the day (ADRi) → the care sheet (*feuille de
//! soins électronique*, FSE-lite) priced, numbered, hashed and signed → the
//! patient's receipt (*reçu*).
//!
//! [`Billing`] holds what does not change from one visit to the next: the
//! practice, the tariffs, the rights service, the invoice-number store and
//! the signers. [`Billing::bill`] takes a [`VerifiedCard`] (the proof type:
//! it cannot be handed unverified data) and a [`VisitRequest`], and returns
//! a [`BilledVisit`]. Each step is also available alone
//! ([`Billing::rights`], [`Billing::pathway`], and `vitale::fse` below).
//!
//! This is not a CNDA-approved FSE: see `docs/fse.md` for the rules
//! implemented and what is simplified.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use vitale::billing::{Billing, VisitRequest};
//! # fn run(
//! #     card: &vitale::verify::VerifiedCard,
//! #     practice: vitale::fse::Practice,
//! #     rights: Arc<dyn vitale::adri::RightsService>,
//! #     key: Arc<dyn vitale::verify::Signer + Send + Sync>,
//! # ) -> Result<(), vitale::Error> {
//! let numbers = Arc::new(vitale::fse::numbering::MemoryInvoiceNumbers::new());
//! let billing = Billing::new(practice, rights, numbers).with_sheet_key(key);
//! let rank = card.beneficiaries()[0].rank();
//! let today = time::OffsetDateTime::now_utc().date();
//! let visit = VisitRequest::new(rank, today, vec![vitale::fse::ActLine::new("G".parse()?)]);
//! let billed = billing.bill(card, &visit)?;
//! println!("{}", billed.receipt().to_text());
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;

use time::Date;
use vitale_adri::{BeneficiaryId, CarePathway, Rights, RightsQuery, RightsService};
use vitale_fse::pricing::{ActLine, Pathway};
use vitale_fse::signing::{SheetSignature, SignedSheet};
use vitale_fse::{CareSheet, InvoiceNumbers, Practice, Receipt, TariffTable, Visit};
use vitale_model::Rank;
use vitale_verify::policy::{Clock, SystemClock};
use vitale_verify::token::ContextService;
use vitale_verify::{Provenance, Signer, VerifiedCard};

use crate::Error;

pub mod json;

/// A signer shared between threads (the professional's key for sheets of
/// the `open` profile, or the receipt key).
pub type SharedSigner = Arc<dyn Signer + Send + Sync>;

/// What one visit bills: whom, when, which acts.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VisitRequest {
    /// The beneficiary's rank on the card (*rang*).
    pub rank: Rank,
    /// The date of care.
    pub date: Date,
    /// The acts performed.
    pub acts: Vec<ActLine>,
    /// The *parcours de soins* as the physician states it; `None` lets
    /// [`Billing::pathway`] derive it from the rights.
    pub pathway: Option<Pathway>,
    /// Third-party payment of the AMO share offered even when the rights do
    /// not require it.
    pub offer_third_party: bool,
}

impl VisitRequest {
    /// A visit of the beneficiary of rank `rank` on `date`, with the
    /// pathway derived from the rights and no third-party payment offered.
    pub fn new(rank: Rank, date: Date, acts: Vec<ActLine>) -> Self {
        VisitRequest {
            rank,
            date,
            acts,
            pathway: None,
            offer_third_party: false,
        }
    }

    /// States the *parcours de soins*.
    #[must_use]
    pub fn with_pathway(mut self, pathway: Pathway) -> Self {
        self.pathway = Some(pathway);
        self
    }

    /// Offers third-party payment of the AMO share.
    #[must_use]
    pub fn with_third_party(mut self, offer: bool) -> Self {
        self.offer_third_party = offer;
        self
    }
}

/// The outcome of [`Billing::bill`]: the rights answered for the day, the
/// signed care sheet, the receipt and, when a receipt key is configured,
/// the signed receipt the phone can store.
#[derive(Clone)]
pub struct BilledVisit {
    rights: Rights,
    sheet: SignedSheet,
    receipt: Receipt,
    signed_receipt: Option<Vec<u8>>,
}

impl fmt::Debug for BilledVisit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BilledVisit")
            .field("sheet", &self.sheet)
            .field(
                "signed_receipt",
                &self.signed_receipt.as_ref().map(Vec::len),
            )
            .finish_non_exhaustive()
    }
}

impl BilledVisit {
    /// The rights the service answered for the date of care.
    pub fn rights(&self) -> &Rights {
        &self.rights
    }

    /// The signed care sheet, to store and to put in a lot
    /// ([`vitale_fse::LotBuilder`]).
    pub fn sheet(&self) -> &SignedSheet {
        &self.sheet
    }

    /// The receipt (*reçu*): [`Receipt::to_text`], [`Receipt::to_html`].
    pub fn receipt(&self) -> &Receipt {
        &self.receipt
    }

    /// The signed receipt (COSE_Sign1), when a receipt key is configured.
    pub fn signed_receipt(&self) -> Option<&[u8]> {
        self.signed_receipt.as_deref()
    }

    /// The whole outcome as JSON: `rights` (`docs/rights.md`), `sheet`
    /// (`docs/fse.md`), `digest` (hex SHA-256 of the signed bytes),
    /// `signature`, and `receipt` (`text`, `signed` in hex or `null`).
    /// It carries personal data in clear (the full NIR): billing needs it.
    ///
    /// # Errors
    /// [`Error::Rights`] if the rights cannot be encoded (never for rights
    /// a service answered).
    pub fn to_json(&self) -> Result<serde_json::Value, Error> {
        let rights = self
            .rights
            .to_json()
            .map_err(vitale_adri::RightsError::from)?;
        let rights: serde_json::Value =
            serde_json::from_slice(&rights).map_err(|_| vitale_adri::RightsError::InvalidAnswer)?;
        let sheet: serde_json::Value = serde_json::from_str(&self.sheet.sheet().to_json())
            .map_err(|_| vitale_fse::Error::Encoding("sheet json"))?;
        let signature = match self.sheet.signature() {
            SheetSignature::Context {
                context_id,
                signature,
            } => serde_json::json!({
                "kind": "context",
                "context_id": context_id.as_str(),
                "signature": crate::codec::hex::encode(signature),
            }),
            SheetSignature::Es256 { signature, kid } => serde_json::json!({
                "kind": "es256",
                "kid": kid.map(|k| crate::codec::hex::encode(&k)),
                "signature": crate::codec::hex::encode(&signature.to_bytes()),
            }),
            _ => serde_json::json!({ "kind": "other" }),
        };
        Ok(serde_json::json!({
            "rights": rights,
            "sheet": sheet,
            "digest": crate::codec::hex::encode(&self.sheet.digest()),
            "signature": signature,
            "receipt": {
                "text": self.receipt.to_text(),
                "signed": self.signed_receipt.as_deref().map(crate::codec::hex::encode),
            },
        }))
    }
}

/// The billing set-up of one professional: practice, tariffs, rights
/// service, invoice numbers and signers. Share it between threads (it is
/// `Send + Sync`); every call blocks on the network and the store, so call
/// it off the UI thread.
pub struct Billing {
    practice: Practice,
    tariffs: TariffTable,
    rights: Arc<dyn RightsService>,
    numbers: Arc<dyn InvoiceNumbers>,
    sheet_key: Option<SharedSigner>,
    context_service: Option<Arc<dyn ContextService>>,
    receipt_key: Option<SharedSigner>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Billing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Billing")
            .field(
                "practice",
                &self.practice.identity.billing_number().as_str(),
            )
            .field("rights", &self.rights.name())
            .field("sheet_key", &self.sheet_key.as_ref().and_then(|k| k.kid()))
            .field(
                "context_service",
                &self.context_service.as_ref().map(|s| s.name()),
            )
            .field(
                "receipt_key",
                &self.receipt_key.as_ref().and_then(|k| k.kid()),
            )
            .finish_non_exhaustive()
    }
}

impl Billing {
    /// Billing for `practice`, asking `rights` for the rights of the day and
    /// numbering sheets from `numbers`, with the embedded tariffs and no
    /// signer yet: add the one the cards' profile needs
    /// ([`Billing::with_sheet_key`], [`Billing::with_context_service`]).
    pub fn new(
        practice: Practice,
        rights: Arc<dyn RightsService>,
        numbers: Arc<dyn InvoiceNumbers>,
    ) -> Self {
        Billing {
            practice,
            tariffs: TariffTable::embedded(),
            rights,
            numbers,
            sheet_key: None,
            context_service: None,
            receipt_key: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// Replaces the embedded tariffs (a newer file read with
    /// [`TariffTable::parse`]).
    #[must_use]
    pub fn with_tariffs(mut self, tariffs: TariffTable) -> Self {
        self.tariffs = tariffs;
        self
    }

    /// The professional's key, which signs the sheets of cards read offline
    /// (`open` profile).
    #[must_use]
    pub fn with_sheet_key(mut self, key: SharedSigner) -> Self {
        self.sheet_key = Some(key);
        self
    }

    /// The context service, which signs the sheets of cards read online
    /// (`token` profile) under the card's context.
    #[must_use]
    pub fn with_context_service(mut self, service: Arc<dyn ContextService>) -> Self {
        self.context_service = Some(service);
        self
    }

    /// A key listed with the receipt usage in the trust list: receipts are
    /// then signed, and the phone can check them.
    #[must_use]
    pub fn with_receipt_key(mut self, key: SharedSigner) -> Self {
        self.receipt_key = Some(key);
        self
    }

    /// Replaces the clock that dates receipts.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The practice.
    pub fn practice(&self) -> &Practice {
        &self.practice
    }

    /// The tariffs in use.
    pub fn tariffs(&self) -> &TariffTable {
        &self.tariffs
    }

    /// Asks the rights service for the rights on `date` of the beneficiary
    /// of rank `rank` (through the insured person's NIR, the beneficiary's
    /// birth date and birth rank, as on the card).
    ///
    /// # Errors
    /// [`Error::Verify`] when the card has no such rank; [`Error::Rights`]
    /// when the query cannot be made or the service fails or refuses.
    pub fn rights(&self, card: &VerifiedCard, rank: Rank, date: Date) -> Result<Rights, Error> {
        let beneficiary = card.beneficiary(rank)?.data();
        let query = RightsQuery::new(
            date,
            BeneficiaryId::ThroughInsured {
                insured_nir: card.insured().nir().clone(),
                birth_date: beneficiary.birth_date().clone(),
                birth_rank: beneficiary.birth_rank(),
            },
        )?;
        Ok(self.rights.rights(&query)?)
    }

    /// The *parcours de soins* the rights show for this practice on `date`:
    /// [`Pathway::TreatingDoctor`] when a *médecin traitant* is declared on
    /// that day and the service names this practice's RPPS, else
    /// [`Pathway::Outside`]. Referral, direct access and emergencies are
    /// the physician's to state ([`VisitRequest::with_pathway`]): the
    /// rights do not show them.
    pub fn pathway(&self, rights: &Rights, date: Date) -> Pathway {
        let declared = rights.on(date).care_pathway() == CarePathway::TreatingDoctorDeclared;
        let ours = match (rights.treating_doctor(), self.practice.identity.rpps()) {
            (Some(doctor), Some(rpps)) => doctor.rpps() == Some(rpps),
            _ => false,
        };
        if declared && ours {
            Pathway::TreatingDoctor
        } else {
            Pathway::Outside
        }
    }

    /// Bills one visit: rights of the day, care sheet (priced, numbered —
    /// the number is taken last, once every rule passed), hash, signature
    /// with the signer the card's profile needs, and receipt.
    ///
    /// # Errors
    /// [`Error::NoSheetSigner`] before anything else when the card's
    /// profile needs a signer this billing lacks (no number is used);
    /// [`Error::Verify`] for a rank not on the card; [`Error::Rights`] from
    /// the rights service; [`Error::Fse`] from the sheet's rules, the
    /// number store, the signer or the receipt.
    pub fn bill(&self, card: &VerifiedCard, request: &VisitRequest) -> Result<BilledVisit, Error> {
        let signer = self.signer_for(card)?;
        let rights = self.rights(card, request.rank, request.date)?;
        let visit = Visit {
            date: request.date,
            pathway: request
                .pathway
                .unwrap_or_else(|| self.pathway(&rights, request.date)),
            acts: request.acts.clone(),
            offer_third_party: request.offer_third_party,
        };
        let sheet = CareSheet::build(
            &self.practice,
            &self.tariffs,
            card,
            request.rank,
            &rights,
            &visit,
            self.numbers.as_ref(),
        )?;
        let to_sign = sheet.prepare();
        let sheet = match signer {
            SheetSigner::Key(key) => to_sign.sign(key)?,
            SheetSigner::Context(service, context) => {
                to_sign.sign_with_context(service, context)?
            }
        };
        let receipt = Receipt::of(&sheet, self.clock.now())?;
        let signed_receipt = match &self.receipt_key {
            Some(key) => Some(receipt.sign(key.as_ref())?),
            None => None,
        };
        Ok(BilledVisit {
            rights,
            sheet,
            receipt,
            signed_receipt,
        })
    }

    fn signer_for<'a>(&'a self, card: &'a VerifiedCard) -> Result<SheetSigner<'a>, Error> {
        match card.provenance() {
            Provenance::Online(p) => match &self.context_service {
                Some(service) => Ok(SheetSigner::Context(service.as_ref(), p.context_id())),
                None => Err(Error::NoSheetSigner { profile: "token" }),
            },
            _ => match &self.sheet_key {
                Some(key) => Ok(SheetSigner::Key(key.as_ref())),
                None => Err(Error::NoSheetSigner { profile: "open" }),
            },
        }
    }
}

enum SheetSigner<'a> {
    Key(&'a (dyn Signer + Send + Sync)),
    Context(&'a dyn ContextService, &'a vitale_verify::token::ContextId),
}
