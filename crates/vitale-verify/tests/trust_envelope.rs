//! Envelopes that must be refused: another root, altered bytes, headers
//! and encodings other than the profile's, oversized input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod trust_fixtures;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use trust_fixtures::*;
use vitale_codec::cbor::Value;
use vitale_verify::trust::{KeyMaterial, TrustList};
use vitale_verify::{Error, KeyUsage, TrustListError};

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

// --- Root and signature ------------------------------------------------

#[test]
fn a_list_signed_by_another_root_is_refused() {
    let other = sign_cbor(&draft(), 9);
    assert_eq!(
        load_cbor(&other).unwrap_err(),
        Error::TrustList(TrustListError::BadRootSignature)
    );
    // Another root's signature under our root's kid.
    let forged = sign_cbor_as(&draft(), anchor(ROOT_SEED).kid(), 9);
    assert_eq!(
        load_cbor(&forged).unwrap_err(),
        Error::TrustList(TrustListError::BadRootSignature)
    );
    let forged = sign_json_as(&draft(), anchor(ROOT_SEED).kid(), 9);
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
        r#"{"alg":"ES256","typ":"vitale-trust-list+json"}"#.to_owned(),
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

// --- Size ---------------------------------------------------------------

#[test]
fn oversized_input_is_refused_before_parsing() {
    assert_eq!(
        load_cbor(&vec![0u8; 65_537]).unwrap_err(),
        Error::TrustList(TrustListError::TooLarge)
    );
    assert_eq!(
        load_json(&"A".repeat(196_609)).unwrap_err(),
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

#[test]
fn a_full_list_within_the_cbor_limit_is_within_the_json_limit() {
    // 256 keys, every usage, 100-character labels: the JSON form's
    // overhead (member names, hex, base64, base64url) is largest on such
    // small entries.
    let mut d = draft();
    d.keys = (1..=256)
        .map(|i| {
            let mut e = numbered_entry(i);
            e.usages = vec![
                KeyUsage::Credential,
                KeyUsage::Delegation,
                KeyUsage::Receipt,
            ];
            e.label = Some(format!("{i:~>100}"));
            e
        })
        .collect();
    let cbor = sign_cbor(&d, ROOT_SEED);
    let jws = sign_json(&d, ROOT_SEED);
    assert!(cbor.len() <= 65_536, "{}", cbor.len());
    assert!(jws.len() <= 196_608, "{}", jws.len());
    assert_eq!(
        load_cbor(&cbor).unwrap(),
        load_json(&jws).unwrap(),
        "both forms load the same list"
    );
}

#[test]
fn no_white_space_around_the_json_header_or_payload() {
    let payload = json_payload(&draft()).to_string();
    let header = jws_header(ROOT_SEED);
    assert!(load_json(&sign_jws(&header, &payload, ROOT_SEED)).is_ok());
    // Inside the object, white space is JSON's business: accepted.
    let spaced_inside = payload.replacen(',', ", ", 1);
    assert!(load_json(&sign_jws(&header, &spaced_inside, ROOT_SEED)).is_ok());
    let malformed = Error::TrustList(TrustListError::Malformed);
    // Around it (docs/trust-list.md §3): refused, though the root signed
    // it and serde_json would skip it.
    for around in ["\n", " ", "\t", "\r\n"] {
        for (h, p) in [
            (header.clone(), format!("{payload}{around}")),
            (header.clone(), format!("{around}{payload}")),
            (format!("{header}{around}"), payload.clone()),
            (format!("{around}{header}"), payload.clone()),
        ] {
            assert_eq!(
                load_json(&sign_jws(&h, &p, ROOT_SEED)).unwrap_err(),
                malformed,
                "{around:?}"
            );
        }
    }
    // Around the JWS itself.
    let jws = sign_jws(&header, &payload, ROOT_SEED);
    for around in ["\n", " ", "\t", "\r\n"] {
        assert_eq!(load_json(&format!("{jws}{around}")).unwrap_err(), malformed);
        assert_eq!(load_json(&format!("{around}{jws}")).unwrap_err(), malformed);
    }
}
