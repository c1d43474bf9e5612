//! The reference protocol's JSON bodies (`docs/online.md`), for clients
//! and for servers that implement it (the simulator does).
//!
//! Every parser bounds its input first ([`MAX_BODY_BYTES`]) and reports a
//! failure as [`HttpError::MalformedAnswer`] with a reason that names the
//! field, never its value. Unknown members are ignored, so that a service
//! can add fields; the card's data uses the shared model's JSON shape
//! (`docs/json.md`) and its validation.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use vitale_adri::{ProfessionalIdentity, Rights, RightsQuery};
use vitale_codec::model::Channel;
use vitale_ins::Nir;
use vitale_model::{Beneficiaries, Insured, Timestamp};
use vitale_verify::token::{Context, ContextId};

use crate::HttpError;
use crate::error::ServiceCode;

/// The header that carries an idempotency key (`docs/online.md` §5).
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// Largest request or answer body the protocol's parsers read (64 KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Largest signature a service may return, in bytes.
pub const MAX_SIGNATURE_BYTES: usize = 1024;

/// Longest message of an error body, in characters.
pub const MAX_ERROR_MESSAGE_CHARS: usize = 512;

const fn malformed(reason: &'static str) -> HttpError {
    HttpError::MalformedAnswer { reason }
}

/// A channel's name on the wire: `"qr"` or `"nfc"`.
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Nfc => "nfc",
        Channel::Qr => "qr",
        _ => "unknown",
    }
}

/// A channel from its wire name.
pub fn parse_channel(name: &str) -> Option<Channel> {
    match name {
        "qr" => Some(Channel::Qr),
        "nfc" => Some(Channel::Nfc),
        _ => None,
    }
}

/// `POST /v1/contexts` body.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct OpenRequest {
    /// The token, verbatim.
    pub token: String,
    /// `"qr"` or `"nfc"`.
    pub channel: String,
    /// The professional (*professionnel de santé*), JSON shape of
    /// `docs/rights.md` §5.
    pub professional: ProfessionalIdentity,
}

impl OpenRequest {
    /// Parses and checks a body (a server's side).
    pub fn parse(bytes: &[u8]) -> Result<Self, HttpError> {
        let request: OpenRequest = json(bytes, "open request")?;
        parse_channel(&request.channel).ok_or(malformed("channel"))?;
        Ok(request)
    }
}

/// `POST /v1/rights` body: the query of `docs/rights.md` §2 and the
/// professional asking.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct RightsRequest {
    /// The professional (*professionnel de santé*).
    pub professional: ProfessionalIdentity,
    /// Whose rights, on which day.
    pub query: RightsQuery,
}

impl RightsRequest {
    /// Parses and checks a body (a server's side).
    pub fn parse(bytes: &[u8]) -> Result<Self, HttpError> {
        json(bytes, "rights request")
    }
}

/// Parses a rights answer (`docs/rights.md` §5) with the rights model's
/// own bounded reader ([`Rights::from_json`], 64 KiB).
pub fn parse_rights(bytes: &[u8]) -> Result<Rights, HttpError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(HttpError::TooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    Rights::from_json(bytes).map_err(|_| malformed("rights"))
}

/// `POST /v1/contexts/{id}/signatures` body.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SignRequest {
    /// The insured person (*ouvrant droit*) of the care sheet.
    pub insured_nir: Nir,
    /// The SHA-256 of the care sheet, 64 lower-case hex digits.
    pub digest: String,
}

impl SignRequest {
    /// A request for a digest.
    pub fn new(insured_nir: Nir, digest: &[u8; 32]) -> Self {
        SignRequest {
            insured_nir,
            digest: vitale_codec::hex::encode(digest),
        }
    }

    /// Parses and checks a body (a server's side).
    pub fn parse(bytes: &[u8]) -> Result<Self, HttpError> {
        let request: SignRequest = json(bytes, "sign request")?;
        request.digest_bytes()?;
        Ok(request)
    }

    /// The digest's 32 bytes.
    pub fn digest_bytes(&self) -> Result<[u8; 32], HttpError> {
        if self.digest.len() != 64 || self.digest.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(malformed("digest"));
        }
        vitale_codec::hex::decode(&self.digest)
            .and_then(|v| <[u8; 32]>::try_from(v).ok())
            .ok_or(malformed("digest"))
    }
}

