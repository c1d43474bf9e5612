//! The keyboard-wedge reader (`vitale_reader::wedge`): what a scanner
//! typing into the desktop's keyboard buffer produces, as untrusted text.
//!
//! The first byte chooses the configuration (pause policy, prefix and
//! suffix, a small line limit, a pause every few characters); the rest,
//! as UTF-8 text, is typed:
//!
//! 1. key by key into a `LineAssembler`, with the timing the first byte
//!    gives: every line is non-empty, within the limit and holds no
//!    terminator; a partial line ends by `finish`;
//! 2. as a byte stream into `WedgeLines`, which must end;
//! 3. each line (and a short whole text) into `repair_presentation` and
//!    `repair_scanned_text`: a repaired text decodes (or is a token), and
//!    an intact repair is the line itself; then through every candidate
//!    keyboard setup (`simulate`, `remap`).
#![no_main]

use std::io::Cursor;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use vitale_codec::TokenText;
use vitale_reader::wedge::{
    Assembled, DEFAULT_CANDIDATES, DEFAULT_MAX_LINE_CHARS, LineAssembler, PausePolicy, WedgeConfig, WedgeLines,
    repair_presentation, repair_scanned_text,
};

fn config(flags: u8) -> WedgeConfig {
    let mut config = WedgeConfig::default();
    if flags & 1 != 0 {
        config = config.with_on_pause(PausePolicy::EndLine);
    }
    if flags & 2 != 0 {
        config = config.with_prefix("]Q1");
    }
    if flags & 4 != 0 {
        config = config.with_suffix("#");
    }
    if flags & 8 != 0 {
        config = config.with_max_line_chars(64);
    }
    config
}

fn check_repairs(line: &str) {
    if let Some(r) = repair_presentation(line) {
        assert!(vitale_codec::text::decode_text(&r.text).is_ok());
        if r.was_intact() {
            assert_eq!(r.text, line);
        }
        let _ = r.advice();
    }
    if let Some(r) = repair_scanned_text(line) {
        assert!(
            vitale_codec::text::decode_text(&r.text).is_ok() || TokenText::parse(&r.text).is_ok()
        );
        if r.was_intact() {
            assert_eq!(r.text, line);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    // A scanner line is at most the longest presentation text plus a
    // prefix and suffix (`DEFAULT_MAX_LINE_CHARS`, about 12 300 bytes);
    // longer inputs only repeat the work (the layout tables are searched
    // per character, which an unoptimised, instrumented build makes slow).
    let rest = &rest[..rest.len().min(DEFAULT_MAX_LINE_CHARS)];
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let config = config(flags);
    let max = config.max_line_chars;
    let terminators = config.terminators.clone();
    let check_line = |line: &str| {
        assert!(!line.is_empty());
        assert!(line.chars().count() <= max);
        assert!(!line.chars().any(|c| terminators.contains(&c)));
    };

    // 1. Key by key, 10 ms apart, with a 500 ms pause every `period` keys.
    let period = usize::from(flags >> 4);
    let mut assembler = LineAssembler::new(config.clone());
    let mut at = Duration::ZERO;
    let mut lines = Vec::new();
    for (i, ch) in text.chars().enumerate() {
        at += if period != 0 && i % period == period - 1 {
            Duration::from_millis(500)
        } else {
            Duration::from_millis(10)
        };
        for event in [assembler.poll(at), assembler.push(ch, at)]
            .into_iter()
            .flatten()
        {
            if let Assembled::Line(line) = event {
                check_line(&line);
                lines.push(line);
            }
        }
        assert!(assembler.pending_chars() <= max);
    }
    if let Some(Assembled::Line(line)) = assembler.finish() {
        check_line(&line);
        lines.push(line);
    }
    assert_eq!(assembler.pending_chars(), 0);

    // 2. As a stream.
    // (Without its own repair: the lines are repaired below.)
    for line in WedgeLines::new(Cursor::new(rest), config)
        .raw()
        .take(64)
        .flatten()
    {
        assert!(!line.text().is_empty());
        assert!(line.repaired.is_none());
    }

    // 3. Repairs and keyboard setups.
    for line in lines.iter().take(8) {
        check_repairs(line);
    }
    // The layout tables are searched per character, and every comparison
    // is instrumented here: the whole text goes through the setups only
    // when it is short.
    if text.len() > 2048 {
        return;
    }
    if lines.len() > 1 {
        check_repairs(text);
    }
    for setup in DEFAULT_CANDIDATES {
        let typed = setup.simulate(text);
        let _ = setup.remap(&typed);
    }
});
