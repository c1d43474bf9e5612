//! The verifier: from presentation bytes or text to a [`VerifiedCard`].

use std::sync::Arc;

use vitale_codec::cose::Sign1;
use vitale_codec::model::{ChannelBinding, Credential, Delegation, SignedPresentation, Timestamp};

use crate::card::{OfflineProvenance, Provenance, VerifiedCard};
use crate::policy::{Clock, Policy, SystemClock};
use crate::replay::{MemoryReplayCache, ReplayCache, ReplayId};
use crate::trust::{IssuerKey, TrustList, TrustStore};
use crate::{BackendError, Error, KeyUsage, PublicKey, Signature, SignatureBackend};

/// Counts a verification reaching a step, in fuzzing builds only
/// ([`crate::fuzzing`]); nothing at all otherwise.
macro_rules! reached {
    ($step:ident) => {
        #[cfg(fuzzing)]
        crate::fuzzing::reached(crate::fuzzing::Step::$step);
    };
}

/// The channel the workstation read the presentation from, with the NFC
/// reader's challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpectedChannel<'a> {
    /// Read from a QR code (camera, image, scanner).
    Qr,
    /// Read over NFC, in answer to this challenge.
    Nfc {
        /// The challenge this reader sent in GET PRESENTATION.
        challenge: &'a [u8],
    },
}

/// Checks `open`-profile presentations against a trust list, a policy, a
/// clock and a replay cache.
///
/// One verifier serves many verifications, from several threads
/// (`verify` takes `&self`). Build it with [`Verifier::new`] and adjust it
/// with the `with_*` methods:
///
/// ```
/// use vitale_verify::{Verifier, policy::Policy, trust::TrustStore};
///
/// fn accept(store: TrustStore, scanned: &str) -> Result<(), vitale_verify::Error> {
///     let verifier = Verifier::new(store).with_policy(Policy::default());
///     let card = verifier.verify_text(scanned)?;
///     for b in card.beneficiaries() {
///         println!("rank {}", b.rank().get());
///     }
///     Ok(())
/// }
/// ```
pub struct Verifier {
    trust: TrustStore,
    policy: Policy,
    replay: Box<dyn ReplayCache>,
    clock: Box<dyn Clock>,
    backend: &'static dyn SignatureBackend,
}

