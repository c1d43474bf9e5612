//! The real `vitale` binary, run as a user would: exit codes, text and
//! JSON output, NIR masking, stdin, closed pipes.

mod fse_support;

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use fse_support::{
    BIN, PRESENTED, TestResult, json, present_at, run, run_stdin, scratch, sim_at, stdout,
};
use vitale_test_support::RefusedPort;

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

fn error_kind(value: &serde_json::Value) -> Option<&str> {
    value
        .pointer("/error/kind")
        .and_then(serde_json::Value::as_str)
}

/// `sim init` in a fresh directory; returns it and the trust list path.
fn sim(name: &str, seed: &str) -> Result<(PathBuf, String), Box<dyn std::error::Error>> {
    let dir = sim_at(name, seed)?;
    let trust = dir
        .join("trust-list.cbor")
        .to_str()
        .ok_or("path")?
        .to_owned();
    Ok((dir, trust))
}

#[test]
fn init_present_verify_accepts_the_card() -> TestResult {
    let (dir, trust) = sim("accept", "7")?;
    for file in [
        "trust-list.cbor",
        "trust-list.json",
        "root.spki.der",
        "sim.json",
        "README.txt",
    ] {
        assert!(dir.join(file).exists(), "{file}");
    }
    let readme = std::fs::read_to_string(dir.join("README.txt"))?;
    assert!(readme.contains("TEST KEYS ONLY"));
    let text = present_at(&dir, &[])?;
    assert!(text.starts_with("VT1:"), "{text}");

    let out = run(&["verify", "--trust", &trust, "--at", PRESENTED, &text])?;
    assert_eq!(code(&out), Some(0));
    let shown = stdout(&out);
    assert!(shown.contains("ACCEPTED"), "{shown}");
    assert!(shown.contains("Beneficiaries (ayants droit): 3"), "{shown}");
    assert!(shown.contains("vitale-sim issuer 0"), "{shown}");
    assert!(shown.contains("•• ••• ••• ••"), "NIR masked: {shown}");
    Ok(())
}

#[test]
fn json_card_follows_the_schema_and_masks_nirs() -> TestResult {
    let (dir, _) = sim("json", "8")?;
    let trust = dir.join("trust-list.json");
    let trust = trust.to_str().ok_or("path")?;
    let a = present_at(&dir, &[])?;
    let b = present_at(&dir, &[])?;
    assert_ne!(a, b, "each presentation has a fresh nonce");
    let state: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("sim.json"))?)?;
    assert_eq!(state["presentations"], 2);

    let out = run(&["verify", "--json", "--trust", trust, "--at", PRESENTED, &a])?;
    assert_eq!(code(&out), Some(0));
    let v = json(&out)?;
    assert_eq!(v["ok"], true);
    let card = &v["card"];
    let nir = card["insured"]["nir"].as_str().ok_or("nir")?;
    assert!(nir.ends_with("•• ••• ••• ••"), "{nir}");
    assert_eq!(card["beneficiaries"].as_array().map(Vec::len), Some(3));
    assert_eq!(card["provenance"]["channel"], "qr");
    assert_eq!(card["provenance"]["presented_at"], PRESENTED);
    assert!(card["delegation"].is_null());

    let out = run(&[
        "verify",
        "--json",
        "--show-nir",
        "--trust",
        trust,
        "--at",
        PRESENTED,
        &b,
    ])?;
    assert_eq!(code(&out), Some(0));
    let v = json(&out)?;
    let nir = v["card"]["insured"]["nir"].as_str().ok_or("nir")?;
    // With --show-nir, JSON carries the NIR as billing uses it: 15
    // characters, no spaces.
    assert!(
        nir.len() == 15 && nir.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{nir}"
    );
    Ok(())
}

#[test]
fn stdin_text_and_explicit_root() -> TestResult {
    let (dir, trust) = sim("stdin", "9")?;
    let text = present_at(&dir, &[])?;
    let root = dir.join("root.spki.der");
    let root = root.to_str().ok_or("path")?;
    let out = run_stdin(
        &[
            "verify", "--trust", &trust, "--root", root, "--at", PRESENTED, "-",
        ],
        format!("{text}\r\n").as_bytes(),
    )?;
    assert_eq!(code(&out), Some(0), "{}", fse_support::stderr(&out));
    Ok(())
}

