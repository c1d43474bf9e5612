//! [`NfcError`]: why an NFC read failed.

use vitale_codec::apdu::{ApduError, StatusWord};

/// Why an NFC read failed, typed so that the UI can tell the patient what
/// to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NfcError {
    /// The PC/SC service is not running (`SCARD_E_NO_SERVICE`): start
    /// `pcscd` (Linux) or the "Smart Card" service (Windows).
    #[error("PC/SC service not running")]
    NoService,
    /// No smart-card reader is connected.
    #[error("no NFC reader connected")]
    NoReader,
    /// No connected reader matches the requested name.
    #[error("NFC reader {0:?} not found")]
    ReaderNotFound(String),
    /// No phone was presented before the timeout.
    #[error("no phone presented before the timeout")]
    Timeout,
    /// The caller cancelled the read.
    #[error("cancelled")]
    Cancelled,
    /// The phone left the reader's field during the read; the next read
    /// starts over.
    #[error("the phone was removed during the read")]
    CardRemoved,
    /// The patient declined to present the card (`69 85`).
    #[error("the patient declined")]
    Declined,
    /// The phone has no carte Vitale app (`6A 82` to SELECT).
    #[error("no carte Vitale app on this phone")]
    NoApp,
    /// The app stayed locked (`69 82`) until the timeout: the patient did
    /// not unlock it.
    #[error("the carte Vitale app stayed locked until the timeout")]
    AppStillLocked,
    /// The phone answered something the protocol does not allow: a
    /// malformed answer, an unexpected status word, a chain that is too
    /// long or stalls.
    #[error("protocol error: {0}")]
    Protocol(#[from] vitale_codec::Error),
    /// The system's random generator failed (the reader challenge could
    /// not be drawn).
    #[error("random generator failed: {0}")]
    Random(String),
    /// The card transport failed (a [`TransportError::Failed`] from the
    /// [`crate::nfc_session::CardTransport`]); the source is the transport's
    /// own error.
    #[error("card transport failed")]
    Transport(#[source] std::sync::Arc<dyn std::error::Error + Send + Sync>),
    /// Any other PC/SC failure, with the C call that failed.
    #[cfg(feature = "pcsc")]
    #[error("PC/SC {call}: {source}")]
    Pcsc {
        /// The PC/SC function that failed (`SCardTransmit`, …).
        call: &'static str,
        /// The PC/SC error code.
        #[source]
        source: pcsc::Error,
    },
}

impl NfcError {
    /// The card's status word, for a [`NfcError::Protocol`] error caused by
    /// an unexpected one.
    #[must_use]
    pub const fn card_status(&self) -> Option<StatusWord> {
        match self {
            Self::Protocol(vitale_codec::Error::Apdu(ApduError::CardStatus(status))) => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// A stable snake_case code, for logs, JSON and vendors' messages.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::NoService => "no_service",
            Self::NoReader => "no_reader",
            Self::ReaderNotFound(_) => "reader_not_found",
            Self::Timeout => "timeout",
            Self::Cancelled => "cancelled",
            Self::CardRemoved => "card_removed",
            Self::Declined => "declined",
            Self::NoApp => "no_app",
            Self::AppStillLocked => "app_still_locked",
            Self::Protocol(_) => "protocol",
            Self::Random(_) => "random",
            Self::Transport(_) => "transport",
            #[cfg(feature = "pcsc")]
            Self::Pcsc { .. } => "pcsc",
        }
    }
}

impl From<ApduError> for NfcError {
    fn from(error: ApduError) -> Self {
        Self::Protocol(error.into())
    }
}

/// Why a [`crate::nfc_session::CardTransport`] could not exchange an APDU:
/// the trait's own error, so that a transport (PC/SC, a test double, a
/// vendor's own reader API) need not know the session's. Two errors are
/// equal when they are the same variant (sources are not compared).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The card (the phone) left the field.
    #[error("card removed")]
    CardRemoved,
    /// The transport failed; the source is the transport's own error.
    #[error("card transport failed")]
    Failed(#[source] std::sync::Arc<dyn std::error::Error + Send + Sync>),
}

impl TransportError {
    /// [`TransportError::Failed`] with the transport's error as its source.
    pub fn failed(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        TransportError::Failed(std::sync::Arc::new(source))
    }
}

impl PartialEq for TransportError {
    fn eq(&self, other: &Self) -> bool {
        core::mem::discriminant(self) == core::mem::discriminant(other)
    }
}

impl Eq for TransportError {}

impl From<TransportError> for NfcError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::CardRemoved => NfcError::CardRemoved,
            TransportError::Failed(source) => NfcError::Transport(source),
        }
    }
}
