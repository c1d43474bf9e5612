//! Trust lists that must load: round trips of both forms with every
//! backend, certificate entries, and the sequence rule of the store.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod trust_fixtures;

use trust_fixtures::*;
use vitale_verify::trust::{KeyMaterial, TrustList, TrustListDraft, TrustStore, kid_of_spki};
use vitale_verify::{Error, KeyUsage, PublicKey, TrustListError};

/// The loaded list says what the draft said.
fn assert_same(list: &TrustList, draft: &TrustListDraft) {
    assert_eq!(list.sequence(), draft.sequence);
    assert_eq!(list.issued_at(), draft.issued_at);
    assert_eq!(list.expires_at(), draft.expires_at);
    assert_eq!(list.keys().len(), draft.keys.len());
    for (key, want) in list.keys().iter().zip(&draft.keys) {
        let spki = match &want.material {
            KeyMaterial::Spki(der) => der.clone(),
            KeyMaterial::Certificate(_) => key.public_key().to_spki_der(),
        };
        assert_eq!(key.kid(), &kid_of_spki(&spki));
        assert_eq!(key.public_key(), &PublicKey::from_spki_der(&spki).unwrap());
        assert_eq!(key.validity().not_before(), want.not_before);
        assert_eq!(key.validity().expires_at(), want.expires_at);
        assert_eq!(key.usages(), want.usages.as_slice());
        assert_eq!(key.label(), want.label.as_deref());
        assert_eq!(list.find(key.kid()), Some(key));
    }
}

#[test]
fn cbor_round_trip_with_every_backend() {
    let draft = draft();
    let bytes = sign_cbor(&draft, ROOT_SEED);
    for backend in backends() {
        let list = TrustList::from_cbor(&bytes, &anchor(ROOT_SEED), *backend, ts(NOW)).unwrap();
        assert_same(&list, &draft);
        assert_eq!(list.root_kid(), anchor(ROOT_SEED).kid());
    }
}

#[test]
fn json_round_trip_with_every_backend() {
    let draft = draft();
    let jws = sign_json(&draft, ROOT_SEED);
    for backend in backends() {
        let list = TrustList::from_json(&jws, &anchor(ROOT_SEED), *backend, ts(NOW)).unwrap();
        assert_same(&list, &draft);
    }
}

#[test]
fn both_forms_load_to_equal_lists() {
    let draft = draft();
    let a = anchor(ROOT_SEED);
    let backend = vitale_verify::default_backend();
    let from_cbor = TrustList::from_cbor(&sign_cbor(&draft, ROOT_SEED), &a, backend, ts(NOW));
    let from_json = TrustList::from_json(&sign_json(&draft, ROOT_SEED), &a, backend, ts(NOW));
    assert_eq!(from_cbor.unwrap(), from_json.unwrap());
}

#[test]
fn the_format_md_issuer_is_found_with_its_usages() {
    let list = TrustList::from_cbor(
        &sign_cbor(&draft(), ROOT_SEED),
        &anchor(ROOT_SEED),
        vitale_verify::default_backend(),
        ts(NOW),
    )
    .unwrap();
    // The issuer kid of docs/format.md §10.
    let kid: [u8; 8] = hex::decode("f857ae4ed6e34e33").unwrap().try_into().unwrap();
    let issuer = list.find(&kid).unwrap();
    assert!(issuer.allows(KeyUsage::Credential));
    assert!(issuer.allows(KeyUsage::Delegation));
    assert!(!issuer.allows(KeyUsage::Receipt));
    assert!(issuer.validity().contains(ts(NOW)));
    assert_eq!(issuer.label(), Some("open-profile test issuer"));
    let receipt = list.find(&kid_of_spki(&spki(&key(RECEIPT_SEED)))).unwrap();
    assert_eq!(receipt.usages(), &[KeyUsage::Receipt]);
    assert_eq!(receipt.label(), None);
    assert!(list.find(&[0; 8]).is_none());
}

