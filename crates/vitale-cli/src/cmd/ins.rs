//! `vitale ins`: NIR validation and Datamatrix INS payloads.

use std::io::Read as _;

use serde::{Deserialize, Serialize};
use vitale::ins::datamatrix::{GS, US};
use vitale::ins::{
    BirthDate, BirthName, CogCode, DatamatrixLayout, GivenNames, IdentityStatus, IdentityTraits,
    Ins, InsDatamatrix, InsOid, Nir, PatientIdentity, Sex,
};

use super::output::{ErrorBody, Out, chain, date, hex};
use super::render::{birth_date, oid_kind};
use super::{Error, Status, arg_or_stdin_line};
use crate::cli::{
    DatamatrixCommand, DatamatrixDecodeArgs, DatamatrixEncodeArgs, InsCommand, NirArgs,
};

pub(super) fn run(command: InsCommand, out: &mut Out) -> Result<Status, Error> {
    match command {
        InsCommand::Nir(args) => nir(&args, out),
        InsCommand::Datamatrix(DatamatrixCommand::Encode(args)) => encode(&args, out),
        InsCommand::Datamatrix(DatamatrixCommand::Decode(args)) => decode(&args, out),
    }
}

/// `{"ok": false, "error": …}` or `REJECTED: …`, exit 1.
fn rejected(e: &vitale::ins::Error, out: &mut Out) -> Result<Status, Error> {
    let kind = vitale::identity_kind(e);
    if out.json() {
        out.json_line(&super::output::ErrorReport {
            ok: false,
            error: ErrorBody::new(kind, e),
        })?;
    } else {
        out.line(&format!("REJECTED: {} [{kind}]", chain(e)))?;
    }
    Ok(Status::Rejected)
}

#[derive(Debug, Serialize)]
struct NirJson {
    ok: bool,
    nir: String,
    category: &'static str,
    birth_year: String,
    birth_month: String,
    corsica: bool,
}

/// What the first digit says.
fn nir_category(nir: &Nir) -> &'static str {
    match nir.as_str().get(0..1) {
        Some("1") => "man",
        Some("2") => "woman",
        Some("3" | "4") => "special",
        Some("7" | "8") => "provisional",
        _ => "other",
    }
}

fn nir(args: &NirArgs, out: &mut Out) -> Result<Status, Error> {
    let text = match args.nir.as_slice() {
        [one] if one == "-" => arg_or_stdin_line(None, "NIR")?,
        parts => parts.join(" "),
    };
    let nir = match Nir::parse(&text) {
        Ok(nir) => nir,
        Err(e) => return rejected(&e, out),
    };
    let json = NirJson {
        ok: true,
        nir: out.nir(&nir),
        category: nir_category(&nir),
        birth_year: nir.as_str().get(1..3).unwrap_or_default().to_owned(),
        birth_month: nir.as_str().get(3..5).unwrap_or_default().to_owned(),
        corsica: nir.is_corsica(),
    };
    if out.json() {
        out.json_line(&json)?;
    } else {
        out.line(&format!("VALID: {}", json.nir))?;
        out.line(&format!(
            "  {} · born {}-{} (year, month){}",
            json.category,
            json.birth_year,
            json.birth_month,
            if json.corsica { " · Corsica" } else { "" }
        ))?;
    }
    Ok(Status::Ok)
}

/// The identity to encode, from flags or JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentityInput {
    matricule: String,
    #[serde(default = "default_oid")]
    oid: String,
    given_names: String,
    birth_name: String,
    sex: String,
    birth_date: String,
    birth_place: String,
}

fn default_oid() -> String {
    "nir".into()
}

fn build(input: &IdentityInput) -> Result<InsDatamatrix, vitale::ins::Error> {
    let traits = IdentityTraits::new(
        BirthName::new(&input.birth_name)?,
        GivenNames::new(&input.given_names)?,
        Sex::parse_letter(&input.sex)?,
        BirthDate::parse_with_dashes(&input.birth_date)?,
        CogCode::parse(&input.birth_place)?,
    );
    let ins = Ins::new(
        Nir::parse(&input.matricule)?,
        InsOid::parse_name_or_dotted(&input.oid)?,
    );
    let identity = PatientIdentity::new(IdentityStatus::Qualified, traits, Some(ins))?;
    InsDatamatrix::new(&identity.shareable()?)
}

/// GS and US as `<GS>` and `<US>`.
fn visible(payload: &str) -> String {
    payload.replace(GS, "<GS>").replace(US, "<US>")
}

#[derive(Debug, Serialize)]
struct EncodeJson {
    ok: bool,
    payload: String,
    visible: String,
}

