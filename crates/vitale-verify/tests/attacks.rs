//! Attacks, built with `vitale-sim`: at least one test per verification
//! error, and the acceptance cases of the threat model (`docs/security.md`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use vitale_codec::model::{ChannelBinding, Nonce, Rank, Timestamp, ValidityWindow};
use vitale_sim::hazmat::{PresentationSpec, present_with};
use vitale_sim::{Scenario, Seed, SimIssuerKeySpec, SimPhone};
use vitale_verify::policy::{FixedClock, Policy};
use vitale_verify::replay::{MemoryReplayCache, ReplayCache, ReplayError, ReplayId};
use vitale_verify::{
    Error, ExpectedChannel, KeyUsage, TrustList, TrustListError, TrustStore, Verifier,
    default_backend,
};

const NOW: u64 = 1_795_334_400; // 2026-11-22T08:00:00Z

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

fn scenario(seed: u64) -> Scenario {
    Scenario::new(Seed::from_u64(seed), 3, ts(NOW)).unwrap()
}

/// A verifier trusting the scenario's issuer, reading the clock at `at`.
fn verifier_at(s: &Scenario, at: u64) -> Verifier {
    let list = TrustList::from_cbor(&s.trust_list, &s.anchor, default_backend(), ts(NOW)).unwrap();
    Verifier::new(TrustStore::new(s.anchor.clone(), list)).with_clock(FixedClock(ts(at)))
}

fn verifier(s: &Scenario) -> Verifier {
    verifier_at(s, NOW)
}

/// The scenario's issuer with an extra key, and a trust list listing it.
fn with_extra_key(spec: SimIssuerKeySpec) -> (Scenario, usize) {
    let mut s = scenario(1);
    let index = s.issuer.add_issuer_key(spec).unwrap();
    s.trust_list = s
        .issuer
        .trust_list_cbor(2, ts(NOW - 86_400), ts(NOW + 30 * 86_400))
        .unwrap();
    (s, index)
}

/// A phone of the scenario's household holding `credential`.
fn phone_with(s: &Scenario, credential: Vec<u8>) -> SimPhone {
    let mut phone = SimPhone::new(&s.seed, "holder").unwrap();
    phone.install_credential(credential).unwrap();
    phone
}

fn window(from: u64, to: u64) -> ValidityWindow {
    ValidityWindow::new(ts(from), ts(to)).unwrap()
}

#[test]
fn a_genuine_qr_presentation_is_accepted() {
    let s = scenario(1);
    let text = s.phone.present_qr_text(ts(NOW), 120).unwrap();
    let card = verifier(&s).verify_text(&text).unwrap();
    assert_eq!(card.beneficiaries().len(), 3);
    assert_eq!(card.insured(), &s.household.insured);
    assert_eq!(
        card.provenance().offline().unwrap().issuer_kid(),
        &s.issuer.issuer_key(0).unwrap().kid()
    );
    assert_eq!(card.provenance().verified_at(), ts(NOW));
    assert!(card.delegation().is_none());
    let first = &card.beneficiaries()[0];
    assert_eq!(card.beneficiary(first.rank()).unwrap(), first);
}

#[test]
fn a_genuine_nfc_presentation_is_accepted() {
    let s = scenario(2);
    let challenge = [0x5c; 24];
    let bytes = s.phone.present_nfc(&challenge, ts(NOW), 60).unwrap();
    let card = verifier(&s).verify_nfc(&bytes, &challenge).unwrap();
    assert_eq!(
        card.provenance().channel(),
        vitale_codec::model::Channel::Nfc
    );
}

#[test]
fn too_large() {
    let s = scenario(1);
    let bytes = s.phone.present_qr(ts(NOW), 120).unwrap();
    let mut policy = Policy::default();
    policy.max_presentation_bytes = 100;
    let v = verifier(&s).with_policy(policy);
    assert!(matches!(
        v.verify(&bytes, ExpectedChannel::Qr),
        Err(Error::TooLarge { limit: 100, .. })
    ));
}

