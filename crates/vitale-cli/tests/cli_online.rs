//! `vitale sim serve`, `sim present --profile token` and `verify
//! --context-service`: the real binary against its own HTTPS server on
//! loopback.

mod fse_support;

use std::path::Path;
use std::process::Output;

use fse_support::{Serve, Sim, TestResult, json, path, run, run_stdin};

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
    let sim = Sim::new("online-flow")?;
    let serve = Serve::start(&sim.dir, &[])?;
    assert_eq!(serve.first().get("ok"), Some(&true.into()));
    assert!(serve.url().starts_with("https://127.0.0.1:"));
    assert!(Path::new(serve.ca()).exists());
    let token = sim.present("token")?;
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
    let trust = sim.file("trust-list.cbor");
    let out = run(&["--json", "verify", "--trust", path(&trust), &token])?;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        json(&out)?.pointer("/error/kind"),
        Some(&"no_token_verifier".into())
    );

    let summary = serve.stop()?;
    assert_eq!(summary.get("stopped_by"), Some(&"stdin_closed".into()));
    assert_eq!(summary.get("open"), Some(&2.into()));
    sim.done()
}

#[test]
fn faults_reach_the_command_line_as_their_kinds() -> TestResult {
    let sim = Sim::new("online-faults")?;
    for (fault, kind, code) in [
        ("unavailable", "context_unavailable", 2),
        ("expired_context", "context_expired", 1),
        ("malformed", "context_invalid_answer", 1),
        ("unknown_ca", "context_unavailable", 2),
    ] {
        let serve = Serve::start(&sim.dir, &["--fault", fault])?;
        assert_eq!(serve.first().get("fault"), Some(&fault.into()));
        let out = verify(&serve, &sim.present("token")?)?;
        assert_eq!(out.status.code(), Some(code), "{fault}");
        let value = json(&out)?;
        assert_eq!(value.pointer("/error/kind"), Some(&kind.into()), "{fault}");
        serve.stop()?;
    }
    sim.done()
}

#[test]
fn usage_errors() -> TestResult {
    let sim = Sim::new("online-usage")?;
    let d = path(&sim.dir);
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
    sim.done()
}

#[test]
fn rights_of_a_card_read_from_a_token_and_their_faults() -> TestResult {
    let sim = Sim::new("online-rights")?;
    let serve = Serve::start(&sim.dir, &[])?;
    let token = sim.present("token")?;
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
        let serve = Serve::start(&sim.dir, &["--fault", fault])?;
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
    sim.done()
}

#[test]
fn scanner_lines_with_tokens_go_to_the_context_service() -> TestResult {
    let sim = Sim::new("online-wedge")?;
    let serve = Serve::start(&sim.dir, &[])?;
    let token = sim.present("token")?;
    let trust = sim.file("trust-list.cbor");
    // The simulation's credential is valid a week from `sim init` (now):
    // the trust list is checked at this time too.
    let at = time_now_rfc3339()?;
    let args = [
        "--json",
        "scan",
        "--wedge",
        "--trust",
        path(&trust),
        "--at",
        &at,
        "--context-service",
        serve.url(),
        "--ca",
        serve.ca(),
    ];
    // The same token twice: the second line is refused (single use).
    let out = run_stdin(&args, format!("{token}\n{token}\n").as_bytes())?;
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
    sim.done()
}

fn time_now_rfc3339() -> Result<String, Box<dyn std::error::Error>> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    Ok(format!("@{secs}"))
}