#[test]
fn replay_through_the_wedge_is_rejected() -> TestResult {
    let (dir, trust) = sim("replay", "10")?;
    let text = present_at(&dir, &[])?;
    let input = format!("{text}\n{text}\n");
    let out = run_stdin(
        &[
            "scan", "--wedge", "--json", "--trust", &trust, "--at", PRESENTED,
        ],
        input.as_bytes(),
    )?;
    assert_eq!(code(&out), Some(1), "exit code of the last line");
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(error_kind(&lines[1]), Some("replay"));

    // The last line decides: a replay then a fresh presentation exits 0.
    let fresh = present_at(&dir, &[])?;
    let input = format!("{text}\n{text}\n{fresh}\n");
    let out = run_stdin(
        &["scan", "--wedge", "--trust", &trust, "--at", PRESENTED],
        input.as_bytes(),
    )?;
    assert_eq!(code(&out), Some(0));
    assert!(stdout(&out).contains("line 2: REJECTED"));
    Ok(())
}

#[test]
fn wedge_repairs_a_qwerty_scanner_on_an_azerty_desktop() -> TestResult {
    use vitale::reader::wedge::{KeyboardLayout, KeyboardSetup};
    let (dir, trust) = sim("wedge-repair", "11")?;
    let text = present_at(&dir, &[])?;
    // What a US QWERTY scanner types into a French AZERTY desktop.
    let garbled =
        KeyboardSetup::new(KeyboardLayout::UsQwerty, KeyboardLayout::FrenchAzerty).simulate(&text);
    assert!(garbled.starts_with("VT&M"), "{garbled}");
    let args = [
        "scan", "--wedge", "--json", "--trust", &trust, "--at", PRESENTED,
    ];
    let out = run_stdin(&args, format!("{garbled}\n").as_bytes())?;
    assert_eq!(code(&out), Some(0), "{}", stdout(&out));
    let v = json(&out)?;
    assert_eq!(v["ok"], true);
    assert_eq!(v["repair"]["scanner"], "US QWERTY");
    assert_eq!(v["repair"]["desktop"], "AZERTY (France)");

    // Without a trust list: the repaired text is printed.
    let out = run_stdin(
        &["scan", "--wedge"],
        format!("{garbled}\nnot a code\n").as_bytes(),
    )?;
    assert_eq!(code(&out), Some(1), "the last line is not a presentation");
    let shown = stdout(&out);
    assert!(shown.contains(&text), "{shown}");
    assert!(shown.contains("[not_a_presentation]"), "{shown}");
    Ok(())
}

#[test]
fn late_verification_is_rejected_with_the_verifier_kind() -> TestResult {
    let (dir, trust) = sim("late", "12")?;
    let text = present_at(&dir, &[])?;
    // A day later: the credential and trust list are still valid, the
    // presentation (120 s) is not.
    let out = run(&[
        "verify",
        "--json",
        "--trust",
        &trust,
        "--at",
        "2026-11-13T14:05:00Z",
        &text,
    ])?;
    assert_eq!(code(&out), Some(1));
    assert_eq!(error_kind(&json(&out)?), Some("presentation_expired"));
    // A year later the trust list itself has expired, checked first.
    let out = run(&[
        "verify",
        "--json",
        "--trust",
        &trust,
        "--at",
        "2027-11-12T14:05:00Z",
        &text,
    ])?;
    assert_eq!(code(&out), Some(1));
    assert_eq!(error_kind(&json(&out)?), Some("trust_list_expired"));
    Ok(())
}

#[test]
fn garbage_is_malformed() -> TestResult {
    let (_, trust) = sim("garbage", "13")?;
    let out = run(&[
        "verify", "--json", "--trust", &trust, "--at", PRESENTED, "hello",
    ])?;
    assert_eq!(code(&out), Some(1));
    assert_eq!(error_kind(&json(&out)?), Some("malformed"));
    let out = run(&["verify", "--trust", &trust, "--at", PRESENTED, "VT1:!!"])?;
    assert_eq!(code(&out), Some(1));
    assert!(stdout(&out).contains("[malformed]"));
    Ok(())
}

