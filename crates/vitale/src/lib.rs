//! vitale-sdk: accept the *appli carte Vitale* (ApCV) in billing software.
//!
//! This facade re-exports the SDK's crates as modules, so a vendor depends on
//! one crate and one version:
//!
//! * [`ins`] — NIR/NIA, INS, identity traits, the Datamatrix INS payload;
//! * [`model`] — the card domain: insured person, organisme, beneficiaries,
//!   complementary cover, INS link, with their JSON shape (serde);
//! * [`codec`] — QR text forms, CBOR data model, COSE envelopes, APDU framing;
//! * [`verify`] — signature backends, trust list, replay cache, verification;
//! * [`reader`] — QR decoding from images and frames, keyboard-wedge and
//!   serial scanners;
//! * `http` (feature `online`) — the reference HTTPS bindings of the
//!   online services (`token` profile context service), `docs/online.md`;
//! * [`Terminal`] — the workstation's entry point: image, frame, scanner line
//!   or text in, [`verify::VerifiedCard`] out, for both profiles;
//! * [`Error`] — one error type for all of it, with stable snake_case
//!   [`Error::kind`] codes ([`KINDS`]) shared by the CLI and the C ABI;
//! * [`render`] — a card as text or JSON, NIRs masked unless asked;
//! * [`load_trust_store`] — a trust list checked against the pinned root.
//!
//! Features: `fast-crypto` switches ES256 verification to the `ring`
//! backend; `serial` adds serial-port scanners; `pcsc` adds NFC readers
//! through PC/SC ([`Terminal::read_nfc`]); `online` adds `vitale::http`.
//!
//! See the repository's `README.md` and `docs/` for the architecture and the
//! normative `open` profile format.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use vitale_adri as adri;
pub use vitale_codec as codec;
pub use vitale_fse as fse;
#[cfg(feature = "online")]
pub use vitale_http as http;
pub use vitale_ins as ins;
pub use vitale_model as model;
pub use vitale_reader as reader;
pub use vitale_verify as verify;

pub mod billing;
mod error;
pub mod render;
pub mod terminal;
pub mod trust;

#[cfg(feature = "pcsc")]
pub use error::nfc_kind;
pub use error::{Error, KINDS, identity_kind, reader_kind};
pub use terminal::Terminal;
pub use trust::{load_trust_store, load_trust_store_files};
