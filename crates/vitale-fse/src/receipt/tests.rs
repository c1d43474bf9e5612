use proptest::prelude::*;
use time::macros::date;
use vitale_codec::cbor::Value;

use super::render::{escape, euros, rate};
use super::*;
use crate::fields;
use crate::lot::tests::{AM, BIRTH_DATE, NIR, care_sheet, context_signed, edited_map, set};
use vitale_ins::Nir;

fn c(cents: u32) -> Cents {
    Cents::new(cents).unwrap()
}

fn at(unix: u64) -> Timestamp {
    Timestamp::from_unix(unix).unwrap()
}

/// 2026-01-05T10:00:00Z.
const SIGNED_AT: u64 = 1_767_607_200;

/// A consultation with an AMC share and an auxiliary's act.
fn two_acts(third_party_amo: bool, third_party_amc: bool) -> SignedSheet {
    context_signed(care_sheet(
        AM,
        42,
        date!(2026 - 01 - 05),
        &[("G", 3000, 7000, 900), ("AMI 1.5", 472, 6000, 0)],
        200,
        third_party_amo,
        third_party_amc,
    ))
}

fn consultation() -> Receipt {
    let signed = context_signed(care_sheet(
        AM,
        42,
        date!(2026 - 01 - 05),
        &[("G", 3000, 7000, 0)],
        200,
        false,
        false,
    ));
    Receipt::of(&signed, at(SIGNED_AT)).unwrap()
}

#[test]
fn a_receipt_shows_what_the_signed_sheet_says() {
    let signed = two_acts(false, true);
    let r = Receipt::of(&signed, at(SIGNED_AT)).unwrap();
    let sheet = signed.sheet();
    assert_eq!(r.invoice(), sheet.number);
    assert_eq!(r.date(), date!(2026 - 01 - 05));
    assert_eq!(r.valid_until(), date!(2026 - 01 - 12));
    assert_eq!(r.issued_at(), at(SIGNED_AT));
    assert_eq!(r.professional().as_str(), AM);
    assert_eq!(r.specialty_label(), Some("Médecine générale"));
    assert_eq!(r.rank().get(), 1);
    assert_eq!(r.sheet_digest(), &signed.digest());
    // Line 2: 4.72 € at 60 % gives 2.83 € (rounded half up), 1.89 € left.
    let amounts: Vec<_> = r
        .lines()
        .iter()
        .map(|l| (l.act.to_string(), l.fee, l.amo, l.amc, l.patient))
        .collect();
    assert_eq!(
        amounts,
        [
            ("G".to_owned(), c(3000), c(2100), c(900), c(0)),
            ("AMI 1.5".to_owned(), c(472), c(283), c(0), c(189)),
        ]
    );
    let t = r.totals();
    let s = sheet.totals;
    assert_eq!(
        (t.fee, t.amo, t.amc, t.patient, t.paid_at_desk),
        (s.fee, s.amo, s.amc, s.patient, s.paid_at_desk)
    );
    // AMC paid to the professional: the patient paid the fee less 9 €.
    assert_eq!(t.paid_at_desk, c(3472 - 900));
    // The AMO pays the patient its share less the participation.
    assert_eq!(t.amo_reimbursement, s.amo_net);
    assert_eq!(t.amo_reimbursement, c(2383 - 200));
    assert_eq!(t.amc_reimbursement, Cents::ZERO);
    assert_eq!(r.participation(), c(200));
    assert!(!r.third_party_amo() && r.third_party_amc());
}

#[test]
fn under_amo_third_party_payment_the_amo_pays_the_professional() {
    let r = Receipt::of(&two_acts(true, false), at(SIGNED_AT)).unwrap();
    let t = r.totals();
    assert_eq!(t.amo_reimbursement, Cents::ZERO);
    assert_eq!(t.amc_reimbursement, c(900));
    assert_eq!(t.paid_at_desk, c(3472 - 2383));
}

#[test]
fn a_date_whose_last_day_cannot_be_written_is_refused() {
    let late = context_signed(care_sheet(
        AM,
        1,
        date!(9999 - 12 - 28),
        &[("G", 3000, 7000, 0)],
        200,
        false,
        false,
    ));
    assert_eq!(
        Receipt::of(&late, at(SIGNED_AT)),
        Err(Error::ReceiptMalformed("date of care"))
    );
}

