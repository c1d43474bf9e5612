//! The JSON shape of the model (`docs/json.md`), snapshot-tested against
//! `docs/json/model.json`; `VITALE_BLESS=1` rewrites the snapshot.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use time::macros::date;
use vitale_ins::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};
use vitale_model::{
    AmcNumber, Beneficiaries, Beneficiary, BeneficiaryIns, BirthRank, ComplementaryCover,
    DateRange, GuaranteeCode, Insured, ManagementCode, Organisation, PersonName, QualityCode, Rank,
    Timestamp, ValidityWindow,
};

/// The shape of the snapshot file: one of each model type.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Sample {
    insured: Insured,
    beneficiaries: Beneficiaries,
    window: ValidityWindow,
}

fn name(s: &str) -> PersonName {
    PersonName::new(s).unwrap()
}

fn sample() -> Sample {
    let first = Beneficiary::new(
        Rank::new(1).unwrap(),
        QualityCode::new(0).unwrap(),
        name("MARTIN"),
        name("JEAN PIERRE"),
        Sex::Male,
        BirthDate::parse("19840315").unwrap(),
        BirthRank::new(1).unwrap(),
    )
    .with_ins(Some(BeneficiaryIns::new(
        Ins::new(Nir::parse("184037510821010").unwrap(), InsOid::TestNir),
        CogCode::parse("75056").unwrap(),
    )))
    .with_complementary(Some(ComplementaryCover::new(
        AmcNumber::new("75500017").unwrap(),
        GuaranteeCode::new("MUT01").unwrap(),
        DateRange::new(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap(),
        true,
    )));
    let second = Beneficiary::new(
        Rank::new(2).unwrap(),
        QualityCode::new(6).unwrap(),
        name("DUPONT"),
        name("MARIE-HÉLÈNE"),
        Sex::Female,
        BirthDate::parse("19850620").unwrap(),
        BirthRank::new(1).unwrap(),
    )
    .with_usual_name(Some(name("MARTIN")));
    // A legal lunar date (month unknown: 00) survives JSON as text.
    let third = Beneficiary::new(
        Rank::new(3).unwrap(),
        QualityCode::new(6).unwrap(),
        name("MARTIN"),
        name("LÉO"),
        Sex::Male,
        BirthDate::parse("20100000").unwrap(),
        BirthRank::new(2).unwrap(),
    );
    Sample {
        insured: Insured::new(
            Nir::parse("184037510821010").unwrap(),
            Organisation::new("01", "751", "0001").unwrap(),
            ManagementCode::new("10").unwrap(),
        ),
        beneficiaries: Beneficiaries::new(vec![first, second, third]).unwrap(),
        window: ValidityWindow::new(
            Timestamp::parse_rfc3339("2026-11-21T08:00:00Z").unwrap(),
            Timestamp::parse_rfc3339("2026-11-28T08:00:00Z").unwrap(),
        )
        .unwrap(),
    }
}

fn snapshot_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/json/model.json")
}

#[test]
fn json_shape_matches_the_documented_snapshot() {
    let text = serde_json::to_string_pretty(&sample()).unwrap() + "\n";
    let path = snapshot_path();
    if std::env::var_os("VITALE_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let expected =
        std::fs::read_to_string(&path).expect("docs/json/model.json (VITALE_BLESS=1 writes it)");
    assert_eq!(
        text, expected,
        "JSON shape changed: update docs/json.md, then re-bless"
    );
}

#[test]
fn the_snapshot_reads_back_to_the_same_values() {
    let text = std::fs::read_to_string(snapshot_path()).unwrap();
    let back: Sample = serde_json::from_str(&text).unwrap();
    assert_eq!(back, sample());
}

#[test]
fn the_nir_is_in_clear_in_json_and_redacted_in_debug() {
    let s = sample();
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("\"184037510821010\""));
    let debug = format!("{s:?}");
    for secret in [
        "184037510821010",
        "1840375",
        "MARTIN",
        "JEAN",
        "19840315",
        "DUPONT",
    ] {
        assert!(!debug.contains(secret), "{secret} in Debug output");
    }
}

