//! `vitale fse`: the care sheet (FSE-lite) from the command line — build,
//! sign, verify, receipt, lot — over the facade's billing flow
//! ([`vitale::billing`]) and `vitale-fse`, with the durable stores of
//! `vitale-store`.
//!
//! A refusal (a card, a sheet, a receipt or a lot refused, a service or a
//! store that fails) is a result: printed on stdout with its stable kind,
//! the exit code by that kind ([`super::output::kind_status`]). Usage and
//! I/O errors are [`Error`]s, as for every command.

use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use vitale::fse::Cents;
use vitale::fse::numbering::NumberingError;
use vitale::fse::sheet::{CardRead, CareSheet, MAX_SHEET_BYTES};
use vitale::fse::signing::{MAX_SIGNED_BYTES, SignedSheet};

use super::output::{ErrorBody, ErrorReport, Out, chain, kind_status};
use super::{Error, Status};
use crate::cli_fse::FseCommand;

mod build;
mod check;
pub(crate) mod keys;
mod lot;
mod receipt;
mod sign;

/// Why an `fse` command stopped: a usage or I/O error, or a refusal to
/// print as a result.
#[derive(Debug)]
pub(super) enum Failure {
    /// Usage, I/O: reported as every command reports them.
    Cli(Error),
    /// A refusal with its stable kind.
    Refused(vitale::Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Cli(e)
    }
}

impl From<vitale::Error> for Failure {
    fn from(e: vitale::Error) -> Self {
        Failure::Refused(e)
    }
}

impl From<vitale::fse::Error> for Failure {
    fn from(e: vitale::fse::Error) -> Self {
        Failure::Refused(e.into())
    }
}

impl From<super::output::WriteError> for Failure {
    fn from(e: super::output::WriteError) -> Self {
        Failure::Cli(e.into())
    }
}

pub(super) fn run(command: FseCommand, out: &mut Out) -> Result<Status, Error> {
    let outcome = match command {
        FseCommand::Build(args) => build::run(&args, out),
        FseCommand::Sign(args) => sign::run(&args, out),
        FseCommand::Verify(args) => check::run(&args, out),
        FseCommand::Receipt(args) => receipt::run(&args, out),
        FseCommand::Lot(args) => lot::run(&args, out),
    };
    match outcome {
        Ok(status) => Ok(status),
        Err(Failure::Cli(e)) => Err(e),
        Err(Failure::Refused(e)) => refused(&e, out),
    }
}

/// Prints a refusal (`REFUSED: message [kind]`, or the JSON error object);
/// the status follows the kind.
fn refused(e: &vitale::Error, out: &mut Out) -> Result<Status, Error> {
    let kind = e.kind();
    if out.json() {
        out.json_line(&ErrorReport {
            ok: false,
            error: ErrorBody::new(kind, e),
        })?;
    } else {
        out.line(&format!("REFUSED: {} [{kind}]", chain(e)))?;
    }
    Ok(kind_status(kind))
}

/// A store of `vitale-store` that cannot be opened, as the kind of the
/// numbers it keeps: corrupt when its integrity check fails, unavailable
/// otherwise (cannot be opened, another kind of file, a newer schema).
fn invoice_store_error(e: vitale_store::Error) -> vitale::Error {
    let numbering = match e {
        vitale_store::Error::Corrupt => NumberingError::Corrupt,
        other => NumberingError::unavailable(other),
    };
    vitale::fse::Error::Numbering(numbering).into()
}

/// As [`invoice_store_error`], for the lot-number store.
fn lot_store_error(e: vitale_store::Error) -> vitale::Error {
    use vitale::fse::lot::LotNumberingError;
    let numbering = match e {
        vitale_store::Error::Corrupt => LotNumberingError::Corrupt,
        other => LotNumberingError::unavailable(other),
    };
    vitale::fse::Error::LotNumbering(numbering).into()
}

/// A file this command creates and never overwrites: reserved (created
/// empty, `O_EXCL`) before any number is taken, written and synced to disk
/// by [`NewFile::commit`], removed if the command stops before.
#[derive(Debug)]
pub(super) struct NewFile {
    path: PathBuf,
    file: Option<File>,
}

impl NewFile {
    /// Creates `path`, which must not exist.
    pub(super) fn reserve(path: &Path) -> Result<NewFile, Error> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| {
                Error::io(
                    format!("cannot create {} (never overwritten)", path.display()),
                    e,
                )
            })?;
        Ok(NewFile {
            path: path.to_owned(),
            file: Some(file),
        })
    }

    /// Writes `bytes`, syncs the file and its directory.
    pub(super) fn commit(mut self, bytes: &[u8]) -> Result<PathBuf, Error> {
        let written = match self.file.take() {
            Some(mut file) => file.write_all(bytes).and_then(|()| file.sync_all()),
            None => Ok(()),
        };
        let path = std::mem::take(&mut self.path);
        if let Err(e) = written {
            let _ = std::fs::remove_file(&path);
            return Err(Error::io(format!("cannot write {}", path.display()), e));
        }
        // The file's name is durable once its directory is synced (where
        // the platform allows opening a directory).
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(dir) = File::open(dir)
        {
            let _ = dir.sync_all();
        }
        Ok(path)
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Reads at most `limit + 1` bytes: a decoder given more than `limit`
/// refuses by size, and a huge file is never read whole.
fn read_bounded(path: &Path, what: &str, limit: usize) -> Result<Vec<u8>, Error> {
    let context = || format!("cannot read {what} {}", path.display());
    let file = File::open(path).map_err(|e| Error::io(context(), e))?;
    let mut bytes = Vec::new();
    file.take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(context(), e))?;
    Ok(bytes)
}