#[test]
fn a_receipt_cannot_be_signed_before_the_care() {
    let signed = two_acts(false, false);
    // 2026-01-04T00:00:00Z is the UTC day before the date of care: the
    // care may be early on the 5th in a time zone ahead of UTC.
    let day_before = 1_767_484_800;
    assert!(Receipt::of(&signed, at(day_before)).is_ok());
    assert_eq!(
        Receipt::of(&signed, at(day_before - 1)),
        Err(Error::ReceiptMalformed("signed before the date of care"))
    );
    let r = Receipt::of(&signed, at(day_before)).unwrap();
    let early = edited(&r, |e| set(e, "issued_at", Value::from(day_before - 1)));
    assert_eq!(
        Receipt::from_cbor(&early),
        Err(Error::ReceiptMalformed("issued_at"))
    );
}

#[test]
fn the_text_form_is_aligned_and_in_french() {
    let expected = "\
REÇU DE SOINS
Facture n°             000042
Date des soins         05/01/2026
Professionnel (n° AM)  751234567
Spécialité             Médecine générale (01)
Bénéficiaire           rang 1

Acte   Honoraires  Taux AMO      AMO     AMC  Reste à charge
G         30,00 €      70 %  21,00 €  0,00 €          9,00 €
Total     30,00 €            21,00 €  0,00 €          9,00 €

Participation forfaitaire   2,00 €
Franchise médicale          0,00 €
Tiers payant AMO               non
Tiers payant AMC               non
Payé au professionnel      30,00 €
Remboursement AMO attendu  19,00 €
Remboursement AMC attendu   0,00 €

Reçu affiché jusqu'au 12/01/2026.
";
    assert_eq!(consultation().to_text(), expected);
    // Rates with decimals use a comma; amounts over a thousand euros have
    // no separator.
    let r = Receipt::of(&two_acts(false, true), at(SIGNED_AT)).unwrap();
    let text = r.to_text();
    assert!(text.contains("AMI 1.5"));
    assert!(text.contains("60 %"));
    assert_eq!(euros(c(123_456)), "1234,56 €");
    assert_eq!(euros(Cents::ZERO), "0,00 €");
    assert_eq!(rate_text(6250), "62,5 %");
}

fn rate_text(bp: u16) -> String {
    rate(Rate::from_basis_points(bp).unwrap())
}

#[test]
fn the_html_form_is_a_self_contained_escaped_fragment() {
    let html = consultation().to_html();
    assert!(html.starts_with("<section class=\"vitale-receipt\" lang=\"fr\">\n"));
    assert!(html.ends_with("</section>\n"));
    assert!(html.contains("<dt>Facture n°</dt><dd>000042</dd>"));
    assert!(html.contains(
        "<tr><th scope=\"row\">G</th><td>30,00 €</td><td>70 %</td><td>21,00 €</td><td>0,00 €</td><td>9,00 €</td></tr>"
    ));
    assert!(html.contains("<dt>Remboursement AMO attendu</dt><dd>19,00 €</dd>"));
    assert!(html.contains("<p>Reçu affiché jusqu&#39;au 12/01/2026.</p>"));
    for forbidden in ["<script", "<style", "<link", "<img", "src=", "href=", "on"] {
        let lower = html.to_lowercase();
        if forbidden == "on" {
            assert!(!lower.contains(" on"), "an event attribute");
        } else {
            assert!(!lower.contains(forbidden), "{forbidden}");
        }
    }
    // Tags open and close in pairs.
    for tag in [
        "section", "dl", "table", "thead", "tbody", "tfoot", "tr", "p",
    ] {
        let opens =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        assert_eq!(opens, html.matches(&format!("</{tag}>")).count(), "{tag}");
    }
    assert_eq!(
        escape("<script>alert('x') & \"y\"</script>"),
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
    );
}

