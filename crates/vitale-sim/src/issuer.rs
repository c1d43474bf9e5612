//! The simulated insurer: a root key that signs trust lists and issuer keys
//! that sign credentials and delegations.

use std::sync::Arc;

use p256::ecdsa::VerifyingKey;
use sha2::{Digest, Sha256};
use vitale::codec::cose::KID_LEN;
use vitale::codec::model::{
    Credential, CredentialId, DelegatedRanks, Delegation, DelegationId, PersonName, Rank,
    Timestamp, ValidityWindow,
};
use vitale::verify::trust::{IssuerKeyDraft, KeyMaterial, TrustAnchor, TrustListDraft};
use vitale::verify::{KeyUsage, SoftwareSigner};

use crate::Error;
use crate::people::Household;
use crate::seed::{KeyPair, Seed, device_key_of};

/// 2020-01-01T00:00:00Z, start of the default issuer key's validity.
pub const DEFAULT_KEY_NOT_BEFORE: u64 = 1_577_836_800;
/// 2040-01-01T00:00:00Z, end of the default issuer key's validity.
pub const DEFAULT_KEY_EXPIRES_AT: u64 = 2_208_988_800;

/// What an issuer key is, as the trust list will say: validity, usages,
/// label. The simulator signs with a key whatever its spec says, so that
/// attack tests can make credentials with an expired key or a key that is
/// not allowed for credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimIssuerKeySpec {
    /// Start of validity (inclusive).
    pub not_before: Timestamp,
    /// End of validity (exclusive).
    pub expires_at: Timestamp,
    /// What the key may sign.
    pub usages: Vec<KeyUsage>,
    /// A label for people, shown in the trust list.
    pub label: Option<String>,
}

impl SimIssuerKeySpec {
    /// The spec of the default key: valid 2020-01-01 to 2040-01-01, for
    /// credentials, delegations and receipts.
    ///
    /// # Errors
    /// None in practice (the constants are valid timestamps).
    pub fn default_key() -> Result<Self, Error> {
        Ok(SimIssuerKeySpec {
            not_before: Timestamp::from_unix(DEFAULT_KEY_NOT_BEFORE)
                .ok_or(Error::TimeOutOfRange)?,
            expires_at: Timestamp::from_unix(DEFAULT_KEY_EXPIRES_AT)
                .ok_or(Error::TimeOutOfRange)?,
            usages: vec![
                KeyUsage::Credential,
                KeyUsage::Delegation,
                KeyUsage::Receipt,
            ],
            label: Some("vitale-sim issuer 0".to_owned()),
        })
    }
}

/// One issuer key: its public parts and its spec (the private key stays
/// inside).
#[derive(Clone, Debug)]
pub struct SimIssuerKey {
    key: KeyPair,
    spec: SimIssuerKeySpec,
}

impl SimIssuerKey {
    /// The public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        self.key.verifying_key()
    }

    /// The DER `SubjectPublicKeyInfo`, as listed in the trust list.
    pub fn spki_der(&self) -> Vec<u8> {
        self.key.spki_der()
    }

    /// The kid that envelopes signed by this key carry.
    pub fn kid(&self) -> [u8; KID_LEN] {
        self.key.kid()
    }

    /// Validity, usages, label.
    pub fn spec(&self) -> &SimIssuerKeySpec {
        &self.spec
    }

    /// The key as a signer that can be shared between threads: for the
    /// receipts and sheets of examples and tests (the default key is listed
    /// with the receipt usage). Simulated keys only.
    pub fn signer(&self) -> Arc<SoftwareSigner> {
        self.key.shared_signer()
    }

    pub(crate) fn key_pair(&self) -> &KeyPair {
        &self.key
    }
}

/// The derivation label of issuer key `index`.
pub(crate) fn issuer_key_label(index: usize) -> String {
    format!("issuer/key/{index}")
}

/// The simulated insurer.
///
/// Keys derive from the seed by label (`issuer/root`, `issuer/key/<index>`),
/// so two issuers made from the same seed hold the same keys: use
/// [`Seed::child`] for a second, independent issuer. Credential and
/// delegation ids derive from the seed and the content, so issuing the same
/// thing twice gives the same bytes.
#[derive(Clone, Debug)]
pub struct SimIssuer {
    seed: Seed,
    root: KeyPair,
    keys: Vec<SimIssuerKey>,
}

impl SimIssuer {
    /// An issuer with its root key and one issuer key (index 0) of
    /// [`SimIssuerKeySpec::default_key`].
    ///
    /// # Errors
    /// [`Error::KeyDerivation`] (never seen).
    pub fn new(seed: &Seed) -> Result<Self, Error> {
        let mut issuer = SimIssuer {
            seed: seed.clone(),
            root: seed.key_pair("issuer/root")?,
            keys: Vec::new(),
        };
        issuer.add_issuer_key(SimIssuerKeySpec::default_key()?)?;
        Ok(issuer)
    }