#[test]
fn missing_files_and_bad_flags_exit_2() -> TestResult {
    let dir = scratch("missing")?;
    let trust = dir.join("nope.cbor");
    let out = run(&[
        "verify",
        "--json",
        "--trust",
        trust.to_str().ok_or("path")?,
        "VT1:X",
    ])?;
    assert_eq!(code(&out), Some(2));
    assert_eq!(error_kind(&json(&out)?), Some("io"));

    let out = run(&["sim", "present", "--dir", dir.to_str().ok_or("path")?])?;
    assert_eq!(code(&out), Some(2));

    let out = run(&[
        "scan",
        "--image",
        dir.join("nope.png").to_str().ok_or("path")?,
    ])?;
    assert_eq!(code(&out), Some(2));

    let out = run(&["verify", "--bogus"])?;
    assert_eq!(code(&out), Some(2));
    assert!(out.stdout.is_empty());
    let out = run(&["verify", "--json", "--bogus"])?;
    assert_eq!(code(&out), Some(2));
    assert_eq!(error_kind(&json(&out)?), Some("usage"));
    let out = run(&["sim", "present", "--dir", "x", "--lifetime", "500"])?;
    assert_eq!(code(&out), Some(2));
    let out = run(&["verify", "--trust", "x", "--at", "yesterday", "VT1:X"])?;
    assert_eq!(code(&out), Some(2));
    let out = run(&[])?;
    assert_eq!(code(&out), Some(2));
    let out = run(&["--help"])?;
    assert_eq!(code(&out), Some(0));
    Ok(())
}

#[test]
fn init_refuses_to_overwrite_without_force() -> TestResult {
    let (dir, _) = sim("overwrite", "14")?;
    let d = dir.to_str().ok_or("path")?;
    let out = run(&["sim", "init", "--dir", d, "--seed", "14"])?;
    assert_eq!(code(&out), Some(2));
    let out = run(&[
        "sim", "init", "--dir", d, "--seed", "15", "--force", "--json",
    ])?;
    assert_eq!(code(&out), Some(0));
    let v = json(&out)?;
    assert_eq!(v["test_keys_only"], true);
    assert_eq!(v["beneficiaries"], 3);
    Ok(())
}

#[test]
fn nir_validation_masks_unless_asked() -> TestResult {
    let out = run(&["ins", "nir", "1 84 03 75 108 210 10"])?;
    assert_eq!(code(&out), Some(0));
    let shown = stdout(&out);
    assert!(shown.contains("1 84 03 •• ••• ••• ••"), "{shown}");
    assert!(!shown.contains("210"), "{shown}");

    let out = run(&["ins", "nir", "--show-nir", "--json", "184037510821010"])?;
    assert_eq!(code(&out), Some(0));
    // Shown in full: the 15 characters billing programs read, no spaces.
    assert_eq!(json(&out)?["nir"], "184037510821010");

    let out = run(&[
        "ins", "nir", "--json", "1", "84", "03", "75", "108", "210", "11",
    ])?;
    assert_eq!(code(&out), Some(1));
    assert_eq!(error_kind(&json(&out)?), Some("nir_key_mismatch"));

    let out = run_stdin(&["ins", "nir", "-"], b"184037510821010\n")?;
    assert_eq!(code(&out), Some(0));
    let out = run(&["ins", "nir", "12345"])?;
    assert_eq!(code(&out), Some(1));
    assert!(stdout(&out).contains("[nir_length]"));
    Ok(())
}

