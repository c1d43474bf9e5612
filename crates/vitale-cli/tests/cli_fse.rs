//! `vitale fse`: the care sheet from the command line, against the real
//! simulator — `sim init`, `sim serve` (HTTPS on loopback: rights and
//! contexts), `sim present` — and the SQLite stores: build, sign (key,
//! context service, two phases), verify, receipt (signed, checked against
//! the trust list), lot; and the refusals, each with its kind and exit
//! code, none of them using an invoice number.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use vitale::verify::{Signer as _, SoftwareSigner};
use vitale_test_support::ChildGuard;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const BIN: &str = env!("CARGO_BIN_EXE_vitale");

/// A fresh directory for one test of one process (copies of this binary
/// may run at once), removed by [`Sim::done`] when the test passes.
fn scratch(name: &str) -> Result<PathBuf, std::io::Error> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "vitale-cli-fse-{name}-{}",
        std::process::id()
    ));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn run(args: &[&str]) -> Result<Output, std::io::Error> {
    Command::new(BIN).args(args).output()
}

fn json(out: &Output) -> Result<Value, Box<dyn std::error::Error>> {
    serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "{e}: stdout {:?}, stderr {:?}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into()
    })
}

/// The JSON of a command that must succeed.
fn ok(out: &Output) -> Result<Value, Box<dyn std::error::Error>> {
    let value = json(out)?;
    assert_eq!(out.status.code(), Some(0), "{value}");
    assert_eq!(value.get("ok"), Some(&Value::Bool(true)), "{value}");
    Ok(value)
}

