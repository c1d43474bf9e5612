//! The scanning loop over simulated camera scenes (`vitale_sim::render::
//! Scene`): a phone enters the view with motion blur, holds still, leaves;
//! the codes are verified by a real offline verifier.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use vitale_codec::model::Timestamp;
use vitale_reader::camera::{
    CancelToken, FrameFolder, FrameSequence, ScanEvent, Scanner, StopReason,
};
use vitale_reader::qr::{DecodedCode, LumaImage};
use vitale_sim::render::{FrameSize, RenderOptions, Scene, ScenePhase, render_qr, write_frames};
use vitale_sim::{Scenario, Seed};
use vitale_verify::policy::FixedClock;
use vitale_verify::{TrustList, TrustStore, VerifiedCard, Verifier, default_backend};

const NOW: u64 = 1_795_334_400; // 2026-11-22T08:00:00Z

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

/// A presentation's text and a verifier trusting its issuer.
fn presentation_and_verifier() -> (String, Verifier) {
    let s = Scenario::new(Seed::from_u64(13), 2, ts(NOW)).unwrap();
    let list = TrustList::from_cbor(&s.trust_list, &s.anchor, default_backend(), ts(NOW)).unwrap();
    let verifier =
        Verifier::new(TrustStore::new(s.anchor.clone(), list)).with_clock(FixedClock(ts(NOW)));
    let text = s.phone.present_qr_text(ts(NOW), 120).unwrap();
    (text, verifier)
}

fn scene_frames(text: &str, scene: &Scene) -> Vec<LumaImage> {
    let code = render_qr(text, &RenderOptions::default()).unwrap();
    scene.frames(&code)
}

/// The scene of [`Scene::new`] at 640×480 with its last sharp frame held
/// `held` more frames: under load (a shared CI machine, a debug build) a
/// decode can take longer than the 6 sharp frames last at 30 frames a
/// second, and the loop rightly skips them rather than fall behind.
fn held_scene(text: &str, held: usize) -> Vec<LumaImage> {
    let scene = Scene::new(FrameSize::Vga);
    let mut frames = scene_frames(text, &scene);
    let end = scene.empty_before + scene.entering + scene.sharp;
    let still = frames[end - 1].clone();
    frames.splice(end..end, std::iter::repeat_n(still, held));
    frames
}

/// Verifies with `verifier`, counting calls.
fn verify_with<'a>(
    verifier: &'a Verifier,
    calls: &'a AtomicUsize,
) -> impl FnMut(&DecodedCode) -> Result<VerifiedCard, vitale_verify::Error> + 'a {
    move |code| {
        calls.fetch_add(1, Ordering::SeqCst);
        verifier.verify_text(code.text().unwrap_or(""))
    }
}

#[test]
fn the_scene_draws_each_phase() {
    let scene = Scene::new(FrameSize::Vga);
    let phases: Vec<_> = (0..scene.len()).map(|i| scene.phase(i).unwrap()).collect();
    assert_eq!(phases.len(), 18);
    assert_eq!(phases.first(), Some(&ScenePhase::Empty));
    assert!(phases.contains(&ScenePhase::Entering));
    assert!(phases.contains(&ScenePhase::Sharp));
    assert!(phases.contains(&ScenePhase::Leaving));
    assert_eq!(scene.phase(18), None);
    // Motion-blurred frames differ from sharp ones; empty frames have no
    // code at all.
    let (text, _) = presentation_and_verifier();
    let frames = scene_frames(&text, &scene);
    let decoder = vitale_reader::qr::default_decoder();
    let read = |i: usize| !decoder.decode(&frames[i].as_frame()).unwrap().is_empty();
    assert!(!read(0), "empty frame");
    assert!(read(2 + 4 + 1), "sharp frame");
    assert!(!read(17), "empty frame");
}

#[test]
fn a_card_shown_to_the_camera_is_verified_once() {
    let (text, verifier) = presentation_and_verifier();
    let frames = held_scene(&text, 60);
    let calls = AtomicUsize::new(0);
    let mut events = Vec::new();
    let found = Scanner::new()
        .run(
            &mut FrameSequence::new(frames, 30.0),
            verify_with(&verifier, &calls),
            |e| {
                events.push(match e {
                    ScanEvent::Started => "started",
                    ScanEvent::FrameDecoded { codes: 0, .. } => "no code",
                    ScanEvent::FrameDecoded { .. } => "code",
                    ScanEvent::CodeSeen { .. } => "seen",
                    ScanEvent::Stopped { .. } => "stopped",
                    _ => "other",
                })
            },
        )
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(found.value.beneficiaries().len(), 2);
    // Read while entering (blurred) or still, not before or after.
    assert!(
        (2..2 + 4 + 6 + 60).contains(&found.sequence),
        "{}",
        found.sequence
    );
    assert_eq!(events.first(), Some(&"started"));
    assert_eq!(events.last(), Some(&"stopped"));
    assert!(events.contains(&"no code") && events.contains(&"seen"));
    let s = &found.stats;
    assert_eq!((s.verified, s.refused), (1, 0));
    assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames);
}

