//! The whole `token` profile against the simulator over HTTPS: a token
//! read by the facade's `Terminal` → context → verified card → the care
//! sheet's hash signed under the context → context closed. And every line
//! of tracing (and `log`) output of that run holds no NIR, name, birth
//! date or token.

mod support;

use std::sync::{Arc, Mutex};

use support::*;
use vitale::Terminal;
use vitale::codec::model::{Channel, Timestamp};
use vitale::verify::token::ContextService;
use vitale::verify::{Signature, Verifier, default_backend};
use vitale_sim::{Household, Scenario, Seed};

fn now() -> Result<Timestamp> {
    Timestamp::from_datetime(time_now()).ok_or_else(|| "clock out of range".into())
}

fn time_now() -> ::time::OffsetDateTime {
    ::time::OffsetDateTime::now_utc()
}

/// The terminal of a workstation: offline verifier for `open` texts,
/// token verifier over HTTPS.
fn terminal(service: vitale_http::HttpContextService) -> Result<Terminal> {
    let scenario = Scenario::new(Seed::from_u64(7), 3, now()?)?;
    let store = vitale::load_trust_store(
        &scenario.trust_list,
        &scenario.anchor.public_key().to_spki_der(),
        now()?,
    )?;
    Ok(Terminal::new(Verifier::new(store)).with_token_verifier(verifier(service)))
}

/// Runs the whole flow; returns what must not be logged.
fn flow() -> Result<Vec<String>> {
    let server = server(None, |_| {})?;
    let service = service(config(&server, std::time::Duration::from_secs(30))?);
    let terminal = terminal(service.clone())?;
    let household: &Household = server
        .households()
        .first()
        .ok_or("the server has a household")?;
    let token = server.issue_token(0, 120)?;

    // Token → context → card, routed by the terminal from the text alone.
    let card = terminal.verify_text(token.as_str())?;
    assert_eq!(card.insured(), &household.insured);
    let ranks: Vec<_> = card
        .beneficiaries()
        .iter()
        .map(|b| b.data().clone())
        .collect();
    assert_eq!(ranks.as_slice(), household.beneficiaries.as_slice());
    let online = card.provenance().online().ok_or("online provenance")?;
    assert_eq!(online.service(), "127.0.0.1");
    assert_eq!(online.channel(), Channel::Qr);
    assert!(online.valid_until() > now()?);

    // After a restart of the billing program: the same card, restored.
    let verifier = terminal.token_verifier().ok_or("token verifier")?;
    let restored = verifier.restore(online.context_id())?;
    assert_eq!(restored.insured(), card.insured());

    // The care sheet's hash, signed by the service under the context.
    let care_sheet = br#"{"fse":"lite","acts":["G"],"total_cents":3000}"#;
    let digest: [u8; 32] = sha2_digest(care_sheet);
    let signature = service.sign_hash(online.context_id(), household.insured.nir(), &digest)?;
    let signature = Signature::from_slice(&signature)?;
    default_backend().verify_es256(&server.signing_key()?, care_sheet, &signature)?;

    // Card → rights: every beneficiary of the card, through the insured
    // person (NIR, birth date, rang de naissance), as billing asks.
    let rights_service = vitale_http::HttpRightsService::new(
        vitale_http::HttpClient::new(config(&server, std::time::Duration::from_secs(30))?),
        professional(),
    );
    let today = now()?.date();
    for beneficiary in card.beneficiaries() {
        let data = beneficiary.data();
        let query = vitale_adri::RightsQuery::new(
            today,
            vitale_adri::BeneficiaryId::ThroughInsured {
                insured_nir: card.insured().nir().clone(),
                birth_date: data.birth_date().clone(),
                birth_rank: data.birth_rank(),
            },
        )?;
        let rights = vitale_adri::RightsService::rights(&rights_service, &query)?;
        assert_eq!(rights.identity().birth_date(), data.birth_date());
        assert_eq!(rights.organisation(), card.insured().organisation());
        let on_the_day = rights.on(today);
        assert!(on_the_day.is_amo_open());
        assert_eq!(rights.complementary().first(), data.complementary());
    }
    assert_eq!(server.stats().rights, 3);

    service.close(online.context_id())?;
    assert!(verifier.restore(online.context_id()).is_err());

    // What must never reach a log.
    let mut secrets = vec![token.as_str().to_owned()];
    let nir = household.insured.nir();
    secrets.push(nir.as_str().to_owned());
    secrets.push(nir.to_string());
    for b in household.beneficiaries.as_slice() {
        secrets.push(b.birth_date().as_str().to_owned());
        secrets.push(b.birth_name().as_str().to_owned());
        secrets.push(b.first_names().as_str().to_owned());
        if let Some(ins) = b.ins() {
            secrets.push(ins.ins().matricule().as_str().to_owned());
        }
    }
    Ok(secrets)
}

fn sha2_digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}

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

#[test]
fn token_to_card_to_signature_with_no_personal_data_in_the_logs() -> Result {
    // `log` records (ureq's) are forwarded to tracing, then everything is
    // captured at the most verbose level.
    tracing_log::LogTracer::init()?;
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let secrets = tracing::subscriber::with_default(subscriber, flow)?;
    assert!(secrets.len() > 4);
    let logs = String::from_utf8(capture.0.lock().map(|v| v.clone()).unwrap_or_default())?;
    // The run was logged (so the check below is not vacuous)…
    for operation in [
        "open_context",
        "restore_context",
        "sign_hash",
        "close_context",
    ] {
        assert!(logs.contains(operation), "no log line for {operation}");
    }
    // …and none of it is personal data, with one documented exception
    // (docs/online.md §8): ureq-proto dumps the raw HTTP bytes, bodies
    // included, through `log` at TRACE level under its own target. Those
    // rows are checked apart: if they ever stop carrying data, the
    // exception can go.
    let raw_dump =
        |line: &&str| line.contains(" TRACE ") && line.contains("log.target=\"ureq_proto::");
    let (dumps, ours): (Vec<&str>, Vec<&str>) = logs.lines().partition(raw_dump);
    for secret in &secrets {
        assert!(
            !ours.iter().any(|l| l.contains(secret.as_str())),
            "a log line holds personal data or the token"
        );
    }
    assert!(
        !dumps.is_empty(),
        "ureq-proto no longer dumps raw bytes at TRACE: update docs/online.md §8"
    );
    Ok(())
}
