//! A scripted serial port, shared by the serial test binaries (each uses
//! part of it).
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{self, ErrorKind, Read};

use vitale_reader::serial::{SerialError, SerialLines};

/// One step of a scripted port: some bytes, or an error.
pub(crate) enum Step {
    Bytes(Vec<u8>),
    Fail(ErrorKind),
    Os(i32),
}

/// A port that yields its script in order, then end of stream.
pub(crate) struct Script(VecDeque<Step>);

impl Script {
    pub(crate) fn new(steps: impl IntoIterator<Item = Step>) -> Self {
        Script(steps.into_iter().collect())
    }
}

impl Read for Script {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.pop_front() {
            None => Ok(0),
            Some(Step::Bytes(bytes)) => {
                let n = bytes.len().min(buf.len());
                buf[..n].copy_from_slice(&bytes[..n]);
                if n < bytes.len() {
                    self.0.push_front(Step::Bytes(bytes[n..].to_vec()));
                }
                Ok(n)
            }
            Some(Step::Fail(kind)) => Err(io::Error::from(kind)),
            Some(Step::Os(code)) => Err(io::Error::from_raw_os_error(code)),
        }
    }
}

pub(crate) fn read_all<R: Read>(lines: &mut SerialLines<R>) -> Vec<Result<String, String>> {
    let mut out = Vec::new();
    loop {
        match lines.read_line() {
            Err(SerialError::Disconnected) => return out,
            other => out.push(other.map_err(|e| e.to_string())),
        }
        assert!(out.len() < 1_000, "runaway");
    }
}
