//! Lines from byte streams: a bounded splitter shared with the serial
//! reader, and [`WedgeLines`] over a text stream such as stdin.

use std::io::{BufRead, ErrorKind};

use super::{Repaired, WedgeConfig, WedgeError, repair_presentation};

/// What [`ByteLines::push`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ByteEvent {
    /// A complete, non-empty line (terminator removed).
    Line(Vec<u8>),
    /// The line exceeded the limit; the rest of it is skipped.
    TooLong,
}

/// Splits bytes into lines on the ASCII terminators of a [`WedgeConfig`],
/// never holding more than its limit.
///
/// Characters are counted as UTF-8 lead bytes; a legacy 8-bit byte also
/// counts as one. Non-ASCII terminators cannot split bytes and are ignored
/// here (they work with [`super::LineAssembler`]).
#[derive(Debug, Clone)]
pub(crate) struct ByteLines {
    terminators: Vec<u8>,
    max_chars: usize,
    buf: Vec<u8>,
    chars: usize,
    overflow: bool,
}

impl ByteLines {
    pub(crate) fn new(config: &WedgeConfig) -> Self {
        ByteLines {
            terminators: config
                .terminators
                .iter()
                .filter_map(|&t| u8::try_from(t).ok().filter(u8::is_ascii))
                .collect(),
            max_chars: config.max_line_chars,
            buf: Vec::new(),
            chars: 0,
            overflow: false,
        }
    }

    pub(crate) fn push(&mut self, byte: u8) -> Option<ByteEvent> {
        if self.terminators.contains(&byte) {
            return self.finish();
        }
        if self.overflow {
            return None;
        }
        let starts_char = byte & 0xC0 != 0x80;
        let continuation_limit = self.max_chars.saturating_mul(4);
        if (starts_char && self.chars >= self.max_chars) || self.buf.len() >= continuation_limit {
            self.clear();
            self.overflow = true;
            return Some(ByteEvent::TooLong);
        }
        if starts_char {
            self.chars += 1;
        }
        self.buf.push(byte);
        None
    }

    /// Ends the partial line (end of input, or a pause).
    pub(crate) fn finish(&mut self) -> Option<ByteEvent> {
        let overflow = self.overflow;
        let line = std::mem::take(&mut self.buf);
        self.clear();
        (!overflow && !line.is_empty()).then_some(ByteEvent::Line(line))
    }

    /// Drops the partial line.
    pub(crate) fn clear(&mut self) {
        self.buf.clear();
        self.chars = 0;
        self.overflow = false;
    }
}

/// Turns the bytes of a line into its text: decoded (see [`decode_line`]),
/// checked against the limit (a legacy 8-bit byte the splitter took for
/// part of a character counts here), prefix and suffix stripped; `Ok(None)`
/// if nothing is left.
pub(crate) fn line_text(config: &WedgeConfig, bytes: &[u8]) -> Result<Option<String>, WedgeError> {
    // A UTF-8 byte-order mark (a file of lines saved by a Windows editor)
    // is not part of the line.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = decode_line(bytes);
    if text.chars().count() > config.max_line_chars {
        return Err(WedgeError::LineTooLong {
            max: config.max_line_chars,
        });
    }
    let line = config.strip_affixes(&text);
    Ok((!line.is_empty()).then(|| line.to_owned()))
}

/// Decodes a line: UTF-8 if valid, else byte by byte, reading the 8-bit
/// characters an AZERTY desktop types (`é è ç à ù ² ° µ £ §`) in both
/// Windows-1252/Latin-1 and code page 850 (their codes do not overlap),
/// ASCII as is, and anything else as U+FFFD. Never fails.
fn decode_line(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| legacy_char(b)).collect(),
    }
}

fn legacy_char(byte: u8) -> char {
    match byte {
        0x00..=0x7F => char::from(byte),
        // Windows-1252 (Latin-1) code, then code page 850 code.
        0xE9 | 0x82 => 'é',
        0xE8 | 0x8A => 'è',
        0xE7 | 0x87 => 'ç',
        0xE0 | 0x85 => 'à',
        0xF9 | 0x97 => 'ù',
        0xB2 | 0xFD => '²',
        0xB0 | 0xF8 => '°',
        0xB5 | 0xE6 => 'µ',
        0xA3 | 0x9C => '£',
        0xA7 | 0xF5 => '§',
        _ => char::REPLACEMENT_CHARACTER,
    }
}

/// One line read by [`WedgeLines`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WedgeLine {
    /// The line as received (terminator removed, prefix and suffix
    /// stripped).
    pub raw: String,
    /// The presentation text it was recognised as, and what needed
    /// repair; `None` if it is no presentation in any setup tried (or
    /// repair is off).
    pub repaired: Option<Repaired>,
}

impl WedgeLine {
    /// The repaired text if any, else the raw line.
    #[must_use]
    pub fn text(&self) -> &str {
        self.repaired.as_ref().map_or(&self.raw, |r| &r.text)
    }
}

/// The lines a keyboard-wedge scanner typed into a text stream — stdin for
/// `vitale scan --wedge` — each repaired with
/// [`repair_presentation`] (unless [`WedgeLines::raw`]).
///
/// A stream carries no timing, so lines are split on the ASCII terminators
/// only (the timeout does not apply), with the size limit: a too long line
/// yields [`WedgeError::LineTooLong`] and is skipped, and reading goes on.
/// Empty lines are skipped. A last line without terminator is returned at
/// end of input. An I/O error other than `Interrupted` is yielded once and
/// ends the iteration. Invalid UTF-8 is read as described for legacy code
/// pages (Windows-1252 and 850 for the AZERTY characters).
#[derive(Debug)]
pub struct WedgeLines<R> {
    reader: R,
    config: WedgeConfig,
    splitter: ByteLines,
    repair: bool,
    done: bool,
}

impl<R: BufRead> WedgeLines<R> {
    /// Lines of `reader`, repaired.
    pub fn new(reader: R, config: WedgeConfig) -> Self {
        let splitter = ByteLines::new(&config);
        WedgeLines {
            reader,
            config,
            splitter,
            repair: true,
            done: false,
        }
    }

    /// Turns repair off: every [`WedgeLine::repaired`] is `None`.
    #[must_use]
    pub fn raw(mut self) -> Self {
        self.repair = false;
        self
    }

    fn event(&self, event: ByteEvent) -> Option<Result<WedgeLine, WedgeError>> {
        let bytes = match event {
            ByteEvent::Line(bytes) => bytes,
            ByteEvent::TooLong => {
                return Some(Err(WedgeError::LineTooLong {
                    max: self.config.max_line_chars,
                }));
            }
        };
        let raw = match line_text(&self.config, &bytes) {
            Ok(raw) => raw?,
            Err(err) => return Some(Err(err)),
        };
        let repaired = if self.repair {
            repair_presentation(&raw)
        } else {
            None
        };
        Some(Ok(WedgeLine { raw, repaired }))
    }
}

impl<R: BufRead> Iterator for WedgeLines<R> {
    type Item = Result<WedgeLine, WedgeError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let available = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => {
                    self.done = true;
                    return Some(Err(WedgeError::Io(err)));
                }
            };
            if available.is_empty() {
                self.done = true;
                let event = self.splitter.finish()?;
                return self.event(event);
            }
            let mut used = 0;
            let mut found = None;
            for &byte in available {
                used += 1;
                if let Some(event) = self.splitter.push(byte) {
                    found = Some(event);
                    break;
                }
            }
            self.reader.consume(used);
            if let Some(item) = found.and_then(|event| self.event(event)) {
                return Some(item);
            }
        }
        None
    }
}
