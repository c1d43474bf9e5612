//! The times of a refusal for time, read from an [`Error`].

use vitale_model::Timestamp;

use super::{Error, TrustListError};

/// The times of a refusal for time (an expiry, or a validity not begun
/// yet), for programs: the message holds them for people. No personal
/// data: these are the validity bounds of a credential, presentation,
/// delegation or trust list, and the verification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimeRefusal {
    /// The verification time (the clock the verifier read).
    pub now: Timestamp,
    /// For "not valid yet": the start of validity, after `now`.
    pub not_before: Option<Timestamp>,
    /// For "expired": the end of validity, at or before `now`.
    pub expired_at: Option<Timestamp>,
}

impl Error {
    /// The times involved when this is a refusal for time
    /// (`*_expired`, `*_not_yet_valid`, `presentation_from_future`).
    ///
    /// ```
    /// use vitale_verify::Error;
    /// use vitale_model::Timestamp;
    /// # fn main() -> Result<(), &'static str> {
    /// let now = Timestamp::from_unix(1_800_000_000).ok_or("time")?;
    /// let not_before = now.checked_add_secs(3600).ok_or("time")?;
    /// let e = Error::CredentialNotYetValid { not_before, now };
    /// assert_eq!(e.kind(), "credential_not_yet_valid");
    /// let times = e.time_refusal().ok_or("a refusal for time")?;
    /// assert_eq!(times.not_before, Some(not_before));
    /// assert!(e.to_string().contains(&not_before.to_rfc3339()));
    /// # Ok(()) }
    /// ```
    pub fn time_refusal(&self) -> Option<TimeRefusal> {
        let (now, not_before, expired_at) = match *self {
            Error::CredentialExpired { expired_at, now }
            | Error::PresentationExpired { expired_at, now }
            | Error::DelegationExpired { expired_at, now }
            | Error::TrustList(TrustListError::Expired { expired_at, now }) => {
                (now, None, Some(expired_at))
            }
            Error::CredentialNotYetValid { not_before, now }
            | Error::DelegationNotYetValid { not_before, now }
            | Error::TrustList(TrustListError::NotYetValid { not_before, now })
            | Error::PresentationFromFuture {
                issued_at: not_before,
                now,
            } => (now, Some(not_before), None),
            _ => return None,
        };
        Some(TimeRefusal {
            now,
            not_before,
            expired_at,
        })
    }
}
