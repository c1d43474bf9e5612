//! Datamatrix INS payloads built byte for byte the way public
//! implementations of the ANS "INS — format datamatrix" build them, decoded
//! by this crate, and compared with what this crate writes.
//!
//! The builders, read (not copied) in their repositories, are re-expressed
//! below as small functions, and their output for the crate's sample
//! identities is written out as annotated vectors:
//!
//! * **Mediboard** (OpenXtrem), `CPatientINSNIR::createDataForDatamatrix`,
//!   `modules/dPpatients/classes/CPatientINSNIR.php` (read in the mirror
//!   `sergeinack3/PowerCare`), with its unit test
//!   `modules/dPpatients/tests/Unit/CPatientINSNIRTest.php`;
//! * **healthcare-domain** (`lsoulier42/healthcare-domain`),
//!   `src/Identity/Service/InsiDatamatrixPayload.php`: the current
//!   `fromQualifiedIdentity` and the earlier `build`, with
//!   `tests/Identity/InsiDatamatrixPayloadTest.php`.
//!
//! Sources and decisions: `docs/ins.md` §6.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use vitale_ins::{
    BirthDate, BirthName, CogCode, DatamatrixField, DatamatrixLayout, Error, GivenNames,
    IdentityStatus, IdentityTraits, Ins, InsDatamatrix, InsOid, Nir, PatientIdentity, Sex,
};

/// Both implementations: `IS`, version `01`, 22 reserved `0`.
const HEADER: &str = "IS010000000000000000000000";
const GS: char = '\u{1d}';

/// Mediboard's builder, re-expressed. `S1` is the upper-cased matricule;
/// after `S2` a GS when the OID has fewer than 20 bytes; after `S3` / `S4`
/// (upper-cased) a GS when fewer than 100 bytes; `S5` upper-cased; `S6`
/// `date("d-m-Y")` of the ISO birth date; `S7` only when a birthplace is
/// known (the commune code when born in France, `99` + the country code
/// otherwise).
fn mediboard(
    ins_nir: &str,
    oid: &str,
    prenoms: &str,
    nom_jeune_fille: &str,
    sexe: &str,
    naissance: &str,
    lieu: Option<&str>,
) -> String {
    let mut out = HEADER.to_owned();
    out += &format!("S1{}", ins_nir.to_ascii_uppercase());
    out += &format!("S2{oid}");
    if oid.len() < 20 {
        out.push(GS);
    }
    out += &format!("S3{}", prenoms.to_ascii_uppercase());
    if prenoms.len() < 100 {
        out.push(GS);
    }
    out += &format!("S4{}", nom_jeune_fille.to_ascii_uppercase());
    if nom_jeune_fille.len() < 100 {
        out.push(GS);
    }
    out += &format!("S5{}", sexe.to_ascii_uppercase());
    let (y, m, d) = (&naissance[0..4], &naissance[5..7], &naissance[8..10]);
    out += &format!("S6{d}-{m}-{y}");
    if let Some(code) = lieu {
        out += &format!("S7{}", code.to_ascii_uppercase());
    }
    out
}

/// healthcare-domain's current `fromQualifiedIdentity`, re-expressed: each
/// block is tag + value, then GS when the field is not the last and its
/// value is shorter than the field's maximum (S1 15, S2 20, S3 / S4 100,
/// S5 1, S6 10, S7 5; S7, always written, is the last).
fn healthcare_domain(
    matricule: &str,
    oid: &str,
    given: &str,
    family: &str,
    gender: &str,
    birth_date: &str,
    birth_place: &str,
) -> String {
    let (y, m, d) = (&birth_date[0..4], &birth_date[5..7], &birth_date[8..10]);
    let date = format!("{d}-{m}-{y}");
    let blocks = [
        ("S1", matricule, 15, false),
        ("S2", oid, 20, false),
        ("S3", given, 100, false),
        ("S4", family, 100, false),
        ("S5", gender, 1, false),
        ("S6", &date, 10, false),
        ("S7", birth_place, 5, true),
    ];
    let mut out = HEADER.to_owned();
    for (id, value, max, last) in blocks {
        out += id;
        out += value;
        if !last && value.len() < max {
            out.push(GS);
        }
    }
    out
}

