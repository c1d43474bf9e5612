use std::collections::HashSet;

use vitale_verify::token::ContextError;
use vitale_verify::{KeyUsage, TrustListError};

use super::*;

#[test]
fn kinds_are_unique_snake_case() {
    let mut seen = HashSet::new();
    for (kind, meaning) in KINDS {
        assert!(seen.insert(*kind), "{kind} twice");
        assert!(
            kind.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{kind}"
        );
        assert!(!meaning.is_empty());
    }
}

const T0: vitale_model::Timestamp = vitale_model::Timestamp::UNIX_EPOCH;

fn listed(kind: &str) -> bool {
    KINDS.iter().any(|(k, _)| *k == kind)
}

#[test]
fn every_verifier_and_context_failure_has_a_listed_kind() {
    use vitale_verify::Error as V;
    let errors = [
        V::BadSignature,
        V::SignatureBackendFailed,
        V::UnsupportedAlgorithm(vitale_verify::AlgorithmLabel::Cose(-35)),
        V::TooLarge { size: 2, limit: 1 },
        V::UnknownCriticalHeader,
        V::UnsupportedVersion { version: 2 },
        V::UnprotectedHeader,
        V::UnexpectedHeader,
        V::UnknownIssuerKey { kid: [0; 8] },
        V::IssuerKeyNotValidAtIssue {
            usage: KeyUsage::Credential,
        },
        V::WrongKeyUsage {
            usage: KeyUsage::Delegation,
        },
        V::BadIssuerSignature {
            usage: KeyUsage::Credential,
        },
        V::TrustList(TrustListError::Malformed),
        V::TrustList(TrustListError::TooLarge),
        V::TrustList(TrustListError::UnsupportedVersion),
        V::TrustList(TrustListError::BadRootSignature),
        V::TrustList(TrustListError::Expired {
            expired_at: T0,
            now: T0,
        }),
        V::TrustList(TrustListError::NotYetValid {
            not_before: T0,
            now: T0,
        }),
        V::TrustList(TrustListError::StaleSequence {
            current: 2,
            offered: 1,
        }),
        V::TrustList(TrustListError::KidMismatch),
        V::TrustList(TrustListError::DuplicateKid),
        V::TrustList(TrustListError::BadCertificate),
        V::CredentialExpired {
            expired_at: T0,
            now: T0,
        },
        V::CredentialNotYetValid {
            not_before: T0,
            now: T0,
        },
        V::BadDeviceSignature,
        V::PresentationExpired {
            expired_at: T0,
            now: T0,
        },
        V::PresentationFromFuture {
            issued_at: T0,
            now: T0,
        },
        V::PresentationLifetime { secs: 999 },
        V::Replay,
        V::ReplayCacheFull,
        V::ReplayCacheUnavailable,
        V::ChannelMismatch,
        V::ChallengeMismatch,
        V::DelegationExpired {
            expired_at: T0,
            now: T0,
        },
        V::DelegationNotYetValid {
            not_before: T0,
            now: T0,
        },
        V::DelegationMismatch,
        V::DelegationOutOfScope { rank: 2 },
        V::NoSuchBeneficiary { rank: 9 },
        V::Context(ContextError::TokenRefused),
        V::Context(ContextError::UnknownContext),
        V::Context(ContextError::ContextExpired),
        V::Context(ContextError::Unauthorised),
        V::Context(ContextError::InvalidAnswer),
        V::Context(ContextError::unavailable(std::io::Error::other("down"))),
    ];
    for e in errors {
        let facade = Error::from(e);
        assert!(listed(facade.kind()), "{} not in KINDS", facade.kind());
    }
    for e in [
        Error::NoCode,
        Error::NotAPresentation,
        Error::NoTokenVerifier,
        Error::EmptyInput { what: "image" },
    ] {
        assert!(listed(e.kind()), "{}", e.kind());
    }
    assert!(listed(Error::io("x", std::io::Error::other("y")).kind()));
}

#[test]
fn every_identity_failure_has_a_listed_kind() {
    for text in [
        "",
        "1840375108210",
        "18403751082101X",
        "184037510821011",
        "284137510821010",
    ] {
        if let Err(e) = vitale_ins::Nir::parse(text) {
            assert!(listed(identity_kind(&e)), "{}", identity_kind(&e));
        }
    }
    let e = vitale_ins::InsOid::parse("1.2.3").unwrap_err();
    assert_eq!(identity_kind(&e), "unknown_oid");
    let e = vitale_ins::BirthDate::parse("1984").unwrap_err();
    assert!(listed(identity_kind(&e)));
}

#[test]
fn docs_cli_lists_every_kind() {
    let doc = include_str!("../../../../docs/cli.md");
    let missing: Vec<&str> = KINDS
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(missing.is_empty(), "docs/cli.md does not list: {missing:?}");
}

#[test]
fn every_kind_the_mappings_can_produce_is_listed() {
    // The mapping functions' string literals, read from this file's source:
    // a new arm with a new kind must come with a KINDS entry.
    let source = include_str!("../error.rs");
    let mappings = source.split("pub const KINDS").next().unwrap_or("");
    for arm in mappings.split("=> \"").skip(1) {
        let kind = arm.split('"').next().unwrap_or("");
        assert!(listed(kind), "{kind} is produced but not in KINDS");
    }
}

