//! The text-form vectors of `docs/vectors/open-profile-v1.json` (the
//! normative `docs/format.md` embeds the same values).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use vitale_codec::text::{self, TextForm};

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/vectors/open-profile-v1.json"
);

fn vector(name: &str) -> String {
    let json = std::fs::read_to_string(VECTORS)
        .unwrap_or_else(|err| panic!("cannot read {VECTORS}: {err}"));
    let vectors: Value = serde_json::from_str(&json).unwrap();
    vectors
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("vector {name} missing from {VECTORS}"))
        .to_owned()
}

#[test]
fn qr_text_vector() {
    let bytes = hex::decode(vector("presentation-qr")).unwrap();
    let qr = vector("presentation-qr-text");
    assert_eq!(
        text::decode_text_form(&qr).unwrap(),
        (TextForm::Base45, bytes.clone())
    );
    assert_eq!(text::encode_qr(&bytes), qr);
    // A scanner's trailing CR LF is tolerated.
    assert_eq!(text::decode_text(&format!("{qr}\r\n")).unwrap(), bytes);
}

#[test]
fn base64url_text_vector() {
    let bytes = hex::decode(vector("presentation-qr")).unwrap();
    let link = vector("presentation-qr-base64url");
    assert_eq!(
        text::decode_text_form(&link).unwrap(),
        (TextForm::Base64Url, bytes.clone())
    );
    assert_eq!(text::encode_base64url(&bytes), link);
}
