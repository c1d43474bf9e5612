//! The terminal handle: built in one call from a trust list, the pinned
//! root and JSON options; it reads QR texts, scanner lines, images and grey
//! frames (and NFC, in `nfc.rs`), and installs newer trust lists.
//!
//! **Threads.** A `VitaleTerminal` may be used from several threads at
//! once, a trust-list update included: the trust store swaps the list in
//! force while verifications go on (each verification uses the list it
//! started with). Freeing it while another thread uses it is the caller's
//! error.

use core::ffi::c_char;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use vitale::Terminal;
use vitale::codec::hex;
use vitale::reader::qr::{self, LumaFrame};
use vitale::render::{self, DisplayOptions};
use vitale::verify::policy::{FixedClock, Policy};
use vitale::verify::{VerifiedCard, Verifier, default_backend};

use crate::boundary::{self, Failure, Out, call, call_json, call_keeping_last, into_handle};
use crate::card::VitaleCard;
use crate::options::{self, TerminalOptions};
use crate::status::VitaleStatus;

/// A workstation's terminal (opaque): verifier, trust list, optional token
/// verifier, QR decoder. Made by [`vitale_terminal_new`], freed by
/// [`vitale_terminal_free`]. Safe to share between threads.
pub struct VitaleTerminal {
    /// Shared with the handles built over it (billing, trust-list
    /// refresher), which keep it alive after `vitale_terminal_free`.
    terminal: Arc<Terminal>,
    /// The fixed "now" of the options, if any.
    at: Option<vitale::codec::model::Timestamp>,
    show_nir: bool,
}

impl VitaleTerminal {
    /// The terminal (shared with other threads).
    pub(crate) fn read(&self) -> &Terminal {
        &self.terminal
    }

    /// The terminal, for a handle that keeps it.
    #[cfg_attr(not(feature = "online"), allow(dead_code))]
    pub(crate) fn shared(&self) -> Arc<Terminal> {
        Arc::clone(&self.terminal)
    }

    /// The fixed "now" of the options, if any.
    #[cfg_attr(not(feature = "online"), allow(dead_code))]
    pub(crate) fn fixed_now(&self) -> Option<vitale::codec::model::Timestamp> {
        self.at
    }

    /// Whether JSON results show NIRs in full.
    #[cfg_attr(not(feature = "pcsc"), allow(dead_code))]
    pub(crate) fn show_nir(&self) -> bool {
        self.show_nir
    }

    /// "Now" for trust-list checks.
    pub(crate) fn now(&self) -> Result<vitale::codec::model::Timestamp, Failure> {
        match self.at {
            Some(at) => Ok(at),
            None => options::now(),
        }
    }
}

