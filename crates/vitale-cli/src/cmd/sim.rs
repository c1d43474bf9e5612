//! `vitale sim init` and `vitale sim present`: a simulated insurer and
//! holder kept in a directory (test keys only).
//!
//! Everything derives from the seed recorded in `sim.json` and from the
//! creation time: `present` rebuilds the same [`Scenario`] each time and
//! takes the phone's n-th nonce, where n is the counter kept in
//! `sim.json`, so that two calls never share a nonce.

use std::hash::{BuildHasher as _, Hasher as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use vitale::codec::model::{ChannelBinding, Nonce, Timestamp};
use vitale_sim::hazmat::{PresentationSpec, present_with};
use vitale_sim::{RenderOptions, Scenario, Seed, render_qr};

use super::output::{Out, hex, readable, rfc3339};
use super::{Error, Status, parse_time, read_file, time_or_now};
use crate::cli::{Profile, SimCommand, SimInitArgs, SimPresentArgs};

const STATE_FILE: &str = "sim.json";
const STATE_FORMAT: &str = "vitale-sim-state/1";
const DAY: u64 = 86_400;

const README: &str = "\
This directory was made by `vitale sim init`.

TEST KEYS ONLY. The root and issuer keys, the device key and every
presentation derive from the seed in sim.json: anyone who reads it can sign
as this simulated insurer. Never pin root.spki.der or trust-list.* in
production; the people are invented and their INS carry the test OID.

  trust-list.cbor   signed trust list (CBOR / COSE_Sign1)
  trust-list.json   the same list (JWS compact)
  root.spki.der     the root key to pin (DER SubjectPublicKeyInfo)
  professional.key  a simulated professional's P-256 key (64 hex digits) that
                    signs care sheets (`vitale fse build --key`, `fse sign`)
  professional.spki.der  its public key (`vitale fse verify --public-key`)
  receipt.key       the simulated issuer key 0, listed in the trust list with
                    the receipt usage (`vitale fse receipt --key`)
  sim.json          seed, household size, creation time, presentation counter
";

/// The derivation label of the simulated professional's key.
const PROFESSIONAL_KEY_LABEL: &str = "professional/key";

/// `sim.json`.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct State {
    /// `vitale-sim-state/1`.
    format: String,
    /// Always true: a reminder for whoever opens the file.
    test_keys_only: bool,
    /// The seed, 64 hex digits.
    seed: String,
    /// Household size.
    beneficiaries: u8,
    /// Creation time, RFC 3339 (informative; `created_at_unix` is used).
    created_at: String,
    /// Creation time, UNIX seconds.
    created_at_unix: u64,
    /// Presentations made so far: the next one uses this nonce index.
    presentations: u64,
}

pub(super) fn run(command: SimCommand, out: &mut Out) -> Result<Status, Error> {
    match command {
        SimCommand::Init(args) => init(&args, out),
        SimCommand::Present(args) => present(&args, out),
        SimCommand::Card(args) => super::sim_card::run(&args, out),
        SimCommand::Serve(args) => super::online::serve(&args, out),
    }
}

/// A seed from `--seed`: 64 hex digits (as `sim.json` records it), or a
/// decimal number.
fn parse_seed(text: &str) -> Result<Seed, Error> {
    if text.len() != 64
        && let Ok(n) = text.parse::<u64>()
    {
        return Ok(Seed::from_u64(n));
    }
    let bytes = vitale::codec::hex::decode(text).ok_or_else(|| {
        Error::Usage(format!(
            "invalid seed {text:?}: expected a number or 64 hex digits"
        ))
    })?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Error::Usage("a hex seed has exactly 64 hex digits".into()))?;
    Ok(Seed::from_bytes(bytes))
}

/// A fresh seed when none is given: std's per-process random hasher keys
/// and the clock (enough for test keys; the seed is recorded anyway).
fn random_seed() -> Seed {
    let state = std::collections::hash_map::RandomState::new();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut bytes = [0u8; 32];
    for (i, chunk) in (0u64..).zip(bytes.chunks_mut(8)) {
        let mut h = state.build_hasher();
        h.write_u64(i);
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        for (slot, b) in chunk.iter_mut().zip(h.finish().to_be_bytes()) {
            *slot = b;
        }
    }
    Seed::from_bytes(bytes)
}

