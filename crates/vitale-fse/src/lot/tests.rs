use proptest::prelude::*;
use time::macros::date;
use vitale_adri::{ProfessionalIdentity, SpecialtyCode};
use vitale_codec::cbor;
use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, Rank};
use vitale_verify::token::ContextId;

use super::*;
use crate::act::Act;
use crate::fields;
use crate::pricing::{Deduction, Exemption, LineAmounts, Pathway, Profession, RateReason, Sector};
use crate::sheet::{CardRead, CareSheet, Practice, SheetPatient, totals};
use crate::signing::SheetSignature;
use crate::tariff::TariffZone;
use crate::{Rate, numbering::InvoiceNumber};
use vitale_codec::cbor::Value;

pub(crate) const AM: &str = "751234567";
pub(crate) const OTHER_AM: &str = "131234567";

fn c(cents: u32) -> Cents {
    Cents::new(cents).unwrap()
}

fn am(text: &str) -> BillingNumber {
    BillingNumber::parse(text).unwrap()
}

/// A care sheet of `lines` (act, fee, AMO rate in basis points, AMC
/// share, all in cents) with a `participation` (exempt when zero).
pub(crate) fn care_sheet(
    professional: &str,
    number: u32,
    date: Date,
    lines: &[(&str, u32, u16, u32)],
    participation: u32,
    third_party_amo: bool,
    third_party_amc: bool,
) -> CareSheet {
    let lines: Vec<LineAmounts> = lines
        .iter()
        .map(|(act, fee, rate, amc)| {
            let (fee, amc) = (c(*fee), c(*amc));
            let rate = Rate::from_basis_points(*rate).unwrap();
            let amo = fee.percent(rate);
            LineAmounts {
                act: act.parse::<Act>().unwrap(),
                unit_price: fee,
                base: fee,
                extra_fee: Cents::ZERO,
                fee,
                amo_rate: rate,
                rate_reason: RateReason::Pathway,
                amo,
                amc,
                patient: fee
                    .checked_sub(amo)
                    .and_then(|p| p.checked_sub(amc))
                    .unwrap(),
                tariff_source: "test".to_owned(),
            }
        })
        .collect();
    let participation = if participation == 0 {
        Deduction::Exempt(Exemption::Minor)
    } else {
        Deduction::Applied {
            count: 1,
            amount: c(participation),
            source: "test".to_owned(),
        }
    };
    let franchise = Deduction::Exempt(Exemption::Profession);
    let totals = totals(
        &lines,
        &participation,
        &franchise,
        third_party_amo,
        third_party_amc,
    )
    .unwrap();
    CareSheet {
        number: InvoiceNumber::new(number).unwrap(),
        practice: Practice {
            identity: ProfessionalIdentity::new(am(professional), SpecialtyCode::GENERAL_PRACTICE),
            profession: Profession::Physician,
            sector: Sector::One,
            zone: TariffZone::Metropole,
        },
        date,
        patient: SheetPatient {
            insured_nir: Nir::parse(NIR).unwrap(),
            rank: Rank::new(1).unwrap(),
            birth_date: BirthDate::parse(BIRTH_DATE).unwrap(),
            birth_rank: BirthRank::new(1).unwrap(),
        },
        card: CardRead::Online {
            context_id: "ctx-1".to_owned(),
            service: "test".to_owned(),
        },
        pathway: Pathway::TreatingDoctor,
        lines,
        participation,
        franchise,
        third_party_amo,
        third_party_amc,
        totals,
    }
}

/// The patient's NIR and birth date on the test sheets.
pub(crate) const NIR: &str = "184037510821010";
pub(crate) const BIRTH_DATE: &str = "19840315";

/// A sheet signed by a context service (no key needed: lots and receipts
/// do not check signatures).
pub(crate) fn context_signed(sheet: CareSheet) -> SignedSheet {
    let number = sheet.number.get();
    sheet.prepare().complete(SheetSignature::Context {
        context_id: ContextId::new("ctx-1").unwrap(),
        signature: number.to_be_bytes().to_vec(),
    })
}

/// A sheet of one act of `fee` cents, 70 % AMO, 2 € participation.
pub(crate) fn signed(
    professional: &str,
    number: u32,
    date: Date,
    fee: u32,
    third_party: bool,
) -> SignedSheet {
    context_signed(care_sheet(
        professional,
        number,
        date,
        &[("G", fee, 7000, 0)],
        200,
        third_party,
        false,
    ))
}

