//! Every vector of `shared/testdata/rfc9285-base45/base45_vectors.json`:
//! valid ones encode and decode both ways, invalid ones are rejected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout
)]

use std::path::Path;

use serde::Deserialize;
use vitale_codec::{Error, TextError, base45};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/rfc9285-base45"
);

#[derive(Deserialize)]
struct Vectors {
    alphabet: String,
    valid: Vec<Valid>,
    invalid: Vec<Invalid>,
}

#[derive(Deserialize)]
struct Valid {
    source: String,
    bytes_hex: String,
    base45: String,
}

#[derive(Deserialize)]
struct Invalid {
    source: String,
    base45: String,
}

fn vectors() -> Vectors {
    let dir = Path::new(DIR);
    assert!(
        dir.is_dir(),
        "test data folder {} is missing: the RFC 9285 vectors are required, not optional",
        dir.display()
    );
    let json = std::fs::read_to_string(dir.join("base45_vectors.json"))
        .expect("cannot read base45_vectors.json");
    serde_json::from_str(&json).expect("base45_vectors.json does not parse")
}

#[test]
fn alphabet_matches() {
    assert_eq!(vectors().alphabet.as_bytes(), base45::ALPHABET);
}

#[test]
fn valid_vectors_both_ways() {
    let vectors = vectors();
    assert!(vectors.valid.len() >= 8, "too few valid vectors");
    for v in &vectors.valid {
        let bytes = hex::decode(&v.bytes_hex).unwrap();
        assert_eq!(base45::encode(&bytes), v.base45, "encode: {}", v.source);
        assert_eq!(
            base45::decode(&v.base45).unwrap(),
            bytes,
            "decode: {}",
            v.source
        );
    }
    println!("{} valid RFC 9285 vectors checked", vectors.valid.len());
}

#[test]
fn invalid_vectors_rejected() {
    let vectors = vectors();
    assert!(vectors.invalid.len() >= 6, "too few invalid vectors");
    for v in &vectors.invalid {
        match base45::decode(&v.base45) {
            Err(Error::Text(TextError::Base45(err))) => {
                println!("{:?} rejected ({}): {err}", v.base45, v.source);
            }
            other => panic!("{:?} ({}) not rejected: {other:?}", v.base45, v.source),
        }
    }
}
