#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;
use crate::HeaderField;
use crate::identity::{IdentityStatus, PatientIdentity};

const HEADER: &str = "DC04FR000001FFFFFFFFZZ01FR";

fn payload(oid: InsOid, given: &str, name: &str, date: &str) -> InsDatamatrix {
    let traits = IdentityTraits::new(
        BirthName::new(name).unwrap(),
        GivenNames::new(given).unwrap(),
        Sex::Female,
        BirthDate::parse(date).unwrap(),
        CogCode::parse("99132").unwrap(),
    );
    let ins = Ins::new(Nir::parse("215129913200195").unwrap(), oid);
    let identity = PatientIdentity::new(IdentityStatus::Qualified, traits, Some(ins)).unwrap();
    InsDatamatrix::new(
        DocHeader::parse(HEADER).unwrap(),
        &identity.shareable().unwrap(),
    )
    .unwrap()
}

/// The reference text, field by field.
fn reference() -> String {
    concat!(
        "DC04FR000001FFFFFFFFZZ01FR", // header: DC, 04, CA FR00, cert 0001, no dates, type ZZ, perimeter 01, FR
        "S1",
        "215129913200195", // matricule, fixed 15: no GS
        "S2",
        "1.2.250.1.213.1.4.8",
        "\u{1d}", // OID, 19 < 20: GS
        "S3",
        "ADA",
        "\u{1d}", // prénoms, < 100: GS
        "S4",
        "LOVELACE",
        "\u{1d}", // nom, < 100: GS
        "S5",
        "F", // sexe, fixed 1
        "S6",
        "10-12-1815", // date, fixed 10, JJ-MM-AAAA
        "S7",
        "99132", // COG, fixed 5, last: no GS
    )
    .to_owned()
}

#[test]
fn encodes_the_reference_text() {
    let p = payload(InsOid::Nir, "Ada", "Lovelace", "18151210");
    assert_eq!(p.encode(), reference());
    assert_eq!(InsDatamatrix::decode(&reference()).unwrap(), p);
    assert_eq!(p.traits().birth_name().as_str(), "LOVELACE");
}

#[test]
fn oid_of_maximum_length_has_no_gs() {
    let text = payload(InsOid::TestNir, "Ada", "Lovelace", "18151210").encode();
    assert!(text.contains("S21.2.250.1.213.1.4.10S3"), "{text:?}");
    assert_eq!(
        InsDatamatrix::decode(&text).unwrap().ins().oid(),
        InsOid::TestNir
    );
}

#[test]
fn name_of_maximum_length_has_no_gs() {
    let long = "A".repeat(100);
    let text = payload(InsOid::Nir, "Ada", &long, "18151210").encode();
    assert!(text.contains(&format!("S4{long}S5")));
    assert_eq!(
        InsDatamatrix::decode(&text)
            .unwrap()
            .traits()
            .birth_name()
            .as_str(),
        long
    );
}

#[test]
fn lunar_date_round_trips() {
    let p = payload(InsOid::Nir, "Ada", "Lovelace", "18150035");
    let text = p.encode();
    assert!(text.contains("S635-00-1815"));
    assert_eq!(InsDatamatrix::decode(&text).unwrap(), p);
}

#[test]
fn signature_is_opaque_base32() {
    let p = payload(InsOid::Nir, "Ada", "Lovelace", "18151210")
        .with_signature(vec![0xAB; 64])
        .unwrap();
    let text = p.encode();
    let (signed, signature) = text.split_once(US).unwrap();
    assert_eq!(signed, p.signed_data());
    assert_eq!(signature.len(), 103);
    let back = InsDatamatrix::decode(&text).unwrap();
    assert_eq!(back.signature(), Some(&[0xAB; 64][..]));
    assert_eq!(back.encode(), text);
}

#[test]
fn base32_matches_rfc4648_vectors() {
    // RFC 4648 §10, padding removed.
    let cases: [(&[u8], &str); 6] = [
        (b"f", "MY"),
        (b"fo", "MZXQ"),
        (b"foo", "MZXW6"),
        (b"foob", "MZXW6YQ"),
        (b"fooba", "MZXW6YTB"),
        (b"foobar", "MZXW6YTBOI"),
    ];
    for (bytes, text) in cases {
        assert_eq!(base32::encode(bytes), text);
        assert_eq!(base32::decode(text).unwrap(), bytes);
    }
    // Non-canonical: leftover bits set, impossible length, lower case.
    for text in ["MZ", "MZX", "mzxw6", "MZXW6YTBO=", "MZXW6YTB1"] {
        assert_eq!(base32::decode(text), None, "{text}");
    }
}

#[test]
fn specimen_signature_decodes_to_64_bytes() {
    // Signature of the ANTS DC04 type-28 specimen (betagouv/2ddoc-parser tests).
    let signature = "6W76EBC3I2LWHBVGNNYTL34SC6V32S2GDCIQQZLZNMTKCHNVEUISJYUQH5WE3AJJICBNG3YMQ2NXXHP5ZHVOQE332R6TUJDHNOHQ6BI";
    let bytes = base32::decode(signature).unwrap();
    assert_eq!(bytes.len(), 64);
    assert_eq!(base32::encode(&bytes), signature);
}