#[test]
fn malformed() {
    let s = scenario(1);
    let v = verifier(&s);
    assert!(matches!(
        v.verify(b"\xd2\x84", ExpectedChannel::Qr),
        Err(Error::Malformed(_))
    ));
    assert!(matches!(
        v.verify_text("HC1:NCFOXN"),
        Err(Error::Malformed(_))
    ));
    assert!(matches!(v.verify_text("VT1:abc"), Err(Error::Malformed(_))));
}

/// Replaces the outer protected header `{1: -7}` (`43 a1 01 26`).
fn with_outer_protected(bytes: &[u8], protected: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..6], &[0xd2, 0x84, 0x43, 0xa1, 0x01, 0x26]);
    let mut out = vec![0xd2, 0x84, 0x40 | protected.len() as u8];
    out.extend_from_slice(protected);
    out.extend_from_slice(&bytes[6..]);
    out
}

#[test]
fn unsupported_algorithm() {
    let s = scenario(1);
    let bytes = s.phone.present_qr(ts(NOW), 120).unwrap();
    let ps256 = with_outer_protected(&bytes, &[0xa1, 0x01, 0x38, 0x24]);
    assert_eq!(
        verifier(&s).verify(&ps256, ExpectedChannel::Qr),
        Err(Error::UnsupportedAlgorithm(
            vitale_verify::AlgorithmLabel::Cose(-37)
        ))
    );
}

#[test]
fn unknown_critical_header() {
    let s = scenario(1);
    let bytes = s.phone.present_qr(ts(NOW), 120).unwrap();
    // {1: -7, 2: [99], 99: 0}
    let crit = with_outer_protected(
        &bytes,
        &[0xa3, 0x01, 0x26, 0x02, 0x81, 0x18, 0x63, 0x18, 0x63, 0x00],
    );
    assert_eq!(
        verifier(&s).verify(&crit, ExpectedChannel::Qr),
        Err(Error::UnknownCriticalHeader)
    );
}

#[test]
fn unknown_issuer_key() {
    let s = scenario(1);
    let other = scenario(99); // another insurer
    let text = s.phone.present_qr_text(ts(NOW), 120).unwrap();
    let kid = s.issuer.issuer_key(0).unwrap().kid();
    assert_eq!(
        verifier(&other).verify_text(&text),
        Err(Error::UnknownIssuerKey { kid })
    );
}

#[test]
fn issuer_key_not_valid_at_issue() {
    let (s, index) = with_extra_key(SimIssuerKeySpec {
        not_before: ts(NOW - 400 * 86_400),
        expires_at: ts(NOW - 30 * 86_400),
        usages: vec![KeyUsage::Credential],
        label: Some("retired".into()),
    });
    let credential = s
        .issuer
        .issue_credential(
            index,
            &s.household,
            s.phone.device_key(),
            ts(NOW - 86_400),
            window(NOW - 86_400, NOW + 86_400),
        )
        .unwrap();
    let phone = phone_with(&s, credential);
    let text = phone.present_qr_text(ts(NOW), 120).unwrap();
    assert_eq!(
        verifier(&s).verify_text(&text),
        Err(Error::IssuerKeyNotValidAtIssue {
            usage: KeyUsage::Credential
        })
    );
}

#[test]
fn wrong_key_usage() {
    let (s, index) = with_extra_key(SimIssuerKeySpec {
        usages: vec![KeyUsage::Receipt],
        ..SimIssuerKeySpec::default_key().unwrap()
    });
    let credential = s
        .issuer
        .issue_credential(
            index,
            &s.household,
            s.phone.device_key(),
            ts(NOW - 86_400),
            window(NOW - 86_400, NOW + 86_400),
        )
        .unwrap();
    let text = phone_with(&s, credential)
        .present_qr_text(ts(NOW), 120)
        .unwrap();
    assert_eq!(
        verifier(&s).verify_text(&text),
        Err(Error::WrongKeyUsage {
            usage: KeyUsage::Credential
        })
    );
}

