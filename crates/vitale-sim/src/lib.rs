//! Test kit for the vitale-sdk: a simulated insurer and phone that make
//! realistic, signed `open`-profile data, deterministic from a seed.
//!
//! | module | what it holds |
//! |---|---|
//! | [`seed`] | [`Seed`], derivation of bytes and [`KeyPair`]s by label |
//! | [`people`] | [`Household`]: an insured person and 1–16 beneficiaries |
//! | [`issuer`] | [`SimIssuer`]: root key, issuer keys, trust lists, credentials, delegations |
//! | [`phone`] | [`SimPhone`]: device key, QR and NFC presentations |
//! | [`nfc`] | [`CardEmulator`]: the phone as a contactless card, served to pcscd over vpcd |
//! | [`render`] | [`render_qr`]: QR images, [`Perturbation`]s, camera-like frames |
//! | [`scenario`] | [`Scenario`]: all of the above in one call |
//! | [`hazmat`] | ⚠ presentations the profile forbids, for attack tests |
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

mod error;
pub mod hazmat;
pub mod issuer;
pub mod nfc;
pub mod people;
pub mod phone;
pub mod render;
pub mod scenario;
pub mod seed;

pub use error::Error;
pub use issuer::{SimIssuer, SimIssuerKey, SimIssuerKeySpec};
pub use nfc::{Behaviour, CardEmulator, EmulatorHandle, Error as NfcError, serve_vpcd, spawn_vpcd};
pub use people::Household;
pub use phone::SimPhone;
pub use render::{GreyImage, Perturbation, RenderError, RenderOptions, render_qr};
pub use scenario::Scenario;
pub use seed::{KeyPair, Seed};

/// The `p256` crate the simulator's keys come from, so that users name the
/// same version.
pub use p256;
