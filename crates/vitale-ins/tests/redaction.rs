//! Personal data never shows in `Debug` output or error messages.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use vitale_ins::datamatrix::NATIONAL_HEADER;
use vitale_ins::{
    BirthDate, BirthName, CogCode, GivenNames, IdentityStatus, IdentityTraits, Ins, InsDatamatrix,
    InsOid, Nir, PatientIdentity, Sex,
};

const NIR: &str = "269054958815780";

fn identity() -> PatientIdentity {
    let traits = IdentityTraits::new(
        BirthName::new("Quérineau").unwrap(),
        GivenNames::new("Gwenaëlle Maëlys").unwrap(),
        Sex::Female,
        BirthDate::parse("19690531").unwrap(),
        CogCode::parse("49007").unwrap(),
    );
    let ins = Ins::new(Nir::parse(NIR).unwrap(), InsOid::Nir);
    PatientIdentity::new(IdentityStatus::Qualified, traits, Some(ins)).unwrap()
}

/// Pieces of personal data that must not appear.
const SECRETS: &[&str] = &[
    "269054958815780",
    "2 69 05 49 588 157 80",
    "4958815",
    "Quérineau",
    "QUERINEAU",
    "Gwenaëlle",
    "GWENAELLE",
    "Maëlys",
    "19690531",
    "31-05-1969",
    "1969",
    "49007",
];

fn assert_clean(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret:?} leaked in {text}");
    }
}

#[test]
fn debug_of_every_type_is_redacted() {
    let identity = identity();
    let shared = identity.shareable().unwrap();
    let payload = InsDatamatrix::new(&shared).unwrap();
    // The 2D-Doc layout of vitale-ins 0.1, with a signature.
    let legacy = InsDatamatrix::decode(&format!(
        "{}\u{1f}{}",
        payload
            .encode()
            .replacen(NATIONAL_HEADER, "DC04FR000001FFFFFFFFZZ01FR", 1),
        "AE".repeat(52)
    ))
    .unwrap();
    assert!(legacy.signature().is_some());
    let debugs = [
        format!("{:?}", Nir::parse(NIR).unwrap()),
        format!("{:#?}", identity),
        format!("{:#?}", shared),
        format!("{:#?}", payload),
        format!("{:#?}", legacy),
        format!("{:?}", payload.traits()),
        format!("{:?}", identity.traits().birth_date()),
        format!("{:?}", identity.traits().birth_name()),
        format!("{:?}", identity.traits().given_names()),
        format!("{:?}", identity.traits().birth_place()),
    ];
    for debug in debugs {
        assert_clean(&debug);
    }
}

#[test]
fn nir_debug_has_no_digit_at_all() {
    let debug = format!("{:?}", Nir::parse(NIR).unwrap());
    assert!(!debug.chars().any(|c| c.is_ascii_digit()), "{debug}");
}

#[test]
fn error_messages_are_clean() {
    let text = InsDatamatrix::new(&identity().shareable().unwrap())
        .unwrap()
        .encode();
    let mut messages = vec![
        Nir::parse("269054958815781").unwrap_err().to_string(),
        Nir::parse("969054958815780").unwrap_err().to_string(),
        BirthDate::parse("1969053X").unwrap_err().to_string(),
        CogCode::parse("4900X").unwrap_err().to_string(),
    ];
    for (from, to) in [
        (NIR, "269054958815781"),
        ("QUERINEAU", "Querineau"),
        ("31-05-1969", "31/05/1969"),
        ("S749007", "S7490X7"),
        ("S5F", "S5I"),
        ("S5F", "S5FS5F"),
        ("S749007", "S749007\u{1d}"),
        ("S3GWENAELLE MAELYS\u{1d}", ""),
    ] {
        let error = InsDatamatrix::decode(&text.replacen(from, to, 1)).unwrap_err();
        messages.push(error.to_string());
        messages.push(format!("{error:?}"));
    }
    for message in messages {
        assert_clean(&message);
    }
}
