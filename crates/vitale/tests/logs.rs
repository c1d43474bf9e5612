//! Every event the SDK logs during a workstation's day — a trust list
//! loaded, cards read from a QR image, a scanner line and a token,
//! refusals (a replay, an expired presentation), a visit billed and
//! signed — captured at the most verbose level by a subscriber of the
//! vendor's: the decisions are there, and no personal data (NIR with and
//! without spaces, names, birth dates, any 20 characters of a
//! presentation).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::{Arc, Mutex};

use vitale::Terminal;
use vitale::billing::{Billing, VisitRequest};
use vitale::codec::model::{Channel, Timestamp};
use vitale::fse::Practice;
use vitale::fse::numbering::MemoryInvoiceNumbers;
use vitale::fse::pricing::{ActLine, Profession, Sector};
use vitale::fse::tariff::TariffZone;
use vitale::verify::token::TokenVerifier;
use vitale::verify::{SoftwareSigner, VerifiedCard};
use vitale_adri::{BillingNumber, ProfessionalIdentity, SpecialtyCode};
use vitale_http::{
    BaseUrl, ClientConfig, HttpClient, HttpContextService, HttpRightsService, PinnedCa,
};
use vitale_sim::online::{OnlineServer, ServerConfig};
use vitale_sim::{RenderOptions, Scenario, Seed, render_qr};

const SEED: u64 = 1414;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn professional() -> ProfessionalIdentity {
    ProfessionalIdentity::new(
        BillingNumber::parse("991234567").unwrap(),
        SpecialtyCode::GENERAL_PRACTICE,
    )
}

fn client(server: &OnlineServer) -> HttpClient {
    HttpClient::new(ClientConfig::new(
        BaseUrl::parse(&server.url()).unwrap(),
        PinnedCa::from_pem(server.ca_pem().as_bytes()).unwrap(),
    ))
}

fn grouped(nir: &str) -> String {
    let mut out = String::new();
    for (i, c) in nir.chars().enumerate() {
        if [1, 3, 5, 7, 10, 13].contains(&i) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The card's personal data, in every form a log line could hold it.
fn personal_data(card: &VerifiedCard) -> Vec<String> {
    let nir = card.insured().nir();
    let mut out = vec![
        nir.as_str().to_owned(),
        nir.to_string(),
        grouped(nir.as_str()),
    ];
    for b in card.beneficiaries() {
        let b = b.data();
        let mut names = vec![b.birth_name().to_string(), b.first_names().to_string()];
        names.extend(b.usual_name().map(ToString::to_string));
        for name in names {
            out.extend(
                name.split(' ')
                    .filter(|w| w.chars().count() >= 3)
                    .map(str::to_owned),
            );
            out.push(name);
        }
        let born = b.birth_date().as_str().to_owned();
        out.push(format!("{}-{}-{}", &born[0..4], &born[4..6], &born[6..8]));
        out.push(born);
        if let Some(ins) = b.ins() {
            out.push(ins.ins().matricule().as_str().to_owned());
        }
    }
    out
}

/// The day, under `subscriber`'s capture: the personal data and the texts
/// shown.
fn a_day(
    terminal: &Terminal,
    scenario: &Scenario,
    server: &OnlineServer,
) -> (Vec<String>, Vec<String>) {
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap();
    let mut texts = Vec::new();
    // A QR image.
    let text = scenario.phone.present_qr_text(now, 120).unwrap();
    let png = render_qr(&text, &RenderOptions::default())
        .unwrap()
        .to_png()
        .unwrap();
    let card = terminal.read_card_from_image(&png).unwrap();
    texts.push(text.clone());
    // The same text from a scanner: a replay.
    let replay = terminal.verify_scanner_line(&text).unwrap_err();
    assert_eq!(replay.kind(), "replay");
    // An expired presentation, from a scanner.
    let old = Timestamp::from_unix(now.unix() - 3600).unwrap();
    let expired = scenario.phone.present_qr_text(old, 120).unwrap();
    assert_eq!(
        terminal.verify_scanner_line(&expired).unwrap_err().kind(),
        "presentation_expired"
    );
    texts.push(expired);
    // A token, verified online.
    let token = server.issue_token(0, 300).unwrap();
    let online = terminal.verify_token(&token, Channel::Qr).unwrap();
    texts.push(token.as_str().to_owned());
    // A visit billed, signed, given a receipt.
    let rights = HttpRightsService::new(client(server), professional());
    let billing = Billing::new(
        Practice {
            identity: professional(),
            profession: Profession::Physician,
            sector: Sector::One,
            zone: TariffZone::Metropole,
        },
        Arc::new(rights),
        Arc::new(MemoryInvoiceNumbers::new()),
    )
    .with_sheet_key(Arc::new(SoftwareSigner::from_slice(&[0x42; 32]).unwrap()));
    let rank = card.beneficiaries()[0].rank();
    let visit = VisitRequest::new(rank, now.date(), vec![ActLine::new("G".parse().unwrap())]);
    let billed = billing.bill(&card, &visit).unwrap();
    assert!(!billed.receipt().to_text().is_empty());
    let mut personal = personal_data(&card);
    personal.extend(personal_data(&online));
    (personal, texts)
}

#[test]
fn a_day_at_the_desk_logs_decisions_and_no_personal_data() {
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap();
    let scenario = Scenario::new(Seed::from_u64(SEED), 3, now).unwrap();
    let server = OnlineServer::start(ServerConfig::new(
        Seed::from_u64(SEED),
        vec![scenario.household.clone()],
    ))
    .unwrap();
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let (personal, texts) = tracing::subscriber::with_default(subscriber, || {
        let context = HttpContextService::new(client(&server), professional());
        let terminal = Terminal::builder()
            .trust_list(scenario.trust_list.clone())
            .pinned_root(scenario.anchor.public_key().to_spki_der())
            .token_verifier(TokenVerifier::new(Arc::new(context)))
            .build()
            .unwrap();
        a_day(&terminal, &scenario, &server)
    });
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    for event in [
        "trust list loaded",
        "qr code found",
        "decoder=\"strategy\"",
        "presentation verified",
        "replay cache hit",
        "kind=\"presentation_expired\"",
        "expired_at=",
        "token verified",
        "vitale_http.call",
        "operation=\"rights\"",
        "care sheet built",
        "care sheet signed",
    ] {
        assert!(logs.contains(event), "no {event:?} in:\n{logs}");
    }
    assert!(personal.len() > 10);
    for secret in &personal {
        assert!(!logs.contains(secret.as_str()), "personal data in the logs");
    }
    for text in &texts {
        let chars: Vec<char> = text.chars().collect();
        for w in chars.windows(20) {
            let slice: String = w.iter().collect();
            assert!(!logs.contains(&slice), "a presentation's text in the logs");
        }
    }
}