#[test]
fn frames_arriving_while_decoding_are_skipped_and_counted() {
    // 240 frames a second (4 ms apart): faster than any decode, so the
    // loop drops frames rather than fall behind; the phone held still for
    // a second leaves time to read the code.
    let (text, verifier) = presentation_and_verifier();
    let frames = held_scene(&text, 240);
    let calls = AtomicUsize::new(0);
    let start = Instant::now();
    let found = Scanner::new()
        .run(
            &mut FrameSequence::new(frames, 240.0),
            verify_with(&verifier, &calls),
            |_| {},
        )
        .unwrap();
    let s = &found.stats;
    assert!(s.skipped > 0, "{s:?}");
    assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames, "{s:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Behind real time by at most about one decode, not by the skipped frames.
    let stream = Duration::from_secs_f64(s.frames as f64 / 240.0);
    assert!(start.elapsed() < stream + Duration::from_secs(3), "{s:?}");
    assert!(s.skipped > s.decoded, "{s:?}");
}

#[test]
fn a_replayed_code_is_refused_once_and_reported() {
    let (text, verifier) = presentation_and_verifier();
    // Seen before (at another workstation of the site, or a photo).
    verifier.verify_text(&text).unwrap();
    let frames = held_scene(&text, 60);
    let calls = AtomicUsize::new(0);
    let mut refused = Vec::new();
    let stopped = Scanner::new()
        .run(
            &mut FrameSequence::new(frames, 30.0),
            verify_with(&verifier, &calls),
            |e| {
                if let ScanEvent::CodeRefused { error, .. } = e {
                    refused.push(error.kind());
                }
            },
        )
        .unwrap_err();
    assert_eq!(stopped.reason, StopReason::Ended);
    assert_eq!(refused, ["replay"]);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(stopped.last_refusal.map(|e| e.kind()), Some("replay"));
    assert_eq!(stopped.stats.refused, 1);
    assert!(stopped.stats.repeats >= 1, "{:?}", stopped.stats);
}

#[test]
fn frames_without_a_code_end_cleanly_from_a_folder() {
    let (text, verifier) = presentation_and_verifier();
    let scene = Scene {
        empty_before: 6,
        entering: 0,
        sharp: 0,
        leaving: 0,
        empty_after: 0,
        ..Scene::new(FrameSize::Vga)
    };
    let dir = std::env::temp_dir().join(format!("vitale-camera-empty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_frames(&scene_frames(&text, &scene), &dir).unwrap();
    let calls = AtomicUsize::new(0);
    let mut source = FrameFolder::open(&dir, 30.0).unwrap();
    assert_eq!(source.files().len(), 6);
    let stopped = Scanner::new()
        .run(&mut source, verify_with(&verifier, &calls), |_| {})
        .unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(stopped.reason, StopReason::Ended);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert_eq!(stopped.stats.frames, 6);
    assert!(stopped.last_refusal.is_none());
}

#[test]
fn cancel_from_another_thread_stops_a_scene() {
    let (text, verifier) = presentation_and_verifier();
    let scene = Scene {
        empty_before: 60,
        ..Scene::new(FrameSize::Vga)
    };
    let frames = scene_frames(&text, &scene);
    let cancel = CancelToken::new();
    let canceller = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            cancel.cancel();
        })
    };
    let calls = AtomicUsize::new(0);
    let start = Instant::now();
    let stopped = Scanner::new()
        .with_cancel(cancel)
        .run(
            &mut FrameSequence::new(frames, 30.0),
            verify_with(&verifier, &calls),
            |_| {},
        )
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(stopped.reason, StopReason::Cancelled);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    // 60 empty frames last 2 s; the cancel came at 0.3 s.
    assert!(start.elapsed() < Duration::from_millis(1500));
}

#[test]
fn the_timeout_ends_a_scene_without_a_code() {
    let (text, verifier) = presentation_and_verifier();
    let scene = Scene {
        empty_before: 60,
        entering: 0,
        sharp: 0,
        leaving: 0,
        empty_after: 0,
        ..Scene::new(FrameSize::Vga)
    };
    let calls = AtomicUsize::new(0);
    let stopped = Scanner::new()
        .with_timeout(Some(Duration::from_millis(400)))
        .run(
            &mut FrameSequence::new(scene_frames(&text, &scene), 30.0),
            verify_with(&verifier, &calls),
            |_| {},
        )
        .unwrap_err();
    assert_eq!(stopped.reason, StopReason::TimedOut);
    assert!(stopped.stats.frames < 60);
}
