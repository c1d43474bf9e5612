//! The card handle: a verified card (the proof that billing takes), shown
//! as JSON on request.
//!
//! **Threads.** A card never changes: it may be read from several threads
//! at once.

use core::ffi::c_char;

use serde::Deserialize;
use vitale::render::{self, DisplayOptions};
use vitale::verify::VerifiedCard;

use crate::boundary::{self, Out, call_json, call_keeping_last};
use crate::options;
use crate::status::VitaleStatus;

/// A verified card (opaque): only a successful verification makes one.
/// Freed by [`vitale_card_free`]. Immutable, safe to share between
/// threads.
pub struct VitaleCard {
    card: VerifiedCard,
    show_nir: bool,
}

impl VitaleCard {
    pub(crate) fn new(card: VerifiedCard, show_nir: bool) -> Self {
        VitaleCard { card, show_nir }
    }

    /// The verified card.
    pub(crate) fn card(&self) -> &VerifiedCard {
        &self.card
    }
}

/// `vitale_card_json`'s options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CardOptions {
    /// NIRs in full; default: the terminal's `show_nir`.
    #[serde(default)]
    show_nir: Option<bool>,
}

/// The card as JSON (`docs/json.md`, the `"card"` member of the reading
/// functions' results): `insured`, `beneficiaries`, `delegation`,
/// `provenance`. `options_json` (null for the defaults):
/// `{"show_nir": true}` shows NIRs and INS matricules in full — personal
/// data for billing, never for logs.
///
/// # Safety
/// `card` is a live handle; `options_json` null or a NUL-terminated
/// string; `json` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_card_json(
    card: *const VitaleCard,
    options_json: *const c_char,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: a live handle by the caller's contract.
        let c = unsafe { boundary::handle(card, "card") }?;
        // SAFETY: null or NUL-terminated by the caller's contract.
        let text = unsafe { boundary::optional_text(options_json, "options_json") }?;
        let options: CardOptions = options::parse(text, "options")?;
        let display = if options.show_nir.unwrap_or(c.show_nir) {
            DisplayOptions::with_nir_shown()
        } else {
            DisplayOptions::default()
        };
        Ok(render::card_json(&c.card, display).to_string())
    })
}

/// Frees a card. Null is ignored.
///
/// # Safety
/// `card` is null or a handle from this library, not yet freed, that no
/// other thread uses any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_card_free(card: *mut VitaleCard) {
    let _ = call_keeping_last(|| {
        // SAFETY: the caller's contract is free_handle's.
        unsafe { boundary::free_handle(card) };
        VitaleStatus::Ok
    });
}
