//! The presentation, made by the phone for each QR display or NFC tap.

use crate::cbor::{self, Value};
use crate::cose::{CoseError, ParseMode, Sign1};
use crate::limits::MAX_PRESENTATION_BYTES;
use crate::model::fields::{Fields, map, read_payload};
use crate::model::{
    MAX_PRESENTATION_LIFETIME_SECS, ModelError, Nonce, ReaderChallenge, SignedCredential,
    SignedDelegation, Timestamp, VERSION,
};

/// How the presentation reached the workstation. The phone signs it, so a
/// QR presentation cannot be passed off as an NFC one or the reverse.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Channel {
    /// Shown as a QR code (no reader challenge; external AAD empty).
    Qr,
    /// Answered to an NFC reader (the reader's challenge is the external AAD).
    Nfc,
}

impl Channel {
    fn code(self) -> u64 {
        match self {
            Channel::Qr => 1,
            Channel::Nfc => 2,
        }
    }

    fn from_code(code: u64) -> Option<Self> {
        match code {
            1 => Some(Channel::Qr),
            2 => Some(Channel::Nfc),
            _ => None,
        }
    }
}

/// The channel a presentation is made for, with what binds it there: a QR
/// presentation stands alone; an NFC one answers one reader challenge.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum ChannelBinding {
    /// Shown as a QR code.
    Qr,
    /// Answered to the NFC reader that sent this challenge.
    Nfc(ReaderChallenge),
}

impl ChannelBinding {
    /// The channel.
    pub fn channel(&self) -> Channel {
        match self {
            ChannelBinding::Qr => Channel::Qr,
            ChannelBinding::Nfc(_) => Channel::Nfc,
        }
    }

    /// The COSE external AAD the device signature covers: empty for QR, the
    /// challenge for NFC.
    pub fn external_aad(&self) -> &[u8] {
        match self {
            ChannelBinding::Qr => &[],
            ChannelBinding::Nfc(c) => c.as_bytes(),
        }
    }
}

/// What the phone signs for one display or tap: the credential, a fresh
/// nonce, a short time window, the channel and, for a delegate's phone, the
/// delegation.
#[derive(Clone, PartialEq, Debug)]
pub struct Presentation {
    credential: SignedCredential,
    nonce: Nonce,
    issued_at: Timestamp,
    expires_at: Timestamp,
    binding: ChannelBinding,
    delegation: Option<SignedDelegation>,
}

impl Presentation {
    /// A presentation; fails unless `issued_at < expires_at <= issued_at +
    /// 180 s` ([`MAX_PRESENTATION_LIFETIME_SECS`]).
    ///
    /// # Errors
    /// [`ModelError::TimeWindow`] when `expires_at <= issued_at`;
    /// [`ModelError::PresentationLifetime`] when it lives longer than
    /// 180 s.
    pub fn new(
        credential: SignedCredential,
        nonce: Nonce,
        issued_at: Timestamp,
        expires_at: Timestamp,
        binding: ChannelBinding,
        delegation: Option<SignedDelegation>,
    ) -> Result<Self, ModelError> {
        check_lifetime(issued_at, expires_at)?;
        Ok(Presentation {
            credential,
            nonce,
            issued_at,
            expires_at,
            binding,
            delegation,
        })
    }

    /// The embedded credential.
    pub fn credential(&self) -> &SignedCredential {
        &self.credential
    }

    /// The embedded credential, moved out (no copy).
    pub fn into_credential(self) -> SignedCredential {
        self.credential
    }

    /// The phone's nonce.
    pub fn nonce(&self) -> &Nonce {
        &self.nonce
    }

    /// When the phone made it.
    pub fn issued_at(&self) -> Timestamp {
        self.issued_at
    }

    /// When it stops being acceptable.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// QR or NFC.
    pub fn channel(&self) -> Channel {
        self.binding.channel()
    }

    /// The channel with its binding (the NFC challenge).
    pub fn binding(&self) -> &ChannelBinding {
        &self.binding
    }

    /// The delegation, when a delegate's phone made it.
    pub fn delegation(&self) -> Option<&SignedDelegation> {
        self.delegation.as_ref()
    }

    /// The deterministic CBOR payload to be signed by the device key.
    pub fn to_payload(&self) -> Result<Vec<u8>, crate::Error> {
        let value = map([
            (1, Some(Value::from(VERSION))),
            (2, Some(Value::Bytes(self.credential.as_bytes().to_vec()))),
            (3, Some(Value::Bytes(self.nonce.as_bytes().to_vec()))),
            (4, Some(Value::from(self.issued_at.unix()))),
            (5, Some(Value::from(self.expires_at.unix()))),
            (6, Some(Value::from(self.channel().code()))),
            (
                7,
                self.delegation
                    .as_ref()
                    .map(|d| Value::Bytes(d.as_bytes().to_vec())),
            ),
            (
                8,
                match &self.binding {
                    ChannelBinding::Nfc(c) => Some(Value::Bytes(c.as_bytes().to_vec())),
                    ChannelBinding::Qr => None,
                },
            ),
        ]);
        Ok(cbor::encode(&value)?)
    }

