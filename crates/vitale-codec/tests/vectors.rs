//! The test vectors of `docs/format.md`, regenerated and compared.
//!
//! Every vector is rebuilt from fixed keys (RFC 6979 deterministic ECDSA)
//! and compared with `docs/vectors/open-profile-v1.json` and with the
//! `<!-- vector: NAME -->` blocks of `docs/format.md`, so the published
//! vectors cannot drift from the code (`vitale-test-support`'s vector
//! checks). After an intended format change, run
//! `VITALE_BLESS=1 cargo test -p vitale-codec --test vectors` and review
//! the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::*;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use vitale_codec::apdu;
use vitale_codec::model::*;
use vitale_codec::text;
use vitale_test_support::{check_json_vectors, check_markdown_vectors};

const CHALLENGE: [u8; 16] = [
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
];

fn docs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

fn h(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Every vector, by name. Hex strings are lower case.
fn generate() -> BTreeMap<&'static str, String> {
    let (issuer, device, delegate) = (key(1), key(2), key(3));
    let mut v = BTreeMap::new();
    v.insert("issuer-private-key", h(&issuer.to_bytes()));
    v.insert("issuer-spki", h(&spki(&issuer)));
    v.insert("issuer-kid", h(&kid(&issuer)));
    v.insert("device-private-key", h(&device.to_bytes()));
    v.insert("device-public-key", h(&point(&device)));
    v.insert("delegate-private-key", h(&delegate.to_bytes()));

    let cred = credential(2, &device);
    v.insert("credential-payload", h(&cred.to_payload().unwrap()));
    let cred_bytes = issue(&cred, &issuer);
    v.insert("credential", h(&cred_bytes));

    let qr = present(&cred_bytes, &device, Channel::Qr, b"", None);
    v.insert("presentation-qr", h(&qr));
    v.insert("presentation-qr-text", text::encode_qr(&qr));
    v.insert("presentation-qr-base64url", text::encode_base64url(&qr));

    v.insert("nfc-challenge", h(&CHALLENGE));
    let nfc = present(&cred_bytes, &device, Channel::Nfc, &CHALLENGE, None);
    v.insert("presentation-nfc", h(&nfc));
    // The first phase of two-phase signing: what the device key signed.
    let nfc_env = vitale_codec::cose::Sign1::decode(
        &nfc,
        vitale_codec::limits::MAX_PRESENTATION_BYTES,
        vitale_codec::cose::ParseMode::OpenProfile,
    )
    .unwrap();
    let tbs = vitale_codec::cose::Sign1::prepare(None, nfc_env.payload(), &CHALLENGE);
    assert_eq!(tbs.bytes(), nfc_env.to_be_signed(&CHALLENGE).unwrap());
    v.insert("presentation-nfc-to-be-signed", h(tbs.bytes()));
    v.insert(
        "apdu-select",
        h(&apdu::open::select_command().encode_short().unwrap()),
    );
    v.insert(
        "apdu-get-presentation",
        h(&apdu::open::get_presentation_command(&CHALLENGE, false)
            .unwrap()
            .encode_short()
            .unwrap()),
    );

    let deleg = delegation(&delegate, &[2]);
    let deleg_bytes = issue_delegation(&deleg, &issuer);
    v.insert("delegation", h(&deleg_bytes));
    let delegated = present(&cred_bytes, &delegate, Channel::Qr, b"", Some(&deleg_bytes));
    v.insert("presentation-delegated", h(&delegated));
    v
}

#[test]
fn vectors_decode_and_their_signatures_verify() {
    let v = generate();
    let get = |k: &str| hex::decode(&v[k]).unwrap();
    let issuer_pk = VerifyingKey::from_sec1_bytes(&spki(&key(1))[26..]).unwrap();
    let device_pk = VerifyingKey::from_sec1_bytes(&get("device-public-key")).unwrap();
    let check = |pk: &VerifyingKey, env: &vitale_codec::cose::Sign1, aad: &[u8]| {
        let sig = Signature::from_slice(env.signature()).unwrap();
        pk.verify(&env.to_be_signed(aad).unwrap(), &sig).unwrap();
    };

    let p = SignedPresentation::from_text(&v["presentation-qr-text"]).unwrap();
    check(&device_pk, p.envelope(), b"");
    check(&issuer_pk, p.presentation().credential().envelope(), b"");
    assert_eq!(
        p.presentation().credential().kid().as_slice(),
        get("issuer-kid")
    );

    let n = SignedPresentation::decode(&get("presentation-nfc")).unwrap();
    assert_eq!(n.presentation().channel(), Channel::Nfc);
    check(&device_pk, n.envelope(), &get("nfc-challenge"));

    let d = SignedPresentation::decode(&get("presentation-delegated")).unwrap();
    let deleg = d.presentation().delegation().unwrap();
    check(&issuer_pk, deleg.envelope(), b"");
    let delegate_pk =
        VerifyingKey::from_sec1_bytes(&deleg.delegation().delegate_key.to_sec1()).unwrap();
    check(&delegate_pk, d.envelope(), b"");
}

#[test]
fn json_vectors_match() {
    check_json_vectors(&generate(), &docs().join("vectors/open-profile-v1.json"));
}

#[test]
fn format_md_vectors_match() {
    let shown = check_markdown_vectors(&generate(), &docs().join("format.md"));
    assert!(shown >= 10, "format.md shows only {shown} vectors");
}
