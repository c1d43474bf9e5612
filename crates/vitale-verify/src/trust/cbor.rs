//! The CBOR form: a tagged COSE_Sign1 over a deterministic CBOR payload.

use vitale_codec::cbor::{self, CborError, Value};
use vitale_codec::cose::{COSE_SIGN1_TAG, ParseMode, Sign1};
use vitale_codec::limits::MAX_CBOR_DEPTH;
use vitale_codec::model::Timestamp;

use super::entry::Parsed;
use super::{
    IssuerKeyDraft, KeyMaterial, MAX_TRUST_LIST_BYTES, MAX_TRUST_LIST_KEYS, TRUST_LIST_VERSION,
    TrustAnchor, TrustListDraft,
};
use crate::{KeyUsage, Signature, SignatureBackend, TrustListError};

/// The payload of a draft, with the kid of each key.
pub(super) fn encode_payload(
    draft: &TrustListDraft,
    kids: &[[u8; 8]],
) -> Result<Vec<u8>, vitale_codec::Error> {
    let keys = draft
        .keys
        .iter()
        .zip(kids)
        .map(|(key, kid)| encode_entry(key, kid))
        .collect();
    let list = Value::Map(vec![
        (Value::from(1), Value::from(TRUST_LIST_VERSION)),
        (Value::from(2), Value::from(draft.sequence)),
        (Value::from(3), Value::from(draft.issued_at.unix())),
        (Value::from(4), Value::from(draft.expires_at.unix())),
        (Value::from(5), Value::Array(keys)),
    ]);
    Ok(cbor::encode(&list)?)
}

fn encode_entry(key: &IssuerKeyDraft, kid: &[u8; 8]) -> Value {
    let mut entries = vec![(Value::from(1), Value::Bytes(kid.to_vec()))];
    entries.push(match &key.material {
        KeyMaterial::Spki(der) => (Value::from(2), Value::Bytes(der.clone())),
        KeyMaterial::Certificate(der) => (Value::from(3), Value::Bytes(der.clone())),
    });
    entries.push((Value::from(4), Value::from(key.not_before.unix())));
    entries.push((Value::from(5), Value::from(key.expires_at.unix())));
    let usages = key.usages.iter().map(|u| Value::from(u.code())).collect();
    entries.push((Value::from(6), Value::Array(usages)));
    if let Some(label) = &key.label {
        entries.push((Value::from(7), Value::Text(label.clone())));
    }
    Value::Map(entries)
}

/// Checks the envelope and the root signature, then decodes the payload.
pub(super) fn load(
    bytes: &[u8],
    anchor: &TrustAnchor,
    backend: &dyn SignatureBackend,
) -> Result<Parsed, TrustListError> {
    if bytes.len() > MAX_TRUST_LIST_BYTES {
        return Err(TrustListError::TooLarge);
    }
    let envelope = Sign1::decode(bytes, MAX_TRUST_LIST_BYTES, ParseMode::OpenProfile)
        .map_err(|_| TrustListError::Malformed)?;
    let kid = envelope
        .protected_kid()
        .map_err(|_| TrustListError::Malformed)?;
    // Exactly `18([{1: -7, 4: kid}, {}, payload, signature])`: no other
    // header, protected or not. Deterministic CBOR has one encoding, so
    // rebuilding the envelope and comparing bytes checks all of it.
    let rebuilt = cbor::encode(&Value::Tag(
        COSE_SIGN1_TAG,
        Box::new(Value::Array(vec![
            Value::Bytes(protected_header(&kid)?),
            Value::Map(Vec::new()),
            Value::Bytes(envelope.payload().to_vec()),
            Value::Bytes(envelope.signature().to_vec()),
        ])),
    ))
    .map_err(|_| TrustListError::Malformed)?;
    if rebuilt != bytes {
        return Err(TrustListError::Malformed);
    }
    if kid != anchor.kid() {
        return Err(TrustListError::BadRootSignature);
    }
    let to_be_signed = envelope
        .to_be_signed(&[])
        .map_err(|_| TrustListError::Malformed)?;
    backend
        .verify_es256(
            anchor.public_key(),
            &to_be_signed,
            &Signature::from_bytes(envelope.signature()),
        )
        .map_err(|_| TrustListError::BadRootSignature)?;
    let payload = cbor::decode(envelope.payload(), MAX_TRUST_LIST_BYTES, MAX_CBOR_DEPTH).map_err(
        |e| match e {
            CborError::TooLarge { .. } => TrustListError::TooLarge,
            _ => TrustListError::Malformed,
        },
    )?;
    decode_list(payload)
}

