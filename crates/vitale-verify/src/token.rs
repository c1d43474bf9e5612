//! The `token` profile: a [`TokenText`] forwarded to an online
//! [`ContextService`], whose context (*contexte ApCV*) becomes a
//! [`VerifiedCard`] with [`crate::Provenance::Online`].
//!
//! What public integrator code shows of the official flow (the official
//! ApCV specification is not public): the scanned content goes verbatim,
//! with the professional's billing identifier and specialty, to a service
//! that opens a session holding the card's data (identifier, end of
//! validity, about 30 minutes); the session can be read back and ended; the
//! care sheet is secured by sending the hash of the FSE with the context id
//! to a signing operation. [`ContextService`] models exactly these four
//! operations; the professional's identity is the service's configuration
//! (one service value per professional), not a per-call argument. A vendor
//! holding the official specification implements the trait; the SDK ships
//! reference bindings and a simulator.

use std::sync::Arc;

use vitale_codec::TokenText;
use vitale_codec::model::Channel;
use vitale_ins::Nir;
use vitale_model::{Beneficiaries, Insured, Timestamp};

use crate::Error;
use crate::card::{OnlineProvenance, Provenance, VerifiedCard};
use crate::policy::{Clock, SystemClock};

/// A context's identifier as the service gives it: 1 to
/// [`ContextId::MAX_CHARS`] characters among `A-Z a-z 0-9 - _ . ~ :`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ContextId(String);

impl ContextId {
    /// Longest identifier.
    pub const MAX_CHARS: usize = 128;

    /// Validates an identifier.
    pub fn new(text: &str) -> Option<Self> {
        let ok = (1..=Self::MAX_CHARS).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.~:".contains(&b));
        ok.then(|| ContextId(text.to_owned()))
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a context service returns for an opened or restored context: its
/// identifier and validity, and the card's data.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct Context {
    /// The context's identifier.
    pub id: ContextId,
    /// End of the context's validity (exclusive).
    pub valid_until: Timestamp,
    /// How the phone gave the token (QR or NFC).
    pub channel: Channel,
    /// The insured person (*ouvrant droit*).
    pub insured: Insured,
    /// The beneficiaries (*ayants droit*) the context covers.
    pub beneficiaries: Beneficiaries,
}

impl Context {
    /// A context, as a service implementation builds it.
    pub fn new(
        id: ContextId,
        valid_until: Timestamp,
        channel: Channel,
        insured: Insured,
        beneficiaries: Beneficiaries,
    ) -> Self {
        Context {
            id,
            valid_until,
            channel,
            insured,
            beneficiaries,
        }
    }
}

/// Why a context service failed. Implementations map their protocol's
/// failures onto these; [`ContextError::Unavailable`] carries the backend's
/// own error as its source. Two errors are equal when they are the same
/// variant (sources are not compared).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ContextError {
    /// The service does not accept this token (unknown, forged, already
    /// used, or expired on the phone).
    #[error("token refused by the context service")]
    TokenRefused,
    /// No such context (closed, or never opened by this service).
    #[error("unknown context")]
    UnknownContext,
    /// The context's validity has ended.
    #[error("context expired")]
    ContextExpired,
    /// The service refused the professional (not authorised, wrong
    /// specialty).
    #[error("professional not authorised by the context service")]
    Unauthorised,
    /// The service answered something this binding cannot use.
    #[error("invalid answer from the context service")]
    InvalidAnswer,
    /// The service cannot be reached or failed (network, TLS, timeout,
    /// server error).
    #[error("context service unavailable")]
    Unavailable(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl PartialEq for ContextError {
    fn eq(&self, other: &Self) -> bool {
        core::mem::discriminant(self) == core::mem::discriminant(other)
    }
}

impl Eq for ContextError {}

impl ContextError {
    /// [`ContextError::Unavailable`] with a backend's error as its source.
    pub fn unavailable(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        ContextError::Unavailable(Arc::new(source))
    }

    /// The stable snake_case kind of this failure.
    pub fn kind(&self) -> &'static str {
        match self {
            ContextError::TokenRefused => "token_refused",
            ContextError::UnknownContext => "context_unknown",
            ContextError::ContextExpired => "context_expired",
            ContextError::Unauthorised => "context_unauthorised",
            ContextError::InvalidAnswer => "context_invalid_answer",
            ContextError::Unavailable(_) => "context_unavailable",
        }
    }
}

/// The online service that turns a token into a context (*contexte ApCV*),
/// configured with the professional's identity.
///
/// Methods block; call them off the UI thread. Implementations must be
/// safe to share between threads.
pub trait ContextService: Send + Sync {
    /// A short name for provenance and logs (e.g. `"simulator"`, the
    /// service's host name). Never personal data.
    fn name(&self) -> &str;

