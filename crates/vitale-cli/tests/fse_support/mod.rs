//! What the CLI tests share (first written for the `vitale fse` tests):
//! running the binary (with or without stdin), reading its output and
//! JSON, a simulation made at a fixed time or with `sim serve` running,
//! `fse build` of a fresh card, and the `fse` command lines the tests
//! repeat (sign, verify, receipt, lot).
// Each test binary uses part of it.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use vitale_test_support::ChildGuard;

pub(crate) type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A run of the binary: its output, or why it could not start.
pub(crate) type Ran = Result<Output, std::io::Error>;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_vitale");
/// Fixed creation time of the simulations made by [`sim_at`], so tests do
/// not depend on the clock: 2026-11-12T14:00:00Z.
pub(crate) const CREATED: &str = "2026-11-12T14:00:00Z";
/// The time of the presentations made by [`present_at`].
pub(crate) const PRESENTED: &str = "2026-11-12T14:05:00Z";

/// A fresh directory for one test of one process (copies of this binary
/// may run at once), removed by [`Sim::done`] when the test passes.
pub(crate) fn scratch(name: &str) -> Result<PathBuf, std::io::Error> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("vitale-cli-fse-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

pub(crate) fn run(args: &[&str]) -> Ran {
    Command::new(BIN).args(args).output()
}

/// Runs the binary with `input` on its stdin.
pub(crate) fn run_stdin(args: &[&str], input: &[u8]) -> Ran {
    feed(Command::new(BIN).args(args), input)
}

/// Runs `command` with `input` on its stdin, its output captured.
pub(crate) fn feed(command: &mut Command, input: &[u8]) -> Ran {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input)?;
    }
    child.wait_with_output()
}

pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `sim init --seed SEED --at CREATED` in a fresh directory (`NAME/sim`).
pub(crate) fn sim_at(name: &str, seed: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = scratch(name)?.join("sim");
    let args = [
        "sim",
        "init",
        "--dir",
        path(&dir),
        "--seed",
        seed,
        "--at",
        CREATED,
    ];
    let out = run(&args)?;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    Ok(dir)
}

/// `sim present --at PRESENTED` (and `extra`) of the simulation in `dir`:
/// the presentation's text.
pub(crate) fn present_at(dir: &Path, extra: &[&str]) -> Result<String, Box<dyn std::error::Error>> {
    let mut args = vec!["sim", "present", "--dir", path(dir), "--at", PRESENTED];
    args.extend_from_slice(extra);
    let out = run(&args)?;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    Ok(String::from_utf8(out.stdout)?.trim_end().to_owned())
}

/// `vitale FIRST… fse SUBCOMMAND ARGS…` (`first`: global flags such as
/// `--json`, or none for text output).
pub(crate) fn fse(first: &[&str], subcommand: &str, args: &[&str]) -> Ran {
    Command::new(BIN)
        .args(first)
        .args(["fse", subcommand])
        .args(args)
        .output()
}

/// `fse build` of `card`, checked with `check` (`--trust FILE` for an
/// offline card, `--context-service URL` for a token), rights from
/// `serve`, invoice numbers in `numbers`; the act `G` unless `extra` names
/// acts.
pub(crate) fn fse_build(
    first: &[&str],
    check: &[&str],
    serve: &Serve,
    numbers: &Path,
    out: &Path,
    extra: &[&str],
    card: &str,
) -> Ran {
    let mut args = check.to_vec();
    args.extend_from_slice(&[
        "--service",
        serve.url(),
        "--ca",
        serve.ca(),
        "--numbers",
        path(numbers),
        "--out",
        path(out),
    ]);
    args.extend_from_slice(extra);
    if !extra.contains(&"--act") {
        args.extend_from_slice(&["--act", "G"]);
    }
    args.push(card);
    fse(first, "build", &args)
}

/// `fse sign` of `sheet` with the professional's key file `key`.
pub(crate) fn sign_with_key(first: &[&str], sheet: &Path, key: &Path, out: &Path) -> Ran {
    fse(
        first,
        "sign",
        &[
            "--sheet",
            path(sheet),
            "--key",
            path(key),
            "--out",
            path(out),
        ],
    )
}

/// `fse sign` of a token card's `sheet` by `serve`'s context service.
pub(crate) fn sign_by_service(sheet: &Path, serve: &Serve, out: &Path) -> Ran {
    let args = [
        "--sheet",
        path(sheet),
        "--context-service",
        serve.url(),
        "--ca",
        serve.ca(),
        "--out",
        path(out),
    ];
    fse(&["--json"], "sign", &args)
}

/// `fse sign --digest-only`: the digest of `sheet`, for a signature made
/// elsewhere.
pub(crate) fn digest_only(sheet: &Path) -> Ran {
    fse(
        &["--json"],
        "sign",
        &["--sheet", path(sheet), "--digest-only"],
    )
}

