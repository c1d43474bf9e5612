//! The crate's error type, made of one sub-kind per layer.

pub use crate::apdu::ApduError;
pub use crate::cbor::CborError;
pub use crate::cose::CoseError;
pub use crate::model::ModelError;
pub use crate::text::TextError;

/// Every way decoding or encoding can fail in this crate.
///
/// Each layer has its own sub-kind so a caller can tell, for instance, a
/// QR text that is not Base45 ([`Error::Text`]) from a well-formed envelope
/// signed with another algorithm ([`Error::Cose`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text form (`VT1:` / `VT1B:`, Base45, base64url) is invalid.
    #[error("text form: {0}")]
    Text(#[from] TextError),
    /// The bytes are not strict deterministic CBOR.
    #[error("CBOR: {0}")]
    Cbor(#[from] CborError),
    /// The COSE_Sign1 envelope is invalid or not acceptable.
    #[error("COSE: {0}")]
    Cose(#[from] CoseError),
    /// The CBOR is well formed but does not match the data model.
    #[error("data model: {0}")]
    Model(#[from] ModelError),
    /// An APDU is malformed or a response chain is invalid.
    #[error("APDU: {0}")]
    Apdu(#[from] ApduError),
    /// A text is neither an `open`-profile text nor a valid token text.
    #[error("token text: {0}")]
    Token(#[from] crate::token::TokenTextError),
}

impl Error {
    /// The error at the root of this one: for a failure inside a
    /// presentation's embedded credential or delegation
    /// ([`ModelError::Embedded`]), the embedded structure's own error;
    /// otherwise `self`. Lets a caller classify the cause (an unsupported
    /// algorithm, a size limit, a version) wherever it occurred.
    pub fn innermost(&self) -> &Error {
        let mut error = self;
        // Each step goes one embedding deeper; the data model embeds at
        // most one level (credentials and delegations embed nothing).
        while let Error::Model(ModelError::Embedded { source, .. }) = error {
            error = source;
        }
        error
    }
}
