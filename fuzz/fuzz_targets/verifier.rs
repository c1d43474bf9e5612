//! The full verifier, in two modes chosen by the first byte.
//!
//! **Raw** (even first byte): the rest as presentation bytes (QR and NFC
//! answers), as text, and as (position, xor) mutations of a genuine
//! presentation, which must never be accepted.
//!
//! **Built** (odd first byte): the rest is an `arbitrary` description of a
//! presentation — household, beneficiary edits, credential times, issuer
//! key and device key, an optional delegation (issuer key, ranks, times,
//! delegate key), the presentation's nonce, times, channel and challenge,
//! the key that signs it, the channel the reader expects, and field-level
//! CBOR edits of any of the three payloads. The harness signs it with the
//! world's keys (`vitale_fuzz::world`: the trust list names them), so every
//! check after the signatures is reached: credential and delegation
//! windows, delegation scope, channel, challenge, time policy and replay.
//! Each built presentation is verified twice on a fresh verifier: the
//! second time must be refused as a replay if the first was accepted, and
//! refused the same way otherwise. An accepted presentation without CBOR
//! edits must agree with its description (issuer allowed, right signing
//! key, channel and challenge, times within the policy).
//!
//! The verifier's step counters (`vitale_verify::fuzzing`) are written to
//! `$VITALE_FUZZ_STEPS` (see `fuzz/depth.sh`).
#![no_main]

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use vitale_codec::cbor::{self, Value};
use vitale_codec::model::{
    Beneficiaries, Beneficiary, BirthRank, Credential, CredentialId, DelegatedRanks, Delegation,
    DelegationId, PersonName, QualityCode, Rank, Timestamp, ValidityWindow,
};
use vitale_fuzz::edit::{self, Edit, Few};
use vitale_fuzz::steps;
use vitale_fuzz::world::{IssuerChoice, NOW, PhoneChoice, World, world};
use vitale_ins::BirthDate;
use vitale_verify::policy::{FixedClock, Policy};
use vitale_verify::replay::MemoryReplayCache;
use vitale_verify::{Error, ExpectedChannel, KeyUsage, Verifier};

/// The reader's challenge in the built mode.
const CHALLENGE: [u8; 16] = [0x42; 16];
/// The policy's clock skew and longest lifetime (tighter than the
/// format's 180 s, so that the policy's own lifetime check is reached).
const SKEW: u64 = 60;
const MAX_LIFETIME: u64 = 120;

fn policy() -> Policy {
    let mut policy = Policy::default();
    policy.clock_skew_secs = SKEW;
    policy.max_presentation_lifetime_secs = MAX_LIFETIME;
    policy
}

/// A verifier with its own replay cache (small: one input verifies at
/// most one presentation twice).
fn verifier(w: &World) -> Verifier {
    Verifier::new(w.store.clone())
        .with_clock(FixedClock(w.now))
        .with_policy(policy())
        .with_replay_cache(MemoryReplayCache::new(8))
}

/// How long a validity window lasts.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Length {
    /// `h + 1` hours.
    Hours(u8),
    /// Seconds (0 makes an empty window, which the codec refuses).
    Secs(u32),
}

/// A time around now.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum When {
    Now,
    Before(u16),
    After(u16),
    DaysBefore(u8),
    DaysAfter(u8),
    Unix(u64),
}

impl When {
    fn offset(self) -> Option<i64> {
        Some(match self {
            When::Now => 0,
            When::Before(s) => -i64::from(s),
            When::After(s) => i64::from(s),
            When::DaysBefore(d) => -i64::from(d % 64) * 86_400,
            When::DaysAfter(d) => i64::from(d % 64) * 86_400,
            When::Unix(u) => i64::try_from(u)
                .ok()?
                .checked_sub(i64::try_from(NOW).ok()?)?,
        })
    }
}