#[test]
fn every_care_sheet_and_rights_failure_has_a_listed_kind() {
    use vitale_adri::{RefusalCode, RightsError};
    use vitale_fse::numbering::NumberingError;
    let fse = [
        vitale_fse::Error::InvalidAct,
        vitale_fse::Error::ActUnknownOnDate,
        vitale_fse::Error::RuleUnknownOnDate,
        vitale_fse::Error::ModifierNotAllowed,
        vitale_fse::Error::ExtraFeeNotAllowed,
        vitale_fse::Error::RightsClosed,
        vitale_fse::Error::AmountTooLarge,
        vitale_fse::Error::NoActs,
        vitale_fse::Error::TooManyActs,
        vitale_fse::Error::BeneficiaryNotOnCard,
        vitale_fse::Error::RightsForAnotherPatient,
        vitale_fse::Error::UnknownProvenance,
        vitale_fse::Error::InconsistentAmounts,
        vitale_fse::Error::Encoding("x"),
        vitale_fse::Error::Signing("x".into()),
        vitale_fse::Error::SignatureInvalid,
        vitale_fse::Error::Tariff {
            line: 1,
            problem: "x",
        },
        vitale_fse::Error::Numbering(NumberingError::Exhausted),
        vitale_fse::Error::Numbering(NumberingError::Corrupt),
        vitale_fse::Error::Numbering(NumberingError::unavailable(std::io::Error::other("down"))),
        vitale_fse::Error::LotOtherProfessional,
        vitale_fse::Error::LotFull,
        vitale_fse::Error::LotDuplicateInvoice,
        vitale_fse::Error::LotOutOfOrder,
        vitale_fse::Error::LotEmpty,
        vitale_fse::Error::LotDateOutOfRange,
        vitale_fse::Error::LotMalformed("x"),
        vitale_fse::Error::LotSheetMismatch,
        vitale_fse::Error::ReceiptUnknownKey,
        vitale_fse::Error::ReceiptWrongKeyUsage,
        vitale_fse::Error::ReceiptKeyNotValid,
        vitale_fse::Error::ReceiptTrustListExpired,
        vitale_fse::Error::ReceiptBadSignature,
        vitale_fse::Error::ReceiptExpired,
        vitale_fse::Error::ReceiptMalformed("x"),
        vitale_fse::Error::LotNumbering(vitale_fse::lot::LotNumberingError::Corrupt),
        vitale_fse::Error::LotNumbering(vitale_fse::lot::LotNumberingError::unavailable(
            std::io::Error::other("down"),
        )),
    ];
    for e in fse {
        let facade = Error::from(e);
        assert!(listed(facade.kind()), "{} not in KINDS", facade.kind());
    }
    let rights = [
        RightsError::PatientUnknown,
        RightsError::RightsRefused(RefusalCode::new("X1").unwrap()),
        RightsError::Unauthorised,
        RightsError::InvalidAnswer,
        RightsError::unavailable(std::io::Error::other("down")),
    ];
    for e in rights {
        let facade = Error::from(e);
        assert!(listed(facade.kind()), "{} not in KINDS", facade.kind());
    }
}

#[test]
fn every_rights_value_failure_has_a_listed_kind() {
    // Every kind `vitale_adri::Error::kind` can return, read from its source.
    let source = include_str!("../../../vitale-adri/src/error.rs");
    let body = source
        .split("pub fn kind(&self)")
        .nth(1)
        .expect("vitale_adri::Error::kind");
    let mut found = 0;
    for part in body.split("=> \"").skip(1) {
        let kind = part.split('"').next().unwrap_or("");
        assert!(listed(kind), "{kind} is produced but not in KINDS");
        found += 1;
    }
    assert!(found >= 8, "only {found} kinds read from vitale-adri");
    let e = Error::from(vitale_adri::Rights::from_json(b"{").unwrap_err());
    assert_eq!(e.kind(), "rights_json_malformed");
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
#[test]
fn every_store_failure_has_a_listed_kind() {
    for kind in vitale_store::Error::KINDS {
        assert!(listed(kind), "{kind} not in KINDS");
    }
    let e = Error::from(
        "carrier-pigeon:1"
            .parse::<vitale_store::StoreLocation>()
            .unwrap_err(),
    );
    assert_eq!(e.kind(), "store_location_invalid");
}

/// "Not yet valid" and "expired" are told apart, and both carry the
/// verification time and the bound crossed, in the message and for
/// programs.
#[test]
fn time_refusals_carry_their_times() {
    let now = vitale_model::Timestamp::from_unix(1_794_492_300).unwrap_or(T0);
    let bound = now.checked_add_secs(86_400).unwrap_or(T0);
    let early = Error::from(vitale_verify::Error::CredentialNotYetValid {
        not_before: bound,
        now,
    });
    assert_eq!(early.kind(), "credential_not_yet_valid");
    let text = early.to_string();
    assert!(
        text.contains("not valid before 2026-11-13T14:05:00Z"),
        "{text}"
    );
    assert!(text.contains("2026-11-12T14:05:00Z"), "{text}");
    assert!(!text.contains("expired"), "{text}");
    let times = early.time_refusal();
    assert_eq!(
        times.map(|t| (t.now, t.not_before, t.expired_at)),
        Some((now, Some(bound), None))
    );
    let late = Error::from(vitale_verify::Error::TrustList(TrustListError::Expired {
        expired_at: now,
        now: bound,
    }));
    assert_eq!(late.kind(), "trust_list_expired");
    assert_eq!(late.time_refusal().and_then(|t| t.expired_at), Some(now));
    assert!(Error::NoCode.time_refusal().is_none());
}