#[test]
fn bad_issuer_signature_on_the_credential() {
    let s = scenario(1);
    let mut credential = s.credential.clone();
    let last = credential.len() - 1;
    credential[last] ^= 0x01; // inside the issuer's signature
    let mut spec = PresentationSpec::for_phone(&s.phone, ChannelBinding::Qr, ts(NOW), 120).unwrap();
    spec.credential = credential;
    let bytes = present_with(&s.phone, &spec).unwrap();
    assert_eq!(
        verifier(&s).verify(&bytes, ExpectedChannel::Qr),
        Err(Error::BadIssuerSignature {
            usage: KeyUsage::Credential
        })
    );
}

#[test]
fn trust_list_expired_at_verification() {
    let s = scenario(1);
    let bytes = s.phone.present_qr(ts(NOW + 31 * 86_400), 120).unwrap();
    let e = verifier_at(&s, NOW + 31 * 86_400)
        .verify(&bytes, ExpectedChannel::Qr)
        .unwrap_err();
    assert!(
        matches!(e, Error::TrustList(TrustListError::Expired { now, .. }) if now == ts(NOW + 31 * 86_400)),
        "{e:?}"
    );
    let times = e.time_refusal().unwrap();
    assert!(times.expired_at.is_some_and(|t| t <= times.now));
}

#[test]
fn credential_expired_and_not_yet_valid() {
    let s = scenario(1);
    for (from, to, want) in [
        (
            NOW - 10 * 86_400,
            NOW - 86_400,
            Error::CredentialExpired {
                expired_at: ts(NOW - 86_400),
                now: ts(NOW),
            },
        ),
        (
            NOW + 86_400,
            NOW + 10 * 86_400,
            Error::CredentialNotYetValid {
                not_before: ts(NOW + 86_400),
                now: ts(NOW),
            },
        ),
    ] {
        let credential = s
            .issuer
            .issue_credential(
                0,
                &s.household,
                s.phone.device_key(),
                ts(from),
                window(from, to),
            )
            .unwrap();
        let text = phone_with(&s, credential)
            .present_qr_text(ts(NOW), 120)
            .unwrap();
        assert_eq!(verifier(&s).verify_text(&text), Err(want));
    }
}

#[test]
fn a_presentation_re_signed_by_another_device_key_is_refused() {
    let s = scenario(1);
    let thief = SimPhone::new(&Seed::from_u64(666), "thief").unwrap();
    let mut spec = PresentationSpec::for_phone(&s.phone, ChannelBinding::Qr, ts(NOW), 120).unwrap();
    spec.signing_key_override = Some(vitale_sim::hazmat::device_key_pair(&thief).clone());
    let bytes = present_with(&s.phone, &spec).unwrap();
    assert_eq!(
        verifier(&s).verify(&bytes, ExpectedChannel::Qr),
        Err(Error::BadDeviceSignature)
    );
}

#[test]
fn presentation_time_window_and_lifetime() {
    let s = scenario(1);
    let v = verifier(&s);
    // Expired beyond the 300 s skew.
    let old = s.phone.present_qr(ts(NOW - 120 - 301), 120).unwrap();
    assert_eq!(
        v.verify(&old, ExpectedChannel::Qr),
        Err(Error::PresentationExpired {
            expired_at: ts(NOW - 301),
            now: ts(NOW),
        })
    );
    // Within the skew: accepted.
    let late = s.phone.present_qr(ts(NOW - 120 - 299), 120).unwrap();
    assert!(v.verify(&late, ExpectedChannel::Qr).is_ok());
    // From the future beyond the skew.
    let future = s.phone.present_qr(ts(NOW + 301), 120).unwrap();
    assert_eq!(
        v.verify(&future, ExpectedChannel::Qr),
        Err(Error::PresentationFromFuture {
            issued_at: ts(NOW + 301),
            now: ts(NOW),
        })
    );
    // Lifetime above a stricter policy.
    let mut policy = Policy::default();
    policy.max_presentation_lifetime_secs = 60;
    let strict = verifier(&s).with_policy(policy);
    let long = s.phone.present_qr(ts(NOW), 120).unwrap();
    assert_eq!(
        strict.verify(&long, ExpectedChannel::Qr),
        Err(Error::PresentationLifetime { secs: 120 })
    );
}

