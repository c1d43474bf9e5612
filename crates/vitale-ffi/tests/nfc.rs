//! `vitale_terminal_read_nfc` through the C ABI on the real PC/SC stack: a
//! private `pcscd` with the vpcd virtual reader (`vitale-test-support`'s
//! harness: its own mount namespace, free ports, the test re-executed with
//! `PCSCLITE_CSOCK_NAME` pointing at it), the phone emulated by
//! `vitale-sim` over the vpcd socket, the read called as C calls it: a C
//! progress callback with a user pointer, a cancel handle used from
//! another thread.
//!
//! A daemon that cannot be started fails the test (in CI and everywhere
//! else: the harness panics). Waits are upper bounds against hangs, never
//! timing assertions. Needs root (CI is root) or unprivileged user
//! namespaces, and `pcscd libpcsclite-dev vsmartcard-vpcd`.
#![cfg(feature = "pcsc")]
#![allow(
    unsafe_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks
)]

mod common;

use std::ffi::{CStr, c_void};
use std::os::raw::c_char;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::ffi::{c, last_kind, now, terminal_with};
use vitale::reader::nfc::NfcContext;
use vitale_ffi::*;
use vitale_sim::nfc::{Behaviour, CardEmulator, spawn_vpcd};
use vitale_sim::{Scenario, Seed};
use vitale_test_support::{Daemon, on_real_stack};

/// What the callback sees through its user pointer.
struct Progress {
    /// Checked in the callback: the pointer is the one given.
    magic: u64,
    events: Mutex<Vec<(i32, String)>>,
    waiting: AtomicBool,
}

const MAGIC: u64 = 0x5649_5441_4c45_4e46;

unsafe extern "C" fn on_event(user: *mut c_void, event: i32, json: *const c_char) {
    let progress = unsafe { &*(user as *const Progress) };
    assert_eq!(progress.magic, MAGIC, "the user pointer is the caller's");
    let json = unsafe { CStr::from_ptr(json) }.to_str().unwrap().to_owned();
    if event == VITALE_NFC_WAITING_FOR_PHONE {
        progress.waiting.store(true, Ordering::SeqCst);
    }
    progress.events.lock().unwrap().push((event, json));
}

fn terminal(s: &Scenario) -> *mut VitaleTerminal {
    terminal_with(s, &s.trust_list)
}

