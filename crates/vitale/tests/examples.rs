//! The facade's examples: each one that needs no device runs, succeeds and
//! says what it shows; those made at a fixed time print the same output on
//! every run; the README lists every example of the workspace.
//!
//! The examples are the binaries `cargo test` builds beside the tests
//! (`target/<profile>/examples/`): run this file through
//! `cargo test -p vitale --all-features` (or `scripts/test-all`), which
//! builds them first. Alone (`--test examples`), cargo does not build them:
//! run `cargo build -p vitale --examples --all-features` before. A missing
//! or stale binary fails the test with that advice. The `nfc` example needs
//! a reader and a phone: with the feature `pcsc` it runs against a private
//! `pcscd` with the vpcd virtual reader and the simulated phone
//! (`vitale-test-support`'s harness: needs `pcscd`, `vsmartcard-vpcd` and
//! root or user namespaces, as the other NFC tests).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The source files cargo compiled the example from (its dep-info file,
/// `<name>.d` beside the binary: `binary: source source …`).
fn sources_of(dep_info: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(dep_info) else {
        return Vec::new();
    };
    let first = text.lines().next().unwrap_or_default();
    let Some((_, sources)) = first.split_once(": ") else {
        return Vec::new();
    };
    // Spaces inside a path are escaped as `\ `.
    sources
        .replace("\\ ", "\u{0}")
        .split_whitespace()
        .map(|p| PathBuf::from(p.replace('\u{0}', " ")))
        .collect()
}

/// The path of the example binary `name`, checked to be newer than its own
/// source files (cargo rebuilds it when they change; the facade's own
/// changes relink it when cargo builds the examples).
fn example(name: &str) -> PathBuf {
    // target/<profile>/deps/examples-<hash> → target/<profile>/examples/
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let advice = "run `cargo test -p vitale --all-features` (it builds the examples) \
                  or `cargo build -p vitale --examples --all-features` first";
    let built = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| panic!("example {name} not built at {}: {advice}", path.display()));
    for source in sources_of(&path.with_extension("d")) {
        let changed = std::fs::metadata(&source).and_then(|m| m.modified());
        assert!(
            changed.is_ok_and(|changed| changed <= built),
            "example {name} is older than {} (stale): {advice}",
            source.display()
        );
    }
    path
}

/// Runs the example with `args`; returns its standard output, failing on a
/// non-zero exit.
fn run(name: &str, args: &[&str]) -> String {
    let output = Command::new(example(name)).args(args).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "example {name} {args:?} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    stdout
}

/// Runs the example twice: same output both times (it is deterministic).
fn run_twice(name: &str, args: &[&str]) -> String {
    let first = run(name, args);
    assert_eq!(
        first,
        run(name, args),
        "example {name}: output differs between runs"
    );
    first
}

fn assert_lines(name: &str, output: &str, expected: &[&str]) {
    for line in expected {
        assert!(
            output.contains(line),
            "example {name}: no {line:?} in its output:\n{output}"
        );
    }
}

#[test]
fn demo_reads_verifies_refuses_the_replay_and_bills() {
    let out = run("demo", &[]);
    assert_lines(
        "demo",
        &out,
        &[
            "1. Simulated insurer",
            "3. Terminal: read with the",
            "4. The same picture shown again is refused",
            "(kind \"replay\")",
        ],
    );
    // The card is printed with masked NIRs only.
    assert!(out.contains('•'), "no masked NIR in:\n{out}");
}

#[test]
fn consultation_bills_a_visit() {
    let out = run("consultation", &[]);
    assert_lines("consultation", &out, &["1. Card verified: 3 beneficiaries"]);
}

#[test]
fn read_qr_image_reads_the_same_frame_with_every_decoder() {
    let out = run_twice("read_qr_image", &[]);
    assert_lines(
        "read_qr_image",
        &out,
        &[
            "rxing: 1 code(s)",
            "quircs: 1 code(s)",
            "Beneficiaries (ayants droit): 2",
        ],
    );
}

#[test]
fn keyboard_wedge_repairs_a_qwerty_scanner_on_azerty() {
    let out = run_twice("keyboard_wedge", &[]);
    assert_lines(
        "keyboard_wedge",
        &out,
        &[
            "The desktop received:",
            "Repaired: la douchette est configurée en US QWERTY",
        ],
    );
    assert!(out.contains('•'), "no card printed:\n{out}");
}

#[test]
fn inspect_qr_decodes_the_format_vector() {
    let out = run_twice("inspect_qr", &[]);
    assert_lines(
        "inspect_qr",
        &out,
        &[
            "DECODED ONLY",
            "presentation: channel QR",
            "beneficiaries (",
        ],
    );
    // The text it embeds is the vector's: given as an argument, the
    // vector's text prints the same.
    let vectors =
        std::fs::read_to_string(manifest_dir().join("../../docs/vectors/open-profile-v1.json"))
            .unwrap();
    let vectors: serde_json::Value = serde_json::from_str(&vectors).unwrap();
    let text = vectors["presentation-qr-text"].as_str().unwrap();
    assert_eq!(run("inspect_qr", &[text]), out);
}

