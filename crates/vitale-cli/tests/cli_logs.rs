//! The logs of a whole run hold no personal data: every command of a
//! consultation — `sim init`, `sim present`, `verify`, `scan` (image and
//! scanner lines, a replay), `rights`, `fse build`, `fse sign`, `fse build
//! --key` — runs with `-vv` and `RUST_LOG=trace`; every line they write to
//! stderr is captured and searched for the NIR (with and without spaces),
//! the names, the birth dates and every 20-character slice of the
//! presentation texts. The expected events must be there, so the test
//! cannot pass on empty logs.

mod fse_support;

use std::process::{Command, Output};

use fse_support::{BIN, Serve, Sim, TestResult, feed, path};
use serde_json::Value;

/// Runs the binary with `-vv` and `RUST_LOG=trace`, feeding `input`; keeps
/// its stderr in `logs`.
fn logged(args: &[&str], input: &str, logs: &mut String) -> Result<Output, std::io::Error> {
    let mut command = Command::new(BIN);
    command.arg("-vv").args(args).env("RUST_LOG", "trace");
    let out = feed(&mut command, input.as_bytes())?;
    logs.push_str(&String::from_utf8_lossy(&out.stderr));
    Ok(out)
}

fn ok(out: &Output) -> Result<Value, Box<dyn std::error::Error>> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// `184037510821010` → `1 84 03 75 108 210 10`.
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

/// What must never be logged: the NIRs in both forms, names, birth dates
/// in both forms, every 20-character slice of every text shown.
fn secrets(card: &Value, texts: &[String]) -> Vec<String> {
    let mut secrets = Vec::new();
    let mut add = |s: &str| {
        if s.chars().count() >= 3 {
            secrets.push(s.to_owned());
        }
    };
    let nir = card
        .pointer("/insured/nir")
        .and_then(Value::as_str)
        .unwrap_or_default();
    add(nir);
    add(&grouped(nir));
    let beneficiaries = card.get("beneficiaries").and_then(Value::as_array);
    for b in beneficiaries.into_iter().flatten() {
        for field in ["birth_name", "usual_name", "first_names"] {
            if let Some(name) = b.get(field).and_then(Value::as_str) {
                add(name);
                name.split(' ').for_each(&mut add);
            }
        }
        let born = b
            .get("birth_date")
            .and_then(Value::as_str)
            .unwrap_or_default();
        add(born);
        if let (Some(y), Some(m), Some(d)) = (born.get(0..4), born.get(4..6), born.get(6..8)) {
            add(&format!("{y}-{m}-{d}"));
        }
        if let Some(m) = b.pointer("/ins/matricule").and_then(Value::as_str) {
            add(m);
            add(&grouped(m));
        }
    }
    for text in texts {
        let chars: Vec<char> = text.chars().collect();
        for w in chars.windows(20) {
            secrets.push(w.iter().collect());
        }
    }
    secrets
}

