//! Fixed keys, drafts and hand-made signed documents for the trust list
//! tests (`tests/trust_*.rs`).
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use vitale_codec::cbor::Value;
use vitale_codec::cose::Sign1;
use vitale_codec::model::Timestamp;
use vitale_verify::trust::{IssuerKeyDraft, KeyMaterial, TrustAnchor, TrustListDraft};
use vitale_verify::{Error, KeyUsage, PublicKey, Signer, SoftwareSigner};

/// The root of the tests (and of the published vectors): scalar `04` × 32.
pub const ROOT_SEED: u8 = 4;
/// The issuer of `docs/format.md`: scalar `01` × 32.
pub const ISSUER_SEED: u8 = 1;
/// A second issuer key, for receipts: scalar `05` × 32.
pub const RECEIPT_SEED: u8 = 5;

/// 2026-11-01T00:00:00Z: the list is issued.
pub const ISSUED: u64 = 1_793_491_200;
/// 2027-01-01T00:00:00Z: the list expires.
pub const EXPIRES: u64 = 1_798_761_600;
/// 2026-11-22T08:00:00Z: the time of the format.md presentations.
pub const NOW: u64 = 1_795_334_400;
/// 2026-01-01T00:00:00Z and 2028-01-01T00:00:00Z: the issuer keys' window.
pub const KEY_FROM: u64 = 1_767_225_600;
pub const KEY_UNTIL: u64 = 1_830_297_600;

pub fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap()
}

pub fn public(key: &SigningKey) -> PublicKey {
    PublicKey::from_sec1_bytes(&key.verifying_key().to_sec1_bytes()).unwrap()
}

pub fn spki(key: &SigningKey) -> Vec<u8> {
    public(key).to_spki_der()
}

pub fn anchor(seed: u8) -> TrustAnchor {
    TrustAnchor::new(public(&key(seed)))
}

/// RFC 6979 deterministic ES256, `r ‖ s`.
pub fn sign_with(key: &SigningKey, message: &[u8]) -> [u8; 64] {
    let signature: Signature = key.sign(message);
    signature.to_bytes().as_slice().try_into().unwrap()
}

/// A signing closure for `Sign1::sign`.
pub fn signer(seed: u8) -> impl FnOnce(&[u8]) -> Result<[u8; 64], Error> {
    let key = key(seed);
    move |message| Ok(sign_with(&key, message))
}

/// The root `seed` as a [`Signer`].
pub fn root_signer(seed: u8) -> SoftwareSigner {
    SoftwareSigner::from_slice(&[seed; 32]).unwrap()
}

/// Both phases of signing a draft's CBOR form with the root `seed`, the
/// envelope naming `root_kid`.
pub fn sign_cbor_as(draft: &TrustListDraft, root_kid: [u8; 8], seed: u8) -> Vec<u8> {
    let tbs = draft.prepare_cbor(root_kid).unwrap();
    let signature = root_signer(seed).sign(tbs.bytes()).unwrap();
    tbs.complete(signature.to_bytes())
}

/// Both phases of signing a draft's JSON form with the root `seed`, the
/// header naming `root_kid`.
pub fn sign_json_as(draft: &TrustListDraft, root_kid: [u8; 8], seed: u8) -> String {
    let tbs = draft.prepare_json(root_kid).unwrap();
    let signature = root_signer(seed).sign(tbs.bytes()).unwrap();
    tbs.complete(signature.to_bytes())
}

pub fn entry(seed: u8, usages: &[KeyUsage], label: Option<&str>) -> IssuerKeyDraft {
    IssuerKeyDraft {
        material: KeyMaterial::Spki(spki(&key(seed))),
        not_before: ts(KEY_FROM),
        expires_at: ts(KEY_UNTIL),
        usages: usages.to_vec(),
        label: label.map(str::to_owned),
    }
}

/// A credential key entry whose private scalar is `i` (big-endian), for
/// lists of many distinct keys.
pub fn numbered_entry(i: u16) -> IssuerKeyDraft {
    let mut scalar = [0u8; 32];
    scalar[30..].copy_from_slice(&i.to_be_bytes());
    let signing = SigningKey::from_slice(&scalar).unwrap();
    IssuerKeyDraft {
        material: KeyMaterial::Spki(spki(&signing)),
        ..entry(ISSUER_SEED, &[KeyUsage::Credential], None)
    }
}

