use proptest::prelude::*;
use vitale_codec::model::Timestamp;

use super::*;
use crate::KeyUsage::{Credential, Delegation, Receipt};

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

#[test]
fn rfc3339_known_instants() {
    for (secs, text) in [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (951_868_799, "2000-02-29T23:59:59Z"),
        (1_793_491_200, "2026-11-01T00:00:00Z"),
        (4_107_542_399, "2100-02-28T23:59:59Z"),
        (4_107_542_400, "2100-03-01T00:00:00Z"),
        (Timestamp::MAX_UNIX, "9999-12-31T23:59:59Z"),
    ] {
        assert_eq!(rfc3339::format(ts(secs)), text);
        assert_eq!(rfc3339::parse(text), Some(ts(secs)), "{text}");
    }
}

#[test]
fn rfc3339_refuses_every_other_form() {
    for text in [
        "",
        "1969-12-31T23:59:59Z",
        "2026-11-01T00:00:00",
        "2026-11-01T00:00:00z",
        "2026-11-01t00:00:00Z",
        "2026-11-01 00:00:00Z",
        "2026-11-01T00:00:00+00:00",
        "2026-11-01T00:00:00.0Z",
        "2026-11-1T00:00:00Z",
        "+2026-11-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-11-31T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2026-11-01T24:00:00Z",
        "2026-11-01T23:60:00Z",
        "2016-12-31T23:59:60Z",
        "2026-11-01T0a:00:00Z",
        "２026-11-01T00:00:00Z",
    ] {
        assert_eq!(rfc3339::parse(text), None, "{text}");
    }
}

proptest! {
    #[test]
    fn rfc3339_agrees_with_the_time_crate(secs in 0..=Timestamp::MAX_UNIX) {
        let at = ts(secs);
        let text = rfc3339::format(at);
        let dt = at.to_datetime();
        let expected = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            dt.year(), u8::from(dt.month()), dt.day(), dt.hour(), dt.minute(), dt.second()
        );
        prop_assert_eq!(&text, &expected);
        prop_assert_eq!(rfc3339::parse(&text), Some(at));
    }

    #[test]
    fn rfc3339_parse_never_panics(text in "[0-9TZ:+.-]{0,24}") {
        if let Some(at) = rfc3339::parse(&text) {
            prop_assert_eq!(rfc3339::format(at), text);
        }
    }
}

#[test]
fn kid_is_the_truncated_sha256_of_the_spki() {
    // docs/format.md §10: the issuer key (scalar 01 × 32).
    let spki = hex::decode(concat!(
        "3059301306072a8648ce3d020106082a8648ce3d030107034200046ff03b9492",
        "41ce1dadd43519e6960e0a85b41a69a05c328103aa2bce1594ca163c4f753a55",
        "bf01dc53f6c0b0c7eee78b40c6ff7d25a96e2282b989cef71c144a",
    ))
    .unwrap();
    assert_eq!(hex::encode(kid_of_spki(&spki)), "f857ae4ed6e34e33");
    let anchor = TrustAnchor::from_spki_der(&spki).unwrap();
    assert_eq!(hex::encode(anchor.kid()), "f857ae4ed6e34e33");
    assert_eq!(TrustAnchor::new(anchor.public_key().clone()), anchor);
}

#[test]
fn kid_hex_is_16_lower_case_digits() {
    let kid = [0xf8, 0x57, 0xae, 0x4e, 0xd6, 0xe3, 0x4e, 0x33];
    assert_eq!(json::hex(&kid), "f857ae4ed6e34e33");
    assert_eq!(json::unhex8("f857ae4ed6e34e33"), Ok(kid));
    for bad in [
        "F857AE4ED6E34E33",
        "f857ae4ed6e34e3",
        "f857ae4ed6e34e333",
        "f857ae4ed6e34e3g",
        "",
        "é857ae4ed6e34e3",
    ] {
        assert_eq!(json::unhex8(bad), Err(TrustListError::Malformed), "{bad}");
    }
}

#[test]
fn usage_names_are_those_of_key_usage() {
    for usage in [Credential, Delegation, Receipt] {
        assert_eq!(json::usage_by_name(usage.name()), Some(usage));
    }
    assert_eq!(json::usage_by_name("Credential"), None);
    assert_eq!(json::usage_by_name(""), None);
}

#[test]
fn usages_are_1_to_3_strictly_increasing() {
    for ok in [
        &[Credential][..],
        &[Receipt],
        &[Credential, Receipt],
        &[Credential, Delegation, Receipt],
    ] {
        assert_eq!(entry::check_usages(ok), Ok(()), "{ok:?}");
    }
    for bad in [
        &[][..],
        &[Delegation, Credential],
        &[Credential, Credential],
        &[Credential, Delegation, Receipt, Receipt],
    ] {
        assert_eq!(
            entry::check_usages(bad),
            Err(TrustListError::Malformed),
            "{bad:?}"
        );
    }
}

#[test]
fn labels_are_1_to_100_characters_without_controls() {
    assert_eq!(entry::check_label("CNAM 2026"), Ok(()));
    assert_eq!(entry::check_label(&"ü".repeat(100)), Ok(()));
    for bad in [
        String::new(),
        "ü".repeat(101),
        "a\tb".into(),
        "\u{7f}".into(),
    ] {
        assert_eq!(entry::check_label(&bad), Err(TrustListError::Malformed));
    }
}
