//! ISO/IEC 7816-4 APDU framing.

/// Failures of this layer (placeholder: filled by the work in progress).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduError {
    /// Input larger than the limit of this layer.
    #[error("input of {0} bytes exceeds the limit")]
    TooLarge(usize),
}