fn build(list: &[u8], root: &[u8], options: TerminalOptions) -> Result<VitaleTerminal, Failure> {
    let at = options
        .at
        .as_ref()
        .map(|at| at.timestamp("options.at"))
        .transpose()?;
    let now = match at {
        Some(at) => at,
        None => options::now()?,
    };
    let store = vitale::load_trust_store(list, root, now)?;
    let mut policy = Policy::default();
    if let Some(skew) = options.clock_skew_secs {
        if skew > 86_400 {
            return Err(Failure::options(
                "options.clock_skew_secs",
                "at most 86400 seconds",
            ));
        }
        policy.clock_skew_secs = skew;
    }
    let mut verifier = Verifier::new(store).with_policy(policy);
    if let Some(at) = at {
        verifier = verifier.with_clock(FixedClock(at));
    }
    let mut terminal = Terminal::new(verifier);
    if let Some(name) = &options.qr_decoder {
        // "strategy" is the default already (it stops at the first code
        // that verifies); a backend's name replaces it by that backend.
        if name != "strategy" {
            let decoder = qr::decoders()
                .into_iter()
                .find(|d| d.name() == name)
                .ok_or_else(|| {
                    Failure::options(
                        "options.qr_decoder",
                        "\"strategy\", \"rxing\" or \"quircs\"",
                    )
                })?;
            terminal = terminal.with_qr_decoder(decoder);
        }
    }
    if let Some(service) = &options.context_service {
        terminal = with_context_service(terminal, service, at)?;
    }
    if let Some(location) = &options.replay_cache {
        terminal = with_replay_cache(terminal, location)?;
    }
    Ok(VitaleTerminal {
        terminal: Arc::new(terminal),
        at,
        show_nir: options.show_nir,
    })
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn with_replay_cache(terminal: Terminal, location: &str) -> Result<Terminal, Failure> {
    let location: vitale::store::StoreLocation = location.parse().map_err(vitale::Error::from)?;
    Ok(terminal.with_replay_store(&location)?)
}

#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
fn with_replay_cache(terminal: Terminal, location: &str) -> Result<Terminal, Failure> {
    if location == "memory" {
        return Ok(terminal);
    }
    Err(Failure::abi(
        crate::status::VitaleStatus::NotSupported,
        "options.replay_cache: built without the sqlite and postgres features",
    ))
}

#[cfg(feature = "online")]
fn with_context_service(
    terminal: Terminal,
    service: &options::OnlineService,
    at: Option<vitale::codec::model::Timestamp>,
) -> Result<Terminal, Failure> {
    let verifier = crate::online::token_verifier(service)?;
    let verifier = match at {
        Some(at) => verifier.with_clock(FixedClock(at)),
        None => verifier,
    };
    Ok(terminal.with_token_verifier(verifier))
}

#[cfg(not(feature = "online"))]
fn with_context_service(
    _: Terminal,
    _: &options::OnlineService,
    _: Option<vitale::codec::model::Timestamp>,
) -> Result<Terminal, Failure> {
    Err(Failure::not_supported("options.context_service", "online"))
}

/// Builds a terminal from a trust list (CBOR/COSE or JSON/JWS form,
/// detected), the root key the application pins (DER
/// SubjectPublicKeyInfo) and options as JSON (null or `""` for the
/// defaults):
///
/// ```json
/// {"at": "2026-11-12T14:00:00Z", "clock_skew_secs": 300, "show_nir": false,
///  "qr_decoder": "strategy", "context_service": {"url": "https://…",
///  "ca_pem": "-----BEGIN CERTIFICATE-----…", "billing_number": "991234567",
///  "specialty": "01", "rpps": null, "timeout_secs": 10}}
/// ```
///
/// The list must be signed by that root and valid now (or at `at`). On
/// success `*terminal` receives a handle to free with
/// [`vitale_terminal_free`]; on failure it is set to null.
///
/// # Safety
/// `trust_list` points to `trust_list_len` readable bytes, `root_spki` to
/// `root_spki_len`; `options_json` is null or a NUL-terminated string;
/// `terminal` points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_terminal_new(
    trust_list: *const u8,
    trust_list_len: usize,
    root_spki: *const u8,
    root_spki_len: usize,
    options_json: *const c_char,
    terminal: *mut *mut VitaleTerminal,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a writable pointer by the caller's contract.
        let out = unsafe { Out::required(terminal, "terminal") }?;
        // SAFETY: readable bytes by the caller's contract.
        let list = unsafe { boundary::bytes(trust_list, trust_list_len, "trust_list") }?;
        // SAFETY: as above.
        let root = unsafe { boundary::bytes(root_spki, root_spki_len, "root_spki") }?;
        // SAFETY: null or NUL-terminated by the caller's contract.
        let text = unsafe { boundary::optional_text(options_json, "options_json") }?;
        let options: TerminalOptions = options::parse(text, "options")?;
        out.put(into_handle(build(list, root, options)?));
        Ok(())
    })
}

/// Frees a terminal. Null is ignored.
///
/// # Safety
/// `terminal` is null or a handle from [`vitale_terminal_new`], not yet
/// freed, that no other thread uses any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_terminal_free(terminal: *mut VitaleTerminal) {
    let _ = call_keeping_last(|| {
        // SAFETY: the caller's contract is free_handle's.
        unsafe { boundary::free_handle(terminal) };
        VitaleStatus::Ok
    });
}

/// Installs a newer trust list (either form), checked against the pinned
/// root and valid now; refused with `trust_list_stale_sequence` unless its
/// sequence number is greater than the one in force. Verifications in
/// progress on other threads finish with the list they started with.
///
/// # Safety
/// `terminal` is a live handle; `trust_list` points to `trust_list_len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_terminal_update_trust_list(
    terminal: *const VitaleTerminal,
    trust_list: *const u8,
    trust_list_len: usize,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a live handle by the caller's contract.
        let t = unsafe { boundary::handle(terminal, "terminal") }?;
        // SAFETY: readable bytes by the caller's contract.
        let list = unsafe { boundary::bytes(trust_list, trust_list_len, "trust_list") }?;
        let now = t.now()?;
        let store = t.terminal.verifier().trust_store();
        let backend = default_backend();
        let outcome = match jws_text(list) {
            Some(text) => store.update_from_json(text, backend, now),
            None => store.update_from_cbor(list, backend, now),
        };
        outcome.map_err(|e| Failure::from(vitale::Error::from(e)))
    })
}

