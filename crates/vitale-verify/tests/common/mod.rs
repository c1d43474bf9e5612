//! Helpers shared by the integration tests: where the external test data
//! lives, and the backends to run.
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

pub mod cose;

/// `/work/shared/testdata`, i.e. `shared/testdata/` beside the project root.
pub fn testdata(relative: &str) -> PathBuf {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata");
    let path = PathBuf::from(root).join(relative);
    assert!(
        path.exists(),
        "external test data missing: {} (expected shared/testdata/ beside the project root; \
         these suites never skip)",
        path.display()
    );
    path
}

/// Reads a JSON file of the test data.
pub fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON in {}: {e}", path.display()))
}

/// The backends every vector runs through: p256 always, ring too with the
/// `ring` feature.
pub fn backends() -> &'static [&'static dyn vitale_verify::SignatureBackend] {
    let all = vitale_verify::compiled_backends();
    assert_eq!(all.len(), if cfg!(feature = "ring") { 2 } else { 1 });
    all
}