    /// Adds an issuer key (expired, not yet valid, without some usage…);
    /// returns its index for [`SimIssuer::issue_credential`] and the others.
    ///
    /// # Errors
    /// [`Error::KeyDerivation`] (never seen).
    pub fn add_issuer_key(&mut self, spec: SimIssuerKeySpec) -> Result<usize, Error> {
        let index = self.keys.len();
        let key = self.seed.key_pair(&issuer_key_label(index))?;
        self.keys.push(SimIssuerKey { key, spec });
        Ok(index)
    }

    /// [`SimIssuer::add_issuer_key`], builder style.
    ///
    /// # Errors
    /// As [`SimIssuer::add_issuer_key`].
    pub fn with_issuer_key(mut self, spec: SimIssuerKeySpec) -> Result<Self, Error> {
        self.add_issuer_key(spec)?;
        Ok(self)
    }

    /// The issuer keys, by index.
    pub fn issuer_keys(&self) -> &[SimIssuerKey] {
        &self.keys
    }

    /// The issuer key at `index`.
    ///
    /// # Errors
    /// [`Error::UnknownIssuerKey`].
    pub fn issuer_key(&self, index: usize) -> Result<&SimIssuerKey, Error> {
        self.keys.get(index).ok_or(Error::UnknownIssuerKey(index))
    }

    /// The root public key, which applications pin.
    pub fn root_key(&self) -> &VerifyingKey {
        self.root.verifying_key()
    }

    /// The root kid, which signed trust lists carry.
    pub fn root_kid(&self) -> [u8; KID_LEN] {
        self.root.kid()
    }

    /// The trust anchor an application pins for this issuer.
    ///
    /// # Errors
    /// [`Error::Verify`] if the verifier refuses the root key (it cannot).
    pub fn trust_anchor(&self) -> Result<TrustAnchor, Error> {
        Ok(TrustAnchor::new(self.root.public_key()?))
    }

    /// The unsigned trust list naming every issuer key with its spec.
    pub fn trust_list_draft(
        &self,
        sequence: u64,
        issued_at: Timestamp,
        expires_at: Timestamp,
    ) -> TrustListDraft {
        let keys = self
            .keys
            .iter()
            .map(|k| {
                let mut usages = k.spec.usages.clone();
                usages.sort_by_key(|u| u.code());
                usages.dedup();
                IssuerKeyDraft {
                    material: KeyMaterial::Spki(k.spki_der()),
                    not_before: k.spec.not_before,
                    expires_at: k.spec.expires_at,
                    usages,
                    label: k.spec.label.clone(),
                }
            })
            .collect();
        TrustListDraft {
            sequence,
            issued_at,
            expires_at,
            keys,
        }
    }