fn protected_header(kid: &[u8; 8]) -> Result<Vec<u8>, TrustListError> {
    cbor::encode(&Value::Map(vec![
        (Value::from(1), Value::from(-7)),
        (Value::from(4), Value::Bytes(kid.to_vec())),
    ]))
    .map_err(|_| TrustListError::Malformed)
}

fn decode_list(value: Value) -> Result<Parsed, TrustListError> {
    let mut f = Fields::new(value)?;
    // The version first: a later version may change everything else.
    if f.uint(1)? != TRUST_LIST_VERSION {
        return Err(TrustListError::UnsupportedVersion);
    }
    let sequence = f.uint(2)?;
    let issued_at = f.timestamp(3)?;
    let expires_at = f.timestamp(4)?;
    let Value::Array(items) = f.required(5)? else {
        return Err(TrustListError::Malformed);
    };
    f.finish()?;
    if items.len() > MAX_TRUST_LIST_KEYS {
        return Err(TrustListError::TooLarge);
    }
    let entries = items
        .into_iter()
        .map(decode_entry)
        .collect::<Result<_, _>>()?;
    Ok(Parsed {
        sequence,
        issued_at,
        expires_at,
        entries,
    })
}

fn decode_entry(value: Value) -> Result<([u8; 8], IssuerKeyDraft), TrustListError> {
    let mut f = Fields::new(value)?;
    let kid = <[u8; 8]>::try_from(f.bytes(1)?.as_slice()).map_err(|_| TrustListError::Malformed)?;
    let material = match (f.optional(2), f.optional(3)) {
        (Some(Value::Bytes(spki)), None) => KeyMaterial::Spki(spki),
        (None, Some(Value::Bytes(certificate))) => KeyMaterial::Certificate(certificate),
        _ => return Err(TrustListError::Malformed),
    };
    let not_before = f.timestamp(4)?;
    let expires_at = f.timestamp(5)?;
    let Value::Array(codes) = f.required(6)? else {
        return Err(TrustListError::Malformed);
    };
    if codes.len() > 3 {
        return Err(TrustListError::Malformed);
    }
    let usages = codes
        .into_iter()
        .map(|code| match code {
            Value::Integer(i) => u64::try_from(i).ok().and_then(KeyUsage::from_code),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .ok_or(TrustListError::Malformed)?;
    let label = match f.optional(7) {
        None => None,
        Some(Value::Text(label)) => Some(label),
        Some(_) => return Err(TrustListError::Malformed),
    };
    f.finish()?;
    Ok((
        kid,
        IssuerKeyDraft {
            material,
            not_before,
            expires_at,
            usages,
            label,
        },
    ))
}

/// The entries of one map, taken out one integer key at a time; a key left
/// over, or one that is not an integer, makes the map malformed when
/// [`Fields::finish`] is called (so the version is read first).
struct Fields {
    entries: Vec<(i128, Value)>,
    other_key: bool,
}

impl Fields {
    fn new(value: Value) -> Result<Self, TrustListError> {
        let Value::Map(map) = value else {
            return Err(TrustListError::Malformed);
        };
        let mut entries = Vec::with_capacity(map.len());
        let mut other_key = false;
        for (k, v) in map {
            match k {
                Value::Integer(i) => entries.push((i128::from(i), v)),
                _ => other_key = true,
            }
        }
        Ok(Fields { entries, other_key })
    }

    fn optional(&mut self, key: i128) -> Option<Value> {
        let index = self.entries.iter().position(|(k, _)| *k == key)?;
        Some(self.entries.swap_remove(index).1)
    }

    fn required(&mut self, key: i128) -> Result<Value, TrustListError> {
        self.optional(key).ok_or(TrustListError::Malformed)
    }

    fn uint(&mut self, key: i128) -> Result<u64, TrustListError> {
        match self.required(key)? {
            Value::Integer(i) => u64::try_from(i).map_err(|_| TrustListError::Malformed),
            _ => Err(TrustListError::Malformed),
        }
    }

    fn timestamp(&mut self, key: i128) -> Result<Timestamp, TrustListError> {
        Timestamp::from_unix(self.uint(key)?).ok_or(TrustListError::Malformed)
    }

    fn bytes(&mut self, key: i128) -> Result<Vec<u8>, TrustListError> {
        match self.required(key)? {
            Value::Bytes(b) => Ok(b),
            _ => Err(TrustListError::Malformed),
        }
    }

    fn finish(self) -> Result<(), TrustListError> {
        if self.entries.is_empty() && !self.other_key {
            Ok(())
        } else {
            Err(TrustListError::Malformed)
        }
    }
}
