//! The ABI called as C calls it (raw pointers, NUL-terminated strings),
//! from Rust: several threads verifying through one terminal while another
//! installs a newer trust list, scanner lines, grey frames, the rights
//! service over HTTPS (the simulator's), and the status table documented in
//! `docs/ffi.md` and the header.
#![allow(
    unsafe_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks
)]

mod common;

use std::path::Path;

use common::ffi::{
    NOW, c, json_result, last_kind, last_message, new_terminal, now, online_server, take, take_json,
};
use vitale::codec::model::Timestamp;
use vitale_ffi::*;
use vitale_sim::{RenderOptions, Scenario, Seed, render_qr};

/// A terminal over the scenario's trust list at the fixed NOW.
fn terminal(s: &Scenario, extra_options: &str) -> *mut VitaleTerminal {
    let options = format!("{{\"at\": {NOW}{extra_options}}}");
    let (status, t) = new_terminal(s, &s.trust_list, &options);
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    t
}

fn verify(t: *const VitaleTerminal, text: &str) -> (VitaleStatus, Option<serde_json::Value>) {
    let text = c(text);
    let mut json = std::ptr::null_mut();
    let status =
        unsafe { vitale_terminal_verify_text(t, text.as_ptr(), std::ptr::null_mut(), &mut json) };
    json_result(status, json)
}

/// The handle is shared: raw pointers are not `Send`, the address is.
#[derive(Clone, Copy)]
struct Shared(usize);

#[test]
fn several_threads_verify_through_one_terminal_while_the_trust_list_is_updated() {
    let s = Scenario::new(Seed::from_u64(31), 2, now()).unwrap();
    let t = terminal(&s, "");
    let texts: Vec<String> = (0..24)
        .map(|_| s.phone.present_qr_text(now(), 120).unwrap())
        .collect();
    let newer = s
        .issuer
        .trust_list_cbor(
            2,
            Timestamp::from_unix(NOW - 3_600).unwrap(),
            Timestamp::from_unix(NOW + 86_400).unwrap(),
        )
        .unwrap();
    let shared = Shared(t as usize);
    std::thread::scope(|scope| {
        let mut workers = Vec::new();
        for chunk in texts.chunks(6) {
            workers.push(scope.spawn(move || {
                let t = shared.0 as *const VitaleTerminal;
                for text in chunk {
                    let (status, card) = verify(t, text);
                    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
                    let card = card.unwrap();
                    assert_eq!(card["card"]["beneficiaries"].as_array().unwrap().len(), 2);
                    // Each text once: the second time is a replay, whichever
                    // thread sees it.
                    assert_eq!(verify(t, text).0, VitaleStatus::Replay);
                    assert_eq!(last_kind(), "replay");
                }
            }));
        }
        let updater = scope.spawn(move || {
            let t = shared.0 as *const VitaleTerminal;
            let status =
                unsafe { vitale_terminal_update_trust_list(t, newer.as_ptr(), newer.len()) };
            assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
            // The same list again is not newer.
            let status =
                unsafe { vitale_terminal_update_trust_list(t, newer.as_ptr(), newer.len()) };
            assert_eq!(status, VitaleStatus::TrustListStaleSequence);
        });
        for w in workers {
            w.join().unwrap();
        }
        updater.join().unwrap();
    });
    let mut info = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_terminal_trust_list_info(t, &mut info) },
        VitaleStatus::Ok
    );
    let info: serde_json::Value = take_json(info);
    assert_eq!(info["sequence"], 2);
    unsafe { vitale_terminal_free(t) };
}

