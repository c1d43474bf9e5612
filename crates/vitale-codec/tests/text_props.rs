//! Property tests of the text forms and Base45 through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use vitale_codec::text::{self, TextForm};
use vitale_codec::{Error, TextError, base45, limits};

proptest! {
    #[test]
    fn qr_form_round_trip(bytes in proptest::collection::vec(any::<u8>(), 1..1500)) {
        let qr = text::encode_qr(&bytes);
        prop_assert!(qr.starts_with("VT1:"));
        // Alphanumeric QR mode: only the 45 symbols after the prefix.
        prop_assert!(qr[4..].bytes().all(|b| base45::ALPHABET.contains(&b)));
        prop_assert_eq!(text::decode_text_form(&qr).unwrap(), (TextForm::Base45, bytes));
    }

    #[test]
    fn base64url_form_round_trip(bytes in proptest::collection::vec(any::<u8>(), 1..1500)) {
        let link = text::encode_base64url(&bytes);
        prop_assert!(link.starts_with("VT1B:"));
        prop_assert!(link[5..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        prop_assert_eq!(text::decode_text_form(&link).unwrap(), (TextForm::Base64Url, bytes));
    }

    #[test]
    fn scanner_line_ending_is_tolerated(
        bytes in proptest::collection::vec(any::<u8>(), 1..200),
        form in prop_oneof![Just(TextForm::Base45), Just(TextForm::Base64Url)],
        ending in prop_oneof![Just("\n"), Just("\r"), Just("\r\n")],
    ) {
        let line = format!("{}{ending}", text::encode_text(form, &bytes));
        prop_assert_eq!(text::decode_text(&line).unwrap(), bytes);
    }

    #[test]
    fn decode_text_never_panics(s in "\\PC{0,80}") {
        let _ = text::decode_text(&s);
    }

    #[test]
    fn decode_text_never_panics_on_prefixed_input(
        form in prop_oneof![Just("VT1:"), Just("VT1B:")],
        body in "[ -~]{0,80}",
    ) {
        // Whatever decodes is canonical: encoding the bytes gives the text back.
        let input = format!("{form}{body}");
        if let Ok((form, bytes)) = text::decode_text_form(&input) {
            prop_assert_eq!(text::encode_text(form, &bytes), input);
        }
    }

    #[test]
    fn base45_decode_never_panics(s in "\\PC{0,80}") {
        let _ = base45::decode(&s);
    }

    #[test]
    fn base45_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        prop_assert_eq!(base45::decode(&base45::encode(&bytes)).unwrap(), bytes);
    }
}

#[test]
fn oversized_inputs_rejected_cheaply() {
    let text = format!("VT1B:{}", "A".repeat(limits::MAX_TEXT_CHARS));
    assert!(matches!(
        text::decode_text(&text),
        Err(Error::Text(TextError::TextTooLong { .. }))
    ));
}
