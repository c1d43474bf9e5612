//! The NFC driver on the real PC/SC stack: a private `pcscd` with the
//! vsmartcard vpcd virtual reader, the phone emulated by `vitale-sim`
//! (`CardEmulator` over the vpcd socket), every emulator behaviour read
//! through [`read_presentation`].
//!
//! Isolation (details in `vitale_test_support::pcscd`): each test starts
//! its own pcscd in a private mount namespace (`unshare --mount`, tmpfs on
//! `/run/pcscd`, `pcscd --config DIR` with vpcd on free ports, other ports
//! tried when vpcd could not bind them) and re-executes itself
//! with `PCSCLITE_CSOCK_NAME=/proc/<pcscd pid>/root/run/pcscd/pcscd.comm`:
//! libpcsclite 1.9.9 honours that variable, pcscd 1.9.9 does not (its path
//! is hard-coded), hence the namespace for the daemon only. Every process
//! is stopped by its PID from a guard, on failure too.
//!
//! Timeouts here are upper bounds against hangs, never timing assertions.
//! Needs root (CI is root) or unprivileged user namespaces, and the
//! packages `pcscd libpcsclite-dev vsmartcard-vpcd`.
#![cfg(feature = "pcsc")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
// Round-trip counts and harness diagnostics go to the test's stderr.
#![allow(clippy::print_stderr)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use vitale_codec::model::Timestamp;
use vitale_reader::nfc::{
    CancelToken, NfcContext, NfcError, NfcEvent, NfcRead, ReadOptions, read_presentation,
};
use vitale_sim::nfc::{Behaviour, CardEmulator, EmulatorHandle, spawn_vpcd};
use vitale_sim::{Scenario, Seed};
use vitale_test_support::{Daemon, Stack, on_real_stack};
use vitale_verify::policy::FixedClock;
use vitale_verify::{TrustList, TrustStore, Verifier, default_backend};

const NOW: u64 = 1_795_334_400; // 2026-11-22T08:00:00Z

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

/// The household's phone and a verifier trusting its issuer.
fn phone_and_verifier(beneficiaries: usize) -> (vitale_sim::SimPhone, Verifier) {
    let s = Scenario::new(Seed::from_u64(11), beneficiaries, ts(NOW)).unwrap();
    let list = TrustList::from_cbor(&s.trust_list, &s.anchor, default_backend(), ts(NOW)).unwrap();
    let verifier =
        Verifier::new(TrustStore::new(s.anchor.clone(), list)).with_clock(FixedClock(ts(NOW)));
    (s.phone, verifier)
}

/// Inserts the phone in the first vpcd reader.
fn insert(stack: Stack, beneficiaries: usize, behaviour: Behaviour) -> (EmulatorHandle, Verifier) {
    let (phone, verifier) = phone_and_verifier(beneficiaries);
    let card = CardEmulator::new(phone, ts(NOW), behaviour);
    (spawn_vpcd(stack.vpcd_addr(), card).unwrap(), verifier)
}

