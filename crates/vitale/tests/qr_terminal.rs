//! The terminal's QR reading: the first code that verifies stops it (the
//! decoding strategy's accept predicate), each code is verified once, and a
//! code that does not verify still reports why when nothing verifies; a
//! plain `QrDecoder` set with `with_qr_decoder` behaves the same.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::reader::qr::{LumaImage, QrStrategy, RxingDecoder};
use vitale_sim::{RenderOptions, Scenario, Seed, render_qr};

/// A code that is no card (a menu's link).
const URL: &str = "HTTPS://EXAMPLE.ORG/MENU";

fn now() -> Timestamp {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap()
}

fn scenario() -> Scenario {
    Scenario::new(Seed::from_u64(0x5CA7), 1, now()).unwrap()
}

fn terminal(scenario: &Scenario) -> Terminal {
    Terminal::builder()
        .trust_list(scenario.trust_list.clone())
        .pinned_root(scenario.anchor.public_key().to_spki_der())
        .build()
        .unwrap()
}

/// A PNG with one code per text, side by side on white.
fn sheet(texts: &[&str]) -> Vec<u8> {
    let codes: Vec<LumaImage> = texts
        .iter()
        .map(|t| render_qr(t, &RenderOptions::default()).unwrap())
        .collect();
    let cell = codes.iter().map(LumaImage::width).max().unwrap();
    let count = u32::try_from(codes.len()).unwrap();
    LumaImage::from_fn(cell * count, cell, |x, y| {
        codes[(x / cell) as usize].get(x % cell, y).unwrap_or(255)
    })
    .unwrap()
    .to_png()
    .unwrap()
}

/// Two valid presentations in one image: the scan stops at the first
/// that verifies; the other is not verified (its replay-cache entry is
/// still free), the first is verified once (a second try is a replay).
#[test]
fn the_first_code_that_verifies_stops_the_scan() {
    let s = scenario();
    for plain in [false, true] {
        let t = if plain {
            terminal(&s).with_qr_decoder(Box::new(RxingDecoder))
        } else {
            terminal(&s).with_qr_strategy(QrStrategy::new())
        };
        let a = s.phone.present_qr_text(now(), 120).unwrap();
        let b = s.phone.present_qr_text(now(), 120).unwrap();
        assert_ne!(a, b);
        let codes = t.scan_image(&sheet(&[&a, &b])).unwrap();
        assert_eq!(
            codes.len(),
            1,
            "{}: stops at the first",
            t.qr_decoder_name()
        );
        assert!(codes[0].outcome().is_ok());
        let first = codes[0].text().unwrap().to_owned();
        let other = if first == a { &b } else { &a };
        assert_eq!(t.verify_text(&first).unwrap_err().kind(), "replay");
        assert!(
            t.verify_text(other).is_ok(),
            "the other code was not verified"
        );
    }
}

/// A code that is no presentation, then a card: the card is returned, and
/// the scan lists what it verified on the way.
#[test]
fn a_card_behind_another_code_is_found() {
    let s = scenario();
    for plain in [false, true] {
        let t = if plain {
            terminal(&s).with_qr_decoder(Box::new(RxingDecoder))
        } else {
            terminal(&s).with_qr_strategy(QrStrategy::new())
        };
        let card = s.phone.present_qr_text(now(), 120).unwrap();
        let png = sheet(&[URL, &card]);
        let codes = t.scan_image(&png).unwrap();
        let last = codes.last().unwrap();
        assert_eq!(last.text(), Some(card.as_str()), "{}", t.qr_decoder_name());
        assert!(last.outcome().is_ok());
        // What the other text gives when verified alone.
        let other = t.verify_text(URL).unwrap_err().kind();
        assert!(
            codes[..codes.len() - 1]
                .iter()
                .all(|c| c.outcome().as_ref().unwrap_err().kind() == other)
        );
        let again = s.phone.present_qr_text(now(), 120).unwrap();
        let png = sheet(&[URL, &again]);
        assert!(t.read_card_from_image(&png).is_ok());
    }
}

/// Nothing verifies: the code's own error, not "no code".
#[test]
fn a_code_that_does_not_verify_reports_why() {
    let s = scenario();
    let old = Timestamp::from_unix(now().unix() - 3600).unwrap();
    let expired = s.phone.present_qr_text(old, 120).unwrap();
    for plain in [false, true] {
        let t = if plain {
            terminal(&s).with_qr_decoder(Box::new(RxingDecoder))
        } else {
            terminal(&s).with_qr_strategy(QrStrategy::new())
        };
        let e = t.read_card_from_image(&sheet(&[&expired])).unwrap_err();
        assert_eq!(e.kind(), "presentation_expired", "{}", t.qr_decoder_name());
        let e = t.read_card_from_image(&sheet(&[URL])).unwrap_err();
        assert_eq!(e.kind(), t.verify_text(URL).unwrap_err().kind());
        assert_ne!(e.kind(), "no_code");
        let blank = LumaImage::filled(320, 240, 230).unwrap().to_png().unwrap();
        assert_eq!(
            t.read_card_from_image(&blank).unwrap_err().kind(),
            "no_code"
        );
    }
}

#[test]
fn the_decoder_names() {
    let s = scenario();
    assert_eq!(terminal(&s).qr_decoder_name(), "strategy");
    let rxing = terminal(&s).with_qr_decoder(Box::new(RxingDecoder));
    assert_eq!(rxing.qr_decoder_name(), "rxing");
    let strategy = terminal(&s).with_qr_strategy(QrStrategy::new());
    assert_eq!(strategy.qr_decoder_name(), "strategy");
}

/// A phone in dark mode (light modules on a dark screen): the default
/// terminal reads and verifies it; bare rxing reads no code in it.
#[test]
fn the_default_terminal_reads_a_dark_mode_code() {
    let s = scenario();
    let text = s.phone.present_qr_text(now(), 120).unwrap();
    let options = RenderOptions {
        dark: 235,
        light: 25,
        ..RenderOptions::default()
    };
    let png = render_qr(&text, &options).unwrap().to_png().unwrap();
    let card = terminal(&s).read_card_from_image(&png).unwrap();
    assert!(!card.beneficiaries().is_empty());
    let bare = terminal(&s).with_qr_decoder(Box::new(RxingDecoder));
    assert_eq!(
        bare.read_card_from_image(&png).unwrap_err().kind(),
        "no_code"
    );
}
