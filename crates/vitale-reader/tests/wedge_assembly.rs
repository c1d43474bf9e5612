#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Line assembly: timed key events ([`LineAssembler`]) and text streams
//! ([`WedgeLines`]).

use std::io::{self, BufRead, Cursor, Read};
use std::time::Duration;

use proptest::prelude::*;
use vitale_reader::wedge::{
    Assembled, DiscardReason, KeyboardLayout, KeyboardSetup, LineAssembler, PausePolicy,
    WedgeConfig, WedgeError, WedgeLines,
};

const MS: Duration = Duration::from_millis(1);

/// Types `text` starting at `start` ms, one character every `step` ms;
/// returns every event.
fn type_text(asm: &mut LineAssembler, text: &str, start: u64, step: u64) -> Vec<Assembled> {
    text.chars()
        .enumerate()
        .filter_map(|(i, ch)| asm.push(ch, MS * u32::try_from(start + step * i as u64).unwrap()))
        .collect()
}

fn line(s: &str) -> Assembled {
    Assembled::Line(s.to_owned())
}

#[test]
fn terminators_cr_lf_crlf_tab() {
    // (typed, lines, why)
    let cases: &[(&str, &[&str], &str)] = &[
        ("VT1:ABC\r", &["VT1:ABC"], "CR"),
        ("VT1:ABC\n", &["VT1:ABC"], "LF"),
        ("VT1:ABC\r\n", &["VT1:ABC"], "CR LF is one terminator"),
        ("VT1:ABC\n\r", &["VT1:ABC"], "LF CR too"),
        ("VT1:ABC\t", &["VT1:ABC"], "Tab"),
        ("A\r\nB\r\n", &["A", "B"], "two scans"),
        ("\r\n\r\n\t", &[], "empty lines are skipped"),
        ("VT1:A B", &[], "no terminator: nothing yet"),
        ("VT1: A \r", &["VT1: A "], "spaces are kept (Base45 symbol)"),
    ];
    for &(typed, want, why) in cases {
        let mut asm = LineAssembler::new(WedgeConfig::default());
        let got = type_text(&mut asm, typed, 0, 2);
        let want: Vec<_> = want.iter().map(|s| line(s)).collect();
        assert_eq!(got, want, "{why}");
    }
}

#[test]
fn custom_terminators() {
    let config = WedgeConfig::default().with_terminators(['|']);
    let mut asm = LineAssembler::new(config);
    assert_eq!(type_text(&mut asm, "A\rB|", 0, 1), vec![line("A\rB")]);
}

#[test]
fn pause_discards_the_partial_line() {
    let mut asm = LineAssembler::new(WedgeConfig::default());
    // A human types "ab", pauses 500 ms, then a scan arrives.
    assert_eq!(
        type_text(&mut asm, "ab", 0, 300),
        vec![Assembled::Discarded {
            reason: DiscardReason::Pause,
            chars: 1
        }]
    );
    let events = type_text(&mut asm, "VT1:X\r", 1_000, 5);
    assert_eq!(
        events,
        vec![
            Assembled::Discarded {
                reason: DiscardReason::Pause,
                chars: 1
            },
            line("VT1:X")
        ]
    );
}

#[test]
fn gap_equal_to_timeout_is_not_a_pause() {
    let config = WedgeConfig::default().with_inter_char_timeout(MS * 50);
    let mut asm = LineAssembler::new(config);
    assert_eq!(type_text(&mut asm, "AB\r", 0, 50), vec![line("AB")]);
    assert_eq!(type_text(&mut asm, "AB\r", 1_000, 51).len(), 2);
}

#[test]
fn pause_ends_the_line_with_end_line_policy() {
    let config = WedgeConfig::default().with_on_pause(PausePolicy::EndLine);
    let mut asm = LineAssembler::new(config);
    assert_eq!(type_text(&mut asm, "VT1:AB", 0, 5), vec![]);
    // The next scan starts after a pause: the first one was complete.
    assert_eq!(
        type_text(&mut asm, "VT1:CD", 1_000, 5),
        vec![line("VT1:AB")]
    );
    // Or a timer polls.
    assert_eq!(asm.poll(MS * 1_050), None, "not yet");
    assert_eq!(asm.poll(MS * 1_200), Some(line("VT1:CD")));
    assert_eq!(asm.poll(MS * 5_000), None, "nothing pending");
}

