//! Unit tests of the scanning loop, with a scripted decoder: a frame's
//! first pixel says which code it shows (0: none).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::*;
use crate::camera::FrameSequence;
use crate::qr::{LumaImage, QrError};

/// Codes by first-pixel level: 0 none, 1 `VT1:ONE`, 2 `VT1:TWO`, 3
/// `OTHER`; 9 panics.
struct Scripted {
    delay: Duration,
    calls: AtomicUsize,
}

impl Scripted {
    fn new(delay_ms: u64) -> Self {
        Scripted {
            delay: Duration::from_millis(delay_ms),
            calls: AtomicUsize::new(0),
        }
    }
}

impl QrDecoder for Scripted {
    fn name(&self) -> &'static str {
        "scripted"
    }

    fn decode(&self, frame: &crate::qr::LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        let text: &[u8] = match frame.pixels().first() {
            Some(1) => b"VT1:ONE",
            Some(2) => b"VT1:TWO",
            Some(3) => b"OTHER",
            Some(8) => {
                return Err(QrError::CodeUnreadable {
                    decoder: "scripted",
                }
                .into());
            }
            Some(9) => panic!("scripted panic"),
            _ => return Ok(vec![]),
        };
        Ok(vec![DecodedCode {
            content: text.to_vec(),
            corners: None,
        }])
    }
}

fn frames(levels: &[u8]) -> Vec<LumaImage> {
    levels
        .iter()
        .map(|&l| LumaImage::filled(4, 4, l).unwrap())
        .collect()
}

fn scanner(delay_ms: u64) -> Scanner {
    Scanner::new().with_decoder(Box::new(Scripted::new(delay_ms)))
}

/// Accepts `VT1:TWO` only; records every text it is given.
fn verify_two(seen: &mut Vec<String>) -> impl FnMut(&DecodedCode) -> Result<u8, &'static str> {
    move |code| {
        let text = code.text().unwrap_or("").to_owned();
        let ok = text == "VT1:TWO";
        seen.push(text);
        if ok { Ok(2) } else { Err("refused") }
    }
}

#[test]
fn stops_at_the_first_accepted_code_after_a_refusal() {
    let mut source = FrameSequence::new(frames(&[0, 0, 1, 1, 3, 2, 2, 0]), 100.0);
    let mut texts = Vec::new();
    let mut events = Vec::new();
    let found = scanner(0)
        .run(&mut source, verify_two(&mut texts), |e| {
            events.push(match e {
                ScanEvent::Started => "started".to_owned(),
                ScanEvent::FrameDecoded { codes, .. } => format!("decoded {codes}"),
                ScanEvent::FrameFailed { .. } => "failed".to_owned(),
                ScanEvent::CodeSeen { sequence } => format!("seen {sequence}"),
                ScanEvent::CodeRefused { error, .. } => format!("refused {error}"),
                ScanEvent::Stopped { reason, .. } => format!("stopped {}", reason.kind()),
            })
        })
        .unwrap();
    assert_eq!(found.value, 2);
    assert!(found.sequence == 5 || found.sequence == 6);
    // Each distinct code verified once, whatever frames were skipped.
    assert_eq!(texts.first().map(String::as_str), Some("VT1:ONE"));
    assert_eq!(texts.last().map(String::as_str), Some("VT1:TWO"));
    assert!(texts.len() <= 3);
    assert_eq!(found.stats.verified, texts.len() as u64);
    assert_eq!(events.first().map(String::as_str), Some("started"));
    assert_eq!(events.last().map(String::as_str), Some("stopped accepted"));
    assert!(events.iter().any(|e| e == "refused refused"));
}

#[test]
fn a_code_seen_in_many_frames_is_verified_once() {
    let mut source = FrameSequence::new(frames(&[1; 12]), 1000.0).unpaced();
    let mut texts = Vec::new();
    let stopped = scanner(0)
        .run(&mut source, verify_two(&mut texts), |_| {})
        .unwrap_err();
    assert_eq!(stopped.reason, StopReason::Ended);
    assert_eq!(texts, ["VT1:ONE"]);
    assert_eq!(stopped.stats.refused, 1);
    assert_eq!(stopped.last_refusal, Some("refused"));
    assert_eq!(
        stopped.stats.decoded,
        stopped.stats.repeats + 1,
        "{:?}",
        stopped.stats
    );
    assert_eq!(stopped.stats.frames, 12);
    assert_eq!(
        stopped.stats.decoded + stopped.stats.skipped + stopped.stats.abandoned,
        stopped.stats.frames
    );
}

