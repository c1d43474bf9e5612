//! `vitale rights`: a beneficiary's rights (ADRi) from a rights service
//! over the reference protocol (`docs/online.md` §3.5), by NIR, or for
//! every beneficiary of a card read from a token.

use serde::Serialize;
use time::Date;
use vitale::codec::TokenText;
use vitale::codec::model::Channel;
use vitale::http::HttpRightsService;
use vitale::ins::{BirthDate, Nir};
use vitale::model::BirthRank;
use vitale_adri::{AmoStatus, BeneficiaryId, Rights, RightsError, RightsQuery, RightsService};

use super::output::{ErrorBody, Out, chain, date};
use super::{Error, Status};
use crate::cli::RightsArgs;

/// One beneficiary's answer, in JSON.
#[derive(Debug, Serialize)]
struct RightsJson {
    ok: bool,
    /// `open` or `closed` on the reference date.
    #[serde(skip_serializing_if = "Option::is_none")]
    amo: Option<&'static str>,
    /// The answer in the shape of docs/rights.md, NIRs masked unless
    /// `--show-nir`.
    #[serde(skip_serializing_if = "Option::is_none")]
    rights: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorBody<'static>>,
}

/// The whole command, in JSON.
#[derive(Debug, Serialize)]
struct ReportJson {
    ok: bool,
    date: String,
    service: String,
    results: Vec<RightsJson>,
}

fn nir(text: &str, flag: &str) -> Result<Nir, Error> {
    Nir::parse(text).map_err(|e| Error::Usage(format!("{flag}: {e}")))
}

fn today() -> Result<Date, Error> {
    Ok(time::OffsetDateTime::now_utc().date())
}

/// The queries the arguments ask for (one, or one per beneficiary of the
/// card the token gives).
fn queries(args: &RightsArgs, day: Date) -> Result<Vec<BeneficiaryId>, Error> {
    if let Some(text) = &args.nir {
        return Ok(vec![BeneficiaryId::CertifiedNir(nir(text, "--nir")?)]);
    }
    if let (Some(insured), Some(birth)) = (&args.insured_nir, &args.birth_date) {
        return Ok(vec![BeneficiaryId::ThroughInsured {
            insured_nir: nir(insured, "--insured-nir")?,
            birth_date: BirthDate::parse(birth)
                .map_err(|e| Error::Usage(format!("--birth-date: {e}")))?,
            birth_rank: BirthRank::new(args.birth_rank)
                .ok_or_else(|| Error::Usage("--birth-rank is 1 to 9".into()))?,
        }]);
    }
    let text = args.token.as_deref().unwrap_or_default();
    let token = TokenText::parse(text).map_err(|e| Error::Usage(format!("--token: {e}")))?;
    let verifier = super::online::token_verifier(&args.context, None)?
        .ok_or_else(|| Error::Usage("--token needs --context-service".into()))?;
    let _ = day;
    let card = verifier
        .verify(&token, Channel::Qr)
        .map_err(|e| Error::Card(vitale::Error::from(e)))?;
    Ok(card
        .beneficiaries()
        .iter()
        .map(|b| BeneficiaryId::ThroughInsured {
            insured_nir: card.insured().nir().clone(),
            birth_date: b.data().birth_date().clone(),
            birth_rank: b.data().birth_rank(),
        })
        .collect())
}

