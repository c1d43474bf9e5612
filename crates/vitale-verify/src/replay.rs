//! Anti-replay: remembering which presentations were already accepted.
//!
//! A QR code can be photographed and shown again; an NFC answer can be
//! recorded. Every presentation carries a random nonce and lives at most
//! 180 s, so remembering `(credential id, nonce)` until the presentation
//! expires — plus the clock skew the verifier tolerates — is enough to
//! refuse any second use.
//!
//! [`ReplayCache`] is a trait so that a practice with several workstations
//! can share one cache (a database table, Redis…); [`MemoryReplayCache`] is
//! the bounded in-memory implementation for a single workstation.
//!
//! **Fail closed.** A cache that is full of live entries refuses new ones
//! ([`crate::Error::ReplayCacheFull`]) instead of evicting a live entry —
//! evicting would let an attacker who floods the cache replay an old
//! presentation. A shared cache that cannot be reached reports
//! [`crate::Error::ReplayCacheUnavailable`]. Both make the verification
//! fail.

use vitale_codec::model::{CredentialId, Nonce, Timestamp};

mod memory;

pub use memory::MemoryReplayCache;

/// What identifies one presentation: the credential's id and the
/// presentation's nonce (32 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ReplayId([u8; 32]);

impl ReplayId {
    /// The identifier of the presentation with this nonce for this
    /// credential.
    pub fn new(credential: &CredentialId, nonce: &Nonce) -> Self {
        let mut id = [0u8; 32];
        let (a, b) = id.split_at_mut(16);
        a.copy_from_slice(credential.as_bytes());
        b.copy_from_slice(nonce.as_bytes());
        ReplayId(id)
    }

    /// The 32 bytes: credential id then nonce.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Why a [`ReplayCache`] refused to record a presentation: the trait's
/// own error, so that an implementation (in memory, SQLite, PostgreSQL…)
/// need not know the verifier's. The verifier maps it to
/// [`crate::Error::Replay`], [`crate::Error::ReplayCacheFull`] and
/// [`crate::Error::ReplayCacheUnavailable`]. Two errors are equal when they
/// are the same variant (sources are not compared).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The id is already recorded and still live: a replay.
    #[error("presentation already used (replay)")]
    Replay,
    /// The cache is full of live entries and refuses new ones (fail
    /// closed).
    #[error("replay cache full")]
    Full,
    /// The cache's backend cannot be reached or failed; the source is the
    /// backend's own error.
    #[error("replay cache unavailable")]
    Unavailable(#[source] std::sync::Arc<dyn std::error::Error + Send + Sync>),
}

impl ReplayError {
    /// [`ReplayError::Unavailable`] with a backend's error as its source.
    pub fn unavailable(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        ReplayError::Unavailable(std::sync::Arc::new(source))
    }
}

impl PartialEq for ReplayError {
    fn eq(&self, other: &Self) -> bool {
        core::mem::discriminant(self) == core::mem::discriminant(other)
    }
}

impl Eq for ReplayError {}

impl From<ReplayError> for crate::Error {
    fn from(e: ReplayError) -> Self {
        match e {
            ReplayError::Replay => crate::Error::Replay,
            ReplayError::Full => crate::Error::ReplayCacheFull,
            ReplayError::Unavailable(_) => crate::Error::ReplayCacheUnavailable,
        }
    }
}

/// A store of the presentations already accepted.
///
/// Implementations must be safe to call from several threads at once, and
/// [`ReplayCache::check_and_remember`] must be atomic: two concurrent calls
/// with the same id must not both succeed.
pub trait ReplayCache: Send + Sync {
    /// Records `id` as used until `retain_until` and succeeds, or fails with
    /// [`ReplayError::Replay`] if `id` is already recorded and not yet past
    /// its own `retain_until` at `now`.
    ///
    /// Fails with [`ReplayError::Full`] or [`ReplayError::Unavailable`]
    /// when the cache cannot record it.
    fn check_and_remember(
        &self,
        id: &ReplayId,
        retain_until: Timestamp,
        now: Timestamp,
    ) -> Result<(), ReplayError>;
}

impl<T: ReplayCache + ?Sized> ReplayCache for std::sync::Arc<T> {
    fn check_and_remember(
        &self,
        id: &ReplayId,
        retain_until: Timestamp,
        now: Timestamp,
    ) -> Result<(), ReplayError> {
        (**self).check_and_remember(id, retain_until, now)
    }
}

impl<T: ReplayCache + ?Sized> ReplayCache for &T {
    fn check_and_remember(
        &self,
        id: &ReplayId,
        retain_until: Timestamp,
        now: Timestamp,
    ) -> Result<(), ReplayError> {
        (**self).check_and_remember(id, retain_until, now)
    }
}
