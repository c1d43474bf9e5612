//! The national layout. The 2D-Doc layout of vitale-ins 0.1 is in
//! `tests/legacy.rs`; vectors built as the public implementations build
//! them are in the crate's `tests/datamatrix_public.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;
use crate::HeaderField;
use crate::identity::{IdentityStatus, PatientIdentity};

mod legacy;

const GS_STR: &str = "\u{1d}";

fn identity(oid: InsOid, given: &str, name: &str, sex: Sex, date: &str) -> PatientIdentity {
    let traits = IdentityTraits::new(
        BirthName::new(name).unwrap(),
        GivenNames::new(given).unwrap(),
        sex,
        BirthDate::parse(date).unwrap(),
        CogCode::parse("99132").unwrap(),
    );
    let ins = Ins::new(Nir::parse("215129913200195").unwrap(), oid);
    PatientIdentity::new(IdentityStatus::Qualified, traits, Some(ins)).unwrap()
}

fn payload(oid: InsOid, given: &str, name: &str, date: &str) -> InsDatamatrix {
    let identity = identity(oid, given, name, Sex::Female, date);
    InsDatamatrix::new(&identity.shareable().unwrap()).unwrap()
}

/// The reference text, field by field, with byte offsets.
fn reference() -> String {
    concat!(
        "IS010000000000000000000000", // 0..26 header: IS, version 01, 22 reserved zeros
        "S1",                         // 26
        "215129913200195",            // 28..43 matricule, fixed 15: no GS
        "S2",                         // 43
        "1.2.250.1.213.1.4.8",        // 45..64 OID, 19 < 20: GS
        "\u{1d}",                     // 64
        "S3",                         // 65
        "ADA",                        // 67..70 prénoms, < 100: GS
        "\u{1d}",                     // 70
        "S4",                         // 71
        "LOVELACE",                   // 73..81 nom, < 100: GS
        "\u{1d}",                     // 81
        "S5",                         // 82
        "F",                          // 84 sexe, fixed 1
        "S6",                         // 85
        "10-12-1815",                 // 87..97 date, fixed 10, JJ-MM-AAAA
        "S7",                         // 97
        "99132",                      // 99..104 COG, fixed 5, last: no GS
    )
    .to_owned()
}

#[test]
fn encodes_the_reference_text() {
    let p = payload(InsOid::Nir, "Ada", "Lovelace", "18151210");
    assert_eq!(p.encode(), reference());
    assert_eq!(p.encode().len(), 104);
    assert_eq!(p.layout(), DatamatrixLayout::National);
    assert_eq!(p.doc_header(), None);
    assert_eq!(p.signature(), None);
    assert_eq!(p.signed_data(), None);
    assert_eq!(p.birth_name().as_str(), "LOVELACE");
    assert_eq!(p.given_names().as_str(), "ADA");
    assert_eq!(p.birth_place().map(CogCode::as_str), Some("99132"));
    assert_eq!(InsDatamatrix::decode(&reference()).unwrap(), p);
}

#[test]
fn birth_place_is_optional() {
    let text = reference().replace("S799132", "");
    let p = InsDatamatrix::decode(&text).unwrap();
    assert_eq!(p.birth_place(), None);
    assert_eq!(p.traits(), None);
    assert_eq!(p.birth_date().as_str(), "18151210");
    assert_eq!(p.encode(), text, "S6 is then the last field, with no GS");
    let full = InsDatamatrix::decode(&reference()).unwrap();
    let traits = full.traits().unwrap();
    assert_eq!(traits.birth_place().as_str(), "99132");
    assert_eq!(traits.birth_name().as_str(), "LOVELACE");
}

