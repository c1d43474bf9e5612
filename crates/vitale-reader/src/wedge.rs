//! Keyboard-wedge scanners (being written).

/// Failures of this reader (placeholder: filled by the work in progress).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WedgeError {
    /// Placeholder.
    #[error("not available")]
    Unavailable,
}
