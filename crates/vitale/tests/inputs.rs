//! What a Windows workstation hands the terminal: texts and trust lists
//! with a byte-order mark and CR LF, empty inputs, and a clock behind.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::verify::policy::FixedClock;
use vitale_sim::{Scenario, Seed};

/// 2026-11-12T14:05:00Z.
const NOW: u64 = 1_794_492_300;

fn at(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

fn scenario() -> Scenario {
    Scenario::new(Seed::from_u64(6), 2, at(NOW)).unwrap()
}

fn terminal(s: &Scenario, list: Vec<u8>, now: u64) -> Result<Terminal, vitale::Error> {
    Terminal::builder()
        .trust_list(list)
        .pinned_root(s.anchor.public_key().to_spki_der())
        .clock(FixedClock(at(now)))
        .build()
}

#[test]
fn byte_order_marks_and_crlf_are_not_part_of_the_input() {
    let s = scenario();
    let mut json = b"\xef\xbb\xbf".to_vec();
    json.extend_from_slice(s.trust_list_json().unwrap().as_bytes());
    json.extend_from_slice(b"\r\n");
    let t = terminal(&s, json, NOW).unwrap();
    let text = s.phone.present_qr_text(at(NOW), 120).unwrap();
    t.verify_text(&format!("\u{feff}{text}\r\n")).unwrap();
    let line = s.phone.present_qr_text(at(NOW), 120).unwrap();
    t.verify_scanner_line(&format!("\u{feff}{line}\r\n"))
        .unwrap();
}

#[test]
fn empty_inputs_are_empty_input() {
    let s = scenario();
    let t = terminal(&s, s.trust_list.clone(), NOW).unwrap();
    for (e, what) in [
        (t.verify_text("").unwrap_err(), "empty presentation text"),
        (
            t.verify_text("\u{feff}\r\n").unwrap_err(),
            "empty presentation text",
        ),
        (
            t.verify_scanner_line("\r").unwrap_err(),
            "empty scanner line",
        ),
        (t.scan_image(&[]).unwrap_err(), "empty image"),
        (
            terminal(&s, b"\xef\xbb\xbf \r\n".to_vec(), NOW).unwrap_err(),
            "empty trust list",
        ),
    ] {
        assert_eq!(e.kind(), "empty_input");
        assert_eq!(e.to_string(), what);
    }
}

/// A workstation two days behind: the trust list is "not valid yet", with
/// the times; never "expired".
#[test]
fn a_clock_behind_is_not_yet_valid_not_expired() {
    let s = scenario();
    let e = terminal(&s, s.trust_list.clone(), NOW - 2 * 86_400).unwrap_err();
    assert_eq!(e.kind(), "trust_list_not_yet_valid");
    let times = e.time_refusal().unwrap();
    assert_eq!(times.now, at(NOW - 2 * 86_400));
    assert_eq!(times.not_before, Some(at(NOW - 86_400)));
    assert_eq!(times.expired_at, None);
    let text = e.to_string();
    assert!(!text.contains("expired"), "{text}");
    assert!(text.contains("2026-11-11T14:05:00Z"), "{text}");
}