impl core::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("trust_list_sequence", &self.trust.current().sequence())
            .field("policy", &self.policy)
            .field("backend", &self.backend.name())
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier with the recommended defaults: [`Policy::default`], a
    /// [`MemoryReplayCache::default`], the [`SystemClock`] and
    /// [`crate::default_backend`].
    pub fn new(trust: TrustStore) -> Self {
        Verifier {
            trust,
            policy: Policy::default(),
            replay: Box::new(MemoryReplayCache::default()),
            clock: Box::new(SystemClock),
            backend: crate::default_backend(),
        }
    }

    /// Replaces the policy.
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Replaces the replay cache (e.g. one shared by the practice's
    /// workstations).
    pub fn with_replay_cache(mut self, cache: impl ReplayCache + 'static) -> Self {
        self.replay = Box::new(cache);
        self
    }

    /// Replaces the clock.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// Replaces the signature backend.
    pub fn with_backend(mut self, backend: &'static dyn SignatureBackend) -> Self {
        self.backend = backend;
        self
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The trust store in force.
    pub fn trust_store(&self) -> &TrustStore {
        &self.trust
    }

    /// The trust store, to install a newer list
    /// ([`TrustStore::update`]).
    pub fn trust_store_mut(&mut self) -> &mut TrustStore {
        &mut self.trust
    }

    /// Verifies a text form (`VT1:` from a QR code or a scanner, or
    /// `VT1B:`), read from a QR code.
    pub fn verify_text(&self, text: &str) -> Result<VerifiedCard, Error> {
        logged(self.verify_text_inner(text), ExpectedChannel::Qr)
    }

    fn verify_text_inner(&self, text: &str) -> Result<VerifiedCard, Error> {
        if text.len() > self.policy.max_text_chars {
            return Err(Error::TooLarge {
                size: text.len(),
                limit: self.policy.max_text_chars,
            });
        }
        let bytes = vitale_codec::text::decode_text(text)?;
        // The same checks as `verify`, on bytes it may keep (no copy).
        let now = self.clock.now();
        self.check_size(bytes.len())?;
        reached!(Decode);
        let signed = SignedPresentation::decode_owned(bytes)?;
        self.verify_decoded(signed, ExpectedChannel::Qr, now)
    }

    /// Verifies presentation bytes read over NFC in answer to `challenge`.
    pub fn verify_nfc(&self, bytes: &[u8], challenge: &[u8]) -> Result<VerifiedCard, Error> {
        self.verify(bytes, ExpectedChannel::Nfc { challenge })
    }

    /// Verifies presentation bytes (a tagged COSE_Sign1).
    ///
    /// The checks, in this order; the first failure is returned:
    ///
    /// 1. size within the policy ([`Error::TooLarge`]);
    /// 2. decoding of the presentation, credential and delegation, with
    ///    algorithm exactly ES256, no unknown critical header, exactly the
    ///    profile's protected header, an empty unprotected header, version
    ///    1, sizes within the format's limits and a lifetime of at most
    ///    180 s ([`Error::Malformed`], [`Error::UnsupportedAlgorithm`],
    ///    [`Error::UnknownCriticalHeader`], [`Error::UnexpectedHeader`],
    ///    [`Error::UnprotectedHeader`], [`Error::UnsupportedVersion`],
    ///    [`Error::TooLarge`], [`Error::PresentationLifetime`]), in the
    ///    order of `docs/format.md` §11;
    /// 3. the trust list is within its own validity
    ///    ([`crate::TrustListError::NotYetValid`], [`crate::TrustListError::Expired`]);
    /// 4. the credential's issuer key: known, allowed to sign credentials,
    ///    valid at the credential's issue date, and its signature
    ///    ([`Error::UnknownIssuerKey`], [`Error::WrongKeyUsage`],
    ///    [`Error::IssuerKeyNotValidAtIssue`], [`Error::BadIssuerSignature`]);
    /// 5. the credential's validity at the verification time
    ///    ([`Error::CredentialNotYetValid`], [`Error::CredentialExpired`]);
    /// 6. the delegation, if any: the same issuer-key checks for usage
    ///    *delegation*, then that it names this credential, its validity,
    ///    and that every rank it covers exists
    ///    ([`Error::DelegationMismatch`], [`Error::DelegationNotYetValid`],
    ///    [`Error::DelegationExpired`], [`Error::DelegationOutOfScope`]);
    /// 7. the channel, and for NFC the challenge signed in the presentation
    ///    ([`Error::ChannelMismatch`], [`Error::ChallengeMismatch`]);
    /// 8. the device signature, with the credential's device key or the
    ///    delegate's key, over the channel's external AAD
    ///    ([`Error::BadDeviceSignature`]);
    /// 9. the presentation's lifetime against the policy, and its time
    ///    window: accepted when `issued-at ≤ now + skew` and
    ///    `now < expiry + skew` ([`Error::PresentationLifetime`],
    ///    [`Error::PresentationFromFuture`], [`Error::PresentationExpired`]);
    /// 10. the replay cache, last, so that only presentations that passed
    ///     every other check are remembered ([`Error::Replay`],
    ///     [`Error::ReplayCacheFull`], [`Error::ReplayCacheUnavailable`]).
    pub fn verify(
        &self,
        bytes: &[u8],
        expected: ExpectedChannel<'_>,
    ) -> Result<VerifiedCard, Error> {
        let now = self.clock.now();
        // 1. Size.
        let result = self.check_size(bytes.len()).and_then(|()| {
            // 2. Decoding.
            reached!(Decode);
            let signed = SignedPresentation::decode(bytes)?;
            self.verify_decoded(signed, expected, now)
        });
        logged(result, expected)
    }

    /// Step 1 of [`Verifier::verify`]: the size within the policy.
    fn check_size(&self, size: usize) -> Result<(), Error> {
        reached!(Size);
        if size > self.policy.max_presentation_bytes {
            return Err(Error::TooLarge {
                size,
                limit: self.policy.max_presentation_bytes,
            });
        }
        Ok(())
    }

    /// Steps 3 to 10 of [`Verifier::verify`], on a decoded presentation,
    /// at `now`.
    fn verify_decoded(
        &self,
        signed: SignedPresentation,
        expected: ExpectedChannel<'_>,
        now: Timestamp,
    ) -> Result<VerifiedCard, Error> {
        let presentation = signed.presentation();
        let signed_credential = presentation.credential();
        let credential = signed_credential.credential();
        // 3. Trust list.
        reached!(TrustList);
        let list = &*self.trust.current();
        crate::trust::check_list_window(list.issued_at(), list.expires_at(), now)
            .map_err(Error::TrustList)?;
        // 4. Credential issuer.
        reached!(CredentialIssuer);
        let issuer = self.check_issuer(
            list,
            signed_credential.envelope(),
            signed_credential.kid(),
            credential.issued_at,
            KeyUsage::Credential,
        )?;
        // 5. Credential validity.
        reached!(CredentialValidity);
        let validity = credential.validity;
        if now < validity.not_before() {
            return Err(Error::CredentialNotYetValid {
                not_before: validity.not_before(),
                now,
            });
        }
        if now >= validity.expires_at() {
            return Err(Error::CredentialExpired {
                expired_at: validity.expires_at(),
                now,
            });
        }
        // 6. Delegation.
        let delegation = match presentation.delegation() {
            None => None,
            Some(signed_delegation) => {
                reached!(Delegation);
                let d = signed_delegation.delegation();
                self.check_issuer(
                    list,
                    signed_delegation.envelope(),
                    signed_delegation.kid(),
                    d.issued_at,
                    KeyUsage::Delegation,
                )?;
                reached!(DelegationScope);
                check_delegation(d, credential, now)?;
                Some(d)
            }
        };
        // 7. Channel and challenge.
        reached!(Channel);
        let aad: &[u8] = match (expected, presentation.binding()) {
            (ExpectedChannel::Qr, ChannelBinding::Qr) => &[],
            (ExpectedChannel::Nfc { challenge }, ChannelBinding::Nfc(signed_challenge)) => {
                if signed_challenge.as_bytes() != challenge {
                    return Err(Error::ChallengeMismatch);
                }
                challenge
            }
            _ => return Err(Error::ChannelMismatch),
        };
        // 8. Device signature.
        reached!(DeviceSignature);
        let device_key = match delegation {
            Some(d) => d.delegate_key,
            None => credential.device_key,
        };
        let device_key = PublicKey::from_sec1_bytes(&device_key.to_sec1())?;
        let tbs = signed.envelope().to_be_signed(aad)?;
        self.backend
            .verify_es256(
                &device_key,
                &tbs,
                &Signature::from_bytes(signed.envelope().signature()),
            )
            .map_err(|e| match e {
                BackendError::BadSignature => Error::BadDeviceSignature,
                other => Error::from(other),
            })?;
        // 9. Presentation time.
        reached!(PresentationTime);
        let (issued, expires) = (presentation.issued_at(), presentation.expires_at());
        let lifetime = expires.unix().saturating_sub(issued.unix());
        if lifetime > self.policy.max_presentation_lifetime_secs {
            return Err(Error::PresentationLifetime { secs: lifetime });
        }
        let skew = self.policy.clock_skew_secs;
        if issued.unix() > now.unix().saturating_add(skew) {
            return Err(Error::PresentationFromFuture {
                issued_at: issued,
                now,
            });
        }
        if expires.unix().saturating_add(skew) <= now.unix() {
            return Err(Error::PresentationExpired {
                expired_at: expires,
                now,
            });
        }
        // 10. Replay, last.
        reached!(Replay);
        let retain_until = expires.checked_add_secs(skew).unwrap_or(expires);
        let remembered = self.replay.check_and_remember(
            &ReplayId::new(&credential.id, presentation.nonce()),
            retain_until,
            now,
        );
        #[cfg(fuzzing)]
        if matches!(remembered, Err(crate::replay::ReplayError::Replay)) {
            crate::fuzzing::reached(crate::fuzzing::Step::ReplayRefused);
        }
        remembered?;
        reached!(Accepted);

        let provenance = Provenance::Offline(OfflineProvenance {
            issuer_kid: *issuer.kid(),
            issuer_label: issuer.label().map(str::to_owned),
            trust_list_sequence: list.sequence(),
            credential_id: credential.id,
            credential_validity: credential.validity,
            channel: presentation.channel(),
            presented_at: issued,
            presentation_expires_at: expires,
            verified_at: now,
            presentation: Arc::from(signed.envelope().as_bytes()),
        });
        let delegation = delegation.map(|d| {
            (
                d.delegate_name.clone(),
                d.ranks.as_slice().to_vec(),
                d.validity,
            )
        });
        // The decoded credential is not needed any more: its insured person
        // and beneficiaries move into the card instead of being cloned.
        let credential = signed.into_presentation().into_credential().into_content();
        Ok(VerifiedCard::new(
            credential.insured,
            credential.beneficiaries.into_vec(),
            delegation,
            provenance,
        ))
    }

    /// Checks an issuer-signed envelope against the trust list.
    fn check_issuer<'l>(
        &self,
        list: &'l TrustList,
        envelope: &Sign1,
        kid: &[u8; 8],
        issued_at: Timestamp,
        usage: KeyUsage,
    ) -> Result<&'l IssuerKey, Error> {
        let key = list
            .find(kid)
            .ok_or(Error::UnknownIssuerKey { kid: *kid })?;
        if !key.allows(usage) {
            return Err(Error::WrongKeyUsage { usage });
        }
        if !key.validity().contains(issued_at) {
            return Err(Error::IssuerKeyNotValidAtIssue { usage });
        }
        if usage == KeyUsage::Credential {
            reached!(IssuerSignature);
        }
        let tbs = envelope.to_be_signed(&[])?;
        self.backend
            .verify_es256(
                key.public_key(),
                &tbs,
                &Signature::from_bytes(envelope.signature()),
            )
            .map_err(|e| match e {
                BackendError::BadSignature => Error::BadIssuerSignature { usage },
                other => Error::from(other),
            })?;
        Ok(key)
    }
}