#[derive(Arbitrary, Debug)]
enum BeneficiaryEdit {
    Rank(u8, u8),
    Quality(u8, u8),
    BirthDate(u8, u32),
    BirthRank(u8, u8),
    FirstNames(u8, String),
    ClearIns(u8),
    ClearComplementary(u8),
    Remove(u8),
    Duplicate(u8),
}

#[derive(Arbitrary, Debug)]
struct CredentialDesc {
    household: u8,
    edits: Few<BeneficiaryEdit>,
    issuer: IssuerChoice,
    device: PhoneChoice,
    issued_at: When,
    not_before: When,
    /// The window's length: `Hours(h)` is `h + 1` hours.
    length: Length,
    id: u8,
}

#[derive(Arbitrary, Debug)]
struct DelegationDesc {
    issuer: IssuerChoice,
    delegate: PhoneChoice,
    /// Names another credential than the one presented.
    other_credential: Option<u8>,
    /// The ranks 1 to 16 whose bit is set (ranks come out increasing).
    ranks: u16,
    /// A rank added at the end (any value: out of scope, out of order).
    extra_rank: Few<u8>,
    issued_at: When,
    not_before: When,
    /// The window's length: `Hours(h)` is `h + 1` hours.
    length: Length,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum ChannelDesc {
    Qr,
    /// NFC with the reader's challenge.
    Nfc,
    /// NFC with another challenge of this length (16..=32).
    NfcOther(u8, u8),
}

#[derive(Arbitrary, Debug)]
struct PresentationDesc {
    nonce: u8,
    issued_at: When,
    lifetime: u8,
    channel: ChannelDesc,
    /// The channel the reader expects: QR when `true`, NFC with
    /// [`CHALLENGE`] when `false`; `None`: the presentation's own.
    expected: Option<bool>,
    /// The key that signs; `None`: the right one (the delegate's when there
    /// is a delegation, else the device's).
    signer: Option<PhoneChoice>,
    /// Sign over these bytes as external AAD instead of the channel's.
    aad: Few<u8>,
}

#[derive(Arbitrary, Debug)]
struct Description {
    credential: CredentialDesc,
    delegation: Option<DelegationDesc>,
    presentation: PresentationDesc,
    credential_edits: Few<Edit>,
    delegation_edits: Few<Edit>,
    presentation_edits: Few<Edit>,
}

/// The description's beneficiaries, or `None` if they break the model.
fn beneficiaries(w: &World, d: &CredentialDesc) -> Option<Beneficiaries> {
    let mut list = w.household(d.household).beneficiaries.as_slice().to_vec();
    for e in d.edits.as_slice() {
        if list.is_empty() {
            break;
        }
        let pick = |i: u8| usize::from(i) % list.len();
        match e {
            BeneficiaryEdit::Rank(i, r) => {
                let i = pick(*i);
                list[i] = with(&list[i], Some(Rank::new(*r)?), None, None, None, None);
            }
            BeneficiaryEdit::Quality(i, q) => {
                let i = pick(*i);
                list[i] = with(
                    &list[i],
                    None,
                    Some(QualityCode::new(*q)?),
                    None,
                    None,
                    None,
                );
            }
            BeneficiaryEdit::BirthDate(i, digits) => {
                let i = pick(*i);
                let date = BirthDate::parse(&format!("{:08}", digits % 100_000_000)).ok()?;
                list[i] = with(&list[i], None, None, Some(date), None, None);
            }
            BeneficiaryEdit::BirthRank(i, r) => {
                let i = pick(*i);
                list[i] = with(&list[i], None, None, None, Some(BirthRank::new(*r)?), None);
            }
            BeneficiaryEdit::FirstNames(i, names) => {
                let i = pick(*i);
                let names = PersonName::new(names.clone())?;
                list[i] = with(&list[i], None, None, None, None, Some(names));
            }
            BeneficiaryEdit::ClearIns(i) => {
                let i = pick(*i);
                list[i] = list[i].clone().with_ins(None);
            }
            BeneficiaryEdit::ClearComplementary(i) => {
                let i = pick(*i);
                list[i] = list[i].clone().with_complementary(None);
            }
            BeneficiaryEdit::Remove(i) => {
                list.remove(pick(*i));
            }
            BeneficiaryEdit::Duplicate(i) => {
                let b = list[pick(*i)].clone();
                list.push(b);
            }
        }
    }
    Beneficiaries::new(list).ok()
}

/// `b` with some fields replaced.
fn with(
    b: &Beneficiary,
    rank: Option<Rank>,
    quality: Option<QualityCode>,
    birth_date: Option<BirthDate>,
    birth_rank: Option<BirthRank>,
    first_names: Option<PersonName>,
) -> Beneficiary {
    Beneficiary::new(
        rank.unwrap_or(b.rank()),
        quality.unwrap_or(b.quality()),
        b.birth_name().clone(),
        first_names.unwrap_or_else(|| b.first_names().clone()),
        b.sex(),
        birth_date.unwrap_or_else(|| b.birth_date().clone()),
        birth_rank.unwrap_or(b.birth_rank()),
    )
    .with_usual_name(b.usual_name().cloned())
    .with_ins(b.ins().cloned())
    .with_complementary(b.complementary().cloned())
}

fn window(w: &World, from: When, length: Length) -> Option<ValidityWindow> {
    let from = w.at(from.offset()?)?;
    let secs = match length {
        Length::Hours(h) => (u64::from(h) + 1) * 3600,
        Length::Secs(s) => u64::from(s),
    };
    ValidityWindow::new(from, from.checked_add_secs(secs)?)
}

/// What the harness built, with what the oracle needs.
struct Built {
    bytes: Vec<u8>,
    expect_qr: bool,
    /// No CBOR edit was applied: the description is what was signed.
    faithful: bool,
    credential: Credential,
    delegation: Option<(Delegation, IssuerChoice, PhoneChoice)>,
    binding_matches: bool,
    signer: PhoneChoice,
    issued_at: Timestamp,
    expires_at: Timestamp,
}

fn build(w: &World, d: &Description) -> Option<Built> {
    let c = &d.credential;
    let credential = Credential {
        id: CredentialId::from_bytes([c.id; 16]),
        issued_at: w.at(c.issued_at.offset()?)?,
        validity: window(w, c.not_before, c.length)?,
        device_key: w.phone(c.device).device_key().ok()?,
        insured: w.household(c.household).insured.clone(),
        beneficiaries: beneficiaries(w, c)?,
    };
    let mut payload = credential.to_payload().ok()?;
    if !d.credential_edits.is_empty() {
        payload = edit::edit_bytes(&payload, d.credential_edits.as_slice())?;
    }
    let signed_credential = w.issuer_sign(c.issuer, &payload);

    let mut delegation = None;
    let mut signed_delegation = None;
    if let Some(g) = &d.delegation {
        let ranks = (0u8..16)
            .filter(|bit| g.ranks & (1 << bit) != 0)
            .map(|bit| bit + 1)
            .chain(g.extra_rank.as_slice().iter().copied())
            .filter_map(Rank::new)
            .collect();
        let value = Delegation {
            id: DelegationId::from_bytes([0xd0; 16]),
            credential_id: match g.other_credential {
                None => credential.id,
                Some(id) => CredentialId::from_bytes([id; 16]),
            },
            delegate_name: PersonName::new("MARTIN CLAIRE")?,
            delegate_key: w.phone(g.delegate).device_key().ok()?,
            ranks: DelegatedRanks::new(ranks).ok()?,
            issued_at: w.at(g.issued_at.offset()?)?,
            validity: window(w, g.not_before, g.length)?,
        };
        let mut payload = value.to_payload().ok()?;
        if !d.delegation_edits.is_empty() {
            payload = edit::edit_bytes(&payload, d.delegation_edits.as_slice())?;
        }
        signed_delegation = Some(w.issuer_sign(g.issuer, &payload));
        delegation = Some((value, g.issuer, g.delegate));
    }

    let p = &d.presentation;
    let issued_at = w.at(p.issued_at.offset()?)?;
    let expires_at = issued_at.checked_add_secs(u64::from(p.lifetime))?;
    let mut nonce = [p.nonce; 16];
    nonce[0] = 0x4e;
    let (channel, challenge) = match p.channel {
        ChannelDesc::Qr => (1u8, None),
        ChannelDesc::Nfc => (2, Some(CHALLENGE.to_vec())),
        ChannelDesc::NfcOther(len, fill) => (2, Some(vec![fill; 16 + usize::from(len % 17)])),
    };
    let mut entries = vec![
        (Value::from(1), Value::from(1)),
        (Value::from(2), Value::Bytes(signed_credential)),
        (Value::from(3), Value::Bytes(nonce.to_vec())),
        (Value::from(4), Value::from(issued_at.unix())),
        (Value::from(5), Value::from(expires_at.unix())),
        (Value::from(6), Value::from(channel)),
    ];
    if let Some(bytes) = signed_delegation {
        entries.push((Value::from(7), Value::Bytes(bytes)));
    }
    if let Some(challenge) = &challenge {
        entries.push((Value::from(8), Value::Bytes(challenge.clone())));
    }
    let mut value = Value::Map(entries);
    edit::apply(&mut value, d.presentation_edits.as_slice());
    let payload = cbor::encode(&value).ok()?;
    let aad_override = (!p.aad.is_empty()).then(|| p.aad.as_slice().to_vec());
    let aad = aad_override
        .clone()
        .or_else(|| challenge.clone())
        .unwrap_or_default();
    let right_signer = match &delegation {
        Some((_, _, delegate)) => *delegate,
        None => c.device,
    };
    let signer = p.signer.unwrap_or(right_signer);
    let bytes = w.phone(signer).sign_envelope(None, &payload, &aad).ok()?;
    let expect_qr = p.expected.unwrap_or(challenge.is_none());
    let binding_matches = match (expect_qr, &challenge) {
        (true, None) => aad_override.as_deref().is_none_or(<[u8]>::is_empty),
        (false, Some(c)) => {
            c.as_slice() == CHALLENGE && aad_override.as_deref().is_none_or(|a| a == CHALLENGE)
        }
        _ => false,
    };
    Some(Built {
        bytes,
        expect_qr,
        signer,
        faithful: d.credential_edits.is_empty()
            && d.delegation_edits.is_empty()
            && d.presentation_edits.is_empty(),
        credential,
        delegation,
        binding_matches,
        issued_at,
        expires_at,
    })
}

/// What an accepted, unedited presentation must satisfy.
fn check_accepted(w: &World, d: &Description, b: &Built) {
    let now = w.now;
    let c = &b.credential;
    assert!(d.credential.issuer.allows(KeyUsage::Credential));
    assert!(c.validity.not_before() <= now && now < c.validity.expires_at());
    let expected_signer = match &b.delegation {
        Some((g, issuer, delegate)) => {
            assert!(issuer.allows(KeyUsage::Delegation));
            assert_eq!(g.credential_id, c.id);
            assert!(g.validity.not_before() <= now && now < g.validity.expires_at());
            for rank in g.ranks.as_slice() {
                assert!(c.beneficiaries.by_rank(*rank).is_some());
            }
            *delegate
        }
        None => d.credential.device,
    };
    assert_eq!(
        w.phone(b.signer).kid(),
        w.phone(expected_signer).kid()
    );
    assert!(
        b.binding_matches,
        "accepted on the wrong channel or challenge"
    );
    let lifetime = b.expires_at.unix() - b.issued_at.unix();
    assert!(lifetime <= MAX_LIFETIME);
    assert!(b.issued_at.unix() <= NOW + SKEW && NOW < b.expires_at.unix() + SKEW);
}

fn built_mode(data: &[u8]) {
    let w = world();
    let Ok(d) = Description::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let Some(b) = build(w, &d) else {
        return;
    };
    let v = verifier(w);
    let expected = if b.expect_qr {
        ExpectedChannel::Qr
    } else {
        ExpectedChannel::Nfc {
            challenge: &CHALLENGE,
        }
    };
    let first = v.verify(&b.bytes, expected);
    let again = v.verify(&b.bytes, expected);
    match &first {
        Ok(card) => {
            assert!(matches!(again, Err(Error::Replay)), "a replay was accepted");
            assert!(!card.beneficiaries().is_empty());
            if b.faithful {
                check_accepted(w, &d, &b);
            }
        }
        Err(e) => assert_eq!(again.err().map(|e| e.kind()), Some(e.kind())),
    }
}

struct Raw {
    verifier: Verifier,
    genuine: Vec<u8>,
}

fn raw() -> &'static Raw {
    static RAW: OnceLock<Raw> = OnceLock::new();
    RAW.get_or_init(|| {
        let w = world();
        // The genuine presentation: the world's household of two, signed
        // by the device key, NFC with the reader's challenge.
        let credential = Credential {
            id: CredentialId::from_bytes([7; 16]),
            issued_at: w.at(-86_400).expect("time"),
            validity: ValidityWindow::new(
                w.at(-86_400).expect("time"),
                w.at(30 * 86_400).expect("time"),
            )
            .expect("window"),
            device_key: w.phone(PhoneChoice::Device).device_key().expect("key"),
            insured: w.household(2).insured.clone(),
            beneficiaries: w.household(2).beneficiaries.clone(),
        };
        let signed = w.issuer_sign(
            IssuerChoice::Main,
            &credential.to_payload().expect("payload"),
        );
        let payload = cbor::encode(&Value::Map(vec![
            (Value::from(1), Value::from(1)),
            (Value::from(2), Value::Bytes(signed)),
            (Value::from(3), Value::Bytes(vec![0x11; 16])),
            (Value::from(4), Value::from(NOW)),
            (Value::from(5), Value::from(NOW + 60)),
            (Value::from(6), Value::from(2)),
            (Value::from(8), Value::Bytes(CHALLENGE.to_vec())),
        ]))
        .expect("encode");
        let genuine = w
            .phone(PhoneChoice::Device)
            .sign_envelope(None, &payload, &CHALLENGE)
            .expect("sign");
        // A verifier whose replay cache never sees the genuine one, so the
        // check below holds on every run.
        let check = verifier(w);
        check
            .verify(
                &genuine,
                ExpectedChannel::Nfc {
                    challenge: &CHALLENGE,
                },
            )
            .expect("genuine");
        Raw {
            verifier: verifier(w),
            genuine,
        }
    })
}

fn raw_mode(data: &[u8]) {
    let r = raw();
    let _ = r.verifier.verify(data, ExpectedChannel::Qr);
    let _ = r.verifier.verify(
        data,
        ExpectedChannel::Nfc {
            challenge: &CHALLENGE,
        },
    );
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = r.verifier.verify_text(text);
    }
    // Mutate the genuine presentation: triples of (position, xor) bytes.
    if data.len() >= 3 {
        let mut changed = r.genuine.clone();
        for chunk in data.chunks_exact(3) {
            let position = usize::from(u16::from_be_bytes([chunk[0], chunk[1]])) % changed.len();
            changed[position] ^= chunk[2];
        }
        if changed != r.genuine {
            let result = r.verifier.verify(
                &changed,
                ExpectedChannel::Nfc {
                    challenge: &CHALLENGE,
                },
            );
            assert!(result.is_err(), "a mutated presentation was accepted");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 1 => built_mode(rest),
        Some((_, rest)) => raw_mode(rest),
        None => {}
    }
    steps::dump_now_and_then();
});