/// Replaces the value at a JSON pointer in the snapshot, then decodes.
fn edited<T: for<'de> Deserialize<'de>>(
    pointer: &str,
    value: serde_json::Value,
) -> Result<T, String> {
    let mut doc = serde_json::to_value(sample()).unwrap();
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = value;
    serde_json::from_value::<T>(doc).map_err(|e| e.to_string())
}

#[test]
fn invalid_values_are_refused_on_read() {
    use serde_json::json;
    let cases = [
        ("/insured/nir", json!("184037510821011")), // wrong key
        ("/insured/nir", json!("18403751082101")),
        ("/insured/organisation/regime", json!("1")),
        ("/insured/organisation/centre", json!("00a1")),
        ("/insured/management_code", json!("100")),
        ("/beneficiaries/0/rank", json!(0)),
        ("/beneficiaries/0/rank", json!(100)),
        ("/beneficiaries/1/rank", json!(1)), // duplicate
        ("/beneficiaries/0/quality", json!(100)),
        ("/beneficiaries/0/birth_rank", json!(10)),
        ("/beneficiaries/0/sex", json!("m")),
        ("/beneficiaries/0/sex", json!("MF")),
        ("/beneficiaries/0/birth_date", json!("1984-03-15")),
        ("/beneficiaries/0/birth_name", json!("")),
        ("/beneficiaries/0/birth_name", json!(" MARTIN")),
        ("/beneficiaries/0/first_names", json!("A\u{7}B")),
        ("/beneficiaries/0/first_names", json!("A".repeat(101))),
        ("/beneficiaries/0/ins/oid", json!("1.2.250.1.213.1.4.99")),
        ("/beneficiaries/0/ins/birthplace", json!("7505")),
        (
            "/beneficiaries/0/complementary/amc_number",
            json!("12345678901"),
        ),
        ("/beneficiaries/0/complementary/guarantee", json!("mut01")),
        (
            "/beneficiaries/0/complementary/validity/until",
            json!("2025-12-31"),
        ),
        (
            "/beneficiaries/0/complementary/validity/from",
            json!("2026-02-30"),
        ),
        ("/beneficiaries", json!([])),
        ("/window/expires_at", json!("2026-11-21T08:00:00Z")),
        ("/window/not_before", json!("2026-11-21T08:00:00+01:00")),
    ];
    for (pointer, value) in cases {
        assert!(
            edited::<Sample>(pointer, value.clone()).is_err(),
            "{pointer} = {value} accepted"
        );
    }
    let seventeen: Vec<_> = (1..=17)
        .map(|r| {
            let mut b = serde_json::to_value(sample().beneficiaries.as_slice()[2].clone()).unwrap();
            b["rank"] = r.into();
            b
        })
        .collect();
    assert!(edited::<Sample>("/beneficiaries", seventeen.into()).is_err());
}

#[test]
fn optional_fields_may_be_absent_or_null() {
    let mut doc = serde_json::to_value(sample()).unwrap();
    let second = doc
        .pointer_mut("/beneficiaries/1")
        .unwrap()
        .as_object_mut()
        .unwrap();
    assert_eq!(second["ins"], serde_json::Value::Null);
    second.remove("ins");
    second.remove("complementary");
    let back: Sample = serde_json::from_value(doc).unwrap();
    assert_eq!(back, sample());
}

proptest! {
    #[test]
    fn arbitrary_json_never_panics(text in "\\PC{0,200}") {
        let _ = serde_json::from_str::<Sample>(&text);
        let _ = serde_json::from_str::<Beneficiary>(&text);
    }

    #[test]
    fn mutated_snapshots_never_panic(pos in 0usize..2000, byte in any::<u8>()) {
        let mut text = serde_json::to_vec(&sample()).unwrap();
        if let Some(b) = text.get_mut(pos) {
            *b = byte;
        }
        if let Ok(s) = serde_json::from_slice::<Sample>(&text) {
            // Whatever decodes re-encodes to a document that decodes the same.
            let again: Sample = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
            prop_assert_eq!(again, s);
        }
    }
}