#[test]
fn datamatrix_round_trip() -> TestResult {
    let out = run(&[
        "ins",
        "datamatrix",
        "encode",
        "--matricule",
        "2 15 12 99 132 001 95",
        "--oid",
        "test",
        "--given-names",
        "Ada",
        "--birth-name",
        "Lovelace",
        "--sex",
        "F",
        "--birth-date",
        "1815-12-10",
        "--birth-place",
        "99132",
    ])?;
    assert_eq!(code(&out), Some(0));
    let payload = stdout(&out).trim_end_matches('\n').to_owned();
    assert!(payload.contains('\u{1d}'), "raw GS by default");
    assert!(
        payload.starts_with("IS010000000000000000000000S1"),
        "national layout"
    );

    let out = run(&[
        "ins",
        "datamatrix",
        "decode",
        "--json",
        "--show-nir",
        &payload,
    ])?;
    assert_eq!(code(&out), Some(0));
    let v = json(&out)?;
    assert_eq!(v["matricule"], "215129913200195");
    assert_eq!(v["birth_name"], "LOVELACE");
    assert_eq!(v["birth_date"], "1815-12-10");
    assert_eq!(v["oid_kind"], "test");
    assert_eq!(v["layout"], "national");
    assert!(v["header"].is_null());
    assert_eq!(v["birth_place"], "99132");

    // Without S7 (optional): no birthplace.
    let without_s7 = payload.replace("S799132", "");
    let out = run(&["ins", "datamatrix", "decode", "--json", &without_s7])?;
    assert_eq!(code(&out), Some(0));
    assert!(json(&out)?["birth_place"].is_null());

    // The national layout has no sex I.
    let out = run(&[
        "ins",
        "datamatrix",
        "encode",
        "--json",
        "--matricule",
        "215129913200195",
        "--given-names",
        "Ada",
        "--birth-name",
        "Lovelace",
        "--sex",
        "I",
        "--birth-date",
        "18151210",
        "--birth-place",
        "99132",
    ])?;
    assert_eq!(code(&out), Some(1));
    assert_eq!(
        error_kind(&json(&out)?),
        Some("datamatrix_indeterminate_sex")
    );

    // Visible separators, JSON on stdin, masked by default.
    let out = run_stdin(
        &["ins", "datamatrix", "encode", "--from-json", "--visible"],
        br#"{"matricule":"215129913200195","oid":"test","given_names":"Ada","birth_name":"Lovelace","sex":"F","birth_date":"18151210","birth_place":"99132"}"#,
    )?;
    assert_eq!(code(&out), Some(0));
    let visible = stdout(&out).trim_end_matches('\n').to_owned();
    assert_eq!(visible, payload.replace('\u{1d}', "<GS>"));
    let out = run_stdin(
        &["ins", "datamatrix", "decode", "--json"],
        visible.as_bytes(),
    )?;
    assert_eq!(code(&out), Some(0));
    assert_eq!(json(&out)?["matricule"], "2 15 12 •• ••• ••• ••");

    let out = run(&["ins", "datamatrix", "decode", "--json", "DC04"])?;
    assert_eq!(code(&out), Some(1));
    assert!(error_kind(&json(&out)?).is_some_and(|k| k.starts_with("datamatrix_")));
    Ok(())
}

#[test]
fn png_then_scan_image_verifies() -> TestResult {
    let (dir, trust) = sim("png", "16")?;
    let png = dir.join("code.png");
    let png = png.to_str().ok_or("path")?;
    let text = present_at(&dir, &["--png", png])?;

    // Without a trust list: listed.
    let out = run(&["scan", "--json", "--image", png])?;
    assert_eq!(code(&out), Some(0));
    let v = json(&out)?;
    // JSON never carries a presentation's text (personal data,
    // replayable): its length only.
    assert!(v["codes"][0]["text"].is_null(), "{v}");
    assert_eq!(v["codes"][0]["length"], text.chars().count());
    assert_eq!(v["codes"][0]["presentation"], true);

    // With one: verified.
    let out = run(&[
        "scan", "--json", "--image", png, "--trust", &trust, "--at", PRESENTED,
    ])?;
    assert_eq!(code(&out), Some(0), "{}", stdout(&out));
    let v = json(&out)?;
    assert_eq!(v["ok"], true);
    assert_eq!(v["codes"][0]["ok"], true);
    assert!(v["codes"][0]["card"]["insured"]["nir"].is_string());

    // The same image twice in one run: the second is a replay.
    let out = run(&[
        "scan", "--image", png, png, "--trust", &trust, "--at", PRESENTED,
    ])?;
    assert_eq!(code(&out), Some(1));
    assert!(stdout(&out).contains("[replay]"));
    Ok(())
}