#[test]
fn poll_discards_with_default_policy_and_finish_ends() {
    let mut asm = LineAssembler::new(WedgeConfig::default());
    type_text(&mut asm, "abc", 0, 1);
    assert_eq!(asm.pending_chars(), 3);
    assert_eq!(
        asm.poll(MS * 500),
        Some(Assembled::Discarded {
            reason: DiscardReason::Pause,
            chars: 3
        })
    );
    type_text(&mut asm, "xyz", 600, 1);
    assert_eq!(asm.finish(), Some(line("xyz")));
    assert_eq!(asm.finish(), None);
}

#[test]
fn time_going_backwards_is_no_pause() {
    let mut asm = LineAssembler::new(WedgeConfig::default());
    assert_eq!(asm.push('A', MS * 1_000), None);
    assert_eq!(asm.push('B', MS * 10), None);
    assert_eq!(asm.push('\r', MS * 11), Some(line("AB")));
}

#[test]
fn prefix_and_suffix_are_stripped_when_present() {
    let config = WedgeConfig::default().with_prefix("]Q1").with_suffix("#");
    let cases: &[(&str, Option<&str>)] = &[
        ("]Q1VT1:AB#\r", Some("VT1:AB")),
        ("VT1:AB#\r", Some("VT1:AB")),
        ("]Q1VT1:AB\r", Some("VT1:AB")),
        ("VT1:AB\r", Some("VT1:AB")),
        ("]Q1#\r", None),
        ("]Q\r", Some("]Q")),
    ];
    for &(typed, want) in cases {
        let mut asm = LineAssembler::new(config.clone());
        let got = type_text(&mut asm, typed, 0, 1);
        assert_eq!(
            got,
            want.map(line).into_iter().collect::<Vec<_>>(),
            "{typed:?}"
        );
    }
    assert_eq!(WedgeConfig::default().with_prefix("").prefix, None);
}

#[test]
fn size_limit() {
    let config = WedgeConfig::default().with_max_line_chars(8);
    let mut asm = LineAssembler::new(config);
    assert_eq!(
        type_text(&mut asm, "12345678\r", 0, 1),
        vec![line("12345678")]
    );
    assert_eq!(
        type_text(&mut asm, "123456789abcdef\rOK\r", 100, 1),
        vec![
            Assembled::Discarded {
                reason: DiscardReason::TooLong,
                chars: 8
            },
            line("OK"),
        ]
    );
    // A pause also ends the skipping.
    assert_eq!(type_text(&mut asm, "123456789", 200, 1).len(), 1);
    assert_eq!(type_text(&mut asm, "OK\r", 1_000, 1), vec![line("OK")]);
    assert_eq!(asm.pending_chars(), 0);
}

#[test]
fn assembled_then_repaired() {
    // A US-configured scanner on a French desktop, through the assembler.
    let sent = vitale_codec::text::encode_qr(b"\x01\x02\x03 a presentation");
    let typed = KeyboardSetup::new(KeyboardLayout::UsQwerty, KeyboardLayout::FrenchAzerty)
        .simulate(&format!("{sent}\r\n"));
    let mut asm = LineAssembler::new(WedgeConfig::default());
    let events = type_text(&mut asm, &typed, 0, 3);
    let [Assembled::Line(got)] = events.as_slice() else {
        panic!("{events:?}")
    };
    let fixed = vitale_reader::wedge::repair_presentation(got).unwrap();
    assert_eq!(fixed.text, sent);
}

proptest! {
    /// Arbitrary characters at arbitrary times never panic; lines are never
    /// empty, never hold a terminator, never exceed the limit.
    #[test]
    fn assembler_invariants(
        events in proptest::collection::vec((any::<char>(), 0u64..400), 0..300),
        max in 0usize..40,
        end_line in any::<bool>(),
    ) {
        let policy = if end_line { PausePolicy::EndLine } else { PausePolicy::Discard };
        let config = WedgeConfig::default().with_max_line_chars(max).with_on_pause(policy);
        let mut asm = LineAssembler::new(config);
        let mut now = 0u64;
        for (ch, gap) in events {
            now += gap;
            let event = asm.push(ch, Duration::from_millis(now));
            prop_assert!(asm.pending_chars() <= max);
            if let Some(Assembled::Line(text)) = event.or_else(|| asm.poll(Duration::from_millis(now + gap))) {
                prop_assert!(!text.is_empty());
                prop_assert!(text.chars().count() <= max);
                prop_assert!(!text.contains(['\r', '\n', '\t']));
            }
        }
    }
}

