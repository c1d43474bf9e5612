//! QR text forms `VT1:` (Base45) and `VT1B:` (base64url).

/// Failures of this layer (placeholder: filled by the work in progress).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// Input larger than the limit of this layer.
    #[error("input of {0} bytes exceeds the limit")]
    TooLarge(usize),
}