#[test]
fn a_whole_run_logs_its_decisions_and_no_personal_data() -> TestResult {
    let sim = Sim::new("logs")?;
    let dir = path(&sim.dir).to_owned();
    let mut logs = String::new();
    // `sim init` again, logged (the same seed: the same keys and people).
    let init = logged(
        &[
            "--json", "sim", "init", "--dir", &dir, "--seed", "7", "--force",
        ],
        "",
        &mut logs,
    )?;
    ok(&init)?;
    let serve = Serve::start(&sim.dir, &[])?;
    let trust = path(&sim.file("trust-list.cbor")).to_owned();
    let key = path(&sim.file("professional.key")).to_owned();
    let numbers = path(&sim.work("numbers.sqlite")).to_owned();
    let mut texts = Vec::new();
    let mut present =
        |logs: &mut String, extra: &[&str]| -> Result<String, Box<dyn std::error::Error>> {
            let mut args = vec!["sim", "present", "--dir", dir.as_str()];
            args.extend_from_slice(extra);
            let out = logged(&args, "", logs)?;
            assert_eq!(out.status.code(), Some(0));
            let text = String::from_utf8(out.stdout)?.trim_end().to_owned();
            texts.push(text.clone());
            Ok(text)
        };

    // Verify, with the NIR shown: the personal data to look for.
    let text = present(&mut logs, &[])?;
    let verified = ok(&logged(
        &["--json", "--show-nir", "verify", "--trust", &trust, &text],
        "",
        &mut logs,
    )?)?;
    let card = verified["card"].clone();
    // An image, and scanner lines with a replay.
    let png = sim.work("code.png");
    let _ = present(&mut logs, &["--png", path(&png)])?;
    logged(
        &["scan", "--image", path(&png), "--trust", &trust],
        "",
        &mut logs,
    )?;
    let line = present(&mut logs, &[])?;
    let out = logged(
        &["scan", "--wedge", "--trust", &trust],
        &format!("{line}\n{line}\n"),
        &mut logs,
    )?;
    assert_eq!(out.status.code(), Some(1), "the second line is a replay");
    // Rights by the insured person's NIR and the birth date.
    let nir = card["insured"]["nir"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let born = card["beneficiaries"][0]["birth_date"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    ok(&logged(
        &[
            "--json",
            "rights",
            "--service",
            serve.url(),
            "--ca",
            serve.ca(),
            "--insured-nir",
            &nir,
            "--birth-date",
            &born,
        ],
        "",
        &mut logs,
    )?)?;
    // A care sheet built, then signed; another built and signed at once.
    let sheet = sim.work("1.sheet");
    let signed = sim.work("1.signed");
    let built_text = present(&mut logs, &[])?;
    let base = [
        "--json",
        "fse",
        "build",
        "--trust",
        trust.as_str(),
        "--service",
        serve.url(),
        "--ca",
        serve.ca(),
        "--numbers",
        numbers.as_str(),
        "--act",
        "G",
    ];
    let mut args = base.to_vec();
    args.extend_from_slice(&["--out", path(&sheet), &built_text]);
    ok(&logged(&args, "", &mut logs)?)?;
    ok(&logged(
        &[
            "--json",
            "fse",
            "sign",
            "--sheet",
            path(&sheet),
            "--key",
            &key,
            "--out",
            path(&signed),
        ],
        "",
        &mut logs,
    )?)?;
    let billed_text = present(&mut logs, &[])?;
    let billed = sim.work("2.signed");
    let mut args = base.to_vec();
    args.extend_from_slice(&["--key", &key, "--out", path(&billed), &billed_text]);
    let billed_json = ok(&logged(&args, "", &mut logs)?)?;
    serve.stop()?;
    // The JSON results (a verified card, a billed visit) never carry a
    // presentation's text either.
    for shown in [verified.to_string(), billed_json.to_string()] {
        for text in &texts {
            let chars: Vec<char> = text.chars().collect();
            let leaked = chars
                .windows(20)
                .any(|w| shown.contains(&w.iter().collect::<String>()));
            assert!(!leaked, "a presentation's text in {shown}");
        }
    }

    // The decisions were logged (so the search below is not vacuous)…
    for event in [
        "trust list loaded",
        "presentation verified",
        "qr code found",
        "decoder=\"strategy\"",
        "replay cache hit",
        "kind=\"replay\"",
        "vitale_http.call",
        "operation=\"rights\"",
        "care sheet built",
        "invoice=000001",
        "fee_eur=30.00",
        "care sheet signed",
        "invoice=000002",
    ] {
        assert!(logs.contains(event), "no {event:?} in the logs:\n{logs}");
    }
    // …and none of it is personal data.
    let secrets = secrets(&card, &texts);
    assert!(secrets.len() > 100, "{}", secrets.len());
    for secret in &secrets {
        let leaked: Vec<&str> = logs
            .lines()
            .filter(|l| l.contains(secret.as_str()))
            .collect();
        assert!(leaked.is_empty(), "personal data in the logs: {leaked:?}");
    }
    sim.done()
}

/// Without `-v` or `RUST_LOG`, nothing but warnings: the default output of
/// scripts does not change.
#[test]
fn logs_are_off_by_default() -> TestResult {
    let sim = Sim::new("logs-off")?;
    let text = sim.present("open")?;
    let trust = sim.file("trust-list.cbor");
    let out = Command::new(BIN)
        .args(["verify", "--trust", path(&trust), &text])
        .env_remove("RUST_LOG")
        .output()?;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let out = Command::new(BIN)
        .args([
            "-v",
            "verify",
            "--trust",
            path(&trust),
            &sim.present("open")?,
        ])
        .env_remove("RUST_LOG")
        .output()?;
    let logs = String::from_utf8_lossy(&out.stderr);
    assert!(
        logs.contains("INFO") && logs.contains("presentation verified"),
        "{logs}"
    );
    assert!(!logs.contains("DEBUG"), "{logs}");
    sim.done()
}
