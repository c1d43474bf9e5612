//! The issuer's trust lists load with the SDK's trust-list loader.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use support::{NOW, now, public, ts};
use vitale::verify::trust::{TrustList, TrustStore};
use vitale::verify::{Error, KeyUsage, TrustListError, default_backend};
use vitale_sim::issuer::{DEFAULT_KEY_EXPIRES_AT, DEFAULT_KEY_NOT_BEFORE};
use vitale_sim::{Scenario, Seed, SimIssuer, SimIssuerKeySpec};

#[test]
fn scenario_trust_list_loads_in_both_forms() {
    let s = Scenario::new(Seed::from_u64(7), 2, now()).unwrap();
    let cbor = TrustList::from_cbor(&s.trust_list, &s.anchor, default_backend(), now()).unwrap();
    let json = TrustList::from_json(
        &s.trust_list_json().unwrap(),
        &s.anchor,
        default_backend(),
        now(),
    )
    .unwrap();
    for list in [&cbor, &json] {
        assert_eq!(list.sequence(), Scenario::TRUST_LIST_SEQUENCE);
        assert_eq!(list.root_kid(), s.issuer.root_kid());
        assert_eq!(list.issued_at(), ts(NOW - 86_400));
        assert_eq!(list.expires_at(), ts(NOW + 30 * 86_400));
        assert_eq!(list.keys().len(), 1);
        let key = s.issuer.issuer_key(0).unwrap();
        let listed = list.find(&key.kid()).unwrap();
        assert_eq!(listed.public_key(), &public(key.verifying_key()));
        assert_eq!(listed.validity().not_before(), ts(DEFAULT_KEY_NOT_BEFORE));
        assert_eq!(listed.validity().expires_at(), ts(DEFAULT_KEY_EXPIRES_AT));
        for usage in [
            KeyUsage::Credential,
            KeyUsage::Delegation,
            KeyUsage::Receipt,
        ] {
            assert!(listed.allows(usage));
        }
    }
    assert_eq!(s.anchor.kid(), s.issuer.root_kid());
    assert_eq!(s.anchor.public_key(), &public(s.issuer.root_key()));
}

#[test]
fn attack_keys_are_listed_as_specified() {
    let mut issuer = SimIssuer::new(&Seed::from_u64(3)).unwrap();
    let expired = issuer
        .add_issuer_key(SimIssuerKeySpec {
            not_before: ts(DEFAULT_KEY_NOT_BEFORE),
            expires_at: ts(NOW - 3_600),
            usages: vec![KeyUsage::Credential],
            label: Some("expired".to_owned()),
        })
        .unwrap();
    let receipts_only = issuer
        .add_issuer_key(SimIssuerKeySpec {
            not_before: ts(DEFAULT_KEY_NOT_BEFORE),
            expires_at: ts(DEFAULT_KEY_EXPIRES_AT),
            // Out of order on purpose: the issuer sorts usages.
            usages: vec![KeyUsage::Receipt, KeyUsage::Delegation],
            label: None,
        })
        .unwrap();
    assert_eq!((expired, receipts_only), (1, 2));
    let bytes = issuer.trust_list_cbor(5, now(), ts(NOW + 60)).unwrap();
    let anchor = issuer.trust_anchor().unwrap();
    let list = TrustList::from_cbor(&bytes, &anchor, default_backend(), now()).unwrap();
    assert_eq!(list.keys().len(), 3);
    let e = list
        .find(&issuer.issuer_key(expired).unwrap().kid())
        .unwrap();
    assert_eq!(e.label(), Some("expired"));
    assert!(!e.validity().contains(now()));
    let r = list
        .find(&issuer.issuer_key(receipts_only).unwrap().kid())
        .unwrap();
    assert!(!r.allows(KeyUsage::Credential));
    assert_eq!(r.usages(), [KeyUsage::Delegation, KeyUsage::Receipt]);
    // Builder style gives the same keys.
    let built = SimIssuer::new(&Seed::from_u64(3))
        .unwrap()
        .with_issuer_key(issuer.issuer_key(expired).unwrap().spec().clone())
        .unwrap();
    assert_eq!(
        built.issuer_key(1).unwrap().kid(),
        issuer.issuer_key(1).unwrap().kid()
    );
}

#[test]
fn another_issuers_anchor_refuses_the_list() {
    let s = Scenario::new(Seed::from_u64(7), 1, now()).unwrap();
    let other = SimIssuer::new(&Seed::from_u64(8))
        .unwrap()
        .trust_anchor()
        .unwrap();
    assert!(TrustList::from_cbor(&s.trust_list, &other, default_backend(), now()).is_err());
}

#[test]
fn newer_lists_update_the_store() {
    let issuer = SimIssuer::new(&Seed::from_u64(1)).unwrap();
    let anchor = issuer.trust_anchor().unwrap();
    let first = issuer.trust_list_cbor(1, now(), ts(NOW + 86_400)).unwrap();
    let list = TrustList::from_cbor(&first, &anchor, default_backend(), now()).unwrap();
    let store = TrustStore::new(anchor, list);
    let second = issuer.trust_list_json(2, now(), ts(NOW + 86_400)).unwrap();
    store
        .update_from_json(&second, default_backend(), now())
        .unwrap();
    assert_eq!(store.current().sequence(), 2);
    assert!(matches!(
        store.update_from_cbor(&first, default_backend(), now()),
        Err(Error::TrustList(TrustListError::StaleSequence { .. }))
    ));
}
