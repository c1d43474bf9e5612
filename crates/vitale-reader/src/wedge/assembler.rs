//! Line assembly from timed key events (GUI integrations).

use std::time::Duration;

use super::{PausePolicy, WedgeConfig};

/// What [`LineAssembler::push`] or [`LineAssembler::poll`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Assembled {
    /// A complete line: terminator removed, prefix and suffix stripped,
    /// never empty. Not yet repaired (see [`super::repair_presentation`]).
    Line(String),
    /// A partial line was dropped.
    Discarded {
        /// Why.
        reason: DiscardReason,
        /// How many characters were dropped (for a too long line: the
        /// characters kept up to the limit).
        chars: usize,
    },
}

/// Why [`LineAssembler`] dropped a partial line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiscardReason {
    /// A pause longer than [`WedgeConfig::inter_char_timeout`] with
    /// [`PausePolicy::Discard`]: someone typed by hand, or a scan was cut.
    Pause,
    /// The line exceeded [`WedgeConfig::max_line_chars`]; the rest of it,
    /// up to the next terminator or pause, is skipped.
    TooLong,
}

/// Assembles key events into lines (*lignes de douchette*).
///
/// Feed it every character the focused window receives, with the time it
/// arrived ([`Duration`] since any fixed origin, e.g. `start.elapsed()`;
/// time going backwards counts as no pause). It never panics and never
/// holds more than [`WedgeConfig::max_line_chars`] characters.
///
/// * A terminator ends the line; empty lines are skipped, so CR LF (or
///   LF CR, or Tab then CR) counts as one terminator.
/// * A gap longer than [`WedgeConfig::inter_char_timeout`] before a
///   character means a human is typing, or a new scan started: the partial
///   line is dropped ([`PausePolicy::Discard`], reported as
///   [`Assembled::Discarded`]) or taken as complete
///   ([`PausePolicy::EndLine`], for scanners that send no terminator), and
///   the character starts a new line. Call [`LineAssembler::poll`] from a
///   timer to apply the policy without waiting for the next key.
/// * A line longer than the limit is reported once
///   ([`DiscardReason::TooLong`]) and skipped up to the next terminator or
///   pause.
#[derive(Debug, Clone)]
pub struct LineAssembler {
    config: WedgeConfig,
    buf: String,
    chars: usize,
    overflow: bool,
    last: Option<Duration>,
}

impl LineAssembler {
    /// An empty assembler.
    #[must_use]
    pub fn new(config: WedgeConfig) -> Self {
        LineAssembler {
            config,
            buf: String::new(),
            chars: 0,
            overflow: false,
            last: None,
        }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &WedgeConfig {
        &self.config
    }

    /// Number of characters of the partial line.
    #[must_use]
    pub fn pending_chars(&self) -> usize {
        self.chars
    }

    /// Feeds one character received at `at`.
    pub fn push(&mut self, ch: char, at: Duration) -> Option<Assembled> {
        let paused = self.paused_at(at);
        self.last = Some(at);
        let event = if paused { self.end_pause() } else { None };
        if self.config.terminators.contains(&ch) {
            // A pause event and a line cannot both happen: the pause
            // emptied the buffer.
            let line = self.take();
            return event.or(line);
        }
        if self.overflow {
            return event;
        }
        if self.chars >= self.config.max_line_chars {
            let chars = self.chars;
            self.clear();
            self.overflow = true;
            return event.or(Some(Assembled::Discarded {
                reason: DiscardReason::TooLong,
                chars,
            }));
        }
        self.buf.push(ch);
        self.chars += 1;
        event
    }

    /// Applies the pause policy at time `now` if the partial line has been
    /// waiting longer than the timeout; call it from a timer.
    pub fn poll(&mut self, now: Duration) -> Option<Assembled> {
        if self.paused_at(now) {
            self.last = None;
            self.end_pause()
        } else {
            None
        }
    }

    /// Ends the partial line now, as a terminator would (end of input).
    pub fn finish(&mut self) -> Option<Assembled> {
        self.last = None;
        self.take()
    }

    /// Whether a pause longer than the timeout separates `at` from the
    /// previous character, with something pending.
    fn paused_at(&self, at: Duration) -> bool {
        let pending = self.chars > 0 || self.overflow;
        match self.last {
            Some(last) if pending => at.saturating_sub(last) > self.config.inter_char_timeout,
            _ => false,
        }
    }

    fn end_pause(&mut self) -> Option<Assembled> {
        if self.overflow {
            self.clear();
            return None;
        }
        match self.config.on_pause {
            PausePolicy::EndLine => self.take(),
            PausePolicy::Discard => {
                let chars = self.chars;
                self.clear();
                (chars > 0).then_some(Assembled::Discarded {
                    reason: DiscardReason::Pause,
                    chars,
                })
            }
        }
    }

    /// Ends the line: `None` if it is empty, or was too long (already
    /// reported), or is empty once prefix and suffix are stripped.
    fn take(&mut self) -> Option<Assembled> {
        let overflow = self.overflow;
        let line = std::mem::take(&mut self.buf);
        self.clear();
        if overflow {
            return None;
        }
        let line = self.config.strip_affixes(&line);
        (!line.is_empty()).then(|| Assembled::Line(line.to_owned()))
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.chars = 0;
        self.overflow = false;
    }
}