/// Writes a file, with the path in the error.
fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Writes a private key file: 64 hex digits and a newline, readable by its
/// owner only (on Unix).
fn write_key(path: &Path, scalar: &[u8; 32]) -> Result<(), Error> {
    use std::io::Write as _;
    let text = zeroize::Zeroizing::new(format!("{}\n", hex(scalar)));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Writes the state next to its final place, then renames it, so that a
/// crash never leaves half a file.
fn save_state(dir: &Path, state: &State) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(state).map_err(|e| Error::Json {
        context: "cannot encode the state".into(),
        source: e,
    })?;
    let tmp = dir.join(format!("{STATE_FILE}.tmp"));
    write(&tmp, format!("{text}\n").as_bytes())?;
    let path = dir.join(STATE_FILE);
    std::fs::rename(&tmp, &path)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

pub(super) fn load_state(dir: &Path) -> Result<State, Error> {
    let path = dir.join(STATE_FILE);
    let bytes = read_file(&path, "the simulation state (run `vitale sim init` first)")?;
    let state: State = serde_json::from_slice(&bytes).map_err(|e| Error::Json {
        context: format!("cannot read {}", path.display()),
        source: e,
    })?;
    if state.format != STATE_FORMAT {
        return Err(Error::Usage(format!(
            "{} is not a {STATE_FORMAT} file",
            path.display()
        )));
    }
    Ok(state)
}

/// The scenario a state stands for.
pub(super) fn scenario(state: &State) -> Result<(Scenario, Seed), Error> {
    let seed = parse_seed(&state.seed)?;
    let created = Timestamp::from_unix(state.created_at_unix)
        .ok_or_else(|| Error::Usage("sim.json: created_at_unix out of range".into()))?;
    let s = Scenario::new(seed.clone(), usize::from(state.beneficiaries), created)?;
    Ok((s, seed))
}

fn after(at: Timestamp, secs: u64) -> String {
    at.checked_add_secs(secs)
        .map(rfc3339)
        .unwrap_or_else(|| "-".into())
}

#[derive(Debug, Serialize)]
struct InitJson {
    ok: bool,
    #[serde(serialize_with = "super::output::path_lossy")]
    dir: PathBuf,
    test_keys_only: bool,
    seed: String,
    beneficiaries: u8,
    created_at: String,
    credential_expires_at: String,
    trust_list_expires_at: String,
    root_kid: String,
    issuer_kid: String,
    professional_kid: String,
    receipt_kid: String,
    files: Vec<&'static str>,
}

fn init(args: &SimInitArgs, out: &mut Out) -> Result<Status, Error> {
    let now = time_or_now(args.at.as_deref())?;
    let dir = &args.dir;
    if dir.join(STATE_FILE).exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already holds a simulation (use --force to replace it)",
            dir.display()
        )));
    }
    let seed = match &args.seed {
        Some(text) => parse_seed(text)?,
        None => random_seed(),
    };
    let s = Scenario::new(seed.clone(), usize::from(args.beneficiaries), now)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    write(&dir.join("trust-list.cbor"), &s.trust_list)?;
    write(
        &dir.join("trust-list.json"),
        s.trust_list_json()?.as_bytes(),
    )?;
    write(
        &dir.join("root.spki.der"),
        &s.anchor.public_key().to_spki_der(),
    )?;
    let professional = zeroize::Zeroizing::new(vitale_sim::hazmat::key_scalar(
        &seed,
        PROFESSIONAL_KEY_LABEL,
    )?);
    write_key(&dir.join("professional.key"), &professional)?;
    let professional_key = vitale::verify::SoftwareSigner::from_slice(professional.as_slice())
        .map_err(|_| vitale_sim::Error::KeyDerivation)?;
    write(
        &dir.join("professional.spki.der"),
        &professional_key.verifying_key().to_spki_der(),
    )?;
    let receipt = zeroize::Zeroizing::new(vitale_sim::hazmat::issuer_key_scalar(&seed, 0)?);
    write_key(&dir.join("receipt.key"), &receipt)?;
    write(&dir.join("README.txt"), README.as_bytes())?;
    let state = State {
        format: STATE_FORMAT.into(),
        test_keys_only: true,
        seed: hex(seed.as_bytes()),
        beneficiaries: args.beneficiaries,
        created_at: rfc3339(now),
        created_at_unix: now.unix(),
        presentations: 0,
    };
    save_state(dir, &state)?;
    let issuer_kid = s.issuer.issuer_key(0).map(|k| hex(&k.kid()))?;
    let report = InitJson {
        ok: true,
        dir: dir.clone(),
        test_keys_only: true,
        seed: state.seed.clone(),
        beneficiaries: args.beneficiaries,
        created_at: state.created_at.clone(),
        credential_expires_at: after(now, 7 * DAY),
        trust_list_expires_at: after(now, 30 * DAY),
        root_kid: hex(&s.anchor.kid()),
        receipt_kid: issuer_kid.clone(),
        issuer_kid,
        professional_kid: hex(&vitale::verify::kid_of_spki(
            &professional_key.verifying_key().to_spki_der(),
        )),
        files: vec![
            "trust-list.cbor",
            "trust-list.json",
            "root.spki.der",
            "professional.key",
            "professional.spki.der",
            "receipt.key",
            "sim.json",
            "README.txt",
        ],
    };
    if out.json() {
        out.json_line(&report)?;
    } else {
        out.text(&format!(
            "Simulation created in {} (TEST KEYS ONLY)\n\
             \x20 seed              {}\n\
             \x20 household         {} beneficiaries\n\
             \x20 created           {}\n\
             \x20 credential until  {}\n\
             \x20 trust list until  {}\n\
             \x20 root kid          {}\n\
             \x20 issuer kid        {} (also the receipt key)\n\
             \x20 professional kid  {}\n\
             \x20 files             {}\n",
            dir.display(),
            report.seed,
            report.beneficiaries,
            readable(now),
            report.credential_expires_at,
            report.trust_list_expires_at,
            report.root_kid,
            report.issuer_kid,
            report.professional_kid,
            report.files.join(", "),
        ))?;
    }
    Ok(Status::Ok)
}

