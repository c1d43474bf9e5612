//! Wycheproof ECDSA P-256 / SHA-256 (C2SP/wycheproof, see
//! `shared/testdata/wycheproof/SOURCE.md`): every DER and every P1363
//! vector through every compiled backend.
//!
//! Policy: `valid` must verify, `invalid` must fail (at parsing or at
//! verification). `acceptable` (none in these two files today) would only
//! have to give the same answer in every backend; we count them so a new
//! upstream file that adds some is noticed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout
)]

mod common;

use serde::Deserialize;
use vitale_verify::{Error, PublicKey, Signature};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    number_of_tests: usize,
    test_groups: Vec<Group>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Group {
    public_key: GroupKey,
    public_key_der: String,
    sha: String,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct GroupKey {
    curve: String,
    uncompressed: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    tc_id: u32,
    comment: String,
    msg: String,
    sig: String,
    result: String,
}

#[derive(Default, Debug, PartialEq)]
struct Counts {
    total: usize,
    valid: usize,
    invalid: usize,
    acceptable: usize,
    /// Invalid cases refused when parsing the signature bytes.
    refused_at_parse: usize,
    /// Per backend: cases whose outcome matched the expected result.
    matched: Vec<(&'static str, usize)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Form {
    Der,
    P1363,
}

fn run(file: &str, form: Form) -> Counts {
    let path = common::testdata(&format!("wycheproof/testvectors_v1/{file}"));
    let text = std::fs::read_to_string(&path).unwrap();
    let file: File = serde_json::from_str(&text).unwrap();
    let backends = common::backends();
    let mut counts = Counts {
        matched: backends.iter().map(|b| (b.name(), 0)).collect(),
        ..Counts::default()
    };
    for group in &file.test_groups {
        assert_eq!(group.public_key.curve, "secp256r1");
        assert_eq!(group.sha, "SHA-256");
        // The same key parsed from SPKI DER and from the SEC1 point, and
        // from its compressed form.
        let key = PublicKey::from_spki_der(&hex::decode(&group.public_key_der).unwrap()).unwrap();
        let sec1 =
            PublicKey::from_sec1_bytes(&hex::decode(&group.public_key.uncompressed).unwrap())
                .unwrap();
        assert_eq!(key, sec1);
        let compressed = PublicKey::from_sec1_bytes(&key.to_compressed()).unwrap();
        assert_eq!(key, compressed);

        for case in &group.tests {
            counts.total += 1;
            let msg = hex::decode(&case.msg).unwrap();
            let sig_bytes = hex::decode(&case.sig).unwrap();
            let parsed = match form {
                Form::Der => Signature::from_der(&sig_bytes),
                Form::P1363 => Signature::from_slice(&sig_bytes),
            };
            if form == Form::Der && case.result == "valid" {
                // Strict DER is canonical: re-encoding gives the same bytes.
                assert_eq!(
                    parsed.as_ref().unwrap().to_der(),
                    sig_bytes,
                    "tc {}",
                    case.tc_id
                );
            }
            let outcomes: Vec<Result<(), Error>> = backends
                .iter()
                .map(|b| match &parsed {
                    Ok(sig) => {
                        let full = b.verify_es256(&key, &msg, sig);
                        let short = b.verify_es256(&compressed, &msg, sig);
                        assert_eq!(full, short, "tc {} compressed key", case.tc_id);
                        full.map_err(Error::from)
                    }
                    Err(e) => Err(e.clone()),
                })
                .collect();
            assert!(
                outcomes.windows(2).all(|w| w[0] == w[1]),
                "tc {} ({}): backends disagree: {outcomes:?}",
                case.tc_id,
                case.comment
            );
            match case.result.as_str() {
                "valid" => counts.valid += 1,
                "invalid" => {
                    counts.invalid += 1;
                    if parsed.is_err() {
                        counts.refused_at_parse += 1;
                    }
                }
                "acceptable" => counts.acceptable += 1,
                other => panic!("tc {}: unknown result {other}", case.tc_id),
            }
            for ((name, matched), outcome) in counts.matched.iter_mut().zip(&outcomes) {
                let ok = match case.result.as_str() {
                    "valid" => outcome.is_ok(),
                    "invalid" => outcome.is_err(),
                    _ => true,
                };
                assert!(
                    ok,
                    "tc {} ({}) {}: expected {}, got {outcome:?}",
                    case.tc_id, case.comment, name, case.result
                );
                *matched += 1;
            }
            if case.result == "invalid" && parsed.is_ok() {
                // Parsed but refused: only ever as a bad signature.
                assert_eq!(outcomes[0], Err(Error::BadSignature), "tc {}", case.tc_id);
            }
        }
    }
    assert_eq!(counts.total, file.number_of_tests);
    counts
}

#[test]
fn der_vectors() {
    let counts = run("ecdsa_secp256r1_sha256_test.json", Form::Der);
    println!("wycheproof DER: {counts:?}");
    assert_eq!(
        (
            counts.total,
            counts.valid,
            counts.invalid,
            counts.acceptable
        ),
        (484, 174, 310, 0)
    );
    for (name, matched) in &counts.matched {
        assert_eq!(*matched, 484, "{name}");
    }
}

#[test]
fn p1363_vectors() {
    let counts = run("ecdsa_secp256r1_sha256_p1363_test.json", Form::P1363);
    println!("wycheproof P1363: {counts:?}");
    assert_eq!(
        (
            counts.total,
            counts.valid,
            counts.invalid,
            counts.acceptable
        ),
        (262, 173, 89, 0)
    );
    for (name, matched) in &counts.matched {
        assert_eq!(*matched, 262, "{name}");
    }
}
