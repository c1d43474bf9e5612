//! `vitale fse build`: a card read → the rights of the day → the numbered
//! care sheet, written to a file; signed in the same call with `--key` or
//! `--sign` ([`vitale::billing::Billing::bill`]).

use std::sync::Arc;

use serde::Serialize;
use vitale::adri::CareScope;
use vitale::billing::{BilledVisit, Billing, VisitRequest};
use vitale::codec::TextKind;
use vitale::codec::model::{Channel, Rank};
use vitale::fse::pricing::{ActLine, Pathway, Profession, Sector};
use vitale::fse::tariff::TariffZone;
use vitale::fse::{Act, CareSheet, Cents, Practice, TariffTable, Visit};
use vitale::http::{HttpContextService, HttpRightsService};
use vitale::verify::VerifiedCard;
use vitale::verify::policy::FixedClock;
use vitale_store::SqliteInvoiceNumbers;

use super::{Failure, NewFile, invoice_store_error, keys, sheet_json, sheet_text};
use crate::cli_fse::{FseBuildArgs, PathwayArg, ProfessionArg, SectorArg, ZoneArg};
use crate::cmd::output::{Out, hex};
use crate::cmd::{Error, Status, arg_or_stdin_line, load_verifier, online, time_or_now};

/// Largest tariff file read (the table's own limit is 1 MiB).
const MAX_TARIFF_FILE: usize = 1024 * 1024;

/// `{"ok": true, "signed": false, "sheet": {…}, "digest": …, "out": …}`.
#[derive(Debug, Serialize)]
struct BuiltJson {
    ok: bool,
    signed: bool,
    invoice: u32,
    /// Hex SHA-256 of the sheet's CBOR: what a signer signs.
    digest: String,
    #[serde(serialize_with = "crate::cmd::output::path_lossy")]
    out: std::path::PathBuf,
    sheet: serde_json::Value,
}

pub(super) fn run(args: &FseBuildArgs, out: &mut Out) -> Result<Status, Failure> {
    // Everything that can be refused before the card is read: a token is
    // single-use, and a refused visit must use no invoice number.
    let acts = args
        .acts
        .iter()
        .map(|a| act_line(a))
        .collect::<Result<Vec<_>, Failure>>()?;
    let identity = online::professional(&args.context)?;
    let practice = Practice {
        identity: identity.clone(),
        profession: match args.profession {
            ProfessionArg::Physician => Profession::Physician,
            ProfessionArg::Auxiliary => Profession::Auxiliary,
        },
        sector: match args.sector {
            SectorArg::One => Sector::One,
            SectorArg::TwoOptam => Sector::TwoOptam,
            SectorArg::Two => Sector::Two,
        },
        zone: match args.zone {
            ZoneArg::Metro => TariffZone::Metropole,
            ZoneArg::Dom => TariffZone::Overseas,
        },
    };
    let tariffs = match &args.tariffs {
        Some(path) => {
            let bytes = super::read_bounded(path, "the tariff file", MAX_TARIFF_FILE)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::Usage(format!("--tariffs {}: not UTF-8 text", path.display()))
            })?;
            TariffTable::parse(&text)?
        }
        None => TariffTable::embedded(),
    };
    let at = args
        .trust
        .at
        .as_deref()
        .map(crate::cmd::parse_time)
        .transpose()?;
    let now = time_or_now(args.trust.at.as_deref())?;
    let date = match &args.date {
        Some(text) => vitale::model::time::parse_date(text)
            .ok_or_else(|| Error::Usage(format!("--date {text:?}: expected YYYY-MM-DD")))?,
        None => now.date(),
    };
    let rank = Rank::new(args.rank).ok_or_else(|| Error::Usage("--rank is 1 to 16".into()))?;
    let key = match &args.key {
        Some(path) => Some(Arc::new(keys::load_signer(path, "the professional's key")?)),
        None => None,
    };
    let sign = args.sign || key.is_some();
    let numbers = Arc::new(SqliteInvoiceNumbers::open(&args.numbers).map_err(invoice_store_error)?);
    let rights = HttpRightsService::new(
        online::client(&args.service, "--service", &args.context)?,
        identity.clone(),
    );
    let file = NewFile::reserve(&args.out)?;

    let card = read_card(args)?;

    let mut billing =
        Billing::new(practice, Arc::new(rights), numbers.clone()).with_tariffs(tariffs);
    if let Some(at) = at {
        billing = billing.with_clock(Arc::new(FixedClock(at)));
    }
    let mut request = VisitRequest::new(rank, date, acts).with_third_party(args.third_party);
    if let Some(pathway) = args.pathway {
        request = request.with_pathway(pathway_of(pathway));
    }
    if sign {
        if let Some(key) = key {
            billing = billing.with_sheet_key(key);
        }
        if let Some(url) = &args.context.context_service {
            let service = HttpContextService::new(
                online::client(url, "--context-service", &args.context)?,
                identity,
            );
            billing = billing.with_context_service(Arc::new(service));
        }
        let billed = billing.bill(&card, &request)?;
        let path = file.commit(&billed.sheet().to_cbor())?;
        print_billed(&billed, &path, out)?;
        return Ok(Status::Ok);
    }
    let rights = billing.rights(&card, rank, date)?;
    let visit = Visit {
        date,
        pathway: request
            .pathway
            .unwrap_or_else(|| billing.pathway(&rights, date)),
        acts: request.acts,
        offer_third_party: request.offer_third_party,
    };
    let sheet = CareSheet::build(
        billing.practice(),
        billing.tariffs(),
        &card,
        rank,
        &rights,
        &visit,
        numbers.as_ref(),
    )?;
    let to_sign = sheet.prepare();
    let path = file.commit(to_sign.cbor())?;
    let digest = hex(to_sign.digest());
    let sheet = to_sign.sheet();
    if out.json() {
        out.json_line(&BuiltJson {
            ok: true,
            signed: false,
            invoice: sheet.number.get(),
            digest,
            out: path,
            sheet: sheet_json(sheet, out),
        })?;
    } else {
        out.text(&sheet_text(sheet, out))?;
        out.line(&format!("  digest            {digest} (SHA-256, to sign)"))?;
        out.line(&format!(
            "  written to        {} (NOT SIGNED: `vitale fse sign --sheet {0} …`)",
            path.display()
        ))?;
    }
    Ok(Status::Ok)
}

