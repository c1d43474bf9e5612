//! `--replay-cache`: a presentation verified by one run of the command is
//! refused by the next one (SQLite: the same workstation after a restart;
//! PostgreSQL: another workstation of the site), and a store that cannot
//! be opened is exit 2 with its own kind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const BIN: &str = env!("CARGO_BIN_EXE_vitale");
const CREATED: &str = "2026-11-12T14:00:00Z";
const PRESENTED: &str = "2026-11-12T14:05:00Z";

/// A fresh directory under the target dir, removed first.
fn scratch(name: &str) -> Result<PathBuf, std::io::Error> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("vitale-cli-state-{name}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Runs the binary with `VITALE_REPLAY_CACHE` set to `env` (or removed).
fn run(args: &[&str], env: Option<&str>) -> Result<Output, std::io::Error> {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("VITALE_REPLAY_CACHE");
    if let Some(location) = env {
        command.env("VITALE_REPLAY_CACHE", location);
    }
    command.output()
}

fn kind(out: &Output) -> Result<String, Box<dyn std::error::Error>> {
    let value: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stdout)))?;
    Ok(value
        .pointer("/error/kind")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_owned())
}

/// `sim init` and one presentation; returns the trust list and the text.
fn presentation(name: &str) -> Result<(String, String), Box<dyn std::error::Error>> {
    let dir = scratch(name)?.join("sim");
    let d = dir.to_str().ok_or("path")?;
    let out = run(
        &["sim", "init", "--dir", d, "--seed", "11", "--at", CREATED],
        None,
    )?;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["sim", "present", "--dir", d, "--at", PRESENTED], None)?;
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout)?.trim_end().to_owned();
    let trust = dir
        .join("trust-list.cbor")
        .to_str()
        .ok_or("path")?
        .to_owned();
    Ok((trust, text))
}

fn verify(
    trust: &str,
    text: &str,
    cache: Option<&str>,
    env: Option<&str>,
) -> Result<Output, std::io::Error> {
    let mut args = vec!["--json", "verify", "--trust", trust, "--at", PRESENTED];
    if let Some(location) = cache {
        args.extend(["--replay-cache", location]);
    }
    args.push(text);
    run(&args, env)
}

#[test]
fn a_sqlite_cache_refuses_a_presentation_verified_by_an_earlier_run() -> TestResult {
    let (trust, text) = presentation("sqlite")?;
    let dir = scratch("sqlite-cache")?;
    let location = format!("sqlite:{}", dir.join("state.sqlite").display());
    let first = verify(&trust, &text, Some(&location), None)?;
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let second = verify(&trust, &text, Some(&location), None)?;
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(kind(&second)?, "replay");
    // The variable works as the option does.
    let third = verify(&trust, &text, None, Some(&location))?;
    assert_eq!(kind(&third)?, "replay");
    // Without a durable cache, each run forgets.
    assert_eq!(verify(&trust, &text, None, None)?.status.code(), Some(0));
    Ok(())
}

#[test]
fn workstations_sharing_a_postgres_cache_refuse_each_others_presentations() -> TestResult {
    let Some(server) = vitale_test_support::postgres::shared("cli_postgres") else {
        return Ok(());
    };
    let location = format!("postgres:{}", server.database("cli"));
    let (trust, text) = presentation("postgres")?;
    let first = verify(&trust, &text, None, Some(&location))?;
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let second = verify(&trust, &text, Some(&location), None)?;
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(kind(&second)?, "replay");
    Ok(())
}

#[test]
fn a_store_that_cannot_be_opened_is_exit_2_with_its_kind() -> TestResult {
    let (trust, text) = presentation("bad-store")?;
    let nowhere = scratch("nowhere")?;
    for (location, expected) in [
        ("carrier-pigeon:12".to_owned(), "store_location_invalid"),
        ("sqlite:".to_owned(), "store_location_invalid"),
        (
            format!(
                "sqlite:{}",
                nowhere.join("no/such/dir/state.sqlite").display()
            ),
            "store_unavailable",
        ),
        (
            format!(
                "postgres:host={} user=x dbname=x connect_timeout=2",
                nowhere.display()
            ),
            "store_unavailable",
        ),
    ] {
        let out = verify(&trust, &text, Some(&location), None)?;
        assert_eq!(out.status.code(), Some(2), "{location}");
        assert_eq!(kind(&out)?, expected, "{location}");
    }
    Ok(())
}
