//! Build + hash + sign a care sheet (FSE-lite), against its irreducible
//! cost: one bare ES256 signature of a digest with the same software key,
//! in the same run. Goal: ≤ 1.20 (`docs/performance.md`).
//!
//! `cargo bench -p vitale-benches --bench care_sheet`
//!
//! The sheet path is what a billing program runs per visit once the card
//! is verified and the rights are known: pricing the acts against the
//! tariff table, numbering (in memory: the durable store's cost is the
//! disk's, measured by `vitale-store`'s `numbering` bench), deterministic
//! CBOR, SHA-256, and the signature.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use time::macros::date;
use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::verify::{Signer, SoftwareSigner, TrustList, TrustStore, Verifier, default_backend};
use vitale_adri::{
    BillingNumber, Period, ProfessionalIdentity, Rights, RightsIdentity, SpecialtyCode,
    TreatingDoctor,
};
use vitale_benches::{interleaved, quick, report_ratio};
use vitale_fse::numbering::MemoryInvoiceNumbers;
use vitale_fse::pricing::{ActLine, Pathway, Profession, Sector};
use vitale_fse::tariff::TariffZone;
use vitale_fse::{CareSheet, Practice, TariffTable, Visit};
use vitale_model::{Organisation, QualityCode, Rank};
use vitale_sim::{Scenario, Seed};

const GOAL: f64 = 1.20;

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap();
    let scenario = Scenario::new(Seed::from_u64(2026), 3, now).unwrap();
    let list = TrustList::from_cbor(
        &scenario.trust_list,
        &scenario.anchor,
        default_backend(),
        now,
    )
    .unwrap();
    let terminal = Terminal::new(Verifier::new(TrustStore::new(
        scenario.anchor.clone(),
        list,
    )));
    let card = terminal
        .verify_text(&scenario.phone.present_qr_text(now, 120).unwrap())
        .unwrap();
    let rank = Rank::new(1).unwrap();
    let b = card.beneficiary(rank).unwrap().data();
    let identity = RightsIdentity::new(
        card.insured().nir().clone(),
        b.birth_name().clone(),
        b.first_names().clone(),
        b.birth_date().clone(),
        b.birth_rank(),
    );
    let today = time::OffsetDateTime::now_utc().date();
    let rights = Rights::builder(
        today,
        identity,
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
            BillingNumber::parse("751234567").unwrap(),
            SpecialtyCode::GENERAL_PRACTICE,
        ),
        profession: Profession::Physician,
        sector: Sector::One,
        zone: TariffZone::Metropole,
    };
    let table = TariffTable::embedded();
    let visit = Visit {
        date: today,
        pathway: Pathway::TreatingDoctor,
        acts: vec![ActLine::new("G".parse().unwrap())],
        offer_third_party: false,
    };
    let numbers = MemoryInvoiceNumbers::new();
    let signer = SoftwareSigner::from_slice(&[0x42; 32]).unwrap();
    let digest = [0x5a; 32];

    let sheet_once = || {
        let sheet =
            CareSheet::build(&practice, &table, &card, rank, &rights, &visit, &numbers).unwrap();
        black_box(sheet.prepare().sign(&signer).unwrap());
    };
    let bare_once = || {
        black_box(signer.sign_digest(black_box(&digest)).unwrap());
    };

    let mut group = c.benchmark_group("care_sheet");
    group.bench_function("build_hash_sign", |b| b.iter(sheet_once));
    group.bench_function("bare_es256_sign", |b| b.iter(bare_once));
    group.finish();

    let time = |f: &dyn Fn(), n: u64| {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        start.elapsed()
    };
    let rounds = if quick() { 40 } else { 200 };
    let (sheet, bare) = interleaved(rounds, 4, |n| time(&sheet_once, n), |n| time(&bare_once, n));
    report_ratio(
        "care_sheet",
        "build + hash + sign a sheet / bare ES256 sign",
        sheet / 4,
        bare / 4,
        Some(GOAL),
    );
    let _: Duration = sheet;
}
