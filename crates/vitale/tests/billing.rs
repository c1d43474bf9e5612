//! The facade's billing flow against the simulator's HTTPS services on
//! loopback: a card read offline (`open` profile, signed with the
//! professional's key) and a card read online (`token` profile, signed by
//! the context service), each billed in one call, its sheet, signature and
//! receipt checked; and the failures that must use no invoice number.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::Arc;

use vitale::billing::{Billing, VisitRequest};
use vitale::codec::model::{Rank, Timestamp};
use vitale::fse::numbering::MemoryInvoiceNumbers;
use vitale::fse::pricing::{ActLine, Pathway, Profession, Sector};
use vitale::fse::signing::SheetSignature;
use vitale::fse::tariff::TariffZone;
use vitale::fse::{InvoiceNumbers, Practice, Receipt};
use vitale::verify::token::TokenVerifier;
use vitale::verify::{Signer, SoftwareSigner, VerifiedCard, Verifier, default_backend};
use vitale::{Error, Terminal};
use vitale_adri::{BillingNumber, ProfessionalIdentity, SpecialtyCode};
use vitale_http::{
    BaseUrl, ClientConfig, HttpClient, HttpContextService, HttpRightsService, PinnedCa,
};
use vitale_sim::online::{OnlineServer, ServerConfig};
use vitale_sim::{Scenario, Seed};

const SEED: u64 = 2026;

fn now() -> Timestamp {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap()
}

fn professional() -> ProfessionalIdentity {
    ProfessionalIdentity::new(
        BillingNumber::parse("991234567").unwrap(),
        SpecialtyCode::GENERAL_PRACTICE,
    )
}

fn practice() -> Practice {
    Practice {
        identity: professional(),
        profession: Profession::Physician,
        sector: Sector::One,
        zone: TariffZone::Metropole,
    }
}

fn client(server: &OnlineServer) -> HttpClient {
    HttpClient::new(ClientConfig::new(
        BaseUrl::parse(&server.url()).unwrap(),
        PinnedCa::from_pem(server.ca_pem().as_bytes()).unwrap(),
    ))
}

struct World {
    scenario: Scenario,
    server: OnlineServer,
    terminal: Terminal,
}

fn world() -> World {
    let now = now();
    let scenario = Scenario::new(Seed::from_u64(SEED), 3, now).unwrap();
    let server = OnlineServer::start(ServerConfig::new(
        Seed::from_u64(SEED),
        vec![scenario.household.clone()],
    ))
    .unwrap();
    let store = vitale::load_trust_store(
        &scenario.trust_list,
        &scenario.anchor.public_key().to_spki_der(),
        now,
    )
    .unwrap();
    let context = HttpContextService::new(client(&server), professional());
    let terminal = Terminal::new(Verifier::new(store))
        .with_token_verifier(TokenVerifier::new(Arc::new(context)));
    World {
        scenario,
        server,
        terminal,
    }
}

fn offline_card(w: &World) -> VerifiedCard {
    let text = w.scenario.phone.present_qr_text(now(), 120).unwrap();
    w.terminal.verify_text(&text).unwrap()
}

fn billing(w: &World, numbers: Arc<dyn InvoiceNumbers>) -> Billing {
    let rights = HttpRightsService::new(client(&w.server), professional());
    Billing::new(practice(), Arc::new(rights), numbers)
}

fn consultation(rank: u8) -> VisitRequest {
    VisitRequest::new(
        Rank::new(rank).unwrap(),
        now().date(),
        vec![ActLine::new("G".parse().unwrap())],
    )
}

#[test]
fn a_card_read_offline_is_billed_signed_and_given_a_receipt() {
    let w = world();
    let numbers = Arc::new(MemoryInvoiceNumbers::new());
    let key = Arc::new(SoftwareSigner::from_slice(&[0x42; 32]).unwrap());
    // The simulator's issuer key is listed with the receipt usage.
    let receipt_key = w.scenario.issuer.issuer_key(0).unwrap().signer();
    let billing = billing(&w, numbers.clone())
        .with_sheet_key(key.clone())
        .with_receipt_key(receipt_key);
    let card = offline_card(&w);
    // The beneficiary whose rights declare a médecin traitant (the practice
    // is taken to be it): the consultation is within the pathway.
    let date = now().date();
    let rank = card
        .beneficiaries()
        .iter()
        .map(|b| b.rank())
        .find(|&r| {
            let rights = billing.rights(&card, r, date).unwrap();
            rights.on(date).care_pathway() == vitale_adri::CarePathway::TreatingDoctorDeclared
        })
        .expect("seed 2026 declares a treating doctor for one beneficiary");
    let visit = consultation(rank.get()).with_pathway(Pathway::TreatingDoctor);
    let billed = billing.bill(&card, &visit).unwrap();

    // The sheet: G 30 € at 70 %, less the 2 € participation.
    let sheet = billed.sheet().sheet();
    assert_eq!(sheet.number.get(), 1);
    assert_eq!(sheet.totals.fee.get(), 3000);
    assert_eq!(sheet.totals.amo_net.get(), 1900);
    // Signed by the professional's key, over the sheet's digest.
    billed
        .sheet()
        .verify(key.verifying_key(), default_backend())
        .unwrap();
    match billed.sheet().signature() {
        SheetSignature::Es256 { kid, .. } => assert_eq!(*kid, key.kid()),
        other => panic!("ES256 expected, got {other:?}"),
    }
    // The card read is the presentation just verified.
    let digest = card.provenance().offline().unwrap().presentation_digest();
    match &sheet.card {
        vitale::fse::sheet::CardRead::Offline {
            presentation_digest,
            ..
        } => assert_eq!(*presentation_digest, digest),
        other => panic!("offline card read expected, got {other:?}"),
    }
    // The receipt, signed with a key of the receipt usage, checks against
    // the trust list the terminal uses.
    let signed = billed.signed_receipt().expect("a signed receipt");
    let list = w.terminal.verifier().trust_store().current();
    let receipt = Receipt::verify(signed, &list, now()).unwrap();
    assert_eq!(&receipt, billed.receipt());
    assert!(billed.receipt().to_text().contains("30,00"));
    assert_eq!(billed.receipt().sheet_digest(), &billed.sheet().digest());

    // The JSON outcome.
    let json = billed.to_json().unwrap();
    assert_eq!(json["sheet"]["number"], 1);
    assert_eq!(json["signature"]["kind"], "es256");
    assert_eq!(
        json["digest"].as_str().unwrap().len(),
        64,
        "hex SHA-256: {json}"
    );
    assert!(json["rights"].is_object());
    assert!(json["receipt"]["signed"].is_string());

    // The next visit takes the next number.
    let again = billing.bill(&offline_card(&w), &consultation(1)).unwrap();
    assert_eq!(again.sheet().sheet().number.get(), 2);
    w.server.stop();
}