    /// Opens a context for a scanned token (*authentifierUtilisateurProximite*
    /// in the public templates).
    fn open(&self, token: &TokenText, channel: Channel) -> Result<Context, ContextError>;

    /// Reads an open context back (*restituerContexteApCV*).
    fn restore(&self, id: &ContextId) -> Result<Context, ContextError>;

    /// Ends a context (*detruireContexteApCV*).
    fn close(&self, id: &ContextId) -> Result<(), ContextError>;

    /// Signs the SHA-256 hash of a care sheet for the insured person under
    /// an open context (*signerVitale*); returns the service's signature
    /// bytes.
    fn sign_hash(
        &self,
        id: &ContextId,
        insured: &Nir,
        digest: &[u8; 32],
    ) -> Result<Vec<u8>, ContextError>;
}

/// Turns tokens into [`VerifiedCard`]s through a [`ContextService`]: opens
/// the context, checks that it is still valid by the workstation's clock,
/// and builds the card with [`Provenance::Online`].
#[derive(Clone)]
pub struct TokenVerifier {
    service: Arc<dyn ContextService>,
    clock: Arc<dyn Clock>,
}

impl core::fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenVerifier")
            .field("service", &self.service.name())
            .finish_non_exhaustive()
    }
}

impl TokenVerifier {
    /// A verifier over a service, with the system clock.
    pub fn new(service: Arc<dyn ContextService>) -> Self {
        TokenVerifier {
            service,
            clock: Arc::new(SystemClock),
        }
    }

    /// Replaces the clock.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The service.
    pub fn service(&self) -> &dyn ContextService {
        self.service.as_ref()
    }

    /// Opens a context for `token` and returns the card it holds.
    ///
    /// Fails with [`Error::Context`] when the service fails or refuses,
    /// and with [`Error::Context`]`(`[`ContextError::ContextExpired`]`)`
    /// when the context it returns is already past its validity.
    pub fn verify(&self, token: &TokenText, channel: Channel) -> Result<VerifiedCard, Error> {
        let result = self
            .service
            .open(token, channel)
            .map_err(Error::from)
            .and_then(|context| self.card(context));
        match &result {
            Ok(card) => tracing::info!(
                beneficiaries = card.beneficiaries().len(),
                "token verified: context opened"
            ),
            Err(e) => tracing::info!(kind = e.kind(), "token refused"),
        }
        result
    }

    /// Reads an open context back and returns the card it holds (after a
    /// restart of the billing program, for instance).
    pub fn restore(&self, id: &ContextId) -> Result<VerifiedCard, Error> {
        let context = self.service.restore(id)?;
        if &context.id != id {
            return Err(Error::Context(ContextError::InvalidAnswer));
        }
        self.card(context)
    }

    fn card(&self, context: Context) -> Result<VerifiedCard, Error> {
        let now = self.clock.now();
        if context.valid_until <= now {
            return Err(Error::Context(ContextError::ContextExpired));
        }
        let provenance = Provenance::Online(OnlineProvenance {
            context_id: context.id,
            service: self.service.name().to_owned(),
            valid_until: context.valid_until,
            channel: context.channel,
            verified_at: now,
        });
        Ok(VerifiedCard::new(
            context.insured,
            context.beneficiaries.into_vec(),
            None,
            provenance,
        ))
    }
}

#[cfg(test)]
mod tests;
