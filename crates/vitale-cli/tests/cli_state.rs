//! `--replay-cache`: a presentation verified by one run of the command is
//! refused by the next one (SQLite: the same workstation after a restart;
//! PostgreSQL: another workstation of the site), and a store that cannot
//! be opened is exit 2 with its own kind.

mod fse_support;

use std::process::{Command, Output};

use fse_support::{BIN, PRESENTED, TestResult, path, present_at, scratch, sim_at};

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
    let dir = sim_at(&format!("state-{name}"), "11")?;
    let text = present_at(&dir, &[])?;
    let trust = path(&dir.join("trust-list.cbor")).to_owned();
    Ok((trust, text))
}

/// A first run (`--replay-cache`, `VITALE_REPLAY_CACHE`) accepts `text`;
/// a second, sharing the first one's cache, refuses it as a replay.
fn accepted_then_replay(
    trust: &str,
    text: &str,
    first: [Option<&str>; 2],
    second: [Option<&str>; 2],
) -> TestResult {
    let out = verify(trust, text, first[0], first[1])?;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = verify(trust, text, second[0], second[1])?;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(kind(&out)?, "replay");
    Ok(())
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
    let cache = Some(location.as_str());
    accepted_then_replay(&trust, &text, [cache, None], [cache, None])?;
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
    let cache = Some(location.as_str());
    accepted_then_replay(&trust, &text, [None, cache], [cache, None])
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
