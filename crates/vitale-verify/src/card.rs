//! What a successful verification yields: the [`VerifiedCard`].

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use vitale_codec::model::{
    Beneficiary, Channel, CredentialId, Insured, PersonName, Rank, Timestamp, ValidityWindow,
};

use crate::Error;
use crate::token::ContextId;

/// Proof that the verifier built a value; private, so no other code can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Proof(());

impl Proof {
    pub(crate) fn new() -> Self {
        Proof(())
    }
}

/// A beneficiary (*ayant droit*) of a card that passed verification.
///
/// Only [`crate::Verifier`] can make one: code that takes a
/// `&VerifiedBeneficiary` (the care-sheet builder, for instance) cannot be
/// handed unverified data. `Debug` redacts names, NIR and birth date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBeneficiary {
    beneficiary: Beneficiary,
    _proof: Proof,
}

impl VerifiedBeneficiary {
    /// The beneficiary's data, as certified by the issuer.
    pub fn data(&self) -> &Beneficiary {
        &self.beneficiary
    }

    /// *Rang*.
    pub fn rank(&self) -> Rank {
        self.beneficiary.rank()
    }
}

/// The delegation under which a delegate's phone presented the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationInfo {
    delegate_name: PersonName,
    ranks: Vec<Rank>,
    validity: ValidityWindow,
}

impl DelegationInfo {
    /// The delegate's name, to show to the professional.
    pub fn delegate_name(&self) -> &PersonName {
        &self.delegate_name
    }

    /// The ranks the delegate may present.
    pub fn ranks(&self) -> &[Rank] {
        &self.ranks
    }

    /// When the delegation is valid.
    pub fn validity(&self) -> ValidityWindow {
        self.validity
    }
}

/// Where a verified card comes from: checked offline (the `open` profile,
/// signatures against the trust list) or online (the `token` profile, a
/// context opened by a [`crate::token::ContextService`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Provenance {
    /// Verified offline by [`crate::Verifier`].
    Offline(OfflineProvenance),
    /// Verified online by [`crate::token::TokenVerifier`].
    Online(OnlineProvenance),
}

impl Provenance {
    /// QR or NFC.
    pub fn channel(&self) -> Channel {
        match self {
            Provenance::Offline(o) => o.channel,
            Provenance::Online(o) => o.channel,
        }
    }

    /// When the SDK accepted the card.
    pub fn verified_at(&self) -> Timestamp {
        match self {
            Provenance::Offline(o) => o.verified_at,
            Provenance::Online(o) => o.verified_at,
        }
    }

    /// The offline details, for an `open`-profile card.
    pub fn offline(&self) -> Option<&OfflineProvenance> {
        match self {
            Provenance::Offline(o) => Some(o),
            Provenance::Online(_) => None,
        }
    }

    /// The online details, for a `token`-profile card.
    pub fn online(&self) -> Option<&OnlineProvenance> {
        match self {
            Provenance::Online(o) => Some(o),
            Provenance::Offline(_) => None,
        }
    }
}

/// How an `open`-profile card was verified offline: which issuer key, which
/// trust list, which presentation.
///
/// It keeps the presentation's bytes as received, whose SHA-256
/// ([`OfflineProvenance::presentation_digest`]) a care sheet carries as the
/// proof that the card was read. `Debug` shows their length only: they hold
/// the card's personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct OfflineProvenance {
    pub(crate) issuer_kid: [u8; 8],
    pub(crate) issuer_label: Option<String>,
    pub(crate) trust_list_sequence: u64,
    pub(crate) credential_id: CredentialId,
    pub(crate) credential_validity: ValidityWindow,
    pub(crate) channel: Channel,
    pub(crate) presented_at: Timestamp,
    pub(crate) presentation_expires_at: Timestamp,
    pub(crate) verified_at: Timestamp,
    pub(crate) presentation: Arc<[u8]>,
}

impl fmt::Debug for OfflineProvenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OfflineProvenance")
            .field("issuer_kid", &self.issuer_kid)
            .field("issuer_label", &self.issuer_label)
            .field("trust_list_sequence", &self.trust_list_sequence)
            .field("credential_id", &self.credential_id)
            .field("credential_validity", &self.credential_validity)
            .field("channel", &self.channel)
            .field("presented_at", &self.presented_at)
            .field("presentation_expires_at", &self.presentation_expires_at)
            .field("verified_at", &self.verified_at)
            .field(
                "presentation",
                &format_args!("{} bytes", self.presentation.len()),
            )
            .finish()
    }
}

impl OfflineProvenance {
    /// The signed presentation (a tagged `COSE_Sign1`) exactly as the
    /// verifier received it, after the text form was decoded for a QR code.
    /// Keep it where an audit needs the evidence; it holds personal data.
    pub fn presentation(&self) -> &[u8] {
        &self.presentation
    }

    /// SHA-256 of [`OfflineProvenance::presentation`]: the digest a care
    /// sheet carries as proof that this presentation was read.
    pub fn presentation_digest(&self) -> [u8; 32] {
        Sha256::digest(&self.presentation).into()
    }

    /// The issuer key that signed the credential.
    pub fn issuer_kid(&self) -> &[u8; 8] {
        &self.issuer_kid
    }

    /// The issuer key's label in the trust list, if any.
    pub fn issuer_label(&self) -> Option<&str> {
        self.issuer_label.as_deref()
    }

    /// The sequence number of the trust list used.
    pub fn trust_list_sequence(&self) -> u64 {
        self.trust_list_sequence
    }

    /// The credential's identifier.
    pub fn credential_id(&self) -> &CredentialId {
        &self.credential_id
    }

    /// The credential's validity.
    pub fn credential_validity(&self) -> ValidityWindow {
        self.credential_validity
    }

