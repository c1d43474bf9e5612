//! Billing through the C ABI against the simulator's HTTPS rights service
//! on loopback: a card read offline billed in one call (rights, sheet,
//! signature, receipt), the signed sheet and the signed receipt checked
//! through their own calls, invoice numbers durable in SQLite across a
//! restart and unique across threads, and every refusal with its kind and
//! no number used.
#![allow(
    unsafe_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks
)]

mod common;

use std::collections::BTreeSet;

use common::ffi::{
    assert_ok, c, card, json_result, last_kind, last_message, now, online_server, scratch,
    take_json, terminal_with, unhex,
};
use vitale::verify::SoftwareSigner;
use vitale_ffi::*;
use vitale_sim::online::{Fault, OnlineServer};
use vitale_sim::{Scenario, Seed};

const SEED: u64 = 71;
const BILLING_NUMBER: &str = "991234567";
/// The professional's key in the test: 64 hex digits, as a key file holds.
const SHEET_KEY_HEX: &str = "4242424242424242424242424242424242424242424242424242424242424242";

struct World {
    s: Scenario,
    server: OnlineServer,
    t: *mut VitaleTerminal,
    rights: *mut VitaleRightsService,
    dir: std::path::PathBuf,
}

impl Drop for World {
    fn drop(&mut self) {
        unsafe {
            vitale_rights_service_free(self.rights);
            vitale_terminal_free(self.t);
        }
    }
}

fn world(name: &str) -> World {
    let s = Scenario::new(Seed::from_u64(SEED), 3, now()).unwrap();
    let server = online_server(SEED, &s);
    let config = serde_json::json!({
        "url": server.url(), "ca_pem": server.ca_pem(),
        "billing_number": BILLING_NUMBER, "specialty": "01",
    });
    let config = c(&config.to_string());
    let mut rights = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_rights_service_new(config.as_ptr(), &mut rights) },
        VitaleStatus::Ok
    );
    let t = terminal_with(&s, &s.trust_list);
    let dir = scratch(name);
    // The simulator's issuer key 0 is listed with the receipt usage.
    let receipt = vitale_sim::hazmat::issuer_key_scalar(&Seed::from_u64(SEED), 0).unwrap();
    std::fs::write(
        dir.join("receipt.key"),
        vitale::codec::hex::encode(&receipt),
    )
    .unwrap();
    World {
        s,
        server,
        t,
        rights,
        dir,
    }
}

fn open_numbers(location: &str) -> (VitaleStatus, *mut VitaleInvoiceNumbers) {
    let location = c(location);
    let mut numbers = std::ptr::null_mut();
    let status = unsafe { vitale_invoice_numbers_open(location.as_ptr(), &mut numbers) };
    (status, numbers)
}

fn billing_config(w: &World, extra: &str) -> String {
    format!(
        r#"{{"practice": {{"billing_number": "{BILLING_NUMBER}", "specialty": "01"}},
            "receipt_key_file": {}{extra}}}"#,
        serde_json::Value::from(w.dir.join("receipt.key").display().to_string())
    )
}

fn new_billing(
    w: &World,
    numbers: *const VitaleInvoiceNumbers,
    config: &str,
    key: &[u8],
) -> (VitaleStatus, *mut VitaleBilling) {
    let config = c(config);
    let mut billing = std::ptr::null_mut();
    let status = unsafe {
        vitale_billing_new(
            w.t,
            w.rights,
            numbers,
            config.as_ptr(),
            if key.is_empty() {
                std::ptr::null()
            } else {
                key.as_ptr()
            },
            key.len(),
            &mut billing,
        )
    };
    (status, billing)
}

fn bill(
    billing: *const VitaleBilling,
    card: *const VitaleCard,
    visit: &str,
) -> (VitaleStatus, Option<serde_json::Value>) {
    let visit = c(visit);
    let mut json = std::ptr::null_mut();
    let status = unsafe { vitale_billing_bill(billing, card, visit.as_ptr(), &mut json) };
    json_result(status, json)
}

