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

mod fse_support;

use std::path::Path;
use std::process::Output;

use fse_support::{Sim, TestResult, ok, path, refused, run};
use vitale_sim::render::{FrameSize, RenderOptions, Scene, render_qr, write_frames};

/// `vitale scan --json --frames DIR --trust FILE` and `extra`.
fn scan(frames: &Path, sim: &Sim, extra: &[&str]) -> Result<Output, std::io::Error> {
    let trust = sim.file("trust-list.cbor");
    let mut args = vec!["scan", "--json", "--frames", path(frames)];
    args.extend(["--trust", path(&trust)]);
    args.extend(extra);
    run(&args)
}

/// The progress events of a scan: the JSON lines of its stderr.
fn progress(out: &Output) -> Result<Vec<serde_json::Value>, std::str::Utf8Error> {
    Ok(std::str::from_utf8(&out.stderr)?
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

fn names(events: &[serde_json::Value]) -> Vec<&str> {
    events.iter().filter_map(|e| e["event"].as_str()).collect()
}

#[test]
fn frames_of_a_scene_are_read_verified_once_and_replay_refused() -> TestResult {
    let sim = Sim::new("camera")?;
    let text = sim.present("open")?;
    let code = render_qr(&text, &RenderOptions::default())?;
    // Two empty frames, four entering, six still, four leaving, two empty.
    let scene = Scene::new(FrameSize::Vga);
    let frames = sim.work("frames");
    write_frames(&scene.frames(&code), &frames)?;
    let cache = format!("sqlite:{}", sim.work("replay.sqlite").display());
    // --unpaced: every frame decoded in order whatever the machine's load,
    // so what is read where does not depend on timing.
    let extra = ["--replay-cache", &cache, "--timeout", "600", "--unpaced"];

    let out = scan(&frames, &sim, &extra)?;
    let v = ok(&out)?;
    assert_eq!(v["source"], "frames");
    let stats = &v["stats"];
    assert_eq!(stats["verified"], 1, "{v}");
    assert_eq!(stats["skipped"], 0, "{v}");
    // Read while entering or held still, never in an empty frame; every
    // frame before it decoded.
    let frame = v["frame"].as_u64().unwrap();
    assert!((2..2 + 4 + 6).contains(&frame), "{v}");
    assert_eq!(stats["decoded"].as_u64(), Some(frame + 1), "{v}");
    assert!(v["card"]["beneficiaries"].is_array(), "{v}");
    // Progress on stderr, one JSON object a line, in order: started, the
    // code seen once (in the frame it was read in), stopped.
    let events = progress(&out)?;
    assert_eq!(names(&events), ["started", "code_seen", "stopped"]);
    assert_eq!(events[1]["frame"], v["frame"]);
    assert_eq!(events[2]["reason"], "accepted");
    assert_eq!(events[2]["stats"]["verified"], 1);

    // The same recording again gives the same frame.
    let again = scan(&frames, &sim, &["--timeout", "600", "--unpaced"])?;
    assert_eq!(ok(&again)?["frame"], v["frame"]);

    // The same frames again: the presentation is a replay (exit 1), refused
    // once although it is read in many frames.
    let out = scan(&frames, &sim, &extra)?;
    assert_eq!(refused(&out, 1)?, "replay");
    let events = progress(&out)?;
    assert_eq!(
        names(&events),
        ["started", "code_seen", "code_refused", "stopped"]
    );
    assert_eq!(events[2]["kind"], "replay");
    assert_eq!(events[3]["reason"], "ended");
    let stats = &events[3]["stats"];
    assert_eq!(stats["verified"], 1);
    // To the end of the folder, every frame decoded.
    assert_eq!(stats["decoded"].as_u64(), Some(scene.len() as u64));
    assert_eq!(stats["skipped"], 0);
    sim.done()
}

#[test]
fn an_empty_folder_is_no_code_and_a_missing_one_io() -> TestResult {
    let sim = Sim::new("camera-empty")?;
    let empty = sim.work("empty");
    std::fs::create_dir_all(&empty)?;
    assert_eq!(refused(&scan(&empty, &sim, &[])?, 1)?, "no_code");
    assert_eq!(refused(&scan(&sim.work("missing"), &sim, &[])?, 2)?, "io");

    // Without the feature `camera` (or without a camera): exit 2, a
    // camera_ kind, never a panic.
    let trust = sim.file("trust-list.cbor");
    let out = run(&[
        "scan",
        "--json",
        "--camera",
        "--device",
        "4095",
        "--trust",
        path(&trust),
        "--timeout",
        "1",
    ])?;
    let kind = refused(&out, 2)?;
    assert!(
        matches!(
            kind.as_str(),
            "camera_not_compiled" | "camera_no_device" | "camera_unavailable"
        ),
        "{kind}"
    );
    // --frames needs a trust list.
    let out = run(&["scan", "--frames", path(&empty)])?;
    assert_eq!(out.status.code(), Some(2));
    sim.done()
}