#[test]
fn scanner_lines_frames_cards_and_masking() {
    let s = Scenario::new(Seed::from_u64(32), 3, now()).unwrap();
    let t = terminal(&s, "");
    // A QWERTY scanner on an AZERTY desktop would garble the line; an
    // intact line is accepted as is.
    let line = c(&s.phone.present_qr_text(now(), 120).unwrap());
    let mut json = std::ptr::null_mut();
    let mut card = std::ptr::null_mut();
    let status =
        unsafe { vitale_terminal_verify_scanner_line(t, line.as_ptr(), &mut card, &mut json) };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    let value: serde_json::Value = take_json(json);
    assert_eq!(value["repair"]["intact"], true);
    let nir = value["card"]["insured"]["nir"].as_str().unwrap().to_owned();
    assert!(nir.contains('•'), "masked by default: {nir}");
    let options = c(r#"{"show_nir": true}"#);
    let mut shown = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_card_json(card, options.as_ptr(), &mut shown) },
        VitaleStatus::Ok
    );
    let shown: serde_json::Value = take_json(shown);
    assert_eq!(shown["insured"]["nir"].as_str().unwrap().len(), 15);
    unsafe { vitale_card_free(card) };

    // A grey frame with a row stride wider than the picture.
    let image = render_qr(
        &s.phone.present_qr_text(now(), 120).unwrap(),
        &RenderOptions::default(),
    )
    .unwrap();
    let (w, h) = (image.width(), image.height());
    let stride = w + 7;
    let mut pixels = vec![0u8; (stride * h) as usize];
    for (row, src) in image.pixels().chunks(w as usize).enumerate() {
        pixels[row * stride as usize..][..w as usize].copy_from_slice(src);
    }
    let status = unsafe {
        vitale_terminal_read_frame(
            t,
            pixels.as_ptr(),
            pixels.len(),
            w,
            h,
            stride,
            std::ptr::null_mut(),
            &mut json,
        )
    };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    take(json);
    // A stride smaller than the width is a bad frame, not a crash.
    let status = unsafe {
        vitale_terminal_read_frame(
            t,
            pixels.as_ptr(),
            pixels.len(),
            w,
            h,
            w - 1,
            std::ptr::null_mut(),
            &mut json,
        )
    };
    assert_eq!(status, VitaleStatus::BadFrame);
    // A blank frame has no code.
    let blank = vec![255u8; (w * h) as usize];
    let status = unsafe {
        vitale_terminal_read_frame(
            t,
            blank.as_ptr(),
            blank.len(),
            w,
            h,
            w,
            std::ptr::null_mut(),
            &mut json,
        )
    };
    assert_eq!(status, VitaleStatus::NoCode);
    // A file that does not exist.
    let path = c("/nonexistent/qr.png");
    let status = unsafe {
        vitale_terminal_read_image_file(t, path.as_ptr(), std::ptr::null_mut(), &mut json)
    };
    assert_eq!(status, VitaleStatus::Io);
    // A token with no context service configured.
    let token = c("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345");
    let status =
        unsafe { vitale_terminal_verify_text(t, token.as_ptr(), std::ptr::null_mut(), &mut json) };
    assert_eq!(status, VitaleStatus::NoTokenVerifier);
    unsafe { vitale_terminal_free(t) };
}