#[test]
fn the_list_is_valid_from_issued_at_inclusive_to_expires_at_exclusive() {
    let bytes = sign_cbor(&draft(), ROOT_SEED);
    let jws = sign_json(&draft(), ROOT_SEED);
    let backend = vitale_verify::default_backend();
    for (now, ok) in [
        (ISSUED - 1, false),
        (ISSUED, true),
        (EXPIRES - 1, true),
        (EXPIRES, false),
        (EXPIRES + 86_400, false),
    ] {
        for result in [
            TrustList::from_cbor(&bytes, &anchor(ROOT_SEED), backend, ts(now)),
            TrustList::from_json(&jws, &anchor(ROOT_SEED), backend, ts(now)),
        ] {
            if ok {
                assert!(result.is_ok(), "at {now}");
            } else {
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
                assert_eq!(result.unwrap_err(), Error::TrustList(want), "at {now}");
            }
        }
    }
}

#[test]
fn anchor_from_spki_der_equals_anchor_from_key() {
    let root = key(ROOT_SEED);
    let from_der = vitale_verify::trust::TrustAnchor::from_spki_der(&spki(&root)).unwrap();
    assert_eq!(from_der, anchor(ROOT_SEED));
    assert_eq!(from_der.public_key(), &public(&root));
    assert_eq!(from_der.kid(), kid_of_spki(&spki(&root)));
    assert!(vitale_verify::trust::TrustAnchor::from_spki_der(&[0x30, 0x00]).is_err());
}

#[test]
fn certificate_entries_of_the_cose_wg_examples_load() {
    for name in ["alice.der", "ca.der"] {
        let certificate = cose_wg_certificate(name);
        let mut draft = draft();
        draft.keys[1].material = KeyMaterial::Certificate(certificate.clone());
        let parsed =
            <x509_cert::Certificate as x509_cert::der::Decode>::from_der(&certificate).unwrap();
        let cert_spki =
            x509_cert::der::Encode::to_der(parsed.tbs_certificate().subject_public_key_info())
                .unwrap();
        for (bytes_or_text, is_cbor) in [
            (hex::encode(sign_cbor(&draft, ROOT_SEED)), true),
            (sign_json(&draft, ROOT_SEED), false),
        ] {
            let a = anchor(ROOT_SEED);
            let backend = vitale_verify::default_backend();
            let list = if is_cbor {
                TrustList::from_cbor(&hex::decode(&bytes_or_text).unwrap(), &a, backend, ts(NOW))
            } else {
                TrustList::from_json(&bytes_or_text, &a, backend, ts(NOW))
            }
            .unwrap();
            assert_same(&list, &draft);
            let key = &list.keys()[1];
            assert_eq!(key.kid(), &kid_of_spki(&cert_spki), "{name}");
            assert_eq!(
                key.public_key(),
                &PublicKey::from_spki_der(&cert_spki).unwrap()
            );
        }
    }
}

#[test]
fn a_certificate_entry_must_lie_within_the_certificate_validity() {
    // alice.der: notBefore 2020-12-02T17:27:25Z, notAfter 2053-10-10T17:27:25Z.
    let not_before = 1_606_930_045;
    let not_after = 2_643_730_045;
    let cases = [
        (not_before, not_after + 1, true),
        (not_before - 1, KEY_UNTIL, false),
        (KEY_FROM, not_after + 2, false),
    ];
    for (from, until, ok) in cases {
        let mut draft = draft();
        draft.keys[1].material = KeyMaterial::Certificate(cose_wg_certificate("alice.der"));
        draft.keys[1].not_before = ts(from);
        draft.keys[1].expires_at = ts(until);
        let result = TrustList::from_cbor(
            &sign_cbor(&draft, ROOT_SEED),
            &anchor(ROOT_SEED),
            vitale_verify::default_backend(),
            ts(NOW),
        );
        if ok {
            result.unwrap();
        } else {
            assert_eq!(
                result.unwrap_err(),
                Error::TrustList(TrustListError::BadCertificate),
                "{from}..{until}"
            );
        }
    }
}

fn list_with_sequence(sequence: u64) -> TrustList {
    let mut draft = draft();
    draft.sequence = sequence;
    TrustList::from_cbor(
        &sign_cbor(&draft, ROOT_SEED),
        &anchor(ROOT_SEED),
        vitale_verify::default_backend(),
        ts(NOW),
    )
    .unwrap()
}

