//! Unit tests of the scanning loop, with a scripted decoder: a frame's
//! first pixel says which code it shows (0: none). No test depends on how
//! fast the machine is: a source that is not live has every frame
//! decoded, and where frames must be dropped the decoder is held until
//! they have been taken.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::*;
use crate::Error;
use crate::camera::{FrameSequence, SourceError};
use crate::qr::{LumaImage, QrError};

/// A door that stays open once opened.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }

    fn wait(&self) {
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.opened.wait(open).unwrap();
        }
    }
}

/// Codes by first-pixel level: 0 none, 1 `VT1:ONE`, 2 `VT1:TWO`, 3
/// `OTHER`; 8 unreadable; 9 panics. Each decode first waits for the gate,
/// if any, then sleeps `delay`.
struct Scripted {
    delay: Duration,
    gate: Option<Arc<Gate>>,
    calls: Arc<AtomicUsize>,
}

impl Scripted {
    fn new(delay_ms: u64) -> Self {
        Scripted {
            delay: Duration::from_millis(delay_ms),
            gate: None,
            calls: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl QrDecoder for Scripted {
    fn name(&self) -> &'static str {
        "scripted"
    }

    fn decode(&self, frame: &crate::qr::LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if let Some(gate) = &self.gate {
            gate.wait();
        }
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

/// Each event as a line, for comparing whole sequences.
fn describe<E: std::fmt::Display>(event: &ScanEvent<'_, E>) -> String {
    match event {
        ScanEvent::Started => "started".to_owned(),
        ScanEvent::FrameDecoded {
            sequence, codes, ..
        } => format!("decoded {sequence}: {codes}"),
        ScanEvent::FrameFailed { sequence, error } => {
            let why = match error {
                Error::Qr(QrError::CodeUnreadable { .. }) => "unreadable",
                Error::Qr(QrError::DecoderPanicked { .. }) => "panicked",
                _ => "other",
            };
            format!("failed {sequence}: {why}")
        }
        ScanEvent::CodeSeen { sequence } => format!("seen {sequence}"),
        ScanEvent::CodeRefused { sequence, error } => format!("refused {sequence}: {error}"),
        ScanEvent::Stopped { reason, .. } => format!("stopped {}", reason.kind()),
    }
}

#[test]
fn stops_at_the_first_accepted_code_after_a_refusal() {
    // Not live: every frame is decoded, in order.
    let mut source = FrameSequence::new(frames(&[0, 0, 1, 1, 3, 2, 2, 0]), 100.0).unpaced();
    assert!(!source.is_live());
    let mut texts = Vec::new();
    let mut events = Vec::new();
    let found = scanner(0)
        .run(&mut source, verify_two(&mut texts), |e| {
            events.push(describe(&e));
        })
        .unwrap();
    assert_eq!(found.value, 2);
    assert_eq!(found.sequence, 5);
    // Each distinct code verified once, in the order shown.
    assert_eq!(texts, ["VT1:ONE", "OTHER", "VT1:TWO"]);
    assert_eq!(
        events,
        [
            "started",
            "decoded 0: 0",
            "decoded 1: 0",
            "decoded 2: 1",
            "seen 2",
            "refused 2: refused",
            "decoded 3: 1",
            "decoded 4: 1",
            "seen 4",
            "refused 4: refused",
            "decoded 5: 1",
            "seen 5",
            "stopped accepted",
        ]
    );
    let s = &found.stats;
    assert_eq!((s.decoded, s.skipped), (6, 0), "{s:?}");
    assert_eq!((s.verified, s.refused, s.repeats), (3, 2, 1), "{s:?}");
    // Frame 6 may have been taken while frame 5 was decoded.
    assert_eq!(s.decoded + s.abandoned, s.frames, "{s:?}");
    assert!(s.abandoned <= 1, "{s:?}");
}

#[test]
fn a_code_seen_in_many_frames_is_verified_once() {
    for live in [false, true] {
        // Live: 1000 frames a second, some dropped while decoding.
        let source = FrameSequence::new(frames(&[1; 12]), 1000.0);
        let mut source = if live { source } else { source.unpaced() };
        let mut texts = Vec::new();
        let mut seen = 0;
        let stopped = scanner(0)
            .run(&mut source, verify_two(&mut texts), |e| {
                if let ScanEvent::CodeSeen { .. } = e {
                    seen += 1;
                }
            })
            .unwrap_err();
        let s = &stopped.stats;
        assert_eq!(stopped.reason, StopReason::Ended);
        assert_eq!(texts, ["VT1:ONE"], "live {live}");
        assert_eq!(seen, 1, "live {live}");
        assert_eq!((s.verified, s.refused), (1, 1), "{s:?}");
        assert_eq!(stopped.last_refusal, Some("refused"));
        assert_eq!(s.decoded, s.repeats + 1, "{s:?}");
        assert_eq!(s.frames, 12);
        assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames, "{s:?}");
        if !live {
            assert_eq!((s.decoded, s.repeats), (12, 11), "{s:?}");
        }
    }
}

/// Runs `scanner` over frames without a code (any code would be accepted)
/// to their end: how it stopped, and the frames decoded.
fn accepting_all(scanner: &Scanner, source: &mut dyn FrameSource) -> (Box<Stopped<()>>, Vec<u64>) {
    let mut decoded = Vec::new();
    let stopped = scanner
        .run(
            source,
            |_| Ok::<(), ()>(()),
            |e| {
                if let ScanEvent::FrameDecoded { sequence, .. } = e {
                    decoded.push(sequence);
                }
            },
        )
        .unwrap_err();
    (stopped, decoded)
}

/// A 4×4 frame without a code.
fn blank(sequence: u64, timestamp: Duration) -> Result<Frame, SourceError> {
    let image = LumaImage::filled(4, 4, 0).map_err(|e| SourceError::Capture {
        message: e.to_string(),
    })?;
    Ok(Frame::new(image, sequence, timestamp))
}

/// Frames from a live source, handed out as fast as they are asked for;
/// the gate opens as the last one is handed out.
struct OpensAtEnd {
    frames: std::vec::IntoIter<LumaImage>,
    next: u64,
    gate: Arc<Gate>,
}

impl FrameSource for OpensAtEnd {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let Some(image) = self.frames.next() else {
            return Ok(None);
        };
        if self.frames.len() == 0 {
            self.gate.open();
        }
        self.next += 1;
        Ok(Some(Frame::new(image, self.next - 1, Duration::ZERO)))
    }
}

#[test]
fn frames_arriving_while_the_decoder_is_busy_are_skipped() {
    // The decoder holds the first frame until the source has handed out
    // all 30: frames 1 to 28 arrive while it is busy and are dropped
    // (frame 29 too, unless the decoder is done by then).
    let gate = Arc::new(Gate::default());
    let decoder = Scripted {
        gate: Some(gate.clone()),
        ..Scripted::new(0)
    };
    let calls = decoder.calls.clone();
    let mut source = OpensAtEnd {
        frames: frames(&[0; 30]).into_iter(),
        next: 0,
        gate,
    };
    assert!(source.is_live());
    let (stopped, decoded) =
        accepting_all(&Scanner::new().with_decoder(Box::new(decoder)), &mut source);
    let s = &stopped.stats;
    assert_eq!(stopped.reason, StopReason::Ended);
    assert_eq!(s.frames, 30);
    assert!(s.skipped >= 28, "{s:?}");
    assert_eq!(s.decoded + s.skipped, s.frames, "{s:?}");
    assert_eq!(s.abandoned, 0, "{s:?}");
    assert_eq!(calls.load(Ordering::SeqCst) as u64, s.decoded);
    assert_eq!(decoded.first(), Some(&0));
    assert!(decoded == [0] || decoded == [0, 29], "{decoded:?}");
}

#[test]
fn a_source_that_is_not_live_loses_no_frame_to_a_slow_decoder() {
    // 5 ms a decode, frames asked for as fast as they come: none dropped.
    let mut source = FrameSequence::new(frames(&[0; 20]), 1000.0).unpaced();
    let (stopped, decoded) = accepting_all(&scanner(5), &mut source);
    assert_eq!(stopped.reason, StopReason::Ended);
    let s = &stopped.stats;
    assert_eq!(
        (s.frames, s.decoded, s.skipped, s.abandoned),
        (20, 20, 0, 0)
    );
    assert_eq!(decoded, (0..20).collect::<Vec<u64>>());
}

/// Blank frames forever, at most 100 a second (each waits 10 ms).
struct Endless(u64);

impl FrameSource for Endless {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        std::thread::sleep(Duration::from_millis(10));
        self.0 += 1;
        blank(self.0, Duration::from_millis(self.0 * 10)).map(Some)
    }
}

/// Blank frames; at frame `at` it asks another thread to cancel and waits
/// until it has; counts the frames asked for once cancelled.
struct CancelledAt {
    at: u64,
    next: u64,
    ask: mpsc::Sender<()>,
    cancel: CancelToken,
    after_cancel: u64,
}

impl FrameSource for CancelledAt {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        if self.cancel.is_cancelled() {
            self.after_cancel += 1;
        }
        if self.next == self.at {
            self.ask.send(()).map_err(|e| SourceError::Capture {
                message: e.to_string(),
            })?;
            while !self.cancel.is_cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        self.next += 1;
        blank(self.next - 1, Duration::ZERO).map(Some)
    }
}

#[test]
fn cancel_from_another_thread_stops_the_loop() {
    let cancel = CancelToken::new();
    let (ask, asked) = mpsc::channel();
    let canceller = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            asked.recv().unwrap();
            cancel.cancel();
        })
    };
    let mut source = CancelledAt {
        at: 5,
        next: 0,
        ask,
        cancel: cancel.clone(),
        after_cancel: 0,
    };
    let mut stopped_event = None;
    let stopped = scanner(0)
        .with_timeout(None)
        .with_cancel(cancel)
        .run(
            &mut source,
            |_| Ok::<(), ()>(()),
            |e| {
                if let ScanEvent::Stopped { reason, .. } = e {
                    stopped_event = Some(reason);
                }
            },
        )
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(stopped.reason, StopReason::Cancelled);
    assert_eq!(stopped_event, Some(StopReason::Cancelled));
    // Promptly: the frame being taken when the cancel came (frame 5) is
    // the last one; the loop asks for no other.
    assert_eq!(source.after_cancel, 0);
    let s = &stopped.stats;
    assert_eq!(s.frames, 6, "{s:?}");
    assert_eq!(s.decoded + s.skipped + s.abandoned, s.frames, "{s:?}");
}

