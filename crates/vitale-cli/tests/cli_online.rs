//! `vitale sim serve`, `sim present --profile token` and `verify
//! --context-service`: the real binary against its own HTTPS server on
//! loopback.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use vitale_test_support::ChildGuard;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const BIN: &str = env!("CARGO_BIN_EXE_vitale");

fn scratch(name: &str) -> Result<PathBuf, std::io::Error> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("vitale-cli-online-{name}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn run(args: &[&str]) -> Result<Output, std::io::Error> {
    Command::new(BIN).args(args).output()
}

fn json(out: &Output) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_slice(&out.stdout)
}

/// A running `sim serve --json`: its first line, and the rest of stdout.
struct Serve {
    guard: ChildGuard,
    first: serde_json::Value,
    rest: BufReader<std::process::ChildStdout>,
}

impl Serve {
    fn start(dir: &Path, extra: &[&str]) -> Result<Serve, Box<dyn std::error::Error>> {
        let dir_text = dir.to_str().ok_or("dir")?;
        let mut child = Command::new(BIN)
            .args(["--json", "sim", "serve", "--dir", dir_text, "--for", "600"])
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
        self.first
            .get("url")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
    }

    fn ca(&self) -> &str {
        self.first
            .get("ca")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
    }

    /// Closes stdin and returns the summary line.
    fn stop(mut self) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
        drop(self.guard.take_stdin());
        let mut line = String::new();
        self.rest.read_line(&mut line)?;
        Ok(serde_json::from_str(&line)?)
    }
}

fn init(name: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = scratch(name)?;
    let out = run(&[
        "sim",
        "init",
        "--dir",
        dir.to_str().ok_or("dir")?,
        "--seed",
        "7",
    ])?;
    assert_eq!(out.status.code(), Some(0));
    Ok(dir)
}

fn token(dir: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let out = run(&[
        "sim",
        "present",
        "--dir",
        dir.to_str().ok_or("dir")?,
        "--profile",
        "token",
    ])?;
    assert_eq!(out.status.code(), Some(0));
    Ok(String::from_utf8(out.stdout)?.trim_end().to_owned())
}

fn verify(serve: &Serve, token: &str) -> Result<Output, std::io::Error> {
    run(&[
        "--json",
        "verify",
        "--context-service",
        serve.url(),
        "--ca",
        serve.ca(),
        token,
    ])
}

#[test]
fn a_token_is_verified_once_through_the_served_context_service() -> TestResult {
    let dir = init("flow")?;
    let serve = Serve::start(&dir, &[])?;
    assert_eq!(serve.first.get("ok"), Some(&true.into()));
    assert!(serve.url().starts_with("https://127.0.0.1:"));
    assert!(Path::new(serve.ca()).exists());
    let token = token(&dir)?;
    assert!(token.starts_with("SIMTOK1."));

    let out = verify(&serve, &token)?;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let card = json(&out)?;
    assert_eq!(
        card.pointer("/card/provenance/profile"),
        Some(&"token".into())
    );
    assert_eq!(
        card.pointer("/card/provenance/service"),
        Some(&"127.0.0.1".into())
    );
    // NIRs stay masked.
    assert!(String::from_utf8_lossy(&out.stdout).contains('•'));

    let again = verify(&serve, &token)?;
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        json(&again)?.pointer("/error/kind"),
        Some(&"token_refused".into())
    );

    // Without a context service, a token has nowhere to go.
    let trust = dir.join("trust-list.cbor");
    let out = run(&[
        "--json",
        "verify",
        "--trust",
        trust.to_str().ok_or("path")?,
        &token,
    ])?;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        json(&out)?.pointer("/error/kind"),
        Some(&"no_token_verifier".into())
    );

    let summary = serve.stop()?;
    assert_eq!(summary.get("stopped_by"), Some(&"stdin_closed".into()));
    assert_eq!(summary.get("open"), Some(&2.into()));
    Ok(())
}