fn day(n: u8) -> Date {
    date!(2026 - 01 - 01)
        .checked_add(time::Duration::days(i64::from(n)))
        .unwrap()
}

fn lot_of(numbers: &[u32]) -> Lot {
    let mut b = LotBuilder::new(am(AM));
    for (i, n) in numbers.iter().enumerate() {
        b.push(&signed(AM, *n, day(i as u8 % 20), 3000, false))
            .unwrap();
    }
    b.close(&MemoryLotNumbers::new()).unwrap()
}

#[test]
fn a_lot_sums_its_sheets_and_is_numbered_last() {
    let store = MemoryLotNumbers::new();
    let mut b = LotBuilder::new(am(AM));
    assert!(b.is_empty());
    // Dates not in invoice order: the range is min to max.
    b.push(&signed(AM, 10, day(3), 3000, false)).unwrap();
    b.push(&signed(AM, 11, day(1), 2500, true)).unwrap();
    b.push(&signed(AM, 15, day(7), 3000, false)).unwrap();
    assert_eq!(b.len(), 3);
    assert!(b.contains(InvoiceNumber::new(11).unwrap()));
    assert!(!b.contains(InvoiceNumber::new(12).unwrap()));
    // Nothing numbered yet.
    assert_eq!(store.last(&am(AM)), Ok(None));
    let lot = b.close(&store).unwrap();
    let s = lot.summary();
    assert_eq!(s.number, LotNumber::FIRST);
    assert_eq!(lot.number(), LotNumber::FIRST);
    assert_eq!(s.professional, am(AM));
    assert_eq!((s.dates.from(), s.dates.until()), (day(1), day(7)));
    assert_eq!(s.count, 3);
    // 30 € → AMO 21, patient 9; 25 € → AMO 17.50, patient 7.50.
    let t = s.totals;
    assert_eq!(
        (t.fee, t.amo, t.amc, t.patient),
        (c(8500), c(5950), c(0), c(2550))
    );
    assert_eq!(t.participation, c(600));
    // Third-party payment on the second sheet: 25 − 17.50 paid at the desk.
    assert_eq!(t.paid_at_desk, c(3000 + 750 + 3000));
    let numbers: Vec<u32> = lot
        .sheets()
        .iter()
        .map(|s| s.sheet().number.get())
        .collect();
    assert_eq!(numbers, [10, 11, 15]);
    // The next lot of the same professional takes the next number.
    let mut next = LotBuilder::new(am(AM));
    next.push(&signed(AM, 16, day(8), 3000, false)).unwrap();
    assert_eq!(next.close(&store).unwrap().number().get(), 2);
}

#[test]
fn a_refused_sheet_leaves_the_builder_unchanged() {
    let mut b = LotBuilder::new(am(AM));
    b.push(&signed(AM, 5, day(1), 3000, false)).unwrap();
    b.push(&signed(AM, 8, day(2), 3000, false)).unwrap();
    let before = b.clone();
    assert_eq!(
        b.push(&signed(OTHER_AM, 9, day(2), 3000, false)),
        Err(Error::LotOtherProfessional)
    );
    assert_eq!(
        b.push(&signed(AM, 8, day(2), 3000, false)),
        Err(Error::LotDuplicateInvoice)
    );
    assert_eq!(
        b.push(&signed(AM, 5, day(2), 3000, false)),
        Err(Error::LotDuplicateInvoice)
    );
    assert_eq!(
        b.push(&signed(AM, 7, day(2), 3000, false)),
        Err(Error::LotOutOfOrder)
    );
    assert_eq!(b, before);
    // Sums past the largest amount are refused, not wrapped.
    let mut big = LotBuilder::new(am(AM));
    big.push(&signed(AM, 1, day(1), Cents::MAX.get(), false))
        .unwrap();
    let before = big.clone();
    assert_eq!(
        big.push(&signed(AM, 2, day(1), 1, false)),
        Err(Error::AmountTooLarge)
    );
    assert_eq!(big, before);
}

#[test]
fn a_lot_holds_at_most_50_sheets() {
    assert_eq!(Lot::MAX_SHEETS, 50);
    let mut b = LotBuilder::new(am(AM));
    for n in 1..=50 {
        b.push(&signed(AM, n, day(1), 3000, false)).unwrap();
    }
    assert!(b.is_full());
    assert_eq!(
        b.push(&signed(AM, 51, day(1), 3000, false)),
        Err(Error::LotFull)
    );
    let lot = b.close(&MemoryLotNumbers::new()).unwrap();
    assert_eq!(lot.summary().count, 50);
    // A full lot with the largest invoice numbers stays well within the
    // decoder's limit (the figure the module documents).
    let mut b = LotBuilder::new(am(AM));
    for n in InvoiceNumber::MAX - 49..=InvoiceNumber::MAX {
        b.push(&signed(AM, n, day(1), 3000, false)).unwrap();
    }
    let bytes = b.close(&MemoryLotNumbers::new()).unwrap().to_cbor();
    assert!(bytes.len() < 2_250, "{}", bytes.len());
    assert!(bytes.len() * 3 < MAX_LOT_BYTES);
}

