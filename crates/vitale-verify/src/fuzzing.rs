//! How far verifications get: one counter per step of
//! [`Verifier::verify`](crate::Verifier::verify), for fuzzing campaigns.
//!
//! Compiled only with `--cfg fuzzing` (what `cargo fuzz` sets); a normal
//! build has neither this module nor the counting, so it costs nothing.
//! The `verifier` fuzz target prints these counts (docs/fuzzing.md), which
//! shows whether the fuzzer gets past the signatures to the time policy,
//! the delegation scope and the replay cache.

use core::sync::atomic::{AtomicU64, Ordering};

/// A point of [`Verifier::verify`](crate::Verifier::verify) that an input
/// reached; each is counted once per verification that gets there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Step 1: a verification started (size check).
    Size,
    /// Step 2: within the size limit, decoding starts.
    Decode,
    /// Step 3: decoded; the trust list's validity is checked.
    TrustList,
    /// Step 4: the credential's issuer key is looked up.
    CredentialIssuer,
    /// Step 4, last part: the issuer key is known, allowed and valid at the
    /// issue date; the issuer signature is checked.
    IssuerSignature,
    /// Step 5: the issuer signature holds; the credential's validity.
    CredentialValidity,
    /// Step 6: a delegation is present and is checked.
    Delegation,
    /// Step 6, last part: the delegation's issuer signature holds; its
    /// credential, validity and ranks (scope) are checked.
    DelegationScope,
    /// Step 7: the channel and the NFC challenge.
    Channel,
    /// Step 8: the device signature.
    DeviceSignature,
    /// Step 9: the presentation's lifetime and time window.
    PresentationTime,
    /// Step 10: the replay cache.
    Replay,
    /// Every check passed: a card was made.
    Accepted,
    /// The replay cache refused a presentation already seen.
    ReplayRefused,
}

impl Step {
    /// Every step, in the order of the checks.
    pub const ALL: [Step; 14] = [
        Step::Size,
        Step::Decode,
        Step::TrustList,
        Step::CredentialIssuer,
        Step::IssuerSignature,
        Step::CredentialValidity,
        Step::Delegation,
        Step::DelegationScope,
        Step::Channel,
        Step::DeviceSignature,
        Step::PresentationTime,
        Step::Replay,
        Step::Accepted,
        Step::ReplayRefused,
    ];

    /// A stable snake_case name.
    pub const fn name(self) -> &'static str {
        match self {
            Step::Size => "size",
            Step::Decode => "decode",
            Step::TrustList => "trust_list",
            Step::CredentialIssuer => "credential_issuer",
            Step::IssuerSignature => "issuer_signature",
            Step::CredentialValidity => "credential_validity",
            Step::Delegation => "delegation",
            Step::DelegationScope => "delegation_scope",
            Step::Channel => "channel",
            Step::DeviceSignature => "device_signature",
            Step::PresentationTime => "presentation_time",
            Step::Replay => "replay",
            Step::Accepted => "accepted",
            Step::ReplayRefused => "replay_refused",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

static COUNTS: [AtomicU64; Step::ALL.len()] = [const { AtomicU64::new(0) }; Step::ALL.len()];

/// Counts one verification reaching `step`.
pub(crate) fn reached(step: Step) {
    if let Some(counter) = COUNTS.get(step.index()) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// How many verifications reached each step since the start (or the last
/// [`reset`]), in the order of [`Step::ALL`].
pub fn counts() -> [(Step, u64); Step::ALL.len()] {
    Step::ALL.map(|step| {
        let count = COUNTS
            .get(step.index())
            .map_or(0, |c| c.load(Ordering::Relaxed));
        (step, count)
    })
}

/// Sets every counter back to zero.
pub fn reset() {
    for counter in &COUNTS {
        counter.store(0, Ordering::Relaxed);
    }
}
