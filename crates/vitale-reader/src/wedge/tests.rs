//! Unit tests of the wedge internals: the byte splitter, legacy decoding,
//! affixes and the layout tables' consistency.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::lines::{ByteEvent, ByteLines, line_text};
use super::*;

fn split(config: &WedgeConfig, input: &[u8]) -> Vec<ByteEvent> {
    let mut lines = ByteLines::new(config);
    let mut out: Vec<_> = input.iter().filter_map(|&b| lines.push(b)).collect();
    out.extend(lines.finish());
    out
}

#[test]
fn byte_splitter_terminators_and_empty_lines() {
    let config = WedgeConfig::default();
    assert_eq!(
        split(&config, b"A\r\nB\n\n\tC"),
        vec![
            ByteEvent::Line(b"A".to_vec()),
            ByteEvent::Line(b"B".to_vec()),
            ByteEvent::Line(b"C".to_vec())
        ]
    );
    assert_eq!(split(&config, b"\r\n\t"), vec![]);
}

#[test]
fn byte_splitter_ignores_non_ascii_terminators() {
    let config = WedgeConfig::default().with_terminators(['\n', '§']);
    assert_eq!(
        split(&config, "a§b\n".as_bytes()),
        vec![ByteEvent::Line("a§b".as_bytes().to_vec())]
    );
}

#[test]
fn byte_splitter_counts_characters_not_bytes() {
    let config = WedgeConfig::default().with_max_line_chars(3);
    // Three two-byte characters fit; four do not.
    assert_eq!(
        split(&config, "éèà\n".as_bytes()),
        vec![ByteEvent::Line("éèà".as_bytes().to_vec())]
    );
    assert_eq!(
        split(&config, "éèàç\nok\n".as_bytes()),
        vec![ByteEvent::TooLong, ByteEvent::Line(b"ok".to_vec())]
    );
    // A run of continuation bytes is bounded too.
    assert_eq!(split(&config, &[0x80; 20]), vec![ByteEvent::TooLong]);
}

#[test]
fn line_text_decodes_checks_and_strips() {
    let config = WedgeConfig::default()
        .with_prefix("<")
        .with_suffix(">")
        .with_max_line_chars(6);
    assert_eq!(
        line_text(&config, b"<VT1:>").unwrap(),
        Some("VT1:".to_owned())
    );
    assert_eq!(line_text(&config, b"<>").unwrap(), None);
    assert_eq!(
        line_text(&config, b"\xE9\x82").unwrap(),
        Some("éé".to_owned())
    );
    assert!(matches!(
        line_text(&config, b"\xB2\xB2\xB2\xB2\xB2\xB2\xB2"),
        Err(WedgeError::LineTooLong { max: 6 })
    ));
}

#[test]
fn affixes_only_when_present() {
    let config = WedgeConfig::default().with_prefix("AB").with_suffix("B");
    assert_eq!(config.strip_affixes("ABxB"), "x");
    assert_eq!(config.strip_affixes("AB"), "", "prefix first, then suffix");
    assert_eq!(config.strip_affixes("x"), "x");
}

#[test]
fn every_layout_types_what_its_table_says() {
    // Every character of the tables, once.
    let universe: Vec<char> = (' '..='~').chain("éèçàù²³°µ£§¨".chars()).collect();
    for layout in KeyboardLayout::ALL {
        let identity = KeyboardSetup::new(layout, layout);
        let typable: Vec<char> = universe
            .iter()
            .copied()
            .filter(|&ch| layout.can_type(ch))
            .collect();
        for &ch in &typable {
            assert_eq!(
                identity.simulate(&ch.to_string()),
                ch.to_string(),
                "{layout:?} {ch:?}"
            );
        }
        // 49 keys × 2 levels, less: space typed twice; on US the ISO key
        // duplicates `\ |`; on AZERTY the two dead-key levels, and on
        // French the empty Shift + `²`.
        let expected = match layout {
            KeyboardLayout::UsQwerty => 98 - 1 - 2,
            KeyboardLayout::FrenchAzerty => 98 - 1 - 2 - 1,
            KeyboardLayout::BelgianAzerty => 98 - 1 - 2,
        };
        assert_eq!(typable.len(), expected, "{layout:?}");
    }
    assert!((' '..='~').all(|ch| KeyboardLayout::UsQwerty.can_type(ch)));
}

/// A file of lines saved by a Windows editor starts with a UTF-8
/// byte-order mark and ends its lines with CR LF: neither is text.
#[test]
fn a_byte_order_mark_is_not_part_of_the_line() {
    let config = WedgeConfig::default();
    assert_eq!(
        line_text(&config, b"\xef\xbb\xbfVT1:ABC")
            .unwrap()
            .as_deref(),
        Some("VT1:ABC")
    );
    assert_eq!(line_text(&config, b"\xef\xbb\xbf").unwrap(), None);
    let lines: Vec<String> = WedgeLines::new(&b"\xef\xbb\xbfTOKEN-1\r\nTOKEN-2\r\n"[..], config)
        .map(|l| l.unwrap().raw)
        .collect();
    assert_eq!(lines, ["TOKEN-1", "TOKEN-2"]);
    let token = "TOKEN-0123456789";
    let repaired = repair_scanned_text(&format!("\u{feff}{token}")).unwrap();
    assert_eq!(repaired.text, token);
}
