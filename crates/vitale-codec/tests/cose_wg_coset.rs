//! Our COSE_Sign1 reading against `coset`'s, on the cose-wg examples.
//!
//! The open profile's envelopes are read straight from their bytes, without
//! `coset` (`Sign1::decode`); other forms still go through `coset`. This
//! suite checks that both agree with `coset` itself: on every Sign1 example
//! of the cose-wg repository (interop mode), and on the same payloads and
//! key identifiers written in the open profile's one encoding — same
//! payload, signature, protected bytes and kid, and a `Sig_structure` equal
//! to `coset`'s `tbs_data`, except where RFC 9052 §3 and `coset` differ (an
//! empty protected map sent as `a0`, signed by us as an empty byte string:
//! `sign1-tests/sign-pass-01`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use coset::{CborSerializable, CoseSign1, TaggedCborSerializable};
use vitale_codec::cose::{ParseMode, Sign1};

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

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every Sign1 example: its envelope bytes and external AAD.
fn sign1_examples() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut files = Vec::new();
    json_files(&root(), &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let sign0 = &case["input"]["sign0"];
        let Some(cbor) = case["output"]["cbor"].as_str() else {
            continue;
        };
        if sign0.is_null() {
            continue;
        }
        let aad = sign0["external"]
            .as_str()
            .map(|h| hex::decode(h).unwrap())
            .unwrap_or_default();
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        out.push((name, hex::decode(cbor).unwrap(), aad));
    }
    out
}

fn coset_parse(bytes: &[u8]) -> Option<CoseSign1> {
    CoseSign1::from_tagged_slice(bytes)
        .or_else(|_| CoseSign1::from_slice(bytes))
        .ok()
}

/// The fields of ours and `coset`'s agree. Returns whether the RFC 9052 §3
/// exception applied (a non-empty encoding of an empty protected map).
fn assert_agree(name: &str, ours: &Sign1, theirs: &CoseSign1, aad: &[u8]) -> bool {
    assert_eq!(
        Some(ours.payload()),
        theirs.payload.as_deref(),
        "{name}: payload"
    );
    assert_eq!(
        &ours.signature()[..],
        &theirs.signature[..],
        "{name}: signature"
    );
    let original = theirs
        .protected
        .original_data
        .as_deref()
        .unwrap_or_default();
    assert_eq!(ours.protected_bytes(), original, "{name}: protected bytes");
    let kid = if theirs.protected.header.key_id.is_empty() {
        &theirs.unprotected.key_id
    } else {
        &theirs.protected.header.key_id
    };
    assert_eq!(
        ours.kid(),
        (!kid.is_empty()).then_some(&kid[..]),
        "{name}: kid"
    );
    let empty_map_exception = theirs.protected.is_empty() && !original.is_empty();
    let tbs = ours.to_be_signed(aad).unwrap();
    if empty_map_exception {
        assert_ne!(tbs, theirs.tbs_data(aad), "{name}: RFC 9052 §3 exception");
    } else {
        assert_eq!(tbs, theirs.tbs_data(aad), "{name}: Sig_structure");
    }
    empty_map_exception
}

#[test]
fn interop_reading_agrees_with_coset_on_every_sign1_example() {
    let examples = sign1_examples();
    assert!(examples.len() >= 15, "{} Sign1 examples", examples.len());
    let (mut accepted, mut exceptions) = (0, Vec::new());
    for (name, bytes, aad) in &examples {
        let Ok(ours) = Sign1::decode(bytes, 1 << 16, ParseMode::Interop) else {
            continue;
        };
        let theirs = coset_parse(bytes).unwrap_or_else(|| panic!("{name}: coset refuses"));
        if assert_agree(name, &ours, &theirs, aad) {
            exceptions.push(name.clone());
        }
        accepted += 1;
    }
    assert!(accepted >= 9, "{accepted} accepted");
    assert_eq!(exceptions, ["sign1-tests/sign-pass-01.json"]);
}

#[test]
fn open_profile_reading_agrees_with_coset_on_the_examples_payloads() {
    let mut checked = 0;
    for (name, bytes, aad) in sign1_examples() {
        let Some(example) = coset_parse(&bytes) else {
            continue;
        };
        let Some(payload) = example.payload.as_deref() else {
            continue;
        };
        // The example's kid when it has the profile's 8 bytes, else one
        // made from its bytes; and the device-signed form, without kid.
        let mut kid = [0u8; 8];
        for (k, b) in kid
            .iter_mut()
            .zip(example.protected.header.key_id.iter().cycle())
        {
            *k = *b;
        }
        for kid in [None, Some(&kid)] {
            let signature: [u8; 64] = core::array::from_fn(|i| i as u8);
            let envelope = Sign1::prepare(kid, payload, &aad).complete(signature);
            let ours = Sign1::decode(&envelope, 1 << 16, ParseMode::OpenProfile)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let theirs = CoseSign1::from_tagged_slice(&envelope).unwrap();
            assert!(!assert_agree(&name, &ours, &theirs, &aad));
            assert_eq!(ours.protected_has_kid(), kid.is_some(), "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} envelopes");
}
