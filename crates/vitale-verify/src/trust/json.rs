//! The JSON form: a JWS compact serialization (RFC 7515 §7.1) over a
//! UTF-8 JSON payload.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Deserializer, Serialize};
use vitale_codec::model::Timestamp;

use super::entry::Parsed;
use super::{
    IssuerKeyDraft, JWS_TYP, KeyMaterial, MAX_TRUST_LIST_JSON_BYTES, MAX_TRUST_LIST_KEYS,
    TRUST_LIST_VERSION, TrustAnchor, TrustListDraft,
};
use crate::{KeyUsage, Signature, SignatureBackend, TrustListError};

/// The only JWS algorithm accepted.
const ALG: &str = "ES256";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    alg: String,
    kid: String,
    typ: String,
}

/// Read first, alone, so that a later version is reported as such even if
/// its other fields differ.
#[derive(Deserialize)]
struct VersionOnly {
    version: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    version: u64,
    sequence: u64,
    issued_at: String,
    expires_at: String,
    keys: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    kid: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    spki: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    certificate: Option<String>,
    not_before: String,
    expires_at: String,
    usages: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    label: Option<String>,
}

/// An optional string that, when the member is present, must be a string
/// (`null` is refused: absent members are left out).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    String::deserialize(deserializer).map(Some)
}

/// The payload text of a draft, with the kid of each key.
pub(super) fn encode_payload(
    draft: &TrustListDraft,
    kids: &[[u8; 8]],
) -> Result<String, &'static str> {
    let keys = draft
        .keys
        .iter()
        .zip(kids)
        .map(|(key, kid)| {
            let (spki, certificate) = match &key.material {
                KeyMaterial::Spki(der) => (Some(STANDARD.encode(der)), None),
                KeyMaterial::Certificate(der) => (None, Some(STANDARD.encode(der))),
            };
            Entry {
                kid: hex(kid),
                spki,
                certificate,
                not_before: Timestamp::to_rfc3339(key.not_before),
                expires_at: Timestamp::to_rfc3339(key.expires_at),
                usages: key.usages.iter().map(|u| u.name().to_owned()).collect(),
                label: key.label.clone(),
            }
        })
        .collect();
    let list = List {
        version: TRUST_LIST_VERSION,
        sequence: draft.sequence,
        issued_at: Timestamp::to_rfc3339(draft.issued_at),
        expires_at: Timestamp::to_rfc3339(draft.expires_at),
        keys,
    };
    serde_json::to_string(&list).map_err(|_| "JSON serialization failed")
}

/// The JWS signing input of a payload: `BASE64URL(header) "."
/// BASE64URL(payload)`.
pub(super) fn signing_input(root_kid: [u8; 8], payload: &str) -> String {
    let header = header_json(&root_kid);
    let mut input = URL_SAFE_NO_PAD.encode(header);
    input.push('.');
    input.push_str(&URL_SAFE_NO_PAD.encode(payload));
    input
}

/// Appends the signature part to a signing input.
pub(super) fn complete(mut signing_input: String, signature: &[u8; 64]) -> String {
    signing_input.push('.');
    signing_input.push_str(&URL_SAFE_NO_PAD.encode(signature));
    signing_input
}

/// `{"alg":"ES256","kid":"<hex>","typ":"vitale-trust-list+json"}`.
fn header_json(root_kid: &[u8; 8]) -> String {
    format!(
        r#"{{"alg":"{ALG}","kid":"{}","typ":"{JWS_TYP}"}}"#,
        hex(root_kid)
    )
}

