//! The trust list loaders, `TrustList::from_cbor` and `TrustList::from_json`,
//! in two modes chosen by the first byte.
//!
//! **Raw** (even first byte): the rest as a list in either form, with a
//! fixed anchor (the root of the `docs/trust-list.md` vectors) and time.
//! Each input runs twice: with the real signature backend (everything
//! should stop at the root signature) and with a backend that accepts
//! every signature, so that the fuzzer also reaches the payload parsers
//! and the entry checks behind the signature.
//!
//! **Built** (odd first byte): the rest is an `arbitrary` description of a
//! list — sequence, times, keys (the world's issuer and phone keys as SPKI,
//! arbitrary SPKI or certificate bytes), validity windows, usages, labels —
//! drawn up as a `TrustListDraft` in the CBOR or the JSON (JWS) form, its
//! payload then edited field by field (CBOR values, JSON values), and
//! signed with the world's root key (`vitale_fuzz::world`), so that every
//! check behind the root signature is reached with a genuine signature.
//! The list then goes to a `TrustStore` update, which must only accept a
//! newer sequence.
//!
//! A list that loads must satisfy the invariants the loader promises; an
//! unedited description that loads holds what was described.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use vitale_codec::cbor::{self, Value};
use vitale_codec::cose::Sign1;
use vitale_codec::model::Timestamp;
use vitale_fuzz::edit::{self, Edit, Few};
use vitale_fuzz::world::{IssuerChoice, PhoneChoice, SEQUENCE, world};
use vitale_verify::trust::{IssuerKeyDraft, KeyMaterial, TrustAnchor, TrustList, TrustListDraft};
use vitale_verify::{
    BackendError, KeyUsage, PublicKey, Signature, SignatureBackend, default_backend,
};

/// Accepts every signature: for fuzzing what lies behind it.
struct AcceptAll;

impl SignatureBackend for AcceptAll {
    fn name(&self) -> &'static str {
        "accept-all"
    }

    fn verify_es256(&self, _: &PublicKey, _: &[u8], _: &Signature) -> Result<(), BackendError> {
        Ok(())
    }
}

/// The root of the `docs/trust-list.md` vectors (scalar `04` × 32), so
/// that the seed corpus (`corpus/trust_list/`: the vectors) loads.
const ROOT_SPKI: [u8; 91] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0x73, 0x10, 0x3e, 0xc3, 0x0b,
    0x3c, 0xcf, 0x57, 0xda, 0xae, 0x08, 0xe9, 0x35, 0x34, 0xae, 0xf1, 0x44, 0xa3, 0x59, 0x40, 0xcf,
    0x6b, 0xbb, 0xa1, 0x2a, 0x0c, 0xf7, 0xcb, 0xd5, 0xd6, 0x5a, 0x64, 0xd8, 0x2c, 0x8c, 0x99, 0xe9,
    0xd3, 0xc4, 0x5f, 0x92, 0x45, 0xba, 0x9b, 0x27, 0x98, 0x2c, 0x9a, 0xea, 0x8e, 0xc1, 0xdb, 0x94,
    0xb1, 0x9c, 0x44, 0x79, 0x59, 0x42, 0xc0, 0xeb, 0x22, 0xaa, 0x32,
];

fn check(list: &TrustList, now: Timestamp) {
    assert!(list.issued_at() <= now && now < list.expires_at());
    assert!(!list.keys().is_empty() && list.keys().len() <= 256);
    for (i, key) in list.keys().iter().enumerate() {
        assert!(list.keys()[..i].iter().all(|k| k.kid() != key.kid()));
        assert_eq!(list.find(key.kid()).map(|k| k.kid()), Some(key.kid()));
        assert!((1..=3).contains(&key.usages().len()));
        assert!(key.validity().not_before() < key.validity().expires_at());
        assert!(
            key.label()
                .is_none_or(|l| (1..=100).contains(&l.chars().count()))
        );
    }
}

