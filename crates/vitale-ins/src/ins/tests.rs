#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;

#[test]
fn oids_parse_and_render() {
    let cases = [
        ("1.2.250.1.213.1.4.8", InsOid::Nir, false, false),
        ("1.2.250.1.213.1.4.9", InsOid::Nia, true, false),
        ("1.2.250.1.213.1.4.10", InsOid::TestNir, false, true),
        ("1.2.250.1.213.1.4.11", InsOid::DemoNir, false, true),
    ];
    for (text, oid, nia, test) in cases {
        assert_eq!(InsOid::parse(text).unwrap(), oid);
        assert_eq!(oid.as_str(), text);
        assert_eq!(oid.to_string(), text);
        assert_eq!(text.parse::<InsOid>().unwrap(), oid);
        assert_eq!(oid.is_nia(), nia);
        assert_eq!(oid.is_test_or_demo(), test);
    }
}

#[test]
fn other_oids_are_refused() {
    let cases = [
        "1.2.250.1.213.1.4.12",
        "1.2.250.1.213.1.4.1",
        "1.2.250.1.213.1.4.80",
        "urn:oid:1.2.250.1.213.1.4.8",
        " 1.2.250.1.213.1.4.8",
        "1.2.250.1.213.1.4.8.",
        "",
    ];
    for text in cases {
        assert_eq!(InsOid::parse(text), Err(Error::UnknownOid), "{text:?}");
    }
}

#[test]
fn ins_keeps_its_parts_and_redacts_the_matricule() {
    let nir = Nir::parse("185057512345673").unwrap();
    let ins = Ins::new(nir.clone(), InsOid::Nia);
    assert_eq!(ins.matricule(), &nir);
    assert_eq!(ins.oid(), InsOid::Nia);
    let debug = format!("{ins:?}");
    assert!(!debug.contains("1850575"), "{debug}");
    assert!(debug.contains("Nia"), "{debug}");
}

#[test]
fn short_names_and_dotted_oids_parse() {
    for (text, oid) in [
        ("nir", InsOid::Nir),
        ("NIA", InsOid::Nia),
        ("Test", InsOid::TestNir),
        ("demo", InsOid::DemoNir),
        ("1.2.250.1.213.1.4.8", InsOid::Nir),
        ("1.2.250.1.213.1.4.11", InsOid::DemoNir),
    ] {
        assert_eq!(InsOid::parse_name_or_dotted(text), Ok(oid), "{text:?}");
    }
    for bad in [
        "",
        "nirs",
        " nir",
        "ni",
        "1.2.250.1.213.1.4.12",
        "NIR.",
        "démo",
    ] {
        assert_eq!(
            InsOid::parse_name_or_dotted(bad),
            Err(Error::UnknownOid),
            "{bad:?}"
        );
    }
}
