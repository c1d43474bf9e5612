//! cose-wg/Examples (see `shared/testdata/cose-wg-examples/SOURCE.md`):
//! every ES256 COSE_Sign1 case passes or fails as its file says, in every
//! compiled backend.
//!
//! Each file gives the key as a JWK-like object (`x`, `y` base64url, or
//! `x_hex`, `y_hex`), the COSE item in `output.cbor` (hex), an optional
//! external AAD in `input.sign0.external` (hex), and `"fail": true` when
//! the item must not verify. For passing cases we also check that our
//! Sig_structure equals the file's `intermediates.ToBeSign_hex`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout
)]

mod common;

use base64::Engine as _;
use serde_json::Value as Json;
use vitale_verify::{AlgorithmLabel, Error, PublicKey};

use common::cose;

/// What a case must give.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Pass,
    Fail,
    /// Not ES256 (other curve or hash): must be refused as such.
    Unsupported,
}

fn coordinate(key: &Json, name: &str) -> [u8; 32] {
    let bytes = if let Some(b64) = key[name].as_str() {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(b64)
            .unwrap()
    } else {
        hex::decode(key[format!("{name}_hex")].as_str().unwrap()).unwrap()
    };
    bytes.try_into().unwrap()
}

/// Runs one file through every backend; returns the outcome (identical in
/// all backends, asserted).
fn run(relative: &str) -> (Expect, Result<(), String>) {
    let path = common::testdata(&format!("cose-wg-examples/{relative}"));
    let case = common::read_json(&path);
    let sign0 = &case["input"]["sign0"];
    let expect = if case["fail"].as_bool() == Some(true) {
        Expect::Fail
    } else if sign0["alg"].as_str() != Some("ES256") {
        Expect::Unsupported
    } else {
        Expect::Pass
    };
    let key_json = &sign0["key"];
    let aad = sign0["external"]
        .as_str()
        .map(|h| hex::decode(h).unwrap())
        .unwrap_or_default();
    let cbor = hex::decode(case["output"]["cbor"].as_str().unwrap()).unwrap();

    let outcome = match cose::parse_sign1(&cbor, false) {
        Err(parse) => Err(format!("parse: {parse}")),
        Ok((sign1, _)) => {
            if expect == Expect::Pass {
                let tbs =
                    hex::decode(case["intermediates"]["ToBeSign_hex"].as_str().unwrap()).unwrap();
                assert_eq!(cose::sig_structure(&sign1, &aad), tbs, "{relative}");
            }
            let results: Vec<Result<(), Error>> = common::backends()
                .iter()
                .map(|backend| {
                    // The algorithm is checked before the key: a P-384 key
                    // of an ES384 case is never parsed as P-256.
                    cose::algorithm(&sign1)?;
                    assert_eq!(key_json["crv"], "P-256", "{relative}");
                    let key = PublicKey::from_coordinates(
                        &coordinate(key_json, "x"),
                        &coordinate(key_json, "y"),
                    )
                    .unwrap();
                    cose::verify(*backend, &sign1, &aad, &key)
                })
                .collect();
            assert!(
                results.windows(2).all(|w| w[0] == w[1]),
                "{relative}: backends disagree: {results:?}"
            );
            results[0].clone().map_err(|e| format!("{e:?}"))
        }
    };
    (expect, outcome)
}

/// Every ES256 Sign1 case, with what it must give and why.
const CASES: &[(&str, Expect)] = &[
    ("sign1-tests/sign-pass-01.json", Expect::Pass), // protected h'a0', alg unprotected
    ("sign1-tests/sign-pass-02.json", Expect::Pass), // external AAD
    ("sign1-tests/sign-pass-03.json", Expect::Pass), // no tag 18
    ("sign1-tests/sign-fail-01.json", Expect::Fail), // tag 998
    ("sign1-tests/sign-fail-02.json", Expect::Fail), // payload changed
    ("sign1-tests/sign-fail-03.json", Expect::Fail), // alg -999
    ("sign1-tests/sign-fail-04.json", Expect::Fail), // alg "unknown"
    ("sign1-tests/sign-fail-06.json", Expect::Fail), // protected attribute added
    ("sign1-tests/sign-fail-07.json", Expect::Fail), // protected attribute removed
    ("ecdsa-examples/ecdsa-sig-01.json", Expect::Pass),
    // Beyond the brief: the other Sign1 ES256 examples of the set.
    ("RFC8152/Appendix_C_2_1.json", Expect::Pass),
    ("CWT/A_3.json", Expect::Pass),
    // Other algorithms: refused as unsupported, never verified.
    ("ecdsa-examples/ecdsa-sig-02.json", Expect::Unsupported), // ES384, P-384
    ("ecdsa-examples/ecdsa-sig-03.json", Expect::Unsupported), // ES512, P-521
    ("ecdsa-examples/ecdsa-sig-04.json", Expect::Unsupported), // ES512 on P-256
];

