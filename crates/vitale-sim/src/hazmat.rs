//! ⚠ Hazardous: building presentations the `open` profile forbids.
//!
//! These helpers exist for attack tests: a presentation signed with another
//! key than the credential's, a reused nonce, an NFC presentation whose
//! field 8 and external AAD disagree, a credential or delegation swapped
//! for another one. Everything the codec's constructors allow can be built
//! here; what they refuse (a lifetime above 180 s, a challenge of the wrong
//! length) is refused here too. To go further, encode a payload by hand and
//! sign it with [`KeyPair::sign_envelope`] using [`device_key_pair`].
//!
//! Never use them to make data meant to be accepted.

use vitale::codec::model::{
    ChannelBinding, Nonce, Presentation, SignedCredential, SignedDelegation, Timestamp,
};

use crate::Error;
use crate::error::add_secs;
use crate::phone::SimPhone;
use crate::seed::{KeyPair, Seed};

/// Everything a presentation is made of, each part replaceable.
///
/// [`PresentationSpec::for_phone`] fills it the way the phone would; change
/// fields, then call [`present_with`].
#[derive(Clone, Debug)]
pub struct PresentationSpec {
    /// The embedded credential (tagged COSE_Sign1 bytes).
    pub credential: Vec<u8>,
    /// The nonce.
    pub nonce: Nonce,
    /// Field 4.
    pub issued_at: Timestamp,
    /// Field 5 (the codec requires `issued_at < expires_at <= issued_at +
    /// 180 s`).
    pub expires_at: Timestamp,
    /// Fields 6 and 8: the channel and, for NFC, the challenge.
    pub binding: ChannelBinding,
    /// Field 7: a delegation (tagged COSE_Sign1 bytes).
    pub delegation: Option<Vec<u8>>,
    /// The external AAD to sign with; `None` for the binding's (empty for
    /// QR, the challenge for NFC).
    pub external_aad: Option<Vec<u8>>,
    /// Sign with this key instead of the phone's device key.
    pub signing_key_override: Option<KeyPair>,
}

impl PresentationSpec {
    /// What `phone` would present on `binding` at `now` for
    /// `lifetime_secs`: its credential and delegation, a fresh nonce (the
    /// phone's counter moves on), the binding's AAD, its own key.
    ///
    /// # Errors
    /// [`Error::NoCredential`]; [`Error::TimeOutOfRange`].
    pub fn for_phone(
        phone: &SimPhone,
        binding: ChannelBinding,
        now: Timestamp,
        lifetime_secs: u64,
    ) -> Result<Self, Error> {
        let credential = phone.credential().ok_or(Error::NoCredential)?.to_vec();
        Ok(PresentationSpec {
            credential,
            nonce: phone.next_nonce(),
            issued_at: now,
            expires_at: add_secs(now, lifetime_secs)?,
            binding,
            delegation: phone.delegation().map(<[u8]>::to_vec),
            external_aad: None,
            signing_key_override: None,
        })
    }
}

/// Builds and signs the presentation `spec` describes, with the phone's
/// device key unless the spec overrides it: tagged COSE_Sign1 bytes.
///
/// # Errors
/// [`Error::Codec`] when the codec refuses a part (undecodable credential or
/// delegation, time window).
pub fn present_with(phone: &SimPhone, spec: &PresentationSpec) -> Result<Vec<u8>, Error> {
    let delegation = match &spec.delegation {
        Some(bytes) => Some(SignedDelegation::decode(bytes)?),
        None => None,
    };
    let presentation = Presentation::new(
        SignedCredential::decode(&spec.credential)?,
        spec.nonce,
        spec.issued_at,
        spec.expires_at,
        spec.binding.clone(),
        delegation,
    )?;
    let aad = spec
        .external_aad
        .as_deref()
        .unwrap_or_else(|| spec.binding.external_aad());
    let key = spec
        .signing_key_override
        .as_ref()
        .unwrap_or_else(|| phone.key_pair());
    key.sign_envelope(None, &presentation.to_payload()?, aad)
}

/// The phone's device key pair, private key included: to sign hand-made
/// payloads with [`KeyPair::sign_envelope`].
pub fn device_key_pair(phone: &SimPhone) -> &KeyPair {
    phone.key_pair()
}

/// ⚠ The private scalar (32 bytes, big-endian) of the simulated key that
/// [`Seed::key_pair`]`(label)` derives, for tools that must hand a
/// simulated key to another process as a file (`vitale sim init` writes
/// the professional's and the receipt key this way). A real key is never
/// exported like this: it stays in its HSM, card or key store.
///
/// # Errors
/// [`Error::KeyDerivation`] (never seen).
pub fn key_scalar(seed: &Seed, label: &str) -> Result<[u8; 32], Error> {
    seed.key_scalar(label)
}

/// ⚠ The private scalar of the simulated issuer key `index` of
/// [`crate::SimIssuer::new`]`(seed)` (issuer key 0 is listed with the
/// credential, delegation and receipt usages); see [`key_scalar`].
///
/// # Errors
/// [`Error::KeyDerivation`] (never seen).
pub fn issuer_key_scalar(seed: &Seed, index: usize) -> Result<[u8; 32], Error> {
    seed.key_scalar(&crate::issuer::issuer_key_label(index))
}
