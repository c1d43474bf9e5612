#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;
use crate::{InsOid, Nir};

fn traits() -> IdentityTraits {
    IdentityTraits::new(
        BirthName::new("Lovelace").unwrap(),
        GivenNames::new("Ada").unwrap(),
        Sex::Female,
        BirthDate::parse("18151210").unwrap(),
        CogCode::parse("99132").unwrap(),
    )
}

fn ins() -> Ins {
    Ins::new(Nir::parse("215129913200195").unwrap(), InsOid::TestNir)
}

#[test]
fn status_and_ins_must_agree() {
    // (status, with INS?, accepted?)
    let cases = [
        (IdentityStatus::Provisional, false, true),
        (IdentityStatus::Provisional, true, false),
        (IdentityStatus::Recovered, true, true),
        (IdentityStatus::Recovered, false, false),
        (IdentityStatus::Validated, false, true),
        (IdentityStatus::Validated, true, false),
        (IdentityStatus::Qualified, true, true),
        (IdentityStatus::Qualified, false, false),
    ];
    for (status, with_ins, accepted) in cases {
        let result = PatientIdentity::new(status, traits(), with_ins.then(ins));
        match result {
            Ok(identity) => {
                assert!(accepted, "{status}");
                assert_eq!(identity.status(), status);
                assert_eq!(identity.ins().is_some(), with_ins);
            }
            Err(error) => {
                assert!(!accepted, "{status}");
                assert_eq!(error, Error::InsStatusMismatch { status });
            }
        }
    }
}

#[test]
fn only_a_qualified_identity_is_shareable() {
    for status in [
        IdentityStatus::Provisional,
        IdentityStatus::Recovered,
        IdentityStatus::Validated,
    ] {
        let identity = PatientIdentity::new(status, traits(), status.has_ins().then(ins)).unwrap();
        assert_eq!(
            identity.shareable(),
            Err(Error::IdentityNotQualified { status })
        );
        assert!(QualifiedIdentity::try_from(&identity).is_err());
    }
    let identity = PatientIdentity::new(IdentityStatus::Qualified, traits(), Some(ins())).unwrap();
    let shared = identity.shareable().unwrap();
    assert_eq!(shared.ins(), &ins());
    assert_eq!(shared.traits(), &traits());
}

#[test]
fn traits_match_on_normalised_names() {
    let other = IdentityTraits::new(
        BirthName::new(" LOVELACE ").unwrap(),
        GivenNames::new("ADA").unwrap(),
        Sex::Female,
        BirthDate::parse("18151210").unwrap(),
        CogCode::parse("99132").unwrap(),
    );
    assert!(traits().matches(&other));
    assert_ne!(traits(), other);
    let born_elsewhere = IdentityTraits::new(
        BirthName::new("Lovelace").unwrap(),
        GivenNames::new("Ada").unwrap(),
        Sex::Female,
        BirthDate::parse("18151210").unwrap(),
        CogCode::parse("75056").unwrap(),
    );
    assert!(!traits().matches(&born_elsewhere));
}

#[test]
fn debug_shows_no_trait_but_sex() {
    let identity = PatientIdentity::new(IdentityStatus::Qualified, traits(), Some(ins())).unwrap();
    let debug = format!("{identity:?} {:?}", identity.shareable().unwrap());
    for secret in ["Lovelace", "Ada", "1815", "99132", "2151299"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("Female"));
}
