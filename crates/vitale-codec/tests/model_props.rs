//! Property tests: every data-model type survives encode → decode.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{key, ts};
use proptest::prelude::*;
use vitale_codec::model::*;
use vitale_ins::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};

fn arb_nir() -> impl Strategy<Value = Nir> {
    (
        1u8..=2,
        0u8..=99,
        1u8..=12,
        1u8..=95,
        1u16..=999,
        1u16..=999,
    )
        .prop_map(|(sex, yy, mm, dep, commune, order)| {
            let body = format!("{sex}{yy:02}{mm:02}{dep:02}{commune:03}{order:03}");
            let key = 97 - body.parse::<u64>().unwrap() % 97;
            Nir::parse(&format!("{body}{key:02}")).unwrap()
        })
}

fn arb_name() -> impl Strategy<Value = PersonName> {
    "[A-ZÀ-Ýa-z' -]{0,60}".prop_filter_map("not a name", |s| PersonName::new(format!("X{s}X")))
}

fn arb_birth_date() -> impl Strategy<Value = BirthDate> {
    (1900u16..=2026, 0u8..=99, 0u8..=99).prop_filter_map("not accepted", |(y, m, d)| {
        BirthDate::parse(&format!("{y:04}{m:02}{d:02}")).ok()
    })
}

fn arb_date() -> impl Strategy<Value = time::Date> {
    (1970i32..=2100, 1u16..=365).prop_map(|(y, d)| time::Date::from_ordinal_date(y, d).unwrap())
}

fn arb_cover() -> impl Strategy<Value = ComplementaryCover> {
    (
        "[0-9]{1,10}",
        "[0-9A-Z]{1,10}",
        arb_date(),
        arb_date(),
        any::<bool>(),
    )
        .prop_map(|(n, g, a, b, tp)| {
            ComplementaryCover::new(
                AmcNumber::new(&n).unwrap(),
                GuaranteeCode::new(&g).unwrap(),
                DateRange::new(a.min(b), a.max(b)).unwrap(),
                tp,
            )
        })
}

fn arb_ins() -> impl Strategy<Value = BeneficiaryIns> {
    (
        arb_nir(),
        0usize..4,
        "(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B)[0-9]{3}",
    )
        .prop_filter_map("cog", |(nir, oid, cog)| {
            let oid = [
                "1.2.250.1.213.1.4.8",
                "1.2.250.1.213.1.4.9",
                "1.2.250.1.213.1.4.10",
                "1.2.250.1.213.1.4.11",
            ][oid];
            Some(BeneficiaryIns::new(
                Ins::new(nir, InsOid::parse(oid).ok()?),
                CogCode::parse(&cog).ok()?,
            ))
        })
}

fn arb_beneficiary(rank: u8) -> impl Strategy<Value = Beneficiary> {
    (
        0u8..=99,
        proptest::option::of(arb_name()),
        arb_name(),
        arb_name(),
        prop_oneof![Just('M'), Just('F'), Just('I')],
        arb_birth_date(),
        1u8..=9,
        proptest::option::of(arb_ins()),
        proptest::option::of(arb_cover()),
    )
        .prop_map(move |(q, usual, birth, first, sex, date, br, ins, cover)| {
            Beneficiary::new(
                Rank::new(rank).unwrap(),
                QualityCode::new(q).unwrap(),
                birth,
                first,
                Sex::from_code(sex).unwrap(),
                date,
                BirthRank::new(br).unwrap(),
            )
            .with_usual_name(usual)
            .with_ins(ins)
            .with_complementary(cover)
        })
}

fn arb_device_key() -> impl Strategy<Value = DeviceKey> {
    (any::<[u8; 32]>(), any::<[u8; 32]>(), any::<Option<bool>>()).prop_map(|(x, y, c)| match c {
        Some(y_odd) => DeviceKey::Compressed { x, y_odd },
        None => DeviceKey::Uncompressed { x, y },
    })
}

fn arb_window() -> impl Strategy<Value = (Timestamp, ValidityWindow)> {
    (0u64..4_000_000_000, 1u64..10_000_000, 0u64..10_000_000).prop_map(|(start, len, back)| {
        let issued = ts(start.saturating_sub(back));
        (
            issued,
            ValidityWindow::new(ts(start), ts(start + len)).unwrap(),
        )
    })
}

fn arb_credential() -> impl Strategy<Value = Credential> {
    (1usize..=16)
        .prop_flat_map(|n| {
            let bens: Vec<_> = (1..=n as u8).map(|r| arb_beneficiary(r * 6)).collect();
            (
                any::<[u8; 16]>(),
                arb_window(),
                arb_device_key(),
                arb_nir(),
                "[0-9]{2}",
                bens,
            )
        })
        .prop_map(|(id, (issued, window), dk, nir, code, bens)| Credential {
            id: CredentialId::from_bytes(id),
            issued_at: issued,
            validity: window,
            device_key: dk,
            insured: Insured::new(
                nir,
                Organisation::new("01", "751", "0001").unwrap(),
                ManagementCode::new(&code).unwrap(),
            ),
            beneficiaries: Beneficiaries::new(bens).unwrap(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn credential_round_trips(c in arb_credential()) {
        let payload = c.to_payload().unwrap();
        prop_assert_eq!(Credential::from_payload(&payload).unwrap(), c);
    }

    #[test]
    fn delegation_round_trips(
        id in any::<[u8; 16]>(), cid in any::<[u8; 16]>(), name in arb_name(),
        dk in arb_device_key(), ranks in proptest::collection::btree_set(1u8..=99, 1..=16),
        (issued, window) in arb_window(),
    ) {
        let d = Delegation {
            id: DelegationId::from_bytes(id),
            credential_id: CredentialId::from_bytes(cid),
            delegate_name: name,
            delegate_key: dk,
            ranks: DelegatedRanks::new(ranks.into_iter().map(|r| Rank::new(r).unwrap()).collect()).unwrap(),
            issued_at: issued,
            validity: window,
        };
        prop_assert_eq!(Delegation::from_payload(&d.to_payload().unwrap()).unwrap(), d);
    }

    #[test]
    fn presentation_round_trips(
        nonce in any::<[u8; 16]>(), start in 0u64..4_000_000_000, life in 1u64..=180, nfc in any::<bool>(),
    ) {
        let device = key(2);
        let cred = common::issue(&common::credential(1, &device), &key(1));
        let p = Presentation::new(
            SignedCredential::decode(&cred).unwrap(),
            Nonce::from_bytes(nonce),
            ts(start),
            ts(start + life),
            if nfc { ChannelBinding::Nfc(ReaderChallenge::new(&nonce).unwrap()) } else { ChannelBinding::Qr },
            None,
        ).unwrap();
        prop_assert_eq!(Presentation::from_payload(&p.to_payload().unwrap()).unwrap(), p);
    }

    #[test]
    fn sec1_points_round_trip(dk in arb_device_key()) {
        prop_assert_eq!(DeviceKey::from_sec1(&dk.to_sec1()), Some(dk));
    }
}
