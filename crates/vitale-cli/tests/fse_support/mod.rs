//! What the `vitale fse` tests share: running the binary, reading its JSON,
//! a simulation with `sim serve` running, and `fse build` of a fresh card.
// Each test binary uses part of it.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use vitale_test_support::ChildGuard;

pub(crate) type TestResult = Result<(), Box<dyn std::error::Error>>;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_vitale");

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

pub(crate) fn run(args: &[&str]) -> Result<Output, std::io::Error> {
    Command::new(BIN).args(args).output()
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

/// `haystack` with the first `from` replaced by `to` (same length).
pub(crate) fn replace_once(haystack: &[u8], from: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    let at = haystack.windows(from.len()).position(|w| w == from)?;
    let mut out = haystack.to_vec();
    out.get_mut(at..at + from.len())?.copy_from_slice(to);
    Some(out)
}
