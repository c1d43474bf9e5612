//! The decoding failures a vendor must tell apart, wherever they occur —
//! in the presentation or in the credential or delegation it embeds — each
//! with its own `Error` variant and kind (`docs/format.md` §11, §12). Before
//! these rules were enforced, each input here was either accepted or
//! reported as merely `malformed`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use vitale_codec::cbor::{self, Value};
use vitale_codec::cose::{ParseMode, Sign1};
use vitale_codec::limits::{MAX_CREDENTIAL_BYTES, MAX_PRESENTATION_BYTES};
use vitale_codec::model::Timestamp;
use vitale_sim::hazmat::device_key_pair;
use vitale_sim::{Scenario, Seed};
use vitale_verify::policy::{FixedClock, Policy};
use vitale_verify::{
    AlgorithmLabel, Error, ExpectedChannel, TrustList, TrustStore, Verifier, default_backend,
};

const NOW: u64 = 1_795_334_400; // 2026-11-22T08:00:00Z

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

fn scenario() -> Scenario {
    Scenario::new(Seed::from_u64(11), 2, ts(NOW)).unwrap()
}

fn verifier(s: &Scenario) -> Verifier {
    let list = TrustList::from_cbor(&s.trust_list, &s.anchor, default_backend(), ts(NOW)).unwrap();
    Verifier::new(TrustStore::new(s.anchor.clone(), list)).with_clock(FixedClock(ts(NOW)))
}

fn verify(v: &Verifier, bytes: &[u8]) -> Result<(), Error> {
    v.verify(bytes, ExpectedChannel::Qr).map(|_| ())
}

/// The payload map of a genuine presentation, to edit and re-sign.
fn payload_entries(s: &Scenario) -> Vec<(Value, Value)> {
    let bytes = s.phone.present_qr(ts(NOW), 120).unwrap();
    let envelope = Sign1::decode(&bytes, MAX_PRESENTATION_BYTES, ParseMode::OpenProfile).unwrap();
    let Value::Map(entries) = cbor::decode(envelope.payload(), 1 << 16, 8).unwrap() else {
        panic!("not a map")
    };
    entries
}

fn set(entries: &mut Vec<(Value, Value)>, key: i64, value: Value) {
    entries.retain(|(k, _)| *k != Value::from(key));
    entries.push((Value::from(key), value));
}

/// A presentation over `entries`, signed by the phone's device key: the
/// device signature is genuine, only the content is off.
fn signed_by_phone(s: &Scenario, entries: Vec<(Value, Value)>) -> Vec<u8> {
    let payload = cbor::encode(&Value::Map(entries)).unwrap();
    device_key_pair(&s.phone)
        .sign_envelope(None, &payload, b"")
        .unwrap()
}

/// The credential bytes with another protected header and, optionally,
/// another unprotected one (the issuer signature no longer matters:
/// decoding fails first).
fn credential_with_headers(s: &Scenario, protected: &[u8], unprotected: &[u8]) -> Vec<u8> {
    let envelope = Sign1::decode(&s.credential, 8192, ParseMode::OpenProfile).unwrap();
    let mut out = vec![0xd2, 0x84];
    out.extend_from_slice(&cbor::encode(&Value::Bytes(protected.to_vec())).unwrap());
    out.extend_from_slice(unprotected);
    out.extend_from_slice(&cbor::encode(&Value::Bytes(envelope.payload().to_vec())).unwrap());
    out.extend_from_slice(&cbor::encode(&Value::Bytes(envelope.signature().to_vec())).unwrap());
    out
}

fn issuer_protected(s: &Scenario, alg: &[u8]) -> Vec<u8> {
    // {1: alg, 4: kid}
    let mut p = vec![0xa2, 0x01];
    p.extend_from_slice(alg);
    p.extend_from_slice(&[0x04, 0x48]);
    p.extend_from_slice(&s.issuer.issuer_key(0).unwrap().kid());
    p
}

