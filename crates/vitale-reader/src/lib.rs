//! Readers for the vitale-sdk: where presentations come from.
//!
//! * [`qr`] — QR codes in image files and camera frames, behind the
//!   [`qr::QrDecoder`] trait (quircs and rxing backends; zxing-cpp with the
//!   feature `zxing-cpp`, whose bundled C++ build needs cmake and a C++
//!   compiler);
//! * [`camera`] — live scanning: frame sources (a camera with the feature
//!   `camera`, image files, frames in memory) and the scanning loop;
//! * [`wedge`] — handheld scanners that type into the keyboard
//!   ("keyboard wedge"), with repair of QWERTY/AZERTY layout mismatches;
//! * `serial` (feature `serial`) — scanners on a serial (COM) port;
//! * [`nfc_session`] — the NFC protocol with the phone (SELECT, GET
//!   PRESENTATION, chaining, polling a locked app) over any
//!   [`nfc_session::CardTransport`];
//! * `nfc` (feature `pcsc`) — NFC readers through PC/SC (pcsc-lite,
//!   WinSCard): waiting for a phone, reading its presentation.
//!
//! No reader verifies anything: each hands text or bytes to
//! `vitale-verify` (through the `vitale` facade's `Terminal`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod camera;
mod error;
#[cfg(feature = "pcsc")]
pub mod nfc;
pub mod nfc_session;
pub mod qr;
#[cfg(feature = "serial")]
pub mod serial;
pub mod wedge;

pub use error::Error;
