//! Drives the C ABI's JSON and text inputs through the exported functions
//! (`vitale-ffi`, docs/ffi.md): terminal options, card options, the rights
//! client's settings and query, the billing set-up and a visit, the
//! trust-list refresher's settings, an invoice-number store location, QR
//! texts and scanner lines, signed sheets and receipts, and the JSON
//! pointer reader — as raw NUL-terminated strings, the way C passes them.
//! Nothing reaches the network or the disk: the billing handle has no key
//! (a bill stops at `no_sheet_signer` before its rights query), options
//! naming files are skipped, the refresher is made and freed unused.
//!
//! The input is split at `0x00` bytes into up to four parts (the rest is
//! ignored): options, a text, a JSON document and a pointer.
//!
//! Asserts beyond "no panic": no call returns `panic`; an out pointer is
//! null exactly when the call failed; a result string is valid JSON; the
//! thread's last error names the status's kind (or a facade kind without a
//! number for `unnumbered_error`), and is empty after a success.
#![no_main]

use std::ffi::{CStr, CString, c_char};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vitale_codec::model::Timestamp;
use vitale_ffi::*;
use vitale_sim::{Scenario, Seed};

const NOW: u64 = 1_795_334_400;

/// A CA certificate for the rights client's settings (never contacted:
/// the client is made, not used). Self-signed, no key kept.
const CA_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBiTCCAS+gAwIBAgIUen3DFswBI5LfENSWYMDpIaEHb6IwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOdml0YWxlLWZ1enotY2EwIBcNMjYxMTMwMDYxMTI5WhgPMjEy
NjExMDYwNjExMjlaMBkxFzAVBgNVBAMMDnZpdGFsZS1mdXp6LWNhMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAECuWXTZpn2D1/DqaJkACiDljxwvBwsKBCe4aRrYqz
G5uQUlyaDXt/LkPePTiz/19IFD5Y+GUFwPwhziXIf5Iw+6NTMFEwHQYDVR0OBBYE
FAOoLFI4v1JtH067bS7m/TQ4Qz5QMB8GA1UdIwQYMBaAFAOoLFI4v1JtH067bS7m
/TQ4Qz5QMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAPQ2umay
tslxXu2pZJ0371qrhDhA/8gbwisliqdro0/SAiACUyvQt4dYQw/ZGrVuvs7icbxV
Gf8iVI/XbL1Lm5e43g==
-----END CERTIFICATE-----
";

struct World {
    list: Vec<u8>,
    root: Vec<u8>,
    terminal: usize,
    card: usize,
    rights: usize,
    numbers: usize,
    billing: usize,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let now = Timestamp::from_unix(NOW).expect("in range");
        let s = Scenario::new(Seed::from_u64(9), 2, now).expect("scenario");
        let root = s.anchor.public_key().to_spki_der();
        let options = CString::new(format!("{{\"at\": {NOW}}}")).expect("no NUL");
        let mut t = std::ptr::null_mut();
        // SAFETY: slices with their lengths, a NUL-terminated string, a
        // writable pointer.
        let status = unsafe {
            vitale_terminal_new(s.trust_list.as_ptr(), s.trust_list.len(), root.as_ptr(), root.len(), options.as_ptr(), &mut t)
        };
        assert_eq!(status, VitaleStatus::Ok);
        let text = CString::new(s.phone.present_qr_text(now, 120).expect("text")).expect("no NUL");
        let mut card = std::ptr::null_mut();
        // SAFETY: a live terminal, a NUL-terminated text, a writable pointer.
        let status = unsafe { vitale_terminal_verify_text(t, text.as_ptr(), &mut card, std::ptr::null_mut()) };
        assert_eq!(status, VitaleStatus::Ok);
        let config = serde_json::json!({
            "url": "https://127.0.0.1:9", "ca_pem": CA_PEM,
            "billing_number": "991234567", "specialty": "01",
        });
        let config = CString::new(config.to_string()).expect("no NUL");
        let mut rights = std::ptr::null_mut();
        // SAFETY: a NUL-terminated string, a writable pointer.
        let status = unsafe { vitale_rights_service_new(config.as_ptr(), &mut rights) };
        assert_eq!(status, VitaleStatus::Ok);
        let memory = CString::new("memory").expect("no NUL");
        let mut numbers = std::ptr::null_mut();
        // SAFETY: a NUL-terminated string, a writable pointer.
        let status = unsafe { vitale_invoice_numbers_open(memory.as_ptr(), &mut numbers) };
        assert_eq!(status, VitaleStatus::Ok);
        let practice = CString::new(r#"{"practice": {"billing_number": "991234567", "specialty": "01"}}"#).expect("no NUL");
        let mut billing = std::ptr::null_mut();
        // SAFETY: live handles, a NUL-terminated string, no key, a
        // writable pointer.
        let status = unsafe { vitale_billing_new(t, rights, numbers, practice.as_ptr(), std::ptr::null(), 0, &mut billing) };
        assert_eq!(status, VitaleStatus::Ok);
        World {
            list: s.trust_list,
            root,
            terminal: t as usize,
            card: card as usize,
            rights: rights as usize,
            numbers: numbers as usize,
            billing: billing as usize,
        }
    })
}

fn last_kind() -> String {
    let mut buf = [0u8; 128];
    let mut needed = 0;
    // SAFETY: a writable buffer of its length and a writable size.
    unsafe { vitale_last_error_kind(buf.as_mut_ptr().cast(), buf.len(), &mut needed) };
    String::from_utf8_lossy(&buf[..needed.saturating_sub(1).min(buf.len())]).into_owned()
}