#[test]
fn frames_arriving_while_the_decoder_is_busy_are_skipped() {
    // 30 frames at 500 a second (2 ms apart), 20 ms a decode: most are
    // dropped, and the loop takes about as long as the stream, not 30
    // decodes.
    let mut source = FrameSequence::new(frames(&[0; 30]), 500.0);
    let start = Instant::now();
    let stopped = scanner(20)
        .run(&mut source, |_| Ok::<(), ()>(()), |_| {})
        .unwrap_err();
    let s = &stopped.stats;
    assert_eq!(stopped.reason, StopReason::Ended);
    assert_eq!(s.frames, 30);
    assert!(s.skipped >= 15, "{s:?}");
    assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames);
    assert!(start.elapsed() < Duration::from_millis(30 * 20), "{s:?}");
}

/// Blank frames forever, at 100 a second.
struct Endless(u64);

impl FrameSource for Endless {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        std::thread::sleep(Duration::from_millis(10));
        self.0 += 1;
        let image = LumaImage::filled(4, 4, 0).map_err(|e| SourceError::Capture {
            message: e.to_string(),
        })?;
        Ok(Some(Frame::new(
            image,
            self.0,
            Duration::from_millis(self.0 * 10),
        )))
    }
}

#[test]
fn cancel_from_another_thread_stops_the_loop() {
    let cancel = CancelToken::new();
    let scanner = scanner(0).with_timeout(None).with_cancel(cancel.clone());
    let start = Instant::now();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        cancel.cancel();
    });
    let stopped = scanner
        .run(&mut Endless(0), |_| Ok::<(), ()>(()), |_| {})
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(stopped.reason, StopReason::Cancelled);
    assert!(stopped.stats.frames >= 3);
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn the_timeout_stops_an_endless_source() {
    let stopped = scanner(0)
        .with_timeout(Some(Duration::from_millis(120)))
        .run(&mut Endless(0), |_| Ok::<(), ()>(()), |_| {})
        .unwrap_err();
    assert_eq!(stopped.reason, StopReason::TimedOut);
    assert!(stopped.stats.elapsed >= Duration::from_millis(120));
    assert!(stopped.stats.elapsed < Duration::from_secs(2));
}

/// Three frames, then a capture failure.
struct Failing(u64);

impl FrameSource for Failing {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        self.0 += 1;
        if self.0 > 3 {
            return Err(SourceError::Capture {
                message: "unplugged".into(),
            });
        }
        let image = LumaImage::filled(4, 4, 0).map_err(|e| SourceError::Capture {
            message: e.to_string(),
        })?;
        Ok(Some(Frame::new(image, self.0, Duration::ZERO)))
    }
}

#[test]
fn a_failing_source_stops_with_its_error() {
    let stopped = scanner(0)
        .run(&mut Failing(0), |_| Ok::<(), ()>(()), |_| {})
        .unwrap_err();
    assert_eq!(stopped.reason, StopReason::SourceFailed);
    assert_eq!(stopped.source_error.map(|e| e.kind()), Some("capture"));
    assert_eq!(stopped.stats.frames, 3);
}

#[test]
fn decoder_failures_and_panics_are_reported_and_the_loop_goes_on() {
    let mut source = FrameSequence::new(frames(&[8, 9, 2, 2, 2, 2, 2, 2, 2, 2]), 10.0);
    let mut failed = Vec::new();
    let mut texts = Vec::new();
    // The code is shown long enough to be read after the panic (whose
    // backtrace may take a while to print).
    let found = scanner(0)
        .run(&mut source, verify_two(&mut texts), |e| {
            if let ScanEvent::FrameFailed { error, .. } = e {
                failed.push(error.to_string());
            }
        })
        .unwrap();
    assert_eq!(found.value, 2);
    assert!(!failed.is_empty());
    assert_eq!(found.stats.decode_errors as usize, failed.len());
}

#[test]
fn remembered_codes_are_bounded() {
    let mut seen = Seen::new();
    for i in 0..=MAX_REMEMBERED_CODES {
        assert!(seen.insert(&i.to_be_bytes()));
    }
    assert_eq!(seen.hashes.len(), MAX_REMEMBERED_CODES);
    assert!(!seen.insert(&MAX_REMEMBERED_CODES.to_be_bytes()));
    // The oldest was forgotten.
    assert!(seen.insert(&0usize.to_be_bytes()));
}

#[test]
fn the_default_strategy_runs_with_the_frame_budget() {
    let s = Scanner::new().with_frame_budget(Some(Duration::from_millis(5)));
    assert_eq!(s.frame_budget(), Some(Duration::from_millis(5)));
    match &s.decoding {
        Decoding::Strategy(strategy) => {
            assert_eq!(strategy.budget(), Some(Duration::from_millis(5)));
        }
        Decoding::Decoder(_) => panic!("the default is the strategy"),
    }
    assert!(format!("{s:?}").contains("strategy"));
}