#[test]
fn no_personal_data_is_on_the_receipt() {
    let r = Receipt::of(&two_acts(false, false), at(SIGNED_AT)).unwrap();
    let nir_masked = Nir::parse(NIR).unwrap().masked();
    let masked_head: String = nir_masked.chars().take(7).collect();
    let cbor = r.to_cbor();
    for shown in [r.to_text(), r.to_html(), format!("{r:?}")] {
        for secret in [
            NIR,
            BIRTH_DATE,
            "1984-03-15",
            "15/03/1984",
            masked_head.as_str(),
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
    for secret in [NIR, BIRTH_DATE] {
        assert!(!cbor.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }
}

#[test]
fn the_payload_is_deterministic_and_reads_back() {
    let r = Receipt::of(&two_acts(false, true), at(SIGNED_AT)).unwrap();
    let bytes = r.to_cbor();
    assert_eq!(r.to_cbor(), bytes);
    let back = Receipt::from_cbor(&bytes).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.to_cbor(), bytes);
    // A receipt of the most acts stays well within the limit.
    let lines: Vec<(&str, u32, u16, u32)> = (0..crate::sheet::MAX_LINES)
        .map(|_| ("DEQP003-1-0+F+U", 3_000_000, 10_000, 0))
        .collect();
    let big = context_signed(care_sheet(
        AM,
        999_999,
        date!(2026 - 01 - 05),
        &lines,
        200,
        true,
        true,
    ));
    let bytes = Receipt::of(&big, at(SIGNED_AT)).unwrap().to_cbor();
    assert!(bytes.len() < 3 * 1024, "{}", bytes.len());
}

/// A CBOR map's entries.
type Entries = Vec<(Value, Value)>;

/// The payload's value tree, edited by `f`, re-encoded.
fn edited(r: &Receipt, f: impl FnOnce(&mut Vec<(Value, Value)>)) -> Vec<u8> {
    edited_map(&r.to_cbor(), MAX_RECEIPT_BYTES, f)
}

fn line(act: &str, fee: u32, amo: u32, amc: u32, patient: u32) -> Value {
    fields::map(vec![
        ("act", Value::from(act)),
        ("fee", Value::from(fee)),
        ("amo_rate", Value::from(7000)),
        ("amo", Value::from(amo)),
        ("amc", Value::from(amc)),
        ("patient", Value::from(patient)),
    ])
}

#[test]
fn the_decoder_refuses_what_no_receipt_encodes() {
    let r = consultation();
    let refused =
        |bytes: &[u8]| matches!(Receipt::from_cbor(bytes), Err(Error::ReceiptMalformed(_)));
    let good = r.to_cbor();
    assert!(!refused(&good));
    assert!(refused(&good[..good.len() - 1]));
    assert!(refused(&[good.as_slice(), &[0]].concat()));
    assert!(refused(&vec![0; MAX_RECEIPT_BYTES + 1]));
    let one = |f: &dyn Fn(&mut Entries)| refused(&edited(&r, f));
    assert!(one(&|e| set(e, "v", Value::from(2))));
    assert!(one(&|e| set(e, "invoice", Value::from(0))));
    assert!(one(&|e| set(e, "invoice", Value::from(1_000_000))));
    assert!(one(&|e| set(e, "rank", Value::from(0))));
    assert!(one(&|e| set(e, "valid_until", Value::from("2026-01-13"))));
    assert!(one(&|e| set(e, "date", Value::from("2026-01-06"))));
    assert!(one(&|e| set(
        e,
        "issued_at",
        Value::from(Timestamp::MAX_UNIX + 1)
    )));
    assert!(one(&|e| set(e, "sheet_digest", Value::Bytes(vec![0; 31]))));
    assert!(one(&|e| set(e, "lines", Value::Array(vec![]))));
    assert!(one(&|e| {
        set(
            e,
            "lines",
            Value::Array(vec![line("G", 3000, 2100, 0, 900); 33]),
        );
    }));
    assert!(one(&|e| e.push((Value::from("nir"), Value::from(NIR)))));
    assert!(one(&|e| {
        set(
            e,
            "professional",
            fields::map(vec![
                ("billing_number", Value::from("751 234 567")),
                ("specialty", Value::from("01")),
            ]),
        );
    }));
    // The same line, its act in a non-canonical spelling, or shares that
    // do not add up to the fee.
    assert!(!one(&|e| set(
        e,
        "lines",
        Value::Array(vec![line("G", 3000, 2100, 0, 900)])
    )));
    assert!(one(&|e| set(
        e,
        "lines",
        Value::Array(vec![line("G 1", 3000, 2100, 0, 900)])
    )));
    assert!(one(&|e| set(
        e,
        "lines",
        Value::Array(vec![line("G", 3000, 2100, 0, 901)])
    )));
    // Totals other than those the lines give.
    assert!(one(&|e| set(e, "participation", Value::from(300))));
    assert!(one(&|e| {
        set(
            e,
            "third_party",
            fields::map(vec![
                ("amo", Value::Bool(true)),
                ("amc", Value::Bool(false)),
            ]),
        );
    }));
}

#[test]
fn every_one_byte_change_is_refused_or_reads_as_another_canonical_receipt() {
    let r = Receipt::of(&two_acts(false, true), at(SIGNED_AT)).unwrap();
    let good = r.to_cbor();
    let mut decoded = 0;
    for i in 0..good.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = good.clone();
            bad[i] ^= bit;
            if let Ok(other) = Receipt::from_cbor(&bad) {
                decoded += 1;
                assert_ne!(other, r, "byte {i}");
                assert_eq!(other.to_cbor(), bad, "byte {i}");
            }
        }
    }
    assert!(decoded > 0);
}

