//! Presentations decode with the codec and their signatures verify with the
//! SDK's backend; QR fits, NFC carries the challenge, delegation works.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use proptest::prelude::*;
use support::{NOW, check_presentation, now, public, ts, verifies};
use vitale::codec::model::{Channel, ChannelBinding, SignedPresentation};
use vitale_sim::{Error, Scenario, Seed, SimIssuer, SimPhone};

/// QR capacity at ECC level M, alphanumeric mode (version 40).
const QR_M_ALPHANUMERIC: usize = 3391;

#[test]
fn qr_presentation_decodes_and_verifies() {
    let s = Scenario::new(Seed::from_u64(7), 3, now()).unwrap();
    let issuer = s.issuer.issuer_key(0).unwrap();
    let bytes = s.phone.present_qr(now(), 120).unwrap();
    let signed = check_presentation(&bytes, issuer.verifying_key());
    let p = signed.presentation();
    assert_eq!(p.channel(), Channel::Qr);
    assert_eq!(p.issued_at(), now());
    assert_eq!(p.expires_at(), ts(NOW + 120));
    assert!(p.delegation().is_none());
    assert_eq!(p.credential().kid(), &issuer.kid());
    assert_eq!(p.credential().as_bytes(), &s.credential[..]);
    let credential = p.credential().credential();
    assert_eq!(credential.issued_at, ts(NOW - 86_400));
    assert_eq!(credential.validity.not_before(), ts(NOW - 86_400));
    assert_eq!(credential.validity.expires_at(), ts(NOW + 7 * 86_400));
    assert_eq!(credential.beneficiaries.len(), 3);
}

#[test]
fn qr_text_of_three_beneficiaries_fits_ecc_m() {
    for seed in 0..30 {
        let s = Scenario::new(Seed::from_u64(seed), 3, now()).unwrap();
        let text = s.phone.present_qr_text(now(), 120).unwrap();
        assert!(text.starts_with("VT1:"));
        assert!(text.len() <= QR_M_ALPHANUMERIC, "{} chars", text.len());
        let decoded = SignedPresentation::from_text(&text).unwrap();
        assert_eq!(decoded.presentation().channel(), Channel::Qr);
    }
}

#[test]
fn nfc_presentation_carries_and_signs_the_challenge() {
    let s = Scenario::new(Seed::from_u64(9), 2, now()).unwrap();
    let issuer = s.issuer.issuer_key(0).unwrap().verifying_key();
    let challenge: Vec<u8> = (0u8..32).collect();
    let bytes = s.phone.present_nfc(&challenge, now(), 30).unwrap();
    let signed = check_presentation(&bytes, issuer);
    let p = signed.presentation();
    assert_eq!(p.channel(), Channel::Nfc);
    match p.binding() {
        ChannelBinding::Nfc(c) => assert_eq!(c.as_bytes(), &challenge[..]),
        other => panic!("binding {other:?}"),
    }
    // Signed over the challenge: another AAD does not verify.
    let device = public(s.phone.device_key());
    assert!(verifies(signed.envelope(), &device, &challenge));
    assert!(!verifies(signed.envelope(), &device, &[0; 32]));
    assert!(!verifies(signed.envelope(), &device, b""));
}

#[test]
fn nfc_challenge_length_is_checked() {
    let s = Scenario::new(Seed::from_u64(9), 1, now()).unwrap();
    assert!(matches!(
        s.phone.present_nfc(&[1; 15], now(), 30),
        Err(Error::Codec(_))
    ));
    assert!(matches!(
        s.phone.present_nfc(&[1; 33], now(), 30),
        Err(Error::Codec(_))
    ));
    assert!(s.phone.present_nfc(&[1; 16], now(), 30).is_ok());
}

#[test]
fn lifetime_is_limited_by_the_codec() {
    let s = Scenario::new(Seed::from_u64(2), 1, now()).unwrap();
    assert!(s.phone.present_qr(now(), 180).is_ok());
    assert!(matches!(
        s.phone.present_qr(now(), 181),
        Err(Error::Codec(_))
    ));
    assert!(matches!(s.phone.present_qr(now(), 0), Err(Error::Codec(_))));
}

#[test]
fn a_phone_without_credential_cannot_present() {
    let phone = SimPhone::new(&Seed::from_u64(1), "empty").unwrap();
    assert_eq!(phone.present_qr(now(), 60), Err(Error::NoCredential));
}

