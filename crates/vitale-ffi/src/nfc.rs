//! NFC reads (feature `pcsc`): a phone on a PC/SC reader, progress through
//! a C callback, cancellation from another thread through a cancel handle.
//!
//! **Threads.** A `VitaleCancel` is made to be shared: one thread reads,
//! another calls [`vitale_cancel`]. The callback runs on the reading
//! thread, during the call.

use core::ffi::{c_char, c_void};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::boundary::{self, Failure, Out, call, call_keeping_last, into_handle};
use crate::card::VitaleCard;
use crate::status::VitaleStatus;
use crate::terminal::VitaleTerminal;

/// A cancellation flag (opaque) shared between the thread that reads and
/// the one that cancels. Made by [`vitale_cancel_new`], freed by
/// [`vitale_cancel_free`] once no read uses it.
pub struct VitaleCancel {
    flag: Arc<AtomicBool>,
}

/// The phone is awaited ("hold your phone against the reader").
pub const VITALE_NFC_WAITING_FOR_PHONE: i32 = 1;
/// A phone was detected; the JSON names the reader.
pub const VITALE_NFC_PHONE_DETECTED: i32 = 2;
/// The app is locked: ask the patient to unlock it; the JSON has the
/// attempt number, from 1.
pub const VITALE_NFC_APP_LOCKED: i32 = 3;
/// The presentation is being read ("do not move your phone").
pub const VITALE_NFC_READING: i32 = 4;
/// Read: the phone may be removed (verification follows).
pub const VITALE_NFC_DONE: i32 = 5;
/// An event of a newer library; the JSON names it.
pub const VITALE_NFC_OTHER: i32 = 99;

/// A progress callback: `user` is the pointer given with it; `event` one of
/// the `VITALE_NFC_*` numbers; `event_json` the event as JSON
/// (`{"event": "phone_detected", "reader": "…"}`), valid during the call
/// only. It runs on the reading thread and must return (no exception, no
/// `longjmp` through the library).
pub type VitaleNfcCallback =
    Option<unsafe extern "C" fn(user: *mut c_void, event: i32, event_json: *const c_char)>;

/// Makes a cancellation handle; `*cancel` receives it.
///
/// # Safety
/// `cancel` points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_cancel_new(cancel: *mut *mut VitaleCancel) -> VitaleStatus {
    call(|| {
        // SAFETY: a writable pointer by the caller's contract.
        let out = unsafe { Out::required(cancel, "cancel") }?;
        out.put(into_handle(VitaleCancel {
            flag: Arc::new(AtomicBool::new(false)),
        }));
        Ok(())
    })
}

/// Asks the reads using this handle to stop: they end with
/// `nfc_cancelled` within a fraction of a second. Callable from any thread.
///
/// # Safety
/// `cancel` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_cancel(cancel: *const VitaleCancel) -> VitaleStatus {
    call(|| {
        // SAFETY: a live handle by the caller's contract.
        let c = unsafe { boundary::handle(cancel, "cancel") }?;
        c.flag.store(true, Ordering::SeqCst);
        Ok(())
    })
}

/// Makes the handle usable for another read (clears the cancellation).
///
/// # Safety
/// `cancel` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_cancel_reset(cancel: *const VitaleCancel) -> VitaleStatus {
    call(|| {
        // SAFETY: a live handle by the caller's contract.
        let c = unsafe { boundary::handle(cancel, "cancel") }?;
        c.flag.store(false, Ordering::SeqCst);
        Ok(())
    })
}

/// Frees a cancellation handle. Null is ignored.
///
/// # Safety
/// `cancel` is null or a live handle that no read and no other thread uses
/// any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_cancel_free(cancel: *mut VitaleCancel) {
    let _ = call_keeping_last(|| {
        // SAFETY: the caller's contract is free_handle's.
        unsafe { boundary::free_handle(cancel) };
        VitaleStatus::Ok
    });
}

/// Waits for a phone on a PC/SC reader, reads its presentation under a
/// fresh random challenge and verifies it (library built with the `pcsc`
/// feature; otherwise `not_supported`).
///
/// `options_json` (null for the defaults): `{"reader": "name or part of
/// it", "timeout_ms": 60000, "poll_interval_ms": 500, "allow_extended":
/// true}`. `cancel` (may be null) stops the wait from another thread;
/// `callback` (may be null) receives progress with `user`. Results as
/// [`crate::terminal::vitale_terminal_verify_text`]; the JSON adds
/// `"reader"`, `"round_trips"` and `"extended"`.
///
/// # Safety
/// `terminal` and `cancel` (if not null) are live handles; `options_json`
/// null or a NUL-terminated string; `callback` null or a function that may
/// be called with `user`; `card` and `json` null or writable pointers.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn vitale_terminal_read_nfc(
    terminal: *const VitaleTerminal,
    options_json: *const c_char,
    cancel: *const VitaleCancel,
    callback: VitaleNfcCallback,
    user: *mut c_void,
    card: *mut *mut VitaleCard,
    json: *mut *mut c_char,
) -> VitaleStatus {
    call(|| {
        // SAFETY: null or writable by the caller's contract.
        let card_out = unsafe { Out::optional(card) };
        // SAFETY: as above.
        let json_out = unsafe { Out::optional(json) };
        // SAFETY: a live handle by the caller's contract.
        let t = unsafe { boundary::handle(terminal, "terminal") }?;
        // SAFETY: null or a live handle by the caller's contract.
        let flag = unsafe { cancel.as_ref() }.map(|c| Arc::clone(&c.flag));
        // SAFETY: null or NUL-terminated by the caller's contract.
        let text = unsafe { boundary::optional_text(options_json, "options_json") }?;
        let options: NfcOptions = crate::options::parse(text, "options")?;
        let progress = Progress { callback, user };
        read(t, &options, flag, &progress, card_out, json_out)
    })
}

