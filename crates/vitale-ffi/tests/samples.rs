//! The four samples of `bindings/` built and run against the library cargo
//! just built, on files the simulator makes: C (gcc; under valgrind
//! memcheck; built with ASan and UBSan), Python (ctypes), C# (Mono), Free
//! Pascal in Delphi mode. Each prints both cards' beneficiaries, bills one
//! visit for the card read from the PNG (the simulator's rights service
//! over HTTPS, a SQLite invoice-number store) and checks the signed
//! receipt, and prints the kinds of a tampered and a replayed code; the
//! output is checked against what the facade itself reads and bills.
//!
//! A missing compiler or runtime fails the test (scripts/test-all installs
//! them: gcc, valgrind, python3, mono-mcs, mono-runtime, fpc). Waits are
//! upper bounds against hangs, never timing assertions.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{
    bindings_dir, build_dir, check_billing, check_output, fixture, include_dir, library_dir,
    require, run,
};

const COMPILE_LIMIT: Duration = Duration::from_secs(300);
const RUN_LIMIT: Duration = Duration::from_secs(300);
/// Valgrind runs the QR decoder some 20–50 times slower.
const VALGRIND_LIMIT: Duration = Duration::from_secs(900);

/// Compiles the C sample with `extra` flags into `out`.
fn compile_c(out: &Path, extra: &[&str]) {
    require("cc", "gcc");
    let lib = library_dir();
    let mut cc = Command::new("cc");
    cc.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g"])
        .args(extra)
        .arg("-o")
        .arg(out)
        .arg(bindings_dir("c").join("sample.c"))
        .arg("-I")
        .arg(include_dir())
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lvitale_ffi");
    run("cc", &mut cc, COMPILE_LIMIT);
}

/// A command that finds the library at run time.
fn with_library(mut command: Command) -> Command {
    command.env("LD_LIBRARY_PATH", library_dir());
    command
}

#[test]
fn c_sample() {
    let f = fixture("c");
    let exe = build_dir("c").join("sample");
    compile_c(&exe, &[]);
    let mut command = with_library(Command::new(&exe));
    command.arg(&f.dir);
    let out = run("C sample", &mut command, RUN_LIMIT);
    check_output("C", &out, &f);
    check_billing("C", &out, &f);
}

#[test]
fn c_sample_under_valgrind_has_no_leak_and_no_invalid_access() {
    require("valgrind", "valgrind");
    let f = fixture("c-valgrind").with_slow_client(VALGRIND_LIMIT.as_secs().min(3_600));
    let exe = build_dir("c-valgrind").join("sample");
    compile_c(&exe, &[]);
    let mut command = with_library(Command::new("valgrind"));
    command
        .args([
            "--tool=memcheck",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect",
            "--error-exitcode=97",
            "--quiet",
        ])
        // ring's assembly AES-GCM (the TLS of the billing flow's rights
        // service) is a known memcheck false positive: see the file.
        .arg(format!(
            "--suppressions={}",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/valgrind.supp")
                .display()
        ))
        .arg(&exe)
        .arg(&f.dir);
    let out = run("C sample under valgrind", &mut command, VALGRIND_LIMIT);
    check_output("C (valgrind)", &out, &f);
    check_billing("C (valgrind)", &out, &f);
}

#[test]
fn c_sample_with_address_and_undefined_behaviour_sanitizers() {
    let f = fixture("c-asan");
    let exe = build_dir("c-asan").join("sample");
    compile_c(
        &exe,
        &[
            "-fsanitize=address,undefined",
            "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer",
        ],
    );
    let mut command = with_library(Command::new(&exe));
    command
        .env(
            "ASAN_OPTIONS",
            "detect_leaks=1:abort_on_error=0:exitcode=98",
        )
        .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        .arg(&f.dir);
    let out = run("C sample (ASan, UBSan)", &mut command, RUN_LIMIT);
    check_output("C (ASan, UBSan)", &out, &f);
    check_billing("C (ASan, UBSan)", &out, &f);
}

#[test]
fn python_sample() {
    require("python3", "python3");
    let f = fixture("python");
    let lib: PathBuf = library_dir().join(common::library_file_name());
    let mut command = Command::new("python3");
    command
        .arg(bindings_dir("python").join("sample.py"))
        .arg(&lib)
        .arg(&f.dir);
    let out = run("Python sample", &mut command, RUN_LIMIT);
    check_output("Python", &out, &f);
    check_billing("Python", &out, &f);
    assert!(
        out.contains("invalid utf-8: status 3 (invalid_utf8)"),
        "{out}"
    );
}

#[test]
fn csharp_sample_under_mono() {
    require("mcs", "mono-mcs");
    require("mono", "mono-runtime");
    let f = fixture("csharp");
    let exe = build_dir("csharp").join("sample.exe");
    let src = bindings_dir("csharp");
    let mut mcs = Command::new("mcs");
    mcs.arg(format!("-out:{}", exe.display()))
        .arg(src.join("Vitale.cs"))
        .arg(src.join("Sample.cs"));
    run("mcs", &mut mcs, COMPILE_LIMIT);
    let mut command = with_library(Command::new("mono"));
    command.arg(&exe).arg(&f.dir);
    let out = run("C# sample (Mono)", &mut command, RUN_LIMIT);
    check_output("C#", &out, &f);
    check_billing("C#", &out, &f);
}

#[test]
fn pascal_sample_in_delphi_mode() {
    require("fpc", "fpc");
    let f = fixture("pascal");
    let out_dir = build_dir("pascal");
    let lib = library_dir();
    let mut fpc = Command::new("fpc");
    fpc.arg("-Mdelphi")
        .arg(format!("-FE{}", out_dir.display()))
        .arg(format!("-FU{}", out_dir.display()))
        .arg(format!("-Fl{}", lib.display()))
        .arg(format!("-Fu{}", bindings_dir("pascal").display()))
        .arg(bindings_dir("pascal").join("sample.dpr"));
    run("fpc -Mdelphi", &mut fpc, COMPILE_LIMIT);
    let mut command = with_library(Command::new(out_dir.join("sample")));
    command.arg(&f.dir);
    let out = run("Pascal sample", &mut command, RUN_LIMIT);
    check_output("Pascal", &out, &f);
    check_billing("Pascal", &out, &f);
}