/// Waits (upper bound) until the private daemon lists the vpcd readers.
fn wait_for_readers() {
    let ctx = NfcContext::establish().unwrap();
    for _ in 0..500 {
        if ctx.list_readers().unwrap().len() >= 2 {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("vpcd readers never appeared: {:?}", ctx.list_readers());
}

#[test]
fn a_phone_is_read_through_the_c_abi_with_progress_and_user_pointer() {
    on_real_stack(
        "a_phone_is_read_through_the_c_abi_with_progress_and_user_pointer",
        Daemon::WithVpcd,
        |stack| {
            wait_for_readers();
            let s = Scenario::new(Seed::from_u64(61), 3, now()).unwrap();
            let t = terminal(&s);
            let phone = spawn_vpcd(
                stack.vpcd_addr(),
                CardEmulator::new(s.phone, now(), Behaviour::Normal),
            )
            .unwrap();
            let progress = Progress {
                magic: MAGIC,
                events: Mutex::new(Vec::new()),
                waiting: AtomicBool::new(false),
            };
            let options = c(r#"{"timeout_ms": 30000, "poll_interval_ms": 100}"#);
            let mut card = std::ptr::null_mut();
            let mut json = std::ptr::null_mut();
            let status = unsafe {
                vitale_terminal_read_nfc(
                    t,
                    options.as_ptr(),
                    std::ptr::null(),
                    Some(on_event),
                    (&progress as *const Progress).cast_mut().cast(),
                    &mut card,
                    &mut json,
                )
            };
            assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
            let text = unsafe { CStr::from_ptr(json) }.to_str().unwrap().to_owned();
            unsafe { vitale_string_free(json) };
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(value["card"]["beneficiaries"].as_array().unwrap().len(), 3);
            assert_eq!(value["card"]["provenance"]["channel"], "nfc", "{value}");
            assert!(
                value["reader"].as_str().unwrap().starts_with("Virtual PCD"),
                "{value}"
            );
            assert!(value["round_trips"].as_u64().unwrap() >= 2, "{value}");
            // The card handle is the same card.
            let mut again = std::ptr::null_mut();
            assert_eq!(
                unsafe { vitale_card_json(card, std::ptr::null(), &mut again) },
                VitaleStatus::Ok
            );
            let again: serde_json::Value =
                serde_json::from_str(unsafe { CStr::from_ptr(again) }.to_str().unwrap()).unwrap();
            assert_eq!(again, value["card"]);

            let events = progress.events.lock().unwrap().clone();
            let codes: Vec<i32> = events.iter().map(|(code, _)| *code).collect();
            assert_eq!(
                codes,
                [
                    VITALE_NFC_WAITING_FOR_PHONE,
                    VITALE_NFC_PHONE_DETECTED,
                    VITALE_NFC_READING,
                    VITALE_NFC_DONE
                ],
                "{events:?}"
            );
            assert_eq!(events[0].1, r#"{"event":"waiting_for_phone"}"#);
            let detected: serde_json::Value = serde_json::from_str(&events[1].1).unwrap();
            assert_eq!(detected["event"], "phone_detected");
            assert_eq!(detected["reader"], value["reader"]);
            assert_eq!(events[3].1, r#"{"event":"done"}"#);
            eprintln!(
                "nfc: read through the C ABI in {} round trips",
                value["round_trips"]
            );
            assert_eq!(phone.stop().unwrap(), 1, "one presentation made");
            unsafe {
                vitale_card_free(card);
                vitale_terminal_free(t);
            }
        },
    );
}

#[test]
fn a_wait_is_cancelled_from_another_thread() {
    on_real_stack(
        "a_wait_is_cancelled_from_another_thread",
        Daemon::WithVpcd,
        |_stack| {
            wait_for_readers();
            let s = Scenario::new(Seed::from_u64(62), 1, now()).unwrap();
            let t = terminal(&s);
            let mut cancel = std::ptr::null_mut();
            assert_eq!(unsafe { vitale_cancel_new(&mut cancel) }, VitaleStatus::Ok);
            let progress = Progress {
                magic: MAGIC,
                events: Mutex::new(Vec::new()),
                waiting: AtomicBool::new(false),
            };
            // No phone on the reader: the read waits (up to 60 s) until the
            // other thread cancels, once the wait has begun.
            let shared = cancel as usize;
            let waiting = &progress.waiting;
            let (status, elapsed) = std::thread::scope(|scope| {
                let canceller = scope.spawn(move || {
                    let limit = Instant::now() + Duration::from_secs(30);
                    while !waiting.load(Ordering::SeqCst) {
                        assert!(Instant::now() < limit, "the wait never began");
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    std::thread::sleep(Duration::from_millis(200));
                    let status = unsafe { vitale_cancel(shared as *const VitaleCancel) };
                    assert_eq!(status, VitaleStatus::Ok);
                    Instant::now()
                });
                let options = c(r#"{"timeout_ms": 60000}"#);
                let mut json = std::ptr::null_mut();
                let status = unsafe {
                    vitale_terminal_read_nfc(
                        t,
                        options.as_ptr(),
                        cancel,
                        Some(on_event),
                        (&progress as *const Progress).cast_mut().cast(),
                        std::ptr::null_mut(),
                        &mut json,
                    )
                };
                assert!(json.is_null());
                let returned = Instant::now();
                let cancelled_at = canceller.join().unwrap();
                (status, returned.saturating_duration_since(cancelled_at))
            });
            assert_eq!(status, VitaleStatus::NfcCancelled, "{}", last_kind());
            assert_eq!(last_kind(), "nfc_cancelled");
            // An upper bound against a read that ignores the cancel (its
            // own timeout is 60 s), not a timing measurement.
            assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
            eprintln!("nfc: cancelled, returned {elapsed:?} after vitale_cancel");
            let codes: Vec<i32> = progress
                .events
                .lock()
                .unwrap()
                .iter()
                .map(|(c, _)| *c)
                .collect();
            assert_eq!(codes, [VITALE_NFC_WAITING_FOR_PHONE]);
            // Reset, the handle serves another read: cancelled before it
            // starts, it stops at once.
            assert_eq!(unsafe { vitale_cancel_reset(cancel) }, VitaleStatus::Ok);
            assert_eq!(unsafe { vitale_cancel(cancel) }, VitaleStatus::Ok);
            let status = unsafe {
                vitale_terminal_read_nfc(
                    t,
                    std::ptr::null(),
                    cancel,
                    None,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                )
            };
            assert_eq!(status, VitaleStatus::NfcCancelled);
            unsafe {
                vitale_cancel_free(cancel);
                vitale_terminal_free(t);
            }
        },
    );
}
