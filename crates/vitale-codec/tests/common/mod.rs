//! Deterministic fixtures shared by the codec's integration tests: fixed
//! keys, a sample family, and helpers that sign like an issuer and a phone.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use sha2::{Digest, Sha256};
use vitale_codec::Error;
use vitale_codec::cose::Sign1;
use vitale_codec::model::*;
use vitale_ins::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};

/// A P-256 key whose scalar is 32 times `seed` (valid for seed 1..=0xfe).
pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap()
}

/// The SEC1 uncompressed point of a key.
pub fn point(key: &SigningKey) -> Vec<u8> {
    key.verifying_key().to_sec1_bytes().to_vec()
}

/// DER SubjectPublicKeyInfo of a P-256 key (id-ecPublicKey, prime256v1).
pub fn spki(key: &SigningKey) -> Vec<u8> {
    let mut der = hex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
    der.extend_from_slice(&point(key));
    der
}

/// kid = first 8 bytes of SHA-256(SubjectPublicKeyInfo DER).
pub fn kid(key: &SigningKey) -> [u8; 8] {
    let digest = Sha256::digest(spki(key));
    digest[..8].try_into().unwrap()
}

pub fn device_key(key: &SigningKey) -> DeviceKey {
    DeviceKey::from_sec1(&point(key)).unwrap()
}

pub fn signer(key: &SigningKey) -> impl FnOnce(&[u8]) -> Result<[u8; 64], Error> + '_ {
    move |tbs| {
        let sig: Signature = key.sign(tbs);
        Ok(sig.to_bytes().as_slice().try_into().unwrap())
    }
}

pub fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

pub fn name(s: &str) -> PersonName {
    PersonName::new(s).unwrap()
}

/// 2026-11-22T08:00:00Z, the fixtures' "now".
pub const NOW: u64 = 1_795_334_400;

pub fn beneficiary(rank: u8) -> Beneficiary {
    let (first, date, nir) = match rank {
        1 => ("JEAN PIERRE", "19840315", "184037510821010"),
        2 => ("MARIE-HÉLÈNE", "19850620", "285069212345665"),
        3 => ("LÉO", "20100600", "110067501234527"),
        _ => ("ZOÉ", "20110815", "211087503456748"),
    };
    beneficiary_with(rank, first, date)
        .with_usual_name((rank == 2).then(|| name("MARTIN")))
        .with_ins((rank <= 2).then(|| {
            BeneficiaryIns::new(
                Ins::new(
                    Nir::parse(nir).unwrap(),
                    InsOid::parse("1.2.250.1.213.1.4.10").unwrap(),
                ),
                CogCode::parse(if rank == 1 { "75056" } else { "92012" }).unwrap(),
            )
        }))
        .with_complementary((rank == 1).then(|| {
            ComplementaryCover::new(
                AmcNumber::new("75500017").unwrap(),
                GuaranteeCode::new("MUT01").unwrap(),
                DateRange::new(
                    time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap(),
                    time::Date::from_calendar_date(2026, time::Month::December, 31).unwrap(),
                )
                .unwrap(),
                true,
            )
        }))
}

/// A beneficiary with only the required traits: this rank, these first
/// names (birth name MARTIN, or DUPONT for rank 2) and birth date.
pub fn beneficiary_with(rank: u8, first_names: &str, birth_date: &str) -> Beneficiary {
    let sex = if matches!(rank, 2) || rank > 3 {
        'F'
    } else {
        'M'
    };
    Beneficiary::new(
        Rank::new(rank).unwrap(),
        QualityCode::new(if rank == 1 { 0 } else { 6 }).unwrap(),
        name(if rank == 2 { "DUPONT" } else { "MARTIN" }),
        name(first_names),
        Sex::from_code(sex).unwrap(),
        BirthDate::parse(birth_date).unwrap(),
        BirthRank::new(1).unwrap(),
    )
}

pub fn credential(beneficiaries: u8, device: &SigningKey) -> Credential {
    Credential {
        id: CredentialId::from_bytes([0xc1; 16]),
        issued_at: ts(NOW - 86_400),
        validity: ValidityWindow::new(ts(NOW - 86_400), ts(NOW + 6 * 86_400)).unwrap(),
        device_key: device_key(device),
        insured: Insured::new(
            Nir::parse("184037510821010").unwrap(),
            Organisation::new("01", "751", "0001").unwrap(),
            ManagementCode::new("10").unwrap(),
        ),
        beneficiaries: Beneficiaries::new((1..=beneficiaries).map(beneficiary).collect()).unwrap(),
    }
}

/// Signs a credential as the issuer: tagged COSE_Sign1 bytes.
pub fn issue(credential: &Credential, issuer: &SigningKey) -> Vec<u8> {
    let payload = credential.to_payload().unwrap();
    Sign1::sign(Some(&kid(issuer)), &payload, b"", signer(issuer)).unwrap()
}

/// Signs a presentation as the phone: tagged COSE_Sign1 bytes.
pub fn present(
    credential: &[u8],
    device: &SigningKey,
    channel: Channel,
    challenge: &[u8],
    delegation: Option<&[u8]>,
) -> Vec<u8> {
    let binding = match channel {
        Channel::Nfc => ChannelBinding::Nfc(ReaderChallenge::new(challenge).unwrap()),
        _ => ChannelBinding::Qr,
    };
    let aad = binding.external_aad().to_vec();
    let p = Presentation::new(
        SignedCredential::decode(credential).unwrap(),
        Nonce::from_bytes([0x4e; 16]),
        ts(NOW),
        ts(NOW + 120),
        binding,
        delegation.map(|d| SignedDelegation::decode(d).unwrap()),
    )
    .unwrap();
    Sign1::sign(None, &p.to_payload().unwrap(), &aad, signer(device)).unwrap()
}

pub fn delegation(delegate: &SigningKey, ranks: &[u8]) -> Delegation {
    Delegation {
        id: DelegationId::from_bytes([0xd1; 16]),
        credential_id: CredentialId::from_bytes([0xc1; 16]),
        delegate_name: name("PAULETTE MARTIN"),
        delegate_key: device_key(delegate),
        ranks: DelegatedRanks::new(ranks.iter().map(|r| Rank::new(*r).unwrap()).collect()).unwrap(),
        issued_at: ts(NOW - 3600),
        validity: ValidityWindow::new(ts(NOW - 3600), ts(NOW + 30 * 86_400)).unwrap(),
    }
}

pub fn issue_delegation(delegation: &Delegation, issuer: &SigningKey) -> Vec<u8> {
    let payload = delegation.to_payload().unwrap();
    Sign1::sign(Some(&kid(issuer)), &payload, b"", signer(issuer)).unwrap()
}

pub fn hex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(clean).unwrap()
}