/// The JWS text when the bytes hold the JSON form (as
/// `vitale::load_trust_store` detects it).
fn jws_text(bytes: &[u8]) -> Option<&str> {
    let text = core::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim();
    text.starts_with("eyJ").then_some(text)
}

/// The trust list in force, as JSON: `{"sequence", "issued_at",
/// "expires_at", "keys": [{"kid", "label"}]}` (times in RFC 3339, kids in
/// hex). `*json` receives a string to free with `vitale_string_free`.
///
/// # Safety
/// `terminal` is a live handle; `json` points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_terminal_trust_list_info(
    terminal: *const VitaleTerminal,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: a live handle by the caller's contract.
        let t = unsafe { boundary::handle(terminal, "terminal") }?;
        let list = t.read().verifier().trust_store().current();
        let keys: Vec<Value> = list
            .keys()
            .iter()
            .map(|k| json!({"kid": hex::encode(k.kid()), "label": k.label()}))
            .collect();
        Ok(json!({
            "sequence": list.sequence(),
            "issued_at": list.issued_at().to_rfc3339(),
            "expires_at": list.expires_at().to_rfc3339(),
            "keys": keys,
        })
        .to_string())
    })
}

/// Hands a verified card to the caller: as a handle (`card`, if not null)
/// and as JSON (`json`, if not null): `{"card": {…}}` and `extra`'s
/// members.
pub(crate) fn deliver(
    card: VerifiedCard,
    show_nir: bool,
    extra: Map<String, Value>,
    card_out: Option<Out<VitaleCard>>,
    json_out: Option<Out<c_char>>,
) -> Result<(), Failure> {
    if let Some(out) = json_out {
        let options = if show_nir {
            DisplayOptions::with_nir_shown()
        } else {
            DisplayOptions::default()
        };
        let mut object = Map::new();
        object.insert("card".into(), render::card_json(&card, options));
        object.extend(extra);
        out.put_string(Value::Object(object).to_string())?;
    }
    if let Some(out) = card_out {
        out.put(into_handle(VitaleCard::new(card, show_nir)));
    }
    Ok(())
}

/// The body shared by the reading functions: the handle and out pointers
/// checked first, then `read`.
///
/// # Safety
/// `terminal` is null or a live handle; `card` and `json` are null or
/// writable pointers.
unsafe fn read_with(
    terminal: *const VitaleTerminal,
    card: *mut *mut VitaleCard,
    json: *mut *mut c_char,
    read: impl FnOnce(&VitaleTerminal) -> Result<(VerifiedCard, Map<String, Value>), Failure>,
) -> VitaleStatus {
    call(|| {
        // SAFETY: null or writable by the caller's contract.
        let card_out = unsafe { Out::optional(card) };
        // SAFETY: as above.
        let json_out = unsafe { Out::optional(json) };
        // SAFETY: a live handle by the caller's contract.
        let t = unsafe { boundary::handle(terminal, "terminal") }?;
        let (verified, extra) = read(t)?;
        deliver(verified, t.show_nir, extra, card_out, json_out)
    })
}

/// Verifies a text read from a QR code: a presentation (`VT1:`/`VT1B:`)
/// offline, or a token through the context service.
///
/// On success `*card` (if `card` is not null) receives a card handle to
/// free with `vitale_card_free`, and `*json` (if `json` is not null)
/// `{"card": {…}}` to free with `vitale_string_free`; on failure both are
/// set to null. A presentation accepted once is refused afterwards
/// (`replay`).
///
/// # Safety
/// `terminal` is a live handle; `text` a NUL-terminated string; `card` and
/// `json` null or writable pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_terminal_verify_text(
    terminal: *const VitaleTerminal,
    text: *const c_char,
    card: *mut *mut VitaleCard,
    json: *mut *mut c_char,
) -> VitaleStatus {
    let read = |t: &VitaleTerminal| -> Result<(VerifiedCard, Map<String, Value>), Failure> {
        // SAFETY: NUL-terminated by the caller's contract.
        let text = unsafe { boundary::text(text, "text") }?;
        Ok((t.read().verify_text(text)?, Map::new()))
    };
    // SAFETY: the caller's contract is read_with's.
    unsafe { read_with(terminal, card, json, read) }
}