#[test]
fn the_timeout_stops_an_endless_source() {
    let stopped = scanner(0)
        .with_timeout(Some(Duration::from_millis(120)))
        .run(&mut Endless(0), |_| Ok::<(), ()>(()), |_| {})
        .unwrap_err();
    assert_eq!(stopped.reason, StopReason::TimedOut);
    assert!(stopped.stats.elapsed >= Duration::from_millis(120));
    // Each frame takes at least 10 ms and the timeout is checked before
    // each: at most 12 frames in 120 ms, however slow the machine.
    assert!(
        (1..=12).contains(&stopped.stats.frames),
        "{:?}",
        stopped.stats
    );
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
        blank(self.0, Duration::ZERO).map(Some)
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
    let mut source = FrameSequence::new(frames(&[8, 9, 2, 2]), 10.0).unpaced();
    let mut events = Vec::new();
    let mut texts = Vec::new();
    let found = scanner(0)
        .run(&mut source, verify_two(&mut texts), |e| {
            events.push(describe(&e));
        })
        .unwrap();
    assert_eq!(found.value, 2);
    assert_eq!(found.sequence, 2);
    assert_eq!(
        events,
        [
            "started",
            "failed 0: unreadable",
            "failed 1: panicked",
            "decoded 2: 1",
            "seen 2",
            "stopped accepted",
        ]
    );
    assert_eq!(found.stats.decode_errors, 2);
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