/// A context on the private daemon, once it lists the vpcd readers.
fn context() -> NfcContext {
    let ctx = NfcContext::establish().unwrap();
    for _ in 0..500 {
        if ctx.list_readers().unwrap().len() >= 2 {
            return ctx;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("vpcd readers never appeared: {:?}", ctx.list_readers());
}

fn options(timeout_secs: u64) -> ReadOptions {
    ReadOptions {
        timeout: Duration::from_secs(timeout_secs),
        poll_interval: Duration::from_millis(100),
        ..ReadOptions::default()
    }
}

/// Reads with `options`, collecting the events.
fn read(ctx: &NfcContext, options: &ReadOptions) -> (Result<NfcRead, NfcError>, Vec<NfcEvent>) {
    let mut events = Vec::new();
    let result = read_presentation(ctx, options, |e| events.push(e));
    (result, events)
}

/// A normal read verifies under its challenge, and reports its progress.
fn read_and_verify(stack: Stack, beneficiaries: usize, behaviour: Behaviour, extended: bool) {
    let ctx = context();
    let (phone, verifier) = insert(stack, beneficiaries, behaviour);
    let options = ReadOptions {
        allow_extended: extended,
        ..options(30)
    };
    let (result, events) = read(&ctx, &options);
    let read = result.unwrap();
    let card = verifier
        .verify_nfc(&read.presentation, &read.challenge)
        .unwrap();
    assert_eq!(card.beneficiaries().len(), beneficiaries);
    assert_eq!(read.extended, extended);
    assert_eq!(read.challenge.len(), 32);
    assert!(read.reader.starts_with("Virtual PCD"));
    assert_eq!(events[0], NfcEvent::WaitingForPhone);
    assert!(matches!(events[1], NfcEvent::PhoneDetected { .. }));
    assert_eq!(events[2], NfcEvent::Reading);
    assert_eq!(events.last(), Some(&NfcEvent::Done));
    let parts = read.presentation.len().div_ceil(256) as u32;
    if extended {
        assert_eq!(read.round_trips, 2, "{read:?}");
    } else {
        assert!(read.round_trips <= 1 + parts, "{read:?}");
    }
    eprintln!(
        "nfc: read {} bytes in {} round trips ({})",
        read.presentation.len(),
        read.round_trips,
        if extended { "extended" } else { "short" }
    );
    phone.stop().unwrap();
}

#[test]
fn reads_a_qr_sized_presentation_extended() {
    on_real_stack(
        "reads_a_qr_sized_presentation_extended",
        Daemon::WithVpcd,
        |s| read_and_verify(s, 1, Behaviour::Normal, true),
    );
}

#[test]
fn reads_a_qr_sized_presentation_short() {
    on_real_stack(
        "reads_a_qr_sized_presentation_short",
        Daemon::WithVpcd,
        |s| read_and_verify(s, 1, Behaviour::Normal, false),
    );
}

#[test]
fn reads_sixteen_beneficiaries_extended() {
    on_real_stack(
        "reads_sixteen_beneficiaries_extended",
        Daemon::WithVpcd,
        |s| read_and_verify(s, 16, Behaviour::Normal, true),
    );
}

#[test]
fn reads_sixteen_beneficiaries_short() {
    on_real_stack("reads_sixteen_beneficiaries_short", Daemon::WithVpcd, |s| {
        read_and_verify(s, 16, Behaviour::Normal, false)
    });
}

#[test]
fn reads_a_phone_that_speaks_short_apdus_only() {
    on_real_stack(
        "reads_a_phone_that_speaks_short_apdus_only",
        Daemon::WithVpcd,
        |s| read_and_verify(s, 16, Behaviour::ShortApdusOnly, false),
    );
}

#[test]
fn reads_a_slow_phone_within_the_timeout() {
    on_real_stack(
        "reads_a_slow_phone_within_the_timeout",
        Daemon::WithVpcd,
        |s| {
            let slow = Behaviour::Slow {
                delay: Duration::from_millis(150),
            };
            read_and_verify(s, 16, slow, false);
        },
    );
}

#[test]
fn polls_a_locked_app_until_it_is_unlocked() {
    on_real_stack(
        "polls_a_locked_app_until_it_is_unlocked",
        Daemon::WithVpcd,
        |s| {
            let ctx = context();
            let (phone, verifier) = insert(s, 3, Behaviour::AppLocked { polls: 4 });
            let (result, events) = read(&ctx, &options(30));
            let read = result.unwrap();
            verifier
                .verify_nfc(&read.presentation, &read.challenge)
                .unwrap();
            let locked: Vec<u32> = events
                .iter()
                .filter_map(|e| match e {
                    NfcEvent::AppLocked { attempt } => Some(*attempt),
                    _ => None,
                })
                .collect();
            assert_eq!(locked, [1, 2, 3, 4]);
            assert_eq!(events.last(), Some(&NfcEvent::Done));
            phone.stop().unwrap();
        },
    );
}

#[test]
fn a_phone_lifted_to_be_unlocked_is_read_when_presented_again() {
    on_real_stack(
        "a_phone_lifted_to_be_unlocked_is_read_when_presented_again",
        Daemon::WithVpcd,
        |s| {
            let ctx = context();
            let (phone, verifier) = insert(s, 3, Behaviour::AppLocked { polls: 2 });
            let phone = Arc::new(Mutex::new(Some(phone)));
            let lifter = Arc::clone(&phone);
            let mut events = Vec::new();
            let result = read_presentation(&ctx, &options(30), |e| {
                if e == (NfcEvent::AppLocked { attempt: 1 }) {
                    // The patient lifts the phone, unlocks it, taps again.
                    let guard = lifter.lock().unwrap();
                    let handle = guard.as_ref().unwrap();
                    handle.remove_card();
                    while handle.is_connected() {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    handle.insert_card();
                }
                events.push(e);
            });
            let read = result.unwrap();
            verifier
                .verify_nfc(&read.presentation, &read.challenge)
                .unwrap();
            let waits = events
                .iter()
                .filter(|e| **e == NfcEvent::WaitingForPhone)
                .count();
            assert!(waits >= 2, "{events:?}");
            phone.lock().unwrap().take().unwrap().stop().unwrap();
        },
    );
}

#[test]
fn a_locked_app_until_the_timeout_is_app_still_locked() {
    on_real_stack(
        "a_locked_app_until_the_timeout_is_app_still_locked",
        Daemon::WithVpcd,
        |s| {
            let ctx = context();
            let (phone, _) = insert(s, 1, Behaviour::AppLocked { polls: u32::MAX });
            // The read's 3 s start with the phone already in the field:
            // how long pcscd takes to notice it (its polls, a loaded
            // machine) must not decide between AppStillLocked and Timeout.
            ctx.wait_for_phone(None, Duration::from_secs(30), &CancelToken::new())
                .unwrap();
            let (result, events) = read(&ctx, &options(3));
            assert!(
                matches!(result, Err(NfcError::AppStillLocked)),
                "{result:?}"
            );
            assert!(events.contains(&NfcEvent::AppLocked { attempt: 1 }));
            phone.stop().unwrap();
        },
    );
}

#[test]
fn a_declining_patient_is_declined() {
    on_real_stack("a_declining_patient_is_declined", Daemon::WithVpcd, |s| {
        let ctx = context();
        let (phone, _) = insert(s, 1, Behaviour::Declines);
        let (result, _) = read(&ctx, &options(20));
        assert!(matches!(result, Err(NfcError::Declined)), "{result:?}");
        phone.stop().unwrap();
    });
}

#[test]
fn a_phone_without_the_app_is_no_app() {
    on_real_stack("a_phone_without_the_app_is_no_app", Daemon::WithVpcd, |s| {
        let ctx = context();
        let (phone, _) = insert(s, 1, Behaviour::WrongAid);
        let (result, _) = read(&ctx, &options(20));
        assert!(matches!(result, Err(NfcError::NoApp)), "{result:?}");
        phone.stop().unwrap();
    });
}

#[test]
fn malformed_answers_are_protocol_errors() {
    on_real_stack(
        "malformed_answers_are_protocol_errors",
        Daemon::WithVpcd,
        |s| {
            let ctx = context();
            let (phone, _) = insert(s, 3, Behaviour::Malformed);
            // The emulator cycles through 3 bad SELECT answers, then lies
            // in the chain: every read fails, typed.
            for _ in 0..4 {
                let (result, _) = read(&ctx, &options(20));
                assert!(matches!(result, Err(NfcError::Protocol(_))), "{result:?}");
            }
            phone.stop().unwrap();
        },
    );
}

#[test]
fn removal_mid_chain_is_card_removed_then_a_new_read_works() {
    on_real_stack(
        "removal_mid_chain_is_card_removed_then_a_new_read_works",
        Daemon::WithVpcd,
        |s| {
            let ctx = context();
            let (phone, _) = insert(s, 16, Behaviour::DisconnectMidChain);
            let (result, _) = read(&ctx, &options(20));
            assert!(matches!(result, Err(NfcError::CardRemoved)), "{result:?}");
            phone.stop().unwrap();
            // The phone is presented again (a well-behaved one this time).
            let (phone, verifier) = insert(s, 16, Behaviour::Normal);
            let (result, _) = read(&ctx, &options(20));
            let read = result.unwrap();
            verifier
                .verify_nfc(&read.presentation, &read.challenge)
                .unwrap();
            phone.stop().unwrap();
        },
    );
}

#[test]
fn no_phone_is_a_timeout() {
    on_real_stack("no_phone_is_a_timeout", Daemon::WithVpcd, |_| {
        let ctx = context();
        let (result, events) = read(&ctx, &options(2));
        assert!(matches!(result, Err(NfcError::Timeout)), "{result:?}");
        assert_eq!(events, [NfcEvent::WaitingForPhone]);
    });
}

#[test]
fn an_unknown_reader_name_is_reader_not_found() {
    on_real_stack(
        "an_unknown_reader_name_is_reader_not_found",
        Daemon::WithVpcd,
        |s| {
            let ctx = context();
            let (phone, _) = insert(s, 1, Behaviour::Normal);
            let options = ReadOptions {
                reader: Some("ACS ACR122U".into()),
                ..options(2)
            };
            let (result, _) = read(&ctx, &options);
            assert!(
                matches!(&result, Err(NfcError::ReaderNotFound(name)) if name == "ACS ACR122U"),
                "{result:?}"
            );
            phone.stop().unwrap();
        },
    );
}

#[test]
fn no_reader_at_all_is_no_reader() {
    on_real_stack("no_reader_at_all_is_no_reader", Daemon::NoReaders, |_| {
        let ctx = NfcContext::establish().unwrap();
        assert_eq!(ctx.list_readers().unwrap(), Vec::<String>::new());
        let (result, _) = read(&ctx, &options(1));
        assert!(matches!(result, Err(NfcError::NoReader)), "{result:?}");
    });
}

#[test]
fn no_daemon_is_no_service() {
    on_real_stack("no_daemon_is_no_service", Daemon::None, |_| {
        let error = NfcContext::establish().unwrap_err();
        assert!(matches!(error, NfcError::NoService), "{error:?}");
        assert_eq!(error.to_string(), "PC/SC service not running");
    });
}

#[test]
fn cancel_while_waiting_for_a_phone() {
    on_real_stack("cancel_while_waiting_for_a_phone", Daemon::WithVpcd, |_| {
        let ctx = context();
        let cancel = CancelToken::new();
        let ui = cancel.clone();
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            ui.cancel();
        });
        let options = ReadOptions {
            cancel,
            ..options(60)
        };
        let (result, _) = read(&ctx, &options);
        assert!(matches!(result, Err(NfcError::Cancelled)), "{result:?}");
        canceller.join().unwrap();
    });
}

#[test]
fn cancel_while_the_app_is_locked() {
    on_real_stack("cancel_while_the_app_is_locked", Daemon::WithVpcd, |s| {
        let ctx = context();
        let (phone, _) = insert(s, 1, Behaviour::AppLocked { polls: u32::MAX });
        let options = ReadOptions {
            poll_interval: Duration::from_secs(30),
            ..options(60)
        };
        let cancel = options.cancel.clone();
        let result = read_presentation(&ctx, &options, |e| {
            if matches!(e, NfcEvent::AppLocked { .. }) {
                cancel.cancel();
            }
        });
        assert!(matches!(result, Err(NfcError::Cancelled)), "{result:?}");
        phone.stop().unwrap();
    });
}

#[test]
fn a_presentation_replayed_under_a_new_challenge_is_refused() {
    on_real_stack(
        "a_presentation_replayed_under_a_new_challenge_is_refused",
        Daemon::WithVpcd,
        |s| {
            let ctx = context();
            let (phone, verifier) = insert(s, 3, Behaviour::Normal);
            let (first, _) = read(&ctx, &options(20));
            let recorded = first.unwrap();
            // A second read draws a fresh challenge; an attacker answers it
            // with the recorded presentation.
            let (second, _) = read(&ctx, &options(20));
            let fresh = second.unwrap();
            assert_ne!(fresh.challenge, recorded.challenge);
            let error = verifier
                .verify_nfc(&recorded.presentation, &fresh.challenge)
                .unwrap_err();
            assert!(
                matches!(error, vitale_verify::Error::ChallengeMismatch),
                "{error:?}"
            );
            verifier
                .verify_nfc(&fresh.presentation, &fresh.challenge)
                .unwrap();
            phone.stop().unwrap();
        },
    );
}
