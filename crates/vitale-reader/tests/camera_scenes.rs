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
use std::time::Duration;

use vitale_codec::model::Timestamp;
use vitale_reader::camera::{
    CancelToken, Frame, FrameFolder, FrameSequence, FrameSource, ScanEvent, Scanner, SourceError,
    StopReason,
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

/// The scene of [`Scene::new`] at 640×480, live at `fps` frames a second,
/// with the phone held still on its last sharp frame until the loop has
/// read the code in `reads` frames (as a user holds the phone until the
/// workstation beeps): however slow the machine, the code is in view long
/// enough to be read.
struct HeldUntilRead<'a> {
    frames: Vec<LumaImage>,
    phases: Vec<ScenePhase>,
    hold_at: usize,
    next: usize,
    sequence: u64,
    interval: Duration,
    reads: &'a AtomicUsize,
    wanted: usize,
    /// The phase of each frame handed out, by sequence number.
    shown: Vec<ScenePhase>,
}

impl<'a> HeldUntilRead<'a> {
    fn new(text: &str, fps: u32, reads: &'a AtomicUsize, wanted: usize) -> Self {
        let scene = Scene::new(FrameSize::Vga);
        HeldUntilRead {
            frames: scene_frames(text, &scene),
            phases: (0..scene.len()).filter_map(|i| scene.phase(i)).collect(),
            hold_at: scene.empty_before + scene.entering + scene.sharp - 1,
            next: 0,
            sequence: 0,
            interval: Duration::from_secs(1) / fps,
            reads,
            wanted,
            shown: Vec::new(),
        }
    }

    /// Counts the frames the loop read a code in.
    fn count(reads: &AtomicUsize, event: &ScanEvent<'_, vitale_verify::Error>) {
        if let ScanEvent::FrameDecoded { codes: 1.., .. } = event {
            reads.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl FrameSource for HeldUntilRead<'_> {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        std::thread::sleep(self.interval);
        let index = self.next;
        let (Some(image), Some(&phase)) = (self.frames.get(index), self.phases.get(index)) else {
            return Ok(None);
        };
        if index != self.hold_at || self.reads.load(Ordering::SeqCst) >= self.wanted {
            self.next += 1;
        }
        let sequence = self.sequence;
        self.sequence += 1;
        self.shown.push(phase);
        Ok(Some(Frame::new(
            image.clone(),
            sequence,
            self.interval * u32::try_from(sequence).unwrap(),
        )))
    }
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
    let reads = AtomicUsize::new(0);
    let mut source = HeldUntilRead::new(&text, 30, &reads, 1);
    let calls = AtomicUsize::new(0);
    let mut events = Vec::new();
    let found = Scanner::new()
        .run(&mut source, verify_with(&verifier, &calls), |e| {
            HeldUntilRead::count(&reads, &e);
            events.push(match e {
                ScanEvent::Started => ("started", None),
                ScanEvent::FrameDecoded {
                    codes: 0, sequence, ..
                } => ("no code", Some(sequence)),
                ScanEvent::FrameDecoded { sequence, .. } => ("code", Some(sequence)),
                ScanEvent::FrameFailed { sequence, .. } => ("failed", Some(sequence)),
                ScanEvent::CodeSeen { sequence } => ("seen", Some(sequence)),
                ScanEvent::CodeRefused { sequence, .. } => ("refused", Some(sequence)),
                ScanEvent::Stopped { .. } => ("stopped", None),
                _ => ("other", None),
            })
        })
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(found.value.beneficiaries().len(), 2);
    // Read while entering (blurred) or still, not before or after.
    let phase = source.shown[usize::try_from(found.sequence).unwrap()];
    assert!(
        matches!(phase, ScenePhase::Entering | ScenePhase::Sharp),
        "{phase:?}"
    );
    // In order: started, frames by rising sequence, the code seen in the
    // frame that read it (the last one decoded), stopped.
    let names: Vec<&str> = events.iter().map(|(name, _)| *name).collect();
    assert_eq!(names.first(), Some(&"started"));
    assert_eq!(names[names.len() - 3..], ["code", "seen", "stopped"]);
    assert_eq!(names.iter().filter(|n| **n == "seen").count(), 1);
    assert!(!names.contains(&"refused"));
    let sequences: Vec<u64> = events.iter().filter_map(|(_, s)| *s).collect();
    assert!(sequences.is_sorted(), "{sequences:?}");
    assert_eq!(sequences.last(), Some(&found.sequence));
    let s = &found.stats;
    assert_eq!((s.verified, s.refused, s.repeats), (1, 0, 0));
    assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames);
    assert_eq!(s.frames, source.sequence);
}

