//! Keyboard-wedge scanners (*douchettes en émulation clavier*): handheld QR
//! scanners that "type" the QR text into the focused window, followed by
//! CR, LF or Tab.
//!
//! Three parts:
//!
//! * **line assembly** — [`LineAssembler`] for GUI integrations that see
//!   key events with their time (a pause means a human typed, or a new
//!   scan started), and [`WedgeLines`] for a text stream such as stdin
//!   (`vitale scan --wedge`), which carries no timing;
//! * **layout repair** — a scanner configured for US QWERTY typing into a
//!   French AZERTY desktop (or the reverse) produces other characters:
//!   `VT1:` arrives as `VT&M`. [`repair`] tries the line as is, then each
//!   likely [`KeyboardSetup`] (layout mismatch, Caps Lock), and keeps the
//!   first one the caller's acceptor takes; [`repair_presentation`] uses
//!   the `vitale-codec` text decoder as acceptor. The layout tables, their
//!   sources and their corner cases (dead keys, AltGr, Caps Lock) are in
//!   the [`layout`] module;
//! * the same limits for **serial** scanners (`crate::serial`, feature
//!   `serial`), which send bytes and need no layout repair.
//!
//! # What repair can and cannot recover
//!
//! Every character of the presentation alphabets — Base45
//! (`0-9 A-Z space $ % * + - . / :`), base64url (`A-Z a-z 0-9 - _`) and the
//! prefixes `VT1:` / `VT1B:` — is on the unshifted or Shift level of US
//! QWERTY, French AZERTY and Belgian AZERTY (no AltGr, no dead key). For
//! each of these setups: US scanner on French desktop, French scanner on
//! US desktop, each of those with Caps Lock, and Caps Lock with matching
//! layouts, every such character arrives as a character that no other
//! such character arrives as, so [`KeyboardSetup::remap`] recovers the text
//! exactly. The same holds for US↔Belgian. And the prefix arrives
//! differently in each setup (`VT&M`, `VT!.`, `vt1:`, `vt&/`, `vt1m`,
//! `vt!.`), so at most one candidate decodes: repair never picks a wrong
//! setup. The property tests in `tests/wedge_props.rs` check all of this
//! on arbitrary presentations.
//!
//! What is **lost or ambiguous**, outside the presentation alphabets:
//!
//! * a US scanner's `~` on a French desktop (Shift + `²` types nothing);
//! * a US scanner's `[` `{` on an AZERTY desktop hit the `^` `¨` dead keys:
//!   they arrive as the accent, or compose with the next letter (`ê`),
//!   which is not undone;
//! * a French or Belgian scanner's `<` `>` on a US desktop arrive as `\` `|`,
//!   like its `*` `µ` (French) or `µ` `£` (Belgian): they come back as the
//!   latter;
//! * on a **French desktop with Caps Lock**, letters are inverted *and* the
//!   number row types digits: a scanner configured for French that does
//!   not compensate types `&` for `1` — handled by the Caps Lock
//!   candidates;
//! * a desktop layout not in the tables (US-International with its dead
//!   `'` `"` `` ` `` `~` `^`, macOS French, Swiss, Canadian) is not
//!   repaired: configure the scanner to match the desktop.
//!
//! Scanners programmed with a prefix or suffix (a symbology identifier
//! such as `]Q1`, a site code) have them stripped when configured in
//! [`WedgeConfig`]; they are compared with the text as received, before
//! repair.

use std::time::Duration;

mod assembler;
pub mod layout;
mod lines;
mod repair;

pub use assembler::{Assembled, DiscardReason, LineAssembler};
pub use layout::{KeyboardLayout, KeyboardSetup, remap};
// Shared with the serial scanner's line reader.
#[cfg(feature = "serial")]
pub(crate) use lines::{ByteEvent, ByteLines, line_text};
pub use lines::{WedgeLine, WedgeLines};
pub use repair::{
    DEFAULT_CANDIDATES, Repaired, repair, repair_presentation, repair_scanned_text, repair_with,
};

/// Failures of the keyboard-wedge reader.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WedgeError {
    /// A line exceeded [`WedgeConfig::max_line_chars`]; it was skipped.
    #[error("scanned line longer than {max} characters, skipped")]
    LineTooLong {
        /// The limit.
        max: usize,
    },
    /// Reading the text stream failed.
    #[error("reading the scanner's input failed: {0}")]
    Io(#[from] std::io::Error),
}

