//! Strict deterministic CBOR (RFC 8949 §4.2).

/// Failures of this layer (placeholder: filled by the work in progress).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CborError {
    /// Input larger than the limit of this layer.
    #[error("input of {0} bytes exceeds the limit")]
    TooLarge(usize),
}