/// healthcare-domain's earlier `build`, re-expressed: GS after S2, S3 and
/// S4 whatever their length; S7 only when a birthplace is given.
fn healthcare_domain_earlier(
    matricule: &str,
    oid: &str,
    given: &str,
    family: &str,
    gender: &str,
    birth_date: &str,
    birth_place: Option<&str>,
) -> String {
    let (y, m, d) = (&birth_date[0..4], &birth_date[5..7], &birth_date[8..10]);
    let mut out = format!(
        "{HEADER}S1{matricule}S2{oid}{GS}S3{given}{GS}S4{family}{GS}S5{gender}S6{d}-{m}-{y}"
    );
    if let Some(place) = birth_place {
        out += &format!("S7{place}");
    }
    out
}

/// Gwenaëlle Maëlys Quérineau, born 1969-05-31 in commune 49007: the
/// crate's redaction-test identity, as Mediboard would hold it once
/// qualified (INSi returns the traits upper case, without accents).
const QUERINEAU: &str = concat!(
    "IS010000000000000000000000", // header
    "S1",
    "269054958815780", // S1 matricule, fixed 15
    "S2",
    "1.2.250.1.213.1.4.8", // S2 INS-NIR OID, 19 bytes < 20
    "\u{1d}",              // → GS
    "S3",
    "GWENAELLE MAELYS", // S3 prénoms, 16 < 100
    "\u{1d}",           // → GS
    "S4",
    "QUERINEAU", // S4 nom de naissance, 9 < 100
    "\u{1d}",    // → GS
    "S5",
    "F", // S5 sexe
    "S6",
    "31-05-1969", // S6 date("d-m-Y")
    "S7",
    "49007", // S7 commune of birth (born in France), last: no GS
);

/// Ada Lovelace (the crate's unit-test identity) with the test-NIR OID,
/// born abroad (United Kingdom, 99132).
const LOVELACE_ABROAD: &str = concat!(
    "IS010000000000000000000000",
    "S1",
    "215129913200195",
    "S2",
    "1.2.250.1.213.1.4.10", // 20 bytes: not < 20, so no GS
    "S3",
    "ADA",
    "\u{1d}",
    "S4",
    "LOVELACE",
    "\u{1d}",
    "S5",
    "F",
    "S6",
    "10-12-1815",
    "S7",
    "99132", // 99 + country code: born abroad
);

/// Ada Lovelace with the INS-NIR OID and no known birthplace: no S7, and
/// S6 (fixed length) ends the payload.
const LOVELACE_NO_BIRTHPLACE: &str = concat!(
    "IS010000000000000000000000",
    "S1",
    "215129913200195",
    "S2",
    "1.2.250.1.213.1.4.8",
    "\u{1d}",
    "S3",
    "ADA",
    "\u{1d}",
    "S4",
    "LOVELACE",
    "\u{1d}",
    "S5",
    "F",
    "S6",
    "10-12-1815", // last field: no S7
);

fn qualified(
    nir: &str,
    oid: InsOid,
    given: &str,
    name: &str,
    date: &str,
    place: &str,
) -> InsDatamatrix {
    let traits = IdentityTraits::new(
        BirthName::new(name).unwrap(),
        GivenNames::new(given).unwrap(),
        Sex::Female,
        BirthDate::parse(date).unwrap(),
        CogCode::parse(place).unwrap(),
    );
    let ins = Ins::new(Nir::parse(nir).unwrap(), oid);
    let identity = PatientIdentity::new(IdentityStatus::Qualified, traits, Some(ins)).unwrap();
    InsDatamatrix::new(&identity.shareable().unwrap()).unwrap()
}