/// Checks a call's status, its out string and the last error.
fn check(status: VitaleStatus, out: *mut c_char) {
    assert_ne!(status, VitaleStatus::Panic, "panic: {}", last_kind());
    let kind = last_kind();
    if status == VitaleStatus::Ok {
        assert!(kind.is_empty());
        if !out.is_null() {
            // SAFETY: a string the library returned.
            let text = unsafe { CStr::from_ptr(out) }.to_str().expect("UTF-8");
            serde_json::from_str::<serde_json::Value>(text).expect("valid JSON");
            // SAFETY: returned by the library, freed once.
            unsafe { vitale_string_free(out) };
        }
    } else {
        assert!(out.is_null(), "out pointer set on failure");
        if status == VitaleStatus::UnnumberedError {
            assert!(!kind.is_empty());
        } else {
            assert_eq!(kind, status.kind());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    let t = w.terminal as *const VitaleTerminal;
    let card = w.card as *const VitaleCard;
    // Split at every NUL and keep the first four parts: each is then free
    // of NUL bytes (`splitn` would leave NULs in the last one).
    let mut parts = data.split(|&b| b == 0).take(4).map(|p| CString::new(p).expect("split at NUL"));
    let options = parts.next().unwrap_or_default();
    let text = parts.next().unwrap_or_default();
    let json = parts.next().unwrap_or_default();
    let pointer = parts.next().unwrap_or_default();
    let mut out: *mut c_char = std::ptr::null_mut();
    // A `replay_cache` location would make the fuzzer create database files
    // wherever its bytes point: those options are not tried here (the
    // location parser is vitale-store's, tested there).
    // The key is looked up after parsing, so an escaped spelling
    // (`replay\u005fcache`) is caught too.
    // Billing options naming files (`sheet_key_file`, `receipt_key_file`,
    // `tariffs_file`) would read wherever the bytes point (`/dev/stdin`
    // would block): skipped too.
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(options.as_bytes()) {
        if map.contains_key("replay_cache") || map.keys().any(|k| k.ends_with("_file")) {
            return;
        }
    }

    // Terminal options (the trust list is valid: only the options vary).
    let mut t2 = std::ptr::null_mut();
    // SAFETY: slices with their lengths, NUL-terminated strings, writable
    // pointers; every handle made is freed once.
    unsafe {
        let status = vitale_terminal_new(w.list.as_ptr(), w.list.len(), w.root.as_ptr(), w.root.len(), options.as_ptr(), &mut t2);
        check(status, std::ptr::null_mut());
        assert_eq!(status == VitaleStatus::Ok, !t2.is_null());
        vitale_terminal_free(t2);

        // Card options.
        let status = vitale_card_json(card, options.as_ptr(), &mut out);
        check(status, out);

        // The rights client's settings (`_new` sends nothing).
        let mut service = std::ptr::null_mut();
        let status = vitale_rights_service_new(options.as_ptr(), &mut service);
        check(status, std::ptr::null_mut());
        vitale_rights_service_free(service);

        // Texts: QR text and scanner line (presentations are refused:
        // a fuzzed text cannot carry a valid signature).
        let status = vitale_terminal_verify_text(t, text.as_ptr(), std::ptr::null_mut(), &mut out);
        check(status, out);
        let status = vitale_terminal_verify_scanner_line(t, text.as_ptr(), std::ptr::null_mut(), &mut out);
        check(status, out);

        // The billing set-up (no key: nothing is signed, no file read).
        let mut billing = std::ptr::null_mut();
        let status = vitale_billing_new(t, w.rights as *const VitaleRightsService, w.numbers as *const VitaleInvoiceNumbers, options.as_ptr(), std::ptr::null(), 0, &mut billing);
        check(status, std::ptr::null_mut());
        assert_eq!(status == VitaleStatus::Ok, !billing.is_null());
        vitale_billing_free(billing);

        // A visit: read, then refused for want of a key before any rights
        // query (`no_sheet_signer`) when it reads.
        let status = vitale_billing_bill(w.billing as *const VitaleBilling, card, json.as_ptr(), &mut out);
        assert_ne!(status, VitaleStatus::Ok, "a bill without a key");
        check(status, out);

        // The refresher's settings (`_new` fetches and writes nothing).
        let mut refresher = std::ptr::null_mut();
        let status = vitale_trust_refresher_new(t, options.as_ptr(), &mut refresher);
        check(status, std::ptr::null_mut());
        vitale_trust_refresher_free(refresher);

        // A store location (this build has no SQLite: nothing is created).
        let mut numbers = std::ptr::null_mut();
        let status = vitale_invoice_numbers_open(text.as_ptr(), &mut numbers);
        check(status, std::ptr::null_mut());
        vitale_invoice_numbers_free(numbers);

        // Signed sheets and receipts from bytes.
        let bytes = json.as_bytes();
        let status = vitale_sheet_verify(bytes.as_ptr(), bytes.len(), w.root.as_ptr(), w.root.len(), &mut out);
        check(status, out);
        let status = vitale_receipt_verify(t, bytes.as_ptr(), bytes.len(), &mut out);
        check(status, out);

        // The JSON pointer reader.
        let mut buf = [0u8; 64];
        let mut needed = 0usize;
        let status = vitale_json_get(json.as_ptr(), pointer.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), &mut needed);
        assert_ne!(status, VitaleStatus::Panic);
        if status == VitaleStatus::Ok || status == VitaleStatus::BufferTooSmall {
            assert!(needed >= 1);
            assert!(buf.contains(&0), "NUL-terminated");
        }
        let mut count = 0usize;
        let status = vitale_json_count(json.as_ptr(), pointer.as_ptr(), &mut count);
        check(status, std::ptr::null_mut());
    }
});
