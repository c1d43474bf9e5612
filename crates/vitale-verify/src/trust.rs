//! The trust list: which issuer keys the workstation accepts.
//!
//! The insurer publishes a **trust list** of its issuer keys — each with a
//! key identifier (`kid`), the key (a DER `SubjectPublicKeyInfo` or an
//! X.509 certificate), a validity window and the usages it may sign
//! (credential, delegation, receipt). The list is itself signed by a
//! **root key** that the application pins ([`TrustAnchor`]). Its format, in
//! a CBOR (COSE_Sign1) and a JSON (JWS) form, is specified in
//! `docs/trust-list.md`.
//!
//! * [`TrustList`] can only be obtained from [`TrustList::from_cbor`] or
//!   [`TrustList::from_json`], which check the root signature, the list's
//!   own validity, and every entry (kid = SHA-256 of the key's SPKI, key
//!   parses as P-256, unique kids, known usages…);
//! * [`TrustStore`] holds the list in force and accepts an update only
//!   with a greater sequence number, so an old list cannot be replayed;
//! * [`TrustListDraft`] builds a list and signs it in two phases (for the
//!   tools of whoever operates the root key, and for tests):
//!   [`TrustListDraft::prepare_cbor`] or [`TrustListDraft::prepare_json`]
//!   give the bytes to sign, any [`Signer`](crate::Signer) signs them —
//!   the root key can stay in an HSM — and `complete` makes the list.
//!
//! ```
//! use vitale_codec::model::Timestamp;
//! use vitale_verify::trust::{
//!     IssuerKeyDraft, KeyMaterial, TrustAnchor, TrustList, TrustListDraft, kid_of_spki,
//! };
//! use vitale_verify::{KeyUsage, Signer, SoftwareSigner, default_backend};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let ts = |s| Timestamp::from_unix(s).ok_or("time");
//! // The root key (test only) and an issuer key.
//! let root = SoftwareSigner::from_slice(&[7; 32])?;
//! let anchor = TrustAnchor::new(root.verifying_key().clone());
//! let issuer = SoftwareSigner::from_slice(&[1; 32])?;
//! let issuer_spki = issuer.verifying_key().to_spki_der();
//!
//! let draft = TrustListDraft {
//!     sequence: 1,
//!     issued_at: ts(1_790_000_000)?,
//!     expires_at: ts(1_800_000_000)?,
//!     keys: vec![IssuerKeyDraft {
//!         material: KeyMaterial::Spki(issuer_spki.clone()),
//!         not_before: ts(1_790_000_000)?,
//!         expires_at: ts(1_820_000_000)?,
//!         usages: vec![KeyUsage::Credential, KeyUsage::Delegation],
//!         label: Some("CNAM issuer 2026".into()),
//!     }],
//! };
//! // Two phases: the bytes to sign, then the list with the root's signature.
//! let tbs = draft.prepare_cbor(anchor.kid())?;
//! let signature = root.sign(tbs.bytes())?;
//! let bytes = tbs.complete(signature.to_bytes());
//!
//! let list = TrustList::from_cbor(&bytes, &anchor, default_backend(), ts(1_795_000_000)?)?;
//! let key = list.find(&kid_of_spki(&issuer_spki)).ok_or("not found")?;
//! assert!(key.allows(KeyUsage::Credential));
//! assert!(!key.allows(KeyUsage::Receipt));
//! # Ok(()) }
//! ```

mod cbor;
mod draft;
mod entry;
mod json;

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use sha2::{Digest as _, Sha256};
use vitale_codec::model::{Timestamp, ValidityWindow};

use crate::{Error, KeyUsage, PublicKey, SignatureBackend, TrustListError};

pub use draft::{IssuerKeyDraft, JwsToBeSigned, KeyMaterial, TrustListDraft};

