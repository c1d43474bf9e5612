//! vitale-sdk: accept the *appli carte Vitale* (ApCV) in billing software.
//!
//! This facade re-exports the SDK's crates as modules, so a vendor depends on
//! one crate and one version:
//!
//! * [`ins`] — NIR/NIA, INS, identity traits, the Datamatrix INS payload;
//! * [`codec`] — QR text forms, CBOR data model, COSE envelopes, APDU framing;
//! * [`verify`] — signature backends, trust list, replay cache, verification;
//! * [`reader`] — QR decoding from images and frames, keyboard-wedge and
//!   serial scanners;
//! * [`Terminal`] — the workstation's entry point: image, frame, scanner line
//!   or text in, [`verify::VerifiedCard`] out.
//!
//! Features: `fast-crypto` switches ES256 verification to the `ring`
//! backend; `serial` adds serial-port scanners; `pcsc` adds NFC readers
//! through PC/SC ([`Terminal::read_nfc`]).
//!
//! See the repository's `README.md` and `docs/` for the architecture and the
//! normative `open` profile format.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use vitale_codec as codec;
pub use vitale_ins as ins;
pub use vitale_reader as reader;
pub use vitale_verify as verify;

pub mod display;
pub mod terminal;

pub use terminal::Terminal;