/// `fse verify` of `signed` with `key_flag` (`--key`, `--public-key`)
/// `key`.
pub(crate) fn verify_signed(first: &[&str], signed: &Path, key_flag: &str, key: &Path) -> Ran {
    fse(
        first,
        "verify",
        &["--signed", path(signed), key_flag, path(key)],
    )
}

/// `fse receipt` of `signed`, signed with `key` into `out`.
pub(crate) fn sign_receipt(signed: &Path, key: &Path, out: &Path) -> Ran {
    let args = [
        "--signed",
        path(signed),
        "--key",
        path(key),
        "--out",
        path(out),
    ];
    fse(&["--json"], "receipt", &args)
}

/// `fse receipt --verify` of `receipt` against the trust list `trust`.
pub(crate) fn verify_receipt(receipt: &Path, trust: &Path) -> Ran {
    let args = ["--verify", path(receipt), "--trust", path(trust)];
    fse(&["--json"], "receipt", &args)
}

/// `fse lot` of `files` (and flags), numbered in `lot_numbers`, written in
/// `out_dir`.
pub(crate) fn lot(lot_numbers: &Path, out_dir: &Path, files: &[&str]) -> Ran {
    let mut args = vec![
        "--lot-numbers",
        path(lot_numbers),
        "--out-dir",
        path(out_dir),
    ];
    args.extend_from_slice(files);
    fse(&["--json"], "lot", &args)
}

pub(crate) fn json(out: &Output) -> Result<Value, Box<dyn std::error::Error>> {
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
pub(crate) fn ok(out: &Output) -> Result<Value, Box<dyn std::error::Error>> {
    let value = json(out)?;
    assert_eq!(out.status.code(), Some(0), "{value}");
    assert_eq!(value.get("ok"), Some(&Value::Bool(true)), "{value}");
    Ok(value)
}

/// The kind of a refusal, after checking its exit code and shape.
pub(crate) fn refused(out: &Output, code: i32) -> Result<String, Box<dyn std::error::Error>> {
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

pub(crate) fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

pub(crate) fn path(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

/// A running `sim serve --json`.
pub(crate) struct Serve {
    guard: ChildGuard,
    first: Value,
    rest: BufReader<std::process::ChildStdout>,
}

impl Serve {
    pub(crate) fn start(dir: &Path, extra: &[&str]) -> Result<Serve, Box<dyn std::error::Error>> {
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

    /// The first line `sim serve` printed (its address, CA, fault).
    pub(crate) fn first(&self) -> &Value {
        &self.first
    }

    pub(crate) fn url(&self) -> &str {
        text(&self.first, "/url")
    }

    pub(crate) fn ca(&self) -> &str {
        text(&self.first, "/ca")
    }

    /// Closes stdin and returns the summary line.
    pub(crate) fn stop(mut self) -> Result<Value, Box<dyn std::error::Error>> {
        drop(self.guard.take_stdin());
        let mut line = String::new();
        self.rest.read_line(&mut line)?;
        Ok(serde_json::from_str(&line)?)
    }
}

/// A simulation (`sim init --seed 7`, the clock's time) and its init JSON.
pub(crate) struct Sim {
    pub(crate) dir: PathBuf,
    pub(crate) init: Value,
}

impl Sim {
    pub(crate) fn new(name: &str) -> Result<Sim, Box<dyn std::error::Error>> {
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
    pub(crate) fn done(self) -> TestResult {
        if let Some(root) = self.dir.parent() {
            std::fs::remove_dir_all(root)?;
        }
        Ok(())
    }

    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A file beside the simulation directory.
    pub(crate) fn work(&self, name: &str) -> PathBuf {
        self.dir.parent().unwrap_or(&self.dir).join(name)
    }

    pub(crate) fn present(&self, profile: &str) -> Result<String, Box<dyn std::error::Error>> {
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
    pub(crate) fn build(
        &self,
        serve: &Serve,
        out: &Path,
        extra: &[&str],
    ) -> Result<Output, Box<dyn std::error::Error>> {
        let card = self.present("open")?;
        let numbers = self.work("numbers.sqlite");
        let trust = self.file("trust-list.cbor");
        let check = ["--trust", path(&trust)];
        Ok(fse_build(
            &["--json"],
            &check,
            serve,
            &numbers,
            out,
            extra,
            &card,
        )?)
    }
}

/// `haystack` with the first `from` replaced by `to` (same length).
pub(crate) fn replace_once(haystack: &[u8], from: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    let at = haystack.windows(from.len()).position(|w| w == from)?;
    let mut out = haystack.to_vec();
    out.get_mut(at..at + from.len())?.copy_from_slice(to);
    Some(out)
}