#[cfg(feature = "fast-crypto")]
#[test]
fn fast_crypto_verifies_with_ring_as_with_p256() {
    let out = run_twice("fast_crypto", &[]);
    assert_lines(
        "fast_crypto",
        &out,
        &[
            "backends compiled in: p256, ring",
            "ring: 20 presentations verified",
            "p256: 20 presentations verified",
            "ring: tampered presentation refused (bad_device_signature)",
            "p256: tampered presentation refused (bad_device_signature)",
        ],
    );
}

#[cfg(feature = "serial")]
#[test]
fn serial_scanner_reads_a_simulated_port() {
    let out = run_twice("serial_scanner", &[]);
    assert_lines(
        "serial_scanner",
        &out,
        &[
            "simulated port: 2 idle read(s), then",
            "verified:",
            "then the port closed: disconnected",
        ],
    );
    // Listing the ports works on a machine without any.
    assert_lines(
        "serial_scanner",
        &run("serial_scanner", &["--list"]),
        &["serial port(s)"],
    );
}

#[cfg(feature = "online")]
#[test]
fn trust_refresh_installs_refuses_restores_and_refreshes_in_the_background() {
    let out = run_twice("trust_refresh", &[]);
    assert_lines(
        "trust_refresh",
        &out,
        &[
            "1. service without a list: trust_list_unavailable — list #1 stays",
            "2. list #2 installed (was #1)",
            "3. rollback to #1 refused: trust_list_stale_sequence — list #2 stays",
            "4. after a restart: restored #2 from disk",
            "5. background refresh: list #3 in force",
        ],
    );
}

#[cfg(feature = "sqlite")]
#[test]
fn shared_replay_cache_refuses_a_replay_at_another_workstation() {
    let out = run_twice("shared_replay_cache", &[]);
    assert_lines(
        "shared_replay_cache",
        &out,
        &[
            "replay cache: SQLite file",
            "reception: accepted (3 beneficiaries)",
            "consulting room: the same presentation again is refused (replay)",
            "after a restart: still refused (replay)",
            "the phone's next presentation is accepted",
        ],
    );
}

#[cfg(feature = "pcsc")]
#[test]
fn nfc_reads_the_simulated_phone_on_a_virtual_reader() {
    use vitale::codec::model::Timestamp;
    use vitale_sim::nfc::{Behaviour, CardEmulator, spawn_vpcd};
    use vitale_sim::{Scenario, Seed};
    use vitale_test_support::{Daemon, on_real_stack};

    on_real_stack(
        "nfc_reads_the_simulated_phone_on_a_virtual_reader",
        Daemon::WithVpcd,
        |stack| {
            // The example verifies at the workstation's time: the phone
            // presents at that time too.
            let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap();
            let scenario = Scenario::new(Seed::from_u64(7), 3, now).unwrap();
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("examples-nfc");
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let trust = dir.join("trust-list.cbor");
            let root = dir.join("root.spki.der");
            std::fs::write(&trust, &scenario.trust_list).unwrap();
            std::fs::write(&root, scenario.anchor.public_key().to_spki_der()).unwrap();
            let phone = CardEmulator::new(scenario.phone, now, Behaviour::Normal);
            let handle = spawn_vpcd(stack.vpcd_addr(), phone).unwrap();
            let out = run("nfc", &[trust.to_str().unwrap(), root.to_str().unwrap()]);
            handle.stop().unwrap();
            assert_lines(
                "nfc",
                &out,
                &[
                    "reader(s): ",
                    "Approchez votre téléphone du lecteur",
                    "phone detected on Virtual PCD",
                    "done: the phone may be removed",
                    "read on Virtual PCD",
                    "Beneficiaries (ayants droit): 3",
                ],
            );
        },
    );
}

/// The `[[example]]` names of a manifest.
fn declared_examples(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut names = Vec::new();
    let mut in_example = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_example = line == "[[example]]";
        } else if in_example && let Some(name) = line.strip_prefix("name = ") {
            names.push(name.trim_matches('"').to_owned());
        }
    }
    names
}

#[test]
fn every_example_is_declared_and_listed_in_the_readme() {
    let root = manifest_dir().join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let facade = declared_examples(&manifest_dir().join("Cargo.toml"));
    // Every example file of the facade is a declared target.
    for entry in std::fs::read_dir(manifest_dir().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            assert!(
                facade.contains(&stem),
                "examples/{stem}.rs is not an [[example]]"
            );
        }
    }
    let benches = declared_examples(&root.join("benches/Cargo.toml"));
    assert!(
        facade.len() >= 10 && !benches.is_empty(),
        "{facade:?} {benches:?}"
    );
    for name in facade.iter().chain(&benches) {
        assert!(
            readme.contains(&format!("--example {name} "))
                || readme.contains(&format!("--example {name}\n")),
            "the README does not list the example {name}"
        );
    }
}
