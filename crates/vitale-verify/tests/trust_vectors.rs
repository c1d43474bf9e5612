//! The test vectors of `docs/trust-list.md`, regenerated and compared.
//!
//! Every vector is rebuilt from fixed keys (RFC 6979 deterministic ECDSA)
//! and compared with `docs/vectors/trust-list-v1.json` and with the
//! `<!-- vector: NAME -->` blocks of `docs/trust-list.md`
//! (`vitale-test-support`'s vector checks). After an intended format
//! change, run
//! `VITALE_BLESS=1 cargo test -p vitale-verify --test trust_vectors` and
//! review the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod trust_fixtures;

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use trust_fixtures::*;
use vitale_test_support::{check_json_vectors, check_markdown_vectors};
use vitale_verify::KeyUsage;
use vitale_verify::trust::{TrustList, kid_of_spki};

fn docs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

/// Every vector, by name. Hex strings are lower case.
fn generate() -> BTreeMap<&'static str, String> {
    let root = key(ROOT_SEED);
    let draft = draft();
    let mut v = BTreeMap::new();
    v.insert("root-private-key", hex::encode(root.to_bytes()));
    v.insert("root-spki", hex::encode(spki(&root)));
    v.insert("root-kid", hex::encode(anchor(ROOT_SEED).kid()));
    v.insert("issuer-spki", hex::encode(spki(&key(ISSUER_SEED))));
    v.insert(
        "issuer-kid",
        hex::encode(kid_of_spki(&spki(&key(ISSUER_SEED)))),
    );
    v.insert(
        "receipt-private-key",
        hex::encode(key(RECEIPT_SEED).to_bytes()),
    );
    v.insert("receipt-spki", hex::encode(spki(&key(RECEIPT_SEED))));
    v.insert(
        "receipt-kid",
        hex::encode(kid_of_spki(&spki(&key(RECEIPT_SEED)))),
    );
    let cbor = sign_cbor(&draft, ROOT_SEED);
    let envelope = vitale_codec::cose::Sign1::decode(
        &cbor,
        65_536,
        vitale_codec::cose::ParseMode::OpenProfile,
    )
    .unwrap();
    v.insert("trust-list-payload", hex::encode(envelope.payload()));
    v.insert("trust-list-cbor", hex::encode(&cbor));
    let jws = sign_json(&draft, ROOT_SEED);
    let payload = jws.split('.').nth(1).unwrap();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    v.insert("trust-list-json-payload-text", payload);
    v.insert("trust-list-jws-text", jws);
    v
}

#[test]
fn vectors_load_and_say_what_the_document_says() {
    let v = generate();
    let backend = vitale_verify::default_backend();
    let cbor = hex::decode(&v["trust-list-cbor"]).unwrap();
    let from_cbor = TrustList::from_cbor(&cbor, &anchor(ROOT_SEED), backend, ts(NOW)).unwrap();
    let from_json = TrustList::from_json(
        &v["trust-list-jws-text"],
        &anchor(ROOT_SEED),
        backend,
        ts(NOW),
    )
    .unwrap();
    assert_eq!(from_cbor, from_json);
    // The issuer of docs/format.md §10 (same key, same kid).
    assert_eq!(v["issuer-kid"], "f857ae4ed6e34e33");
    let kid: [u8; 8] = hex::decode(&v["issuer-kid"]).unwrap().try_into().unwrap();
    let issuer = from_cbor.find(&kid).unwrap();
    assert_eq!(
        issuer.usages(),
        &[KeyUsage::Credential, KeyUsage::Delegation]
    );
    let kid: [u8; 8] = hex::decode(&v["receipt-kid"]).unwrap().try_into().unwrap();
    assert_eq!(from_cbor.find(&kid).unwrap().usages(), &[KeyUsage::Receipt]);
}

#[test]
fn json_vectors_match() {
    check_json_vectors(&generate(), &docs().join("vectors/trust-list-v1.json"));
}

#[test]
fn trust_list_md_vectors_match() {
    let v = generate();
    let shown = check_markdown_vectors(&v, &docs().join("trust-list.md"));
    assert_eq!(shown, v.len(), "trust-list.md must show every vector");
}
