//! The direct decoders (fields read straight from the validated payload)
//! against the reference decoders (a `Value` tree first, as before):
//! same value or same error, on genuine payloads and on random byte and
//! value mutations of them.

mod reference;

use proptest::prelude::*;
use vitale_ins::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};

use super::*;
use crate::cose::Sign1;
use crate::mutate::{apply_bytes, byte_edits, mutate_payload, value_edits};

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

fn name(s: &str) -> PersonName {
    PersonName::new(s).unwrap()
}

const NOW: u64 = 1_795_334_400;

fn beneficiary(rank: u8) -> Beneficiary {
    let nir = ["184037510821010", "285069212345665", "110067501234527"][usize::from(rank % 3)];
    Beneficiary::new(
        Rank::new(rank).unwrap(),
        QualityCode::new(if rank == 1 { 0 } else { 6 }).unwrap(),
        name("MARTIN"),
        name(["JEAN PIERRE", "MARIE-HÉLÈNE", "LÉO"][usize::from(rank % 3)]),
        Sex::from_code(if rank.is_multiple_of(2) { 'F' } else { 'M' }).unwrap(),
        BirthDate::parse(["19840315", "19850620", "20100600"][usize::from(rank % 3)]).unwrap(),
        BirthRank::new(1 + rank % 2).unwrap(),
    )
    .with_usual_name((rank % 4 == 2).then(|| name("DUPONT")))
    .with_ins((!rank.is_multiple_of(3)).then(|| {
        BeneficiaryIns::new(
            Ins::new(
                Nir::parse(nir).unwrap(),
                InsOid::parse("1.2.250.1.213.1.4.10").unwrap(),
            ),
            CogCode::parse("75056").unwrap(),
        )
    }))
    .with_complementary((rank % 2 == 1).then(|| {
        ComplementaryCover::new(
            AmcNumber::new("75500017").unwrap(),
            GuaranteeCode::new("MUT01").unwrap(),
            DateRange::new(
                time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap(),
                time::Date::from_calendar_date(2026, time::Month::December, 31).unwrap(),
            )
            .unwrap(),
            rank == 1,
        )
    }))
}

fn device_key(seed: u8, compressed: bool) -> DeviceKey {
    if compressed {
        DeviceKey::Compressed {
            x: [seed; 32],
            y_odd: seed % 2 == 1,
        }
    } else {
        DeviceKey::Uncompressed {
            x: [seed; 32],
            y: [seed ^ 0x55; 32],
        }
    }
}

fn credential(beneficiaries: u8, compressed: bool) -> Credential {
    Credential {
        id: CredentialId::from_bytes([0xc1; 16]),
        issued_at: ts(NOW - 86_400),
        validity: ValidityWindow::new(ts(NOW - 86_400), ts(NOW + 6 * 86_400)).unwrap(),
        device_key: device_key(2, compressed),
        insured: Insured::new(
            Nir::parse("184037510821010").unwrap(),
            Organisation::new("01", "751", "0001").unwrap(),
            ManagementCode::new("10").unwrap(),
        ),
        beneficiaries: Beneficiaries::new((1..=beneficiaries).map(beneficiary).collect()).unwrap(),
    }
}

fn delegation() -> Delegation {
    Delegation {
        id: DelegationId::from_bytes([0xd1; 16]),
        credential_id: CredentialId::from_bytes([0xc1; 16]),
        delegate_name: name("PAULETTE MARTIN"),
        delegate_key: device_key(3, false),
        ranks: DelegatedRanks::new(vec![Rank::new(2).unwrap(), Rank::new(3).unwrap()]).unwrap(),
        issued_at: ts(NOW - 3600),
        validity: ValidityWindow::new(ts(NOW - 3600), ts(NOW + 30 * 86_400)).unwrap(),
    }
}

/// Envelopes with a placeholder signature: decoding does not check it.
fn issue(payload: &[u8]) -> Vec<u8> {
    Sign1::prepare(Some(&[7; 8]), payload, b"").complete([0x5a; 64])
}

fn credential_payloads() -> Vec<Vec<u8>> {
    [(1, false), (3, false), (3, true), (16, false)]
        .iter()
        .map(|&(n, c)| credential(n, c).to_payload().unwrap())
        .collect()
}

fn presentation_payloads() -> Vec<Vec<u8>> {
    let credential = SignedCredential::decode(&issue(&credential_payloads()[1])).unwrap();
    let delegation = SignedDelegation::decode(&issue(&delegation().to_payload().unwrap())).unwrap();
    let nfc = ChannelBinding::Nfc(ReaderChallenge::new(&[0x33; 16]).unwrap());
    [(ChannelBinding::Qr, None), (nfc, Some(delegation))]
        .into_iter()
        .map(|(binding, delegation)| {
            Presentation::new(
                credential.clone(),
                Nonce::from_bytes([0x4e; 16]),
                ts(NOW),
                ts(NOW + 120),
                binding,
                delegation,
            )
            .unwrap()
            .to_payload()
            .unwrap()
        })
        .collect()
}

