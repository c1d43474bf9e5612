//! Unit tests of the text forms.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

fn text_err(text: &str) -> TextError {
    match decode_text(text) {
        Err(Error::Text(err)) => err,
        other => panic!("expected a text error for {text:?}, got {other:?}"),
    }
}

#[test]
fn prefixes() {
    assert_eq!(TextForm::Base45.prefix(), "VT1:");
    assert_eq!(TextForm::Base64Url.prefix(), "VT1B:");
    assert_eq!(decode_text("VT1:BB8").unwrap(), b"AB");
    assert_eq!(decode_text("VT1B:QUI").unwrap(), b"AB");
    assert_eq!(
        decode_text_form("VT1B:QUI").unwrap(),
        (TextForm::Base64Url, b"AB".to_vec())
    );
}

#[test]
fn prefix_errors() {
    assert_eq!(text_err(""), TextError::MissingPrefix);
    assert_eq!(text_err("BB8"), TextError::MissingPrefix);
    assert_eq!(text_err(" VT1:BB8"), TextError::MissingPrefix);
    assert_eq!(text_err(":BB8"), TextError::MissingPrefix);
    assert_eq!(text_err("ABCDEFGHIJ:BB8"), TextError::MissingPrefix);
    assert_eq!(text_err("vt1:BB8"), TextError::UnknownPrefix("vt1".into()));
    assert_eq!(text_err("HC1:BB8"), TextError::UnknownPrefix("HC1".into()));
    assert_eq!(text_err("VT2:BB8"), TextError::UnknownPrefix("VT2".into()));
    assert_eq!(
        text_err("VT1b:QUI"),
        TextError::UnknownPrefix("VT1b".into())
    );
}

#[test]
fn empty_body() {
    assert_eq!(text_err("VT1:"), TextError::EmptyBody);
    assert_eq!(text_err("VT1B:"), TextError::EmptyBody);
    assert_eq!(text_err("VT1:\n"), TextError::EmptyBody);
}

#[test]
fn one_trailing_line_ending_only() {
    for ending in ["\n", "\r", "\r\n"] {
        assert_eq!(decode_text(&format!("VT1:BB8{ending}")).unwrap(), b"AB");
        assert_eq!(decode_text(&format!("VT1B:QUI{ending}")).unwrap(), b"AB");
    }
    // Two line endings, leading or other whitespace: rejected.
    assert!(decode_text("VT1:BB8\n\n").is_err());
    assert!(decode_text("VT1:BB8\r\n\r\n").is_err());
    assert!(decode_text("VT1:BB8\n\r").is_err());
    assert!(decode_text("VT1:BB8\t").is_err());
    assert!(decode_text("VT1B:QUI ").is_err());
    // A trailing space is a Base45 symbol: "BB8 " has length 4 ≡ 1 (mod 3).
    assert_eq!(
        text_err("VT1:BB8 "),
        TextError::Base45(Base45Error::InvalidLength { len: 4 })
    );
}

#[test]
fn base45_errors_keep_their_cause() {
    assert_eq!(
        text_err("VT1:bb8"),
        TextError::Base45(Base45Error::InvalidCharacter {
            position: 0,
            byte: b'b'
        })
    );
    assert_eq!(
        text_err("VT1:GGW"),
        TextError::Base45(Base45Error::GroupOverflow {
            position: 0,
            value: 65_536
        })
    );
}

#[test]
fn strict_base64url() {
    // Standard alphabet symbols.
    assert_eq!(
        text_err("VT1B:+/8"),
        TextError::Base64(Base64Error::InvalidByte {
            position: 0,
            byte: b'+'
        })
    );
    // Padding.
    assert_eq!(
        text_err("VT1B:QUI="),
        TextError::Base64(Base64Error::Padding)
    );
    assert_eq!(
        text_err("VT1B:QQ=="),
        TextError::Base64(Base64Error::Padding)
    );
    // Non-zero trailing bits: "QUJ" would also decode to "AB".
    assert_eq!(
        text_err("VT1B:QUJ"),
        TextError::Base64(Base64Error::TrailingBits { position: 2 })
    );
    // Length ≡ 1 (mod 4).
    assert_eq!(
        text_err("VT1B:QUIDQ"),
        TextError::Base64(Base64Error::InvalidLength { len: 5 })
    );
    assert_eq!(decode_text("VT1B:-_8").unwrap(), [0xFB, 0xFF]);
    assert_eq!(encode_base64url(&[0xFB, 0xFF]), "VT1B:-_8");
}

#[test]
fn sizes_checked_before_decoding() {
    let max = limits::MAX_PRESENTATION_BYTES;
    let at_limit = vec![0x5A; max];
    assert_eq!(decode_text(&encode_qr(&at_limit)).unwrap(), at_limit);
    assert_eq!(decode_text(&encode_base64url(&at_limit)).unwrap(), at_limit);

    let over = vec![0x5A; max + 1];
    // With its 4-character prefix, the Base45 form of one byte too many is
    // already above the text limit.
    assert_eq!(
        text_err(&encode_qr(&over)),
        TextError::TextTooLong {
            len: 4 + 12_290,
            max: limits::MAX_TEXT_CHARS
        }
    );
    assert_eq!(
        text_err(&encode_base64url(&over)),
        TextError::PresentationTooLarge { len: max + 1, max }
    );
    // Invalid symbols do not matter when the size is already wrong.
    let junk = format!("VT1B:{}", "!".repeat(11_000));
    assert_eq!(
        text_err(&junk),
        TextError::PresentationTooLarge { len: 8250, max }
    );
    let huge = format!("VT1:{}", "0".repeat(limits::MAX_TEXT_CHARS));
    assert_eq!(
        text_err(&huge),
        TextError::TextTooLong {
            len: limits::MAX_TEXT_CHARS + 4,
            max: limits::MAX_TEXT_CHARS
        }
    );
}

#[test]
fn encode_text_matches_forms() {
    assert_eq!(encode_text(TextForm::Base45, b"AB"), "VT1:BB8");
    assert_eq!(encode_text(TextForm::Base64Url, b"AB"), "VT1B:QUI");
}
