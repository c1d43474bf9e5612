//! The serial reader's log events (feature `serial`), in a test binary of
//! their own: `tracing` caches each call site's interest when it is first
//! hit, and a test of another thread hitting a call site while this test
//! installs its scoped subscriber could leave that site disabled (a
//! flaky "no event" seen in CI). Alone in its process, the capture sees
//! every event.
#![cfg(feature = "serial")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{self, ErrorKind};

use vitale_reader::serial::SerialLines;
use vitale_reader::wedge::WedgeConfig;

mod serial_support;
use serial_support::{Script, Step, read_all};

#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The scanner's waits, skipped lines and disconnection are logged; the
/// lines themselves (a presentation) never are: their length only.
#[test]
fn waits_and_failures_are_logged_without_the_lines() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let secret = "VT1:SECRETPRESENTATIONTEXT";
    let long = "X".repeat(100);
    tracing::subscriber::with_default(subscriber, || {
        let mut lines = SerialLines::new(
            Script::new([
                Step::Bytes(format!("{secret}\r\n").into_bytes()),
                Step::Fail(ErrorKind::TimedOut),
                Step::Bytes(format!("{long}\r\n").into_bytes()),
            ]),
            WedgeConfig::default().with_max_line_chars(64),
        );
        let read = read_all(&mut lines);
        assert_eq!(read.first(), Some(&Ok(secret.to_owned())));
        assert_eq!(read.len(), 3, "{read:?}");
    });
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    for event in [
        "serial line read chars=26",
        "serial pause",
        "serial line too long",
        "serial scanner disconnected",
    ] {
        assert!(logs.contains(event), "no {event:?} in:\n{logs}");
    }
    assert!(!logs.contains("SECRET"), "{logs}");
}