/// Lines of a stream, as `(raw, repaired text)`.
fn stream_lines(
    input: &[u8],
    config: WedgeConfig,
) -> Vec<Result<(String, Option<String>), String>> {
    WedgeLines::new(Cursor::new(input.to_vec()), config)
        .map(|item| {
            item.map(|l| (l.raw.clone(), l.repaired.map(|r| r.text)))
                .map_err(|e| e.to_string())
        })
        .collect()
}

#[test]
fn stream_lines_repair_and_split() {
    let sent = vitale_codec::text::encode_qr(b"stdin");
    let setup = KeyboardSetup::new(KeyboardLayout::UsQwerty, KeyboardLayout::FrenchAzerty);
    let typed = setup.simulate(&sent);
    let input = format!("{typed}\r\n\r\nhello\n{sent}");
    let got = stream_lines(input.as_bytes(), WedgeConfig::default());
    assert_eq!(
        got,
        vec![
            Ok((typed.clone(), Some(sent.clone()))),
            Ok(("hello".to_owned(), None)),
            Ok((sent.clone(), Some(sent.clone()))),
        ]
    );
    // Raw mode: no repair.
    let raw: Vec<_> = WedgeLines::new(Cursor::new(typed.clone()), WedgeConfig::default())
        .raw()
        .map(|l| l.unwrap())
        .collect();
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].repaired, None);
    assert_eq!(raw[0].text(), typed);
}

#[test]
fn stream_too_long_line_is_skipped_and_reading_goes_on() {
    let config = WedgeConfig::default().with_max_line_chars(4);
    let got = stream_lines(b"abcd\nabcdefgh\nxy\n", config);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], Ok(("abcd".to_owned(), None)));
    assert!(got[1].as_ref().unwrap_err().contains("longer than 4"));
    assert_eq!(got[2], Ok(("xy".to_owned(), None)));
}

#[test]
fn stream_legacy_code_pages() {
    // "VT&M" + "é" + "à" in Windows-1252, then in code page 850.
    let cp1252 = b"VT&M\xE9\xE0\n";
    let cp850 = b"VT&M\x82\x85\n";
    for input in [&cp1252[..], &cp850[..]] {
        let got = stream_lines(input, WedgeConfig::default());
        // It even decodes, once repaired.
        assert_eq!(
            got,
            vec![Ok(("VT&Méà".to_owned(), Some("VT1:20".to_owned())))]
        );
    }
    let got = stream_lines(b"\xFF\xC3\n", WedgeConfig::default());
    assert_eq!(got, vec![Ok(("\u{FFFD}\u{FFFD}".to_owned(), None))]);
}

/// A reader that fails after some bytes.
struct Failing {
    data: Cursor<Vec<u8>>,
    interrupted: bool,
}

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.interrupted {
            self.interrupted = true;
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        match self.data.read(buf)? {
            0 => Err(io::Error::other("gone")),
            n => Ok(n),
        }
    }
}

#[test]
fn stream_io_error_ends_iteration() {
    let reader = io::BufReader::with_capacity(
        4,
        Failing {
            data: Cursor::new(b"A\nBC".to_vec()),
            interrupted: false,
        },
    );
    let mut lines = WedgeLines::new(reader, WedgeConfig::default());
    assert_eq!(lines.next().unwrap().unwrap().raw, "A");
    assert!(matches!(lines.next(), Some(Err(WedgeError::Io(_)))));
    assert!(lines.next().is_none());
}

proptest! {
    /// Arbitrary bytes never panic; every line respects the limit.
    #[test]
    fn stream_invariants(input in proptest::collection::vec(any::<u8>(), 0..2_000), max in 1usize..64) {
        let config = WedgeConfig::default().with_max_line_chars(max);
        for item in WedgeLines::new(Cursor::new(input), config) {
            match item {
                Ok(line) => {
                    prop_assert!(!line.raw.is_empty());
                    prop_assert!(line.raw.chars().count() <= max);
                }
                Err(err) => {
                    let too_long = matches!(err, WedgeError::LineTooLong { max: m } if m == max);
                    prop_assert!(too_long, "unexpected error");
                }
            }
        }
    }
}

#[test]
fn bufread_is_consumed_line_by_line() {
    // The iterator leaves what follows the current line in the reader.
    let mut cursor = Cursor::new(b"A\nB\n".to_vec());
    {
        let mut lines = WedgeLines::new(&mut cursor, WedgeConfig::default());
        assert_eq!(lines.next().unwrap().unwrap().raw, "A");
    }
    let mut rest = String::new();
    cursor.read_line(&mut rest).unwrap();
    assert_eq!(rest, "B\n");
}