#[test]
fn the_store_accepts_only_a_greater_sequence() {
    let store = TrustStore::new(anchor(ROOT_SEED), list_with_sequence(5));
    assert_eq!(store.anchor(), &anchor(ROOT_SEED));
    for stale in [0, 4, 5] {
        assert_eq!(
            store.update(list_with_sequence(stale)),
            Err(Error::TrustList(TrustListError::StaleSequence {
                offered: stale,
                current: 5
            }))
        );
        assert_eq!(store.current().sequence(), 5);
    }
    store.update(list_with_sequence(6)).unwrap();
    assert_eq!(store.current().sequence(), 6);
    store.update(list_with_sequence(u64::MAX)).unwrap();
    assert_eq!(store.current().sequence(), u64::MAX);
}

#[test]
fn the_store_updates_from_both_forms() {
    let store = TrustStore::new(anchor(ROOT_SEED), list_with_sequence(1));
    let backend = vitale_verify::default_backend();
    let mut draft = draft();
    draft.sequence = 2;
    store
        .update_from_cbor(&sign_cbor(&draft, ROOT_SEED), backend, ts(NOW))
        .unwrap();
    assert_eq!(
        store.update_from_cbor(&sign_cbor(&draft, ROOT_SEED), backend, ts(NOW)),
        Err(Error::TrustList(TrustListError::StaleSequence {
            offered: 2,
            current: 2
        }))
    );
    draft.sequence = 3;
    store
        .update_from_json(&sign_json(&draft, ROOT_SEED), backend, ts(NOW))
        .unwrap();
    assert_eq!(store.current().sequence(), 3);
    // A newer list from another root is refused, the store unchanged.
    draft.sequence = 4;
    assert_eq!(
        store.update_from_cbor(&sign_cbor(&draft, 9), backend, ts(NOW)),
        Err(Error::TrustList(TrustListError::BadRootSignature))
    );
    assert_eq!(store.current().sequence(), 3);
}

#[test]
fn the_store_refuses_a_list_verified_under_another_anchor() {
    let store = TrustStore::new(anchor(ROOT_SEED), list_with_sequence(1));
    let mut draft = draft();
    draft.sequence = 2;
    let other = TrustList::from_cbor(
        &sign_cbor(&draft, 9),
        &anchor(9),
        vitale_verify::default_backend(),
        ts(NOW),
    )
    .unwrap();
    assert_eq!(
        store.update(other),
        Err(Error::TrustList(TrustListError::BadRootSignature))
    );
}

#[test]
fn two_phase_signing_can_store_the_bytes_between_the_phases() {
    use vitale_codec::cose::ToBeSigned;
    use vitale_verify::Signer as _;
    use vitale_verify::trust::MAX_TRUST_LIST_BYTES;

    let kid = anchor(ROOT_SEED).kid();
    // CBOR: phase 1, store the bytes, rebuild them strictly, phase 2.
    let stored = draft().prepare_cbor(kid).unwrap().bytes().to_vec();
    let tbs = ToBeSigned::from_bytes(&stored, MAX_TRUST_LIST_BYTES).unwrap();
    assert_eq!(tbs.kid(), Some(&kid));
    let signature = root_signer(ROOT_SEED).sign(&stored).unwrap();
    let bytes = tbs.complete(signature.to_bytes());
    assert_eq!(bytes, sign_cbor(&draft(), ROOT_SEED));
    // The list's envelope covers exactly the stored bytes.
    let envelope = vitale_codec::cose::Sign1::decode(
        &bytes,
        MAX_TRUST_LIST_BYTES,
        vitale_codec::cose::ParseMode::OpenProfile,
    )
    .unwrap();
    assert_eq!(envelope.to_be_signed(&[]).unwrap(), stored);
    // JSON: the signing input is the first two parts of the JWS.
    let tbs = draft().prepare_json(kid).unwrap();
    let input = String::from_utf8(tbs.bytes().to_vec()).unwrap();
    let signature = root_signer(ROOT_SEED).sign(tbs.bytes()).unwrap();
    let jws = tbs.complete(signature.to_bytes());
    assert!(jws.starts_with(&format!("{input}.")));
    assert_eq!(jws.matches('.').count(), 2);
    assert!(
        TrustList::from_json(
            &jws,
            &anchor(ROOT_SEED),
            vitale_verify::default_backend(),
            ts(NOW)
        )
        .is_ok()
    );
}