/// Logs a verification's outcome: the refusal's kind (a replay cache hit
/// at its own message), or the trust-list sequence of an accepted card —
/// never a name, a NIR, a date of birth or the presentation.
fn logged(
    result: Result<VerifiedCard, Error>,
    expected: ExpectedChannel<'_>,
) -> Result<VerifiedCard, Error> {
    let channel = match expected {
        ExpectedChannel::Nfc { .. } => "nfc",
        _ => "qr",
    };
    match &result {
        Ok(card) => {
            let sequence = match card.provenance() {
                Provenance::Offline(o) => o.trust_list_sequence(),
                _ => 0,
            };
            tracing::info!(
                channel,
                trust_list_sequence = sequence,
                beneficiaries = card.beneficiaries().len(),
                "presentation verified"
            );
        }
        Err(Error::Replay) => {
            tracing::info!(
                channel,
                kind = "replay",
                "replay cache hit: presentation refused"
            );
        }
        Err(e) => match e.time_refusal() {
            Some(t) => tracing::info!(
                channel,
                kind = e.kind(),
                now = %t.now,
                not_before = t.not_before.map(tracing::field::display),
                expired_at = t.expired_at.map(tracing::field::display),
                "presentation refused"
            ),
            None => tracing::info!(channel, kind = e.kind(), "presentation refused"),
        },
    }
    result
}

fn check_delegation(d: &Delegation, credential: &Credential, now: Timestamp) -> Result<(), Error> {
    if d.credential_id != credential.id {
        return Err(Error::DelegationMismatch);
    }
    if now < d.validity.not_before() {
        return Err(Error::DelegationNotYetValid {
            not_before: d.validity.not_before(),
            now,
        });
    }
    if now >= d.validity.expires_at() {
        return Err(Error::DelegationExpired {
            expired_at: d.validity.expires_at(),
            now,
        });
    }
    for rank in d.ranks.as_slice() {
        if credential.beneficiaries.by_rank(*rank).is_none() {
            return Err(Error::DelegationOutOfScope { rank: rank.get() });
        }
    }
    Ok(())
}
