//! Calling the ABI from Rust as C does: C strings, library-owned results
//! copied then freed, the last error's kind, a terminal at a fixed "now",
//! the simulator's HTTPS server.
#![allow(unsafe_code, clippy::undocumented_unsafe_blocks)]

use std::ffi::{CStr, CString};
use std::os::raw::c_char;

use vitale::codec::model::Timestamp;
use vitale_ffi::*;
use vitale_sim::online::{OnlineServer, ServerConfig};
use vitale_sim::{Scenario, Seed};

/// 2026-11-22T08:00:00Z.
pub(crate) const NOW: u64 = 1_795_334_400;

pub(crate) fn now() -> Timestamp {
    Timestamp::from_unix(NOW).unwrap()
}

pub(crate) fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// A library-owned string, copied then freed.
pub(crate) fn take(ptr: *mut c_char) -> String {
    assert!(!ptr.is_null());
    let text = unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned();
    unsafe { vitale_string_free(ptr) };
    text
}

/// A library-owned JSON string, parsed then freed.
pub(crate) fn take_json(ptr: *mut c_char) -> serde_json::Value {
    serde_json::from_str(&take(ptr)).unwrap()
}

/// The calling thread's last error kind.
pub(crate) fn last_kind() -> String {
    let mut buf = [0u8; 128];
    let mut needed = 0;
    unsafe { vitale_last_error_kind(buf.as_mut_ptr().cast(), buf.len(), &mut needed) };
    String::from_utf8(buf[..needed - 1].to_vec()).unwrap()
}

/// Asserts that a call returned `Ok`, showing the calling thread's last
/// error kind and message when it did not.
#[track_caller]
pub(crate) fn assert_ok(status: VitaleStatus) {
    assert_eq!(
        status,
        VitaleStatus::Ok,
        "{}: {}",
        last_kind(),
        last_message()
    );
}

/// A call's status and, when it is `Ok`, the JSON it wrote to `json`
/// (parsed then freed); on a failure `json` must be left null.
pub(crate) fn json_result(
    status: VitaleStatus,
    json: *mut c_char,
) -> (VitaleStatus, Option<serde_json::Value>) {
    if status == VitaleStatus::Ok {
        (status, Some(take_json(json)))
    } else {
        assert!(json.is_null());
        (status, None)
    }
}

/// The calling thread's last error message.
pub(crate) fn last_message() -> String {
    let mut buf = vec![0u8; 4096];
    let mut needed = 0;
    unsafe { vitale_last_error_message(buf.as_mut_ptr().cast(), buf.len(), &mut needed) };
    String::from_utf8(buf[..needed.min(buf.len()) - 1].to_vec()).unwrap()
}

/// `vitale_terminal_new` over `list` with the scenario's root and the
/// JSON `options`: the status and the handle (null on failure).
pub(crate) fn new_terminal(
    s: &Scenario,
    list: &[u8],
    options: &str,
) -> (VitaleStatus, *mut VitaleTerminal) {
    let root = s.anchor.public_key().to_spki_der();
    let options = c(options);
    let mut t = std::ptr::null_mut();
    let status = unsafe {
        vitale_terminal_new(
            list.as_ptr(),
            list.len(),
            root.as_ptr(),
            root.len(),
            options.as_ptr(),
            &mut t,
        )
    };
    (status, t)
}

/// A terminal over a trust list of the scenario's root at the fixed NOW.
pub(crate) fn terminal_with(s: &Scenario, list: &[u8]) -> *mut VitaleTerminal {
    let (status, t) = new_terminal(s, list, &format!("{{\"at\": {NOW}}}"));
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    t
}

/// The simulator's HTTPS server (rights, trust list, contexts) on
/// loopback, for the scenario's household.
pub(crate) fn online_server(seed: u64, s: &Scenario) -> OnlineServer {
    OnlineServer::start(ServerConfig::new(
        Seed::from_u64(seed),
        vec![s.household.clone()],
    ))
    .unwrap()
}

/// A card handle for a fresh QR presentation of the scenario's phone.
pub(crate) fn card(s: &Scenario, t: *const VitaleTerminal) -> *mut VitaleCard {
    let text = c(&s.phone.present_qr_text(now(), 120).unwrap());
    let mut card = std::ptr::null_mut();
    let status =
        unsafe { vitale_terminal_verify_text(t, text.as_ptr(), &mut card, std::ptr::null_mut()) };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    card
}

/// Lower-case hex to bytes.
pub(crate) fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "{text}");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// A scratch folder of this test process.
pub(crate) fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("ffi-scratch")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
