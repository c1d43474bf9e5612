//! Test kit for the vitale-sdk: a simulated insurer and phone that make
//! realistic, signed `open`-profile data, deterministic from a seed.
//!
//! | module | feature | what it holds |
//! |---|---|---|
//! | [`seed`] | — | [`Seed`], derivation of bytes and [`KeyPair`]s by label |
//! | [`people`] | — | [`Household`]: an insured person and 1–16 beneficiaries |
//! | [`issuer`] | — | [`SimIssuer`]: root key, issuer keys, trust lists, credentials, delegations |
//! | [`phone`] | — | [`SimPhone`]: device key, QR and NFC presentations (bytes and text) |
//! | [`scenario`] | — | [`Scenario`]: issuer, household and phone in one call |
//! | [`hazmat`] | — | ⚠ presentations the profile forbids, for attack tests |
//! | `render` | `render` | `render_qr`: QR images (PNG, SVG), `Perturbation`s, camera-like frames |
//! | `nfc` | `nfc` | `CardEmulator`: the phone as a contactless card, served to pcscd over vpcd |
//! | `online` | `online` | `OnlineServer`: contexts, tokens and signatures of the `token` profile on a real HTTPS server on loopback, with fault modes |
//!
//! # Features
//!
//! The core (the modules without a feature above) is always built and
//! needs nothing beyond the SDK and its signing crates. The rest is opt-in,
//! so that a test suite compiles only what it uses; no feature is on by
//! default.
//!
//! * `render` — QR rendering, perturbations and camera-like frames, as
//!   `vitale-reader`'s `LumaImage` (pulls `qrcode`);
//! * `nfc` — the vpcd phone emulator (pulls `socket2`);
//! * `online` — the HTTPS server of the online services (pulls
//!   `vitale-http`, `rustls`, `rcgen`, `socket2`).
//!
//! Everything — keys, nonces, credential ids, people — derives from the
//! seed, and ECDSA signing is deterministic (RFC 6979), so the same seed and
//! the same calls give the same bytes.
//!
//! **Not for production**: anyone who knows a seed can forge what it signs.
//! The people are invented; their INS carry the test OID.
//!
//! ```
//! use vitale::codec::model::{SignedPresentation, Timestamp};
//! use vitale_sim::{Scenario, Seed};
//!
//! let now = Timestamp::from_unix(1_795_334_400).ok_or(vitale_sim::Error::TimeOutOfRange)?;
//! let s = Scenario::new(Seed::from_u64(7), 3, now)?;
//! let text = s.phone.present_qr_text(now, 120)?;
//! let decoded = SignedPresentation::from_text(&text)?;
//! assert_eq!(decoded.presentation().credential().credential().beneficiaries.len(), 3);
//! # Ok::<(), vitale_sim::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
pub mod hazmat;
pub mod issuer;
#[cfg(feature = "nfc")]
#[cfg_attr(docsrs, doc(cfg(feature = "nfc")))]
pub mod nfc;
#[cfg(feature = "online")]
#[cfg_attr(docsrs, doc(cfg(feature = "online")))]
pub mod online;
pub mod people;
pub mod phone;
#[cfg(feature = "render")]
#[cfg_attr(docsrs, doc(cfg(feature = "render")))]
pub mod render;
pub mod scenario;
pub mod seed;

pub use error::Error;
pub use issuer::{SimIssuer, SimIssuerKey, SimIssuerKeySpec};
#[cfg(feature = "nfc")]
#[cfg_attr(docsrs, doc(cfg(feature = "nfc")))]
pub use nfc::{Behaviour, CardEmulator, EmulatorHandle, Error as NfcError, serve_vpcd, spawn_vpcd};
pub use people::Household;
pub use phone::SimPhone;
#[cfg(feature = "render")]
#[cfg_attr(docsrs, doc(cfg(feature = "render")))]
pub use render::{LumaImage, Perturbation, RenderError, RenderOptions, render_qr};
pub use scenario::Scenario;
pub use seed::{KeyPair, Seed};

/// The `p256` crate the simulator's keys come from, so that users name the
/// same version.
pub use p256;
