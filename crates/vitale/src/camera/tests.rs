//! `Terminal::scan_frames` over simulated scenes, and the error of each
//! way a loop stops.

use vitale_codec::model::Timestamp;
use vitale_reader::camera::{CancelToken, FrameSequence, SourceError};
use vitale_sim::render::{FrameSize, RenderOptions, Scene, render_qr};
use vitale_sim::{Scenario, Seed};
use vitale_verify::policy::FixedClock;
use vitale_verify::{TrustList, TrustStore, Verifier, default_backend};

use super::*;

const NOW: u64 = 1_795_334_400;

fn terminal_and_text() -> (Terminal, String) {
    let now = Timestamp::from_unix(NOW).unwrap();
    let s = Scenario::new(Seed::from_u64(21), 1, now).unwrap();
    let list = TrustList::from_cbor(&s.trust_list, &s.anchor, default_backend(), now).unwrap();
    let verifier =
        Verifier::new(TrustStore::new(s.anchor.clone(), list)).with_clock(FixedClock(now));
    let text = s.phone.present_qr_text(now, 120).unwrap();
    (Terminal::new(verifier), text)
}

/// The scene, not live: every frame is decoded, however slow the machine.
fn frames(text: &str, scene: &Scene) -> FrameSequence {
    let code = render_qr(text, &RenderOptions::default()).unwrap();
    FrameSequence::new(scene.frames(&code), 30.0).unpaced()
}

#[test]
fn a_scene_gives_the_card_then_its_replay_is_refused() {
    let (terminal, text) = terminal_and_text();
    let scene = Scene::new(FrameSize::Vga);
    let read = terminal
        .scan_frames(&mut frames(&text, &scene), &Scanner::new(), |_| {})
        .unwrap();
    assert_eq!(read.card.beneficiaries().len(), 1);
    assert_eq!((read.stats.verified, read.stats.skipped), (1, 0));
    let mut refused = Vec::new();
    let error = terminal
        .scan_frames(&mut frames(&text, &scene), &Scanner::new(), |e| {
            if let ScanEvent::CodeRefused { error, .. } = e {
                refused.push(error.kind());
            }
        })
        .unwrap_err();
    assert_eq!(error.kind(), "replay");
    assert_eq!(refused, ["replay"]);
}

#[test]
fn a_cancelled_scan_is_camera_cancelled() {
    let (terminal, text) = terminal_and_text();
    let cancel = CancelToken::new();
    cancel.cancel();
    let error = terminal
        .scan_frames(
            &mut frames(&text, &Scene::new(FrameSize::Vga)),
            &Scanner::new().with_cancel(cancel),
            |_| {},
        )
        .unwrap_err();
    assert_eq!(error.kind(), "camera_cancelled");
}

#[test]
fn every_stop_has_its_kind() {
    let stop = |reason, source_error, last_refusal| (reason, source_error, last_refusal);
    let cases = [
        (stop(StopReason::TimedOut, None, None), "camera_timeout"),
        (stop(StopReason::Ended, None, None), "no_code"),
        (
            stop(StopReason::Cancelled, None, Some(Error::NoCode)),
            "camera_cancelled",
        ),
        (
            stop(StopReason::TimedOut, None, Some(Error::NotAPresentation)),
            "not_a_presentation",
        ),
        (
            stop(
                StopReason::SourceFailed,
                Some(SourceError::NoDevice { index: 0 }),
                None,
            ),
            "camera_no_device",
        ),
        (
            stop(
                StopReason::SourceFailed,
                Some(SourceError::Capture {
                    message: "unplugged".into(),
                }),
                Some(Error::NoCode),
            ),
            "camera_capture",
        ),
    ];
    for (stopped, kind) in cases {
        let (reason, source_error, last_refusal) = stopped;
        let error = stop_error_of(reason, source_error, last_refusal);
        assert_eq!(error.kind(), kind);
        assert!(crate::KINDS.iter().any(|(k, _)| *k == kind), "{kind}");
    }
}

#[test]
fn every_source_kind_is_in_the_table() {
    for e in [
        SourceError::NoDevice { index: 0 },
        SourceError::Unavailable {
            message: String::new(),
        },
        SourceError::Format {
            message: String::new(),
        },
        SourceError::Capture {
            message: String::new(),
        },
        SourceError::NotCompiled,
        SourceError::TooManyFrames { limit: 1 },
        SourceError::Io(std::io::Error::other("x")),
    ] {
        let kind = crate::camera_kind(&e);
        assert!(crate::KINDS.iter().any(|(k, _)| *k == kind), "{kind}");
        assert_ne!(kind, "reader_error");
    }
}
