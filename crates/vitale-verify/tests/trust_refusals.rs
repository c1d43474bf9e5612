//! Trust lists that must be refused, each with its own reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod trust_fixtures;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;
use trust_fixtures::*;
use vitale_codec::cbor::Value;
use vitale_verify::trust::{KeyMaterial, TrustList, TrustListDraft};
use vitale_verify::{Error, KeyError, KeyUsage, TrustListError};

fn load_cbor(bytes: &[u8]) -> Result<TrustList, Error> {
    TrustList::from_cbor(
        bytes,
        &anchor(ROOT_SEED),
        vitale_verify::default_backend(),
        ts(NOW),
    )
}

fn load_json(text: &str) -> Result<TrustList, Error> {
    TrustList::from_json(
        text,
        &anchor(ROOT_SEED),
        vitale_verify::default_backend(),
        ts(NOW),
    )
}

/// Signs the draft in both forms and expects the same refusal from each.
fn refused_both(draft: &TrustListDraft, want: TrustListError) {
    let want = Error::TrustList(want);
    assert_eq!(
        load_cbor(&sign_cbor(draft, ROOT_SEED)).unwrap_err(),
        want,
        "CBOR"
    );
    assert_eq!(
        load_json(&sign_json(draft, ROOT_SEED)).unwrap_err(),
        want,
        "JSON"
    );
}

fn cbor_refused(payload: &Value, want: TrustListError) {
    assert_eq!(
        load_cbor(&sign_cbor_value(payload, ROOT_SEED)).unwrap_err(),
        Error::TrustList(want)
    );
}

fn json_refused(payload: &serde_json::Value, want: TrustListError) {
    let jws = sign_jws(&jws_header(ROOT_SEED), &payload.to_string(), ROOT_SEED);
    assert_eq!(load_json(&jws).unwrap_err(), Error::TrustList(want));
}

// --- Validity -------------------------------------------------------------

#[test]
fn an_expired_or_not_yet_valid_list_is_refused() {
    for now in [ISSUED - 1, EXPIRES, EXPIRES + 1] {
        for result in [
            TrustList::from_cbor(
                &sign_cbor(&draft(), ROOT_SEED),
                &anchor(ROOT_SEED),
                vitale_verify::default_backend(),
                ts(now),
            ),
            TrustList::from_json(
                &sign_json(&draft(), ROOT_SEED),
                &anchor(ROOT_SEED),
                vitale_verify::default_backend(),
                ts(now),
            ),
        ] {
            let want = if now < ISSUED {
                TrustListError::NotYetValid {
                    not_before: ts(ISSUED),
                    now: ts(now),
                }
            } else {
                TrustListError::Expired {
                    expired_at: ts(EXPIRES),
                    now: ts(now),
                }
            };
            let e = result.unwrap_err();
            assert_eq!(e, Error::TrustList(want));
            // The message names the verification time (and the bound).
            assert!(e.to_string().contains(&ts(now).to_rfc3339()), "{e}");
        }
    }
}

#[test]
fn windows_that_end_before_they_start_are_malformed() {
    let mut d = draft();
    d.expires_at = d.issued_at;
    refused_both(&d, TrustListError::Malformed);
    let mut d = draft();
    d.keys[0].expires_at = d.keys[0].not_before;
    refused_both(&d, TrustListError::Malformed);
}

// --- Entries ------------------------------------------------------------

#[test]
fn a_kid_that_does_not_match_the_key_is_refused() {
    let mut payload = cbor_payload(&draft());
    *cbor_get(cbor_first_entry(&mut payload), 1) = Value::Bytes(vec![0; 8]);
    cbor_refused(&payload, TrustListError::KidMismatch);
    let mut payload = json_payload(&draft());
    payload["keys"][0]["kid"] = json!("0000000000000000");
    json_refused(&payload, TrustListError::KidMismatch);
}

#[test]
fn duplicate_kids_are_refused() {
    let mut d = draft();
    d.keys[1] = d.keys[0].clone();
    d.keys[1].usages = vec![KeyUsage::Receipt];
    refused_both(&d, TrustListError::DuplicateKid);
}

#[test]
fn unknown_fields_are_refused() {
    let mut payload = cbor_payload(&draft());
    let Value::Map(entries) = &mut payload else {
        panic!()
    };
    entries.push((Value::from(6), Value::from(0)));
    cbor_refused(&payload, TrustListError::Malformed);
    let mut payload = cbor_payload(&draft());
    let Value::Map(entries) = cbor_first_entry(&mut payload) else {
        panic!()
    };
    entries.push((Value::from(8), Value::from(0)));
    cbor_refused(&payload, TrustListError::Malformed);
    let mut payload = cbor_payload(&draft());
    let Value::Map(entries) = cbor_first_entry(&mut payload) else {
        panic!()
    };
    entries.push((Value::from("x"), Value::from(0)));
    cbor_refused(&payload, TrustListError::Malformed);

    let mut payload = json_payload(&draft());
    payload["extensions"] = json!({});
    json_refused(&payload, TrustListError::Malformed);
    let mut payload = json_payload(&draft());
    payload["keys"][0]["comment"] = json!("x");
    json_refused(&payload, TrustListError::Malformed);
}