#[test]
fn a_screenshot_shown_twice_is_a_replay() {
    let s = scenario(1);
    let v = verifier(&s);
    let text = s.phone.present_qr_text(ts(NOW), 120).unwrap();
    assert!(v.verify_text(&text).is_ok());
    assert_eq!(v.verify_text(&text), Err(Error::Replay));
    // A fresh presentation from the same phone is fine.
    let again = s.phone.present_qr_text(ts(NOW), 120).unwrap();
    assert!(v.verify_text(&again).is_ok());
}

#[test]
fn replay_cache_full_and_unavailable() {
    let s = scenario(1);
    let v = verifier(&s).with_replay_cache(MemoryReplayCache::new(1));
    assert!(
        v.verify_text(&s.phone.present_qr_text(ts(NOW), 120).unwrap())
            .is_ok()
    );
    assert_eq!(
        v.verify_text(&s.phone.present_qr_text(ts(NOW), 120).unwrap()),
        Err(Error::ReplayCacheFull)
    );

    struct Down;
    impl ReplayCache for Down {
        fn check_and_remember(
            &self,
            _: &ReplayId,
            _: Timestamp,
            _: Timestamp,
        ) -> Result<(), ReplayError> {
            Err(ReplayError::unavailable(std::io::Error::other(
                "database down",
            )))
        }
    }
    let v = verifier(&s).with_replay_cache(Down);
    assert_eq!(
        v.verify_text(&s.phone.present_qr_text(ts(NOW), 120).unwrap()),
        Err(Error::ReplayCacheUnavailable)
    );
}

#[test]
fn channel_mismatch_both_ways() {
    let s = scenario(1);
    let v = verifier(&s);
    let qr = s.phone.present_qr(ts(NOW), 120).unwrap();
    assert_eq!(v.verify_nfc(&qr, &[1; 16]), Err(Error::ChannelMismatch));
    let nfc = s.phone.present_nfc(&[1; 16], ts(NOW), 60).unwrap();
    assert_eq!(
        v.verify(&nfc, ExpectedChannel::Qr),
        Err(Error::ChannelMismatch)
    );
}

#[test]
fn a_recorded_nfc_answer_replayed_under_a_new_challenge_is_refused() {
    let s = scenario(1);
    let v = verifier(&s);
    let recorded = s.phone.present_nfc(&[1; 16], ts(NOW), 60).unwrap();
    assert_eq!(
        v.verify_nfc(&recorded, &[2; 16]),
        Err(Error::ChallengeMismatch)
    );
    // And a forger who rewrites field 8 to the new challenge breaks the
    // device signature (the AAD no longer matches what the phone signed).
    let mut spec = PresentationSpec::for_phone(
        &s.phone,
        ChannelBinding::Nfc(vitale_codec::model::ReaderChallenge::new(&[2; 16]).unwrap()),
        ts(NOW),
        60,
    )
    .unwrap();
    spec.external_aad = Some(vec![1; 16]);
    let forged = present_with(&s.phone, &spec).unwrap();
    assert_eq!(
        v.verify_nfc(&forged, &[2; 16]),
        Err(Error::BadDeviceSignature)
    );
    // The genuine answer to the first challenge still passes once.
    assert!(v.verify_nfc(&recorded, &[1; 16]).is_ok());
}

#[test]
fn delegation_accepted_and_scoped() {
    let s = scenario(1);
    let ranks: Vec<u8> = s
        .household
        .beneficiaries
        .iter()
        .map(|b| b.rank().get())
        .collect();
    let delegate = s.delegate("GRAND-MÈRE", &ranks[1..2]).unwrap();
    let card = verifier(&s)
        .verify_text(&delegate.present_qr_text(ts(NOW), 120).unwrap())
        .unwrap();
    assert_eq!(card.beneficiaries().len(), 1);
    assert_eq!(card.beneficiaries()[0].rank().get(), ranks[1]);
    assert_eq!(
        card.delegation().unwrap().ranks(),
        &[Rank::new(ranks[1]).unwrap()]
    );
    // A beneficiary the delegation does not cover is out of scope.
    assert_eq!(
        card.beneficiary(Rank::new(ranks[0]).unwrap()),
        Err(Error::DelegationOutOfScope { rank: ranks[0] })
    );
    assert_eq!(
        card.beneficiary(Rank::new(98).unwrap()),
        Err(Error::NoSuchBeneficiary { rank: 98 })
    );
}

