//! Wire formats of the vitale-sdk `open` profile.
//!
//! This crate does no I/O and holds no keys. It turns bytes and text into
//! typed values (and back), strictly and within size limits:
//!
//! * [`text`] — the QR text forms `VT1:` (Base45, RFC 9285) and `VT1B:`
//!   (unpadded base64url), with the strict [`base45`] codec underneath;
//! * [`cbor`] — the strict decoder for RFC 8949 §4.2 deterministic CBOR
//!   that every payload must satisfy;
//! * [`cose`] — COSE_Sign1 envelopes (RFC 9052) restricted to ES256,
//!   keeping the protected header's original bytes for verification;
//! * [`model`] — the data model: credential, presentation, delegation,
//!   insured person (*ouvrant droit*), beneficiaries (*ayants droit*),
//!   complementary insurance (*AMC*);
//! * [`apdu`] — ISO/IEC 7816-4 APDU framing for the NFC channel, as pure
//!   functions;
//! * [`token`] — the `token` profile's text form: opaque, routed by what
//!   it is not (`VT1:`/`VT1B:`), forwarded verbatim;
//! * [`hex`] — the one hex text form of opaque bytes;
//! * [`limits`] — every size limit in one place.
//!
//! The normative description of the formats is `docs/format.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod apdu;
pub mod base45;
pub mod cbor;
pub mod cose;
mod error;
pub mod hex;
pub mod limits;
pub mod model;
#[cfg(test)]
mod mutate;
pub mod text;
pub mod token;

pub use error::{ApduError, CborError, CoseError, Error, ModelError, TextError};
pub use token::{TextKind, TokenText, TokenTextError};