#[derive(Debug, Serialize)]
struct PresentJson {
    ok: bool,
    text: String,
    presentation: u64,
    issued_at: String,
    expires_at: String,
    #[serde(serialize_with = "super::output::opt_path_lossy")]
    png: Option<PathBuf>,
    /// Why `--png` could not be written (the text is good anyway).
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<super::output::ErrorBody<'static>>,
}

fn present(args: &SimPresentArgs, out: &mut Out) -> Result<Status, Error> {
    if args.profile == Profile::Token && (args.delegate.is_some() || args.png.is_some()) {
        return Err(Error::Usage(
            "--delegate and --png go with --profile open".into(),
        ));
    }
    let mut state = load_state(&args.dir)?;
    let at = match args.at.as_deref() {
        Some(text) => parse_time(text)?,
        None => time_or_now(None)?,
    };
    let (s, seed) = scenario(&state)?;
    let index = state.presentations;
    if args.profile == Profile::Token {
        let text = super::online::token_text(&seed, index, at, args.lifetime)?;
        take_counter(&args.dir, &mut state, index)?;
        let shown = Presented::new(text, index, at, args.lifetime);
        return print_presented(out, shown, None);
    }
    // The phone's own n-th nonce (the label of `SimPhone`'s derivation):
    // the spec only sets which one, the presentation is what the phone
    // would make. Everything that can fail is done before the counter is
    // taken, so that a refused request (a bad delegation) wastes no nonce.
    let delegate = match &args.delegate {
        Some(name) => Some(s.delegate(name, &args.ranks)?),
        None => None,
    };
    let phone = delegate.as_ref().unwrap_or(&s.phone);
    let mut spec = PresentationSpec::for_phone(phone, ChannelBinding::Qr, at, args.lifetime)?;
    let label = format!("phone/{}/nonce/{index}", phone.name());
    spec.nonce = Nonce::from_bytes(seed.derive_bytes(&label));
    let bytes = present_with(phone, &spec)?;
    let text = vitale::codec::text::encode_qr(&bytes);
    let png = match &args.png {
        Some(path) => Some((
            path,
            render_qr(&text, &RenderOptions::default())
                .map_err(Error::Render)?
                .to_png()
                .map_err(|e| Error::io("cannot encode the PNG image", std::io::Error::other(e)))?,
        )),
        None => None,
    };
    // Take the counter and persist the next one before anything is shown,
    // so that a nonce is never used twice.
    take_counter(&args.dir, &mut state, index)?;
    let mut shown = Presented::new(text, index, spec.issued_at, args.lifetime);
    shown.png = args.png.clone();
    // The text is printed before the image is written: a path that cannot
    // be written still leaves the presentation usable (its nonce is not
    // wasted).
    let written = match png {
        Some((path, image)) => std::fs::write(path, image)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e)),
        None => Ok(()),
    };
    print_presented(out, shown, written.err())
}

/// Persists the counter after `index`.
fn take_counter(dir: &Path, state: &mut State, index: u64) -> Result<(), Error> {
    state.presentations = index.saturating_add(1);
    save_state(dir, state)
}

/// What `sim present` made.
struct Presented {
    text: String,
    index: u64,
    issued_at: Timestamp,
    lifetime: u64,
    png: Option<PathBuf>,
}

impl Presented {
    fn new(text: String, index: u64, issued_at: Timestamp, lifetime: u64) -> Self {
        Presented {
            text,
            index,
            issued_at,
            lifetime,
            png: None,
        }
    }
}

/// Prints what `sim present` made: the text alone on a line, or JSON; then
/// the failure to write the image, if any (exit 2: in text mode on
/// stderr, after the text; in JSON, in the same object, `ok` false).
fn print_presented(
    out: &mut Out,
    p: Presented,
    png_failed: Option<Error>,
) -> Result<Status, Error> {
    if out.json() {
        let error = png_failed
            .as_ref()
            .map(|e| super::output::ErrorBody::new(e.kind(), e));
        out.json_line(&PresentJson {
            ok: error.is_none(),
            text: p.text,
            presentation: p.index,
            issued_at: rfc3339(p.issued_at),
            expires_at: after(p.issued_at, p.lifetime),
            png: p.png,
            error,
        })?;
        return Ok(if png_failed.is_some() {
            Status::Failed
        } else {
            Status::Ok
        });
    }
    out.line(&p.text)?;
    match png_failed {
        Some(e) => Err(e),
        None => Ok(Status::Ok),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_parse_as_numbers_or_hex() -> Result<(), Error> {
        assert_eq!(parse_seed("16")?, Seed::from_u64(16));
        // 64 digits are hex, even when they are all decimal digits.
        let hex64 = hex(Seed::from_u64(16).as_bytes());
        assert_eq!(parse_seed(&hex64)?, Seed::from_u64(16));
        assert!(parse_seed("xyz").is_err());
        assert!(parse_seed("abcd").is_err());
        Ok(())
    }
}
