//! `Error::kind()` codes are distinct snake_case strings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

use vitale_verify::{Error, KeyError, KeyUsage, TrustListError};

#[test]
fn kinds_are_distinct_and_snake_case() {
    let errors = [
        Error::BadSignature,
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
        Error::TrustList(TrustListError::Expired),
        Error::TrustList(TrustListError::BadRootSignature),
        Error::CredentialExpired,
        Error::CredentialNotYetValid,
        Error::BadDeviceSignature,
        Error::PresentationExpired,
        Error::PresentationFromFuture,
        Error::PresentationLifetime { secs: 200 },
        Error::Replay,
        Error::ReplayCacheFull,
        Error::ReplayCacheUnavailable,
        Error::ChannelMismatch,
        Error::ChallengeMismatch,
        Error::DelegationExpired,
        Error::DelegationNotYetValid,
        Error::DelegationMismatch,
        Error::DelegationOutOfScope { rank: 1 },
        Error::NoSuchBeneficiary { rank: 1 },
        Error::UnsupportedVersion { version: 2 },
        Error::UnprotectedHeader,
        Error::UnexpectedHeader,
    ];
    let kinds: BTreeSet<&str> = errors.iter().map(Error::kind).collect();
    assert_eq!(kinds.len(), errors.len());
    for kind in kinds {
        assert!(
            kind.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{kind}"
        );
    }
}