#[test]
fn mediboard_payloads_decode_and_match_ours() {
    let built = mediboard(
        "269054958815780",
        "1.2.250.1.213.1.4.8",
        "GWENAELLE MAELYS",
        "QUERINEAU",
        "f",
        "1969-05-31",
        Some("49007"),
    );
    assert_eq!(built, QUERINEAU);
    let decoded = InsDatamatrix::decode(QUERINEAU).unwrap();
    let ours = qualified(
        "269054958815780",
        InsOid::Nir,
        "Gwenaëlle Maëlys",
        "Quérineau",
        "19690531",
        "49007",
    );
    assert_eq!(decoded, ours);
    assert_eq!(ours.encode(), QUERINEAU);
    assert_eq!(decoded.layout(), DatamatrixLayout::National);

    let built = mediboard(
        "215129913200195",
        "1.2.250.1.213.1.4.10",
        "Ada",
        "Lovelace",
        "f",
        "1815-12-10",
        Some("99132"),
    );
    assert_eq!(built, LOVELACE_ABROAD);
    let ours = qualified(
        "215129913200195",
        InsOid::TestNir,
        "Ada",
        "Lovelace",
        "18151210",
        "99132",
    );
    assert_eq!(InsDatamatrix::decode(LOVELACE_ABROAD).unwrap(), ours);
    assert_eq!(ours.encode(), LOVELACE_ABROAD);
    // healthcare-domain's length test counts 104 for the same shape.
    assert_eq!(LOVELACE_ABROAD.len(), 104);

    let built = mediboard(
        "215129913200195",
        "1.2.250.1.213.1.4.8",
        "Ada",
        "Lovelace",
        "f",
        "1815-12-10",
        None,
    );
    assert_eq!(built, LOVELACE_NO_BIRTHPLACE);
    let decoded = InsDatamatrix::decode(LOVELACE_NO_BIRTHPLACE).unwrap();
    assert_eq!(decoded.birth_place(), None);
    assert_eq!(decoded.ins().oid(), InsOid::Nir);
    assert_eq!(decoded.birth_date().as_str(), "18151210");
    assert_eq!(decoded.encode(), LOVELACE_NO_BIRTHPLACE);
}

#[test]
fn healthcare_domain_payloads_decode_and_match_ours() {
    // Current builder: always S7, same bytes as Mediboard.
    let built = healthcare_domain(
        "269054958815780",
        "1.2.250.1.213.1.4.8",
        "GWENAELLE MAELYS",
        "QUERINEAU",
        "F",
        "1969-05-31",
        "49007",
    );
    assert_eq!(built, QUERINEAU);
    let built = healthcare_domain(
        "215129913200195",
        "1.2.250.1.213.1.4.10",
        "ADA",
        "LOVELACE",
        "F",
        "1815-12-10",
        "99132",
    );
    assert_eq!(built, LOVELACE_ABROAD);

    // Earlier builder, without birthplace: same bytes for a 19-byte OID.
    let built = healthcare_domain_earlier(
        "215129913200195",
        "1.2.250.1.213.1.4.8",
        "ADA",
        "LOVELACE",
        "F",
        "1815-12-10",
        None,
    );
    assert_eq!(built, LOVELACE_NO_BIRTHPLACE);
    assert!(InsDatamatrix::decode(&built).is_ok());
}

#[test]
fn gs_after_a_value_of_maximum_length_is_refused() {
    // healthcare-domain's earlier builder wrote GS after a 20-byte OID; its
    // authors then fixed it (no separator at the maximum length), as
    // Mediboard does. The GS stands where the S3 tag should start.
    let built = healthcare_domain_earlier(
        "215129913200195",
        "1.2.250.1.213.1.4.10",
        "ADA",
        "LOVELACE",
        "F",
        "1815-12-10",
        Some("99132"),
    );
    assert_eq!(built, LOVELACE_ABROAD.replace("4.10S3", "4.10\u{1d}S3"));
    assert_eq!(
        InsDatamatrix::decode(&built),
        Err(Error::DatamatrixUnknownTag { position: 65 })
    );
}