#[test]
fn the_signer_must_know_its_key() {
    struct Remote;
    impl Signer for Remote {
        fn sign_digest(&self, _: &[u8; 32]) -> Result<Signature, vitale_verify::SignerError> {
            Ok(Signature::from_bytes(&[1; 64]))
        }
        fn public_key(&self) -> Option<vitale_verify::PublicKey> {
            None
        }
    }
    assert_eq!(
        consultation().sign(&Remote).map_err(|e| e.kind()),
        Err("fse_signing_failed")
    );
    // Two phases with the kid given: the payload is the receipt.
    let tbs = consultation().prepare(&[7; 8]);
    assert_eq!(tbs.payload(), consultation().to_cbor().as_slice());
    assert_eq!(tbs.kid(), Some(&[7; 8]));
    assert!(tbs.external_aad().is_empty());
}

#[test]
fn every_new_kind_is_distinct_and_prefixed() {
    let errors = [
        Error::LotOtherProfessional,
        Error::LotFull,
        Error::LotDuplicateInvoice,
        Error::LotOutOfOrder,
        Error::LotEmpty,
        Error::LotDateOutOfRange,
        Error::LotMalformed("x"),
        Error::LotSheetMismatch,
        Error::ReceiptUnknownKey,
        Error::ReceiptWrongKeyUsage,
        Error::ReceiptKeyNotValid,
        Error::ReceiptTrustListExpired,
        Error::ReceiptBadSignature,
        Error::ReceiptExpired,
        Error::ReceiptMalformed("x"),
    ];
    let mut kinds: Vec<&str> = errors.iter().map(Error::kind).collect();
    assert!(
        kinds
            .iter()
            .all(|k| k.starts_with("fse_lot_") || k.starts_with("fse_receipt_"))
    );
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), errors.len());
    assert_eq!(
        Error::LotNumbering(crate::lot::LotNumberingError::Corrupt).kind(),
        "lot_numbers_corrupt"
    );
}

fn arb_receipt() -> impl Strategy<Value = Receipt> {
    (
        proptest::collection::vec(
            (0u32..500_000, 0u16..=10_000, 0u32..=100, any::<bool>()),
            1..=crate::sheet::MAX_LINES,
        ),
        0u32..1_000,
        any::<bool>(),
        any::<bool>(),
        1u32..=InvoiceNumber::MAX,
        0i64..2_900_000,
        0u64..=40 * 86_400,
    )
        .prop_map(
            |(lines, participation, tp_amo, tp_amc, number, day, signed_at)| {
                // The AMC share is a percentage of what the AMO leaves.
                let lines: Vec<(&str, u32, u16, u32)> = lines
                    .into_iter()
                    .map(|(fee, rate, amc_pct, ccam)| {
                        let rest =
                            fee - c(fee).percent(Rate::from_basis_points(rate).unwrap()).get();
                        let act = if ccam { "DEQP003-1-0+F" } else { "AMI 1.5" };
                        (act, fee, rate, rest * amc_pct / 100)
                    })
                    .collect();
                let date = date!(1970 - 01 - 02) + time::Duration::days(day);
                let signed = context_signed(care_sheet(
                    AM,
                    number,
                    date,
                    &lines,
                    participation,
                    tp_amo,
                    tp_amc,
                ));
                // Signed from the day of care to 40 days after.
                let midnight = date.midnight().assume_utc().unix_timestamp();
                let signed_at = u64::try_from(midnight).unwrap_or(0) + signed_at;
                Receipt::of(&signed, at(signed_at)).unwrap()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any receipt reads back as itself, and its amounts add up.
    #[test]
    fn receipts_round_trip(r in arb_receipt()) {
        let bytes = r.to_cbor();
        let back = Receipt::from_cbor(&bytes).unwrap();
        prop_assert_eq!(back.to_cbor(), bytes);
        prop_assert_eq!(&back, &r);
        let t = r.totals();
        prop_assert_eq!(t.amo.checked_add(t.amc).and_then(|s| s.checked_add(t.patient)), Some(t.fee));
        prop_assert!(t.paid_at_desk <= t.fee);
        prop_assert!(t.amo_reimbursement <= t.amo && t.amc_reimbursement <= t.amc);
        prop_assert!(r.to_text().lines().count() > r.lines().len());
    }

    #[test]
    fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = Receipt::from_cbor(&bytes);
    }

    /// Random edits of a valid payload never panic the decoder, and
    /// whatever it accepts is canonical.
    #[test]
    fn edited_receipts_never_panic(r in arb_receipt(), edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = r.to_cbor();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Ok(other) = Receipt::from_cbor(&bytes) {
            prop_assert_eq!(other.to_cbor(), bytes);
        }
    }
}
