//! Building and signing a trust list.

use vitale_codec::cose::{Sign1, ToBeSigned};
use vitale_codec::model::{ModelError, Timestamp};

use super::{cbor, entry, json};
use crate::KeyUsage;

/// The content of a trust list before it is signed.
///
/// The signer does not validate the draft: the loader does
/// ([`super::TrustList::from_cbor`]), so a draft can also describe an
/// invalid list (for tests). Kids are not given: each is computed from the
/// key material when the draft is signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustListDraft {
    /// The sequence number, greater than that of every earlier list.
    pub sequence: u64,
    /// When the root signs the list.
    pub issued_at: Timestamp,
    /// When the list stops being valid (exclusive), after `issued_at`.
    pub expires_at: Timestamp,
    /// The issuer keys, 1 to [`super::MAX_TRUST_LIST_KEYS`].
    pub keys: Vec<IssuerKeyDraft>,
}

/// One issuer key of a [`TrustListDraft`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerKeyDraft {
    /// The key, as an SPKI or inside an X.509 certificate.
    pub material: KeyMaterial,
    /// Start of the key's validity (inclusive).
    pub not_before: Timestamp,
    /// End of the key's validity (exclusive), after `not_before`.
    pub expires_at: Timestamp,
    /// What the key may sign: 1 to 3 usages in increasing code order.
    pub usages: Vec<KeyUsage>,
    /// A label for people (1 to [`super::MAX_LABEL_CHARS`] characters, no
    /// control characters).
    pub label: Option<String>,
}

/// How an issuer key is given in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyMaterial {
    /// A DER `SubjectPublicKeyInfo` (P-256).
    Spki(Vec<u8>),
    /// A DER X.509 certificate whose key is P-256; only its
    /// `SubjectPublicKeyInfo` and validity are used (its signature and
    /// extensions are not checked: the root's signature vouches for it).
    Certificate(Vec<u8>),
}

impl TrustListDraft {
    /// The first phase of signing the CBOR form: the
    /// [`ToBeSigned`] `Sig_structure` of a tagged COSE_Sign1 with the
    /// protected header `{1: -7, 4: root_kid}`. Sign its bytes with the
    /// root key (ES256, for instance with a [`Signer`](crate::Signer)),
    /// then [`ToBeSigned::complete`] gives the list's bytes.
    ///
    /// # Errors
    /// A codec error when a certificate cannot be parsed (its kid cannot
    /// be computed) or the CBOR cannot be encoded.
    pub fn prepare_cbor(&self, root_kid: [u8; 8]) -> Result<ToBeSigned, vitale_codec::Error> {
        let kids = self.kids()?;
        let payload = cbor::encode_payload(self, &kids)?;
        Ok(Sign1::prepare(Some(&root_kid), &payload, &[]))
    }

    /// The first phase of signing the JSON form: the JWS signing input of
    /// a compact serialization with the header
    /// `{"alg":"ES256","kid":"<root kid hex>","typ":"vitale-trust-list+json"}`.
    /// Sign its bytes with the root key, then
    /// [`JwsToBeSigned::complete`] gives the JWS.
    ///
    /// # Errors
    /// As [`TrustListDraft::prepare_cbor`].
    pub fn prepare_json(&self, root_kid: [u8; 8]) -> Result<JwsToBeSigned, vitale_codec::Error> {
        let kids = self.kids()?;
        let payload = json::encode_payload(self, &kids).map_err(|reason| invalid(0, reason))?;
        Ok(JwsToBeSigned {
            signing_input: json::signing_input(root_kid, &payload),
        })
    }

    /// The kid of every key, in order.
    fn kids(&self) -> Result<Vec<[u8; 8]>, vitale_codec::Error> {
        self.keys
            .iter()
            .map(|key| {
                entry::material(&key.material)
                    .map(|m| m.kid())
                    .map_err(|_| invalid(3, "unparsable certificate"))
            })
            .collect()
    }
}

/// A codec error for a draft that cannot be encoded.
fn invalid(key: i64, reason: &'static str) -> vitale_codec::Error {
    vitale_codec::Error::Model(ModelError::InvalidField {
        structure: "trust list",
        key,
        reason,
    })
}

/// The bytes a root key signs for the JSON form of a trust list: the JWS
/// signing input `BASE64URL(header) "." BASE64URL(payload)` (ASCII).
///
/// Made by [`TrustListDraft::prepare_json`]; the draft is deterministic, so
/// storing the draft is enough to prepare the same bytes again.
#[derive(Clone, PartialEq, Eq)]
pub struct JwsToBeSigned {
    signing_input: String,
}

impl JwsToBeSigned {
    /// The signing input, the bytes to sign (ES256: their SHA-256).
    pub fn bytes(&self) -> &[u8] {
        self.signing_input.as_bytes()
    }

    /// The second phase: the JWS compact serialization with this ES256
    /// signature (`r ‖ s`).
    pub fn complete(self, signature: [u8; 64]) -> String {
        json::complete(self.signing_input, &signature)
    }
}

impl core::fmt::Debug for JwsToBeSigned {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JwsToBeSigned")
            .field("len", &self.signing_input.len())
            .finish()
    }
}
