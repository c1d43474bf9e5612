//! Delegations: the issuer lets another phone present some beneficiaries.

use crate::cbor::item::Item;
use crate::cbor::{self, Value};
use crate::limits::{MAX_BENEFICIARIES, MAX_DELEGATION_BYTES};
use crate::model::fields::{Fields, map, read_payload};
use crate::model::{
    CredentialId, DelegationId, DeviceKey, ModelError, PersonName, Rank, Timestamp, VERSION,
    ValidityWindow,
};

/// The ranks a delegation covers: 1 to 16, strictly increasing.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct DelegatedRanks(Vec<Rank>);

impl DelegatedRanks {
    /// Validates 1 to 16 ranks in strictly increasing order.
    pub fn new(ranks: Vec<Rank>) -> Result<Self, ModelError> {
        if !(1..=MAX_BENEFICIARIES).contains(&ranks.len()) {
            return Err(ModelError::BeneficiaryCount(ranks.len()));
        }
        for pair in ranks.windows(2) {
            if let [a, b] = pair
                && a >= b
            {
                return Err(ModelError::DuplicateRank(b.get()));
            }
        }
        Ok(DelegatedRanks(ranks))
    }

    /// Whether `rank` is covered.
    pub fn contains(&self, rank: Rank) -> bool {
        self.0.binary_search(&rank).is_ok()
    }

    /// The ranks, increasing.
    pub fn as_slice(&self) -> &[Rank] {
        &self.0
    }
}

/// *Délégation*: the holder of credential `credential_id` lets the delegate
/// (a relative's phone, identified by its device key) present the listed
/// beneficiaries during the validity window. Signed by the issuer.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Delegation {
    /// Chosen at random by the issuer.
    pub id: DelegationId,
    /// The delegating credential.
    pub credential_id: CredentialId,
    /// The delegate's name, as shown to the professional.
    pub delegate_name: PersonName,
    /// The delegate phone's key, which signs the delegate's presentations.
    pub delegate_key: DeviceKey,
    /// The beneficiaries covered.
    pub ranks: DelegatedRanks,
    /// When the issuer signed it.
    pub issued_at: Timestamp,
    /// When it may be used.
    pub validity: ValidityWindow,
}

impl Delegation {
    /// The deterministic CBOR payload to be signed by the issuer.
    pub fn to_payload(&self) -> Result<Vec<u8>, crate::Error> {
        let ranks = self
            .ranks
            .as_slice()
            .iter()
            .map(|r| Value::from(r.get()))
            .collect();
        let value = map([
            (1, Some(Value::from(VERSION))),
            (2, Some(Value::Bytes(self.id.as_bytes().to_vec()))),
            (
                3,
                Some(Value::Bytes(self.credential_id.as_bytes().to_vec())),
            ),
            (4, Some(Value::from(self.delegate_name.as_str()))),
            (5, Some(self.delegate_key.to_value())),
            (6, Some(Value::Array(ranks))),
            (7, Some(Value::from(self.issued_at.unix()))),
            (8, Some(Value::from(self.validity.not_before().unix()))),
            (9, Some(Value::from(self.validity.expires_at().unix()))),
        ]);
        Ok(cbor::encode(&value)?)
    }

    /// Decodes a delegation payload (strict deterministic CBOR).
    pub fn from_payload(bytes: &[u8]) -> Result<Self, crate::Error> {
        read_payload(bytes, MAX_DELEGATION_BYTES, |item| {
            Ok(Self::from_item(item)?)
        })
    }

    fn from_item(item: Item<'_>) -> Result<Self, ModelError> {
        let mut f = Fields::new("delegation", item)?;
        f.version()?;
        let id = DelegationId::from_bytes(f.fixed_bytes::<16>(2)?);
        let credential_id = CredentialId::from_bytes(f.fixed_bytes::<16>(3)?);
        let delegate_name =
            PersonName::new(f.text(4)?).ok_or_else(|| f.invalid(4, "not a valid name"))?;
        let delegate_key = DeviceKey::from_item(f.required(5)?)?;
        let items = f.array(6)?;
        if items.len() > MAX_BENEFICIARIES {
            return Err(ModelError::BeneficiaryCount(items.len()));
        }
        let mut ranks = Vec::with_capacity(items.len());
        for item in items {
            let rank = item
                .as_uint()
                .and_then(|n| u8::try_from(n).ok())
                .and_then(Rank::new);
            ranks.push(rank.ok_or_else(|| f.invalid(6, "not a rank"))?);
        }
        let ranks = DelegatedRanks::new(ranks)?;
        let issued_at = f.timestamp(7)?;
        let validity = ValidityWindow::new(f.timestamp(8)?, f.timestamp(9)?)
            .ok_or_else(|| ModelError::TimeWindow(f.structure()))?;
        if issued_at >= validity.expires_at() {
            return Err(ModelError::TimeWindow(f.structure()));
        }
        f.finish()?;
        Ok(Delegation {
            id,
            credential_id,
            delegate_name,
            delegate_key,
            ranks,
            issued_at,
            validity,
        })
    }
}
