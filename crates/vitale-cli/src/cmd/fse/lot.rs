//! `vitale fse lot`: signed sheets grouped into lots (*lots de FSE*) of at
//! most 50 per professional, numbered from a durable lot-number store,
//! each lot's CBOR written to a file.

use serde::Serialize;
use vitale::fse::Lot;
use vitale::fse::lot::group;
use vitale::fse::signing::{SheetSignature, SignedSheet};
use vitale::verify::default_backend;
use vitale_store::SqliteLotNumbers;

use super::{Failure, NewFile, eur, keys, lot_store_error, read_signed};
use crate::cli_fse::FseLotArgs;
use crate::cmd::output::{Out, date, hex};
use crate::cmd::{Error, Status};

/// One lot in JSON: its manifest (`docs/fse.md`, Lots) and its file.
#[derive(Debug, Serialize)]
struct LotJson {
    ok: bool,
    number: u16,
    professional: String,
    first_date: String,
    last_date: String,
    count: usize,
    totals: TotalsJson,
    /// Hex SHA-256 of the lot's CBOR.
    digest: String,
    sheets: Vec<EntryJson>,
    #[serde(serialize_with = "crate::cmd::output::path_lossy")]
    out: std::path::PathBuf,
}

#[derive(Debug, Serialize)]
struct TotalsJson {
    fee: u32,
    amo: u32,
    amc: u32,
    patient: u32,
    participation: u32,
    paid_at_desk: u32,
}

#[derive(Debug, Serialize)]
struct EntryJson {
    invoice: u32,
    /// Hex SHA-256 of the signed sheet's CBOR (signature included).
    digest: String,
}

pub(super) fn run(args: &FseLotArgs, out: &mut Out) -> Result<Status, Failure> {
    let key = keys::verifying_key(args.public_key.as_deref(), args.key.as_deref())?;
    let mut sheets: Vec<SignedSheet> = Vec::with_capacity(args.signed.len());
    for path in &args.signed {
        let signed = read_signed(path)?;
        if let (Some(key), SheetSignature::Es256 { .. }) = (&key, signed.signature())
            && let Err(e) = signed.verify(key, default_backend())
        {
            // Which file, on stderr; the refusal keeps its kind.
            eprintln!("vitale: {}: {e}", path.display());
            return Err(e.into());
        }
        sheets.push(signed);
    }
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| Error::io(format!("cannot create {}", args.out_dir.display()), e))?;
    let store = SqliteLotNumbers::open(&args.lot_numbers).map_err(lot_store_error)?;
    // Every rule is checked before the first lot number is taken.
    let lots = group(&sheets, &store)?;
    for lot in &lots {
        let summary = lot.summary();
        let cbor = lot.to_cbor();
        let digest = lot.digest();
        // The lot number cycles (1 to 999): the digest's first bytes make
        // the name unique for good.
        let name = format!(
            "lot-{}-{}-{}.cbor",
            summary.professional.as_str(),
            summary.number,
            hex(digest.get(..4).unwrap_or_default())
        );
        let path = NewFile::reserve(&args.out_dir.join(name))?.commit(&cbor)?;
        print_lot(lot, &hex(&digest), path, out)?;
    }
    Ok(Status::Ok)
}

fn print_lot(
    lot: &Lot,
    digest: &str,
    path: std::path::PathBuf,
    out: &mut Out,
) -> Result<(), Failure> {
    let summary = lot.summary();
    let t = &summary.totals;
    let manifest = lot.manifest();
    if out.json() {
        out.json_line(&LotJson {
            ok: true,
            number: summary.number.get(),
            professional: summary.professional.as_str().to_owned(),
            first_date: date(summary.dates.from()),
            last_date: date(summary.dates.until()),
            count: summary.count,
            totals: TotalsJson {
                fee: t.fee.get(),
                amo: t.amo.get(),
                amc: t.amc.get(),
                patient: t.patient.get(),
                participation: t.participation.get(),
                paid_at_desk: t.paid_at_desk.get(),
            },
            digest: digest.to_owned(),
            sheets: manifest
                .entries()
                .iter()
                .map(|e| EntryJson {
                    invoice: e.invoice.get(),
                    digest: hex(&e.digest),
                })
                .collect(),
            out: path,
        })?;
        return Ok(());
    }
    out.line(&format!(
        "Lot {} of {}: {} sheet(s), care from {} to {}",
        summary.number,
        summary.professional.as_str(),
        summary.count,
        date(summary.dates.from()),
        date(summary.dates.until())
    ))?;
    out.line(&format!(
        "  totals   fee {} · AMO {} · AMC {} · patient {} · participation {} · paid at the desk {}",
        eur(t.fee),
        eur(t.amo),
        eur(t.amc),
        eur(t.patient),
        eur(t.participation),
        eur(t.paid_at_desk)
    ))?;
    let invoices: Vec<String> = manifest
        .entries()
        .iter()
        .map(|e| e.invoice.to_string())
        .collect();
    out.line(&format!("  invoices {}", invoices.join(" ")))?;
    out.line(&format!("  digest   {digest}"))?;
    out.line(&format!("  written  {}", path.display()))?;
    Ok(())
}