#[test]
fn every_sign1_case_gives_the_expected_result() {
    let (mut passed, mut failed, mut unsupported) = (0, 0, 0);
    for (relative, expected) in CASES {
        let (from_file, outcome) = run(relative);
        assert_eq!(from_file, *expected, "{relative}: table and file disagree");
        println!("{relative}: expected {expected:?}, got {outcome:?}");
        match expected {
            Expect::Pass => {
                assert_eq!(outcome, Ok(()), "{relative}");
                passed += 1;
            }
            Expect::Fail => {
                assert!(outcome.is_err(), "{relative} verified but must fail");
                failed += 1;
            }
            Expect::Unsupported => {
                let err = outcome.unwrap_err();
                assert!(err.starts_with("UnsupportedAlgorithm"), "{relative}: {err}");
                unsupported += 1;
            }
        }
    }
    println!(
        "cose-wg: {passed} pass, {failed} fail, {unsupported} unsupported, backends {:?}",
        common::backends()
            .iter()
            .map(|b| b.name())
            .collect::<Vec<_>>()
    );
    assert_eq!((passed, failed, unsupported), (6, 6, 3));
}

#[test]
fn sign1_tests_folder_is_fully_covered() {
    // Every file of sign1-tests/ is in the table (a new upstream case is
    // not silently ignored).
    let dir = common::testdata("cose-wg-examples/sign1-tests");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| format!("sign1-tests/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    let listed: Vec<&str> = CASES
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| f.starts_with("sign1-tests/"))
        .collect();
    assert_eq!(files.len(), 9);
    for f in &files {
        assert!(listed.contains(&f.as_str()), "{f} not in CASES");
    }
}

#[test]
fn failure_reasons_are_the_expected_ones() {
    let reason = |f: &str| run(f).1.unwrap_err();
    // Wrong tag: refused by the envelope parser.
    assert!(reason("sign1-tests/sign-fail-01.json").contains("tag 998"));
    // Changed payload, changed protected header: a bad signature.
    for f in ["sign-fail-02", "sign-fail-06", "sign-fail-07"] {
        assert_eq!(reason(&format!("sign1-tests/{f}.json")), "BadSignature");
    }
    // alg -999 is neither registered nor private-use: coset refuses it.
    assert!(reason("sign1-tests/sign-fail-03.json").starts_with("parse"));
    // A text alg label.
    assert_eq!(
        reason("sign1-tests/sign-fail-04.json"),
        format!("{:?}", Error::UnsupportedAlgorithm(AlgorithmLabel::Text))
    );
}

#[test]
fn empty_protected_map_is_signed_as_empty_bytes() {
    // Without the rule, coset's Sig_structure would hold h'a0' and the
    // signature would not verify.
    let case = common::read_json(&common::testdata(
        "cose-wg-examples/sign1-tests/sign-pass-01.json",
    ));
    let cbor = hex::decode(case["output"]["cbor"].as_str().unwrap()).unwrap();
    let (sign1, _) = cose::parse_sign1(&cbor, false).unwrap();
    assert_eq!(sign1.protected.original_data.as_deref(), Some(&[0xa0][..]));
    let raw = sign1.tbs_data(&[]);
    let normalised = cose::sig_structure(&sign1, &[]);
    assert_ne!(raw, normalised);
    // "Signature1", h'' (not h'a0'), h'' (aad), payload.
    assert_eq!(
        &normalised[..13],
        &hex::decode("846a5369676e61747572653140").unwrap()[..]
    );
}