/// What a pause longer than [`WedgeConfig::inter_char_timeout`] does to a
/// partial line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PausePolicy {
    /// Drop it (the default): scanners type a whole line in one burst, so
    /// a pause means a human typed or the scan was cut.
    #[default]
    Discard,
    /// Take it as a complete line: for scanners set to send no terminator.
    EndLine,
}

/// Default limit on a line: the longest presentation text plus room for a
/// scanner prefix and suffix.
pub const DEFAULT_MAX_LINE_CHARS: usize = vitale_codec::limits::MAX_TEXT_CHARS + 64;

/// Default pause that ends a scan: 100 ms. Scanners type a character every
/// few milliseconds (a Bluetooth scanner may stall for some tens); people
/// rarely type two keys within 100 ms.
pub const DEFAULT_INTER_CHAR_TIMEOUT: Duration = Duration::from_millis(100);

/// How a scanner's lines are delimited and limited (*paramétrage de la
/// douchette*).
///
/// ```
/// use std::time::Duration;
/// use vitale_reader::wedge::WedgeConfig;
///
/// let config = WedgeConfig::default()
///     .with_prefix("]Q1")
///     .with_inter_char_timeout(Duration::from_millis(60));
/// assert_eq!(config.terminators, ['\r', '\n', '\t']);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WedgeConfig {
    /// Characters that end a line (default CR, LF, Tab). Consecutive
    /// terminators make empty lines, which are skipped, so CR LF is one.
    pub terminators: Vec<char>,
    /// A longer gap between two characters ends the scan, per
    /// [`WedgeConfig::on_pause`] (default
    /// [`DEFAULT_INTER_CHAR_TIMEOUT`]; `Duration::MAX` disables it). Only
    /// [`LineAssembler`] and the serial reader see timing.
    pub inter_char_timeout: Duration,
    /// What a pause does to a partial line.
    pub on_pause: PausePolicy,
    /// Stripped from the start of a line when present.
    pub prefix: Option<String>,
    /// Stripped from the end of a line when present.
    pub suffix: Option<String>,
    /// Longest line kept, in characters (default
    /// [`DEFAULT_MAX_LINE_CHARS`]).
    pub max_line_chars: usize,
}

impl Default for WedgeConfig {
    fn default() -> Self {
        WedgeConfig {
            terminators: vec!['\r', '\n', '\t'],
            inter_char_timeout: DEFAULT_INTER_CHAR_TIMEOUT,
            on_pause: PausePolicy::Discard,
            prefix: None,
            suffix: None,
            max_line_chars: DEFAULT_MAX_LINE_CHARS,
        }
    }
}

impl WedgeConfig {
    /// Sets the terminators.
    #[must_use]
    pub fn with_terminators(mut self, terminators: impl IntoIterator<Item = char>) -> Self {
        self.terminators = terminators.into_iter().collect();
        self
    }

    /// Sets the pause that ends a scan.
    #[must_use]
    pub fn with_inter_char_timeout(mut self, timeout: Duration) -> Self {
        self.inter_char_timeout = timeout;
        self
    }

    /// Sets what a pause does.
    #[must_use]
    pub fn with_on_pause(mut self, policy: PausePolicy) -> Self {
        self.on_pause = policy;
        self
    }

    /// Sets the prefix the scanner adds.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into()).filter(|p: &String| !p.is_empty());
        self
    }

    /// Sets the suffix the scanner adds.
    #[must_use]
    pub fn with_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into()).filter(|s: &String| !s.is_empty());
        self
    }

    /// Sets the size limit.
    #[must_use]
    pub fn with_max_line_chars(mut self, max: usize) -> Self {
        self.max_line_chars = max;
        self
    }

    /// Strips the prefix and suffix when present.
    pub(crate) fn strip_affixes<'a>(&self, line: &'a str) -> &'a str {
        let line = match self.prefix.as_deref() {
            Some(prefix) => line.strip_prefix(prefix).unwrap_or(line),
            None => line,
        };
        match self.suffix.as_deref() {
            Some(suffix) => line.strip_suffix(suffix).unwrap_or(line),
            None => line,
        }
    }
}

#[cfg(test)]
mod tests;