/// A rank whose AMO rights are open on the day (asked through the ABI).
fn open_rank(w: &World, card: *const VitaleCard) -> u8 {
    let date = c("2026-11-22");
    for rank in 1..=3 {
        let mut json = std::ptr::null_mut();
        let status =
            unsafe { vitale_rights_for_card(w.rights, card, rank, date.as_ptr(), &mut json) };
        assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
        if take_json(json)["amo"] == "open" {
            return rank;
        }
    }
    panic!("seed {SEED}: no beneficiary with open rights");
}

fn last_number(numbers: *const VitaleInvoiceNumbers) -> u32 {
    let professional = c(BILLING_NUMBER);
    let mut last = u32::MAX;
    let status = unsafe { vitale_invoice_numbers_last(numbers, professional.as_ptr(), &mut last) };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    last
}

#[test]
fn a_visit_is_billed_and_its_sheet_and_receipt_check() {
    let w = world("bill");
    let db = format!("sqlite:{}", w.dir.join("state.sqlite").display());
    let (status, numbers) = open_numbers(&db);
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    let (status, billing) = new_billing(
        &w,
        numbers,
        &billing_config(&w, ""),
        SHEET_KEY_HEX.as_bytes(),
    );
    assert_ok(status);
    let card = card(&w.s, w.t);
    let rank = open_rank(&w, card);
    let visit = format!(r#"{{"rank": {rank}, "date": "2026-11-22", "acts": ["G"]}}"#);
    let (status, billed) = bill(billing, card, &visit);
    assert_ok(status);
    let billed = billed.unwrap();
    // The facade's BilledVisit JSON: G is 30 € in metropolitan France.
    assert_eq!(billed["sheet"]["number"], 1, "{billed}");
    assert_eq!(billed["sheet"]["totals"]["fee"], 3000, "{billed}");
    assert_eq!(billed["sheet"]["patient"]["rank"], rank);
    assert_eq!(billed["signature"]["kind"], "es256");
    assert!(billed["rights"].is_object());
    assert!(
        billed["receipt"]["text"]
            .as_str()
            .unwrap()
            .contains("30,00")
    );

    // The signed sheet checks with the professional's public key...
    let signed = unhex(billed["signed_sheet"].as_str().unwrap());
    let key = SoftwareSigner::from_slice(&unhex(SHEET_KEY_HEX)).unwrap();
    let spki = key.verifying_key().to_spki_der();
    let verify_sheet = |bytes: &[u8], spki: &[u8]| {
        let mut json = std::ptr::null_mut();
        let status = unsafe {
            vitale_sheet_verify(
                bytes.as_ptr(),
                bytes.len(),
                spki.as_ptr(),
                spki.len(),
                &mut json,
            )
        };
        (
            status,
            (status == VitaleStatus::Ok).then(|| take_json(json)),
        )
    };
    let (status, checked) = verify_sheet(&signed, &spki);
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    let checked = checked.unwrap();
    assert_eq!(checked["sheet"], billed["sheet"]);
    assert_eq!(checked["digest"], billed["digest"]);
    // ...and with no other key.
    let other = SoftwareSigner::from_slice(&[7; 32]).unwrap();
    let (status, _) = verify_sheet(&signed, &other.verifying_key().to_spki_der());
    assert_eq!(status, VitaleStatus::FseSignatureInvalid);
    let (status, _) = verify_sheet(&signed[..signed.len() - 1], &spki);
    assert_eq!(status, VitaleStatus::FseEncodingInvalid);
    let (status, _) = verify_sheet(&signed, b"not a key");
    assert_eq!(status, VitaleStatus::InvalidPublicKey, "{}", last_kind());

    // The signed receipt checks against the terminal's trust list.
    let receipt = unhex(billed["receipt"]["signed"].as_str().unwrap());
    let verify_receipt = |bytes: &[u8]| {
        let mut json = std::ptr::null_mut();
        let status = unsafe { vitale_receipt_verify(w.t, bytes.as_ptr(), bytes.len(), &mut json) };
        (
            status,
            (status == VitaleStatus::Ok).then(|| take_json(json)),
        )
    };
    let (status, checked) = verify_receipt(&receipt);
    assert_ok(status);
    let checked = checked.unwrap();
    assert_eq!(checked["invoice"], 1);
    assert_eq!(checked["totals"]["fee"], 3000);
    assert_eq!(checked["professional"], BILLING_NUMBER);
    assert_eq!(checked["sheet_digest"], billed["digest"]);
    let mut forged = receipt.clone();
    *forged.last_mut().unwrap() ^= 1;
    assert_eq!(
        verify_receipt(&forged).0,
        VitaleStatus::FseReceiptBadSignature
    );

    // The next visit takes the next number; after a restart (the store
    // reopened, a new billing handle) numbering goes on.
    let (status, again) = bill(billing, card, &visit);
    assert_eq!(status, VitaleStatus::Ok);
    assert_eq!(again.unwrap()["sheet"]["number"], 2);
    unsafe {
        vitale_billing_free(billing);
        vitale_invoice_numbers_free(numbers);
    }
    let (_, numbers) = open_numbers(&db);
    assert_eq!(last_number(numbers), 2);
    // The key as its 32 raw bytes this time.
    let (status, billing) =
        new_billing(&w, numbers, &billing_config(&w, ""), &unhex(SHEET_KEY_HEX));
    assert_eq!(status, VitaleStatus::Ok);
    // The handles it was made from may go first.
    unsafe { vitale_invoice_numbers_free(numbers) };
    let (status, third) = bill(billing, card, &visit);
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    assert_eq!(third.unwrap()["sheet"]["number"], 3);
    unsafe {
        vitale_billing_free(billing);
        vitale_card_free(card);
    }
}

#[test]
fn refusals_have_their_kinds_and_use_no_number() {
    let w = world("refusals");
    let (status, numbers) = open_numbers("memory");
    assert_eq!(status, VitaleStatus::Ok);
    let card = card(&w.s, w.t);
    let rank = open_rank(&w, card);
    let g = &format!(r#"{{"rank": {rank}, "date": "2026-11-22", "acts": ["G"]}}"#);

    // No key for a card read offline.
    let (status, unsigned) = new_billing(&w, numbers, &billing_config(&w, ""), &[]);
    assert_eq!(status, VitaleStatus::Ok);
    assert_eq!(bill(unsigned, card, g).0, VitaleStatus::NoSheetSigner);
    assert_eq!(VitaleStatus::NoSheetSigner as i32, 248);
    assert_eq!(last_kind(), "no_sheet_signer");
    unsafe { vitale_billing_free(unsigned) };

    // Keys and configurations refused when the handle is made.
    let key_file = w.dir.join("professional.key");
    std::fs::write(&key_file, format!("{SHEET_KEY_HEX}\n")).unwrap();
    let with_file = format!(
        r#", "sheet_key_file": {}"#,
        serde_json::Value::from(key_file.display().to_string())
    );
    for (config, key, expected) in [
        (
            billing_config(&w, ""),
            &b"0042"[..],
            VitaleStatus::InvalidKey,
        ),
        (
            billing_config(&w, ""),
            &[0u8; 32][..],
            VitaleStatus::InvalidKey,
        ),
        (
            billing_config(&w, &with_file),
            SHEET_KEY_HEX.as_bytes(),
            VitaleStatus::InvalidOptions,
        ),
        (
            billing_config(&w, r#", "sheet_key_file": "/nonexistent/k""#),
            &[][..],
            VitaleStatus::Io,
        ),
        (
            r#"{"practice": {"billing_number": "1", "specialty": "01"}}"#.to_owned(),
            &[][..],
            VitaleStatus::InvalidOptions,
        ),
        (
            r#"{"practice": {"billing_number": "991234567", "specialty": "01"}, "extra": 1}"#
                .to_owned(),
            &[][..],
            VitaleStatus::InvalidOptions,
        ),
    ] {
        let (status, billing) = new_billing(&w, numbers, &config, key);
        assert_eq!(status, expected, "{config}: {}", last_message());
        assert!(billing.is_null());
    }
    let (status, billing) = new_billing(&w, numbers, &billing_config(&w, &with_file), &[]);
    assert_eq!(status, VitaleStatus::Ok, "{}", last_message());

    for (visit, expected) in [
        (
            r#"{"rank": 9, "acts": ["G"]}"#,
            VitaleStatus::NoSuchBeneficiary,
        ),
        (
            r#"{"rank": 1, "date": "2026-11-22", "acts": []}"#,
            VitaleStatus::FseNoActs,
        ),
        (
            r#"{"rank": 1, "date": "2026-11-22", "acts": ["G!"]}"#,
            VitaleStatus::FseInvalidAct,
        ),
        (
            r#"{"rank": 1, "date": "2026-11-22", "acts": ["DEQP003"]}"#,
            VitaleStatus::FseActUnknownOnDate,
        ),
        (
            r#"{"rank": 1, "date": "22/11/2026", "acts": ["G"]}"#,
            VitaleStatus::InvalidOptions,
        ),
        (
            r#"{"rank": 1, "acts": ["G"], "pathway": "sideways"}"#,
            VitaleStatus::InvalidOptions,
        ),
        ("not json", VitaleStatus::InvalidOptions),
    ] {
        let visit = &visit.replace("\"rank\": 1,", &format!("\"rank\": {rank},"));
        assert_eq!(
            bill(billing, card, visit).0,
            expected,
            "{visit}: {}",
            last_message()
        );
    }
    w.server.set_fault(Some(Fault::Unavailable));
    assert_eq!(bill(billing, card, g).0, VitaleStatus::RightsUnavailable);
    w.server.set_fault(Some(Fault::RightsClosed));
    assert_eq!(bill(billing, card, g).0, VitaleStatus::FseRightsClosed);
    w.server.set_fault(None);
    assert_eq!(last_number(numbers), 0, "no refusal used a number");

    // Stores that cannot be opened.
    assert_eq!(
        open_numbers("carrier-pigeon:1").0,
        VitaleStatus::StoreLocationInvalid
    );
    assert_eq!(
        open_numbers("sqlite:/nonexistent/dir/n.sqlite").0,
        VitaleStatus::StoreUnavailable
    );
    // Null arguments are statuses, never crashes.
    let visit = c(g);
    let mut json = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_billing_bill(std::ptr::null(), card, visit.as_ptr(), &mut json) },
        VitaleStatus::NullArgument
    );
    assert_eq!(
        unsafe { vitale_billing_bill(billing, card, std::ptr::null(), &mut json) },
        VitaleStatus::NullArgument
    );
    unsafe {
        vitale_billing_free(billing);
        vitale_invoice_numbers_free(numbers);
        vitale_card_free(card);
    }
}

#[test]
fn a_sheet_is_signed_elsewhere_in_two_phases() {
    use vitale::verify::Signer as _;

    let w = world("two-phases");
    let (_, numbers) = open_numbers("memory");
    // No key in the billing: the professional's key is "in an HSM".
    let (status, billing) = new_billing(&w, numbers, &billing_config(&w, ""), &[]);
    assert_eq!(status, VitaleStatus::Ok);
    let card = card(&w.s, w.t);
    let rank = open_rank(&w, card);
    let visit = c(&format!(
        r#"{{"rank": {rank}, "date": "2026-11-22", "acts": ["G"]}}"#
    ));
    let mut sheet = std::ptr::null_mut();
    let status = unsafe { vitale_billing_prepare(billing, card, visit.as_ptr(), &mut sheet) };
    assert_ok(status);
    let mut json = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_sheet_to_sign_json(sheet, &mut json) },
        VitaleStatus::Ok
    );
    let to_sign = take_json(json);
    assert_eq!(to_sign["sheet"]["number"], 1);
    assert!(to_sign["rights"].is_object());
    let digest: [u8; 32] = unhex(to_sign["digest"].as_str().unwrap())
        .try_into()
        .unwrap();
    assert!(!to_sign["cbor"].as_str().unwrap().is_empty());
    assert_eq!(last_number(numbers), 1, "the number is taken in phase one");

    // The "HSM" signs the digest.
    let hsm = SoftwareSigner::from_slice(&unhex(SHEET_KEY_HEX)).unwrap();
    let signature = hsm.sign_digest(&digest).unwrap().to_bytes();
    let spki = hsm.verifying_key().to_spki_der();
    let complete = |signature: &[u8], spki: &[u8]| {
        let mut json = std::ptr::null_mut();
        let status = unsafe {
            vitale_sheet_to_sign_complete(
                sheet,
                signature.as_ptr(),
                signature.len(),
                spki.as_ptr(),
                spki.len(),
                &mut json,
            )
        };
        (
            status,
            (status == VitaleStatus::Ok).then(|| take_json(json)),
        )
    };
    // A signature that does not verify leaves the sheet to sign.
    let other = SoftwareSigner::from_slice(&[9; 32]).unwrap();
    let (status, _) = complete(&signature, &other.verifying_key().to_spki_der());
    assert_eq!(status, VitaleStatus::FseSignatureInvalid, "{}", last_kind());
    let (status, _) = complete(&signature[..63], &spki);
    assert_eq!(
        status,
        VitaleStatus::InvalidSignatureEncoding,
        "{}",
        last_kind()
    );
    let (status, billed) = complete(&signature, &spki);
    assert_ok(status);
    let billed = billed.unwrap();
    assert_eq!(billed["sheet"], to_sign["sheet"]);
    assert_eq!(billed["digest"], to_sign["digest"]);
    assert_eq!(billed["signature"]["kind"], "es256");
    assert_eq!(
        billed["signature"]["kid"],
        vitale::codec::hex::encode(&hsm.kid().unwrap())
    );
    // The same checks as a sheet billed in one call.
    let signed = unhex(billed["signed_sheet"].as_str().unwrap());
    let mut json = std::ptr::null_mut();
    let status = unsafe {
        vitale_sheet_verify(
            signed.as_ptr(),
            signed.len(),
            spki.as_ptr(),
            spki.len(),
            &mut json,
        )
    };
    assert_eq!(status, VitaleStatus::Ok);
    take_json(json);
    let receipt = unhex(billed["receipt"]["signed"].as_str().unwrap());
    let status = unsafe { vitale_receipt_verify(w.t, receipt.as_ptr(), receipt.len(), &mut json) };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_message());
    assert_eq!(take_json(json)["invoice"], 1);
    // Signed once.
    assert_eq!(complete(&signature, &spki).0, VitaleStatus::InvalidArgument);
    assert_eq!(
        unsafe { vitale_sheet_to_sign_json(sheet, &mut json) },
        VitaleStatus::InvalidArgument
    );
    unsafe {
        vitale_sheet_to_sign_free(sheet);
        vitale_billing_free(billing);
        vitale_invoice_numbers_free(numbers);
        vitale_card_free(card);
    }
}

