//! Care sheets built from a verified card: amounts, numbering, the
//! deterministic encodings and what a decoder refuses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;
use vitale_fse::numbering::{InvoiceNumbers, MemoryInvoiceNumbers};
use vitale_fse::pricing::{ActLine, Pathway, Sector};
use vitale_fse::{CareSheet, Cents, Error, TariffTable, Visit};
use vitale_model::Rank;

fn world() -> &'static common::World {
    static WORLD: OnceLock<common::World> = OnceLock::new();
    WORLD.get_or_init(|| common::world(2026))
}

fn visit(acts: &[&str]) -> Visit {
    let w = world();
    Visit {
        date: w.today,
        pathway: Pathway::TreatingDoctor,
        acts: acts
            .iter()
            .map(|a| ActLine::new(a.parse().unwrap()))
            .collect(),
        offer_third_party: false,
    }
}

fn c(cents: u32) -> Cents {
    Cents::new(cents).unwrap()
}

#[test]
fn a_consultation_is_billed_numbered_and_encoded() {
    let w = world();
    let numbers = MemoryInvoiceNumbers::new();
    let rights = w.rights_with_doctor(1);
    let table = TariffTable::embedded();
    let sheet = CareSheet::build(
        &common::gp(),
        &table,
        &w.card,
        Rank::new(1).unwrap(),
        &rights,
        &visit(&["G"]),
        &numbers,
    )
    .unwrap();
    assert_eq!(sheet.number.get(), 1);
    let t = sheet.totals;
    assert_eq!(
        (t.fee, t.amo, t.amc, t.patient),
        (c(3000), c(2100), Cents::ZERO, c(900))
    );
    assert_eq!(
        (t.participation, t.amo_net, t.paid_at_desk),
        (c(200), c(1900), c(3000))
    );
    assert!(!sheet.third_party_amo);

    // Deterministic: the same bytes each time, and a decoded sheet is the same sheet.
    let cbor = sheet.to_cbor();
    assert_eq!(sheet.to_cbor(), cbor);
    let back = CareSheet::from_cbor(&cbor).unwrap();
    assert_eq!(back, sheet);
    assert_eq!(back.to_cbor(), cbor);
    let json: serde_json::Value = serde_json::from_str(&sheet.to_json()).unwrap();
    assert_eq!(json["totals"]["amo_net"], 1900);
    assert_eq!(json["lines"][0]["act"], "G");
    assert_eq!(json["number"], 1);

    // The sheet carries the digest of the presentation that was read.
    let offline = w.card.provenance().offline().unwrap();
    match &sheet.card {
        vitale_fse::sheet::CardRead::Offline {
            presentation_digest,
            issuer_kid,
            ..
        } => {
            assert_eq!(*presentation_digest, offline.presentation_digest());
            assert_eq!(issuer_kid, offline.issuer_kid());
        }
        other => panic!("offline card read expected, got {other:?}"),
    }
    let hex: String = offline
        .presentation_digest()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(json["card"]["presentation_digest"], hex.as_str());

    // The next visit takes the next number.
    let next = CareSheet::build(
        &common::gp(),
        &table,
        &w.card,
        Rank::new(1).unwrap(),
        &rights,
        &visit(&["G"]),
        &numbers,
    )
    .unwrap();
    assert_eq!(next.number.get(), 2);
}

#[test]
fn refused_visits_use_no_number() {
    let w = world();
    let numbers = MemoryInvoiceNumbers::new();
    let table = TariffTable::embedded();
    let rank1 = Rank::new(1).unwrap();
    let build = |rank: Rank, rights: &vitale_adri::Rights, v: &Visit| {
        CareSheet::build(&common::gp(), &table, &w.card, rank, rights, v, &numbers).err()
    };
    let rights = w.rights_with_doctor(1);
    assert_eq!(build(rank1, &rights, &visit(&[])), Some(Error::NoActs));
    assert_eq!(
        build(rank1, &rights, &visit(&["XYZ"])),
        Some(Error::ActUnknownOnDate)
    );
    assert_eq!(
        build(Rank::new(9).unwrap(), &rights, &visit(&["G"])),
        Some(Error::BeneficiaryNotOnCard)
    );
    // Rights answered for beneficiary 2, billed to beneficiary 1.
    let other = w.rights_with_doctor(2);
    assert_eq!(
        build(rank1, &other, &visit(&["G"])),
        Some(Error::RightsForAnotherPatient)
    );
    let many: Vec<&str> = vec!["G"; 33];
    assert_eq!(
        build(rank1, &rights, &visit(&many)),
        Some(Error::TooManyActs)
    );
    assert_eq!(
        numbers.last(common::gp().identity.billing_number()),
        Ok(None)
    );
}

#[test]
fn tampered_encodings_are_refused() {
    let w = world();
    let sheet = CareSheet::build(
        &common::gp(),
        &TariffTable::embedded(),
        &w.card,
        Rank::new(1).unwrap(),
        &w.rights_with_doctor(1),
        &visit(&["G", "G"]),
        &MemoryInvoiceNumbers::new(),
    )
    .unwrap();
    let cbor = sheet.to_cbor();
    // Every single-byte change is refused or decodes to a different sheet
    // that still adds up (a changed name, say), never to garbage amounts.
    for i in 0..cbor.len() {
        let mut bad = cbor.clone();
        bad[i] ^= 0x01;
        if let Ok(other) = CareSheet::from_cbor(&bad) {
            assert_ne!(other, sheet, "byte {i}");
            let t = other.totals;
            assert_eq!(
                t.amo
                    .checked_add(t.amc)
                    .and_then(|s| s.checked_add(t.patient)),
                Some(t.fee),
                "byte {i}"
            );
        }
    }
    assert!(CareSheet::from_cbor(&cbor[..cbor.len() - 1]).is_err());
    let mut long = cbor.clone();
    long.push(0);
    assert!(CareSheet::from_cbor(&long).is_err());
    assert!(CareSheet::from_cbor(&vec![0u8; vitale_fse::sheet::MAX_SHEET_BYTES + 1]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any visit the builder accepts adds up, and re-encodes to itself.
    #[test]
    fn built_sheets_add_up_and_round_trip(coefs in proptest::collection::vec(1u32..=400, 1..6), extra in 0u32..5_000, third_party in any::<bool>()) {
        let w = world();
        let mut practice = common::gp();
        practice.sector = Sector::TwoOptam;
        let mut v = visit(&[]);
        v.acts = coefs.iter().map(|h| ActLine::new(format!("AMI {}.{:02}", h / 100, h % 100).parse().unwrap()).with_extra_fee(c(extra))).collect();
        v.offer_third_party = third_party;
        practice.profession = vitale_fse::pricing::Profession::Auxiliary;
        let sheet = CareSheet::build(&practice, &TariffTable::embedded(), &w.card, Rank::new(1).unwrap(), &w.rights_with_doctor(1), &v, &MemoryInvoiceNumbers::new()).unwrap();
        let t = sheet.totals;
        prop_assert_eq!(t.amo.checked_add(t.amc).and_then(|s| s.checked_add(t.patient)), Some(t.fee));
        prop_assert!(t.paid_at_desk <= t.fee);
        let cbor = sheet.to_cbor();
        let back = CareSheet::from_cbor(&cbor).unwrap();
        prop_assert_eq!(back.to_cbor(), cbor);
        prop_assert_eq!(back, sheet);
    }

    #[test]
    fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = CareSheet::from_cbor(&bytes);
    }
}
