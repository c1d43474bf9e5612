//! The envelope rules of `docs/format.md` §3 as they apply to the data
//! model: exact protected headers, empty unprotected headers, the
//! presentation's lifetime and the version, inside embedded structures too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use vitale_codec::cbor::{self, CborError, Value};
use vitale_codec::cose::{CoseError, Sign1};
use vitale_codec::limits::MAX_CREDENTIAL_BYTES;
use vitale_codec::model::*;
use vitale_codec::{Error, ModelError};

/// Re-encodes a payload after editing its top-level map.
fn edit(payload: &[u8], f: impl FnOnce(&mut Vec<(Value, Value)>)) -> Vec<u8> {
    let Value::Map(mut entries) = cbor::decode(payload, 1 << 16, 8).unwrap() else {
        panic!("not a map")
    };
    f(&mut entries);
    cbor::encode(&Value::Map(entries)).unwrap()
}

fn set(entries: &mut Vec<(Value, Value)>, key: i64, value: Value) {
    entries.retain(|(k, _)| *k != Value::from(key));
    entries.push((Value::from(key), value));
}

/// A genuine QR presentation's payload and the credential it embeds.
fn genuine() -> (Vec<u8>, Vec<u8>) {
    let device = key(2);
    let cred = issue(&credential(1, &device), &key(1));
    let bytes = present(&cred, &device, Channel::Qr, b"", None);
    let payload = SignedPresentation::decode(&bytes)
        .unwrap()
        .envelope()
        .payload()
        .to_vec();
    (payload, cred)
}

/// A device-signed presentation over `payload`, with any protected and
/// unprotected header bytes (the signature is a placeholder: decoding
/// does not check it).
fn envelope(protected: &[u8], unprotected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xd2, 0x84];
    out.extend_from_slice(&cbor::encode(&Value::Bytes(protected.to_vec())).unwrap());
    out.extend_from_slice(unprotected);
    out.extend_from_slice(&cbor::encode(&Value::Bytes(payload.to_vec())).unwrap());
    out.extend_from_slice(&[0x58, 0x40]);
    out.extend_from_slice(&[0x5a; 64]);
    out
}

fn cose(r: Result<impl core::fmt::Debug, Error>) -> CoseError {
    match r {
        Err(Error::Cose(e)) => e,
        other => panic!("expected a COSE error, got {other:?}"),
    }
}

#[test]
fn a_presentation_with_unprotected_data_is_refused() {
    let (payload, _) = genuine();
    assert!(SignedPresentation::decode(&envelope(&hex("a10126"), &hex("a0"), &payload)).is_ok());
    // {4: kid} and {99: "x"} unprotected: same signature, other bytes.
    for unprotected in ["a1 04 48 0102030405060708", "a1 1863 6178"] {
        let bytes = envelope(&hex("a10126"), &hex(unprotected), &payload);
        assert_eq!(
            cose(SignedPresentation::decode(&bytes)),
            CoseError::UnprotectedHeader,
            "{unprotected}"
        );
    }
}

#[test]
fn a_device_signed_envelope_carries_no_kid() {
    let (payload, _) = genuine();
    let bytes = envelope(
        &hex("a2 01 26 04 48 0102030405060708"),
        &hex("a0"),
        &payload,
    );
    assert_eq!(
        cose(SignedPresentation::decode(&bytes)),
        CoseError::UnexpectedHeader("4".into())
    );
    // Content type and an unknown label are refused too.
    for protected in ["a2 01 26 03 00", "a2 01 26 1863 00"] {
        let bytes = envelope(&hex(protected), &hex("a0"), &payload);
        assert!(matches!(
            cose(SignedPresentation::decode(&bytes)),
            CoseError::UnexpectedHeader(_)
        ));
    }
}

#[test]
fn an_issuer_signed_envelope_needs_its_8_byte_kid() {
    let cred = credential(1, &key(2)).to_payload().unwrap();
    let no_kid = Sign1::prepare(None, &cred, b"").complete([1; 64]);
    assert_eq!(
        cose(SignedCredential::decode(&no_kid)),
        CoseError::KidLength(0)
    );
}