#[test]
fn fields_are_read_in_any_order_and_written_in_tag_order() {
    // S3 moved last (as in a Mediboard reader test): the last field has no
    // GS even though it is shorter than its maximum.
    let moved = format!("{}S3ADA", reference().replace("S3ADA\u{1d}", ""));
    let p = InsDatamatrix::decode(&moved).unwrap();
    assert_eq!(p, InsDatamatrix::decode(&reference()).unwrap());
    assert_eq!(p.encode(), reference());

    // Every field reversed: S7 S6 S5 S4 S3 S2 S1.
    let reversed = concat!(
        "IS010000000000000000000000",
        "S799132S610-12-1815S5FS4LOVELACE\u{1d}S3ADA\u{1d}",
        "S21.2.250.1.213.1.4.8\u{1d}S1215129913200195",
    );
    assert_eq!(
        InsDatamatrix::decode(reversed).unwrap().encode(),
        reference()
    );
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
        InsDatamatrix::decode(&text).unwrap().birth_name().as_str(),
        long
    );
    // The same name as the last field.
    let last = format!("{}S4{long}", text.replace(&format!("S4{long}"), ""));
    assert_eq!(
        InsDatamatrix::decode(&last).unwrap(),
        InsDatamatrix::decode(&text).unwrap()
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
fn names_are_written_normalised() {
    let p = payload(InsOid::Nir, "Gwenaëlle Maëlys", "Quérineau", "19690531");
    let text = p.encode();
    assert!(text.contains("S3GWENAELLE MAELYS\u{1d}S4QUERINEAU\u{1d}"));
    assert_eq!(InsDatamatrix::decode(&text).unwrap(), p);
}

#[test]
fn indeterminate_sex_is_not_encoded() {
    let identity = identity(
        InsOid::Nir,
        "Ada",
        "Lovelace",
        Sex::Indeterminate,
        "18151210",
    );
    assert_eq!(
        InsDatamatrix::new(&identity.shareable().unwrap()),
        Err(Error::DatamatrixIndeterminateSex)
    );
    let male = identity_male();
    let text = InsDatamatrix::new(&male.shareable().unwrap())
        .unwrap()
        .encode();
    assert!(text.contains("S5MS6"));
}

fn identity_male() -> PatientIdentity {
    identity(InsOid::Nir, "Ada", "Lovelace", Sex::Male, "18151210")
}

#[test]
fn decode_errors_are_typed() {
    let r = reference();
    let gs = GS_STR;
    let field_value = |field, cause| Error::DatamatrixFieldValue {
        field,
        cause: Box::new(cause),
    };
    let header = |field| Error::DatamatrixHeader { field };
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
            r.replacen("S3ADA", "S3A\u{1e}", 1),
            Error::DatamatrixCharacter { position: 68 },
            "RS truncation mark",
        ),
        (
            format!("{r}\u{1f}MZXW6"),
            Error::DatamatrixCharacter { position: 104 },
            "US: the national layout has no signature",
        ),
        (
            r[..20].to_owned(),
            header(HeaderField::Length),
            "short header",
        ),
        (
            r.replacen("IS01", "IS02", 1),
            header(HeaderField::Version),
            "version 02",
        ),
        (
            r.replacen("IS01", "XS01", 1),
            header(HeaderField::Marker),
            "marker",
        ),
        (
            r.replacen("IS0100000", "IS0100100", 1),
            header(HeaderField::Reserved),
            "reserved not zero",
        ),
        (
            r.replacen("IS010000000000000000000000", "IS01000000000000000000000", 1),
            header(HeaderField::Reserved),
            "header one zero short: the S of S1 falls in the header",
        ),
        (
            r.replacen("S2", "S9", 1),
            Error::DatamatrixUnknownTag { position: 43 },
            "unknown tag",
        ),
        (
            r.replacen("S5F", "S5FS5F", 1),
            Error::DatamatrixDuplicateField {
                field: DatamatrixField::S5Sex,
            },
            "repeated field",
        ),
        (
            r.replacen(&format!("S3ADA{gs}"), "", 1),
            Error::DatamatrixMissingField {
                field: DatamatrixField::S3GivenNames,
            },
            "missing S3",
        ),
        (
            r[..85].to_owned(),
            Error::DatamatrixMissingField {
                field: DatamatrixField::S6BirthDate,
            },
            "missing S6",
        ),
        (
            NATIONAL_HEADER.to_owned(),
            Error::DatamatrixMissingField {
                field: DatamatrixField::S1Matricule,
            },
            "header only",
        ),
        // Without GS, the 20-byte window eats the S of S3: "3A" is no tag.
        (
            r.replacen(&format!("8{gs}"), "8", 1),
            Error::DatamatrixUnknownTag { position: 65 },
            "missing GS",
        ),
        (
            r.replacen(&format!("S3ADA{gs}"), "S3ADA", 1),
            Error::DatamatrixMissingField {
                field: DatamatrixField::S4BirthName,
            },
            "missing GS after a name: S3 runs over S4",
        ),
        (
            r.replacen("S3ADA", "S3", 1),
            Error::DatamatrixFieldLength {
                field: DatamatrixField::S3GivenNames,
            },
            "empty S3",
        ),
        (
            r.replacen("S799132", "S7", 1),
            Error::DatamatrixFieldLength {
                field: DatamatrixField::S7BirthPlace,
            },
            "empty last field",
        ),
        (
            r.replacen("S799132", "S79913", 1),
            Error::DatamatrixFieldLength {
                field: DatamatrixField::S7BirthPlace,
            },
            "short last field",
        ),
        (
            r.replacen("S610-12-1815", "S610-12-18", 1),
            Error::DatamatrixUnknownTag { position: 97 },
            "short fixed field: its length eats the next tag",
        ),
        (
            format!("{r}S8X"),
            Error::DatamatrixUnknownTag { position: 104 },
            "trailing unknown field",
        ),
        (
            format!("{r}{gs}"),
            Error::DatamatrixUnknownTag { position: 104 },
            "GS after the last (fixed) field",
        ),
        (
            format!("{}S3ADA{gs}", r.replace(&format!("S3ADA{gs}"), "")),
            Error::DatamatrixTrailing,
            "GS after the last (variable) field",
        ),
        (
            r.replacen("S3ADA", "S3ada", 1),
            field_value(DatamatrixField::S3GivenNames, Error::NameNotNormalized),
            "lower case name",
        ),
        (
            r.replacen("S4LOVELACE", "S4LOVELACE ", 1),
            field_value(DatamatrixField::S4BirthName, Error::NameNotNormalized),
            "trailing space in a name",
        ),
        (
            r.replacen("10-12-1815", "1815-12-10", 1),
            field_value(DatamatrixField::S6BirthDate, Error::BirthDateFormat),
            "ISO date",
        ),
        (
            r.replacen("10-12-1815", "10-12-1799", 1),
            field_value(DatamatrixField::S6BirthDate, Error::BirthDateYear),
            "year before 1800",
        ),
        (
            r.replacen("215129913200195", "215129913200196", 1),
            field_value(DatamatrixField::S1Matricule, Error::NirKeyMismatch),
            "NIR key",
        ),
        (
            r.replacen("215129913200195", "185052a12345633", 1),
            field_value(
                DatamatrixField::S1Matricule,
                Error::NirCharacter { position: 7 },
            ),
            "lower-case Corsica department",
        ),
        (
            r.replacen("1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.7", 1),
            field_value(DatamatrixField::S2Oid, Error::UnknownOid),
            "unknown OID",
        ),
        (
            r.replacen("S5F", "S5X", 1),
            field_value(DatamatrixField::S5Sex, Error::SexCode),
            "sex X",
        ),
        (
            r.replacen("S5F", "S5I", 1),
            field_value(DatamatrixField::S5Sex, Error::DatamatrixIndeterminateSex),
            "sex I",
        ),
        (
            r.replacen("S799132", "S700132", 1),
            field_value(DatamatrixField::S7BirthPlace, Error::CogCode),
            "COG department 00",
        ),
    ];
    for (text, error, why) in cases {
        assert_eq!(InsDatamatrix::decode(&text), Err(error), "{why}");
    }
}

#[test]
fn corsica_matricule_round_trips() {
    let text = reference().replacen("215129913200195", "185052A12345633", 1);
    let p = InsDatamatrix::decode(&text).unwrap();
    assert_eq!(p.ins().matricule().as_str(), "185052A12345633");
    assert_eq!(p.encode(), text);
}
