//! `vitale scan --frames DIR`: a recorded camera scene (drawn by the
//! simulator: the phone entering with motion blur, held still, leaving)
//! read by the scanning loop, as a user without a camera would.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vitale_sim::render::{FrameSize, RenderOptions, Scene, render_qr, write_frames};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const BIN: &str = env!("CARGO_BIN_EXE_vitale");
const CREATED: &str = "2026-11-12T14:00:00Z";
const PRESENTED: &str = "2026-11-12T14:05:00Z";

fn scratch(name: &str) -> Result<PathBuf, std::io::Error> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("vitale-cli-{name}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn run(args: &[&str]) -> Result<Output, std::io::Error> {
    Command::new(BIN).args(args).output()
}

fn ok(out: &Output) -> Result<String, Box<dyn std::error::Error>> {
    if out.status.code() != Some(0) {
        return Err(format!(
            "exit {:?}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout.clone())?)
}

#[test]
fn frames_of_a_scene_are_read_verified_once_and_replay_refused() -> TestResult {
    let dir = scratch("camera")?;
    let sim = dir.join("sim");
    let s = sim.to_str().ok_or("path")?;
    ok(&run(&[
        "sim", "init", "--dir", s, "--seed", "5", "--at", CREATED,
    ])?)?;
    let text = ok(&run(&["sim", "present", "--dir", s, "--at", PRESENTED])?)?;
    let code = render_qr(text.trim_end(), &RenderOptions::default())?;
    // Held still 2 s: a loaded machine may decode slower than 6 frames.
    let scene = Scene {
        sharp: 60,
        ..Scene::new(FrameSize::Vga)
    };
    let frames = dir.join("frames");
    write_frames(&scene.frames(&code), &frames)?;
    let trust = sim.join("trust-list.cbor");
    let (t, f) = (
        trust.to_str().ok_or("path")?,
        frames.to_str().ok_or("path")?,
    );
    let cache = format!("sqlite:{}", dir.join("replay.sqlite").display());
    let args = [
        "scan",
        "--json",
        "--frames",
        f,
        "--trust",
        t,
        "--at",
        PRESENTED,
        "--replay-cache",
        &cache,
        "--timeout",
        "60",
    ];

    let out = run(&args)?;
    let stdout = ok(&out)?;
    let v: serde_json::Value = serde_json::from_str(&stdout)?;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["source"], "frames");
    assert_eq!(v["stats"]["verified"], 1, "{v}");
    assert!(
        v["frame"]
            .as_u64()
            .is_some_and(|f| (2..2 + 4 + 60).contains(&f)),
        "{v}"
    );
    assert!(v["card"]["beneficiaries"].is_array(), "{v}");
    // Progress on stderr, one JSON object a line.
    let events: Vec<serde_json::Value> = String::from_utf8(out.stderr)?
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(
        events.first().map(|e| e["event"].clone()),
        Some("started".into())
    );
    assert!(events.iter().any(|e| e["event"] == "code_seen"));
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "stopped" && e["reason"] == "accepted")
    );

    // The same frames again: the presentation is a replay (exit 1).
    let out = run(&args)?;
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"]["kind"], "replay");
    Ok(())
}

#[test]
fn an_empty_folder_is_no_code_and_a_missing_one_io() -> TestResult {
    let dir = scratch("camera-empty")?;
    let sim = dir.join("sim");
    let s = sim.to_str().ok_or("path")?;
    ok(&run(&[
        "sim", "init", "--dir", s, "--seed", "5", "--at", CREATED,
    ])?)?;
    let trust = sim.join("trust-list.cbor");
    let t = trust.to_str().ok_or("path")?;
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty)?;
    let out = run(&[
        "scan",
        "--json",
        "--frames",
        empty.to_str().ok_or("path")?,
        "--trust",
        t,
    ])?;
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["error"]["kind"], "no_code");

    let missing = dir.join("missing");
    let out = run(&[
        "scan",
        "--json",
        "--frames",
        missing.to_str().ok_or("path")?,
        "--trust",
        t,
    ])?;
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["error"]["kind"], "io", "{v}");

    // Without the feature `camera` (or without a camera): exit 2, a
    // camera_ kind, never a panic.
    let out = run(&[
        "scan",
        "--json",
        "--camera",
        "--device",
        "4095",
        "--trust",
        t,
        "--timeout",
        "1",
    ])?;
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let kind = v["error"]["kind"].as_str().unwrap_or_default();
    assert!(
        matches!(
            kind,
            "camera_not_compiled" | "camera_no_device" | "camera_unavailable"
        ),
        "{v}"
    );
    // --frames needs a trust list.
    let out = run(&["scan", "--frames", empty.to_str().ok_or("path")?])?;
    assert_eq!(out.status.code(), Some(2));
    Ok(())
}