    /// Decodes a presentation payload (strict deterministic CBOR), with the
    /// embedded credential and delegation envelopes.
    pub fn from_payload(bytes: &[u8]) -> Result<Self, crate::Error> {
        read_payload(bytes, MAX_PRESENTATION_BYTES, |root| {
            let mut f = Fields::new("presentation", root)?;
            f.version()?;
            let credential_bytes = f.bytes(2)?;
            let nonce = Nonce::from_bytes(f.fixed_bytes::<16>(3)?);
            let issued_at = f.timestamp(4)?;
            let expires_at = f.timestamp(5)?;
            let channel =
                Channel::from_code(f.uint(6)?).ok_or_else(|| f.invalid(6, "unknown channel"))?;
            let delegation_bytes = match f.optional(7) {
                None => None,
                Some(item) => Some(item.as_bytes().ok_or_else(|| f.wrong_type(7, "bstr"))?),
            };
            let binding = match (channel, f.optional(8)) {
                (Channel::Qr, None) => ChannelBinding::Qr,
                (Channel::Nfc, Some(item)) => {
                    let b = item.as_bytes().ok_or_else(|| f.wrong_type(8, "bstr"))?;
                    ChannelBinding::Nfc(
                        ReaderChallenge::new(b)
                            .ok_or_else(|| f.invalid(8, "challenge of 16 to 32 bytes"))?,
                    )
                }
                (Channel::Nfc, None) => {
                    return Err(f.invalid(8, "NFC needs the reader challenge").into());
                }
                (Channel::Qr, Some(_)) => return Err(f.invalid(8, "no challenge on QR").into()),
            };
            f.finish()?;
            // The presentation's own fields first, then what it embeds.
            check_lifetime(issued_at, expires_at)?;
            let credential = SignedCredential::decode_owned(credential_bytes.to_vec())
                .map_err(|e| embedded("credential", e))?;
            let delegation = delegation_bytes
                .map(|b| {
                    SignedDelegation::decode_owned(b.to_vec())
                        .map_err(|e| embedded("delegation", e))
                })
                .transpose()?;
            Ok(Self::new(
                credential, nonce, issued_at, expires_at, binding, delegation,
            )?)
        })
    }
}

/// `issued_at < expires_at <= issued_at + 180 s`.
fn check_lifetime(issued_at: Timestamp, expires_at: Timestamp) -> Result<(), ModelError> {
    if expires_at <= issued_at {
        return Err(ModelError::TimeWindow("presentation"));
    }
    let secs = expires_at.unix().saturating_sub(issued_at.unix());
    if secs > MAX_PRESENTATION_LIFETIME_SECS {
        return Err(ModelError::PresentationLifetime { secs });
    }
    Ok(())
}

fn embedded(structure: &'static str, source: crate::Error) -> ModelError {
    ModelError::Embedded {
        structure,
        source: Box::new(source),
    }
}

/// A presentation as received: its device-signed envelope and its decoded
/// content. Not verified: `vitale-verify` turns it into a verified card.
#[derive(Clone, PartialEq, Debug)]
pub struct SignedPresentation {
    envelope: Sign1,
    presentation: Presentation,
}

impl SignedPresentation {
    /// Decodes a tagged, device-signed COSE_Sign1 of at most
    /// [`MAX_PRESENTATION_BYTES`], with everything it embeds. Its protected
    /// header must be exactly `{1: -7}`: a `kid` is refused
    /// ([`CoseError::UnexpectedHeader`]), since the device key comes from
    /// the credential or the delegation.
    pub fn decode(bytes: &[u8]) -> Result<Self, crate::Error> {
        let envelope = Sign1::decode(bytes, MAX_PRESENTATION_BYTES, ParseMode::OpenProfile)?;
        Self::from_envelope(envelope)
    }

    /// As [`SignedPresentation::decode`], keeping `bytes` instead of
    /// copying them (the bytes a text form or an NFC answer decoded to).
    pub fn decode_owned(bytes: Vec<u8>) -> Result<Self, crate::Error> {
        let envelope = Sign1::decode_owned(bytes, MAX_PRESENTATION_BYTES, ParseMode::OpenProfile)?;
        Self::from_envelope(envelope)
    }

    fn from_envelope(envelope: Sign1) -> Result<Self, crate::Error> {
        if envelope.protected_has_kid() {
            return Err(CoseError::UnexpectedHeader("4".to_owned()).into());
        }
        let presentation = Presentation::from_payload(envelope.payload())?;
        Ok(SignedPresentation {
            envelope,
            presentation,
        })
    }

    /// Decodes a text form (`VT1:` or `VT1B:`), then the presentation.
    pub fn from_text(text: &str) -> Result<Self, crate::Error> {
        let bytes = crate::text::decode_text(text)?;
        Self::decode(&bytes)
    }

    /// The envelope, whose device signature is still to be checked.
    pub fn envelope(&self) -> &Sign1 {
        &self.envelope
    }

    /// The decoded content.
    pub fn presentation(&self) -> &Presentation {
        &self.presentation
    }

    /// The decoded content, moved out (no copy).
    pub fn into_presentation(self) -> Presentation {
        self.presentation
    }
}
