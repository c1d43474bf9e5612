//! Same seed, same bytes; another seed, other bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use proptest::prelude::*;
use support::{NOW, now, ts};
use vitale_sim::{Household, Scenario, Seed, SimIssuer, SimPhone};

/// Everything a scenario produces, as bytes, after a fixed sequence of calls.
fn outputs(seed: u64, beneficiaries: usize) -> Vec<Vec<u8>> {
    let s = Scenario::new(Seed::from_u64(seed), beneficiaries, now()).unwrap();
    let delegate = s.delegate("PAULETTE MARTIN", &[1]).unwrap();
    vec![
        s.credential.clone(),
        s.trust_list.clone(),
        s.trust_list_json().unwrap().into_bytes(),
        s.phone.present_qr(now(), 120).unwrap(),
        s.phone
            .present_qr_text(ts(NOW + 5), 60)
            .unwrap()
            .into_bytes(),
        s.phone.present_nfc(&[7; 16], ts(NOW + 9), 30).unwrap(),
        delegate.present_qr(now(), 120).unwrap(),
    ]
}

#[test]
fn same_seed_same_bytes() {
    assert_eq!(outputs(7, 3), outputs(7, 3));
}

#[test]
fn different_seeds_different_bytes() {
    let a = outputs(7, 3);
    let b = outputs(8, 3);
    for (x, y) in a.iter().zip(&b) {
        assert_ne!(x, y);
    }
}

#[test]
fn each_presentation_has_a_fresh_nonce() {
    let s = Scenario::new(Seed::from_u64(1), 2, now()).unwrap();
    let a = s.phone.present_qr(now(), 120).unwrap();
    let b = s.phone.present_qr(now(), 120).unwrap();
    assert_ne!(a, b);
    assert_eq!(s.phone.presentations_made(), 2);
    let na = vitale::codec::model::SignedPresentation::decode(&a).unwrap();
    let nb = vitale::codec::model::SignedPresentation::decode(&b).unwrap();
    assert_ne!(na.presentation().nonce(), nb.presentation().nonce());
}

#[test]
fn same_phone_twice_replays_its_nonces() {
    // Two phones from the same seed and name make the same presentations
    // in the same order (the nonce comes from the seed and a counter).
    let s = Scenario::new(Seed::from_u64(3), 1, now()).unwrap();
    let mut twin = SimPhone::new(&Seed::from_u64(3), "holder").unwrap();
    twin.install_credential(s.credential.clone()).unwrap();
    assert_eq!(
        s.phone.present_qr(now(), 100).unwrap(),
        twin.present_qr(now(), 100).unwrap()
    );
}

#[test]
fn from_u64_and_from_bytes_agree() {
    let mut bytes = [0u8; 32];
    bytes[31] = 42;
    assert_eq!(Seed::from_u64(42), Seed::from_bytes(bytes));
    assert_eq!(Seed::from_u64(42).as_bytes(), &bytes);
}

#[test]
fn child_seeds_make_independent_issuers() {
    let seed = Seed::from_u64(5);
    let a = SimIssuer::new(&seed).unwrap();
    let b = SimIssuer::new(&seed.child("second insurer")).unwrap();
    assert_ne!(a.root_kid(), b.root_kid());
    assert_ne!(
        a.issuer_key(0).unwrap().kid(),
        b.issuer_key(0).unwrap().kid()
    );
}

#[test]
fn debug_of_seed_and_keys_hides_secrets() {
    let seed = Seed::from_bytes([0xab; 32]);
    assert!(!format!("{seed:?}").contains("ab"));
    let key = seed.key_pair("k").unwrap();
    let debug = format!("{key:?}");
    assert!(debug.starts_with("KeyPair"), "{debug}");
    assert!(debug.contains(&vitale_hex(&key.kid())));
}

fn vitale_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn households_are_reproducible(seed in any::<[u8; 32]>(), n in 1usize..=16) {
        let a = Household::sample(&Seed::from_bytes(seed), n).unwrap();
        let b = Household::sample(&Seed::from_bytes(seed), n).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn credentials_are_reproducible(seed in any::<u64>(), n in 1usize..=16) {
        let a = Scenario::new(Seed::from_u64(seed), n, now()).unwrap();
        let b = Scenario::new(Seed::from_u64(seed), n, now()).unwrap();
        prop_assert_eq!(&a.credential, &b.credential);
        prop_assert_eq!(
            a.phone.present_qr(now(), 120).unwrap(),
            b.phone.present_qr(now(), 120).unwrap()
        );
    }

    #[test]
    fn keys_differ_between_seeds(a in any::<u64>(), b in any::<u64>()) {
        prop_assume!(a != b);
        let ka = Seed::from_u64(a).key_pair("issuer/root").unwrap();
        let kb = Seed::from_u64(b).key_pair("issuer/root").unwrap();
        prop_assert_ne!(ka.kid(), kb.kid());
    }

    #[test]
    fn derived_bytes_are_prefix_consistent(seed in any::<[u8; 32]>(), label in "[a-z/]{0,12}") {
        let seed = Seed::from_bytes(seed);
        let long: [u8; 80] = seed.derive_bytes(&label);
        let short: [u8; 40] = seed.derive_bytes(&label);
        prop_assert_eq!(&long[..40], &short[..]);
        prop_assert_ne!(&long[..32], &long[32..64]);
    }
}
