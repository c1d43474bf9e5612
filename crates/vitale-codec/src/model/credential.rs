//! The credential, issued by the insurer to the phone.

use crate::cbor::item::Item;
use crate::cbor::{self, Value};
use crate::limits::MAX_CREDENTIAL_BYTES;
use crate::model::beneficiary::{beneficiaries_from_items, beneficiaries_to_value};
use crate::model::fields::{Fields, map, read_payload};
use crate::model::insured::{insured_from_item, insured_to_value};
use crate::model::{
    Beneficiaries, CredentialId, DeviceKey, Insured, ModelError, Timestamp, VERSION, ValidityWindow,
};

/// What the insurer certifies: this device key belongs to the app of this
/// insured person, covering these beneficiaries, for this period.
///
/// The payload of an issuer-signed COSE_Sign1 (`docs/format.md`, §Credential).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Credential {
    /// Chosen at random by the issuer; delegations refer to it.
    pub id: CredentialId,
    /// When the issuer signed it; the issuer key must be valid then.
    pub issued_at: Timestamp,
    /// When it may be presented.
    pub validity: ValidityWindow,
    /// The phone's key, which signs every presentation.
    pub device_key: DeviceKey,
    /// The insured person (*ouvrant droit*).
    pub insured: Insured,
    /// The people covered (*ayants droit*, the insured person included).
    pub beneficiaries: Beneficiaries,
}

impl Credential {
    /// The deterministic CBOR payload to be signed by the issuer.
    pub fn to_payload(&self) -> Result<Vec<u8>, crate::Error> {
        let value = map([
            (1, Some(Value::from(VERSION))),
            (2, Some(Value::Bytes(self.id.as_bytes().to_vec()))),
            (3, Some(Value::from(self.issued_at.unix()))),
            (4, Some(Value::from(self.validity.not_before().unix()))),
            (5, Some(Value::from(self.validity.expires_at().unix()))),
            (6, Some(self.device_key.to_value())),
            (7, Some(insured_to_value(&self.insured))),
            (8, Some(beneficiaries_to_value(&self.beneficiaries))),
        ]);
        Ok(cbor::encode(&value)?)
    }

    /// Decodes a credential payload (strict deterministic CBOR).
    pub fn from_payload(bytes: &[u8]) -> Result<Self, crate::Error> {
        read_payload(bytes, MAX_CREDENTIAL_BYTES, |item| {
            Ok(Self::from_item(item)?)
        })
    }

    fn from_item(item: Item<'_>) -> Result<Self, ModelError> {
        let mut f = Fields::new("credential", item)?;
        f.version()?;
        let id = CredentialId::from_bytes(f.fixed_bytes::<16>(2)?);
        let issued_at = f.timestamp(3)?;
        let not_before = f.timestamp(4)?;
        let expires_at = f.timestamp(5)?;
        let validity = ValidityWindow::new(not_before, expires_at)
            .ok_or_else(|| ModelError::TimeWindow(f.structure()))?;
        if issued_at >= expires_at {
            return Err(ModelError::TimeWindow(f.structure()));
        }
        let device_key = DeviceKey::from_item(f.required(6)?)?;
        let insured = insured_from_item(f.required(7)?)?;
        let beneficiaries = beneficiaries_from_items(f.array(8)?)?;
        f.finish()?;
        Ok(Credential {
            id,
            issued_at,
            validity,
            device_key,
            insured,
            beneficiaries,
        })
    }
}