#[test]
fn genuine_payloads_decode_the_same_both_ways() {
    for (n, payload) in credential_payloads().iter().enumerate() {
        let direct = Credential::from_payload(payload);
        assert!(direct.is_ok(), "credential {n}");
        assert_eq!(direct, reference::credential(payload), "credential {n}");
    }
    let payload = delegation().to_payload().unwrap();
    assert_eq!(Delegation::from_payload(&payload), Ok(delegation()));
    assert_eq!(
        Delegation::from_payload(&payload),
        reference::delegation(&payload)
    );
    for payload in presentation_payloads() {
        let direct = Presentation::from_payload(&payload);
        assert!(direct.is_ok());
        assert_eq!(direct, reference::presentation(&payload));
    }
}

#[test]
fn hand_picked_refusals_are_the_same_both_ways() {
    let cases: &[&str] = &[
        "",
        "a0",
        "80",
        "f6",
        "a10101",
        "a10102",
        "a1613001",
        "a2010163616263 00",
        "a10120",
        "a1 1bffffffffffffffff 00",
        "a1 3bffffffffffffffff 00",
        "a2 0101 3bffffffffffffffff 00",
        "a1 0118 01",
        "a1 01 01 00",
        "d2 a0",
    ];
    for case in cases {
        let clean: String = case.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes: Vec<u8> = (0..clean.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).unwrap())
            .collect();
        assert_eq!(
            Credential::from_payload(&bytes),
            reference::credential(&bytes),
            "{case}"
        );
        assert_eq!(
            Delegation::from_payload(&bytes),
            reference::delegation(&bytes),
            "{case}"
        );
        assert_eq!(
            Presentation::from_payload(&bytes),
            reference::presentation(&bytes),
            "{case}"
        );
    }
}

#[test]
fn invalid_utf8_in_a_text_is_a_cbor_error_wherever_it_is() {
    // The direct decoders check a text's UTF-8 when they read it; the
    // error must still be the CBOR one, before any data-model error.
    let payload = credential(3, false).to_payload().unwrap();
    let texts: Vec<usize> = payload
        .windows(6)
        .enumerate()
        .filter(|(_, w)| *w == b"MARTIN" || *w == b"751000" || *w == b"MUT01\xf5")
        .map(|(i, _)| i)
        .collect();
    assert!(texts.len() >= 3);
    for &at in &texts {
        for bad in [0xff, 0xc3, 0x80] {
            let mut bytes = payload.clone();
            bytes[at + 1] = bad;
            let direct = Credential::from_payload(&bytes);
            assert!(
                matches!(
                    direct,
                    Err(crate::Error::Cbor(crate::CborError::InvalidUtf8(_)))
                ),
                "{direct:?}"
            );
            assert_eq!(direct, reference::credential(&bytes));
            // Also with a data-model error before it (version 2) and after
            // it (an unknown key appended would change the map's length:
            // the last byte of the payload is edited instead).
            let mut early = bytes.clone();
            early[2] = 0x02;
            assert_eq!(
                Credential::from_payload(&early),
                reference::credential(&early)
            );
            let mut late = bytes.clone();
            let last = late.len() - 1;
            late[last] ^= 0x01;
            assert_eq!(
                Credential::from_payload(&late),
                reference::credential(&late)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn credentials_decode_the_same_after_value_edits(
        which in 0usize..4,
        edits in value_edits(),
    ) {
        let payload = &credential_payloads()[which];
        if let Some(mutated) = mutate_payload(payload, &edits) {
            prop_assert_eq!(
                Credential::from_payload(&mutated),
                reference::credential(&mutated)
            );
        }
    }

    #[test]
    fn credentials_decode_the_same_after_byte_edits(
        which in 0usize..4,
        edits in byte_edits(),
    ) {
        let mutated = apply_bytes(&credential_payloads()[which], &edits);
        prop_assert_eq!(
            Credential::from_payload(&mutated),
            reference::credential(&mutated)
        );
    }

    #[test]
    fn delegations_decode_the_same_after_edits(
        value in value_edits(),
        bytes in byte_edits(),
    ) {
        let payload = delegation().to_payload().unwrap();
        if let Some(mutated) = mutate_payload(&payload, &value) {
            prop_assert_eq!(
                Delegation::from_payload(&mutated),
                reference::delegation(&mutated)
            );
        }
        let mutated = apply_bytes(&payload, &bytes);
        prop_assert_eq!(
            Delegation::from_payload(&mutated),
            reference::delegation(&mutated)
        );
    }

    #[test]
    fn presentations_decode_the_same_after_edits(
        which in 0usize..2,
        value in value_edits(),
        bytes in byte_edits(),
    ) {
        let payload = &presentation_payloads()[which];
        if let Some(mutated) = mutate_payload(payload, &value) {
            prop_assert_eq!(
                Presentation::from_payload(&mutated),
                reference::presentation(&mutated)
            );
        }
        let mutated = apply_bytes(payload, &bytes);
        prop_assert_eq!(
            Presentation::from_payload(&mutated),
            reference::presentation(&mutated)
        );
        // The whole envelope, borrowed or owned.
        let envelope = Sign1::prepare(None, &mutated, b"").complete([0x5a; 64]);
        prop_assert_eq!(
            SignedPresentation::decode_owned(envelope.clone()),
            SignedPresentation::decode(&envelope)
        );
    }

    #[test]
    fn random_bytes_decode_the_same(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(Credential::from_payload(&bytes), reference::credential(&bytes));
        prop_assert_eq!(Delegation::from_payload(&bytes), reference::delegation(&bytes));
        prop_assert_eq!(Presentation::from_payload(&bytes), reference::presentation(&bytes));
    }
}