/// A delegate phone holding a delegation made with these parameters.
fn delegate_with(
    s: &Scenario,
    credential_id: [u8; 16],
    ranks: &[u8],
    from: u64,
    to: u64,
) -> SimPhone {
    let mut phone = SimPhone::new(&s.seed, "delegate").unwrap();
    let delegation = s
        .issuer
        .issue_delegation(
            0,
            vitale_codec::model::CredentialId::from_bytes(credential_id),
            "PAUL",
            phone.device_key(),
            ranks,
            ts(from),
            window(from, to),
        )
        .unwrap();
    phone
        .install_delegation(s.credential.clone(), delegation)
        .unwrap();
    phone
}

#[test]
fn delegation_errors() {
    let s = scenario(1);
    let id = *s.credential_id().unwrap().as_bytes();
    let rank = s.household.beneficiaries.as_slice()[1].rank().get();
    let v = verifier(&s);
    let cases = [
        (
            delegate_with(&s, id, &[rank], NOW - 10 * 86_400, NOW - 86_400),
            Error::DelegationExpired {
                expired_at: ts(NOW - 86_400),
                now: ts(NOW),
            },
        ),
        (
            delegate_with(&s, id, &[rank], NOW + 86_400, NOW + 9 * 86_400),
            Error::DelegationNotYetValid {
                not_before: ts(NOW + 86_400),
                now: ts(NOW),
            },
        ),
        (
            delegate_with(&s, [7; 16], &[rank], NOW - 3600, NOW + 86_400),
            Error::DelegationMismatch,
        ),
        (
            delegate_with(&s, id, &[rank, 97], NOW - 3600, NOW + 86_400),
            Error::DelegationOutOfScope { rank: 97 },
        ),
    ];
    for (phone, want) in cases {
        let text = phone.present_qr_text(ts(NOW), 120).unwrap();
        assert_eq!(v.verify_text(&text), Err(want.clone()), "{want:?}");
    }
}

#[test]
fn bad_issuer_signature_on_the_delegation() {
    let s = scenario(1);
    let delegate = s.delegate("PAUL", &[1]).unwrap();
    let mut delegation = delegate.delegation().unwrap().to_vec();
    let last = delegation.len() - 1;
    delegation[last] ^= 0x80;
    let mut spec =
        PresentationSpec::for_phone(&delegate, ChannelBinding::Qr, ts(NOW), 120).unwrap();
    spec.delegation = Some(delegation);
    let bytes = present_with(&delegate, &spec).unwrap();
    assert_eq!(
        verifier(&s).verify(&bytes, ExpectedChannel::Qr),
        Err(Error::BadIssuerSignature {
            usage: KeyUsage::Delegation
        })
    );
}

#[test]
fn the_delegate_cannot_sign_without_the_delegation_nor_the_holder_with_it() {
    let s = scenario(1);
    let delegate = s.delegate("PAUL", &[1]).unwrap();
    // The delegate presents the credential without the delegation: its key
    // is not the credential's device key.
    let mut spec =
        PresentationSpec::for_phone(&delegate, ChannelBinding::Qr, ts(NOW), 120).unwrap();
    spec.delegation = None;
    let bytes = present_with(&delegate, &spec).unwrap();
    assert_eq!(
        verifier(&s).verify(&bytes, ExpectedChannel::Qr),
        Err(Error::BadDeviceSignature)
    );
}

