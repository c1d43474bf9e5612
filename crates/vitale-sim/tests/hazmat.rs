//! The hazardous builders make the forbidden presentations attack tests need.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use support::{NOW, check_presentation, now, public, ts, verifies};
use vitale::codec::model::{
    ChannelBinding, Nonce, Presentation, ReaderChallenge, SignedCredential, SignedPresentation,
};
use vitale_sim::hazmat::{self, PresentationSpec};
use vitale_sim::{Error, Scenario, Seed};

fn scenario() -> Scenario {
    Scenario::new(Seed::from_u64(21), 2, now()).unwrap()
}

#[test]
fn default_spec_is_what_the_phone_presents() {
    let s = scenario();
    let spec = PresentationSpec::for_phone(&s.phone, ChannelBinding::Qr, now(), 90).unwrap();
    assert_eq!(s.phone.presentations_made(), 1);
    let bytes = hazmat::present_with(&s.phone, &spec).unwrap();
    let signed = check_presentation(&bytes, s.issuer.issuer_key(0).unwrap().verifying_key());
    assert_eq!(signed.presentation().nonce(), &spec.nonce);
    assert_eq!(signed.presentation().expires_at(), ts(NOW + 90));
}

#[test]
fn another_signing_key_breaks_the_device_signature() {
    let s = scenario();
    let thief = Seed::from_u64(666).key_pair("thief").unwrap();
    let mut spec = PresentationSpec::for_phone(&s.phone, ChannelBinding::Qr, now(), 60).unwrap();
    spec.signing_key_override = Some(thief.clone());
    let signed =
        SignedPresentation::decode(&hazmat::present_with(&s.phone, &spec).unwrap()).unwrap();
    assert!(!verifies(
        signed.envelope(),
        &public(s.phone.device_key()),
        b""
    ));
    assert!(verifies(
        signed.envelope(),
        &thief.public_key().unwrap(),
        b""
    ));
}

#[test]
fn reused_nonce_and_mismatched_aad() {
    let s = scenario();
    let challenge = [9u8; 16];
    let binding = ChannelBinding::Nfc(ReaderChallenge::new(&challenge).unwrap());
    let mut spec = PresentationSpec::for_phone(&s.phone, binding, now(), 60).unwrap();
    spec.nonce = Nonce::from_bytes([0x4e; 16]);
    spec.external_aad = Some(vec![1; 16]);
    let signed =
        SignedPresentation::decode(&hazmat::present_with(&s.phone, &spec).unwrap()).unwrap();
    assert_eq!(
        signed.presentation().nonce(),
        &Nonce::from_bytes([0x4e; 16])
    );
    let device = public(s.phone.device_key());
    assert!(!verifies(signed.envelope(), &device, &challenge));
    assert!(verifies(signed.envelope(), &device, &[1; 16]));
}

#[test]
fn the_codec_limits_still_apply() {
    let s = scenario();
    let mut spec = PresentationSpec::for_phone(&s.phone, ChannelBinding::Qr, now(), 60).unwrap();
    spec.expires_at = ts(NOW + 181);
    assert!(matches!(
        hazmat::present_with(&s.phone, &spec),
        Err(Error::Codec(_))
    ));
    spec.expires_at = ts(NOW + 60);
    spec.credential = vec![0xa0];
    assert!(matches!(
        hazmat::present_with(&s.phone, &spec),
        Err(Error::Codec(_))
    ));
}

#[test]
fn hand_made_payloads_can_be_signed_with_the_device_key() {
    let s = scenario();
    let p = Presentation::new(
        SignedCredential::decode(&s.credential).unwrap(),
        Nonce::from_bytes([1; 16]),
        now(),
        ts(NOW + 10),
        ChannelBinding::Qr,
        None,
    )
    .unwrap();
    let bytes = hazmat::device_key_pair(&s.phone)
        .sign_envelope(None, &p.to_payload().unwrap(), b"")
        .unwrap();
    check_presentation(&bytes, s.issuer.issuer_key(0).unwrap().verifying_key());
}

#[test]
fn a_delegation_can_ride_on_a_holder_presentation() {
    // The holder's phone presenting with a delegation it is not the
    // delegate of: the device signature is the holder's, not the delegate's.
    let s = scenario();
    let delegate = s.delegate("JEAN-FRANÇOIS MARTIN", &[1]).unwrap();
    let mut spec = PresentationSpec::for_phone(&s.phone, ChannelBinding::Qr, now(), 60).unwrap();
    spec.delegation = delegate.delegation().map(<[u8]>::to_vec);
    let signed =
        SignedPresentation::decode(&hazmat::present_with(&s.phone, &spec).unwrap()).unwrap();
    assert!(signed.presentation().delegation().is_some());
    assert!(!verifies(
        signed.envelope(),
        &public(delegate.device_key()),
        b""
    ));
    assert!(verifies(
        signed.envelope(),
        &public(s.phone.device_key()),
        b""
    ));
}

#[test]
fn exported_scalars_are_the_keys_the_simulator_signs_with() {
    use vitale::verify::{Signer as _, SoftwareSigner};
    let s = scenario();
    let issuer =
        SoftwareSigner::from_slice(&hazmat::issuer_key_scalar(&s.seed, 0).unwrap()).unwrap();
    assert_eq!(issuer.kid(), Some(s.issuer.issuer_key(0).unwrap().kid()));
    let label = "professional/key";
    let professional =
        SoftwareSigner::from_slice(&hazmat::key_scalar(&s.seed, label).unwrap()).unwrap();
    assert_eq!(
        professional.kid(),
        Some(s.seed.key_pair(label).unwrap().kid())
    );
    assert_ne!(professional.kid(), issuer.kid());
    // Another seed, another key.
    let other = hazmat::key_scalar(&Seed::from_u64(22), label).unwrap();
    assert_ne!(other, hazmat::key_scalar(&s.seed, label).unwrap());
}