/// A care sheet file made by `fse build` (not signed).
fn read_sheet(path: &Path) -> Result<CareSheet, Failure> {
    let bytes = read_bounded(path, "the care sheet", MAX_SHEET_BYTES)?;
    match CareSheet::from_cbor(&bytes) {
        Ok(sheet) => Ok(sheet),
        Err(e) if SignedSheet::from_cbor(&bytes).is_ok() => {
            Err(Error::Usage(format!("{} is already signed ({e})", path.display())).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// A signed care sheet file (the signature is not checked here).
fn read_signed(path: &Path) -> Result<SignedSheet, Failure> {
    let bytes = read_bounded(path, "the signed care sheet", MAX_SIGNED_BYTES)?;
    match SignedSheet::from_cbor(&bytes) {
        Ok(signed) => Ok(signed),
        Err(e) if CareSheet::from_cbor(&bytes).is_ok() => Err(Error::Usage(format!(
            "{} is a care sheet that is not signed: sign it with `vitale fse sign` ({e})",
            path.display()
        ))
        .into()),
        Err(e) => Err(e.into()),
    }
}

/// The sheet's JSON (`docs/fse.md`), the insured person's NIR masked
/// unless `--show-nir`.
fn sheet_json(sheet: &CareSheet, out: &Out) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_str(&sheet.to_json()).unwrap_or_default();
    if let Some(patient) = value.get_mut("patient").and_then(|v| v.as_object_mut()) {
        patient.insert(
            "insured_nir".into(),
            out.nir(&sheet.patient.insured_nir).into(),
        );
    }
    value
}

/// `30.00 €`.
fn eur(c: Cents) -> String {
    format!("{c} €")
}

/// How the card was read, in a few words.
fn card_read(card: &CardRead) -> String {
    match card {
        CardRead::Offline {
            presentation_digest,
            ..
        } => format!(
            "read offline (open profile), presentation {}",
            super::output::hex(presentation_digest)
        ),
        CardRead::Online {
            context_id,
            service,
        } => format!("read online (token profile), context {context_id} of {service}"),
        _ => "read by an unknown means".to_owned(),
    }
}

/// The *parcours de soins* in words.
fn pathway_text(pathway: vitale::fse::Pathway) -> &'static str {
    use vitale::fse::Pathway;
    match pathway {
        Pathway::TreatingDoctor => "treating doctor (médecin traitant)",
        Pathway::Referred => "referred by the treating doctor (adressé)",
        Pathway::DirectAccess => "direct access (accès direct spécifique)",
        Pathway::Emergency => "emergency",
        Pathway::Outside => "outside the pathway (hors parcours)",
        _ => "another pathway",
    }
}

/// The sheet as text: professional, patient (NIR masked unless
/// `--show-nir`), acts and amounts.
fn sheet_text(sheet: &CareSheet, out: &Out) -> String {
    use std::fmt::Write as _;
    let p = &sheet.practice;
    let t = &sheet.totals;
    let mut text = String::new();
    let _ = writeln!(text, "Care sheet {} (FSE-lite)", sheet.number);
    let _ = writeln!(
        text,
        "  professional      {} · specialty {}{}",
        p.identity.billing_number().as_str(),
        p.identity.specialty().as_str(),
        p.identity
            .rpps()
            .map(|r| format!(" · RPPS {}", r.as_str()))
            .unwrap_or_default()
    );
    let _ = writeln!(
        text,
        "  date of care      {}",
        super::output::date(sheet.date)
    );
    let _ = writeln!(
        text,
        "  patient           rank {} · insured {}",
        sheet.patient.rank.get(),
        out.nir(&sheet.patient.insured_nir)
    );
    let _ = writeln!(text, "  card              {}", card_read(&sheet.card));
    let _ = writeln!(text, "  pathway           {}", pathway_text(sheet.pathway));
    let _ = writeln!(
        text,
        "  {:<16}  {:>10}  {:>10}  {:>8}  {:>10}  {:>10}  {:>10}",
        "act", "fee", "base", "AMO rate", "AMO", "AMC", "patient"
    );
    for l in &sheet.lines {
        let _ = writeln!(
            text,
            "  {:<16}  {:>10}  {:>10}  {:>8}  {:>10}  {:>10}  {:>10}",
            l.act.to_string(),
            eur(l.fee),
            eur(l.base),
            vitale::fse::money::format_rate(l.amo_rate),
            eur(l.amo),
            eur(l.amc),
            eur(l.patient)
        );
    }
    let _ = writeln!(
        text,
        "  totals            fee {} · AMO {} (net of the participation {}: {}) · AMC {} · patient {}",
        eur(t.fee),
        eur(t.amo),
        eur(t.participation),
        eur(t.amo_net),
        eur(t.amc),
        eur(t.patient)
    );
    let _ = writeln!(
        text,
        "  third party       AMO {} · AMC {} · paid at the desk {}",
        if sheet.third_party_amo { "yes" } else { "no" },
        if sheet.third_party_amc { "yes" } else { "no" },
        eur(t.paid_at_desk)
    );
    text
}