#[test]
fn missing_fields_and_wrong_types_are_refused() {
    for key in [2, 3, 4, 5] {
        let mut payload = cbor_payload(&draft());
        let Value::Map(entries) = &mut payload else {
            panic!()
        };
        entries.retain(|(k, _)| *k != Value::from(key));
        cbor_refused(&payload, TrustListError::Malformed);
    }
    for key in [1, 4, 5, 6] {
        let mut payload = cbor_payload(&draft());
        let Value::Map(entries) = cbor_first_entry(&mut payload) else {
            panic!()
        };
        entries.retain(|(k, _)| *k != Value::from(key));
        cbor_refused(&payload, TrustListError::Malformed);
    }
    let mut payload = cbor_payload(&draft());
    *cbor_get(&mut payload, 2) = Value::from(-1);
    cbor_refused(&payload, TrustListError::Malformed);
    let mut payload = cbor_payload(&draft());
    *cbor_get(&mut payload, 4) = Value::from(253_402_300_800u64);
    cbor_refused(&payload, TrustListError::Malformed);
    let mut payload = cbor_payload(&draft());
    *cbor_get(cbor_first_entry(&mut payload), 7) = Value::Bytes(vec![]);
    cbor_refused(&payload, TrustListError::Malformed);

    for field in ["sequence", "issued_at", "keys"] {
        let mut payload = json_payload(&draft());
        payload.as_object_mut().unwrap().remove(field);
        json_refused(&payload, TrustListError::Malformed);
    }
    for (field, value) in [
        ("sequence", json!(-1)),
        ("sequence", json!(1.0)),
        ("sequence", json!("1")),
        ("issued_at", json!(1_793_491_200)),
        ("issued_at", json!("2026-11-01T00:00:00+00:00")),
        ("issued_at", json!("2026-11-01T00:00:00.000Z")),
        ("issued_at", json!("2026-11-01t00:00:00z")),
    ] {
        let mut payload = json_payload(&draft());
        payload[field] = value;
        json_refused(&payload, TrustListError::Malformed);
    }
    for (field, value) in [
        ("label", serde_json::Value::Null),
        ("spki", serde_json::Value::Null),
        ("kid", json!("F857AE4ED6E34E33")),
        ("kid", json!("f857ae4ed6e34e")),
        ("usages", json!("credential")),
        ("not_before", json!("2026-02-30T00:00:00Z")),
    ] {
        let mut payload = json_payload(&draft());
        payload["keys"][0][field] = value;
        json_refused(&payload, TrustListError::Malformed);
    }
}

#[test]
fn a_later_version_is_reported_as_such() {
    let mut payload = cbor_payload(&draft());
    *cbor_get(&mut payload, 1) = Value::from(2);
    let Value::Map(entries) = &mut payload else {
        panic!()
    };
    entries.push((Value::from(9), Value::from("new")));
    // Even with a text key, which version 1 never has.
    entries.push((Value::from("next"), Value::from(true)));
    cbor_refused(&payload, TrustListError::UnsupportedVersion);
    let mut payload = json_payload(&draft());
    payload["version"] = json!(2);
    payload["new_field"] = json!(true);
    json_refused(&payload, TrustListError::UnsupportedVersion);
}

#[test]
fn usages_must_be_known_non_empty_and_strictly_increasing() {
    for codes in [
        vec![],
        vec![0],
        vec![4],
        vec![2, 1],
        vec![1, 1],
        vec![1, 2, 3, 3],
    ] {
        let mut payload = cbor_payload(&draft());
        *cbor_get(cbor_first_entry(&mut payload), 6) =
            Value::Array(codes.iter().map(|&c| Value::from(c)).collect());
        cbor_refused(&payload, TrustListError::Malformed);
    }
    let mut payload = cbor_payload(&draft());
    *cbor_get(cbor_first_entry(&mut payload), 6) = Value::Array(vec![Value::from(-1)]);
    cbor_refused(&payload, TrustListError::Malformed);
    for names in [
        json!([]),
        json!(["receipts"]),
        json!(["Credential"]),
        json!(["delegation", "credential"]),
        json!(["credential", "credential"]),
        json!([1]),
    ] {
        let mut payload = json_payload(&draft());
        payload["keys"][0]["usages"] = names;
        json_refused(&payload, TrustListError::Malformed);
    }
    let mut d = draft();
    d.keys[0].usages = vec![KeyUsage::Receipt, KeyUsage::Credential];
    refused_both(&d, TrustListError::Malformed);
}

