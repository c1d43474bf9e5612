//! Serial scanner line framing (`vitale_reader::serial::SerialLines`) over
//! an in-memory reader that plays back an `arbitrary` script of reads:
//! bytes in chunks, pauses (`TimedOut`), `Interrupted`, a vanished device
//! and other I/O errors, then the end of the stream.
//!
//! Asserts beyond "no panic": every line is non-empty, within the limit,
//! and free of terminators; a too-long line reports the configured limit;
//! the reader ends (`Disconnected`) once the script is played, within a
//! bounded number of calls.
#![no_main]

use std::io::{self, Read};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vitale_reader::serial::{SerialError, SerialLines};
use vitale_reader::wedge::{PausePolicy, WedgeConfig};

#[derive(Arbitrary, Debug)]
enum Step {
    Bytes(Vec<u8>),
    Pause,
    Interrupted,
    Unplugged,
    Failure,
}

#[derive(Arbitrary, Debug)]
struct Input {
    end_line_on_pause: bool,
    prefix: Option<String>,
    suffix: Option<String>,
    max_line_chars: u8,
    tab_is_terminator: bool,
    steps: Vec<Step>,
}

struct Script {
    steps: std::vec::IntoIter<Step>,
    pending: Vec<u8>,
}

impl Read for Script {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            match self.steps.next() {
                None => return Ok(0),
                Some(Step::Bytes(bytes)) => self.pending = bytes,
                Some(Step::Pause) => return Err(io::ErrorKind::TimedOut.into()),
                Some(Step::Interrupted) => return Err(io::ErrorKind::Interrupted.into()),
                Some(Step::Unplugged) => return Err(io::ErrorKind::BrokenPipe.into()),
                Some(Step::Failure) => return Err(io::Error::other("failure")),
            }
        }
        let n = self.pending.len().min(buf.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

fuzz_target!(|input: Input| {
    let mut config =
        WedgeConfig::default().with_max_line_chars(usize::from(input.max_line_chars).max(1));
    if input.end_line_on_pause {
        config = config.with_on_pause(PausePolicy::EndLine);
    }
    if let Some(p) = input.prefix.filter(|p| p.len() <= 8) {
        config = config.with_prefix(p);
    }
    if let Some(s) = input.suffix.filter(|s| s.len() <= 8) {
        config = config.with_suffix(s);
    }
    if !input.tab_is_terminator {
        config = config.with_terminators(['\r', '\n']);
    }
    let max = config.max_line_chars;
    let terminators = config.terminators.clone();
    let steps = input.steps.len();
    let bytes: usize = input
        .steps
        .iter()
        .map(|s| if let Step::Bytes(b) = s { b.len() } else { 0 })
        .sum();
    let mut lines = SerialLines::new(
        Script {
            steps: input.steps.into_iter(),
            pending: Vec::new(),
        },
        config,
    );
    // Each call consumes a step or a line's bytes: a bounded number of calls.
    let bound = steps + bytes + 2;
    let mut ended = false;
    for _ in 0..bound {
        match lines.read_line() {
            Ok(line) => {
                assert!(!line.is_empty());
                assert!(line.chars().count() <= max);
                assert!(!line.chars().any(|c| terminators.contains(&c)));
            }
            Err(SerialError::LineTooLong { max: reported }) => assert_eq!(reported, max),
            Err(SerialError::Disconnected) => {
                if lines.get_ref().steps.len() == 0 && lines.get_ref().pending.is_empty() {
                    ended = true;
                    break;
                }
            }
            Err(_) => {}
        }
    }
    assert!(ended, "the reader did not end within {bound} calls");
});