#[test]
fn an_empty_lot_is_refused_and_uses_no_number() {
    let store = MemoryLotNumbers::new();
    assert_eq!(LotBuilder::new(am(AM)).close(&store), Err(Error::LotEmpty));
    assert_eq!(store.last(&am(AM)), Ok(None));
    assert_eq!(group(&[], &store), Ok(vec![]));
}

#[test]
fn the_encoding_is_deterministic_and_the_digest_covers_every_sheet() {
    let lot = lot_of(&[3, 4, 9]);
    let bytes = lot.to_cbor();
    assert_eq!(lot.to_cbor(), bytes);
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    assert_eq!(lot.digest(), digest);
    let manifest = LotManifest::from_cbor(&bytes).unwrap();
    assert_eq!(manifest, lot.manifest());
    assert_eq!(manifest.to_cbor(), bytes);
    assert_eq!(manifest.digest(), digest);
    for (entry, sheet) in manifest.entries().iter().zip(lot.sheets()) {
        assert_eq!(entry.invoice, sheet.sheet().number);
        assert_eq!(entry.digest, signed_digest(sheet));
        assert_eq!(
            entry.digest,
            <[u8; 32]>::from(Sha256::digest(sheet.to_cbor()))
        );
        // Not the hash of the sheet alone: the signature is covered too.
        assert_ne!(entry.digest, sheet.digest());
    }
    // The same lot with one sheet signed differently has another digest.
    let mut b = LotBuilder::new(am(AM));
    for s in lot.sheets() {
        let changed = if s.sheet().number.get() == 4 {
            s.sheet()
                .clone()
                .prepare()
                .complete(SheetSignature::Context {
                    context_id: ContextId::new("ctx-2").unwrap(),
                    signature: vec![9],
                })
        } else {
            s.clone()
        };
        b.push(&changed).unwrap();
    }
    let other = b.close(&MemoryLotNumbers::new()).unwrap();
    assert_eq!(other.summary(), lot.summary());
    assert_ne!(other.digest(), lot.digest());
}

#[test]
fn a_lot_is_put_back_together_only_with_its_own_sheets() {
    let lot = lot_of(&[3, 4, 9]);
    let bytes = lot.to_cbor();
    let sheets = lot.sheets().to_vec();
    assert_eq!(Lot::from_cbor(&bytes, &sheets), Ok(lot.clone()));
    let mismatch = Some(Error::LotSheetMismatch);
    assert_eq!(Lot::from_cbor(&bytes, &sheets[..2]).err(), mismatch);
    let mut swapped = sheets.clone();
    swapped.swap(0, 1);
    assert_eq!(Lot::from_cbor(&bytes, &swapped).err(), mismatch);
    let mut other = sheets.clone();
    other[2] = signed(AM, 9, day(2), 3100, false);
    assert_eq!(Lot::from_cbor(&bytes, &other).err(), mismatch);
    let mut extra = sheets;
    extra.push(signed(AM, 10, day(2), 3000, false));
    assert_eq!(Lot::from_cbor(&bytes, &extra).err(), mismatch);
    assert!(matches!(
        Lot::from_cbor(&bytes[1..], lot.sheets()),
        Err(Error::LotMalformed(_))
    ));
}

#[test]
fn group_cuts_lots_per_professional_and_numbers_them_in_order() {
    // 70 sheets of one professional and 50 of another, interleaved and in
    // no particular order.
    let mut sheets = Vec::new();
    for i in 0..70u32 {
        let n = (i * 37) % 70 + 1;
        sheets.push(signed(AM, n, day((n % 9) as u8), 3000, false));
        if i < 50 {
            let m = (i * 13) % 50 + 100;
            sheets.push(signed(OTHER_AM, m, day(1), 2500, false));
        }
    }
    let store = MemoryLotNumbers::new();
    let lots = group(&sheets, &store).unwrap();
    let shape: Vec<(&str, u16, usize)> = lots
        .iter()
        .map(|l| {
            let s = l.summary();
            (s.professional.as_str(), s.number.get(), s.count)
        })
        .collect();
    assert_eq!(shape, [(OTHER_AM, 1, 50), (AM, 1, 50), (AM, 2, 20)]);
    let firsts: Vec<u32> = lots
        .iter()
        .map(|l| l.sheets()[0].sheet().number.get())
        .collect();
    assert_eq!(firsts, [100, 1, 51]);
    for lot in &lots {
        let n: Vec<u32> = lot
            .sheets()
            .iter()
            .map(|s| s.sheet().number.get())
            .collect();
        assert!(n.windows(2).all(|w| w[0] < w[1]));
    }
    assert_eq!(store.last(&am(AM)), Ok(LotNumber::new(2)));
}

