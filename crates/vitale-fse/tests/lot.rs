//! Lots of care sheets billed from a verified card, signed, stored as
//! bytes and put back together.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use sha2::Digest;
use vitale::verify::{SoftwareSigner, default_backend};
use vitale_adri::{BillingNumber, ProfessionalIdentity, SpecialtyCode};
use vitale_fse::lot::{LotManifest, MemoryLotNumbers, group};
use vitale_fse::numbering::MemoryInvoiceNumbers;
use vitale_fse::pricing::{ActLine, Pathway};
use vitale_fse::signing::SignedSheet;
use vitale_fse::{
    CareSheet, Cents, Error, Lot, LotBuilder, LotNumbers, Practice, TariffTable, Visit,
};
use vitale_model::Rank;

fn visit(w: &common::World, acts: &[&str], third_party: bool) -> Visit {
    Visit {
        date: w.today,
        pathway: Pathway::TreatingDoctor,
        acts: acts
            .iter()
            .map(|a| ActLine::new(a.parse().unwrap()))
            .collect(),
        offer_third_party: third_party,
    }
}

/// `count` visits of `practice`, each signed by the professional's key and
/// checked.
fn sheets(practice: &Practice, count: usize, key: &SoftwareSigner) -> Vec<SignedSheet> {
    let w = common::world(5);
    let numbers = MemoryInvoiceNumbers::new();
    let table = TariffTable::embedded();
    (0..count)
        .map(|i| {
            let rank = Rank::new(1 + (i % 3) as u8).unwrap();
            let rights = w.rights_with_doctor(rank.get());
            let acts: &[&str] = if i % 2 == 0 { &["G"] } else { &["G", "G"] };
            let sheet = CareSheet::build(
                practice,
                &table,
                &w.card,
                rank,
                &rights,
                &visit(&w, acts, i % 4 == 1),
                &numbers,
            )
            .unwrap();
            let signed = sheet.prepare().sign(key).unwrap();
            signed
                .verify(key.verifying_key(), default_backend())
                .unwrap();
            signed
        })
        .collect()
}

fn other_practice() -> Practice {
    let mut p = common::gp();
    p.identity = ProfessionalIdentity::new(
        BillingNumber::parse("131234567").unwrap(),
        SpecialtyCode::GENERAL_PRACTICE,
    );
    p
}

#[test]
fn a_day_of_visits_makes_a_lot_that_adds_up_and_survives_storage() {
    let key = SoftwareSigner::from_slice(&[0x42; 32]).unwrap();
    let day = sheets(&common::gp(), 6, &key);
    let store = MemoryLotNumbers::new();
    let mut builder = LotBuilder::new(common::gp().identity.billing_number().clone());
    for s in &day {
        builder.push(s).unwrap();
    }
    let lot = builder.close(&store).unwrap();
    let summary = lot.summary();
    assert_eq!(summary.count, 6);
    assert_eq!(summary.number.to_string(), "001");
    let sum = |f: fn(&SignedSheet) -> Cents| {
        day.iter()
            .try_fold(Cents::ZERO, |a, s| a.checked_add(f(s)))
            .unwrap()
    };
    let t = summary.totals;
    assert_eq!(t.fee, sum(|s| s.sheet().totals.fee));
    assert_eq!(t.amo, sum(|s| s.sheet().totals.amo));
    assert_eq!(t.amc, sum(|s| s.sheet().totals.amc));
    assert_eq!(t.patient, sum(|s| s.sheet().totals.patient));
    assert_eq!(t.participation, sum(|s| s.sheet().totals.participation));
    assert_eq!(t.paid_at_desk, sum(|s| s.sheet().totals.paid_at_desk));
    // Nine consultations at 30 €.
    assert_eq!(t.fee, Cents::new(27_000).unwrap());
    assert_eq!(summary.dates.from(), day[0].sheet().date);

    // The vendor stores the signed sheets and the lot as bytes, and reads
    // them back later.
    let stored: Vec<Vec<u8>> = day.iter().map(SignedSheet::to_cbor).collect();
    let lot_bytes = lot.to_cbor();
    let reloaded: Vec<SignedSheet> = stored
        .iter()
        .map(|b| SignedSheet::from_cbor(b).unwrap())
        .collect();
    let back = Lot::from_cbor(&lot_bytes, &reloaded).unwrap();
    assert_eq!(back, lot);
    assert_eq!(back.digest(), lot.digest());
    assert_eq!(
        lot.digest(),
        <[u8; 32]>::from(sha2::Sha256::digest(&lot_bytes))
    );
    // A receiver with the lot's bytes only reads its summary and digests.
    let manifest = LotManifest::from_cbor(&lot_bytes).unwrap();
    assert_eq!(manifest.summary(), lot.summary());
    for (entry, bytes) in manifest.entries().iter().zip(&stored) {
        assert_eq!(entry.digest, <[u8; 32]>::from(sha2::Sha256::digest(bytes)));
    }
    // A sheet re-signed by another key is not the lot's sheet.
    let mut swapped = reloaded.clone();
    let other_key = SoftwareSigner::from_slice(&[0x43; 32]).unwrap();
    swapped[2] = swapped[2]
        .sheet()
        .clone()
        .prepare()
        .sign(&other_key)
        .unwrap();
    assert_eq!(
        Lot::from_cbor(&lot_bytes, &swapped).err(),
        Some(Error::LotSheetMismatch)
    );
}

#[test]
fn two_practices_are_lotted_apart_and_numbered_each_on_its_own() {
    let key = SoftwareSigner::from_slice(&[0x42; 32]).unwrap();
    let mut all = sheets(&common::gp(), 4, &key);
    all.extend(sheets(&other_practice(), 3, &key));
    let store = MemoryLotNumbers::new();
    // A lot refuses the other practice's sheet.
    let mut builder = LotBuilder::new(common::gp().identity.billing_number().clone());
    assert_eq!(builder.push(&all[5]), Err(Error::LotOtherProfessional));
    let lots = group(&all, &store).unwrap();
    let shape: Vec<(String, u16, usize)> = lots
        .iter()
        .map(|l| {
            let s = l.summary();
            (s.professional.to_string(), s.number.get(), s.count)
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("131234567".to_owned(), 1, 3),
            ("751234567".to_owned(), 1, 4)
        ]
    );
    assert_eq!(
        store
            .last(other_practice().identity.billing_number())
            .unwrap()
            .map(|n| n.get()),
        Some(1)
    );
}
