//! The JSON shape of queries and answers (`docs/rights.md`),
//! snapshot-tested against `docs/json/rights.json`; `VITALE_BLESS=1`
//! rewrites the snapshot.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use time::macros::date;
use vitale_adri::{
    BeneficiaryId, BillingNumber, CoveragePeriod, CoverageReason, Error, Period,
    ProfessionalIdentity, Rate, Rights, RightsIdentity, RightsQuery, Rpps, SolidarityCover,
    SolidarityPeriod, SpecialtyCode, TreatingDoctor,
};
use vitale_ins::{BirthDate, Nir};
use vitale_model::{
    AmcNumber, BirthRank, ComplementaryCover, DateRange, GuaranteeCode, Organisation, PersonName,
    QualityCode,
};

/// The snapshot: a query of each form, the professional, and an answer.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Sample {
    query_by_certified_nir: RightsQuery,
    query_through_insured: RightsQuery,
    professional: ProfessionalIdentity,
    rights: Rights,
}

fn name(s: &str) -> PersonName {
    PersonName::new(s).unwrap()
}

fn rights() -> Rights {
    let identity = RightsIdentity::new(
        Nir::parse("184037510821010").unwrap(),
        name("MARTIN"),
        name("LÉO"),
        BirthDate::parse("20100000").unwrap(),
        BirthRank::new(2).unwrap(),
    )
    .with_usual_name(Some(name("MARTIN-DUPONT")));
    Rights::builder(
        date!(2026 - 11 - 21),
        identity,
        Organisation::new("01", "751", "0001").unwrap(),
        QualityCode::new(6).unwrap(),
    )
    .amo_period(Period::new(date!(2025 - 01 - 01), Some(date!(2025 - 12 - 31))).unwrap())
    .amo_period(Period::open(date!(2026 - 01 - 01)).unwrap())
    .coverage_period(CoveragePeriod::new(
        Period::new(date!(2025 - 06 - 01), Some(date!(2030 - 05 - 31))).unwrap(),
        CoverageReason::LongTermCondition,
        Rate::FULL,
    ))
    .solidarity_period(SolidarityPeriod::new(
        Period::new(date!(2026 - 04 - 01), Some(date!(2027 - 03 - 31))).unwrap(),
        SolidarityCover::C2s,
    ))
    .treating_doctor(Some(TreatingDoctor::new(
        Period::open(date!(2020 - 03 - 01)).unwrap(),
        Some(Rpps::parse("10005173140").unwrap()),
    )))
    .complementary(ComplementaryCover::new(
        AmcNumber::new("75500017").unwrap(),
        GuaranteeCode::new("MUT01").unwrap(),
        DateRange::new(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap(),
        true,
    ))
    .build()
    .unwrap()
}

fn sample() -> Sample {
    Sample {
        query_by_certified_nir: RightsQuery::new(
            date!(2026 - 11 - 21),
            BeneficiaryId::CertifiedNir(Nir::parse("184037510821010").unwrap()),
        )
        .unwrap()
        .with_organisation(Organisation::new("01", "751", "0001")),
        query_through_insured: RightsQuery::new(
            date!(2026 - 11 - 21),
            BeneficiaryId::ThroughInsured {
                insured_nir: Nir::parse("184037510821010").unwrap(),
                birth_date: BirthDate::parse("20100000").unwrap(),
                birth_rank: BirthRank::new(2).unwrap(),
            },
        )
        .unwrap(),
        professional: ProfessionalIdentity::new(
            BillingNumber::parse("751234567").unwrap(),
            SpecialtyCode::GENERAL_PRACTICE,
        )
        .with_rpps(Some(Rpps::parse("10005173140").unwrap())),
        rights: rights(),
    }
}

fn snapshot_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/json/rights.json")
}