#[test]
fn group_refuses_a_duplicate_invoice_number_and_uses_no_number() {
    let store = MemoryLotNumbers::new();
    let mut sheets: Vec<SignedSheet> = (1..=50)
        .map(|n| signed(AM, n, day(1), 3000, false))
        .collect();
    // Number 50 twice: the duplicate falls right after a full lot.
    sheets.push(signed(AM, 50, day(2), 3000, false));
    assert_eq!(group(&sheets, &store), Err(Error::LotDuplicateInvoice));
    sheets.pop();
    sheets.push(signed(AM, 7, day(2), 3000, false));
    assert_eq!(group(&sheets, &store), Err(Error::LotDuplicateInvoice));
    assert_eq!(store.last(&am(AM)), Ok(None));
    // The same number for two professionals is fine.
    let two = [
        signed(AM, 7, day(1), 3000, false),
        signed(OTHER_AM, 7, day(1), 3000, false),
    ];
    assert_eq!(group(&two, &store).map(|l| l.len()), Ok(2));
}

/// The manifest's value tree, edited by `f`, re-encoded.
fn edited(lot: &Lot, f: impl FnOnce(&mut Vec<(Value, Value)>)) -> Vec<u8> {
    edited_map(&lot.to_cbor(), MAX_LOT_BYTES, f)
}

/// The CBOR map in `bytes` (at most `max` of them), edited by `f`,
/// re-encoded.
pub(crate) fn edited_map(
    bytes: &[u8],
    max: usize,
    f: impl FnOnce(&mut Vec<(Value, Value)>),
) -> Vec<u8> {
    let Value::Map(mut entries) = cbor::decode(bytes, max, 4).unwrap() else {
        panic!("a map")
    };
    f(&mut entries);
    cbor::encode(&Value::Map(entries)).unwrap()
}

/// Sets the value of the text key `key`, which must be there.
pub(crate) fn set(entries: &mut [(Value, Value)], key: &str, value: Value) {
    for (k, v) in entries.iter_mut() {
        if *k == Value::Text(key.to_owned()) {
            *v = value;
            return;
        }
    }
    panic!("no {key}");
}

