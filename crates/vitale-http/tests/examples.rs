//! The examples of `docs/online.md` (files in `docs/online/`) are made by
//! the code and parsed by it, so they cannot drift: `VITALE_BLESS=1`
//! rewrites them after a deliberate change (review the diff).

use std::path::{Path, PathBuf};

use vitale_codec::model::{Channel, Timestamp};
use vitale_http::ServiceCode;
use vitale_http::wire::{self, OpenRequest, SignAnswer, SignRequest};
use vitale_sim::{Household, Seed};
use vitale_verify::token::{Context, ContextId};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/online")
}

fn pretty(json: &[u8]) -> Result<String> {
    let value: serde_json::Value = serde_json::from_slice(json)?;
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

/// Compares (or, blessing, writes) one example file.
fn check(name: &str, json: &[u8]) -> Result<String> {
    let path = folder().join(name);
    let text = pretty(json)?;
    if vitale_test_support::blessing() {
        std::fs::create_dir_all(folder())?;
        std::fs::write(&path, &text)?;
    }
    let on_disk = std::fs::read_to_string(&path)?;
    assert_eq!(on_disk, text, "{name} differs: VITALE_BLESS=1 and review");
    let page = std::fs::read_to_string(folder().join("../online.md"))?;
    assert!(
        vitale_test_support::blessing() || page.contains(&format!("```json\n{on_disk}```")),
        "docs/online.md does not show {name} as it is"
    );
    Ok(on_disk)
}

#[test]
fn the_documented_examples_are_what_the_code_writes_and_reads() -> Result {
    let household = Household::sample(&Seed::from_u64(7), 3)?;
    let context = Context::new(
        ContextId::new("ctx-5f0c2a7e9b1d4c3a8e6f0b21").ok_or("id")?,
        Timestamp::parse_rfc3339("2026-11-12T14:35:00Z").ok_or("time")?,
        Channel::Qr,
        household.insured.clone(),
        household.beneficiaries.clone(),
    );
    let text = check("context.json", &wire::context_json(&context))?;
    assert_eq!(wire::parse_context(text.as_bytes())?, context);

    let open = OpenRequest {
        token: "SIMTOK1.000000000000000000000000006B0CBB32.7E3B094FD2F0BC9DF75134F5B0E68F9A".into(),
        channel: "qr".into(),
        professional: professional(),
    };
    let text = check("open-request.json", &serde_json::to_vec(&open)?)?;
    assert_eq!(OpenRequest::parse(text.as_bytes())?, open);

    let digest: [u8; 32] = core::array::from_fn(|i| u8::try_from(i).unwrap_or(0));
    let sign = SignRequest::new(household.insured.nir().clone(), &digest);
    let text = check("sign-request.json", &serde_json::to_vec(&sign)?)?;
    assert_eq!(SignRequest::parse(text.as_bytes())?.digest_bytes()?, digest);

    let signature: [u8; 64] = core::array::from_fn(|i| u8::try_from(255 - i).unwrap_or(0));
    let text = check(
        "sign-answer.json",
        &serde_json::to_vec(&SignAnswer::new(&signature))?,
    )?;
    assert_eq!(SignAnswer::parse(text.as_bytes())?, signature.to_vec());

    // Rights: the query of the holder of the same household on a fixed
    // day, and what the reference server answers (deterministic from the
    // seed).
    let server = vitale_sim::online::OnlineServer::start(vitale_sim::online::ServerConfig::new(
        Seed::from_u64(7),
        vec![household.clone()],
    ))?;
    let holder = household.beneficiaries.iter().next().ok_or("holder")?;
    let query = vitale_adri::RightsQuery::new(
        time::macros::date!(2026 - 11 - 12),
        vitale_adri::BeneficiaryId::ThroughInsured {
            insured_nir: household.insured.nir().clone(),
            birth_date: holder.birth_date().clone(),
            birth_rank: holder.birth_rank(),
        },
    )?;
    let request = wire::RightsRequest {
        professional: professional(),
        query: query.clone(),
    };
    let text = check("rights-request.json", &serde_json::to_vec(&request)?)?;
    assert_eq!(wire::RightsRequest::parse(text.as_bytes())?, request);
    let ca = vitale_http::PinnedCa::from_pem(server.ca_pem().as_bytes())?;
    let client = vitale_http::HttpClient::new(vitale_http::ClientConfig::new(
        vitale_http::BaseUrl::parse(&server.url())?,
        ca,
    ));
    let rights = vitale_adri::RightsService::rights(
        &vitale_http::HttpRightsService::new(client, professional()),
        &query,
    )?;
    let text = check("rights.json", &rights.to_json()?)?;
    assert_eq!(wire::parse_rights(text.as_bytes())?, rights);

    let code = ServiceCode::new("token_refused").ok_or("code")?;
    let text = check("error.json", &wire::error_body(&code, "token already used"))?;
    assert_eq!(wire::parse_error_body(text.as_bytes()), Some(code));
    Ok(())
}

fn professional() -> vitale_adri::ProfessionalIdentity {
    vitale_adri::ProfessionalIdentity::new(
        vitale_adri::BillingNumber::parse("991234567").unwrap_or_else(|_| unreachable!("9 digits")),
        vitale_adri::SpecialtyCode::parse("01").unwrap_or_else(|_| unreachable!("2 digits")),
    )
}