/// Largest trust list accepted in the CBOR form, in bytes (64 KiB).
pub const MAX_TRUST_LIST_BYTES: usize = 65_536;
/// Largest trust list accepted in the JSON (JWS) form, in bytes (192 KiB:
/// member names, hex, base64 and base64url make it up to about 2.5 times
/// larger than the CBOR form; every list that fits [`MAX_TRUST_LIST_BYTES`]
/// in CBOR fits this in JSON).
pub const MAX_TRUST_LIST_JSON_BYTES: usize = 196_608;
/// Most issuer keys in one trust list.
pub const MAX_TRUST_LIST_KEYS: usize = 256;
/// Longest label of an issuer key, in characters.
pub const MAX_LABEL_CHARS: usize = 100;
/// The trust list format version this crate reads and writes.
pub const TRUST_LIST_VERSION: u64 = 1;
/// The JWS `typ` header of the JSON form.
pub const JWS_TYP: &str = "vitale-trust-list+json";

/// The key identifier of the `open` profile: the first 8 bytes of the
/// SHA-256 of a DER `SubjectPublicKeyInfo`, taken over the bytes as given.
///
/// ```
/// // The issuer key of the docs/format.md test vectors.
/// let spki = [
///     0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
///     0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0x6f,
///     0xf0, 0x3b, 0x94, 0x92, 0x41, 0xce, 0x1d, 0xad, 0xd4, 0x35, 0x19, 0xe6, 0x96, 0x0e,
///     0x0a, 0x85, 0xb4, 0x1a, 0x69, 0xa0, 0x5c, 0x32, 0x81, 0x03, 0xaa, 0x2b, 0xce, 0x15,
///     0x94, 0xca, 0x16, 0x3c, 0x4f, 0x75, 0x3a, 0x55, 0xbf, 0x01, 0xdc, 0x53, 0xf6, 0xc0,
///     0xb0, 0xc7, 0xee, 0xe7, 0x8b, 0x40, 0xc6, 0xff, 0x7d, 0x25, 0xa9, 0x6e, 0x22, 0x82,
///     0xb9, 0x89, 0xce, 0xf7, 0x1c, 0x14, 0x4a,
/// ];
/// assert_eq!(
///     vitale_verify::trust::kid_of_spki(&spki),
///     [0xf8, 0x57, 0xae, 0x4e, 0xd6, 0xe3, 0x4e, 0x33]
/// );
/// ```
pub fn kid_of_spki(spki_der: &[u8]) -> [u8; 8] {
    let digest = Sha256::digest(spki_der);
    let mut kid = [0u8; 8];
    for (out, byte) in kid.iter_mut().zip(digest.iter()) {
        *out = *byte;
    }
    kid
}

/// The root key that the application pins: only lists it signed are
/// accepted.
///
/// Its kid is [`kid_of_spki`] of the SPKI given to
/// [`TrustAnchor::from_spki_der`] or, for [`TrustAnchor::new`], of the
/// key's uncompressed SPKI ([`PublicKey::to_spki_der`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustAnchor {
    key: PublicKey,
    kid: [u8; 8],
}

impl TrustAnchor {
    /// Pins a root key; its kid is that of its uncompressed SPKI.
    pub fn new(root: PublicKey) -> Self {
        let kid = kid_of_spki(&root.to_spki_der());
        TrustAnchor { key: root, kid }
    }

    /// Pins a root key given as a DER `SubjectPublicKeyInfo` (P-256).
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] as for [`PublicKey::from_spki_der`].
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let key = PublicKey::from_spki_der(der)?;
        Ok(TrustAnchor {
            key,
            kid: kid_of_spki(der),
        })
    }

    /// The root kid that signed lists carry in their header.
    pub fn kid(&self) -> [u8; 8] {
        self.kid
    }

    /// The root public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }
}

/// A verified trust list: signed by the pinned root, valid at the time it
/// was loaded, every entry checked. Only [`TrustList::from_cbor`] and
/// [`TrustList::from_json`] make one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustList {
    root_kid: [u8; 8],
    sequence: u64,
    issued_at: Timestamp,
    expires_at: Timestamp,
    keys: Vec<IssuerKey>,
}