#[test]
fn options_are_checked() {
    let s = Scenario::new(Seed::from_u64(33), 1, now()).unwrap();
    for (options, expected) in [
        (r#"{"qr_decoder": "zbar"}"#, VitaleStatus::InvalidOptions),
        (r#"{"qr_decoder": "strategy"}"#, VitaleStatus::Ok),
        (r#"{"clock_skew": 5}"#, VitaleStatus::InvalidOptions),
        (r#"{"at": 1}"#, VitaleStatus::TrustListNotYetValid),
        (
            r#"{"qr_decoder": "quircs", "clock_skew_secs": 60}"#,
            VitaleStatus::Ok,
        ),
    ] {
        let (status, t) = new_terminal(&s, &s.trust_list, options);
        assert_eq!(status, expected, "{options}: {}", last_kind());
        unsafe { vitale_terminal_free(t) };
    }
}

#[test]
fn rights_over_https_from_the_simulator() {
    let s = Scenario::new(Seed::from_u64(34), 2, now()).unwrap();
    let server = online_server(34, &s);
    let config = serde_json::json!({
        "url": server.url(),
        "ca_pem": server.ca_pem(),
        "billing_number": "991234567",
        "specialty": "01",
    });
    let config = c(&config.to_string());
    let mut service = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_rights_service_new(config.as_ptr(), &mut service) },
        VitaleStatus::Ok,
        "{}",
        last_kind()
    );
    let t = terminal(&s, "");
    let text = c(&s.phone.present_qr_text(now(), 120).unwrap());
    let mut card = std::ptr::null_mut();
    let status =
        unsafe { vitale_terminal_verify_text(t, text.as_ptr(), &mut card, std::ptr::null_mut()) };
    assert_eq!(status, VitaleStatus::Ok);
    let date = c("2026-11-22");
    let mut json = std::ptr::null_mut();
    let status = unsafe { vitale_rights_for_card(service, card, 1, date.as_ptr(), &mut json) };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    let answer: serde_json::Value = take_json(json);
    assert!(
        answer["amo"] == "open" || answer["amo"] == "closed",
        "{answer}"
    );
    assert!(answer["rights"].is_object());
    // The same query as JSON gives the same answer.
    let query = serde_json::json!({
        "reference_date": "2026-11-22",
        "beneficiary": {
            "by": "insured",
            "insured_nir": s.household.insured.nir().to_string().replace(' ', ""),
            "birth_date": answer["rights"]["identity"]["birth_date"],
            "birth_rank": answer["rights"]["identity"]["birth_rank"],
        },
    });
    let query = c(&query.to_string());
    let status = unsafe { vitale_rights_query(service, query.as_ptr(), &mut json) };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    let again: serde_json::Value = take_json(json);
    assert_eq!(again, answer);
    // No beneficiary of rank 9.
    let status = unsafe { vitale_rights_for_card(service, card, 9, date.as_ptr(), &mut json) };
    assert_eq!(status, VitaleStatus::NoSuchBeneficiary);
    unsafe {
        vitale_card_free(card);
        vitale_terminal_free(t);
        vitale_rights_service_free(service);
    }
    server.stop();
}

#[test]
fn every_status_is_in_the_header_and_in_docs_ffi_md() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = std::fs::read_to_string(dir.join("include/vitale.h")).unwrap();
    let docs = std::fs::read_to_string(dir.join("../../docs/ffi.md")).unwrap();
    for code in 0..1000 {
        let mut buf = [0u8; 64];
        let mut needed = 0;
        unsafe { vitale_error_kind(code, buf.as_mut_ptr().cast(), buf.len(), &mut needed) };
        let kind = std::str::from_utf8(&buf[..needed - 1]).unwrap();
        if kind == "unknown" {
            continue;
        }
        let constant = format!("VITALE_STATUS_{} = {code},", kind.to_uppercase());
        assert!(header.contains(&constant), "header lacks {constant}");
        let row = format!("| {code} | `{kind}` |");
        assert!(docs.contains(&row), "docs/ffi.md lacks the row {row:?}");
    }
}

#[test]
fn a_sqlite_replay_cache_refuses_a_replay_after_a_restart() {
    let s = Scenario::new(Seed::from_u64(44), 1, now()).unwrap();
    let dir = std::env::temp_dir().join(format!("vitale-ffi-replay-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("replay.sqlite");
    let option = format!(", \"replay_cache\": \"sqlite:{}\"", db.display());
    let text = s.phone.present_qr_text(now(), 120).unwrap();

    let first = terminal(&s, &option);
    assert_eq!(verify(first, &text).0, VitaleStatus::Ok);
    unsafe { vitale_terminal_free(first) };
    // The workstation restarts: a new terminal on the same file.
    let second = terminal(&s, &option);
    assert_eq!(verify(second, &text).0, VitaleStatus::Replay);
    assert_eq!(last_kind(), "replay");
    // An in-memory terminal would have accepted it again.
    let memory = terminal(&s, ", \"replay_cache\": \"memory\"");
    assert_eq!(verify(memory, &text).0, VitaleStatus::Ok);
    unsafe {
        vitale_terminal_free(second);
        vitale_terminal_free(memory);
    }

    // A location that does not parse.
    let options = format!("{{\"at\": {NOW}, \"replay_cache\": \"carrier-pigeon:1\"}}");
    let (status, t) = new_terminal(&s, &s.trust_list, &options);
    assert_eq!(status, VitaleStatus::StoreLocationInvalid);
    assert!(t.is_null());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_function_of_the_header_is_listed_in_docs_ffi_md() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = std::fs::read_to_string(dir.join("include/vitale.h")).unwrap();
    let docs = std::fs::read_to_string(dir.join("../../docs/ffi.md")).unwrap();
    let mut functions = std::collections::BTreeSet::new();
    for line in header.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (at, _) in line.match_indices("vitale_") {
            let name: String = line[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if line[at + name.len()..].starts_with('(') {
                functions.insert(name);
            }
        }
    }
    assert!(functions.len() >= 48, "{functions:?}");
    for name in &functions {
        assert!(
            docs.contains(&format!("`{name}(")),
            "docs/ffi.md does not list {name}"
        );
    }
}

/// An online service's timeouts: `connect_timeout_secs` (TCP and TLS
/// handshake) from 1 to `timeout_secs`, each refused outside its range
/// with the field named; in range, the service answers.
#[test]
fn rights_service_timeouts_are_checked() {
    let s = Scenario::new(Seed::from_u64(35), 1, now()).unwrap();
    let server = online_server(35, &s);
    let new = |extra: serde_json::Value| {
        let mut config = serde_json::json!({
            "url": server.url(),
            "ca_pem": server.ca_pem(),
            "billing_number": "991234567",
            "specialty": "01",
        });
        for (k, v) in extra.as_object().unwrap() {
            config[k] = v.clone();
        }
        let config = c(&config.to_string());
        let mut service = std::ptr::null_mut();
        let status = unsafe { vitale_rights_service_new(config.as_ptr(), &mut service) };
        (status, service)
    };
    for (extra, field) in [
        (
            serde_json::json!({"connect_timeout_secs": 0}),
            "connect_timeout_secs",
        ),
        (
            serde_json::json!({"timeout_secs": 10, "connect_timeout_secs": 11}),
            "connect_timeout_secs",
        ),
        (serde_json::json!({"timeout_secs": 0}), "timeout_secs"),
    ] {
        let (status, service) = new(extra.clone());
        assert_eq!(status, VitaleStatus::InvalidOptions, "{extra}");
        assert!(service.is_null());
        assert_eq!(last_kind(), "invalid_options");
        assert!(
            last_message().contains(field),
            "{extra}: {}",
            last_message()
        );
    }
    let (status, service) = new(serde_json::json!({"timeout_secs": 10, "connect_timeout_secs": 3}));
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    let t = terminal(&s, "");
    let card = common::ffi::card(&s, t);
    let date = c("2026-11-22");
    let mut json = std::ptr::null_mut();
    let status = unsafe { vitale_rights_for_card(service, card, 1, date.as_ptr(), &mut json) };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    assert!(take_json(json)["rights"].is_object());
    unsafe {
        vitale_card_free(card);
        vitale_terminal_free(t);
        vitale_rights_service_free(service);
    }
    server.stop();
}