pub(super) fn run(args: &RightsArgs, out: &mut Out) -> Result<Status, Error> {
    let day = match &args.date {
        Some(text) => vitale::model::time::parse_date(text)
            .ok_or_else(|| Error::Usage(format!("--date {text:?}: expected YYYY-MM-DD")))?,
        None => today()?,
    };
    let client = super::online::client(&args.service, "--service", &args.context)?;
    let service = HttpRightsService::new(client, super::online::professional(&args.context)?);
    let mut status = Status::Ok;
    let mut results = Vec::new();
    if !out.json() {
        out.line(&format!(
            "Rights on {} (rights service {})",
            date(day),
            service.name()
        ))?;
    }
    for id in queries(args, day)? {
        let query = RightsQuery::new(day, id).map_err(|e| Error::Usage(format!("--date: {e}")))?;
        let (result, this) = match service.rights(&query) {
            Ok(rights) => answer(&rights, day, out)?,
            Err(e) => refusal(&e, out)?,
        };
        status = status.max(this);
        results.push(result);
    }
    if out.json() {
        out.json_line(&ReportJson {
            ok: status == Status::Ok,
            date: date(day),
            service: service.name().to_owned(),
            results,
        })?;
    }
    Ok(status)
}

/// One answer: printed, and exit 1 when the AMO rights are closed that day.
fn answer(rights: &Rights, day: Date, out: &mut Out) -> Result<(RightsJson, Status), Error> {
    let on = rights.on(day);
    let (amo, status) = match on.amo() {
        AmoStatus::Open(_) => ("open", Status::Ok),
        _ => ("closed", Status::Rejected),
    };
    if out.json() {
        let mut value = serde_json::to_value(rights).unwrap_or_default();
        if let Some(identity) = value.get_mut("identity").and_then(|v| v.as_object_mut()) {
            identity.insert(
                "insured_nir".into(),
                out.nir(rights.identity().insured_nir()).into(),
            );
            let own = rights.identity().beneficiary_nir().map(|n| out.nir(n));
            identity.insert("beneficiary_nir".into(), own.into());
        }
        return Ok((
            RightsJson {
                ok: status == Status::Ok,
                amo: Some(amo),
                rights: Some(value),
                error: None,
            },
            status,
        ));
    }
    let identity = rights.identity();
    out.line(&format!(
        "  {} {} (born {}, rang {}) — insured {}",
        identity.birth_name().as_str(),
        identity.first_names().as_str(),
        identity.birth_date().as_str(),
        identity.birth_rank().get(),
        out.nir(identity.insured_nir()),
    ))?;
    match on.amo() {
        AmoStatus::Open(period) => out.line(&format!(
            "    AMO               open (since {})",
            date(period.from())
        ))?,
        AmoStatus::Closed { ended, .. } => out.line(&format!(
            "    AMO               CLOSED (droits fermés){}",
            ended
                .map(|d| format!(", ended {}", date(d)))
                .unwrap_or_default()
        ))?,
        _ => out.line("    AMO               closed")?,
    }
    for c in rights.coverage_periods() {
        if c.period().contains(day) {
            out.line(&format!(
                "    exemption         {} at {} bp (until {})",
                c.reason().code(),
                c.amo_rate().basis_points(),
                c.period().until().map(date).unwrap_or_else(|| "-".into())
            ))?;
        }
    }
    out.line(&format!("    parcours de soins {:?}", on.care_pathway()))?;
    for amc in rights.complementary() {
        out.line(&format!(
            "    AMC               {} {} (gestion unique)",
            amc.amc_number().as_str(),
            amc.guarantee().as_str()
        ))?;
    }
    Ok((
        RightsJson {
            ok: status == Status::Ok,
            amo: Some(amo),
            rights: None,
            error: None,
        },
        status,
    ))
}

/// A refusal or failure: exit 2 when the service cannot be reached, 1
/// otherwise.
fn refusal(e: &RightsError, out: &mut Out) -> Result<(RightsJson, Status), Error> {
    let kind = e.kind();
    let status = if kind == "rights_unavailable" {
        Status::Failed
    } else {
        Status::Rejected
    };
    if !out.json() {
        out.line(&format!("  REFUSED: {} [{kind}]", chain(e)))?;
    }
    Ok((
        RightsJson {
            ok: false,
            amo: None,
            rights: None,
            error: Some(ErrorBody::new(kind, e)),
        },
        status,
    ))
}
