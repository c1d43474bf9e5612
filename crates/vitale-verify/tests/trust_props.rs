//! Property tests: arbitrary drafts round-trip in both forms; arbitrary
//! input — also behind a valid root signature — never panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod trust_fixtures;

use std::sync::OnceLock;

use proptest::prelude::*;
use trust_fixtures::*;
use vitale_codec::model::Timestamp;
use vitale_verify::trust::{IssuerKeyDraft, KeyMaterial, TrustList, TrustListDraft, kid_of_spki};
use vitale_verify::{KeyUsage, PublicKey};

/// The SPKIs of the keys with scalars `01` × 32 to `10` × 32.
fn spkis() -> &'static [Vec<u8>] {
    static SPKIS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SPKIS.get_or_init(|| (1..=16).map(|seed| spki(&key(seed))).collect())
}

/// A window `[from, until)` inside the representable range.
fn window() -> impl Strategy<Value = (u64, u64)> {
    (0..Timestamp::MAX_UNIX).prop_flat_map(|from| (Just(from), from + 1..=Timestamp::MAX_UNIX))
}

fn usages() -> impl Strategy<Value = Vec<KeyUsage>> {
    (1u8..8).prop_map(|mask| {
        [
            KeyUsage::Credential,
            KeyUsage::Delegation,
            KeyUsage::Receipt,
        ]
        .into_iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, u)| u)
        .collect()
    })
}

fn label() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[^\\p{Cc}]{1,100}")
}

/// A valid draft (distinct keys) and a time at which it is valid.
fn valid_draft() -> impl Strategy<Value = (TrustListDraft, Timestamp)> {
    let entries = proptest::sample::subsequence((0..16usize).collect::<Vec<_>>(), 1..=6)
        .prop_flat_map(|indexes| {
            indexes
                .into_iter()
                .map(|i| {
                    (window(), usages(), label()).prop_map(move |((from, until), usages, label)| {
                        IssuerKeyDraft {
                            material: KeyMaterial::Spki(spkis()[i].clone()),
                            not_before: ts(from),
                            expires_at: ts(until),
                            usages,
                            label,
                        }
                    })
                })
                .collect::<Vec<_>>()
        })
        .prop_shuffle();
    (any::<u64>(), window(), entries).prop_flat_map(|(sequence, (from, until), keys)| {
        let draft = TrustListDraft {
            sequence,
            issued_at: ts(from),
            expires_at: ts(until),
            keys,
        };
        (Just(draft), (from..until).prop_map(ts))
    })
}

fn assert_same(list: &TrustList, draft: &TrustListDraft) {
    assert_eq!(list.sequence(), draft.sequence);
    assert_eq!(list.issued_at(), draft.issued_at);
    assert_eq!(list.expires_at(), draft.expires_at);
    assert_eq!(list.keys().len(), draft.keys.len());
    for (key, want) in list.keys().iter().zip(&draft.keys) {
        let KeyMaterial::Spki(spki) = &want.material else {
            panic!("SPKI drafts only")
        };
        assert_eq!(key.kid(), &kid_of_spki(spki));
        assert_eq!(key.public_key(), &PublicKey::from_spki_der(spki).unwrap());
        assert_eq!(key.validity().not_before(), want.not_before);
        assert_eq!(key.validity().expires_at(), want.expires_at);
        assert_eq!(key.usages(), want.usages.as_slice());
        assert_eq!(key.label(), want.label.as_deref());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn drafts_round_trip_in_both_forms((draft, now) in valid_draft()) {
        let backend = vitale_verify::default_backend();
        let a = anchor(ROOT_SEED);
        let from_cbor = TrustList::from_cbor(&sign_cbor(&draft, ROOT_SEED), &a, backend, now)
            .unwrap();
        assert_same(&from_cbor, &draft);
        let from_json = TrustList::from_json(&sign_json(&draft, ROOT_SEED), &a, backend, now)
            .unwrap();
        prop_assert_eq!(from_cbor, from_json);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let backend = vitale_verify::default_backend();
        let _ = TrustList::from_cbor(&bytes, &anchor(ROOT_SEED), backend, ts(NOW));
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = TrustList::from_json(text, &anchor(ROOT_SEED), backend, ts(NOW));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let backend = vitale_verify::default_backend();
        let _ = TrustList::from_json(&text, &anchor(ROOT_SEED), backend, ts(NOW));
    }

    /// Behind a valid root signature the payload parsers see anything.
    #[test]
    fn signed_arbitrary_payloads_never_panic(
        payload in proptest::collection::vec(any::<u8>(), 0..300),
        text in "\\PC{0,300}",
    ) {
        let backend = vitale_verify::default_backend();
        let signed = vitale_codec::cose::Sign1::sign(
            Some(&anchor(ROOT_SEED).kid()), &payload, &[], signer(ROOT_SEED),
        ).unwrap();
        let _ = TrustList::from_cbor(&signed, &anchor(ROOT_SEED), backend, ts(NOW));
        let jws = sign_jws(&jws_header(ROOT_SEED), &text, ROOT_SEED);
        let _ = TrustList::from_json(&jws, &anchor(ROOT_SEED), backend, ts(NOW));
    }

    /// Mutations of a valid payload, re-signed: never a panic, and a list
    /// that loads says what its payload says (checked by the round trip).
    #[test]
    fn signed_mutated_payloads_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let value = cbor_payload(&draft());
        let mut payload = vitale_codec::cbor::encode(&value).unwrap();
        for (index, byte) in edits {
            let i = index.index(payload.len());
            payload[i] = byte;
        }
        let signed = vitale_codec::cose::Sign1::sign(
            Some(&anchor(ROOT_SEED).kid()), &payload, &[], signer(ROOT_SEED),
        ).unwrap();
        let _ = TrustList::from_cbor(
            &signed, &anchor(ROOT_SEED), vitale_verify::default_backend(), ts(NOW),
        );
    }
}
