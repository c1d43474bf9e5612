//! QR codes in images and frames (being written).

/// Failures of this reader (placeholder: filled by the work in progress).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// Placeholder.
    #[error("not available")]
    Unavailable,
}
