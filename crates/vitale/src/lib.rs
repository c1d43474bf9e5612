//! vitale-sdk: accept the *appli carte Vitale* (ApCV) in billing software.
//!
//! # Quick start
//!
//! Load the trust list under the pinned root, read a keyboard-wedge
//! scanner's line and a picture, print the card:
//!
//! ```no_run
//! use vitale::render::{DisplayOptions, card_text};
//!
//! fn main() -> Result<(), vitale::Error> {
//!     let terminal = vitale::Terminal::builder()
//!         .trust_list_file("trust-list.cbor")
//!         .pinned_root_file("root.spki.der")
//!         .build()?;
//!     let mut line = String::new(); // the scanner types one line
//!     std::io::stdin().read_line(&mut line).map_err(|e| vitale::Error::io("stdin", e))?;
//!     let scanned = terminal.verify_scanner_line(line.trim_end_matches(['\r', '\n']))?;
//!     print!("{}", card_text(&scanned.card, DisplayOptions::default()));
//!     let card = terminal.read_card_from_image_file("photo.png".as_ref())?;
//!     print!("{}", card_text(&card, DisplayOptions::default()));
//!     Ok(())
//! }
//! ```
//!
//! Every failure has a stable kind (`err.kind()`, e.g. `replay`,
//! `credential_expired`, `trust_list_stale_sequence`) listed in [`KINDS`].
//! Billing goes on with [`billing::Billing`]: rights of the day, care sheet,
//! signature, receipt.
//!
//! # Modules
//!
//! This facade re-exports the SDK's crates as modules, so a vendor depends on
//! one crate and one version; each module's documentation here is its
//! crate's, with every item (feature-gated ones marked with their feature):
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
//! * `store` (features `sqlite`, `postgres`) — durable and shared state:
//!   the replay cache and invoice numbers on SQLite (one workstation) or
//!   PostgreSQL (a site), opened from a location text
//!   (`sqlite:PATH`, `postgres:URL`), `docs/deployment.md`;
//! * [`Terminal`] — the workstation's entry point: image, frame, scanner line
//!   or text in, [`verify::VerifiedCard`] out, for both profiles;
//! * [`Error`] — one error type for all of it, with stable snake_case
//!   [`Error::kind`] codes ([`KINDS`]) shared by the CLI and the C ABI;
//! * [`render`] — a card as text or JSON, NIRs masked unless asked;
//! * [`load_trust_store`] — a trust list checked against the pinned root
//!   ([`Terminal::builder`] does it for a terminal);
//! * [`billing`] — the billing flow in one call (FSE-lite, not
//!   CNDA-approved).
//!
//! Features: `fast-crypto` switches ES256 verification to the `ring`
//! backend (the items of [`verify`] marked with the feature `ring` come
//! with it); `serial` adds serial-port scanners; `pcsc` adds NFC readers
//! through PC/SC ([`Terminal::read_nfc`]); `online` adds `vitale::http`;
//! `sqlite` and `postgres` add `vitale::store` and
//! `Terminal::with_replay_store`; `zxing-cpp` adds the zxing-cpp QR backend
//! (`reader::qr::ZxingCppDecoder`, `QrStrategy::with_zxing_cpp`, for
//! [`Terminal::with_qr_decoder`]; its bundled C++ build needs cmake and a
//! C++ compiler).
//!
//! Every feature has a runnable example in this package's `examples/`
//! (`cargo run -p vitale --features fast-crypto --example fast_crypto`, …;
//! the README lists them, with what each shows). See the repository's
//! `README.md` and `docs/` for the architecture and the normative `open`
//! profile format, and `docs/semver.md` for what is public API and how
//! versions change.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(inline)]
pub use vitale_adri as adri;
#[doc(inline)]
pub use vitale_codec as codec;
#[doc(inline)]
pub use vitale_fse as fse;
#[cfg(feature = "online")]
#[doc(inline)]
pub use vitale_http as http;
#[doc(inline)]
pub use vitale_ins as ins;
#[doc(inline)]
pub use vitale_model as model;
#[doc(inline)]
pub use vitale_reader as reader;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
#[doc(inline)]
pub use vitale_store as store;
#[doc(inline)]
pub use vitale_verify as verify;

pub mod billing;
mod builder;
pub mod camera;
mod error;
pub mod render;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod state;
pub mod terminal;
pub mod trust;

pub use builder::TerminalBuilder;
#[cfg(feature = "pcsc")]
pub use error::nfc_kind;
pub use error::{Error, KINDS, camera_kind, identity_kind, reader_kind};
pub use terminal::Terminal;
pub use trust::{load_trust_store, load_trust_store_files};

/// The README's Rust snippets, compiled as doctests so they cannot rot
/// (`README.md` here is a link to the workspace's, packaged as a file).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