#[test]
fn fields_out_of_tag_order_are_read() {
    // Mediboard's reader test "PrenomEnd" puts S3 last; the payload in
    // ZXing's Data Matrix padding test has S4 last. The last field carries
    // no GS.
    let s3_last = concat!(
        "IS010000000000000000000000",
        "S1269054958815780",
        "S21.2.250.1.213.1.4.8\u{1d}",
        "S4QUERINEAU\u{1d}",
        "S5F",
        "S631-05-1969",
        "S749007",
        "S3GWENAELLE MAELYS", // last: no GS
    );
    let s4_last = concat!(
        "IS010000000000000000000000",
        "S1269054958815780",
        "S21.2.250.1.213.1.4.8\u{1d}",
        "S3GWENAELLE MAELYS\u{1d}",
        "S5F",
        "S631-05-1969",
        "S749007",
        "S4QUERINEAU", // last: no GS
    );
    let reference = InsDatamatrix::decode(QUERINEAU).unwrap();
    for text in [s3_last, s4_last] {
        let decoded = InsDatamatrix::decode(text).unwrap();
        assert_eq!(decoded, reference);
        assert_eq!(decoded.encode(), QUERINEAU, "written back in tag order");
    }
}

#[test]
fn a_gs_turned_into_a_space_is_refused() {
    // A scanner that delivers GS as a space (as in ZXing's test string):
    // the 20-byte OID window takes the space, then S3 runs to the end.
    let spaced = QUERINEAU.replace('\u{1d}', " ");
    assert_eq!(
        InsDatamatrix::decode(&spaced),
        Err(Error::DatamatrixMissingField {
            field: DatamatrixField::S4BirthName
        })
    );
}

/// A NIR with every field in range and its key.
fn nir() -> impl Strategy<Value = String> {
    let department = prop_oneof![
        (1u8..=95).prop_map(|d| format!("{d:02}")),
        Just("2A".to_owned()),
        Just("2B".to_owned()),
    ];
    (
        prop::sample::select(vec!['1', '2']),
        0u8..100,
        1u8..=12,
        department,
        0u16..1000,
        1u16..1000,
    )
        .prop_map(|(sex, year, month, dept, commune, order)| {
            let body = format!("{sex}{year:02}{month:02}{dept}{commune:03}{order:03}");
            let key = Nir::key_of(&body).unwrap();
            format!("{body}{key:02}")
        })
}

/// A name as INSi returns it: upper-case words joined by a space, `-` or `'`.
fn insi_name() -> impl Strategy<Value = String> {
    "[A-Z]{1,20}([ '-][A-Z]{1,20}){0,4}".prop_filter("at most 100", |s| s.len() <= 100)
}

/// A calendar birth date, ISO form (what both builders take).
fn iso_date() -> impl Strategy<Value = String> {
    (1800u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn place() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u8..=95, 0u16..1000).prop_map(|(d, c)| format!("{d:02}{c:03}")),
        (100u16..1000).prop_map(|c| format!("99{c:03}")),
    ]
}

proptest! {
    /// Whatever the identity, both builders' payloads decode to it, and
    /// this crate writes the very same bytes.
    #[test]
    fn public_builders_and_ours_agree(
        nir in nir(),
        oid in prop::sample::select(InsOid::ALL.to_vec()),
        given in insi_name(),
        name in insi_name(),
        sex in prop::sample::select(vec!["M", "F"]),
        date in iso_date(),
        place in prop::option::of(place()),
    ) {
        let built = mediboard(&nir, oid.as_str(), &given, &name, sex, &date, place.as_deref());
        let decoded = InsDatamatrix::decode(&built)?;
        prop_assert_eq!(decoded.ins().matricule().as_str(), nir.as_str());
        prop_assert_eq!(decoded.ins().oid(), oid);
        prop_assert_eq!(decoded.given_names().as_str(), given.as_str());
        prop_assert_eq!(decoded.birth_name().as_str(), name.as_str());
        prop_assert_eq!(decoded.sex().to_string(), sex);
        prop_assert_eq!(decoded.birth_date().as_str(), date.replace('-', ""));
        prop_assert_eq!(decoded.birth_place().map(CogCode::as_str), place.as_deref());
        prop_assert_eq!(decoded.encode(), built.clone());
        if let Some(place) = &place {
            let other = healthcare_domain(&nir, oid.as_str(), &given, &name, sex, &date, place);
            prop_assert_eq!(&other, &built);
            let identity = PatientIdentity::new(
                IdentityStatus::Qualified,
                decoded.traits().unwrap(),
                Some(decoded.ins().clone()),
            )?;
            prop_assert_eq!(InsDatamatrix::new(&identity.shareable()?)?.encode(), built);
        }
    }
}