/// The list of the published vectors: the format.md issuer (credentials
/// and delegations) and a receipt key.
pub fn draft() -> TrustListDraft {
    TrustListDraft {
        sequence: 1,
        issued_at: ts(ISSUED),
        expires_at: ts(EXPIRES),
        keys: vec![
            entry(
                ISSUER_SEED,
                &[KeyUsage::Credential, KeyUsage::Delegation],
                Some("open-profile test issuer"),
            ),
            entry(RECEIPT_SEED, &[KeyUsage::Receipt], None),
        ],
    }
}

pub fn sign_cbor(draft: &TrustListDraft, seed: u8) -> Vec<u8> {
    sign_cbor_as(draft, anchor(seed).kid(), seed)
}

pub fn sign_json(draft: &TrustListDraft, seed: u8) -> String {
    sign_json_as(draft, anchor(seed).kid(), seed)
}

/// Signs any CBOR payload as a trust list envelope of the root `seed`.
pub fn sign_cbor_value(payload: &Value, seed: u8) -> Vec<u8> {
    let bytes = vitale_codec::cbor::encode(payload).unwrap();
    Sign1::sign(Some(&anchor(seed).kid()), &bytes, &[], signer(seed)).unwrap()
}

/// The JWS header of the root `seed`.
pub fn jws_header(seed: u8) -> String {
    format!(
        r#"{{"alg":"ES256","kid":"{}","typ":"vitale-trust-list+json"}}"#,
        hex::encode(anchor(seed).kid())
    )
}

/// A JWS over any header and payload text, signed by the root `seed`.
pub fn sign_jws(header: &str, payload: &str, seed: u8) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = sign_with(&key(seed), input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The payload of a signed list, as a CBOR value to edit.
pub fn cbor_payload(draft: &TrustListDraft) -> Value {
    let bytes = sign_cbor(draft, ROOT_SEED);
    let envelope =
        Sign1::decode(&bytes, 65_536, vitale_codec::cose::ParseMode::OpenProfile).unwrap();
    vitale_codec::cbor::decode(envelope.payload(), 65_536, 8).unwrap()
}

/// The payload of a signed JSON list, as a JSON value to edit.
pub fn json_payload(draft: &TrustListDraft) -> serde_json::Value {
    let jws = sign_json(draft, ROOT_SEED);
    let payload = jws.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// Map entry `key` of a CBOR map value.
pub fn cbor_get(map: &mut Value, key: i64) -> &mut Value {
    let Value::Map(entries) = map else {
        panic!("not a map")
    };
    &mut entries
        .iter_mut()
        .find(|(k, _)| *k == Value::from(key))
        .unwrap_or_else(|| panic!("no key {key}"))
        .1
}

/// The first entry of the keys array of a CBOR payload.
pub fn cbor_first_entry(payload: &mut Value) -> &mut Value {
    let Value::Array(items) = cbor_get(payload, 5) else {
        panic!("keys not an array")
    };
    &mut items[0]
}

/// `/work/shared/testdata/<relative>` (the external test data).
pub fn testdata(relative: &str) -> PathBuf {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata"
    ))
    .join(relative);
    assert!(
        path.exists(),
        "external test data missing: {}",
        path.display()
    );
    path
}

/// A P-256 (ES256) certificate of the cose-wg X.509 examples:
/// `alice.der` (end entity) or `ca.der` (self-signed CA), both valid
/// 2020-12-02 to 2053-10-10.
pub fn cose_wg_certificate(name: &str) -> Vec<u8> {
    std::fs::read(testdata(&format!("cose-wg-examples/x509-examples/{name}"))).unwrap()
}

/// Every backend compiled in.
pub fn backends() -> &'static [&'static dyn vitale_verify::SignatureBackend] {
    let all = vitale_verify::compiled_backends();
    assert_eq!(all.len(), if cfg!(feature = "ring") { 2 } else { 1 });
    all
}