#[test]
fn decode_errors_are_typed() {
    let r = reference();
    let gs = "\u{1d}";
    let cases: Vec<(String, Error, &str)> = vec![
        (
            format!("{r}{}", "A".repeat(MAX_DATAMATRIX_LEN)),
            Error::DatamatrixTooLong {
                max: MAX_DATAMATRIX_LEN,
            },
            "too long",
        ),
        (
            r.replace("ADA", "AD\u{7f}"),
            Error::DatamatrixCharacter { position: 69 },
            "DEL character",
        ),
        (
            r.replace("ADA", "ADÉ"),
            Error::DatamatrixCharacter { position: 69 },
            "non-ASCII",
        ),
        (
            r[..20].to_owned(),
            Error::DatamatrixHeader {
                field: HeaderField::Length,
            },
            "short header",
        ),
        (
            r.replacen("DC04", "DC03", 1),
            Error::DatamatrixHeader {
                field: HeaderField::Version,
            },
            "version 03",
        ),
        (
            r.replacen("DC04", "XC04", 1),
            Error::DatamatrixHeader {
                field: HeaderField::Marker,
            },
            "marker",
        ),
        (
            r.replacen("FR00", "fr00", 1),
            Error::DatamatrixHeader {
                field: HeaderField::CaId,
            },
            "lower-case CA",
        ),
        (
            r.replacen("FFFFFFFF", "fFFFFFFF", 1),
            Error::DatamatrixHeader {
                field: HeaderField::IssueDate,
            },
            "lower-case hex",
        ),
        (
            r.replacen("01FRS1", "01F1S1", 1),
            Error::DatamatrixHeader {
                field: HeaderField::Country,
            },
            "country digit",
        ),
        (
            r.replacen("S2", "S9", 1),
            Error::DatamatrixUnexpectedTag {
                expected: DatamatrixField::S2Oid,
                position: 43,
            },
            "unknown tag",
        ),
        (
            r.replacen(&format!("S3ADA{gs}"), "", 1),
            Error::DatamatrixUnexpectedTag {
                expected: DatamatrixField::S3GivenNames,
                position: 65,
            },
            "missing S3",
        ),
        // Without GS, the 20-byte window eats the S of S3: the tag is then missing.
        (
            r.replacen(&format!("8{gs}"), "8", 1),
            Error::DatamatrixUnexpectedTag {
                expected: DatamatrixField::S3GivenNames,
                position: 65,
            },
            "missing GS",
        ),
        (
            r.replacen("S3ADA", "S3", 1),
            Error::DatamatrixFieldLength {
                field: DatamatrixField::S3GivenNames,
            },
            "empty S3",
        ),
        (
            r.replacen("S3ADA", "S3ada", 1),
            Error::DatamatrixFieldValue {
                field: DatamatrixField::S3GivenNames,
                cause: Box::new(Error::NameNotNormalized),
            },
            "lower case name",
        ),
        (
            r.replacen("S799132", "S79913", 1),
            Error::DatamatrixFieldLength {
                field: DatamatrixField::S7BirthPlace,
            },
            "short last field",
        ),
        (
            format!("{r}S8X"),
            Error::DatamatrixTrailing,
            "trailing field",
        ),
        (
            format!("{r}{gs}"),
            Error::DatamatrixTrailing,
            "GS after last field",
        ),
        (
            r.replacen("10-12-1815", "1815-12-10", 1),
            Error::DatamatrixFieldValue {
                field: DatamatrixField::S6BirthDate,
                cause: Box::new(Error::BirthDateFormat),
            },
            "ISO date",
        ),
        (
            r.replacen("215129913200195", "215129913200196", 1),
            Error::DatamatrixFieldValue {
                field: DatamatrixField::S1Matricule,
                cause: Box::new(Error::NirKeyMismatch),
            },
            "NIR key",
        ),
        (
            r.replacen("S5F", "S5X", 1),
            Error::DatamatrixFieldValue {
                field: DatamatrixField::S5Sex,
                cause: Box::new(Error::SexCode),
            },
            "sex",
        ),
        (
            format!("{r}\u{1f}"),
            Error::DatamatrixSignature {
                max: MAX_SIGNATURE_LEN,
            },
            "empty signature",
        ),
        (
            format!("{r}\u{1f}MZXW6{gs}"),
            Error::DatamatrixSignature {
                max: MAX_SIGNATURE_LEN,
            },
            "annex after signature",
        ),
        (
            r.replacen("S3ADA", "S3A\u{1e}", 1),
            Error::DatamatrixCharacter { position: 68 },
            "RS truncation mark",
        ),
    ];
    for (text, error, why) in cases {
        assert_eq!(InsDatamatrix::decode(&text), Err(error), "{why}");
    }
}

#[test]
fn header_dates_round_trip() {
    let day = |y, m, d| time::Date::from_calendar_date(y, m, d).unwrap();
    let header = DocHeader::new("FR04", "AB12", "ZZ")
        .unwrap()
        .with_dates(
            Some(day(2000, time::Month::January, 1)),
            Some(day(2025, time::Month::February, 18)),
        )
        .unwrap();
    let text = header.encode();
    assert_eq!(text, "DC04FR04AB12000023DCZZ01FR");
    assert_eq!(DocHeader::parse(&text).unwrap(), header);
    let too_early = DocHeader::new("FR04", "AB12", "ZZ")
        .unwrap()
        .with_dates(Some(day(1999, time::Month::December, 31)), None);
    assert_eq!(
        too_early,
        Err(Error::DatamatrixHeader {
            field: HeaderField::IssueDate
        })
    );
}