#[test]
fn every_single_byte_change_of_a_presentation_is_rejected() {
    let s = scenario(1);
    let v = verifier(&s);
    let bytes = s.phone.present_nfc(&[9; 16], ts(NOW), 60).unwrap();
    let mut rejected = 0;
    for i in 0..bytes.len() {
        for xor in [0x01u8, 0x80, 0xff] {
            let mut changed = bytes.clone();
            changed[i] ^= xor;
            let result = v.verify_nfc(&changed, &[9; 16]);
            assert!(result.is_err(), "byte {i} ^ {xor:#04x} accepted");
            rejected += 1;
        }
    }
    assert_eq!(rejected, bytes.len() * 3);
    // The untouched presentation still verifies (nothing was recorded).
    assert!(v.verify_nfc(&bytes, &[9; 16]).is_ok());
}

#[test]
fn verified_card_debug_redacts_personal_data() {
    let s = scenario(1);
    let card = verifier(&s)
        .verify_text(&s.phone.present_qr_text(ts(NOW), 120).unwrap())
        .unwrap();
    let shown = format!("{card:?}");
    let insured_nir = s.household.insured.nir().as_str().to_owned();
    assert!(!shown.contains(&insured_nir[..7]), "NIR leaked");
    for b in s.household.beneficiaries.iter() {
        assert!(!shown.contains(b.birth_name().as_str()), "name leaked");
        assert!(
            !shown.contains(b.first_names().as_str()),
            "first names leaked"
        );
        assert!(
            !shown.contains(b.birth_date().as_str()),
            "birth date leaked"
        );
    }
}

#[test]
fn the_card_keeps_the_presentation_read_and_its_digest() {
    use sha2::{Digest, Sha256};
    let s = scenario(1);
    let text = s.phone.present_qr_text(ts(NOW), 120).unwrap();
    let card = verifier(&s).verify_text(&text).unwrap();
    let offline = card.provenance().offline().expect("offline provenance");
    let bytes = vitale_codec::text::decode_text(&text).unwrap();
    assert_eq!(offline.presentation(), bytes.as_slice());
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    assert_eq!(offline.presentation_digest(), digest);
    // Debug shows the length of the bytes, never the bytes.
    let shown = format!("{offline:?}");
    assert!(shown.contains(&format!("{} bytes", bytes.len())), "{shown}");
    // Two presentations of the same card have different digests.
    let again = s.phone.present_qr_text(ts(NOW + 1), 120).unwrap();
    let other = verifier(&s).verify_text(&again).unwrap();
    assert_ne!(
        other.provenance().offline().unwrap().presentation_digest(),
        digest
    );
}

#[test]
fn nonce_reuse_by_a_buggy_phone_is_caught() {
    let s = scenario(1);
    let v = verifier(&s);
    let mut spec = PresentationSpec::for_phone(&s.phone, ChannelBinding::Qr, ts(NOW), 120).unwrap();
    spec.nonce = Nonce::from_bytes([3; 16]);
    let first = present_with(&s.phone, &spec).unwrap();
    spec.issued_at = ts(NOW + 5);
    spec.expires_at = ts(NOW + 125);
    let second = present_with(&s.phone, &spec).unwrap();
    assert_ne!(first, second);
    assert!(v.verify(&first, ExpectedChannel::Qr).is_ok());
    assert_eq!(v.verify(&second, ExpectedChannel::Qr), Err(Error::Replay));
}

#[test]
fn a_device_key_off_the_curve_is_an_invalid_public_key() {
    let s = scenario(1);
    let mut credential = s
        .issuer
        .credential(
            &s.household,
            s.phone.device_key(),
            ts(NOW - 86_400),
            window(NOW - 86_400, NOW + 86_400),
        )
        .unwrap();
    credential.device_key = vitale_codec::model::DeviceKey::Uncompressed {
        x: [1; 32],
        y: [2; 32],
    };
    let mut spec = PresentationSpec::for_phone(&s.phone, ChannelBinding::Qr, ts(NOW), 120).unwrap();
    spec.credential = s.issuer.sign_credential(0, &credential).unwrap();
    let bytes = present_with(&s.phone, &spec).unwrap();
    assert_eq!(
        verifier(&s).verify(&bytes, ExpectedChannel::Qr),
        Err(Error::InvalidPublicKey(vitale_verify::KeyError::NotOnCurve))
    );
}
