//! The credential and delegation decoders (signed envelope and bare
//! payload), in two modes chosen by the first byte.
//!
//! **Raw** (even first byte): the rest as bytes.
//!
//! **Built** (odd first byte): the rest is an `arbitrary` description: the
//! world's household of `n` as a valid credential, and a delegation of
//! some of its ranks, then field-level edits of their payloads, protected
//! headers and envelopes (`vitale_fuzz::edit`), re-encoded
//! deterministically so that the edits reach the data model's checks
//! (beneficiaries, INS, AMC, device key, times, ranks…).
//!
//! Beyond "no panic", in both modes: whatever decodes re-encodes
//! identically.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use vitale_codec::model::{
    Credential, CredentialId, DelegatedRanks, Delegation, DelegationId, PersonName, Rank,
    SignedCredential, SignedDelegation, ValidityWindow,
};
use vitale_fuzz::edit::{self, Edit, Few};
use vitale_fuzz::world::{IssuerChoice, PhoneChoice, world};

#[derive(Arbitrary, Debug)]
struct Desc {
    household: u8,
    compressed_key: bool,
    /// The ranks 1 to 16 whose bit is set.
    ranks: u16,
    /// A rank appended (out of order, out of range…).
    extra_rank: Option<u8>,
    payload: Few<Edit>,
    protected: Few<Edit>,
    envelope: Few<Edit>,
    delegation_payload: Few<Edit>,
}

fn check(data: &[u8]) {
    if let Ok(c) = SignedCredential::decode(data) {
        assert_eq!(
            c.credential().to_payload().expect("re-encode"),
            c.envelope().payload()
        );
    }
    if let Ok(c) = Credential::from_payload(data) {
        assert_eq!(c.to_payload().expect("re-encode"), data);
    }
    if let Ok(d) = SignedDelegation::decode(data) {
        assert_eq!(
            d.delegation().to_payload().expect("re-encode"),
            d.envelope().payload()
        );
    }
    if let Ok(d) = Delegation::from_payload(data) {
        assert_eq!(d.to_payload().expect("re-encode"), data);
    }
}

fn built(d: &Desc) -> Option<()> {
    let w = world();
    let household = w.household(d.household);
    let phone = w.phone(PhoneChoice::Device);
    let device_key = if d.compressed_key {
        vitale_codec::model::DeviceKey::from_sec1(&phone.sec1_compressed())?
    } else {
        phone.device_key().ok()?
    };
    let validity = ValidityWindow::new(w.at(-86_400)?, w.at(30 * 86_400)?)?;
    let credential = Credential {
        id: CredentialId::from_bytes([0xc1; 16]),
        issued_at: w.at(-86_400)?,
        validity,
        device_key,
        insured: household.insured.clone(),
        beneficiaries: household.beneficiaries.clone(),
    };
    let kid = w.issuer_kid(IssuerChoice::Main);
    let mut payload = credential.to_payload().ok()?;
    check(&payload);
    if !d.payload.is_empty() {
        payload = edit::edit_bytes(&payload, d.payload.as_slice())?;
        check(&payload);
    }
    check(&edit::envelope(
        Some(&kid),
        &payload,
        d.protected.as_slice(),
        d.envelope.as_slice(),
    )?);

    let ranks: Vec<Rank> = (0u8..16)
        .filter(|bit| d.ranks & (1 << bit) != 0)
        .map(|bit| bit + 1)
        .chain(d.extra_rank)
        .filter_map(Rank::new)
        .collect();
    let delegation = Delegation {
        id: DelegationId::from_bytes([0xd0; 16]),
        credential_id: credential.id,
        delegate_name: PersonName::new("MARTIN CLAIRE")?,
        delegate_key: w.phone(PhoneChoice::Delegate).device_key().ok()?,
        ranks: DelegatedRanks::new(ranks).ok()?,
        issued_at: w.at(-3600)?,
        validity,
    };
    let mut payload = delegation.to_payload().ok()?;
    if !d.delegation_payload.is_empty() {
        payload = edit::edit_bytes(&payload, d.delegation_payload.as_slice())?;
    }
    check(&payload);
    check(&edit::envelope(
        Some(&kid),
        &payload,
        d.protected.as_slice(),
        d.envelope.as_slice(),
    )?);
    Some(())
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 1 => {
            if let Ok(d) = Desc::arbitrary_take_rest(Unstructured::new(rest)) {
                let _ = built(&d);
            }
        }
        Some((_, rest)) => check(rest),
        None => {}
    }
});
