//! Verification for the vitale-sdk `open` profile: from the bytes a phone
//! shows to a [`VerifiedCard`].
//!
//! * [`Verifier`] — checks a presentation (QR text, QR bytes or an NFC
//!   answer) in a documented order, each failure its own [`Error`] variant;
//!   only a successful verification constructs a [`VerifiedCard`];
//! * [`token`] — the `token` profile: a [`token::TokenVerifier`] over an
//!   online [`token::ContextService`] (*contexte ApCV*), giving cards with
//!   online provenance;
//! * [`trust`] — the trust list of issuer keys, signed by a pinned root
//!   ([`TrustAnchor`], [`TrustList`], [`TrustStore`]);
//! * [`replay`] — the anti-replay cache trait and its bounded in-memory
//!   implementation;
//! * [`policy`] — clock skew, lifetimes, sizes, and the injectable [`policy::Clock`];
//! * [`backend`] — ES256 backends behind [`SignatureBackend`]:
//!   [`P256Backend`] (pure Rust, default) and, with the `ring` feature,
//!   `RingBackend`; [`default_backend`] picks the fastest compiled in;
//! * [`PublicKey`], [`Signature`] — P-256 keys and `r‖s` signatures, parsed
//!   once and strictly;
//! * [`key_file`] — private and public key files (hex, PKCS#8, SEC1,
//!   SubjectPublicKeyInfo; DER or PEM);
//! * [`signer`] — making signatures: the [`Signer`] trait (two-phase
//!   signing, down to a "sign this SHA-256 digest" primitive) and
//!   [`SoftwareSigner`], a P-256 key in memory.
//!
//! The threat model and which check stops each attack: `docs/security.md`.
//!
//! The signature layer alone:
//!
//! ```
//! use vitale_verify::{PublicKey, Signature, default_backend};
//! # fn main() -> Result<(), vitale_verify::Error> {
//! # let key = PublicKey::from_sec1_bytes(&[
//! #     0x03, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63,
//! #     0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39,
//! #     0x45, 0xd8, 0x98, 0xc2, 0x96,
//! # ])?;
//! let signature = Signature::from_slice(&[0x11; 64])?;
//! let result = default_backend().verify_es256(&key, b"Sig_structure bytes", &signature);
//! assert_eq!(result, Err(vitale_verify::BackendError::BadSignature));
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod backend;
mod card;
mod error;
#[cfg(fuzzing)]
pub mod fuzzing;
pub mod interop;
mod key;
pub mod key_file;
pub mod policy;
pub mod replay;
mod signature;
pub mod signer;
pub mod token;
pub mod trust;
mod verifier;

#[cfg(feature = "ring")]
pub use backend::RingBackend;
pub use backend::{
    Algorithm, BackendError, P256Backend, SignatureBackend, compiled_backends, default_backend,
};
pub use card::{
    DelegationInfo, OfflineProvenance, OnlineProvenance, Provenance, VerifiedBeneficiary,
    VerifiedCard,
};
pub use error::{
    AlgorithmLabel, Error, KeyError, KeyUsage, SignatureEncodingError, TimeRefusal, TrustListError,
};
pub use interop::{InteropKey, P384PublicKey};
pub use key::{COMPRESSED_LEN, PublicKey, UNCOMPRESSED_LEN};
pub use key_file::KeyFileError;
pub use signature::{MAX_DER_SIGNATURE_LEN, SIGNATURE_LEN, Signature};
pub use signer::{Signer, SignerError, SoftwareSigner};
pub use trust::{
    IssuerKey, IssuerKeyDraft, KeyMaterial, TrustAnchor, TrustList, TrustListDraft, TrustStore,
    kid_of_spki,
};
pub use verifier::{ExpectedChannel, Verifier};
