//! Issuer-signed structures as received: credentials and delegations.

use crate::cose::{KID_LEN, ParseMode, Sign1};
use crate::limits::{MAX_CREDENTIAL_BYTES, MAX_DELEGATION_BYTES};
use crate::model::{Credential, Delegation};

/// A payload that an issuer key signs: it names its size limit and how it
/// is decoded.
pub trait IssuerPayload: Sized {
    /// Largest envelope accepted, in bytes.
    const MAX_ENVELOPE_BYTES: usize;
    /// Decodes the payload (strict deterministic CBOR).
    fn from_payload(bytes: &[u8]) -> Result<Self, crate::Error>;
}

impl IssuerPayload for Credential {
    const MAX_ENVELOPE_BYTES: usize = MAX_CREDENTIAL_BYTES;
    fn from_payload(bytes: &[u8]) -> Result<Self, crate::Error> {
        Credential::from_payload(bytes)
    }
}

impl IssuerPayload for Delegation {
    const MAX_ENVELOPE_BYTES: usize = MAX_DELEGATION_BYTES;
    fn from_payload(bytes: &[u8]) -> Result<Self, crate::Error> {
        Delegation::from_payload(bytes)
    }
}

/// An issuer-signed structure as received: its envelope (its exact bytes,
/// and a signature still to be checked), the issuer key's identifier and
/// the decoded content. Not verified.
#[derive(Clone, PartialEq, Debug)]
pub struct IssuerSigned<T> {
    envelope: Sign1,
    kid: [u8; KID_LEN],
    content: T,
}

/// A credential as received ([`IssuerSigned`] of a [`Credential`]).
pub type SignedCredential = IssuerSigned<Credential>;

/// A delegation as received ([`IssuerSigned`] of a [`Delegation`]).
pub type SignedDelegation = IssuerSigned<Delegation>;

impl<T: IssuerPayload> IssuerSigned<T> {
    /// Decodes a tagged, issuer-signed COSE_Sign1 within `T`'s size limit;
    /// its protected header must carry an 8-byte `kid`.
    pub fn decode(bytes: &[u8]) -> Result<Self, crate::Error> {
        Self::decode_owned(bytes.to_vec())
    }

    /// As [`IssuerSigned::decode`], keeping `bytes` without copying them
    /// (an envelope embedded in a presentation is already a vector of its
    /// own once the presentation is decoded).
    pub(crate) fn decode_owned(bytes: Vec<u8>) -> Result<Self, crate::Error> {
        let envelope = Sign1::decode_owned(bytes, T::MAX_ENVELOPE_BYTES, ParseMode::OpenProfile)?;
        let kid = envelope.protected_kid()?;
        let content = T::from_payload(envelope.payload())?;
        Ok(IssuerSigned {
            envelope,
            kid,
            content,
        })
    }
}

impl<T> IssuerSigned<T> {
    /// The exact bytes received.
    pub fn as_bytes(&self) -> &[u8] {
        self.envelope.as_bytes()
    }

    /// The envelope, whose issuer signature is still to be checked.
    pub fn envelope(&self) -> &Sign1 {
        &self.envelope
    }

    /// The issuer key's identifier.
    pub fn kid(&self) -> &[u8; KID_LEN] {
        &self.kid
    }

    /// The decoded content.
    pub fn content(&self) -> &T {
        &self.content
    }

    /// The decoded content, moved out (no copy).
    pub fn into_content(self) -> T {
        self.content
    }
}

impl IssuerSigned<Credential> {
    /// The decoded credential.
    pub fn credential(&self) -> &Credential {
        &self.content
    }
}

impl IssuerSigned<Delegation> {
    /// The decoded delegation.
    pub fn delegation(&self) -> &Delegation {
        &self.content
    }
}