#[test]
fn the_decoder_refuses_what_no_lot_encodes() {
    let lot = lot_of(&[3, 4, 9]);
    let refused =
        |bytes: &[u8]| matches!(LotManifest::from_cbor(bytes), Err(Error::LotMalformed(_)));
    let good = lot.to_cbor();
    assert!(!refused(&good));
    assert!(refused(&good[..good.len() - 1]));
    assert!(refused(&[good.as_slice(), &[0]].concat()));
    assert!(refused(&vec![0; MAX_LOT_BYTES + 1]));
    assert!(refused(&edited(&lot, |e| set(e, "v", Value::from(2)))));
    assert!(refused(&edited(&lot, |e| set(e, "number", Value::from(0)))));
    assert!(refused(&edited(&lot, |e| set(
        e,
        "number",
        Value::from(1000)
    ))));
    assert!(refused(&edited(&lot, |e| set(e, "count", Value::from(2)))));
    assert!(refused(&edited(&lot, |e| set(
        e,
        "professional",
        Value::from("751 234 567")
    ))));
    assert!(refused(&edited(&lot, |e| set(
        e,
        "professional",
        Value::from("75123456")
    ))));
    assert!(refused(&edited(&lot, |e| set(
        e,
        "first_date",
        Value::from("2026-02-01")
    ))));
    assert!(refused(&edited(&lot, |e| set(
        e,
        "last_date",
        Value::from("2026-02-30")
    ))));
    assert!(refused(&edited(&lot, |e| set(
        e,
        "sheets",
        Value::Array(vec![])
    ))));
    assert!(refused(&edited(&lot, |e| {
        e.push((Value::from("extra"), Value::from(1)));
    })));
    // Entries out of order, repeated, or with a short digest.
    let entry = |n: u32, len: usize| Value::Array(vec![Value::from(n), Value::Bytes(vec![7; len])]);
    let three = |a, b, c| Value::Array(vec![entry(a, 32), entry(b, 32), entry(c, 32)]);
    assert!(!refused(&edited(&lot, |e| set(
        e,
        "sheets",
        three(1, 2, 3)
    ))));
    assert!(refused(&edited(&lot, |e| set(e, "sheets", three(1, 3, 2)))));
    assert!(refused(&edited(&lot, |e| set(e, "sheets", three(1, 1, 2)))));
    assert!(refused(&edited(&lot, |e| set(e, "sheets", three(0, 1, 2)))));
    assert!(refused(&edited(&lot, |e| {
        set(
            e,
            "sheets",
            Value::Array(vec![entry(1, 32), entry(2, 31), entry(3, 32)]),
        );
    })));
    // Totals that no set of sheets gives.
    let totals = |fee: u32, desk: u32| {
        fields::map(vec![
            ("fee", Value::from(fee)),
            ("amo", Value::from(6300)),
            ("amc", Value::from(0)),
            ("patient", Value::from(2700)),
            ("participation", Value::from(600)),
            ("paid_at_desk", Value::from(desk)),
        ])
    };
    assert!(!refused(&edited(&lot, |e| set(
        e,
        "totals",
        totals(9000, 9000)
    ))));
    assert!(refused(&edited(&lot, |e| set(
        e,
        "totals",
        totals(9001, 9000)
    ))));
    assert!(refused(&edited(&lot, |e| set(
        e,
        "totals",
        totals(9000, 9001)
    ))));
}

#[test]
fn every_one_byte_change_is_refused_or_reads_as_another_canonical_lot() {
    let lot = lot_of(&[3, 4, 9, 12]);
    let good = lot.to_cbor();
    let manifest = lot.manifest();
    let mut decoded = 0;
    for i in 0..good.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = good.clone();
            bad[i] ^= bit;
            if let Ok(other) = LotManifest::from_cbor(&bad) {
                decoded += 1;
                assert_ne!(other, manifest, "byte {i}");
                assert_eq!(other.to_cbor(), bad, "byte {i}");
            }
        }
    }
    // Digest bytes and some digits change without breaking the shape.
    assert!(decoded > 0);
}

fn arb_lot() -> impl Strategy<Value = Lot> {
    (
        proptest::collection::btree_set(1u32..=InvoiceNumber::MAX, 1..=Lot::MAX_SHEETS),
        proptest::collection::vec((0u8..60, 0u32..2_000_000, any::<bool>()), Lot::MAX_SHEETS),
        prop_oneof![Just(AM), Just(OTHER_AM)],
        1u16..=LotNumber::MAX,
    )
        .prop_map(|(numbers, rest, professional, last)| {
            let mut b = LotBuilder::new(am(professional));
            for (n, (d, fee, tp)) in numbers.into_iter().zip(rest) {
                b.push(&signed(professional, n, day(d), fee, tp)).unwrap();
            }
            let store =
                MemoryLotNumbers::starting_after(am(professional), LotNumber::new(last).unwrap());
            b.close(&store).unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any lot re-reads as itself, with and without its sheets.
    #[test]
    fn lots_round_trip(lot in arb_lot()) {
        let bytes = lot.to_cbor();
        let manifest = LotManifest::from_cbor(&bytes).unwrap();
        prop_assert_eq!(manifest.to_cbor(), bytes.clone());
        prop_assert_eq!(&manifest, &lot.manifest());
        prop_assert_eq!(Lot::from_cbor(&bytes, lot.sheets()).unwrap(), lot.clone());
        let t = lot.summary().totals;
        prop_assert_eq!(t.amo.checked_add(t.amc).and_then(|s| s.checked_add(t.patient)), Some(t.fee));
        prop_assert!(t.paid_at_desk <= t.fee);
        prop_assert_eq!(lot.summary().count, lot.sheets().len());
    }

    #[test]
    fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = LotManifest::from_cbor(&bytes);
    }

    /// Random edits of a valid lot never panic the decoder, and whatever
    /// it accepts is canonical.
    #[test]
    fn edited_lots_never_panic(lot in arb_lot(), edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = lot.to_cbor();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Ok(m) = LotManifest::from_cbor(&bytes) {
            prop_assert_eq!(m.to_cbor(), bytes);
        }
    }
}
