//! `Terminal::builder()`: a ready terminal in one expression, from bytes or
//! files, with its options; and the failures it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::verify::policy::FixedClock;
use vitale::verify::replay::MemoryReplayCache;
use vitale_sim::{Scenario, Seed};

/// 2026-11-12T14:05:00Z.
const NOW: u64 = 1_794_492_300;

fn scenario() -> Scenario {
    Scenario::new(Seed::from_u64(5), 2, Timestamp::from_unix(NOW).unwrap()).unwrap()
}

#[test]
fn a_terminal_from_bytes_and_from_files_verifies() {
    let s = scenario();
    let now = Timestamp::from_unix(NOW).unwrap();
    let root = s.anchor.public_key().to_spki_der();
    let terminal = Terminal::builder()
        .trust_list(s.trust_list.clone())
        .pinned_root(root.clone())
        .clock(FixedClock(now))
        .replay_cache(MemoryReplayCache::new(16))
        .build()
        .unwrap();
    let text = s.phone.present_qr_text(now, 120).unwrap();
    let card = terminal.verify_scanner_line(&text).unwrap();
    assert_eq!(card.card.beneficiaries().len(), 2);
    // The replay cache given is the one used.
    assert_eq!(terminal.verify_text(&text).unwrap_err().kind(), "replay");

    let dir = std::env::temp_dir().join(format!("vitale-builder-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("trust-list.cbor"), &s.trust_list).unwrap();
    std::fs::write(dir.join("root.spki.der"), &root).unwrap();
    let from_files = Terminal::builder()
        .trust_list_file(dir.join("trust-list.cbor"))
        .pinned_root_file(dir.join("root.spki.der"))
        .clock(FixedClock(now))
        .build()
        .unwrap();
    let again = s.phone.present_qr_text(now, 120).unwrap();
    from_files.verify_text(&again).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_and_wrong_inputs_are_reported() {
    let s = scenario();
    let now = Timestamp::from_unix(NOW).unwrap();
    let e = Terminal::builder()
        .trust_list(s.trust_list.clone())
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), "io");
    assert!(e.to_string().contains("pinned root"), "{e}");
    let e = Terminal::builder()
        .trust_list_file("/nonexistent/trust-list.cbor")
        .pinned_root(s.anchor.public_key().to_spki_der())
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), "io");
    // Another root: the list does not verify.
    let other = Scenario::new(Seed::from_u64(6), 1, now).unwrap();
    let e = Terminal::builder()
        .trust_list(s.trust_list.clone())
        .pinned_root(other.anchor.public_key().to_spki_der())
        .clock(FixedClock(now))
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), "trust_list_bad_root_signature");
    // A list past its validity at the clock's time.
    let e = Terminal::builder()
        .trust_list(s.trust_list.clone())
        .pinned_root(s.anchor.public_key().to_spki_der())
        .clock(FixedClock(
            Timestamp::from_unix(NOW + 400 * 86_400).unwrap(),
        ))
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), "trust_list_expired", "{e}");
}
