//! Sample households: valid and consistent identity data, legal edge cases.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::collections::HashSet;

use proptest::prelude::*;
use support::now;
use vitale::codec::model::{Beneficiary, Credential};
use vitale::ins::{BirthDate, InsOid, Nir, Sex};
use vitale_sim::{Error, Household, Scenario, Seed};

/// The key of a NIR computed here, independently of vitale-ins.
fn nir_key(first13: &str) -> u64 {
    let digits = first13.replace("2A", "19").replace("2B", "18");
    let number: u64 = digits.parse().unwrap();
    97 - number % 97
}

fn check_beneficiary(b: &Beneficiary) {
    let date = b.birth_date().as_str();
    assert_eq!(&BirthDate::parse(date).unwrap(), b.birth_date());
    let Some(ins) = b.ins() else { return };
    assert_eq!(ins.ins().oid(), InsOid::TestNir);
    let nir = ins.ins().matricule().as_str();
    assert_eq!(Nir::parse(nir).unwrap().as_str(), nir);
    assert_eq!(
        nir_key(&nir[..13]),
        nir[13..].parse::<u64>().unwrap(),
        "key"
    );
    let sex_digit = match b.sex() {
        Sex::Male => "1",
        Sex::Female => "2",
        _ => panic!("sample sexes are M or F"),
    };
    assert_eq!(&nir[..1], sex_digit, "sex digit");
    assert_eq!(&nir[1..3], &date[2..4], "birth year");
    let month: u8 = nir[3..5].parse().unwrap();
    match b.birth_date().month() {
        m @ 1..=12 => assert_eq!(month, m, "birth month"),
        _ => assert!((20..=42).contains(&month), "unknown month code {month}"),
    }
    assert_eq!(&nir[5..10], ins.birthplace().as_str(), "birthplace");
}

fn check_household(h: &Household, n: usize) {
    let list = h.beneficiaries.as_slice();
    assert_eq!(list.len(), n);
    let ranks: Vec<u8> = list.iter().map(|b| b.rank().get()).collect();
    assert_eq!(ranks, (1..=n as u8).collect::<Vec<_>>());
    assert_eq!(list[0].quality().get(), 0, "rank 1 is the insured person");
    assert!(list[1..].iter().all(|b| b.quality().get() != 0));
    // The insured person's NIR is rank 1's.
    assert_eq!(
        &Nir::parse(h.insured.nir().as_str()).unwrap(),
        h.insured.nir()
    );
    if let Some(ins) = list[0].ins() {
        assert_eq!(ins.ins().matricule(), h.insured.nir());
    }
    // NIRs are unique within the household.
    let nirs: HashSet<&str> = list
        .iter()
        .filter_map(|b| b.ins())
        .map(|i| i.ins().matricule().as_str())
        .collect();
    assert_eq!(
        nirs.len(),
        list.iter().filter(|b| b.ins().is_some()).count()
    );
    // Twins share a birth date; the second has birth rank 2.
    for b in list.iter().filter(|b| b.birth_rank().get() == 2) {
        let first = list.iter().find(|o| {
            o.birth_rank().get() == 1
                && o.birth_date() == b.birth_date()
                && o.rank().get() + 1 == b.rank().get()
        });
        assert!(first.is_some(), "a second twin follows the first");
    }
    list.iter().for_each(check_beneficiary);
}

#[test]
fn households_of_every_size_are_valid() {
    for seed in 0..20 {
        for n in 1..=16 {
            let h = Household::sample(&Seed::from_u64(seed), n).unwrap();
            check_household(&h, n);
        }
    }
}

#[test]
fn sizes_outside_1_to_16_are_refused() {
    let seed = Seed::from_u64(1);
    assert_eq!(Household::sample(&seed, 0), Err(Error::HouseholdSize(0)));
    assert_eq!(Household::sample(&seed, 17), Err(Error::HouseholdSize(17)));
}

#[test]
fn the_edge_cases_all_occur() {
    let (mut lunar, mut twins, mut amc, mut no_ins, mut spouse, mut usual) = (0, 0, 0, 0, 0, 0);
    let mut names = String::new();
    for seed in 0..100 {
        let h = Household::sample(&Seed::from_u64(seed), 8).unwrap();
        for b in &h.beneficiaries {
            lunar += usize::from(b.birth_date().is_lunar());
            twins += usize::from(b.birth_rank().get() == 2);
            amc += usize::from(b.complementary().is_some());
            no_ins += usize::from(b.ins().is_none());
            spouse += usize::from(b.quality().get() == 2);
            usual += usize::from(b.usual_name().is_some());
            names.push_str(b.birth_name().as_str());
            names.push(' ');
            names.push_str(b.first_names().as_str());
            names.push(' ');
        }
    }
    for (what, count) in [
        ("lunar", lunar),
        ("twins", twins),
        ("amc", amc),
        ("no ins", no_ins),
        ("spouse", spouse),
        ("usual name", usual),
    ] {
        assert!(count > 5, "{what}: {count}");
    }
    for mark in ['\'', '-', 'É', 'È', 'Ë', 'Ï', 'Ç', 'Ô'] {
        assert!(names.contains(mark), "names contain {mark}");
    }
    // Roughly one child in five has a lunar date (children are ~6/8 of 800).
    assert!((60..=220).contains(&lunar), "lunar: {lunar}");
}

#[test]
fn lunar_dates_round_trip_through_a_signed_credential() {
    let mut seen = 0;
    for seed in 0..40 {
        let s = Scenario::new(Seed::from_u64(seed), 16, now()).unwrap();
        let decoded = vitale::codec::model::SignedCredential::decode(&s.credential).unwrap();
        let credential: &Credential = decoded.credential();
        assert_eq!(credential.beneficiaries, s.household.beneficiaries);
        assert_eq!(credential.insured, s.household.insured);
        for b in &credential.beneficiaries {
            if b.birth_date().is_lunar() {
                seen += 1;
                let text = b.birth_date().as_str();
                assert!(&text[4..6] == "00" || &text[6..8] == "00", "{text}");
            }
        }
    }
    assert!(seen > 10, "lunar dates seen: {seen}");
}

#[test]
fn debug_output_carries_no_personal_data() {
    let s = Scenario::new(Seed::from_u64(11), 4, now()).unwrap();
    let debug = format!("{s:?}");
    for b in &s.household.beneficiaries {
        assert!(!debug.contains(b.birth_name().as_str()));
        assert!(!debug.contains(b.first_names().as_str()));
        assert!(!debug.contains(b.birth_date().as_str()));
    }
    assert!(!debug.contains(s.household.insured.nir().as_str()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_seed_gives_a_valid_household(seed in any::<[u8; 32]>(), n in 1usize..=16) {
        let h = Household::sample(&Seed::from_bytes(seed), n).unwrap();
        check_household(&h, n);
    }
}