    /// QR or NFC.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// When the phone made the presentation.
    pub fn presented_at(&self) -> Timestamp {
        self.presented_at
    }

    /// When the presentation stops being acceptable.
    pub fn presentation_expires_at(&self) -> Timestamp {
        self.presentation_expires_at
    }

    /// When the verifier accepted it.
    pub fn verified_at(&self) -> Timestamp {
        self.verified_at
    }
}

/// How a `token`-profile card was verified online: the context
/// (*contexte ApCV*) a [`crate::token::ContextService`] opened for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineProvenance {
    pub(crate) context_id: ContextId,
    pub(crate) service: String,
    pub(crate) valid_until: Timestamp,
    pub(crate) channel: Channel,
    pub(crate) verified_at: Timestamp,
}

impl OnlineProvenance {
    /// The context's identifier, for restoring or closing it and for
    /// securing the care sheet.
    pub fn context_id(&self) -> &ContextId {
        &self.context_id
    }

    /// The service that opened the context ([`crate::token::ContextService::name`]).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// End of the context's validity (exclusive).
    pub fn valid_until(&self) -> Timestamp {
        self.valid_until
    }

    /// QR or NFC.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// When the token verifier accepted the context.
    pub fn verified_at(&self) -> Timestamp {
        self.verified_at
    }
}

/// A card that passed verification: offline, every check of
/// [`crate::Verifier::verify`] (authentic issuer, authentic phone, in time,
/// not replayed); or online, a context opened by the insurer's service
/// through [`crate::token::TokenVerifier`].
///
/// There is no public constructor: only those two verifiers build one, so
/// code that takes a `VerifiedCard` (or a [`VerifiedBeneficiary`]) cannot be
/// handed unverified data. Neither a struct expression nor a constructor
/// exists outside this crate:
///
/// ```compile_fail
/// # use vitale_verify::{Provenance, VerifiedCard};
/// # use vitale_model::Insured;
/// fn forge(insured: Insured, provenance: Provenance) -> VerifiedCard {
///     VerifiedCard { insured, beneficiaries: Vec::new(), all_ranks: Vec::new(),
///                    delegation: None, provenance, _proof: Default::default() }
/// }
/// ```
///
/// ```compile_fail
/// # use vitale_verify::{Provenance, VerifiedCard};
/// # use vitale_model::Insured;
/// fn forge(insured: Insured, provenance: Provenance) -> VerifiedCard {
///     VerifiedCard::new(insured, Vec::new(), None, provenance)
/// }
/// ```
///
/// ```compile_fail
/// # use vitale_verify::VerifiedBeneficiary;
/// # use vitale_model::Beneficiary;
/// fn forge(beneficiary: Beneficiary) -> VerifiedBeneficiary {
///     VerifiedBeneficiary { beneficiary, _proof: Default::default() }
/// }
/// ```
/// It exposes the insured person
/// (*ouvrant droit*), the beneficiaries the presenter may present (all of
/// them, or those a delegation covers), the delegation and the provenance.
/// `Debug` redacts personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCard {
    pub(crate) insured: Insured,
    pub(crate) beneficiaries: Vec<VerifiedBeneficiary>,
    pub(crate) all_ranks: Vec<Rank>,
    pub(crate) delegation: Option<DelegationInfo>,
    pub(crate) provenance: Provenance,
    pub(crate) _proof: Proof,
}

impl VerifiedCard {
    pub(crate) fn new(
        insured: Insured,
        beneficiaries: Vec<Beneficiary>,
        delegation: Option<(PersonName, Vec<Rank>, ValidityWindow)>,
        provenance: Provenance,
    ) -> Self {
        let covered = |b: &Beneficiary| {
            delegation
                .as_ref()
                .is_none_or(|(_, ranks, _)| ranks.contains(&b.rank()))
        };
        let all_ranks = beneficiaries.iter().map(|b| b.rank()).collect();
        VerifiedCard {
            insured,
            // Moved, not cloned: the decoded credential is not needed after.
            beneficiaries: beneficiaries
                .into_iter()
                .filter(covered)
                .map(|beneficiary| VerifiedBeneficiary {
                    beneficiary,
                    _proof: Proof::new(),
                })
                .collect(),
            all_ranks,
            delegation: delegation.map(|(delegate_name, ranks, validity)| DelegationInfo {
                delegate_name,
                ranks,
                validity,
            }),
            provenance,
            _proof: Proof::new(),
        }
    }

    /// The insured person (*assuré*, *ouvrant droit*).
    pub fn insured(&self) -> &Insured {
        &self.insured
    }

    /// The beneficiaries the presenter may present, in the issuer's order.
    pub fn beneficiaries(&self) -> &[VerifiedBeneficiary] {
        &self.beneficiaries
    }

    /// The beneficiary of a rank; [`Error::DelegationOutOfScope`] if the
    /// credential has it but the delegation does not cover it,
    /// [`Error::NoSuchBeneficiary`] if the credential does not have it.
    pub fn beneficiary(&self, rank: Rank) -> Result<&VerifiedBeneficiary, Error> {
        if let Some(b) = self.beneficiaries.iter().find(|b| b.rank() == rank) {
            return Ok(b);
        }
        if self.all_ranks.contains(&rank) {
            Err(Error::DelegationOutOfScope { rank: rank.get() })
        } else {
            Err(Error::NoSuchBeneficiary { rank: rank.get() })
        }
    }

    /// The delegation, when a delegate's phone presented the card.
    pub fn delegation(&self) -> Option<&DelegationInfo> {
        self.delegation.as_ref()
    }

    /// Offline (issuer key, trust list, presentation times) or online
    /// (context), with the channel and the verification time.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
}
