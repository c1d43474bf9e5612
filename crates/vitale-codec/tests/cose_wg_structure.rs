//! The cose-wg COSE_Sign1 examples, parsed as structures.
//!
//! Signatures are checked by `vitale-verify`; here every Sign1 example must
//! parse (or be refused for the reason its mutation implies), and the
//! `Sig_structure` we rebuild must equal the example's `ToBeSign_hex`, byte
//! for byte — including `sign1-tests/sign-pass-01`, whose empty protected
//! map is sent as `a0` and signed as an empty byte string.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use vitale_codec::cose::{CoseError, ParseMode, Sign1};
use vitale_codec::{Error, limits};

fn root() -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/cose-wg-examples");
    assert!(
        dir.is_dir(),
        "external test data missing: {} (see shared/testdata/README.md)",
        dir.display()
    );
    dir
}

fn load(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn hex_field(v: &serde_json::Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

enum Expect {
    /// Parses, and the Sig_structure equals ToBeSign_hex.
    Parses,
    /// Parses; the mutation is caught by the signature (vitale-verify).
    ParsesSignatureFails,
    /// Refused while parsing.
    Refused(CoseError),
}

#[test]
fn every_sign1_example_parses_or_is_refused_as_expected() {
    use Expect::*;
    let cases: &[(&str, Expect)] = &[
        ("sign1-tests/sign-pass-01.json", Parses),
        ("sign1-tests/sign-pass-02.json", Parses),
        ("sign1-tests/sign-pass-03.json", Parses),
        (
            "sign1-tests/sign-fail-01.json",
            Refused(CoseError::WrongTag(Some(998))),
        ),
        ("sign1-tests/sign-fail-02.json", ParsesSignatureFails),
        (
            "sign1-tests/sign-fail-03.json",
            Refused(CoseError::UnsupportedAlgorithm("-999".into())),
        ),
        (
            "sign1-tests/sign-fail-04.json",
            Refused(CoseError::UnsupportedAlgorithm("\"unknown\"".into())),
        ),
        ("sign1-tests/sign-fail-06.json", ParsesSignatureFails),
        ("sign1-tests/sign-fail-07.json", ParsesSignatureFails),
        ("ecdsa-examples/ecdsa-sig-01.json", Parses),
        (
            "ecdsa-examples/ecdsa-sig-02.json",
            Refused(CoseError::UnsupportedAlgorithm("-35".into())),
        ),
        (
            "ecdsa-examples/ecdsa-sig-03.json",
            Refused(CoseError::UnsupportedAlgorithm("-36".into())),
        ),
        (
            "ecdsa-examples/ecdsa-sig-04.json",
            Refused(CoseError::UnsupportedAlgorithm("-36".into())),
        ),
        ("RFC8152/Appendix_C_2_1.json", Parses),
        ("CWT/A_3.json", Parses),
    ];
    let mut parsed = 0;
    for (file, expect) in cases {
        let case = load(file);
        let bytes = hex_field(&case["output"]["cbor"]);
        let aad = case["input"]["sign0"]["external"]
            .as_str()
            .map(|h| hex::decode(h).unwrap())
            .unwrap_or_default();
        let result = Sign1::decode(&bytes, limits::MAX_PRESENTATION_BYTES, ParseMode::Interop);
        match (expect, result) {
            (Parses, Ok(s)) => {
                let want = hex_field(&case["intermediates"]["ToBeSign_hex"]);
                assert_eq!(s.to_be_signed(&aad).unwrap(), want, "{file}: Sig_structure");
                parsed += 1;
            }
            (ParsesSignatureFails, Ok(_)) => parsed += 1,
            (Refused(want), Err(Error::Cose(got))) => assert_eq!(&got, want, "{file}"),
            (_, other) => panic!("{file}: unexpected {other:?}"),
        }
    }
    assert_eq!(parsed, 9);
}

#[test]
fn the_open_profile_refuses_what_interop_tolerates() {
    // sign-pass-01 has its algorithm unprotected; sign-pass-03 is untagged.
    for (file, want) in [
        ("sign1-tests/sign-pass-01.json", CoseError::MissingAlgorithm),
        ("sign1-tests/sign-pass-03.json", CoseError::WrongTag(None)),
    ] {
        let bytes = hex_field(&load(file)["output"]["cbor"]);
        match Sign1::decode(&bytes, 4096, ParseMode::OpenProfile) {
            Err(Error::Cose(got)) => assert_eq!(got, want, "{file}"),
            other => panic!("{file}: {other:?}"),
        }
    }
}