/// One `--act`: `ACT[:extra=EUROS][:scope=general|ald|atmp]`.
fn act_line(spec: &str) -> Result<ActLine, Failure> {
    let mut parts = spec.split(':');
    let act: Act = parts.next().unwrap_or_default().trim().parse()?;
    let mut line = ActLine::new(act);
    for option in parts {
        match option.split_once('=') {
            Some(("extra", euros)) => {
                let extra = Cents::parse_euros(euros.trim()).ok_or_else(|| {
                    Error::Usage(format!(
                        "--act {spec:?}: extra={euros:?} is not an amount in euros (30.00)"
                    ))
                })?;
                line = line.with_extra_fee(extra);
            }
            Some(("scope", scope)) => {
                line = line.with_scope(match scope.trim() {
                    "general" => CareScope::General,
                    "ald" => CareScope::LongTermCondition,
                    "atmp" => CareScope::WorkInjury,
                    other => {
                        return Err(Error::Usage(format!(
                            "--act {spec:?}: scope={other:?} is not general, ald or atmp"
                        ))
                        .into());
                    }
                });
            }
            _ => {
                return Err(Error::Usage(format!(
                    "--act {spec:?}: {option:?} is not extra=EUROS or scope=general|ald|atmp"
                ))
                .into());
            }
        }
    }
    Ok(line)
}

fn pathway_of(p: PathwayArg) -> Pathway {
    match p {
        PathwayArg::TreatingDoctor => Pathway::TreatingDoctor,
        PathwayArg::Referred => Pathway::Referred,
        PathwayArg::DirectAccess => Pathway::DirectAccess,
        PathwayArg::Emergency => Pathway::Emergency,
        PathwayArg::Outside => Pathway::Outside,
    }
}

/// The card, verified as `vitale verify` does: a token through
/// `--context-service`, a presentation against `--trust`.
fn read_card(args: &FseBuildArgs) -> Result<VerifiedCard, Failure> {
    let text = arg_or_stdin_line(args.text.as_deref(), "presentation")?;
    if let Ok(TextKind::Token(token)) = TextKind::of(&text) {
        let verifier = online::token_verifier(&args.context, args.trust.at.as_deref())?
            .ok_or(vitale::Error::NoTokenVerifier)?;
        return Ok(verifier
            .verify(&token, Channel::Qr)
            .map_err(vitale::Error::from)?);
    }
    let Some(trust) = args.trust.trust.as_deref() else {
        return Err(vitale::Error::NotAPresentation.into());
    };
    let verifier = load_verifier(trust, &args.trust)?;
    Ok(verifier.verify_text(&text).map_err(vitale::Error::from)?)
}

/// The outcome of a build signed in the same call.
fn print_billed(
    billed: &BilledVisit,
    path: &std::path::Path,
    out: &mut Out,
) -> Result<(), Failure> {
    let sheet = billed.sheet().sheet();
    if out.json() {
        let mut value = billed.to_json()?;
        if let Some(object) = value.as_object_mut() {
            object.insert("ok".into(), true.into());
            object.insert("signed".into(), true.into());
            object.insert("invoice".into(), sheet.number.get().into());
            object.insert("out".into(), path.display().to_string().into());
            object.insert("sheet".into(), sheet_json(sheet, out));
        }
        mask_rights(&mut value, billed, out);
        out.json_line(&value)?;
        return Ok(());
    }
    out.text(&sheet_text(sheet, out))?;
    out.line(&format!(
        "  signed            {} over {}",
        super::sign::signature_text(billed.sheet().signature()),
        hex(&billed.sheet().digest())
    ))?;
    out.line(&format!("  written to        {}", path.display()))?;
    out.line("")?;
    out.text(&billed.receipt().to_text())?;
    Ok(())
}

/// The rights answer's NIRs masked unless `--show-nir`.
fn mask_rights(value: &mut serde_json::Value, billed: &BilledVisit, out: &Out) {
    let identity = billed.rights().identity();
    if let Some(object) = value
        .pointer_mut("/rights/identity")
        .and_then(|v| v.as_object_mut())
    {
        object.insert("insured_nir".into(), out.nir(identity.insured_nir()).into());
        let own = identity.beneficiary_nir().map(|n| out.nir(n));
        object.insert("beneficiary_nir".into(), own.into());
    }
}
