//! Signed receipts checked against a trust list made by the simulator:
//! only a key listed with the receipt usage, valid when it signed, with a
//! good signature, on a receipt not past its last day, is accepted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::sync::OnceLock;

use time::OffsetDateTime;
use vitale::codec::model::Timestamp;
use vitale::verify::{
    KeyUsage, Signer, SoftwareSigner, TrustList, compiled_backends, default_backend,
};
use vitale_fse::numbering::MemoryInvoiceNumbers;
use vitale_fse::pricing::{ActLine, Pathway};
use vitale_fse::signing::SignedSheet;
use vitale_fse::{CareSheet, Error, Receipt, TariffTable, Visit};
use vitale_model::Rank;
use vitale_sim::issuer::{DEFAULT_KEY_EXPIRES_AT, DEFAULT_KEY_NOT_BEFORE};
use vitale_sim::{KeyPair, Scenario, Seed, SimIssuerKeySpec};

const DAY: u64 = 86_400;

/// The simulator's issuer with three more keys, and its trust list:
/// key 0 (default: credentials, delegations, receipts), key 1 (receipts
/// only), key 2 (credentials only), key 3 (receipts, valid in 2020 only).
struct Keys {
    now: Timestamp,
    /// The holder's credential, signed by key 0.
    credential: Vec<u8>,
    list: TrustList,
    list_expires_at: Timestamp,
    keys: Vec<KeyPair>,
}

fn ts(unix: u64) -> Timestamp {
    Timestamp::from_unix(unix).unwrap()
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let now = Timestamp::from_datetime(OffsetDateTime::now_utc()).unwrap();
        let mut scenario = Scenario::new(Seed::from_u64(31), 2, now).unwrap();
        let spec = |usages: Vec<KeyUsage>, from: u64, until: u64, label: &str| SimIssuerKeySpec {
            not_before: ts(from),
            expires_at: ts(until),
            usages,
            label: Some(label.to_owned()),
        };
        let (from, until) = (DEFAULT_KEY_NOT_BEFORE, DEFAULT_KEY_EXPIRES_AT);
        for s in [
            spec(vec![KeyUsage::Receipt], from, until, "receipts"),
            spec(vec![KeyUsage::Credential], from, until, "credentials only"),
            spec(
                vec![KeyUsage::Receipt],
                from,
                from + 366 * DAY,
                "receipts in 2020",
            ),
        ] {
            scenario.issuer.add_issuer_key(s).unwrap();
        }
        let issued_at = ts(now.unix() - DAY);
        let list_expires_at = ts(now.unix() + 30 * DAY);
        let bytes = scenario
            .issuer
            .trust_list_cbor(2, issued_at, list_expires_at)
            .unwrap();
        let list = TrustList::from_cbor(&bytes, &scenario.anchor, default_backend(), now).unwrap();
        // The issuer derives key `i` from the seed label `issuer/key/<i>`
        // (documented on `SimIssuer`): the test signs with the same keys.
        let keys: Vec<KeyPair> = (0..4)
            .map(|i| scenario.seed.key_pair(&format!("issuer/key/{i}")).unwrap())
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(k.kid(), scenario.issuer.issuer_key(i).unwrap().kid());
            assert_eq!(k.signer().kid(), Some(k.kid()));
            assert!(list.find(&k.kid()).is_some());
        }
        Keys {
            now,
            credential: scenario.credential.clone(),
            list,
            list_expires_at,
            keys,
        }
    })
}

/// A consultation billed from a verified card, signed by the
/// professional's key.
fn signed_sheet() -> (SignedSheet, common::World) {
    let w = common::world(8);
    let visit = Visit {
        date: w.today,
        pathway: Pathway::TreatingDoctor,
        acts: vec![ActLine::new("G".parse().unwrap())],
        offer_third_party: false,
    };
    let sheet = CareSheet::build(
        &common::gp(),
        &TariffTable::embedded(),
        &w.card,
        Rank::new(1).unwrap(),
        &w.rights_with_doctor(1),
        &visit,
        &MemoryInvoiceNumbers::new(),
    )
    .unwrap();
    let professional = SoftwareSigner::from_slice(&[0x42; 32]).unwrap();
    (sheet.prepare().sign(&professional).unwrap(), w)
}

fn receipt() -> Receipt {
    Receipt::of(&signed_sheet().0, keys().now).unwrap()
}

fn verify(bytes: &[u8], now: Timestamp) -> Result<Receipt, Error> {
    Receipt::verify(bytes, &keys().list, now)
}

#[test]
fn a_receipt_signed_by_a_receipt_key_verifies_on_every_backend() {
    let k = keys();
    let r = receipt();
    for key in [&k.keys[0], &k.keys[1]] {
        let bytes = r.sign(key.signer()).unwrap();
        for backend in compiled_backends() {
            assert_eq!(
                Receipt::verify_with(&bytes, &k.list, *backend, k.now).as_ref(),
                Ok(&r),
                "{}",
                backend.name()
            );
        }
        // Two phases give the same envelope (RFC 6979 signatures).
        let tbs = r.prepare(&key.kid());
        let signature = key.signer().sign(tbs.bytes()).unwrap();
        assert_eq!(tbs.complete(signature.to_bytes()), bytes);
    }
}

