//! The crate's error type, made of one sub-kind per reader.

#[cfg(feature = "pcsc")]
use crate::nfc_session::NfcError;
use crate::qr::QrError;
#[cfg(feature = "serial")]
use crate::serial::SerialError;
use crate::wedge::WedgeError;

/// Everything a reader can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Image loading or QR decoding failed.
    #[error("QR: {0}")]
    Qr(#[from] QrError),
    /// A frame source (camera, frame files) failed.
    #[error("frame source: {0}")]
    Source(#[from] crate::camera::SourceError),
    /// A keyboard-wedge line could not be assembled or repaired.
    #[error("scanner: {0}")]
    Wedge(#[from] WedgeError),
    /// The serial port failed.
    #[cfg(feature = "serial")]
    #[error("serial port: {0}")]
    Serial(#[from] SerialError),
    /// An NFC (PC/SC) read failed.
    #[cfg(feature = "pcsc")]
    #[error("NFC: {0}")]
    Nfc(#[from] NfcError),
}