/// Checks the JWS and the root signature, then decodes the payload.
pub(super) fn load(
    text: &str,
    anchor: &TrustAnchor,
    backend: &dyn SignatureBackend,
) -> Result<Parsed, TrustListError> {
    if text.len() > MAX_TRUST_LIST_JSON_BYTES {
        return Err(TrustListError::TooLarge);
    }
    let mut parts = text.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TrustListError::Malformed);
    };
    let header: Header = serde_json::from_slice(json_object(&unbase64url(header_b64)?)?)
        .map_err(|_| TrustListError::Malformed)?;
    if header.alg != ALG || header.typ != JWS_TYP {
        return Err(TrustListError::Malformed);
    }
    if unhex8(&header.kid)? != anchor.kid() {
        return Err(TrustListError::BadRootSignature);
    }
    let signature = Signature::from_slice(&unbase64url(signature_b64)?)
        .map_err(|_| TrustListError::Malformed)?;
    // The signing input: the first two parts as received.
    let signing_input = text
        .get(..header_b64.len() + 1 + payload_b64.len())
        .ok_or(TrustListError::Malformed)?;
    backend
        .verify_es256(anchor.public_key(), signing_input.as_bytes(), &signature)
        .map_err(|_| TrustListError::BadRootSignature)?;
    let payload = unbase64url(payload_b64)?;
    let payload = json_object(&payload)?;
    let version: VersionOnly =
        serde_json::from_slice(payload).map_err(|_| TrustListError::Malformed)?;
    if version.version != TRUST_LIST_VERSION {
        return Err(TrustListError::UnsupportedVersion);
    }
    let list: List = serde_json::from_slice(payload).map_err(|_| TrustListError::Malformed)?;
    if list.keys.len() > MAX_TRUST_LIST_KEYS {
        return Err(TrustListError::TooLarge);
    }
    let entries = list
        .keys
        .into_iter()
        .map(decode_entry)
        .collect::<Result<_, _>>()?;
    Ok(Parsed {
        sequence: list.sequence,
        issued_at: time(&list.issued_at)?,
        expires_at: time(&list.expires_at)?,
        entries,
    })
}

/// A decoded JWS part that is one JSON object with nothing around it:
/// `serde_json` would skip white space before and after the value, which
/// `docs/trust-list.md` §3 forbids.
fn json_object(part: &[u8]) -> Result<&[u8], TrustListError> {
    match (part.first(), part.last()) {
        (Some(b'{'), Some(b'}')) => Ok(part),
        _ => Err(TrustListError::Malformed),
    }
}

fn decode_entry(entry: Entry) -> Result<([u8; 8], IssuerKeyDraft), TrustListError> {
    let kid = unhex8(&entry.kid)?;
    let material = match (entry.spki, entry.certificate) {
        (Some(spki), None) => KeyMaterial::Spki(unbase64(&spki)?),
        (None, Some(certificate)) => KeyMaterial::Certificate(unbase64(&certificate)?),
        _ => return Err(TrustListError::Malformed),
    };
    if entry.usages.len() > 3 {
        return Err(TrustListError::Malformed);
    }
    let usages = entry
        .usages
        .iter()
        .map(|name| usage_by_name(name))
        .collect::<Option<Vec<_>>>()
        .ok_or(TrustListError::Malformed)?;
    Ok((
        kid,
        IssuerKeyDraft {
            material,
            not_before: time(&entry.not_before)?,
            expires_at: time(&entry.expires_at)?,
            usages,
            label: entry.label,
        },
    ))
}

pub(super) fn usage_by_name(name: &str) -> Option<KeyUsage> {
    (1..=3)
        .filter_map(KeyUsage::from_code)
        .find(|usage| usage.name() == name)
}

fn time(text: &str) -> Result<Timestamp, TrustListError> {
    Timestamp::parse_rfc3339(text).ok_or(TrustListError::Malformed)
}

fn unbase64url(part: &str) -> Result<Vec<u8>, TrustListError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TrustListError::Malformed)
}

fn unbase64(text: &str) -> Result<Vec<u8>, TrustListError> {
    STANDARD.decode(text).map_err(|_| TrustListError::Malformed)
}

/// Lower-case hex of a kid.
pub(super) fn hex(bytes: &[u8; 8]) -> String {
    vitale_codec::hex::encode(bytes)
}

/// A kid from exactly 16 lower-case hex digits.
pub(super) fn unhex8(text: &str) -> Result<[u8; 8], TrustListError> {
    vitale_codec::hex::decode(text)
        .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
        .ok_or(TrustListError::Malformed)
}
