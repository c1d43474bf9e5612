//! The Base45 corpus of the EU Digital COVID Certificate test data
//! (`shared/testdata/dgc-testdata/**/2DCode/raw/*.json`).
//!
//! For every file with `BASE45` and `COMPRESSED`: `decode(BASE45)` equals
//! `COMPRESSED` and `encode(COMPRESSED) == BASE45` unless
//! `EXPECTEDRESULTS.EXPECTEDB45DECODE` is `false`, in which case `decode`
//! must fail. Files
//! that expect a Base45 decode but carry no `COMPRESSED` are checked for a
//! strict round trip (`encode(decode(BASE45)) == BASE45`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout
)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use vitale_codec::base45;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/dgc-testdata"
);

/// Every `*/2DCode/raw/*.json` under the data folder, sorted.
fn raw_files() -> Vec<PathBuf> {
    let root = Path::new(DIR);
    assert!(
        root.is_dir(),
        "test data folder {} is missing: the DCC corpus is required, not optional",
        root.display()
    );
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let raw = entry.unwrap().path().join("2DCode").join("raw");
        if !raw.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&raw).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn dcc_base45_corpus() {
    let mut pairs = 0;
    let mut expected_invalid = 0;
    let mut round_trip_only = 0;
    let mut b45_expectations = 0;
    for path in raw_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let json: Value =
            serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let name = path.display();
        let Some(b45) = json.get("BASE45").and_then(Value::as_str) else {
            continue;
        };
        let expected = json
            .get("EXPECTEDRESULTS")
            .and_then(|e| e.get("EXPECTEDB45DECODE"))
            .and_then(Value::as_bool);
        if expected.is_some() {
            b45_expectations += 1;
        }
        let decoded = base45::decode(b45);
        match json.get("COMPRESSED").and_then(Value::as_str) {
            Some(compressed_hex) => {
                pairs += 1;
                let compressed = hex::decode(compressed_hex).unwrap();
                if expected == Some(false) {
                    expected_invalid += 1;
                    // The strict decoder must refuse it outright, not merely
                    // decode it to something else.
                    assert!(
                        decoded.is_err(),
                        "{name}: EXPECTEDB45DECODE is false but BASE45 decodes"
                    );
                } else {
                    assert_eq!(
                        decoded
                            .as_deref()
                            .unwrap_or_else(|err| panic!("{name}: {err}")),
                        compressed.as_slice(),
                        "{name}: decode(BASE45) != COMPRESSED"
                    );
                    assert_eq!(
                        base45::encode(&compressed),
                        b45,
                        "{name}: encode(COMPRESSED) != BASE45"
                    );
                }
            }
            None if expected == Some(true) => {
                round_trip_only += 1;
                let bytes = decoded.unwrap_or_else(|err| panic!("{name}: {err}"));
                assert_eq!(base45::encode(&bytes), b45, "{name}: not canonical");
            }
            None => {}
        }
    }
    println!(
        "DCC Base45: {pairs} BASE45/COMPRESSED pairs checked ({expected_invalid} expected \
         invalid), {round_trip_only} round-trip-only cases, {b45_expectations} \
         EXPECTEDB45DECODE cases in all"
    );
    // The corpus README counts 392 EXPECTEDB45DECODE cases; 25 of them have
    // no COMPRESSED field, hence 367 pairs.
    assert!(pairs >= 367, "only {pairs} BASE45/COMPRESSED pairs found");
    assert!(
        pairs + round_trip_only >= 392,
        "only {} Base45 cases checked",
        pairs + round_trip_only
    );
    assert_eq!(b45_expectations, pairs + round_trip_only);
}