/// `vitale_terminal_read_nfc`'s options.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(feature = "pcsc"), allow(dead_code))]
struct NfcOptions {
    /// Only this reader (a name it equals or contains).
    #[serde(default)]
    reader: Option<String>,
    /// Upper bound on the whole read, the wait included (default 60 s).
    #[serde(default)]
    timeout_ms: Option<u64>,
    /// How often a locked app is asked again (default 500 ms).
    #[serde(default)]
    poll_interval_ms: Option<u64>,
    /// Extended-length APDUs when both sides can (default true).
    #[serde(default)]
    allow_extended: Option<bool>,
}

/// The caller's callback and pointer.
struct Progress {
    callback: VitaleNfcCallback,
    user: *mut c_void,
}

impl Progress {
    /// Calls the callback, if any, with an event.
    #[cfg_attr(not(feature = "pcsc"), allow(dead_code))]
    fn send(&self, event: i32, json: &serde_json::Value) {
        let Some(callback) = self.callback else {
            return;
        };
        let Ok(text) = std::ffi::CString::new(json.to_string()) else {
            return;
        };
        // SAFETY: the caller gave a function that accepts its own `user`
        // pointer and a NUL-terminated string valid during the call.
        unsafe { callback(self.user, event, text.as_ptr()) };
    }
}

#[cfg(feature = "pcsc")]
fn read(
    t: &VitaleTerminal,
    options: &NfcOptions,
    flag: Option<Arc<AtomicBool>>,
    progress: &Progress,
    card_out: Option<Out<VitaleCard>>,
    json_out: Option<Out<c_char>>,
) -> Result<(), Failure> {
    use std::time::Duration;

    use serde_json::{Map, json};
    use vitale::reader::nfc::{CancelToken, NfcContext, NfcEvent, ReadOptions};

    let defaults = ReadOptions::default();
    let timeout = options
        .timeout_ms
        .map_or(defaults.timeout, Duration::from_millis);
    let poll = options
        .poll_interval_ms
        .map_or(defaults.poll_interval, Duration::from_millis);
    if timeout > Duration::from_secs(3_600) || poll.is_zero() || poll > Duration::from_secs(60) {
        return Err(Failure::options(
            "options",
            "timeout_ms at most 3600000, poll_interval_ms from 1 to 60000",
        ));
    }
    let read_options = ReadOptions {
        reader: options.reader.clone(),
        timeout,
        poll_interval: poll,
        cancel: flag.map_or_else(CancelToken::new, CancelToken::from),
        allow_extended: options.allow_extended.unwrap_or(true),
    };
    let context = NfcContext::establish()
        .map_err(|e| Failure::from(vitale::Error::from(vitale::reader::Error::from(e))))?;
    let read = t.read().read_nfc(&context, &read_options, |event| {
        let (code, value) = match &event {
            NfcEvent::WaitingForPhone => (
                VITALE_NFC_WAITING_FOR_PHONE,
                json!({"event": "waiting_for_phone"}),
            ),
            NfcEvent::PhoneDetected { reader } => (
                VITALE_NFC_PHONE_DETECTED,
                json!({"event": "phone_detected", "reader": reader}),
            ),
            NfcEvent::AppLocked { attempt } => (
                VITALE_NFC_APP_LOCKED,
                json!({"event": "app_locked", "attempt": attempt}),
            ),
            NfcEvent::Reading => (VITALE_NFC_READING, json!({"event": "reading"})),
            NfcEvent::Done => (VITALE_NFC_DONE, json!({"event": "done"})),
            _ => (VITALE_NFC_OTHER, json!({"event": "other"})),
        };
        progress.send(code, &value);
    })?;
    let mut extra = Map::new();
    extra.insert("reader".into(), read.reader.into());
    extra.insert("round_trips".into(), read.round_trips.into());
    extra.insert("extended".into(), read.extended.into());
    crate::terminal::deliver(read.card, t.show_nir(), extra, card_out, json_out)
}

#[cfg(not(feature = "pcsc"))]
fn read(
    _: &VitaleTerminal,
    _: &NfcOptions,
    _: Option<Arc<AtomicBool>>,
    _: &Progress,
    _: Option<Out<VitaleCard>>,
    _: Option<Out<c_char>>,
) -> Result<(), Failure> {
    Err(Failure::not_supported("vitale_terminal_read_nfc", "pcsc"))
}