#[test]
fn a_phone_refuses_someone_elses_credential() {
    let s = Scenario::new(Seed::from_u64(1), 1, now()).unwrap();
    let mut other = SimPhone::new(&Seed::from_u64(1), "other").unwrap();
    assert_eq!(
        other.install_credential(s.credential.clone()),
        Err(Error::DeviceKeyMismatch("credential"))
    );
}

#[test]
fn delegate_presentation_is_signed_by_the_delegate() {
    let s = Scenario::new(Seed::from_u64(4), 4, now()).unwrap();
    let delegate = s.delegate("PAULETTE D'ALMEIDA", &[2, 3]).unwrap();
    let issuer = s.issuer.issuer_key(0).unwrap().verifying_key();
    let bytes = delegate.present_qr(now(), 120).unwrap();
    let signed = check_presentation(&bytes, issuer);
    let d = signed.presentation().delegation().unwrap().delegation();
    assert_eq!(d.credential_id, s.credential_id().unwrap());
    assert_eq!(d.delegate_name.as_str(), "PAULETTE D'ALMEIDA");
    let ranks: Vec<u8> = d.ranks.as_slice().iter().map(|r| r.get()).collect();
    assert_eq!(ranks, [2, 3]);
    // Not signed by the holder's key.
    assert!(!verifies(
        signed.envelope(),
        &public(s.phone.device_key()),
        b""
    ));
    // And over NFC.
    let nfc = delegate.present_nfc(&[5; 20], now(), 60).unwrap();
    check_presentation(&nfc, issuer);
}

#[test]
fn issuing_is_deterministic_and_checks_time() {
    let s = Scenario::new(Seed::from_u64(4), 2, now()).unwrap();
    let validity =
        vitale::codec::model::ValidityWindow::new(ts(NOW - 86_400), ts(NOW + 7 * 86_400)).unwrap();
    let again = s
        .issuer
        .issue_credential(
            0,
            &s.household,
            s.phone.device_key(),
            ts(NOW - 86_400),
            validity,
        )
        .unwrap();
    assert_eq!(again, s.credential);
    assert_eq!(
        s.issuer.issue_credential(
            0,
            &s.household,
            s.phone.device_key(),
            ts(NOW + 8 * 86_400),
            validity
        ),
        Err(Error::TimeOutOfRange)
    );
    assert_eq!(
        s.issuer
            .issue_credential(1, &s.household, s.phone.device_key(), ts(NOW), validity),
        Err(Error::UnknownIssuerKey(1))
    );
}

#[test]
fn credentials_for_other_devices_get_other_ids() {
    let seed = Seed::from_u64(6);
    let issuer = SimIssuer::new(&seed).unwrap();
    let household = vitale_sim::Household::sample(&seed, 2).unwrap();
    let validity = vitale::codec::model::ValidityWindow::new(ts(NOW), ts(NOW + 10)).unwrap();
    let a = SimPhone::new(&seed, "a").unwrap();
    let b = SimPhone::new(&seed, "b").unwrap();
    let ca = issuer
        .credential(&household, a.device_key(), ts(NOW), validity)
        .unwrap();
    let cb = issuer
        .credential(&household, b.device_key(), ts(NOW), validity)
        .unwrap();
    assert_ne!(ca.id, cb.id);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn every_presentation_verifies(
        seed in any::<u64>(),
        n in 1usize..=16,
        lifetime in 1u64..=180,
        challenge in proptest::collection::vec(any::<u8>(), 16..=32),
    ) {
        let s = Scenario::new(Seed::from_u64(seed), n, now()).unwrap();
        let issuer = s.issuer.issuer_key(0).unwrap().verifying_key();
        let qr = s.phone.present_qr(now(), lifetime).unwrap();
        check_presentation(&qr, issuer);
        let nfc = s.phone.present_nfc(&challenge, now(), lifetime).unwrap();
        let signed = check_presentation(&nfc, issuer);
        prop_assert_eq!(signed.presentation().binding().external_aad(), &challenge[..]);
        let text = s.phone.present_qr_text(now(), lifetime).unwrap();
        let decoded = SignedPresentation::from_text(&text).unwrap();
        prop_assert_eq!(decoded.presentation().credential().credential().beneficiaries.len(), n);
    }
}