#[test]
fn a_presentation_carrying_unprotected_data_is_refused() {
    let s = scenario();
    let v = verifier(&s);
    let bytes = s.phone.present_qr(ts(NOW), 120).unwrap();
    // d2 84 43 a10126 | a0 | ...: put {99: "note"} in the unprotected map.
    assert_eq!(&bytes[..7], &[0xd2, 0x84, 0x43, 0xa1, 0x01, 0x26, 0xa0]);
    let mut altered = bytes[..6].to_vec();
    altered.extend_from_slice(&[0xa1, 0x18, 0x63, 0x64, b'n', b'o', b't', b'e']);
    altered.extend_from_slice(&bytes[7..]);
    // The device signature does not cover the unprotected header: without
    // the rule this second encoding would verify.
    let e = verify(&v, &altered).unwrap_err();
    assert_eq!(e, Error::UnprotectedHeader);
    assert_eq!(e.kind(), "unprotected_header");
    assert!(verify(&v, &bytes).is_ok());
    // Inside the embedded credential too.
    let mut entries = payload_entries(&s);
    let credential =
        credential_with_headers(&s, &issuer_protected(&s, &[0x26]), &[0xa1, 0x04, 0x40]);
    set(&mut entries, 2, Value::Bytes(credential));
    assert_eq!(
        verify(&v, &signed_by_phone(&s, entries)),
        Err(Error::UnprotectedHeader)
    );
}

#[test]
fn headers_the_profile_does_not_allow_are_refused() {
    let s = scenario();
    let v = verifier(&s);
    let entries = payload_entries(&s);
    let payload = cbor::encode(&Value::Map(entries)).unwrap();
    let key = device_key_pair(&s.phone);
    // A kid on the device-signed presentation, genuinely signed.
    let with_kid = key.sign_envelope(Some(&[7; 8]), &payload, b"").unwrap();
    let e = verify(&v, &with_kid).unwrap_err();
    assert_eq!(e, Error::UnexpectedHeader);
    assert_eq!(e.kind(), "unexpected_header");
    // The embedded credential with a content type {1: -7, 3: 0, 4: kid}.
    let mut protected = vec![0xa3, 0x01, 0x26, 0x03, 0x00, 0x04, 0x48];
    protected.extend_from_slice(&s.issuer.issuer_key(0).unwrap().kid());
    let mut entries = payload_entries(&s);
    set(
        &mut entries,
        2,
        Value::Bytes(credential_with_headers(&s, &protected, &[0xa0])),
    );
    assert_eq!(
        verify(&v, &signed_by_phone(&s, entries)),
        Err(Error::UnexpectedHeader)
    );
}

#[test]
fn an_embedded_credential_signed_with_es384_is_an_unsupported_algorithm() {
    let s = scenario();
    let v = verifier(&s);
    let mut entries = payload_entries(&s);
    // alg -35 (ES384): `38 22`.
    let credential = credential_with_headers(&s, &issuer_protected(&s, &[0x38, 0x22]), &[0xa0]);
    set(&mut entries, 2, Value::Bytes(credential));
    let e = verify(&v, &signed_by_phone(&s, entries)).unwrap_err();
    assert_eq!(e, Error::UnsupportedAlgorithm(AlgorithmLabel::Cose(-35)));
    assert_eq!(e.kind(), "unsupported_algorithm");
}

#[test]
fn an_embedded_unknown_critical_header_has_its_own_kind() {
    let s = scenario();
    let v = verifier(&s);
    // {1: -7, 2: [99], 4: kid, 99: 0}
    let mut protected = vec![0xa4, 0x01, 0x26, 0x02, 0x81, 0x18, 0x63, 0x04, 0x48];
    protected.extend_from_slice(&s.issuer.issuer_key(0).unwrap().kid());
    protected.extend_from_slice(&[0x18, 0x63, 0x00]);
    let mut entries = payload_entries(&s);
    set(
        &mut entries,
        2,
        Value::Bytes(credential_with_headers(&s, &protected, &[0xa0])),
    );
    assert_eq!(
        verify(&v, &signed_by_phone(&s, entries)),
        Err(Error::UnknownCriticalHeader)
    );
}