/// The kind of a refusal, after checking its exit code and shape.
fn refused(out: &Output, code: i32) -> Result<String, Box<dyn std::error::Error>> {
    let value = json(out)?;
    assert_eq!(out.status.code(), Some(code), "{value}");
    assert_eq!(value.get("ok"), Some(&Value::Bool(false)), "{value}");
    let message = value.pointer("/error/message").and_then(Value::as_str);
    assert!(message.is_some_and(|m| !m.is_empty()), "{value}");
    Ok(value
        .pointer("/error/kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned())
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

/// A running `sim serve --json`.
struct Serve {
    guard: ChildGuard,
    first: Value,
    rest: BufReader<std::process::ChildStdout>,
}

impl Serve {
    fn start(dir: &Path, extra: &[&str]) -> Result<Serve, Box<dyn std::error::Error>> {
        let mut child = Command::new(BIN)
            .args(["--json", "sim", "serve", "--dir", path(dir), "--for", "600"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("stdout")?;
        let guard = ChildGuard::new(child, "vitale sim serve");
        let mut rest = BufReader::new(stdout);
        let mut line = String::new();
        rest.read_line(&mut line)?;
        let first = serde_json::from_str(&line)?;
        Ok(Serve { guard, first, rest })
    }

    fn url(&self) -> &str {
        text(&self.first, "/url")
    }

    fn ca(&self) -> &str {
        text(&self.first, "/ca")
    }

    /// Closes stdin and returns the summary line.
    fn stop(mut self) -> Result<Value, Box<dyn std::error::Error>> {
        drop(self.guard.take_stdin());
        let mut line = String::new();
        self.rest.read_line(&mut line)?;
        Ok(serde_json::from_str(&line)?)
    }
}

/// A simulation (`sim init --seed 7`, the clock's time) and its init JSON.
struct Sim {
    dir: PathBuf,
    init: Value,
}

impl Sim {
    fn new(name: &str) -> Result<Sim, Box<dyn std::error::Error>> {
        let root = scratch(name)?;
        let dir = root.join("sim");
        let init = ok(&run(&[
            "--json",
            "sim",
            "init",
            "--dir",
            path(&dir),
            "--seed",
            "7",
        ])?)?;
        Ok(Sim { dir, init })
    }

    /// Removes the test's directory (the test passed).
    fn done(self) -> TestResult {
        if let Some(root) = self.dir.parent() {
            std::fs::remove_dir_all(root)?;
        }
        Ok(())
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A file beside the simulation directory.
    fn work(&self, name: &str) -> PathBuf {
        self.dir.parent().unwrap_or(&self.dir).join(name)
    }

    fn present(&self, profile: &str) -> Result<String, Box<dyn std::error::Error>> {
        let out = run(&[
            "sim",
            "present",
            "--dir",
            path(&self.dir),
            "--profile",
            profile,
        ])?;
        assert_eq!(out.status.code(), Some(0));
        Ok(String::from_utf8(out.stdout)?.trim_end().to_owned())
    }

    /// `fse build` of an `open`-profile card with `extra` flags.
    fn build(
        &self,
        serve: &Serve,
        out: &Path,
        extra: &[&str],
    ) -> Result<Output, Box<dyn std::error::Error>> {
        let card = self.present("open")?;
        let trust = self.file("trust-list.cbor");
        let numbers = self.work("numbers.sqlite");
        let mut args = vec![
            "--json",
            "fse",
            "build",
            "--trust",
            path(&trust),
            "--service",
            serve.url(),
            "--ca",
            serve.ca(),
            "--numbers",
            path(&numbers),
            "--out",
            path(out),
        ];
        args.extend_from_slice(extra);
        if !extra.contains(&"--act") {
            args.extend_from_slice(&["--act", "G"]);
        }
        args.push(&card);
        Ok(run(&args)?)
    }
}

#[test]
fn the_whole_chain_on_the_simulator() -> TestResult {
    let sim = Sim::new("chain")?;
    let serve = Serve::start(&sim.dir, &[])?;
    let professional_kid = text(&sim.init, "/professional_kid").to_owned();
    let receipt_kid = text(&sim.init, "/receipt_kid").to_owned();
    assert_eq!(professional_kid.len(), 16);
    assert_eq!(receipt_kid, text(&sim.init, "/issuer_kid"));

    // Build: numbered, not signed.
    let sheet = sim.work("1.sheet");
    let built = ok(&sim.build(&serve, &sheet, &[])?)?;
    assert_eq!(built.get("signed"), Some(&false.into()));
    assert_eq!(built.get("invoice"), Some(&1.into()));
    let digest = text(&built, "/digest").to_owned();
    assert_eq!(digest.len(), 64);
    assert_eq!(built.pointer("/sheet/number"), Some(&1.into()));
    assert_eq!(built.pointer("/sheet/totals/fee"), Some(&3000.into()));
    assert_eq!(built.pointer("/sheet/card/kind"), Some(&"offline".into()));
    assert_eq!(built.pointer("/sheet/pathway"), Some(&"outside".into()));
    // The NIR is masked; the sheet file itself holds it (billing needs it).
    assert!(text(&built, "/sheet/patient/insured_nir").contains('•'));
    assert!(sheet.exists());

    // Sign with the professional's key: the digest is the build's.
    let signed = sim.work("1.signed");
    let key = sim.file("professional.key");
    let out = ok(&run(&[
        "--json",
        "fse",
        "sign",
        "--sheet",
        path(&sheet),
        "--key",
        path(&key),
        "--out",
        path(&signed),
    ])?)?;
    assert_eq!(text(&out, "/digest"), digest);
    assert_eq!(text(&out, "/signature/kind"), "es256");
    assert_eq!(text(&out, "/signature/kid"), professional_kid);
    assert_eq!(text(&out, "/signature/signature").len(), 128);

    // Verify it, with the public key or the private one; another key fails.
    let public = sim.file("professional.spki.der");
    for flag in [["--public-key", path(&public)], ["--key", path(&key)]] {
        let out = ok(&run(&[
            "--json",
            "fse",
            "verify",
            "--signed",
            path(&signed),
            flag[0],
            flag[1],
        ])?)?;
        assert_eq!(text(&out, "/kid"), professional_kid);
        assert_eq!(out.pointer("/sheet/number"), Some(&1.into()));
    }
    let receipt_key = sim.file("receipt.key");
    let out = run(&[
        "--json",
        "fse",
        "verify",
        "--signed",
        path(&signed),
        "--key",
        path(&receipt_key),
    ])?;
    assert_eq!(refused(&out, 1)?, "fse_signature_invalid");

    // The receipt, signed with the receipt key, checked as the phone does.
    let receipt = sim.work("1.receipt");
    let out = ok(&run(&[
        "--json",
        "fse",
        "receipt",
        "--signed",
        path(&signed),
        "--key",
        path(&receipt_key),
        "--out",
        path(&receipt),
    ])?)?;
    assert_eq!(out.get("invoice"), Some(&1.into()));
    assert_eq!(text(&out, "/kid"), receipt_kid);
    assert!(text(&out, "/text").contains("30,00 €"));
    // No NIR on a receipt, not even masked.
    assert!(
        !String::from_utf8_lossy(&run(&["fse", "receipt", "--signed", path(&signed)])?.stdout)
            .contains('•')
    );
    let trust = sim.file("trust-list.cbor");
    let out = ok(&run(&[
        "--json",
        "fse",
        "receipt",
        "--verify",
        path(&receipt),
        "--trust",
        path(&trust),
    ])?)?;
    assert_eq!(out.get("verified"), Some(&true.into()));
    assert_eq!(out.get("invoice"), Some(&1.into()));
    assert_eq!(text(&out, "/sheet_digest"), digest);
    // A receipt signed with a key the trust list does not list.
    let forged = sim.work("forged.receipt");
    ok(&run(&[
        "--json",
        "fse",
        "receipt",
        "--signed",
        path(&signed),
        "--key",
        path(&key),
        "--out",
        path(&forged),
    ])?)?;
    let out = run(&[
        "--json",
        "fse",
        "receipt",
        "--verify",
        path(&forged),
        "--trust",
        path(&trust),
    ])?;
    assert_eq!(refused(&out, 1)?, "fse_receipt_unknown_key");

    // A second visit billed and signed in one call (Billing::bill), for the
    // beneficiary of rank 2, with the treating doctor's RPPS: the pathway
    // is derived from the rights.
    let rights_doctor = "12481453749";
    let second = sim.work("2.signed");
    let out = ok(&sim.build(
        &serve,
        &second,
        &["--key", path(&key), "--rank", "2", "--rpps", rights_doctor],
    )?)?;
    assert_eq!(out.get("signed"), Some(&true.into()));
    assert_eq!(out.get("invoice"), Some(&2.into()));
    assert_eq!(text(&out, "/signature/kid"), professional_kid);
    assert_eq!(out.pointer("/sheet/patient/rank"), Some(&2.into()));
    assert!(text(&out, "/rights/identity/insured_nir").contains('•'));
    assert!(text(&out, "/receipt/text").contains("000002"));
    let pathway = text(&out, "/sheet/pathway");
    let declared = out.pointer("/rights/treating_doctor/rpps") == Some(&rights_doctor.into());
    assert_eq!(
        pathway,
        if declared {
            "treating_doctor"
        } else {
            "outside"
        },
        "{out}"
    );

    // A third visit signed in two phases: the digest leaves, a signature
    // made elsewhere comes back and is checked before it is written.
    let third = sim.work("3.sheet");
    ok(&sim.build(
        &serve,
        &third,
        &["--act", "G", "--act", "AMI 1.5:scope=ald"],
    )?)?;
    let out = ok(&run(&[
        "--json",
        "fse",
        "sign",
        "--sheet",
        path(&third),
        "--digest-only",
    ])?)?;
    assert_eq!(text(&out, "/card"), "offline");
    let digest3: [u8; 32] = vitale::codec::hex::decode(text(&out, "/digest"))
        .ok_or("hex")?
        .try_into()
        .map_err(|_| "32 bytes")?;
    let scalar = vitale::codec::hex::decode(std::fs::read_to_string(&key)?.trim()).ok_or("hex")?;
    let elsewhere = SoftwareSigner::from_slice(&scalar)?;
    let signature = vitale::codec::hex::encode(&elsewhere.sign_digest(&digest3)?.to_bytes());
    let third_signed = sim.work("3.signed");
    let out = ok(&run(&[
        "--json",
        "fse",
        "sign",
        "--sheet",
        path(&third),
        "--signature",
        &signature,
        "--public-key",
        path(&public),
        "--out",
        path(&third_signed),
    ])?)?;
    assert_eq!(text(&out, "/signature/kid"), professional_kid);
    ok(&run(&[
        "--json",
        "fse",
        "verify",
        "--signed",
        path(&third_signed),
        "--public-key",
        path(&public),
    ])?)?;

    // The three signed sheets in one lot; the lot number is durable.
    let lots = sim.work("lots");
    let lot_numbers = sim.work("lots.sqlite");
    let lot_args = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "--json",
            "fse",
            "lot",
            "--lot-numbers",
            path(&lot_numbers),
            "--out-dir",
            path(&lots),
            "--public-key",
            path(&public),
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let all = [path(&third_signed), path(&signed), path(&second)];
    let args = lot_args(&all);
    let out = ok(&Command::new(BIN).args(&args).output()?)?;
    assert_eq!(out.get("number"), Some(&1.into()));
    assert_eq!(out.get("count"), Some(&3.into()));
    let invoices: Vec<&Value> = out
        .get("sheets")
        .and_then(Value::as_array)
        .ok_or("sheets")?
        .iter()
        .filter_map(|s| s.get("invoice"))
        .collect();
    assert_eq!(invoices, [&Value::from(1), &2.into(), &3.into()]);
    let file = PathBuf::from(text(&out, "/out"));
    let manifest = vitale::fse::lot::LotManifest::from_cbor(&std::fs::read(&file)?)?;
    assert_eq!(manifest.entries().len(), 3);
    assert_eq!(
        vitale::codec::hex::encode(&manifest.digest()),
        text(&out, "/digest")
    );
    let again = ok(&Command::new(BIN).args(&args).output()?)?;
    assert_eq!(again.get("number"), Some(&2.into()));
    assert_ne!(text(&again, "/out"), text(&out, "/out"));

    let summary = serve.stop()?;
    // Rights asked once per visit, nothing else.
    assert_eq!(summary.get("rights"), Some(&3.into()), "{summary}");
    sim.done()
}

#[test]
fn a_token_card_is_signed_by_the_context_service() -> TestResult {
    let sim = Sim::new("token")?;
    let serve = Serve::start(&sim.dir, &[])?;
    let numbers = sim.work("numbers.sqlite");
    let build = |token: &str, out: &Path, extra: &[&str]| -> Result<Output, std::io::Error> {
        let mut args = vec![
            "--json",
            "fse",
            "build",
            "--context-service",
            serve.url(),
            "--service",
            serve.url(),
            "--ca",
            serve.ca(),
            "--numbers",
            path(&numbers),
            "--out",
            path(out),
            "--act",
            "G",
        ];
        args.extend_from_slice(extra);
        args.push(token);
        run(&args)
    };
    let sheet = sim.work("t.sheet");
    let built = ok(&build(&sim.present("token")?, &sheet, &[])?)?;
    assert_eq!(built.pointer("/sheet/card/kind"), Some(&"online".into()));

    // The professional's key is not the signer of a token card's sheet.
    let key = sim.file("professional.key");
    let signed = sim.work("t.signed");
    let out = run(&[
        "--json",
        "fse",
        "sign",
        "--sheet",
        path(&sheet),
        "--key",
        path(&key),
        "--out",
        path(&signed),
    ])?;
    assert_eq!(refused(&out, 2)?, "usage");
    assert!(!signed.exists(), "nothing written");

    let out = ok(&run(&[
        "--json",
        "fse",
        "sign",
        "--sheet",
        path(&sheet),
        "--context-service",
        serve.url(),
        "--ca",
        serve.ca(),
        "--out",
        path(&signed),
    ])?)?;
    assert_eq!(text(&out, "/signature/kind"), "context");
    assert_eq!(
        text(&out, "/signature/context_id"),
        text(&built, "/sheet/card/context_id")
    );
    // Only the service can check its signature.
    let out = run(&[
        "--json",
        "fse",
        "verify",
        "--signed",
        path(&signed),
        "--key",
        path(&key),
    ])?;
    assert_eq!(refused(&out, 2)?, "usage");
    // The receipt does not depend on who signed.
    let out = ok(&run(&[
        "--json",
        "fse",
        "receipt",
        "--signed",
        path(&signed),
    ])?)?;
    assert_eq!(out.get("invoice"), Some(&1.into()));

    // One call: read, bill and sign through the context service.
    let one_call = sim.work("t2.signed");
    let out = ok(&build(&sim.present("token")?, &one_call, &["--sign"])?)?;
    assert_eq!(out.get("invoice"), Some(&2.into()));
    assert_eq!(text(&out, "/signature/kind"), "context");

    let summary = serve.stop()?;
    assert_eq!(summary.get("sign"), Some(&2.into()), "{summary}");
    sim.done()
}

#[test]
fn refusals_have_their_kinds_and_use_no_number() -> TestResult {
    let sim = Sim::new("refusals")?;
    let numbers = sim.work("numbers.sqlite");
    let out = sim.work("sheet");

    // Rights closed on the day: droits fermés.
    let closed = Serve::start(&sim.dir, &["--fault", "rights_closed"])?;
    assert_eq!(
        refused(&sim.build(&closed, &out, &[])?, 1)?,
        "fse_rights_closed"
    );
    assert!(!out.exists(), "the reserved file is removed");
    closed.stop()?;
    // The rights service cannot be reached.
    let down = Serve::start(&sim.dir, &["--fault", "unavailable"])?;
    assert_eq!(
        refused(&sim.build(&down, &out, &[])?, 2)?,
        "rights_unavailable"
    );
    down.stop()?;

    let serve = Serve::start(&sim.dir, &[])?;
    // No tariff for this act; not an act at all.
    let kind = refused(&sim.build(&serve, &out, &["--act", "ZZZ"])?, 1)?;
    assert_eq!(kind, "fse_act_unknown_on_date");
    let kind = refused(&sim.build(&serve, &out, &["--act", "1G"])?, 1)?;
    assert_eq!(kind, "fse_invalid_act");
    // An extra fee in sector 1.
    let kind = refused(&sim.build(&serve, &out, &["--act", "G:extra=5.00"])?, 1)?;
    assert_eq!(kind, "fse_extra_fee_not_allowed");
    // A rank not on the card (the household has 3).
    let kind = refused(&sim.build(&serve, &out, &["--rank", "5"])?, 1)?;
    assert_eq!(kind, "no_such_beneficiary");
    // A bad key file, refused before anything is read.
    let bad_key = sim.work("bad.key");
    std::fs::write(&bad_key, "not a key\n")?;
    let kind = refused(&sim.build(&serve, &out, &["--key", path(&bad_key)])?, 2)?;
    assert_eq!(kind, "key_invalid");
    // Asked to sign with no signer for the card's profile.
    let kind = refused(&sim.build(&serve, &out, &["--sign"])?, 2)?;
    assert_eq!(kind, "no_sheet_signer");
    // A number store that is not one.
    let garbage = sim.work("garbage.sqlite");
    std::fs::write(&garbage, vec![0x5a; 4096])?;
    let card = sim.present("open")?;
    let trust = sim.file("trust-list.cbor");
    let out_garbage = run(&[
        "--json",
        "fse",
        "build",
        "--trust",
        path(&trust),
        "--service",
        serve.url(),
        "--ca",
        serve.ca(),
        "--numbers",
        path(&garbage),
        "--out",
        path(&out),
        "--act",
        "G",
        &card,
    ])?;
    assert_eq!(refused(&out_garbage, 2)?, "invoice_numbers_unavailable");
    assert!(!out.exists());

    // An invalid act is refused before the card is read: the token still
    // opens a context afterwards (it is single-use).
    let token = sim.present("token")?;
    let token_build = |act: &str| {
        run(&[
            "--json",
            "fse",
            "build",
            "--context-service",
            serve.url(),
            "--service",
            serve.url(),
            "--ca",
            serve.ca(),
            "--numbers",
            path(&numbers),
            "--out",
            path(&out),
            "--act",
            act,
            &token,
        ])
    };
    assert_eq!(refused(&token_build("1G")?, 1)?, "fse_invalid_act");

    // None of the refusals used a number: the first sheet is number 1.
    let built = ok(&token_build("G")?)?;
    assert_eq!(built.get("invoice"), Some(&1.into()));
    // The output file is never overwritten.
    let kind = refused(&sim.build(&serve, &out, &[])?, 2)?;
    assert_eq!(kind, "io");

    // A tampered sheet file: its structure and its amounts are checked
    // when it is read (free text such as a tariff's source is only
    // protected once signed, below).
    let sheet = std::fs::read(&out)?;
    let key = sim.file("professional.key");
    let tampered = sim.work("tampered.sheet");
    let mut bytes = sheet.clone();
    if let Some(b) = bytes.first_mut() {
        *b ^= 0x20;
    }
    std::fs::write(&tampered, &bytes)?;
    let out_tampered = run(&[
        "--json",
        "fse",
        "sign",
        "--sheet",
        path(&tampered),
        "--context-service",
        serve.url(),
        "--ca",
        serve.ca(),
        "--out",
        path(&sim.work("tampered.signed")),
    ])?;
    assert_eq!(refused(&out_tampered, 1)?, "fse_encoding_invalid");
    // The patient's share of the first act, one cent less: the shares no
    // longer add up to the fee.
    let patient_share = [
        0x67, b'p', b'a', b't', b'i', b'e', b'n', b't', 0x19, 0x08, 0x34,
    ];
    let fewer = replace_once(
        &sheet,
        &patient_share,
        &[
            0x67, b'p', b'a', b't', b'i', b'e', b'n', b't', 0x19, 0x08, 0x33,
        ],
    )
    .ok_or("the sheet holds the patient share 21.00")?;
    std::fs::write(&tampered, &fewer)?;
    let out_tampered = run(&[
        "--json",
        "fse",
        "sign",
        "--sheet",
        path(&tampered),
        "--digest-only",
    ])?;
    assert_eq!(refused(&out_tampered, 1)?, "fse_inconsistent_amounts");

    // A signed sheet whose sheet bytes change after signing.
    let first = sim.work("first.sheet");
    ok(&sim.build(&serve, &first, &[])?)?;
    let signed = sim.work("first.signed");
    ok(&run(&[
        "--json",
        "fse",
        "sign",
        "--sheet",
        path(&first),
        "--key",
        path(&key),
        "--out",
        path(&signed),
    ])?)?;
    let original = std::fs::read(&signed)?;
    // The date of care, one day later: still a well-formed sheet.
    let date = time::OffsetDateTime::now_utc().date();
    let later = date.next_day().ok_or("date")?;
    let forged = replace_once(
        &original,
        date.to_string().as_bytes(),
        later.to_string().as_bytes(),
    )
    .ok_or("the signed sheet holds its date")?;
    let forged_path = sim.work("forged.signed");
    std::fs::write(&forged_path, forged)?;
    let verify = |file: &Path| {
        run(&[
            "--json",
            "fse",
            "verify",
            "--signed",
            path(file),
            "--key",
            path(&key),
        ])
    };
    assert_eq!(refused(&verify(&forged_path)?, 1)?, "fse_signature_invalid");
    ok(&verify(&signed)?)?;
    // Cut short: not a signed sheet.
    std::fs::write(
        &forged_path,
        original.get(..original.len() / 2).unwrap_or_default(),
    )?;
    assert_eq!(refused(&verify(&forged_path)?, 1)?, "fse_encoding_invalid");

    // A lot with the same sheet twice is refused and uses no lot number.
    let lot_numbers = sim.work("lots.sqlite");
    let lots = sim.work("lots");
    let lot = |files: &[&str]| {
        let mut args = vec![
            "--json",
            "fse",
            "lot",
            "--lot-numbers",
            path(&lot_numbers),
            "--out-dir",
            path(&lots),
        ];
        args.extend_from_slice(files);
        run(&args)
    };
    let kind = refused(&lot(&[path(&signed), path(&signed)])?, 1)?;
    assert_eq!(kind, "fse_lot_duplicate_invoice");
    // An unsigned sheet is not for a lot.
    assert_eq!(refused(&lot(&[path(&first)])?, 2)?, "usage");
    let out = ok(&lot(&[path(&signed)])?)?;
    assert_eq!(out.get("number"), Some(&1.into()));
    serve.stop()?;
    sim.done()
}

#[test]
fn text_output_and_pem_keys() -> TestResult {
    // A P-256 test key made with OpenSSL (`genpkey`, then `ec -pubout`).
    const PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXfc1yTu4s9K7JfO8
gjQQqBCnMyQS+7eMxq56JFDaLDChRANCAAQXBb/hGOGh9En08pbVJk8XhuOnY2qO
GSJAFPDMsZz/5p9E+rc9P4VRn9qhnO/tOtf+KlGp66BjsX2Tw8Sl1T1q
-----END PRIVATE KEY-----
";
    const PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFwW/4RjhofRJ9PKW1SZPF4bjp2Nq
jhkiQBTwzLGc/+afRPq3PT+FUZ/aoZzv7TrX/ipRqeugY7F9k8PEpdU9ag==
-----END PUBLIC KEY-----
";
    let sim = Sim::new("text")?;
    let serve = Serve::start(&sim.dir, &[])?;
    let key = sim.work("pro.pem");
    let public = sim.work("pro.pub.pem");
    std::fs::write(&key, PKCS8)?;
    std::fs::write(&public, PUBLIC)?;

    let sheet = sim.work("s");
    let card = sim.present("open")?;
    let trust = sim.file("trust-list.cbor");
    let numbers = sim.work("numbers.sqlite");
    let out = run(&[
        "fse",
        "build",
        "--trust",
        path(&trust),
        "--service",
        serve.url(),
        "--ca",
        serve.ca(),
        "--numbers",
        path(&numbers),
        "--out",
        path(&sheet),
        "--act",
        "G",
        &card,
    ])?;
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8(out.stdout)?;
    assert!(shown.starts_with("Care sheet 000001 (FSE-lite)"), "{shown}");
    assert!(shown.contains("30.00 €"), "{shown}");
    assert!(shown.contains("NOT SIGNED"), "{shown}");
    assert!(shown.contains("2 66 02 •• ••• ••• ••"), "{shown}");

    let signed = sim.work("s.signed");
    let out = run(&[
        "fse",
        "sign",
        "--sheet",
        path(&sheet),
        "--key",
        path(&key),
        "--out",
        path(&signed),
    ])?;
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)?.starts_with("SIGNED: care sheet 000001"));
    let out = run(&[
        "fse",
        "verify",
        "--signed",
        path(&signed),
        "--public-key",
        path(&public),
    ])?;
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)?.starts_with("VALID: care sheet 000001"));
    // --show-nir shows it in full; the HTML receipt is a fragment.
    let out = run(&[
        "--show-nir",
        "fse",
        "verify",
        "--signed",
        path(&signed),
        "--key",
        path(&key),
    ])?;
    assert!(String::from_utf8(out.stdout)?.contains("2 66 02 13 205 898 66"));
    let out = run(&["fse", "receipt", "--signed", path(&signed), "--html"])?;
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout)?;
    assert!(html.trim_start().starts_with("<section"), "{html}");
    // A refusal in text: on stdout, with its kind.
    let out = run(&[
        "fse",
        "verify",
        "--signed",
        path(&signed),
        "--key",
        path(&sim.file("receipt.key")),
    ])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout)?.contains("[fse_signature_invalid]"));
    serve.stop()?;
    sim.done()
}

/// `haystack` with the first `from` replaced by `to` (same length).
fn replace_once(haystack: &[u8], from: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    let at = haystack.windows(from.len()).position(|w| w == from)?;
    let mut out = haystack.to_vec();
    out.get_mut(at..at + from.len())?.copy_from_slice(to);
    Some(out)
}