/// Verifies a line typed by a keyboard-wedge scanner, repairing a
/// QWERTY/AZERTY layout mismatch or Caps Lock. The JSON adds
/// `"repair": {"intact": bool, "advice": text or null}` — show the advice
/// to the operator so that the scanner gets reconfigured.
///
/// # Safety
/// As [`vitale_terminal_verify_text`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_terminal_verify_scanner_line(
    terminal: *const VitaleTerminal,
    line: *const c_char,
    card: *mut *mut VitaleCard,
    json: *mut *mut c_char,
) -> VitaleStatus {
    let read = |t: &VitaleTerminal| -> Result<(VerifiedCard, Map<String, Value>), Failure> {
        // SAFETY: NUL-terminated by the caller's contract.
        let line = unsafe { boundary::text(line, "line") }?;
        let scanned = t.read().verify_scanner_line(line)?;
        let mut extra = Map::new();
        extra.insert(
            "repair".into(),
            json!({
                "intact": scanned.repair.was_intact(),
                "advice": scanned.repair.advice(),
            }),
        );
        Ok((scanned.card, extra))
    };
    // SAFETY: the caller's contract is read_with's.
    unsafe { read_with(terminal, card, json, read) }
}

/// Reads the card shown in an image (PNG, JPEG or WebP bytes): the first
/// QR code that verifies; otherwise the first code's error, or `no_code`.
///
/// # Safety
/// As [`vitale_terminal_verify_text`]; `image` points to `image_len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_terminal_read_image(
    terminal: *const VitaleTerminal,
    image: *const u8,
    image_len: usize,
    card: *mut *mut VitaleCard,
    json: *mut *mut c_char,
) -> VitaleStatus {
    let read = |t: &VitaleTerminal| -> Result<(VerifiedCard, Map<String, Value>), Failure> {
        // SAFETY: readable bytes by the caller's contract.
        let bytes = unsafe { boundary::bytes(image, image_len, "image") }?;
        Ok((t.read().read_card_from_image(bytes)?, Map::new()))
    };
    // SAFETY: the caller's contract is read_with's.
    unsafe { read_with(terminal, card, json, read) }
}

/// As [`vitale_terminal_read_image`], from a file; `path` is UTF-8 on
/// every platform.
///
/// # Safety
/// As [`vitale_terminal_verify_text`]; `path` a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_terminal_read_image_file(
    terminal: *const VitaleTerminal,
    path: *const c_char,
    card: *mut *mut VitaleCard,
    json: *mut *mut c_char,
) -> VitaleStatus {
    let read = |t: &VitaleTerminal| -> Result<(VerifiedCard, Map<String, Value>), Failure> {
        // SAFETY: NUL-terminated by the caller's contract.
        let path = unsafe { boundary::text(path, "path") }?;
        let verified = t.read().read_card_from_image_file(path.as_ref())?;
        Ok((verified, Map::new()))
    };
    // SAFETY: the caller's contract is read_with's.
    unsafe { read_with(terminal, card, json, read) }
}

/// Reads the card shown in a camera frame: 8-bit grey pixels, `width` ×
/// `height`, rows `stride` bytes apart (`pixels_len` at least `stride ×
/// (height − 1) + width`). As [`vitale_terminal_read_image`] otherwise.
///
/// # Safety
/// As [`vitale_terminal_verify_text`]; `pixels` points to `pixels_len`
/// readable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn vitale_terminal_read_frame(
    terminal: *const VitaleTerminal,
    pixels: *const u8,
    pixels_len: usize,
    width: u32,
    height: u32,
    stride: u32,
    card: *mut *mut VitaleCard,
    json: *mut *mut c_char,
) -> VitaleStatus {
    let read = |t: &VitaleTerminal| -> Result<(VerifiedCard, Map<String, Value>), Failure> {
        // SAFETY: readable bytes by the caller's contract.
        let pixels = unsafe { boundary::bytes(pixels, pixels_len, "pixels") }?;
        let frame = LumaFrame::new(width, height, stride as usize, pixels)
            .map_err(|e| Failure::from(vitale::Error::from(e)))?;
        let codes = t.read().scan_frame(&frame)?;
        let mut first_error = None;
        for code in codes {
            match code.into_outcome() {
                Ok(verified) => return Ok((verified, Map::new())),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or(vitale::Error::NoCode).into())
    };
    // SAFETY: the caller's contract is read_with's.
    unsafe { read_with(terminal, card, json, read) }
}

#[cfg(test)]
mod tests;