#[derive(Arbitrary, Debug)]
enum Material {
    Issuer(IssuerChoice),
    Phone(PhoneChoice),
    Spki(Vec<u8>),
    Certificate(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct KeyDesc {
    material: Material,
    not_before: i32,
    lifetime: u32,
    /// Bits 0 to 2: credential, delegation, receipt (in code order).
    usages: u8,
    /// Usages appended after those (repeated, out of order).
    odd_usages: Few<u8>,
    label: Option<String>,
}

/// A JSON leaf to put in place of a value.
#[derive(Arbitrary, Debug)]
enum JsonLeaf {
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    EmptyArray,
    EmptyObject,
}

#[derive(Arbitrary, Debug)]
struct JsonEdit {
    path: Vec<u8>,
    /// `None`: remove the node (from its object or array).
    leaf: Option<JsonLeaf>,
}

#[derive(Arbitrary, Debug)]
struct ListDesc {
    sequence: u64,
    issued_at: i32,
    lifetime: u32,
    keys: Vec<KeyDesc>,
    json: bool,
    cbor_edits: Few<Edit>,
    json_edits: Few<JsonEdit>,
}

fn usage(code: u8) -> KeyUsage {
    match code % 3 {
        0 => KeyUsage::Credential,
        1 => KeyUsage::Delegation,
        _ => KeyUsage::Receipt,
    }
}

fn json_leaf(leaf: &JsonLeaf) -> serde_json::Value {
    match leaf {
        JsonLeaf::Null => serde_json::Value::Null,
        JsonLeaf::Bool(b) => (*b).into(),
        JsonLeaf::Int(n) => (*n).into(),
        JsonLeaf::Text(t) => t.clone().into(),
        JsonLeaf::EmptyArray => serde_json::Value::Array(Vec::new()),
        JsonLeaf::EmptyObject => serde_json::Value::Object(serde_json::Map::new()),
    }
}

fn json_edit(value: &mut serde_json::Value, path: &[u8], leaf: Option<&JsonLeaf>) {
    let Some((&step, rest)) = path.split_first() else {
        if let Some(leaf) = leaf {
            *value = json_leaf(leaf);
        }
        return;
    };
    match value {
        serde_json::Value::Object(map) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(usize::from(step) % map.len())
                .cloned()
                .unwrap_or_default();
            if rest.is_empty() && leaf.is_none() {
                map.remove(&key);
            } else if let Some(child) = map.get_mut(&key) {
                json_edit(child, rest, leaf);
            }
        }
        serde_json::Value::Array(items) if !items.is_empty() => {
            let i = usize::from(step) % items.len();
            if rest.is_empty() && leaf.is_none() {
                items.remove(i);
            } else {
                json_edit(&mut items[i], rest, leaf);
            }
        }
        _ => {
            if let Some(leaf) = leaf {
                *value = json_leaf(leaf);
            }
        }
    }
}

/// The CBOR form, with the payload edited, signed by the world's root.
fn cbor_form(draft: &TrustListDraft, edits: &[Edit]) -> Option<Vec<u8>> {
    let w = world();
    let tbs = draft.prepare_cbor(w.root_kid).ok()?;
    if edits.is_empty() {
        let signature = w.root_sign(tbs.bytes());
        return Some(tbs.complete(signature));
    }
    // Sig_structure: ["Signature1", protected, external_aad, payload].
    let Value::Array(parts) = cbor::decode(tbs.bytes(), 1 << 20, 8).ok()? else {
        return None;
    };
    let Some(Value::Bytes(payload)) = parts.get(3) else {
        return None;
    };
    let payload = edit::edit_bytes(payload, edits)?;
    let tbs = Sign1::prepare(Some(&w.root_kid), &payload, &[]);
    let signature = w.root_sign(tbs.bytes());
    Some(tbs.complete(signature))
}

/// The JSON form, with the payload edited, signed by the world's root.
fn json_form(draft: &TrustListDraft, edits: &[JsonEdit]) -> Option<String> {
    let w = world();
    let tbs = draft.prepare_json(w.root_kid).ok()?;
    if edits.is_empty() {
        let signature = w.root_sign(tbs.bytes());
        return Some(tbs.complete(signature));
    }
    let input = std::str::from_utf8(tbs.bytes()).ok()?;
    let (header, payload) = input.split_once('.')?;
    let mut value: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    for e in edits.iter().take(4) {
        json_edit(&mut value, &e.path, e.leaf.as_ref());
    }
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&value).ok()?);
    let input = format!("{header}.{payload}");
    let signature = w.root_sign(input.as_bytes());
    Some(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

fn built(data: &[u8]) {
    let w = world();
    let Ok(d) = ListDesc::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let at = |offset: i64| w.at(offset);
    let Some(issued_at) = at(i64::from(d.issued_at)) else {
        return;
    };
    let Some(expires_at) = issued_at.checked_add_secs(u64::from(d.lifetime)) else {
        return;
    };
    let mut keys = Vec::new();
    for k in d.keys.iter().take(8) {
        let material = match &k.material {
            Material::Issuer(who) => KeyMaterial::Spki(w.issuer_spki(*who)),
            Material::Phone(who) => KeyMaterial::Spki(w.phone(*who).spki_der()),
            Material::Spki(bytes) => KeyMaterial::Spki(bytes.clone()),
            Material::Certificate(bytes) => KeyMaterial::Certificate(bytes.clone()),
        };
        let Some(not_before) = at(i64::from(k.not_before)) else {
            return;
        };
        let Some(expires) = not_before.checked_add_secs(u64::from(k.lifetime)) else {
            return;
        };
        keys.push(IssuerKeyDraft {
            material,
            not_before,
            expires_at: expires,
            usages: (0u8..3)
                .filter(|bit| k.usages & (1 << bit) != 0)
                .chain(k.odd_usages.as_slice().iter().copied())
                .map(usage)
                .collect(),
            label: k.label.clone(),
        });
    }
    let draft = TrustListDraft {
        sequence: d.sequence,
        issued_at,
        expires_at,
        keys,
    };
    let faithful = d.cbor_edits.is_empty() && d.json_edits.is_empty();
    let loaded = if d.json {
        let Some(text) = json_form(&draft, d.json_edits.as_slice()) else {
            return;
        };
        TrustList::from_json(&text, &w.anchor, default_backend(), w.now)
    } else {
        let Some(bytes) = cbor_form(&draft, d.cbor_edits.as_slice()) else {
            return;
        };
        TrustList::from_cbor(&bytes, &w.anchor, default_backend(), w.now)
    };
    let Ok(list) = loaded else { return };
    check(&list, w.now);
    if faithful {
        assert_eq!(list.sequence(), draft.sequence);
        assert_eq!(list.issued_at(), draft.issued_at);
        assert_eq!(list.expires_at(), draft.expires_at);
        assert_eq!(list.keys().len(), draft.keys.len());
        for (key, drafted) in list.keys().iter().zip(&draft.keys) {
            assert_eq!(key.usages(), drafted.usages.as_slice());
            assert_eq!(key.label(), drafted.label.as_deref());
        }
    }
    let store = w.store.clone();
    let newer = list.sequence() > SEQUENCE;
    assert_eq!(store.update(list).is_ok(), newer);
}

fn raw(data: &[u8]) {
    let anchor = TrustAnchor::from_spki_der(&ROOT_SPKI).expect("root key");
    let now = Timestamp::from_unix(1_795_334_400).expect("time");
    let text = std::str::from_utf8(data).ok();
    for backend in [default_backend(), &AcceptAll as &dyn SignatureBackend] {
        if let Ok(list) = TrustList::from_cbor(data, &anchor, backend, now) {
            check(&list, now);
        }
        if let Some(text) = text
            && let Ok(list) = TrustList::from_json(text, &anchor, backend, now)
        {
            check(&list, now);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 1 => built(rest),
        Some((_, rest)) => raw(rest),
        None => {}
    }
});