/// Answer of a signature: `{"signature": base64url}`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SignAnswer {
    /// The signature, base64url without padding.
    pub signature: String,
}

impl SignAnswer {
    /// An answer for signature bytes.
    pub fn new(signature: &[u8]) -> Self {
        SignAnswer {
            signature: URL_SAFE_NO_PAD.encode(signature),
        }
    }

    /// Parses an answer into the signature bytes (1 to
    /// [`MAX_SIGNATURE_BYTES`]).
    pub fn parse(bytes: &[u8]) -> Result<Vec<u8>, HttpError> {
        let answer: SignAnswer = json(bytes, "signature answer")?;
        if answer.signature.len() > MAX_SIGNATURE_BYTES * 4 / 3 + 4 {
            return Err(malformed("signature"));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(answer.signature.as_bytes())
            .map_err(|_| malformed("signature"))?;
        if signature.is_empty() || signature.len() > MAX_SIGNATURE_BYTES {
            return Err(malformed("signature"));
        }
        Ok(signature)
    }
}

/// A context on the wire (`docs/online.md` §3.1).
#[derive(Serialize, Deserialize)]
struct ContextJson {
    id: String,
    valid_until: Timestamp,
    channel: String,
    insured: Insured,
    beneficiaries: Beneficiaries,
}

/// A context as JSON (a server's side).
pub fn context_json(context: &Context) -> Vec<u8> {
    let wire = ContextJson {
        id: context.id.as_str().to_owned(),
        valid_until: context.valid_until,
        channel: channel_name(context.channel).to_owned(),
        insured: context.insured.clone(),
        beneficiaries: context.beneficiaries.clone(),
    };
    serde_json::to_vec(&wire).unwrap_or_default()
}

/// Parses a context answer: at most [`MAX_BODY_BYTES`], a valid
/// [`ContextId`], an RFC 3339 end of validity, a known channel, and the
/// card's data as the shared model validates it.
pub fn parse_context(bytes: &[u8]) -> Result<Context, HttpError> {
    let wire: ContextJson = json(bytes, "context")?;
    let id = ContextId::new(&wire.id).ok_or(malformed("context id"))?;
    let channel = parse_channel(&wire.channel).ok_or(malformed("channel"))?;
    Ok(Context::new(
        id,
        wire.valid_until,
        channel,
        wire.insured,
        wire.beneficiaries,
    ))
}

#[derive(Serialize, Deserialize)]
struct ErrorJson {
    error: ErrorDetail,
}

#[derive(Serialize, Deserialize)]
struct ErrorDetail {
    code: String,
    #[serde(default)]
    message: String,
}

/// An error body `{"error": {"code", "message"}}` (a server's side); the
/// message is cut to [`MAX_ERROR_MESSAGE_CHARS`].
pub fn error_body(code: &ServiceCode, message: &str) -> Vec<u8> {
    let body = ErrorJson {
        error: ErrorDetail {
            code: code.as_str().to_owned(),
            message: message.chars().take(MAX_ERROR_MESSAGE_CHARS).collect(),
        },
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

/// The code of an error body, when the body is one.
pub fn parse_error_body(bytes: &[u8]) -> Option<ServiceCode> {
    let body: ErrorJson = json(bytes, "error body").ok()?;
    ServiceCode::new(&body.error.code)
}

/// A bounded JSON parse.
fn json<'a, T: Deserialize<'a>>(bytes: &'a [u8], what: &'static str) -> Result<T, HttpError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(HttpError::TooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    serde_json::from_slice(bytes).map_err(|_| malformed(what))
}

/// A fresh idempotency key: 32 lower-case hex digits from the operating
/// system's random source, or `None` when it fails.
pub(crate) fn idempotency_key() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(vitale_codec::hex::encode(&bytes))
}

/// Whether a text is a valid idempotency key: 16 to 64 characters among
/// `A-Z a-z 0-9 - _` (a server's side).
pub fn is_idempotency_key(text: &str) -> bool {
    (16..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A number in `[0, 1]` for backoff jitter (1 when no random byte can be
/// drawn, the longest backoff).
pub(crate) fn random_unit() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_be_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 1.0,
    }
}

#[cfg(test)]
mod tests;
