//! The simulated phone (holder or delegate): a device key, a credential and
//! possibly a delegation; it makes QR and NFC presentations.

use core::cell::Cell;
use core::fmt;

use p256::ecdsa::VerifyingKey;
use vitale::codec::model::{
    ChannelBinding, Nonce, ReaderChallenge, SignedCredential, SignedDelegation, Timestamp,
};
use vitale::verify::PublicKey;

use crate::Error;
use crate::hazmat::{self, PresentationSpec};
use crate::seed::{KeyPair, Seed};

/// A phone running the Vitale app, as the workstation sees it.
///
/// Its device key derives from the seed and the phone's name
/// (`phone/<name>/device`). Each presentation takes a fresh nonce derived
/// from the seed, the name and an internal counter
/// (`phone/<name>/nonce/<counter>`): the counter is a [`Cell`], so
/// presenting takes `&self`, and a phone is not `Sync`. Two phones made from
/// the same seed and name make the same presentations in the same order;
/// the type is not `Clone`, so that a copy cannot reuse nonces by accident
/// (attack tests set the nonce with [`hazmat::PresentationSpec`]).
pub struct SimPhone {
    name: String,
    seed: Seed,
    device: KeyPair,
    credential: Option<Vec<u8>>,
    delegation: Option<Vec<u8>>,
    presentations: Cell<u64>,
}

impl SimPhone {
    /// A phone without a credential yet.
    ///
    /// # Errors
    /// [`Error::KeyDerivation`] (never seen).
    pub fn new(seed: &Seed, name: &str) -> Result<Self, Error> {
        Ok(SimPhone {
            name: name.to_owned(),
            seed: seed.clone(),
            device: seed.key_pair(&format!("phone/{name}/device"))?,
            credential: None,
            delegation: None,
            presentations: Cell::new(0),
        })
    }

    /// The phone's name (a label for derivations and messages).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The public device key, which the issuer certifies in a credential or
    /// a delegation.
    pub fn device_key(&self) -> &VerifyingKey {
        self.device.verifying_key()
    }

    /// Installs the phone's own credential (tagged COSE_Sign1 bytes) and
    /// drops any delegation.
    ///
    /// # Errors
    /// [`Error::Codec`] if it does not decode; [`Error::DeviceKeyMismatch`]
    /// if it certifies another device key.
    pub fn install_credential(&mut self, credential: Vec<u8>) -> Result<(), Error> {
        let decoded = SignedCredential::decode(&credential)?;
        if !self.is_own_key(&decoded.credential().device_key.to_sec1())? {
            return Err(Error::DeviceKeyMismatch("credential"));
        }
        self.credential = Some(credential);
        self.delegation = None;
        Ok(())
    }

    /// Installs a delegator's credential and the delegation naming this
    /// phone as delegate: presentations then carry both and are signed with
    /// this phone's key.
    ///
    /// # Errors
    /// [`Error::Codec`] if either does not decode;
    /// [`Error::DeviceKeyMismatch`] if the delegation names another delegate
    /// key.
    pub fn install_delegation(
        &mut self,
        credential: Vec<u8>,
        delegation: Vec<u8>,
    ) -> Result<(), Error> {
        SignedCredential::decode(&credential)?;
        let decoded = SignedDelegation::decode(&delegation)?;
        if !self.is_own_key(&decoded.delegation().delegate_key.to_sec1())? {
            return Err(Error::DeviceKeyMismatch("delegation"));
        }
        self.credential = Some(credential);
        self.delegation = Some(delegation);
        Ok(())
    }

    /// The installed credential's bytes.
    pub fn credential(&self) -> Option<&[u8]> {
        self.credential.as_deref()
    }

    /// The installed delegation's bytes (a delegate's phone).
    pub fn delegation(&self) -> Option<&[u8]> {
        self.delegation.as_deref()
    }

    /// How many nonces the phone has used so far.
    pub fn presentations_made(&self) -> u64 {
        self.presentations.get()
    }

    /// A QR presentation issued at `now`, valid `lifetime_secs` (1 to 180):
    /// tagged COSE_Sign1 bytes.
    ///
    /// # Errors
    /// [`Error::NoCredential`]; [`Error::Codec`] for a lifetime outside
    /// 1..=180 s; [`Error::TimeOutOfRange`].
    pub fn present_qr(&self, now: Timestamp, lifetime_secs: u64) -> Result<Vec<u8>, Error> {
        let spec = PresentationSpec::for_phone(self, ChannelBinding::Qr, now, lifetime_secs)?;
        hazmat::present_with(self, &spec)
    }

    /// [`SimPhone::present_qr`] as the QR text `VT1:…` (Base45).
    ///
    /// # Errors
    /// As [`SimPhone::present_qr`].
    pub fn present_qr_text(&self, now: Timestamp, lifetime_secs: u64) -> Result<String, Error> {
        Ok(vitale::codec::text::encode_qr(
            &self.present_qr(now, lifetime_secs)?,
        ))
    }

    /// The answer to an NFC reader's GET PRESENTATION: a presentation with
    /// channel NFC carrying `challenge` (16 to 32 bytes) in field 8 and
    /// signed with it as external AAD.
    ///
    /// # Errors
    /// As [`SimPhone::present_qr`], and [`Error::Codec`] for a challenge of
    /// the wrong length.
    pub fn present_nfc(
        &self,
        challenge: &[u8],
        now: Timestamp,
        lifetime_secs: u64,
    ) -> Result<Vec<u8>, Error> {
        let challenge =
            ReaderChallenge::new(challenge).ok_or(vitale::codec::ModelError::InvalidField {
                structure: "presentation",
                key: 8,
                reason: "challenge must be 16 to 32 bytes",
            })?;
        let binding = ChannelBinding::Nfc(challenge);
        let spec = PresentationSpec::for_phone(self, binding, now, lifetime_secs)?;
        hazmat::present_with(self, &spec)
    }

    /// The next nonce: derived from the seed, the name and the counter,
    /// which moves on.
    pub(crate) fn next_nonce(&self) -> Nonce {
        let counter = self.presentations.get();
        self.presentations.set(counter.wrapping_add(1));
        let label = format!("phone/{}/nonce/{counter}", self.name);
        Nonce::from_bytes(self.seed.derive_bytes(&label))
    }

    pub(crate) fn key_pair(&self) -> &KeyPair {
        &self.device
    }

    fn is_own_key(&self, sec1: &[u8]) -> Result<bool, Error> {
        Ok(PublicKey::from_sec1_bytes(sec1)? == self.device.public_key()?)
    }
}

impl fmt::Debug for SimPhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimPhone")
            .field("name", &self.name)
            .field("device", &self.device)
            .field("credential", &self.credential.as_ref().map(Vec::len))
            .field("delegation", &self.delegation.as_ref().map(Vec::len))
            .field("presentations", &self.presentations.get())
            .finish()
    }
}
