use super::*;
use crate::KeyUsage::{Credential, Delegation, Receipt};

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