#[test]
fn a_card_read_online_is_signed_by_the_context_service() {
    let w = world();
    let token = w.server.issue_token(0, 300).unwrap();
    let card = w
        .terminal
        .verify_token(&token, vitale::codec::model::Channel::Qr)
        .unwrap();
    let context = HttpContextService::new(client(&w.server), professional());
    let billing =
        billing(&w, Arc::new(MemoryInvoiceNumbers::new())).with_context_service(Arc::new(context));
    let billed = billing.bill(&card, &consultation(1)).unwrap();
    match billed.sheet().signature() {
        SheetSignature::Context {
            context_id,
            signature,
        } => {
            assert_eq!(context_id, card.provenance().online().unwrap().context_id());
            // The simulated service signs ES256 over the sheet's signed bytes.
            let signature = vitale::verify::Signature::from_slice(signature).unwrap();
            default_backend()
                .verify_es256(
                    &w.server.signing_key().unwrap(),
                    billed.sheet().signed_bytes(),
                    &signature,
                )
                .unwrap();
        }
        other => panic!("a context signature expected, got {other:?}"),
    }
    assert!(
        billed.signed_receipt().is_none(),
        "no receipt key configured"
    );
    w.server.stop();
}

#[test]
fn failures_use_no_invoice_number() {
    let w = world();
    let numbers = Arc::new(MemoryInvoiceNumbers::new());
    let card = offline_card(&w);
    let professional = practice().identity.billing_number().clone();

    // No signer for the card's profile: refused before anything else.
    let unsigned = billing(&w, numbers.clone());
    let e = unsigned.bill(&card, &consultation(1)).unwrap_err();
    assert!(
        matches!(e, Error::NoSheetSigner { profile: "open" }),
        "{e:?}"
    );
    assert_eq!(e.kind(), "no_sheet_signer");

    let key = Arc::new(SoftwareSigner::from_slice(&[7; 32]).unwrap());
    let billing = billing(&w, numbers.clone()).with_sheet_key(key);
    // A rank not on the card.
    let e = billing.bill(&card, &consultation(9)).unwrap_err();
    assert_eq!(e.kind(), "no_such_beneficiary", "{e:?}");
    // An act with no tariff on the date.
    let mut visit = consultation(1);
    visit.acts = vec![ActLine::new("DEQP003".parse().unwrap())];
    let e = billing.bill(&card, &visit).unwrap_err();
    assert_eq!(e.kind(), "fse_act_unknown_on_date", "{e:?}");
    // A rights service that cannot be reached.
    w.server
        .set_fault(Some(vitale_sim::online::Fault::Unavailable));
    let e = billing.bill(&card, &consultation(1)).unwrap_err();
    assert_eq!(e.kind(), "rights_unavailable", "{e:?}");
    w.server.set_fault(None);

    assert_eq!(numbers.last(&professional).unwrap(), None);
    let billed = billing.bill(&card, &consultation(1)).unwrap();
    assert_eq!(billed.sheet().sheet().number.get(), 1);
    w.server.stop();
}

#[test]
fn the_pathway_follows_the_declared_treating_doctor() {
    let w = world();
    let billing = billing(&w, Arc::new(MemoryInvoiceNumbers::new()));
    let card = offline_card(&w);
    let date = now().date();
    for b in card.beneficiaries() {
        let rights = billing.rights(&card, b.rank(), date).unwrap();
        // The practice has no RPPS here: the rights cannot show that it is
        // the declared doctor, so the visit is outside the pathway unless
        // the physician says otherwise.
        assert_eq!(billing.pathway(&rights, date), Pathway::Outside);
    }
    w.server.stop();
}