#[test]
fn a_receipt_is_shown_until_the_end_of_its_last_day() {
    let k = keys();
    let r = receipt();
    let bytes = r.sign(k.keys[1].signer()).unwrap();
    let last = r.valid_until().with_hms(23, 59, 59).unwrap().assume_utc();
    let last = Timestamp::from_datetime(last).unwrap();
    assert_eq!(r.valid_until(), r.date() + time::Duration::days(7));
    assert!(verify(&bytes, last).is_ok());
    assert_eq!(
        verify(&bytes, ts(last.unix() + 1)).err(),
        Some(Error::ReceiptExpired)
    );
}

#[test]
fn keys_the_list_does_not_allow_for_receipts_are_refused() {
    let k = keys();
    let r = receipt();
    let stranger = SoftwareSigner::from_slice(&[0x33; 32]).unwrap();
    assert_eq!(
        verify(&r.sign(&stranger).unwrap(), k.now).err(),
        Some(Error::ReceiptUnknownKey)
    );
    assert_eq!(
        verify(&r.sign(k.keys[2].signer()).unwrap(), k.now).err(),
        Some(Error::ReceiptWrongKeyUsage)
    );
    // Key 3 allows receipts but expired years before this receipt.
    assert_eq!(
        verify(&r.sign(k.keys[3].signer()).unwrap(), k.now).err(),
        Some(Error::ReceiptKeyNotValid)
    );
}

#[test]
fn a_trust_list_out_of_its_validity_is_refused() {
    let k = keys();
    let bytes = receipt().sign(k.keys[1].signer()).unwrap();
    assert_eq!(
        verify(&bytes, k.list_expires_at).err(),
        Some(Error::ReceiptTrustListExpired)
    );
    assert_eq!(
        verify(&bytes, ts(k.now.unix() - 2 * DAY)).err(),
        Some(Error::ReceiptTrustListExpired)
    );
}

#[test]
fn no_change_to_a_signed_receipt_verifies() {
    let k = keys();
    let bytes = receipt().sign(k.keys[1].signer()).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = bytes.clone();
            bad[i] ^= bit;
            let err = verify(&bad, k.now).expect_err("a changed receipt verified");
            kinds.insert(err.kind());
        }
    }
    // The envelope's structure, the kid and the payload or signature.
    for kind in [
        "fse_receipt_malformed",
        "fse_receipt_unknown_key",
        "fse_receipt_bad_signature",
    ] {
        assert!(kinds.contains(kind), "{kind}: {kinds:?}");
    }
    assert!(verify(&bytes[..bytes.len() - 1], k.now).is_err());
}

#[test]
fn what_is_not_a_receipt_is_malformed() {
    let k = keys();
    let malformed = |bytes: &[u8]| matches!(verify(bytes, k.now), Err(Error::ReceiptMalformed(_)));
    assert!(malformed(&[]));
    assert!(malformed(b"not cbor"));
    assert!(malformed(&vec![
        0;
        vitale_fse::receipt::MAX_SIGNED_RECEIPT_BYTES
            + 1
    ]));
    // A credential signed by key 0, which may sign receipts: the signature
    // verifies, the payload is not a receipt.
    assert!(malformed(&k.credential));
    // An envelope without a kid.
    let r = receipt();
    let tbs = vitale::codec::cose::Sign1::prepare(None, &r.to_cbor(), &[]);
    let signature = k.keys[1].signer().sign(tbs.bytes()).unwrap();
    assert!(malformed(&tbs.complete(signature.to_bytes())));
    // A payload signed with an external AAD is not what the receipt key
    // signed for a receipt.
    let tbs = vitale::codec::cose::Sign1::prepare(Some(&k.keys[1].kid()), &r.to_cbor(), b"aad");
    let signature = k.keys[1].signer().sign(tbs.bytes()).unwrap();
    assert_eq!(
        verify(&tbs.complete(signature.to_bytes()), k.now).err(),
        Some(Error::ReceiptBadSignature)
    );
}

#[test]
fn the_receipt_of_a_real_visit_names_no_one() {
    let k = keys();
    let (signed, w) = signed_sheet();
    let r = Receipt::of(&signed, k.now).unwrap();
    let beneficiary = w.card.beneficiary(Rank::new(1).unwrap()).unwrap().data();
    let nir = w.card.insured().nir().as_str().to_owned();
    let birth = beneficiary.birth_date().as_str().to_owned();
    let envelope = r.sign(k.keys[1].signer()).unwrap();
    for shown in [r.to_text(), r.to_html(), format!("{r:?}")] {
        assert!(!shown.contains(&nir));
        assert!(!shown.contains(&birth));
    }
    assert!(r.to_text().contains("30,00 €"));
    assert!(r.to_html().contains("<td>30,00 €</td>"));
    for secret in [nir.as_bytes(), birth.as_bytes()] {
        assert!(!envelope.windows(secret.len()).any(|w| w == secret));
    }
    assert_eq!(r.sheet_digest(), &signed.digest());
}