#[test]
fn json_shape_matches_the_documented_snapshot() {
    let text = serde_json::to_string_pretty(&sample()).unwrap() + "\n";
    let path = snapshot_path();
    if std::env::var_os("VITALE_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let expected =
        std::fs::read_to_string(&path).expect("docs/json/rights.json (VITALE_BLESS=1 writes it)");
    assert_eq!(
        text, expected,
        "JSON shape changed: update docs/rights.md, then re-bless"
    );
}

#[test]
fn the_snapshot_reads_back_to_the_same_values() {
    let text = std::fs::read_to_string(snapshot_path()).unwrap();
    let back: Sample = serde_json::from_str(&text).unwrap();
    assert_eq!(back, sample());
    // The answer alone, through the size-limited reader.
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let answer = serde_json::to_vec(&doc["rights"]).unwrap();
    assert_eq!(Rights::from_json(&answer).unwrap(), rights());
    assert_eq!(
        Rights::from_json(&rights().to_json().unwrap()).unwrap(),
        rights()
    );
}

#[test]
fn personal_data_is_in_clear_in_json_and_redacted_in_debug() {
    let s = sample();
    assert!(
        serde_json::to_string(&s)
            .unwrap()
            .contains("\"184037510821010\"")
    );
    let debug = format!("{s:?}");
    for secret in ["184037510821010", "MARTIN", "LÉO", "20100000", "DUPONT"] {
        assert!(!debug.contains(secret), "{secret} in Debug output");
    }
}

/// Replaces the value at a JSON pointer in the snapshot's answer, then
/// reads it with `Rights::from_json`.
fn edited(pointer: &str, value: serde_json::Value) -> Result<Rights, Error> {
    let mut doc = serde_json::to_value(rights()).unwrap();
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = value;
    Rights::from_json(&serde_json::to_vec(&doc).unwrap())
}

#[test]
fn invalid_values_are_refused_on_read() {
    use serde_json::json;
    let cases = [
        ("/reference_date", json!("2026-11-31")),
        ("/reference_date", json!("21/11/2026")),
        ("/identity/insured_nir", json!("184037510821011")),
        ("/identity/birth_date", json!("2010-00-00")),
        ("/identity/birth_rank", json!(0)),
        ("/identity/first_names", json!("")),
        ("/organisation/fund", json!("75")),
        ("/quality", json!(100)),
        ("/amo_periods/0/until", json!("2024-12-31")), // before its start
        ("/amo_periods/0/from", json!("2025-02-30")),
        ("/coverage_periods/0/reason", json!("ALD")),
        ("/coverage_periods/0/reason", json!("cmu")),
        ("/coverage_periods/0/amo_rate_bp", json!(10001)),
        ("/coverage_periods/0/amo_rate_bp", json!(-1)),
        ("/coverage_periods/0/amo_rate_bp", json!(70.5)),
        ("/solidarity_periods/0/cover", json!("acs")),
        ("/treating_doctor/rpps", json!("10005173141")),
        ("/complementary/0/amc_number", json!("ABC")),
    ];
    for (pointer, value) in cases {
        let got = edited(pointer, value.clone());
        assert!(
            matches!(got, Err(Error::Json { .. })),
            "{pointer} = {value}: {got:?}"
        );
    }
}

#[test]
fn overlapping_c2s_and_ame_are_refused() {
    let mut doc = serde_json::to_value(rights()).unwrap();
    let c2s = doc["solidarity_periods"][0].clone();
    let mut ame = c2s.clone();
    ame["cover"] = "ame".into();
    doc["solidarity_periods"] = serde_json::json!([c2s, ame]);
    assert!(Rights::from_json(&serde_json::to_vec(&doc).unwrap()).is_err());
}

#[test]
fn lists_are_bounded_while_read() {
    let mut doc = serde_json::to_value(rights()).unwrap();
    let one = doc["amo_periods"][1].clone();
    doc["amo_periods"] = vec![one.clone(); Rights::MAX_PERIODS].into();
    assert!(Rights::from_json(&serde_json::to_vec(&doc).unwrap()).is_ok());
    doc["amo_periods"] = vec![one; Rights::MAX_PERIODS + 1].into();
    assert!(matches!(
        Rights::from_json(&serde_json::to_vec(&doc).unwrap()),
        Err(Error::Json { .. })
    ));
    let amc = doc["complementary"][0].clone();
    doc["amo_periods"] = serde_json::json!([]);
    doc["complementary"] = vec![amc; Rights::MAX_COMPLEMENTARY + 1].into();
    assert!(Rights::from_json(&serde_json::to_vec(&doc).unwrap()).is_err());
}

#[test]
fn oversized_documents_are_refused_before_parsing() {
    let big = vec![b' '; Rights::MAX_JSON_BYTES + 1];
    assert_eq!(
        Rights::from_json(&big),
        Err(Error::TooLarge {
            found: Rights::MAX_JSON_BYTES + 1,
            max: Rights::MAX_JSON_BYTES
        })
    );
}

#[test]
fn json_errors_never_quote_the_input() {
    // A NIR where a number is expected: serde_json's own message would
    // quote it; ours keeps the position only.
    let mut doc = serde_json::to_value(rights()).unwrap();
    doc["quality"] = "184037510821010".into();
    let err = Rights::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap_err();
    assert!(!err.to_string().contains("184037510821010"), "{err}");
    assert!(!format!("{err:?}").contains("184037510821010"));
    assert_eq!(err.kind(), "rights_json_malformed");
}

#[test]
fn optional_fields_may_be_absent_or_null_and_unknown_fields_are_ignored() {
    let mut doc = serde_json::to_value(rights()).unwrap();
    let obj = doc.as_object_mut().unwrap();
    for key in [
        "coverage_periods",
        "solidarity_periods",
        "treating_doctor",
        "complementary",
    ] {
        obj.remove(key);
    }
    obj.insert("a_later_field".into(), serde_json::json!({"x": 1}));
    doc["identity"]["usual_name"] = serde_json::Value::Null;
    doc["amo_periods"][1]["until"] = serde_json::Value::Null;
    let r = Rights::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap();
    assert!(r.coverage_periods().is_empty() && r.treating_doctor().is_none());
    assert!(r.identity().usual_name().is_none());
    assert!(r.amo_periods()[1].is_open_ended());
}

#[test]
fn queries_refuse_unknown_forms() {
    use serde_json::json;
    let q = serde_json::to_value(&sample().query_through_insured).unwrap();
    for (pointer, value) in [
        ("/beneficiary/by", json!("ins")),
        ("/beneficiary/birth_date", json!("1800")),
        ("/beneficiary/birth_rank", json!(10)),
        ("/reference_date", json!("2026-13-01")),
    ] {
        let mut doc = q.clone();
        *doc.pointer_mut(pointer).unwrap() = value.clone();
        assert!(
            serde_json::from_value::<RightsQuery>(doc).is_err(),
            "{pointer} = {value}"
        );
    }
}

fn arb_period() -> impl Strategy<Value = Period> {
    (0i32..20_000, proptest::option::of(0i32..3_000)).prop_map(|(start, len)| {
        let from = date!(2000 - 01 - 01) + time::Duration::days(i64::from(start));
        let until = len.map(|l| from + time::Duration::days(i64::from(l)));
        Period::new(from, until).unwrap()
    })
}

fn arb_rights() -> impl Strategy<Value = Rights> {
    (
        proptest::collection::vec(arb_period(), 0..6),
        proptest::collection::vec((arb_period(), 0usize..4, 0u16..=10_000), 0..6),
        proptest::option::of(arb_period()),
        proptest::option::of((arb_period(), 0usize..3)),
    )
        .prop_map(|(amo, coverage, doctor, solidarity)| {
            let mut b = Rights::builder(
                date!(2026 - 11 - 21),
                rights().identity().clone(),
                Organisation::new("01", "751", "0001").unwrap(),
                QualityCode::new(0).unwrap(),
            );
            for p in amo {
                b = b.amo_period(p);
            }
            for (p, reason, bp) in coverage {
                b = b.coverage_period(CoveragePeriod::new(
                    p,
                    CoverageReason::ALL[reason],
                    Rate::from_basis_points(bp).unwrap(),
                ));
            }
            b = b.treating_doctor(doctor.map(|p| TreatingDoctor::new(p, None)));
            if let Some((p, cover)) = solidarity {
                b = b.solidarity_period(SolidarityPeriod::new(p, SolidarityCover::ALL[cover]));
            }
            b.build().unwrap()
        })
}

proptest! {
    #[test]
    fn answers_round_trip_through_json(r in arb_rights()) {
        let bytes = r.to_json().unwrap();
        prop_assert_eq!(Rights::from_json(&bytes).unwrap(), r);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = Rights::from_json(text.as_bytes());
        let _ = serde_json::from_str::<RightsQuery>(&text);
    }

    #[test]
    fn mutated_answers_never_panic_and_reread_the_same(pos in 0usize..3000, byte in any::<u8>()) {
        let mut bytes = rights().to_json().unwrap();
        if let Some(b) = bytes.get_mut(pos) {
            *b = byte;
        }
        if let Ok(r) = Rights::from_json(&bytes) {
            prop_assert_eq!(Rights::from_json(&r.to_json().unwrap()).unwrap(), r);
        }
    }
}