#[test]
fn errors_inside_embedded_envelopes_keep_their_cause() {
    let (payload, cred) = genuine();
    // The credential with a non-empty unprotected header.
    let mut unprotected = cred.clone();
    let at = unprotected
        .windows(2)
        .position(|w| w == [0x33, 0xa0])
        .unwrap()
        + 1; // the `a0` right after the kid
    unprotected.splice(at..=at, hex("a1 1863 00"));
    let with = edit(&payload, |e| set(e, 2, Value::Bytes(unprotected)));
    let err = Presentation::from_payload(&with).unwrap_err();
    assert!(matches!(
        err,
        Error::Model(ModelError::Embedded {
            structure: "credential",
            ..
        })
    ));
    assert_eq!(err.innermost(), &Error::Cose(CoseError::UnprotectedHeader));
    // A credential signed with ES384 (-35).
    let es384 = {
        let env = SignedCredential::decode(&cred).unwrap();
        let mut out = hex("d2 84 4e a2 01 3822 04 48");
        out.extend_from_slice(env.kid());
        out.push(0xa0);
        out.extend_from_slice(
            &cbor::encode(&Value::Bytes(env.envelope().payload().to_vec())).unwrap(),
        );
        out.extend_from_slice(&[0x58, 0x40]);
        out.extend_from_slice(&[1; 64]);
        out
    };
    let with = edit(&payload, |e| set(e, 2, Value::Bytes(es384)));
    assert_eq!(
        Presentation::from_payload(&with).unwrap_err().innermost(),
        &Error::Cose(CoseError::UnsupportedAlgorithm("-35".into()))
    );
    // A credential above its size limit.
    let huge = vec![0; MAX_CREDENTIAL_BYTES + 1];
    let with = edit(&payload, |e| set(e, 2, Value::Bytes(huge)));
    assert_eq!(
        Presentation::from_payload(&with).unwrap_err().innermost(),
        &Error::Cbor(CborError::TooLarge {
            size: MAX_CREDENTIAL_BYTES + 1,
            limit: MAX_CREDENTIAL_BYTES
        })
    );
    // An error that is not embedded is its own innermost.
    let e = Error::Cose(CoseError::Malformed);
    assert_eq!(e.innermost(), &e);
}

#[test]
fn presentation_lifetime_and_version_have_their_own_errors() {
    let (payload, _) = genuine();
    let issued = NOW;
    let long = edit(&payload, |e| set(e, 5, Value::from(issued + 181)));
    assert_eq!(
        Presentation::from_payload(&long).unwrap_err(),
        Error::Model(ModelError::PresentationLifetime { secs: 181 })
    );
    let ok = edit(&payload, |e| set(e, 5, Value::from(issued + 180)));
    assert!(Presentation::from_payload(&ok).is_ok());
    let reversed = edit(&payload, |e| set(e, 5, Value::from(issued)));
    assert_eq!(
        Presentation::from_payload(&reversed).unwrap_err(),
        Error::Model(ModelError::TimeWindow("presentation"))
    );
    let v2 = edit(&payload, |e| set(e, 1, Value::from(2)));
    assert_eq!(
        Presentation::from_payload(&v2).unwrap_err(),
        Error::Model(ModelError::UnsupportedVersion(2))
    );
    // The version is read first, whatever else a later version changes:
    // here text keys and an integer key beyond i64.
    let v2_text_keys = edit(&payload, |e| {
        set(e, 1, Value::from(2));
        e.push((Value::from("x"), Value::from(0)));
        e.push((Value::from(u64::MAX), Value::from(0)));
    });
    assert_eq!(
        Presentation::from_payload(&v2_text_keys).unwrap_err(),
        Error::Model(ModelError::UnsupportedVersion(2))
    );
    let v1_text_key = edit(&payload, |e| e.push((Value::from("x"), Value::from(0))));
    assert_eq!(
        Presentation::from_payload(&v1_text_key).unwrap_err(),
        Error::Model(ModelError::UnknownField {
            structure: "presentation",
            key: None
        })
    );
}