fn encode(args: &DatamatrixEncodeArgs, out: &mut Out) -> Result<Status, Error> {
    let input = if args.from_json {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("cannot read the identity from stdin", e))?;
        // A file saved on Windows may start with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        serde_json::from_str(text).map_err(|e| Error::Json {
            context: "the identity on stdin is not the expected JSON object".into(),
            source: e,
        })?
    } else {
        let flag = |v: &Option<String>, name: &str| {
            v.clone()
                .ok_or_else(|| Error::Usage(format!("--{name} is required")))
        };
        IdentityInput {
            matricule: flag(&args.matricule, "matricule")?,
            oid: args.oid.clone(),
            given_names: flag(&args.given_names, "given-names")?,
            birth_name: flag(&args.birth_name, "birth-name")?,
            sex: flag(&args.sex, "sex")?,
            birth_date: flag(&args.birth_date, "birth-date")?,
            birth_place: flag(&args.birth_place, "birth-place")?,
        }
    };
    let payload = match build(&input) {
        Ok(payload) => payload.encode(),
        Err(e) => return rejected(&e, out),
    };
    if out.json() {
        out.json_line(&EncodeJson {
            ok: true,
            visible: visible(&payload),
            payload,
        })?;
    } else if args.visible {
        out.line(&visible(&payload))?;
    } else {
        out.line(&payload)?;
    }
    Ok(Status::Ok)
}

#[derive(Debug, Serialize)]
struct HeaderJson {
    ca_id: String,
    cert_id: String,
    issue_date: Option<String>,
    signature_date: Option<String>,
    doc_type: String,
    perimeter: String,
    country: String,
}

#[derive(Debug, Serialize)]
struct DecodeJson {
    ok: bool,
    /// `national`, or `2d-doc` (the layout of vitale-ins 0.1).
    layout: &'static str,
    /// The 2D-Doc header; `null` in the national layout.
    header: Option<HeaderJson>,
    matricule: String,
    oid: &'static str,
    oid_kind: &'static str,
    given_names: String,
    birth_name: String,
    sex: String,
    birth_date: String,
    /// `null` when the payload has no S7.
    birth_place: Option<String>,
    signature: Option<String>,
}

fn decode(args: &DatamatrixDecodeArgs, out: &mut Out) -> Result<Status, Error> {
    let text = arg_or_stdin_line(args.payload.as_deref(), "payload")?;
    let text = text
        .replace("<GS>", &GS.to_string())
        .replace("<US>", &US.to_string());
    let payload = match InsDatamatrix::decode(&text) {
        Ok(payload) => payload,
        Err(e) => return rejected(&e, out),
    };
    let json = DecodeJson {
        ok: true,
        layout: match payload.layout() {
            DatamatrixLayout::National => "national",
            DatamatrixLayout::Legacy2dDoc => "2d-doc",
            _ => "other",
        },
        header: payload.doc_header().map(|h| HeaderJson {
            ca_id: h.ca_id().to_owned(),
            cert_id: h.cert_id().to_owned(),
            issue_date: h.issue_date().map(date),
            signature_date: h.signature_date().map(date),
            doc_type: h.doc_type().to_owned(),
            perimeter: h.perimeter().to_owned(),
            country: h.country().to_owned(),
        }),
        matricule: out.nir(payload.ins().matricule()),
        oid: payload.ins().oid().as_str(),
        oid_kind: oid_kind(payload.ins().oid()),
        given_names: payload.given_names().as_str().to_owned(),
        birth_name: payload.birth_name().as_str().to_owned(),
        sex: payload.sex().code().to_string(),
        birth_date: birth_date(payload.birth_date()),
        birth_place: payload.birth_place().map(|p| p.as_str().to_owned()),
        signature: payload.signature().map(hex),
    };
    if out.json() {
        out.json_line(&json)?;
    } else {
        let none = || "—".to_owned();
        let mut text = format!(
            "VALID Datamatrix INS payload ({} layout)\n\
             \x20 matricule INS     {} ({}, {})\n\
             \x20 birth name        {}\n\
             \x20 given names       {}\n\
             \x20 sex               {}\n\
             \x20 born              {} in {}\n",
            json.layout,
            json.matricule,
            json.oid_kind,
            json.oid,
            json.birth_name,
            json.given_names,
            json.sex,
            json.birth_date,
            json.birth_place.clone().unwrap_or_else(none),
        );
        if let Some(h) = &json.header {
            text.push_str(&format!(
                "\x20 2D-Doc header     CA {} · certificate {} · type {} · perimeter {} · {}\n\
                 \x20 dates             issued {} · signed {}\n\
                 \x20 signature         {}\n",
                h.ca_id,
                h.cert_id,
                h.doc_type,
                h.perimeter,
                h.country,
                h.issue_date.clone().unwrap_or_else(none),
                h.signature_date.clone().unwrap_or_else(none),
                json.signature
                    .as_ref()
                    .map(|s| format!("{} bytes (not checked)", s.len() / 2))
                    .unwrap_or_else(none),
            ));
        }
        out.text(&text)?;
    }
    Ok(Status::Ok)
}