impl TrustList {
    /// Loads and verifies the CBOR form (a tagged COSE_Sign1, at most
    /// [`MAX_TRUST_LIST_BYTES`]) at time `now`.
    ///
    /// # Errors
    /// [`Error::TrustList`] with: [`TrustListError::TooLarge`] (size, or
    /// more than [`MAX_TRUST_LIST_KEYS`] keys), [`TrustListError::Malformed`]
    /// (not the format of `docs/trust-list.md`),
    /// [`TrustListError::BadRootSignature`] (another root kid, or a wrong
    /// signature), [`TrustListError::UnsupportedVersion`],
    /// [`TrustListError::NotYetValid`] (`now` before `issued_at`: the
    /// workstation's clock is behind), [`TrustListError::Expired`] (`now`
    /// at or after `expires_at`),
    /// [`TrustListError::KidMismatch`], [`TrustListError::DuplicateKid`],
    /// [`TrustListError::BadKey`], [`TrustListError::BadCertificate`].
    pub fn from_cbor(
        bytes: &[u8],
        anchor: &TrustAnchor,
        backend: &dyn SignatureBackend,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let parsed = cbor::load(bytes, anchor, backend).map_err(Error::TrustList)?;
        Self::check(parsed, anchor, now).map_err(Error::TrustList)
    }

    /// Loads and verifies the JSON form (a JWS compact serialization, at
    /// most [`MAX_TRUST_LIST_JSON_BYTES`], without surrounding white space)
    /// at time `now`.
    ///
    /// # Errors
    /// As [`TrustList::from_cbor`].
    pub fn from_json(
        text: &str,
        anchor: &TrustAnchor,
        backend: &dyn SignatureBackend,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let parsed = json::load(text, anchor, backend).map_err(Error::TrustList)?;
        Self::check(parsed, anchor, now).map_err(Error::TrustList)
    }

    /// The checks common to both forms, on a signed and decoded payload.
    fn check(
        parsed: entry::Parsed,
        anchor: &TrustAnchor,
        now: Timestamp,
    ) -> Result<Self, TrustListError> {
        let entry::Parsed {
            sequence,
            issued_at,
            expires_at,
            entries,
        } = parsed;
        if issued_at >= expires_at {
            return Err(TrustListError::Malformed);
        }
        check_list_window(issued_at, expires_at, now)?;
        if entries.is_empty() {
            return Err(TrustListError::Malformed);
        }
        if entries.len() > MAX_TRUST_LIST_KEYS {
            return Err(TrustListError::TooLarge);
        }
        let mut keys: Vec<IssuerKey> = Vec::with_capacity(entries.len());
        for (kid, draft) in entries {
            let key = entry::check(kid, draft)?;
            if keys.iter().any(|k| k.kid == key.kid) {
                return Err(TrustListError::DuplicateKid);
            }
            keys.push(key);
        }
        Ok(TrustList {
            root_kid: anchor.kid(),
            sequence,
            issued_at,
            expires_at,
            keys,
        })
    }

    /// The sequence number: a later list has a greater one.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// When the root signed the list.
    pub fn issued_at(&self) -> Timestamp {
        self.issued_at
    }

    /// When the list stops being valid (exclusive); the application should
    /// fetch a newer one before.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// The kid of the root key that signed this list.
    pub fn root_kid(&self) -> [u8; 8] {
        self.root_kid
    }

    /// The issuer keys, in the order of the list.
    pub fn keys(&self) -> &[IssuerKey] {
        &self.keys
    }

    /// The issuer key with this kid, if the list has one.
    pub fn find(&self, kid: &[u8; 8]) -> Option<&IssuerKey> {
        self.keys.iter().find(|k| &k.kid == kid)
    }
}

/// One issuer key of a verified trust list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerKey {
    kid: [u8; 8],
    key: PublicKey,
    validity: ValidityWindow,
    usages: Vec<KeyUsage>,
    label: Option<String>,
}

impl IssuerKey {
    /// The key identifier (first 8 bytes of SHA-256 of the key's SPKI DER).
    pub fn kid(&self) -> &[u8; 8] {
        &self.kid
    }

    /// The P-256 public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }

    /// When the key may have signed: a credential or delegation counts
    /// when its issue date falls in this window.
    pub fn validity(&self) -> ValidityWindow {
        self.validity
    }

    /// Whether the key may sign documents of this kind.
    pub fn allows(&self, usage: KeyUsage) -> bool {
        self.usages.contains(&usage)
    }

    /// The usages, in increasing code order (1 to 3 of them).
    pub fn usages(&self) -> &[KeyUsage] {
        &self.usages
    }

    /// A human-readable label, for logs and administration screens.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }
}

