//! Building and signing a trust list.

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
    /// Signs the list in the CBOR form: a tagged COSE_Sign1 with the
    /// protected header `{1: -7, 4: root_kid}`. `sign` receives the
    /// `Sig_structure` bytes and returns the ES256 signature `r ‖ s`.
    ///
    /// # Errors
    /// The error of `sign`; a codec error (converted into `E`) when a
    /// certificate cannot be parsed (its kid cannot be computed) or the
    /// CBOR cannot be encoded.
    pub fn sign_cbor<E: From<vitale_codec::Error>>(
        &self,
        root_kid: [u8; 8],
        sign: impl FnOnce(&[u8]) -> Result<[u8; 64], E>,
    ) -> Result<Vec<u8>, E> {
        let kids = self.kids()?;
        let payload = cbor::encode_payload(self, &kids)?;
        vitale_codec::cose::Sign1::sign(Some(&root_kid), &payload, &[], sign)
    }

    /// Signs the list in the JSON form: a JWS compact serialization with
    /// the header `{"alg":"ES256","kid":"<root kid hex>","typ":"vitale-trust-list+json"}`.
    /// `sign` receives the JWS signing input (ASCII) and returns the ES256
    /// signature `r ‖ s`.
    ///
    /// # Errors
    /// As [`TrustListDraft::sign_cbor`].
    pub fn sign_json<E: From<vitale_codec::Error>>(
        &self,
        root_kid: [u8; 8],
        sign: impl FnOnce(&[u8]) -> Result<[u8; 64], E>,
    ) -> Result<String, E> {
        let kids = self.kids()?;
        let payload = json::encode_payload(self, &kids).map_err(|reason| invalid(0, reason))?;
        json::sign(root_kid, &payload, sign)
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
