//! The online rights service (ADRi) as a trait, and its own small error.
//!
//! What is public of the official service: a SOAP 1.2 web service
//! (`urn:adr:1.1.0:acquerirLesDroits` in public integrator templates)
//! queried with a reference date, the beneficiary and the organisme, by a
//! professional's software; it is called for every card read and in
//! targeted cases. The official ApCV and ADRi specifications are not
//! public: a vendor holding them implements [`RightsService`]; the SDK
//! ships a reference binding and a simulator.

use std::sync::Arc;

use crate::{Rights, RightsQuery};

/// The service's own refusal code, kept as it was given: 1 to
/// [`RefusalCode::MAX_CHARS`] characters among `A-Z a-z 0-9 - _ . :`.
/// It is a code, never free text, so it cannot carry personal data.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct RefusalCode(String);

impl RefusalCode {
    /// Longest code.
    pub const MAX_CHARS: usize = 32;

    /// Validates a code.
    pub fn new(text: &str) -> Option<Self> {
        let ok = (1..=Self::MAX_CHARS).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
        ok.then(|| RefusalCode(text.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a rights service failed. Implementations map their protocol's
/// failures onto these; [`RightsError::Unavailable`] carries the
/// backend's own error as its source. Two errors are equal when they are
/// the same variant (the refusal code compared, sources not).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RightsError {
    /// The service does not know the beneficiary (*bénéficiaire inconnu*).
    #[error("patient unknown to the rights service")]
    PatientUnknown,
    /// The service refused to give rights, with its own code.
    #[error("rights refused by the service (code {})", .0.as_str())]
    RightsRefused(RefusalCode),
    /// The service refused the professional (not authorised, wrong
    /// specialty, unknown billing number).
    #[error("professional not authorised by the rights service")]
    Unauthorised,
    /// The service answered something this binding cannot use (malformed,
    /// out of bounds, inconsistent).
    #[error("invalid answer from the rights service")]
    InvalidAnswer,
    /// The service cannot be reached or failed (network, TLS, timeout,
    /// server error).
    #[error("rights service unavailable")]
    Unavailable(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl PartialEq for RightsError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (RightsError::RightsRefused(a), RightsError::RightsRefused(b)) => a == b,
            _ => core::mem::discriminant(self) == core::mem::discriminant(other),
        }
    }
}

impl Eq for RightsError {}

impl RightsError {
    /// [`RightsError::Unavailable`] with a backend's error as its source.
    pub fn unavailable(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        RightsError::Unavailable(Arc::new(source))
    }

    /// The stable snake_case kind of this failure.
    pub fn kind(&self) -> &'static str {
        match self {
            RightsError::PatientUnknown => "patient_unknown",
            RightsError::RightsRefused(_) => "rights_refused",
            RightsError::Unauthorised => "rights_unauthorised",
            RightsError::InvalidAnswer => "rights_invalid_answer",
            RightsError::Unavailable(_) => "rights_unavailable",
        }
    }
}

impl From<crate::Error> for RightsError {
    /// An answer that does not validate is an invalid answer.
    fn from(_: crate::Error) -> Self {
        RightsError::InvalidAnswer
    }
}

/// The online rights service (ADRi, *acquisition des droits intégrée*),
/// configured with the professional's identity
/// ([`crate::ProfessionalIdentity`]).
///
/// Methods block; call them off the UI thread. Implementations must be
/// safe to share between threads.
pub trait RightsService: Send + Sync {
    /// A short name for logs (e.g. `"simulator"`, the service's host
    /// name). Never personal data.
    fn name(&self) -> &str;

    /// The beneficiary's rights for the query's reference date
    /// (*acquerirLesDroits* in the public templates).
    ///
    /// # Errors
    /// A [`RightsError`]: unknown patient, refusal with the service's
    /// code, professional refused, invalid answer, or the service
    /// unavailable.
    fn rights(&self, query: &RightsQuery) -> Result<Rights, RightsError>;
}

#[cfg(test)]
mod tests;
