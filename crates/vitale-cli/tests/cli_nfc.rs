//! `vitale scan --nfc` and `vitale sim card` on the real PC/SC stack: a
//! private `pcscd` with the vpcd virtual reader (`vitale-test-support`'s
//! harness: its own mount namespace, free ports, the test re-executed with
//! `PCSCLITE_CSOCK_NAME` pointing at it), the phone emulated by the
//! `vitale sim card` process, the read by the `vitale scan --nfc` process.
//!
//! Every process started here is stopped by its PID from a guard, also
//! when the test fails. Timeouts are upper bounds against hangs, never
//! timing assertions. Needs root (CI is root) or unprivileged user
//! namespaces, and `pcscd libpcsclite-dev vsmartcard-vpcd`.
#![cfg(feature = "pcsc")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use vitale_test_support::{ChildGuard, Daemon, Stack, on_real_stack};

const BIN: &str = env!("CARGO_BIN_EXE_vitale");
/// Fixed times, so that the tests do not depend on the clock.
const CREATED: &str = "2026-11-12T14:00:00Z";
const PRESENTED: &str = "2026-11-12T14:05:00Z";

/// A simulation (`vitale sim init`) in a fresh directory.
fn sim_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("vitale-cli-nfc-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(BIN)
        .args(["sim", "init", "--seed", "7", "--at", CREATED, "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    dir
}

/// `vitale sim card` on the stack's vpcd, in the background; stopped by
/// closing its stdin (or by its guard).
fn sim_card(stack: Stack, dir: &Path, behaviour: &str) -> ChildGuard {
    ChildGuard::spawn(
        Command::new(BIN)
            .args(["--json", "sim", "card", "--for", "60", "--at", PRESENTED])
            .args(["--behaviour", behaviour, "--vpcd"])
            .arg(stack.vpcd_addr().to_string())
            .arg("--dir")
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
        "vitale sim card",
    )
}

/// `vitale scan --nfc` with these extra flags; its upper bound is its own
/// `--timeout`.
fn scan(dir: &Path, timeout: &str, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["scan", "--nfc", "--timeout", timeout, "--at", PRESENTED])
        .arg("--trust")
        .arg(dir.join("trust-list.cbor"))
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn kind(value: &serde_json::Value) -> &str {
    value["error"]["kind"].as_str().unwrap_or("")
}

/// Stops `sim card` by closing its stdin; its summary counts the
/// presentations.
fn stop_card(mut card: ChildGuard) -> serde_json::Value {
    drop(card.take_stdin());
    let finished = card
        .wait_bounded(Duration::from_secs(10))
        .expect("sim card did not stop (hang)");
    assert_eq!(finished.status.code(), Some(0), "sim card: {finished:?}");
    serde_json::from_str(finished.stdout.trim()).unwrap()
}

#[test]
fn reads_and_verifies_a_phone() {
    on_real_stack("reads_and_verifies_a_phone", Daemon::WithVpcd, |stack| {
        let dir = sim_dir("normal");
        let card = sim_card(stack, &dir, "normal");
        let out = scan(&dir, "20", &["--json"]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let value = json(&out);
        assert_eq!(value["ok"], true, "{value}");
        assert!(value["reader"].as_str().unwrap().contains("Virtual PCD"));
        assert!(value["round_trips"].as_u64().unwrap() >= 2);
        assert_eq!(value["card"]["provenance"]["channel"], "nfc", "{value}");
        let nir = value["card"]["insured"]["nir"].as_str().unwrap();
        assert!(nir.contains('•'), "NIR masked: {nir}");
        // Events on stderr, one JSON object a line.
        let events = String::from_utf8_lossy(&out.stderr);
        assert!(
            events.contains(r#"{"event":"waiting_for_phone"}"#),
            "{events}"
        );
        assert!(events.contains(r#""event":"phone_detected""#), "{events}");
        assert!(events.contains(r#"{"event":"done"}"#), "{events}");
        let summary = stop_card(card);
        assert_eq!(summary["presentations"], 1, "{summary}");
        assert_eq!(summary["stopped_by"], "stdin_closed");
    });
}

#[test]
fn locked_app_is_reported_then_read() {
    on_real_stack(
        "locked_app_is_reported_then_read",
        Daemon::WithVpcd,
        |stack| {
            let dir = sim_dir("locked");
            let _card = sim_card(stack, &dir, "app-locked:2");
            let out = scan(&dir, "20", &[]);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
            assert!(stdout.starts_with("ACCEPTED"), "{stdout}");
            assert!(stdout.contains("reader Virtual PCD"), "{stdout}");
            // Not a terminal: one line per event.
            assert!(
                stderr.contains("waiting for a phone on any reader…\n"),
                "{stderr}"
            );
            assert!(stderr.contains("phone detected on Virtual PCD"), "{stderr}");
            assert!(
                stderr.contains("the app is locked: ask the patient to unlock it (attempt 1)\n"),
                "{stderr}"
            );
            assert!(stderr.contains("reading…\n"), "{stderr}");
        },
    );
}

#[test]
fn declined_is_rejected() {
    on_real_stack("declined_is_rejected", Daemon::WithVpcd, |stack| {
        let dir = sim_dir("declines");
        let card = sim_card(stack, &dir, "declines");
        let out = scan(&dir, "20", &["--json"]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let value = json(&out);
        assert_eq!(value["ok"], false);
        assert_eq!(kind(&value), "nfc_declined", "{value}");
        assert_eq!(stop_card(card)["presentations"], 0);
    });
}

#[test]
fn no_phone_times_out() {
    on_real_stack("no_phone_times_out", Daemon::WithVpcd, |_stack| {
        let dir = sim_dir("timeout");
        let out = scan(&dir, "2", &["--json"]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert_eq!(kind(&json(&out)), "nfc_timeout");
    });
}

#[test]
fn no_reader_is_a_workstation_error() {
    on_real_stack(
        "no_reader_is_a_workstation_error",
        Daemon::NoReaders,
        |_stack| {
            let dir = sim_dir("no-reader");
            let out = scan(&dir, "1", &["--json"]);
            assert_eq!(out.status.code(), Some(2), "{out:?}");
            assert_eq!(kind(&json(&out)), "nfc_no_reader");
        },
    );
}

#[test]
fn no_service_is_a_workstation_error() {
    on_real_stack(
        "no_service_is_a_workstation_error",
        Daemon::None,
        |_stack| {
            let dir = sim_dir("no-service");
            let out = scan(&dir, "1", &["--json"]);
            assert_eq!(out.status.code(), Some(2), "{out:?}");
            assert_eq!(kind(&json(&out)), "nfc_no_service");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("PC/SC service not running"), "{stderr}");
        },
    );
}