#[test]
fn a_closed_pipe_is_not_an_error() -> TestResult {
    let (dir, trust) = sim("pipe", "17")?;
    let text = present_at(&dir, &[])?;
    let input = format!("{text}\n").repeat(300);
    let mut child = Command::new(BIN)
        .args(["scan", "--wedge", "--trust", &trust, "--at", PRESENTED])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or("stdin")?;
    let writer = std::thread::spawn(move || {
        // The child may stop reading once its output is closed.
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = [0u8; 1];
    child
        .stdout
        .take()
        .ok_or("stdout")?
        .read_exact(&mut first)?;
    // stdout dropped here: the pipe is closed like `| head -c1`.
    let out = child.wait_with_output()?;
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code(&out), Some(0), "{stderr}");
    Ok(())
}

#[test]
fn delegation_shows_the_delegate_and_covered_ranks() -> TestResult {
    let (dir, trust) = sim("delegation", "18")?;
    let text = present_at(&dir, &["--delegate", "Paul Martin", "--ranks", "2,3"])?;
    let out = run(&["verify", "--trust", &trust, "--at", PRESENTED, &text])?;
    assert_eq!(code(&out), Some(0));
    let shown = stdout(&out);
    assert!(shown.contains("Delegate          Paul Martin"), "{shown}");
    assert!(shown.contains("Covered ranks     2, 3"), "{shown}");
    assert!(shown.contains("Beneficiaries (ayants droit): 2"), "{shown}");

    let text = present_at(&dir, &["--delegate", "Paul Martin", "--ranks", "3"])?;
    let out = run(&[
        "verify", "--json", "--trust", &trust, "--at", PRESENTED, &text,
    ])?;
    let v = json(&out)?;
    assert_eq!(v["card"]["delegation"]["ranks"], serde_json::json!([3]));
    assert_eq!(v["card"]["beneficiaries"][0]["rank"], 3);
    Ok(())
}

#[test]
fn sim_card_stops_after_for_and_counts_nothing_without_a_reader() -> TestResult {
    let (dir, _trust) = sim("card-for", "7")?;
    let d = dir.to_str().ok_or("path")?;
    // Nobody listens (a port reserved by this test): the emulator keeps
    // retrying.
    let vpcd = RefusedPort::new();
    let addr = vpcd.addr().to_string();
    let out = run(&[
        "--json", "sim", "card", "--dir", d, "--vpcd", &addr, "--for", "1",
    ])?;
    assert_eq!(code(&out), Some(0), "{}", fse_support::stderr(&out));
    let value = json(&out)?;
    assert_eq!(value["presentations"], 0);
    assert_eq!(value["connections"], 0);
    assert_eq!(value["stopped_by"], "for");
    let bad = run(&["sim", "card", "--dir", d, "--behaviour", "locked"])?;
    assert_eq!(code(&bad), Some(2));
    Ok(())
}

#[test]
fn nfc_flags_need_nfc() -> TestResult {
    let (_dir, trust) = sim("nfc-flags", "7")?;
    let out = run(&["scan", "--wedge", "--trust", &trust, "--timeout", "3"])?;
    assert_eq!(code(&out), Some(2));
    let out = run(&["scan", "--nfc", "--json"])?;
    assert_eq!(code(&out), Some(2));
    assert_eq!(error_kind(&json(&out)?), Some("usage"));
    Ok(())
}

#[cfg(not(feature = "pcsc"))]
#[test]
fn without_pcsc_scan_nfc_says_so() -> TestResult {
    let (_dir, trust) = sim("no-pcsc", "7")?;
    let out = run(&["scan", "--nfc", "--trust", &trust])?;
    assert_eq!(code(&out), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("built without NFC support (feature pcsc)"),
        "{stderr}"
    );
    Ok(())
}