#[test]
fn faults_reach_the_command_line_as_their_kinds() -> TestResult {
    let dir = init("faults")?;
    for (fault, kind, code) in [
        ("unavailable", "context_unavailable", 2),
        ("expired_context", "context_expired", 1),
        ("malformed", "context_invalid_answer", 1),
        ("unknown_ca", "context_unavailable", 2),
    ] {
        let serve = Serve::start(&dir, &["--fault", fault])?;
        assert_eq!(serve.first.get("fault"), Some(&fault.into()));
        let out = verify(&serve, &token(&dir)?)?;
        assert_eq!(out.status.code(), Some(code), "{fault}");
        let value = json(&out)?;
        assert_eq!(value.pointer("/error/kind"), Some(&kind.into()), "{fault}");
        serve.stop()?;
    }
    Ok(())
}

#[test]
fn usage_errors() -> TestResult {
    let dir = init("usage")?;
    let d = dir.to_str().ok_or("dir")?;
    let out = run(&["sim", "serve", "--dir", d, "--fault", "nope", "--for", "1"])?;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expired_context"));
    let out = run(&[
        "sim",
        "present",
        "--dir",
        d,
        "--profile",
        "token",
        "--png",
        "x.png",
    ])?;
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[
        "verify",
        "--context-service",
        "http://127.0.0.1:1",
        "--ca",
        "x",
        "SIMTOK1.AAAAAAAAAAAAAAAAAAAA",
    ])?;
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["verify", "SIMTOK1.AAAAAAAAAAAAAAAAAAAA"])?;
    assert_eq!(out.status.code(), Some(2));
    Ok(())
}

#[test]
fn rights_of_a_card_read_from_a_token_and_their_faults() -> TestResult {
    let dir = init("rights")?;
    let serve = Serve::start(&dir, &[])?;
    let token = token(&dir)?;
    let out = run(&[
        "--json",
        "rights",
        "--service",
        serve.url(),
        "--ca",
        serve.ca(),
        "--token",
        &token,
        "--context-service",
        serve.url(),
    ])?;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let value = json(&out)?;
    let results = value
        .get("results")
        .and_then(serde_json::Value::as_array)
        .ok_or("results")?;
    // `sim init` makes a household of 3.
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|r| r.get("amo") == Some(&"open".into())));
    // NIRs masked in the answer too.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("266021320589866"));
    serve.stop()?;

    for (fault, kind, code) in [
        ("unknown_patient", Some("patient_unknown"), 1),
        ("rights_closed", None, 1),
        ("unavailable", Some("rights_unavailable"), 2),
    ] {
        let serve = Serve::start(&dir, &["--fault", fault])?;
        let out = run(&[
            "--json",
            "rights",
            "--service",
            serve.url(),
            "--ca",
            serve.ca(),
            // The holder of seed 7's household (docs/online/rights.json).
            "--nir",
            "266021320589866",
        ])?;
        assert_eq!(out.status.code(), Some(code), "{fault}");
        let value = json(&out)?;
        let first = value.pointer("/results/0").ok_or("a result")?;
        match kind {
            Some(kind) => assert_eq!(first.pointer("/error/kind"), Some(&kind.into()), "{fault}"),
            None => assert_eq!(first.get("amo"), Some(&"closed".into())),
        }
        serve.stop()?;
    }
    Ok(())
}

#[test]
fn scanner_lines_with_tokens_go_to_the_context_service() -> TestResult {
    use std::io::Write as _;
    let dir = init("wedge")?;
    let serve = Serve::start(&dir, &[])?;
    let token = token(&dir)?;
    let trust = dir.join("trust-list.cbor");
    let mut child = Command::new(BIN)
        .args([
            "--json",
            "scan",
            "--wedge",
            "--trust",
            trust.to_str().ok_or("path")?,
            "--at",
            // The simulation's credential is valid a week from `sim init`
            // (now): the trust list is checked at this time too.
            &time_now_rfc3339()?,
            "--context-service",
            serve.url(),
            "--ca",
            serve.ca(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The same token twice: the second line is refused (single use).
        stdin.write_all(format!("{token}\n{token}\n").as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let text = String::from_utf8(out.stdout)?;
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines
            .first()
            .and_then(|l| l.pointer("/card/provenance/profile")),
        Some(&"token".into())
    );
    assert_eq!(
        lines.get(1).and_then(|l| l.pointer("/error/kind")),
        Some(&"token_refused".into())
    );
    assert_eq!(out.status.code(), Some(1));
    serve.stop()?;
    Ok(())
}

fn time_now_rfc3339() -> Result<String, Box<dyn std::error::Error>> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    Ok(format!("@{secs}"))
}