/// The handle is shared: raw pointers are not `Send`, the address is.
#[derive(Clone, Copy)]
struct Shared(usize);

#[test]
fn several_threads_bill_through_one_handle_with_unique_numbers() {
    let w = world("threads");
    let (_, numbers) = open_numbers(&format!("sqlite:{}", w.dir.join("n.sqlite").display()));
    let (status, billing) = new_billing(
        &w,
        numbers,
        &billing_config(&w, ""),
        SHEET_KEY_HEX.as_bytes(),
    );
    assert_eq!(status, VitaleStatus::Ok);
    let card = card(&w.s, w.t);
    let rank = open_rank(&w, card);
    let visit = format!(r#"{{"rank": {rank}, "date": "2026-11-22", "acts": ["G"]}}"#);
    let (b, k) = (Shared(billing as usize), Shared(card as usize));
    let got: Vec<u64> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let visit = &visit;
                scope.spawn(move || {
                    (0..3)
                        .map(|_| {
                            let (status, billed) =
                                bill(b.0 as *const VitaleBilling, k.0 as *const VitaleCard, visit);
                            assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
                            billed.unwrap()["sheet"]["number"].as_u64().unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let unique: BTreeSet<u64> = got.iter().copied().collect();
    assert_eq!(unique, (1..=12).collect(), "{got:?}");
    assert_eq!(last_number(numbers), 12);
    unsafe {
        vitale_billing_free(billing);
        vitale_invoice_numbers_free(numbers);
        vitale_card_free(card);
    }
}
