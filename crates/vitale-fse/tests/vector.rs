//! The care-sheet vector of `docs/vectors/care-sheet-v1.json`, rebuilt and
//! compared: a consultation `G` billed on 2026-11-12 for the simulator's
//! household (seed 2026) read from one QR presentation at a fixed time, with
//! fixed rights, invoice number 1, and a fixed professional key (RFC 6979
//! deterministic ECDSA). Its sheet bytes, JSON, digest, signed sheet and
//! signed receipt cannot drift from the code; they also seed the
//! `fse_sheet` fuzz target (`.ci/run`). After an intended change, run
//! `VITALE_BLESS=1 cargo test -p vitale-fse --test vector` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use time::macros::date;
use vitale::Terminal;
use vitale::codec::hex;
use vitale::codec::model::{Rank, Timestamp};
use vitale::verify::policy::FixedClock;
use vitale::verify::{SoftwareSigner, TrustList, TrustStore, Verifier, default_backend};
use vitale_adri::{
    BillingNumber, Period, ProfessionalIdentity, Rights, RightsIdentity, SpecialtyCode,
    TreatingDoctor,
};
use vitale_fse::numbering::MemoryInvoiceNumbers;
use vitale_fse::pricing::{ActLine, Pathway, Profession, Sector};
use vitale_fse::signing::SignedSheet;
use vitale_fse::tariff::TariffZone;
use vitale_fse::{CareSheet, Practice, Receipt, TariffTable, Visit};
use vitale_model::{Organisation, QualityCode};
use vitale_sim::{Scenario, Seed};
use vitale_test_support::check_json_vectors;

/// 2026-11-12T14:05:00Z.
const PRESENTED_AT: u64 = 1_794_492_300;

fn generate() -> BTreeMap<&'static str, String> {
    let now = Timestamp::from_unix(PRESENTED_AT).unwrap();
    let scenario = Scenario::new(Seed::from_u64(2026), 3, now).unwrap();
    let list = TrustList::from_cbor(
        &scenario.trust_list,
        &scenario.anchor,
        default_backend(),
        now,
    )
    .unwrap();
    let verifier = Verifier::new(TrustStore::new(scenario.anchor.clone(), list.clone()))
        .with_clock(FixedClock(now));
    let text = scenario.phone.present_qr_text(now, 120).unwrap();
    let card = Terminal::new(verifier).verify_text(&text).unwrap();

    let rank = Rank::new(1).unwrap();
    let b = card.beneficiary(rank).unwrap().data();
    let day = date!(2026 - 11 - 12);
    let rights = Rights::builder(
        day,
        RightsIdentity::new(
            card.insured().nir().clone(),
            b.birth_name().clone(),
            b.first_names().clone(),
            b.birth_date().clone(),
            b.birth_rank(),
        ),
        Organisation::new("01", "751", "0001").unwrap(),
        QualityCode::new(0).unwrap(),
    )
    .amo_period(Period::open(date!(2020 - 01 - 01)).unwrap())
    .treating_doctor(Some(TreatingDoctor::new(
        Period::open(date!(2021 - 01 - 01)).unwrap(),
        None,
    )))
    .build()
    .unwrap();
    let practice = Practice {
        identity: ProfessionalIdentity::new(
            BillingNumber::parse("991234567").unwrap(),
            SpecialtyCode::GENERAL_PRACTICE,
        ),
        profession: Profession::Physician,
        sector: Sector::One,
        zone: TariffZone::Metropole,
    };
    let visit = Visit {
        date: day,
        pathway: Pathway::TreatingDoctor,
        acts: vec![ActLine::new("G".parse().unwrap())],
        offer_third_party: false,
    };
    let sheet = CareSheet::build(
        &practice,
        &TariffTable::embedded(),
        &card,
        rank,
        &rights,
        &visit,
        &MemoryInvoiceNumbers::new(),
    )
    .unwrap();
    let professional_key = [0x05; 32];
    let signer = SoftwareSigner::from_slice(&professional_key).unwrap();
    let to_sign = sheet.clone().prepare();
    let digest = *to_sign.digest();
    let signed = to_sign.sign(&signer).unwrap();
    signed
        .verify(signer.verifying_key(), default_backend())
        .unwrap();
    let receipt = Receipt::of(&signed, now).unwrap();
    let receipt_key = scenario.issuer.issuer_key(0).unwrap().signer();
    let signed_receipt = receipt.sign(receipt_key.as_ref()).unwrap();
    assert_eq!(
        Receipt::verify(&signed_receipt, &list, now).unwrap(),
        receipt
    );

    let mut v = BTreeMap::new();
    v.insert("presentation-qr-text", text);
    v.insert("sheet-cbor", hex::encode(&sheet.to_cbor()));
    v.insert("sheet-json", sheet.to_json());
    v.insert("sheet-digest", hex::encode(&digest));
    v.insert("professional-private-key", hex::encode(&professional_key));
    v.insert("signed-sheet", hex::encode(&signed.to_cbor()));
    v.insert("receipt-text", receipt.to_text());
    v.insert("signed-receipt", hex::encode(&signed_receipt));
    v
}

#[test]
fn care_sheet_vector_matches() {
    let v = generate();
    // The sheet decodes back to the same bytes, and the signed sheet too.
    let cbor = hex::decode(&v["sheet-cbor"]).unwrap();
    assert_eq!(CareSheet::from_cbor(&cbor).unwrap().to_cbor(), cbor);
    let signed = hex::decode(&v["signed-sheet"]).unwrap();
    assert_eq!(SignedSheet::from_cbor(&signed).unwrap().to_cbor(), signed);
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/vectors/care-sheet-v1.json");
    check_json_vectors(&v, &path);
}
