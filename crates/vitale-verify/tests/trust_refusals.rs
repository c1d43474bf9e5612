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

// --- Root and signature ------------------------------------------------

#[test]
fn a_list_signed_by_another_root_is_refused() {
    let other = sign_cbor(&draft(), 9);
    assert_eq!(
        load_cbor(&other).unwrap_err(),
        Error::TrustList(TrustListError::BadRootSignature)
    );
    // Another root's signature under our root's kid.
    let forged = draft()
        .sign_cbor(anchor(ROOT_SEED).kid(), signer(9))
        .unwrap();
    assert_eq!(
        load_cbor(&forged).unwrap_err(),
        Error::TrustList(TrustListError::BadRootSignature)
    );
    let forged = draft()
        .sign_json(anchor(ROOT_SEED).kid(), signer(9))
        .unwrap();
    assert_eq!(
        load_json(&forged).unwrap_err(),
        Error::TrustList(TrustListError::BadRootSignature)
    );
    let other = sign_json(&draft(), 9);
    assert_eq!(
        load_json(&other).unwrap_err(),
        Error::TrustList(TrustListError::BadRootSignature)
    );
}

#[test]
fn any_single_byte_change_of_the_cbor_form_is_refused() {
    let bytes = sign_cbor(&draft(), ROOT_SEED);
    assert!(load_cbor(&bytes).is_ok());
    for i in 0..bytes.len() {
        for flip in [0x01, 0xff] {
            let mut changed = bytes.clone();
            changed[i] ^= flip;
            assert!(load_cbor(&changed).is_err(), "byte {i} ^ {flip:02x}");
        }
    }
    // Truncated or extended.
    for len in 0..bytes.len() {
        assert!(load_cbor(&bytes[..len]).is_err(), "truncated to {len}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(load_cbor(&longer).is_err());
}

#[test]
fn any_single_character_change_of_the_json_form_is_refused() {
    let jws = sign_json(&draft(), ROOT_SEED);
    assert!(load_json(&jws).is_ok());
    let bytes = jws.as_bytes();
    for i in 0..bytes.len() {
        for replacement in [b'A', b'.'] {
            if bytes[i] == replacement {
                continue;
            }
            let mut changed = bytes.to_vec();
            changed[i] = replacement;
            let text = String::from_utf8(changed).unwrap();
            assert!(
                load_json(&text).is_err(),
                "char {i} -> {}",
                replacement as char
            );
        }
    }
    assert!(load_json(&format!("{jws}\n")).is_err());
    assert!(load_json(&format!(" {jws}")).is_err());
}

#[test]
fn the_cbor_envelope_must_be_exactly_the_profile_form() {
    let payload = cbor_payload(&draft());
    let payload_bytes = vitale_codec::cbor::encode(&payload).unwrap();
    let kid = anchor(ROOT_SEED).kid().to_vec();
    let sign = |protected: Value, unprotected: Value, tagged: bool| {
        let protected = vitale_codec::cbor::encode(&protected).unwrap();
        let tbs = vitale_codec::cbor::encode(&Value::Array(vec![
            Value::from("Signature1"),
            Value::Bytes(protected.clone()),
            Value::Bytes(vec![]),
            Value::Bytes(payload_bytes.clone()),
        ]))
        .unwrap();
        let signature = sign_with(&key(ROOT_SEED), &tbs);
        let array = Value::Array(vec![
            Value::Bytes(protected),
            unprotected,
            Value::Bytes(payload_bytes.clone()),
            Value::Bytes(signature.to_vec()),
        ]);
        let value = if tagged {
            Value::Tag(18, Box::new(array))
        } else {
            array
        };
        vitale_codec::cbor::encode(&value).unwrap()
    };
    let header = |extra: Vec<(Value, Value)>| {
        let mut entries = vec![
            (Value::from(1), Value::from(-7)),
            (Value::from(4), Value::Bytes(kid.clone())),
        ];
        entries.extend(extra);
        Value::Map(entries)
    };
    // The reference form loads: the test's signing is right.
    assert!(load_cbor(&sign(header(vec![]), Value::Map(vec![]), true)).is_ok());
    let malformed = Error::TrustList(TrustListError::Malformed);
    // Untagged.
    assert_eq!(
        load_cbor(&sign(header(vec![]), Value::Map(vec![]), false)).unwrap_err(),
        malformed
    );
    // An unprotected header.
    let unprotected = Value::Map(vec![(Value::from(4), Value::Bytes(kid.clone()))]);
    assert_eq!(
        load_cbor(&sign(header(vec![]), unprotected, true)).unwrap_err(),
        malformed
    );
    // Another protected header (content type).
    let with_cty = header(vec![(Value::from(3), Value::from(60))]);
    assert_eq!(
        load_cbor(&sign(with_cty, Value::Map(vec![]), true)).unwrap_err(),
        malformed
    );
    // No kid, a short kid.
    let no_kid = Value::Map(vec![(Value::from(1), Value::from(-7))]);
    assert_eq!(
        load_cbor(&sign(no_kid, Value::Map(vec![]), true)).unwrap_err(),
        malformed
    );
    let short_kid = Value::Map(vec![
        (Value::from(1), Value::from(-7)),
        (Value::from(4), Value::Bytes(kid[..7].to_vec())),
    ]);
    assert_eq!(
        load_cbor(&sign(short_kid, Value::Map(vec![]), true)).unwrap_err(),
        malformed
    );
    // Another algorithm (ES384).
    let es384 = Value::Map(vec![
        (Value::from(1), Value::from(-35)),
        (Value::from(4), Value::Bytes(kid.clone())),
    ]);
    assert_eq!(
        load_cbor(&sign(es384, Value::Map(vec![]), true)).unwrap_err(),
        malformed
    );
}

#[test]
fn non_deterministic_cbor_payload_is_refused() {
    // A payload whose version is encoded on two bytes (18 01).
    let bytes = vitale_codec::cbor::encode(&cbor_payload(&draft())).unwrap();
    assert_eq!(&bytes[..3], &[0xa5, 0x01, 0x01]);
    let mut loose = vec![0xa5, 0x01, 0x18, 0x01];
    loose.extend_from_slice(&bytes[3..]);
    let signed = vitale_codec::cose::Sign1::sign(
        Some(&anchor(ROOT_SEED).kid()),
        &loose,
        &[],
        signer(ROOT_SEED),
    )
    .unwrap();
    assert_eq!(
        load_cbor(&signed).unwrap_err(),
        Error::TrustList(TrustListError::Malformed)
    );
}

#[test]
fn the_jws_header_must_be_es256_with_the_root_kid_and_the_type() {
    let payload = json_payload(&draft()).to_string();
    let kid = hex::encode(anchor(ROOT_SEED).kid());
    // The reference header loads; so does the same object spaced out.
    assert!(load_json(&sign_jws(&jws_header(ROOT_SEED), &payload, ROOT_SEED)).is_ok());
    let spaced =
        format!(r#"{{ "typ": "vitale-trust-list+json", "kid": "{kid}", "alg": "ES256" }}"#);
    assert!(load_json(&sign_jws(&spaced, &payload, ROOT_SEED)).is_ok());
    let malformed = Error::TrustList(TrustListError::Malformed);
    for header in [
        format!(r#"{{"alg":"ES384","kid":"{kid}","typ":"vitale-trust-list+json"}}"#),
        format!(r#"{{"alg":"none","kid":"{kid}","typ":"vitale-trust-list+json"}}"#),
        format!(r#"{{"alg":"HS256","kid":"{kid}","typ":"vitale-trust-list+json"}}"#),
        format!(
            r#"{{"alg":"ES256","crit":["exp"],"kid":"{kid}","typ":"vitale-trust-list+json","exp":1}}"#
        ),
        format!(r#"{{"alg":"ES256","kid":"{kid}","typ":"JWT"}}"#),
        format!(r#"{{"alg":"ES256","kid":"{kid}"}}"#),
        format!(r#"{{"alg":"ES256","typ":"vitale-trust-list+json"}}"#),
        format!(
            r#"{{"alg":"ES256","kid":"{}","typ":"vitale-trust-list+json"}}"#,
            kid.to_uppercase()
        ),
        format!(r#"{{"alg":"ES256","kid":"{kid}","kid":"{kid}","typ":"vitale-trust-list+json"}}"#),
        format!(r#"{{"alg":"ES256","kid":"{kid}","typ":"vitale-trust-list+json","b64":false}}"#),
        r#"["ES256"]"#.to_owned(),
    ] {
        assert_eq!(
            load_json(&sign_jws(&header, &payload, ROOT_SEED)).unwrap_err(),
            malformed,
            "{header}"
        );
    }
    // Padding, the standard alphabet and extra parts are refused.
    let jws = sign_jws(&jws_header(ROOT_SEED), &payload, ROOT_SEED);
    let parts: Vec<&str> = jws.split('.').collect();
    let padded = format!("{}=.{}.{}", parts[0], parts[1], parts[2]);
    assert!(load_json(&padded).is_err());
    assert!(load_json(&format!("{jws}.")).is_err());
    assert!(load_json(&format!("{}.{}", parts[0], parts[1])).is_err());
    let header_std = STANDARD.encode(jws_header(ROOT_SEED));
    if header_std != parts[0] {
        assert!(load_json(&format!("{header_std}.{}.{}", parts[1], parts[2])).is_err());
    }
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
            assert_eq!(
                result.unwrap_err(),
                Error::TrustList(TrustListError::Expired)
            );
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
        d.sign_cbor(anchor(ROOT_SEED).kid(), signer(ROOT_SEED)),
        Err(Error::Malformed(_))
    ));
    assert!(matches!(
        d.sign_json(anchor(ROOT_SEED).kid(), signer(ROOT_SEED)),
        Err(Error::Malformed(_))
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
    // 256 distinct keys load (scalars 1..=256 as big-endian numbers).
    let entry_for = |i: u16| {
        let mut scalar = [0u8; 32];
        scalar[30..].copy_from_slice(&i.to_be_bytes());
        let signing = p256::ecdsa::SigningKey::from_slice(&scalar).unwrap();
        let mut e = entry(ISSUER_SEED, &[KeyUsage::Credential], None);
        e.material = KeyMaterial::Spki(spki(&signing));
        e
    };
    let mut d = draft();
    d.keys = (1..=256).map(entry_for).collect();
    let bytes = sign_cbor(&d, ROOT_SEED);
    assert!(bytes.len() <= 65_536);
    assert_eq!(load_cbor(&bytes).unwrap().keys().len(), 256);
    let jws = sign_json(&d, ROOT_SEED);
    assert_eq!(load_json(&jws).unwrap().keys().len(), 256);
    d.keys.push(entry_for(257));
    refused_both(&d, TrustListError::TooLarge);
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    assert_eq!(
        load_cbor(&vec![0u8; 65_537]).unwrap_err(),
        Error::TrustList(TrustListError::TooLarge)
    );
    assert_eq!(
        load_json(&"A".repeat(131_073)).unwrap_err(),
        Error::TrustList(TrustListError::TooLarge)
    );
    // A list whose entries are padded with long labels beyond 64 KiB
    // cannot be signed small enough: the size limit applies to the whole.
    let mut d = draft();
    d.keys = (0..200)
        .map(|i| {
            let mut e = d.keys[0].clone();
            e.label = Some(format!("{i:0>100}"));
            e
        })
        .collect();
    d.keys
        .iter_mut()
        .for_each(|e| e.material = KeyMaterial::Certificate(cose_wg_certificate("alice.der")));
    let bytes = sign_cbor(&d, ROOT_SEED);
    assert!(bytes.len() > 65_536);
    assert_eq!(
        load_cbor(&bytes).unwrap_err(),
        Error::TrustList(TrustListError::TooLarge)
    );
}