#[test]
fn version_2_is_an_unsupported_version() {
    let s = scenario();
    let v = verifier(&s);
    let mut entries = payload_entries(&s);
    set(&mut entries, 1, Value::from(2));
    let e = verify(&v, &signed_by_phone(&s, entries)).unwrap_err();
    assert_eq!(e, Error::UnsupportedVersion { version: 2 });
    assert_eq!(e.kind(), "unsupported_version");
    // A version-2 credential inside a version-1 presentation.
    let envelope = Sign1::decode(&s.credential, 8192, ParseMode::OpenProfile).unwrap();
    let Value::Map(mut credential) = cbor::decode(envelope.payload(), 8192, 8).unwrap() else {
        panic!()
    };
    set(&mut credential, 1, Value::from(2));
    let payload = cbor::encode(&Value::Map(credential)).unwrap();
    let kid = s.issuer.issuer_key(0).unwrap().kid();
    let reissued = Sign1::prepare(Some(&kid), &payload, b"").complete([1; 64]);
    let mut entries = payload_entries(&s);
    set(&mut entries, 2, Value::Bytes(reissued));
    assert_eq!(
        verify(&v, &signed_by_phone(&s, entries)),
        Err(Error::UnsupportedVersion { version: 2 })
    );
}

#[test]
fn a_lifetime_over_180_s_is_presentation_lifetime() {
    let s = scenario();
    let v = verifier(&s);
    let mut entries = payload_entries(&s);
    set(&mut entries, 5, Value::from(NOW + 181));
    let e = verify(&v, &signed_by_phone(&s, entries)).unwrap_err();
    assert_eq!(e, Error::PresentationLifetime { secs: 181 });
    assert_eq!(e.kind(), "presentation_lifetime");
    // Exactly 180 s is fine.
    let mut entries = payload_entries(&s);
    set(&mut entries, 5, Value::from(NOW + 180));
    assert!(verify(&v, &signed_by_phone(&s, entries)).is_ok());
}

#[test]
fn oversize_is_always_too_large() {
    let s = scenario();
    // A loosened policy lets a 9 000-byte presentation past the first
    // check; the format's 8 192-byte limit still applies, as too_large.
    let mut policy = Policy::default();
    policy.max_presentation_bytes = 20_000;
    policy.max_text_chars = 40_000;
    let v = verifier(&s).with_policy(policy);
    let mut big = s.phone.present_qr(ts(NOW), 120).unwrap();
    big.resize(9_000, 0);
    assert_eq!(
        verify(&v, &big),
        Err(Error::TooLarge {
            size: 9_000,
            limit: MAX_PRESENTATION_BYTES
        })
    );
    // The text form of it, above the codec's limit.
    let text = vitale_codec::text::encode_qr(&big);
    assert!(matches!(v.verify_text(&text), Err(Error::TooLarge { .. })));
    // An embedded credential above its 6 144 bytes.
    let mut entries = payload_entries(&s);
    set(
        &mut entries,
        2,
        Value::Bytes(vec![0; MAX_CREDENTIAL_BYTES + 1]),
    );
    let e = verify(&verifier(&s), &signed_by_phone(&s, entries)).unwrap_err();
    assert_eq!(
        e,
        Error::TooLarge {
            size: MAX_CREDENTIAL_BYTES + 1,
            limit: MAX_CREDENTIAL_BYTES
        }
    );
    assert_eq!(e.kind(), "too_large");
}

#[test]
fn other_embedded_errors_stay_malformed_with_their_cause() {
    let s = scenario();
    let mut entries = payload_entries(&s);
    set(&mut entries, 2, Value::Bytes(vec![0xd2, 0x80]));
    match verify(&verifier(&s), &signed_by_phone(&s, entries)) {
        Err(Error::Malformed(e)) => {
            assert!(matches!(
                e,
                vitale_codec::Error::Model(vitale_codec::ModelError::Embedded {
                    structure: "credential",
                    ..
                })
            ));
        }
        other => panic!("{other:?}"),
    }
}