    /// The trust list in CBOR form (a COSE_Sign1 signed by the root).
    ///
    /// # Errors
    /// [`Error::Codec`] if the list cannot be encoded.
    pub fn trust_list_cbor(
        &self,
        sequence: u64,
        issued_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<Vec<u8>, Error> {
        let tbs = self
            .trust_list_draft(sequence, issued_at, expires_at)
            .prepare_cbor(self.root_kid())?;
        let signature = self.root.sign(tbs.bytes())?;
        Ok(tbs.complete(signature))
    }

    /// The trust list in JSON form (a JWS compact serialization signed by
    /// the root).
    ///
    /// # Errors
    /// As [`SimIssuer::trust_list_cbor`].
    pub fn trust_list_json(
        &self,
        sequence: u64,
        issued_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<String, Error> {
        let tbs = self
            .trust_list_draft(sequence, issued_at, expires_at)
            .prepare_json(self.root_kid())?;
        let signature = self.root.sign(tbs.bytes())?;
        Ok(tbs.complete(signature))
    }

    /// The unsigned credential for a household and a device key; its id
    /// derives from the seed and the rest of the content.
    ///
    /// # Errors
    /// [`Error::TimeOutOfRange`] unless `issued_at` is before the end of
    /// `validity`; [`Error::Codec`] if it cannot be encoded.
    pub fn credential(
        &self,
        household: &Household,
        device: &VerifyingKey,
        issued_at: Timestamp,
        validity: ValidityWindow,
    ) -> Result<Credential, Error> {
        if issued_at >= validity.expires_at() {
            return Err(Error::TimeOutOfRange);
        }
        let mut credential = Credential {
            id: CredentialId::from_bytes([0; 16]),
            issued_at,
            validity,
            device_key: device_key_of(device)?,
            insured: household.insured.clone(),
            beneficiaries: household.beneficiaries.clone(),
        };
        let id = self.derived_id("credential-id", &credential.to_payload()?);
        credential.id = CredentialId::from_bytes(id);
        Ok(credential)
    }

    /// Signs any credential with the issuer key at `key_index` (whatever its
    /// spec allows): tagged COSE_Sign1 bytes with the key's kid.
    ///
    /// # Errors
    /// [`Error::UnknownIssuerKey`], [`Error::Codec`].
    pub fn sign_credential(
        &self,
        key_index: usize,
        credential: &Credential,
    ) -> Result<Vec<u8>, Error> {
        self.sign_payload(key_index, &credential.to_payload()?)
    }

    /// Issues a credential: [`SimIssuer::credential`] signed with the issuer
    /// key at `key_index`.
    ///
    /// # Errors
    /// As [`SimIssuer::credential`] and [`SimIssuer::sign_credential`].
    pub fn issue_credential(
        &self,
        key_index: usize,
        household: &Household,
        device: &VerifyingKey,
        issued_at: Timestamp,
        validity: ValidityWindow,
    ) -> Result<Vec<u8>, Error> {
        let credential = self.credential(household, device, issued_at, validity)?;
        self.sign_credential(key_index, &credential)
    }

    /// The unsigned delegation of `ranks` of credential `credential_id` to a
    /// delegate phone; its id derives from the seed and the content.
    ///
    /// # Errors
    /// [`Error::Sample`] for an invalid name; [`Error::Codec`] for ranks
    /// that are not 1 to 16 strictly increasing values in 1..=99;
    /// [`Error::TimeOutOfRange`] unless `issued_at` is before the end of
    /// `validity`.
    pub fn delegation(
        &self,
        credential_id: CredentialId,
        delegate_name: &str,
        delegate_key: &VerifyingKey,
        ranks: &[u8],
        issued_at: Timestamp,
        validity: ValidityWindow,
    ) -> Result<Delegation, Error> {
        if issued_at >= validity.expires_at() {
            return Err(Error::TimeOutOfRange);
        }
        let ranks = ranks
            .iter()
            .map(|r| {
                Rank::new(*r).ok_or(vitale::codec::ModelError::InvalidField {
                    structure: "delegation",
                    key: 6,
                    reason: "rank out of range",
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut delegation = Delegation {
            id: DelegationId::from_bytes([0; 16]),
            credential_id,
            delegate_name: PersonName::new(delegate_name).ok_or(Error::Sample("delegate name"))?,
            delegate_key: device_key_of(delegate_key)?,
            ranks: DelegatedRanks::new(ranks)?,
            issued_at,
            validity,
        };
        let id = self.derived_id("delegation-id", &delegation.to_payload()?);
        delegation.id = DelegationId::from_bytes(id);
        Ok(delegation)
    }

    /// Signs any delegation with the issuer key at `key_index`.
    ///
    /// # Errors
    /// [`Error::UnknownIssuerKey`], [`Error::Codec`].
    pub fn sign_delegation(
        &self,
        key_index: usize,
        delegation: &Delegation,
    ) -> Result<Vec<u8>, Error> {
        self.sign_payload(key_index, &delegation.to_payload()?)
    }

    /// Issues a delegation: [`SimIssuer::delegation`] signed with the issuer
    /// key at `key_index`.
    ///
    /// # Errors
    /// As [`SimIssuer::delegation`] and [`SimIssuer::sign_delegation`].
    #[allow(clippy::too_many_arguments)]
    pub fn issue_delegation(
        &self,
        key_index: usize,
        credential_id: CredentialId,
        delegate_name: &str,
        delegate_key: &VerifyingKey,
        ranks: &[u8],
        issued_at: Timestamp,
        validity: ValidityWindow,
    ) -> Result<Vec<u8>, Error> {
        let delegation = self.delegation(
            credential_id,
            delegate_name,
            delegate_key,
            ranks,
            issued_at,
            validity,
        )?;
        self.sign_delegation(key_index, &delegation)
    }

    /// Signs any payload with the issuer key at `key_index` and its kid.
    pub(crate) fn sign_payload(&self, key_index: usize, payload: &[u8]) -> Result<Vec<u8>, Error> {
        let key = self.issuer_key(key_index)?;
        key.key_pair().sign_envelope(Some(&key.kid()), payload, &[])
    }

    /// 16 bytes from the seed, labelled by purpose and content digest.
    fn derived_id(&self, purpose: &str, content: &[u8]) -> [u8; 16] {
        let digest: [u8; 32] = Sha256::digest(content).into();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        self.seed.derive_bytes(&format!("issuer/{purpose}/{hex}"))
    }
}