#[test]
fn exactly_one_of_spki_and_certificate() {
    let spki_bytes = spki(&key(ISSUER_SEED));
    let certificate = cose_wg_certificate("alice.der");
    // Both.
    let mut payload = cbor_payload(&draft());
    let Value::Map(entries) = cbor_first_entry(&mut payload) else {
        panic!()
    };
    entries.push((Value::from(3), Value::Bytes(certificate.clone())));
    cbor_refused(&payload, TrustListError::Malformed);
    let mut payload = json_payload(&draft());
    payload["keys"][0]["certificate"] = json!(STANDARD.encode(&certificate));
    json_refused(&payload, TrustListError::Malformed);
    // Neither.
    let mut payload = cbor_payload(&draft());
    let Value::Map(entries) = cbor_first_entry(&mut payload) else {
        panic!()
    };
    entries.retain(|(k, _)| *k != Value::from(2));
    cbor_refused(&payload, TrustListError::Malformed);
    let mut payload = json_payload(&draft());
    payload["keys"][0].as_object_mut().unwrap().remove("spki");
    json_refused(&payload, TrustListError::Malformed);
    // Base64 must be canonical standard base64 with padding.
    let mut payload = json_payload(&draft());
    payload["keys"][0]["spki"] = json!(URL_SAFE_NO_PAD.encode(&spki_bytes));
    json_refused(&payload, TrustListError::Malformed);
}

#[test]
fn unusable_keys_are_refused() {
    let cases: Vec<(Vec<u8>, KeyError)> = vec![
        (vec![0x30, 0x00], KeyError::MalformedSpki),
        (b"not DER at all".to_vec(), KeyError::MalformedSpki),
        // An SPKI with trailing bytes.
        ([spki(&key(ISSUER_SEED)), vec![0]].concat(), KeyError::MalformedSpki),
        // The P-256 prefix with a point that is not on the curve.
        (
            [spki(&key(ISSUER_SEED))[..26].to_vec(), vec![0x04], vec![0x01; 64]].concat(),
            KeyError::NotOnCurve,
        ),
        // Ed25519 (RFC 8410 example key).
        (
            hex::decode(
                "302a300506032b657003210019bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1",
            )
            .unwrap(),
            KeyError::NotEcKey,
        ),
        // id-ecPublicKey on secp384r1, with a 97-byte point.
        (
            [
                hex::decode("3076301006072a8648ce3d020106052b81040022036200").unwrap(),
                vec![0x04],
                vec![0x01; 96],
            ]
            .concat(),
            KeyError::WrongCurve,
        ),
    ];
    for (der, reason) in cases {
        let mut d = draft();
        d.keys[0].material = KeyMaterial::Spki(der);
        refused_both(&d, TrustListError::BadKey(reason));
    }
}

#[test]
fn unparsable_certificates_are_refused() {
    let certificate = cose_wg_certificate("alice.der");
    for der in [
        vec![],
        certificate[..certificate.len() - 1].to_vec(),
        [certificate.clone(), vec![0]].concat(),
        spki(&key(ISSUER_SEED)),
    ] {
        let mut payload = cbor_payload(&draft());
        let Value::Map(entries) = cbor_first_entry(&mut payload) else {
            panic!()
        };
        entries.retain(|(k, _)| *k != Value::from(2));
        entries.push((Value::from(3), Value::Bytes(der.clone())));
        cbor_refused(&payload, TrustListError::BadCertificate);
        let mut payload = json_payload(&draft());
        let entry = payload["keys"][0].as_object_mut().unwrap();
        entry.remove("spki");
        entry.insert("certificate".into(), json!(STANDARD.encode(&der)));
        json_refused(&payload, TrustListError::BadCertificate);
    }
    // The signer cannot compute the kid of an unparsable certificate.
    let mut d = draft();
    d.keys[0].material = KeyMaterial::Certificate(vec![0x30, 0x00]);
    assert!(matches!(
        d.prepare_cbor(anchor(ROOT_SEED).kid()),
        Err(vitale_codec::Error::Model(_))
    ));
    assert!(matches!(
        d.prepare_json(anchor(ROOT_SEED).kid()),
        Err(vitale_codec::Error::Model(_))
    ));
}

#[test]
fn labels_are_1_to_100_characters_without_controls() {
    for (label, ok) in [
        ("é".repeat(100), true),
        ("x".to_owned(), true),
        (String::new(), false),
        ("é".repeat(101), false),
        ("line\nbreak".to_owned(), false),
        ("nul\0".to_owned(), false),
    ] {
        let mut d = draft();
        d.keys[0].label = Some(label.clone());
        if ok {
            assert!(load_cbor(&sign_cbor(&d, ROOT_SEED)).is_ok(), "{label:?}");
            assert!(load_json(&sign_json(&d, ROOT_SEED)).is_ok(), "{label:?}");
        } else {
            refused_both(&d, TrustListError::Malformed);
        }
    }
}

#[test]
fn key_count_is_1_to_256() {
    let mut d = draft();
    d.keys.clear();
    refused_both(&d, TrustListError::Malformed);
    // 256 distinct keys load.
    let mut d = draft();
    d.keys = (1..=256).map(numbered_entry).collect();
    let bytes = sign_cbor(&d, ROOT_SEED);
    assert!(bytes.len() <= 65_536);
    assert_eq!(load_cbor(&bytes).unwrap().keys().len(), 256);
    let jws = sign_json(&d, ROOT_SEED);
    assert_eq!(load_json(&jws).unwrap().keys().len(), 256);
    d.keys.push(numbered_entry(257));
    refused_both(&d, TrustListError::TooLarge);
}
