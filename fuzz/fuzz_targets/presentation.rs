//! The presentation decoder (envelope, payload, embedded credential and
//! delegation), in two modes chosen by the first byte.
//!
//! **Raw** (even first byte): the rest as presentation bytes (and text).
//!
//! **Built** (odd first byte): the rest is an `arbitrary` description: a
//! valid presentation of the world's household of `n` (QR or NFC, with or
//! without a delegation), then field-level edits of the presentation,
//! credential and delegation payloads, of the protected headers and of
//! the envelopes (`vitale_fuzz::edit`), re-encoded deterministically, so
//! that the edits reach the data model's checks instead of breaking the
//! nested length prefixes. Signatures are dummies: decoding does not check
//! them (the `verifier` target does).
//!
//! Beyond "no panic", in both modes: whatever decodes re-encodes to the
//! same payload, since only deterministic CBOR is accepted; owned and
//! borrowed bytes decode the same; and an envelope the open profile
//! accepts (read straight from its bytes) reads the same through the
//! interop path (a CBOR value and `coset`).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use vitale_codec::cbor::{self, Value};
use vitale_codec::cose::{ParseMode, Sign1};
use vitale_codec::model::{
    Credential, CredentialId, DelegatedRanks, Delegation, DelegationId, PersonName, Presentation,
    Rank, SignedPresentation, ValidityWindow,
};
use vitale_fuzz::edit::{self, Edit, Few};
use vitale_fuzz::world::{IssuerChoice, NOW, PhoneChoice, world};

#[derive(Arbitrary, Debug)]
struct Envelope {
    payload: Few<Edit>,
    protected: Few<Edit>,
    envelope: Few<Edit>,
}

#[derive(Arbitrary, Debug)]
struct Desc {
    household: u8,
    nfc: bool,
    delegation: Option<Envelope>,
    credential: Envelope,
    presentation: Envelope,
}

fn signed(kid: Option<&[u8; 8]>, payload: &[u8], e: &Envelope) -> Option<Vec<u8>> {
    let payload = if e.payload.is_empty() {
        payload.to_vec()
    } else {
        edit::edit_bytes(payload, e.payload.as_slice())?
    };
    edit::envelope(kid, &payload, e.protected.as_slice(), e.envelope.as_slice())
}

fn build(d: &Desc) -> Option<Vec<u8>> {
    let w = world();
    let household = w.household(d.household);
    let validity = ValidityWindow::new(w.at(-86_400)?, w.at(30 * 86_400)?)?;
    let credential = Credential {
        id: CredentialId::from_bytes([0xc1; 16]),
        issued_at: w.at(-86_400)?,
        validity,
        device_key: w.phone(PhoneChoice::Device).device_key().ok()?,
        insured: household.insured.clone(),
        beneficiaries: household.beneficiaries.clone(),
    };
    let kid = w.issuer_kid(IssuerChoice::Main);
    let signed_credential = signed(Some(&kid), &credential.to_payload().ok()?, &d.credential)?;
    let mut entries = vec![
        (Value::from(1), Value::from(1)),
        (Value::from(2), Value::Bytes(signed_credential)),
        (Value::from(3), Value::Bytes(vec![0x4e; 16])),
        (Value::from(4), Value::from(NOW)),
        (Value::from(5), Value::from(NOW + 120)),
        (Value::from(6), Value::from(if d.nfc { 2 } else { 1 })),
    ];
    if let Some(e) = &d.delegation {
        let ranks = household
            .beneficiaries
            .iter()
            .map(|b| b.rank())
            .collect::<Vec<Rank>>();
        let delegation = Delegation {
            id: DelegationId::from_bytes([0xd0; 16]),
            credential_id: credential.id,
            delegate_name: PersonName::new("MARTIN CLAIRE")?,
            delegate_key: w.phone(PhoneChoice::Delegate).device_key().ok()?,
            ranks: DelegatedRanks::new(ranks).ok()?,
            issued_at: w.at(-3600)?,
            validity,
        };
        entries.push((
            Value::from(7),
            Value::Bytes(signed(Some(&kid), &delegation.to_payload().ok()?, e)?),
        ));
    }
    if d.nfc {
        entries.push((Value::from(8), Value::Bytes(vec![0x42; 16])));
    }
    let payload = cbor::encode(&Value::Map(entries)).ok()?;
    signed(None, &payload, &d.presentation)
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 1 => {
            if let Ok(d) = Desc::arbitrary_take_rest(Unstructured::new(rest))
                && let Some(bytes) = build(&d)
            {
                check(&bytes);
            }
        }
        Some((_, rest)) => check(rest),
        None => {}
    }
});

fn check(data: &[u8]) {
    let decoded = SignedPresentation::decode(data);
    assert_eq!(decoded, SignedPresentation::decode_owned(data.to_vec()));
    if let Ok(p) = decoded {
        let payload = p.presentation().to_payload().expect("re-encode");
        assert_eq!(payload, p.envelope().payload());
        assert_eq!(p.envelope().as_bytes(), data);
    }
    if let Ok(profile) = Sign1::decode(data, 8192, ParseMode::OpenProfile) {
        let interop = Sign1::decode(data, 8192, ParseMode::Interop).expect("interop reads it");
        assert_eq!(profile.payload(), interop.payload());
        assert_eq!(profile.signature(), interop.signature());
        assert_eq!(profile.protected_bytes(), interop.protected_bytes());
        assert_eq!(profile.kid(), interop.kid());
        assert_eq!(profile.protected_has_kid(), interop.protected_has_kid());
        assert_eq!(profile.to_be_signed(b"aad"), interop.to_be_signed(b"aad"));
    }
    if let Ok(p) = Presentation::from_payload(data) {
        assert_eq!(p.to_payload().expect("re-encode"), data);
    }
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = SignedPresentation::from_text(text);
    }
}
