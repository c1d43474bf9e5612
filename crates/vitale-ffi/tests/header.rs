//! The checked-in header `include/vitale.h` is what cbindgen makes of the
//! code: this test regenerates it and fails when it differs, saying how to
//! regenerate (`VITALE_BLESS=1 cargo test -p vitale-ffi --test header`).
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;

fn generated() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("UTF-8 header")
}

#[test]
fn header_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/vitale.h");
    let fresh = generated();
    if vitale_test_support::blessing() {
        std::fs::create_dir_all(path.parent().expect("include/")).expect("mkdir include");
        std::fs::write(&path, &fresh).expect("write the header");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != fresh {
        let line = current
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| current.lines().count().min(fresh.lines().count()))
            + 1;
        panic!(
            "{} differs from the code (first difference near line {line}).\n\
             Regenerate it with:\n    VITALE_BLESS=1 cargo test -p vitale-ffi --test header\n\
             and commit the result.",
            path.display()
        );
    }
}