#[test]
fn frames_arriving_while_decoding_are_skipped_and_counted() {
    // 240 frames a second (4 ms apart): faster than a decode of a 640×480
    // frame, so the loop drops frames rather than fall behind.
    let (text, verifier) = presentation_and_verifier();
    let reads = AtomicUsize::new(0);
    let mut source = HeldUntilRead::new(&text, 240, &reads, 1);
    let calls = AtomicUsize::new(0);
    let mut decoded = Vec::new();
    let found = Scanner::new()
        .run(&mut source, verify_with(&verifier, &calls), |e| {
            HeldUntilRead::count(&reads, &e);
            if let ScanEvent::FrameDecoded { sequence, .. } = e {
                decoded.push(sequence);
            }
        })
        .unwrap();
    let s = &found.stats;
    assert!(s.skipped > 0, "{s:?}");
    assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames, "{s:?}");
    assert_eq!(s.frames, source.sequence);
    assert_eq!(decoded.len() as u64, s.decoded);
    // The frames not decoded are the gaps before, between and after the
    // decoded ones.
    let gaps: u64 = decoded.windows(2).map(|w| w[1] - w[0] - 1).sum();
    let (first, last) = (decoded[0], decoded[decoded.len() - 1]);
    let after = s.frames - 1 - last;
    assert_eq!(
        first + gaps + after,
        s.skipped + s.abandoned,
        "{decoded:?} {s:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_replayed_code_is_refused_once_and_reported() {
    let (text, verifier) = presentation_and_verifier();
    // Seen before (at another workstation of the site, or a photo).
    verifier.verify_text(&text).unwrap();
    let frames = scene_frames(&text, &Scene::new(FrameSize::Vga));
    let calls = AtomicUsize::new(0);
    let mut refused = Vec::new();
    let mut read = 0;
    // Not live: every frame decoded, so the code is read in each sharp
    // frame and verified in the first only.
    let stopped = Scanner::new()
        .run(
            &mut FrameSequence::new(frames, 30.0).unpaced(),
            verify_with(&verifier, &calls),
            |e| match e {
                ScanEvent::CodeRefused { error, .. } => refused.push(error.kind()),
                ScanEvent::FrameDecoded { codes: 1.., .. } => read += 1,
                _ => {}
            },
        )
        .unwrap_err();
    assert_eq!(stopped.reason, StopReason::Ended);
    assert_eq!(refused, ["replay"]);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(stopped.last_refusal.map(|e| e.kind()), Some("replay"));
    let s = &stopped.stats;
    assert_eq!((s.verified, s.refused), (1, 1), "{s:?}");
    assert!(read >= 6, "every sharp frame is read: {s:?}");
    assert_eq!(s.repeats, read - 1, "{s:?}");
    assert_eq!((s.decoded, s.skipped, s.frames), (18, 0, 18), "{s:?}");
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
    let s = &stopped.stats;
    assert_eq!(s.frames, 6);
    assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames, "{s:?}");
    assert_eq!((s.verified, s.repeats), (0, 0), "{s:?}");
    assert!(stopped.last_refusal.is_none());
}

/// A source that counts the frames taken from it where others can see.
struct Counted<'a, S>(S, &'a AtomicUsize);

impl<S: FrameSource> FrameSource for Counted<'_, S> {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let frame = self.0.next_frame()?;
        if frame.is_some() {
            self.1.fetch_add(1, Ordering::SeqCst);
        }
        Ok(frame)
    }
}

#[test]
fn cancel_from_another_thread_stops_a_scene() {
    let (text, verifier) = presentation_and_verifier();
    // Two seconds of empty frames before the phone comes.
    let scene = Scene {
        empty_before: 60,
        ..Scene::new(FrameSize::Vga)
    };
    let frames = scene_frames(&text, &scene);
    let cancel = CancelToken::new();
    let (ask, asked) = std::sync::mpsc::channel();
    let canceller = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            asked.recv().unwrap();
            cancel.cancel();
        })
    };
    let calls = AtomicUsize::new(0);
    let taken = AtomicUsize::new(0);
    let mut taken_when_cancelled = None;
    let stopped = Scanner::new()
        .with_cancel(cancel.clone())
        .run(
            &mut Counted(FrameSequence::new(frames, 30.0), &taken),
            verify_with(&verifier, &calls),
            |e| {
                // At the first frame decoded, the other thread cancels;
                // the loop goes on only once it has.
                if let ScanEvent::FrameDecoded { .. } = e
                    && taken_when_cancelled.is_none()
                {
                    ask.send(()).unwrap();
                    while !cancel.is_cancelled() {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    taken_when_cancelled = Some(taken.load(Ordering::SeqCst) as u64);
                }
            },
        )
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(stopped.reason, StopReason::Cancelled);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    // Promptly: once cancelled, at most one more frame is taken.
    let s = &stopped.stats;
    let cancelled_at = taken_when_cancelled.unwrap();
    assert!(s.frames <= cancelled_at + 1, "{cancelled_at} {s:?}");
    assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames, "{s:?}");
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
    assert!(stopped.stats.elapsed >= Duration::from_millis(400));
    // Frame i is not handed out before i / 30 s and the timeout is checked
    // before each frame: at most frames 0 to 12, however slow the machine.
    assert!(stopped.stats.frames <= 13, "{:?}", stopped.stats);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}
