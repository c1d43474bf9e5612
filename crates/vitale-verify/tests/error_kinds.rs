//! `Error::kind()` codes are distinct snake_case strings, and
//! `docs/format.md` §12 lists exactly them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

use vitale_verify::token::ContextError;
use vitale_verify::{Error, KeyError, KeyUsage, TrustListError};

const T0: vitale_model::Timestamp = vitale_model::Timestamp::UNIX_EPOCH;

/// One error of every kind.
fn every_kind() -> Vec<Error> {
    vec![
        Error::BadSignature,
        Error::SignatureBackendFailed,
        Error::InvalidPublicKey(KeyError::NotOnCurve),
        Error::UnsupportedAlgorithm(vitale_verify::AlgorithmLabel::Cose(-37)),
        Error::TooLarge { size: 2, limit: 1 },
        Error::UnknownCriticalHeader,
        Error::Malformed(vitale_codec::Error::Cbor(
            vitale_codec::CborError::Truncated(0),
        )),
        Error::UnknownIssuerKey { kid: [0; 8] },
        Error::IssuerKeyNotValidAtIssue {
            usage: KeyUsage::Credential,
        },
        Error::WrongKeyUsage {
            usage: KeyUsage::Credential,
        },
        Error::BadIssuerSignature {
            usage: KeyUsage::Credential,
        },
        Error::TrustList(TrustListError::Expired {
            expired_at: T0,
            now: T0,
        }),
        Error::TrustList(TrustListError::NotYetValid {
            not_before: T0,
            now: T0,
        }),
        Error::TrustList(TrustListError::BadRootSignature),
        Error::TrustList(TrustListError::Malformed),
        Error::TrustList(TrustListError::TooLarge),
        Error::TrustList(TrustListError::UnsupportedVersion),
        Error::TrustList(TrustListError::StaleSequence {
            offered: 1,
            current: 2,
        }),
        Error::TrustList(TrustListError::KidMismatch),
        Error::TrustList(TrustListError::DuplicateKid),
        Error::TrustList(TrustListError::BadKey(KeyError::NotOnCurve)),
        Error::TrustList(TrustListError::BadCertificate),
        Error::InvalidSignatureEncoding(vitale_verify::SignatureEncodingError::WrongLength),
        Error::CredentialExpired {
            expired_at: T0,
            now: T0,
        },
        Error::CredentialNotYetValid {
            not_before: T0,
            now: T0,
        },
        Error::BadDeviceSignature,
        Error::PresentationExpired {
            expired_at: T0,
            now: T0,
        },
        Error::PresentationFromFuture {
            issued_at: T0,
            now: T0,
        },
        Error::PresentationLifetime { secs: 200 },
        Error::Replay,
        Error::ReplayCacheFull,
        Error::ReplayCacheUnavailable,
        Error::ChannelMismatch,
        Error::ChallengeMismatch,
        Error::DelegationExpired {
            expired_at: T0,
            now: T0,
        },
        Error::DelegationNotYetValid {
            not_before: T0,
            now: T0,
        },
        Error::DelegationMismatch,
        Error::DelegationOutOfScope { rank: 1 },
        Error::NoSuchBeneficiary { rank: 1 },
        Error::UnsupportedVersion { version: 2 },
        Error::UnprotectedHeader,
        Error::UnexpectedHeader,
        Error::Context(ContextError::TokenRefused),
        Error::Context(ContextError::UnknownContext),
        Error::Context(ContextError::ContextExpired),
        Error::Context(ContextError::Unauthorised),
        Error::Context(ContextError::InvalidAnswer),
        Error::Context(ContextError::unavailable(std::io::Error::other("down"))),
    ]
}

#[test]
fn kinds_are_distinct_and_snake_case() {
    let errors = every_kind();
    let kinds: BTreeSet<&str> = errors.iter().map(Error::kind).collect();
    assert_eq!(kinds.len(), errors.len());
    for kind in kinds {
        assert!(
            kind.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{kind}"
        );
    }
}

#[test]
fn format_md_lists_every_kind_and_no_other() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/format.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc.find("<!-- error-kinds -->").unwrap();
    let end = doc.find("<!-- /error-kinds -->").unwrap();
    let listed: BTreeSet<&str> = doc[start..end]
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let kinds: BTreeSet<&str> = every_kind().iter().map(Error::kind).collect();
    assert_eq!(listed, kinds);
}