/// The trust list in force, under a pinned root; replaced only by a list
/// with a greater sequence number, so an older list cannot be replayed.
///
/// The list can be replaced through a shared reference
/// ([`TrustStore::update`] takes `&self`): a refresher swaps it while
/// verifications go on, each of which works on the list in force when it
/// started ([`TrustStore::current`] hands out an [`Arc`]). A clone is a
/// snapshot: a separate store holding the same list.
///
/// Persisting the store across restarts (at least its sequence number) is
/// the application's job: a store rebuilt from an old list would accept
/// every later one again (the facade's refresher keeps the last good list
/// on disk for that).
pub struct TrustStore {
    anchor: TrustAnchor,
    current: RwLock<Arc<TrustList>>,
}

impl fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustStore")
            .field("anchor", &self.anchor)
            .field("current", &self.current())
            .finish()
    }
}

impl Clone for TrustStore {
    fn clone(&self) -> Self {
        TrustStore {
            anchor: self.anchor.clone(),
            current: RwLock::new(self.current()),
        }
    }
}

impl PartialEq for TrustStore {
    fn eq(&self, other: &Self) -> bool {
        self.anchor == other.anchor && self.current() == other.current()
    }
}

impl Eq for TrustStore {}

impl TrustStore {
    /// A store with this anchor and its first list, which the caller loaded
    /// with the same anchor.
    pub fn new(anchor: TrustAnchor, list: TrustList) -> Self {
        TrustStore {
            anchor,
            current: RwLock::new(Arc::new(list)),
        }
    }

    /// The pinned root.
    pub fn anchor(&self) -> &TrustAnchor {
        &self.anchor
    }

    /// The list in force (a shared handle: a later update does not change
    /// it).
    pub fn current(&self) -> Arc<TrustList> {
        // A poisoned lock only means a panic elsewhere while swapping one
        // `Arc` for another: the value in it is whole.
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Replaces the list in force with a newer one.
    ///
    /// # Errors
    /// [`TrustListError::StaleSequence`] when `list.sequence()` is not
    /// greater than the current one; [`TrustListError::BadRootSignature`]
    /// when the list was verified with another anchor. The store is then
    /// unchanged.
    pub fn update(&self, list: TrustList) -> Result<(), Error> {
        if list.root_kid != self.anchor.kid() {
            return Err(Error::TrustList(TrustListError::BadRootSignature));
        }
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if list.sequence <= current.sequence {
            return Err(Error::TrustList(TrustListError::StaleSequence {
                offered: list.sequence,
                current: current.sequence,
            }));
        }
        tracing::info!(
            sequence = list.sequence,
            previous = current.sequence,
            keys = list.keys.len(),
            "trust list updated"
        );
        *current = Arc::new(list);
        Ok(())
    }

    /// Loads a list in the CBOR form with the store's anchor
    /// ([`TrustList::from_cbor`]) and makes it current ([`Self::update`]).
    ///
    /// # Errors
    /// Those of both.
    pub fn update_from_cbor(
        &self,
        bytes: &[u8],
        backend: &dyn SignatureBackend,
        now: Timestamp,
    ) -> Result<(), Error> {
        let list = TrustList::from_cbor(bytes, &self.anchor, backend, now)?;
        self.update(list)
    }

    /// Loads a list in the JSON form with the store's anchor
    /// ([`TrustList::from_json`]) and makes it current ([`Self::update`]).
    ///
    /// # Errors
    /// Those of both.
    pub fn update_from_json(
        &self,
        text: &str,
        backend: &dyn SignatureBackend,
        now: Timestamp,
    ) -> Result<(), Error> {
        let list = TrustList::from_json(text, &self.anchor, backend, now)?;
        self.update(list)
    }
}

#[cfg(test)]
mod tests;

/// A list's own validity, `[issued_at, expires_at)`, at `now`.
pub(crate) fn check_list_window(
    issued_at: Timestamp,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), TrustListError> {
    if now < issued_at {
        return Err(TrustListError::NotYetValid {
            not_before: issued_at,
            now,
        });
    }
    if now >= expires_at {
        return Err(TrustListError::Expired {
            expired_at: expires_at,
            now,
        });
    }
    Ok(())
}
