//! A vendor's first hour, as contract tests of the real binary: Windows
//! files (byte-order mark, CR LF), empty inputs, "not yet valid" against
//! "expired" with the times, image errors in words, non-UTF-8 file names
//! in a batch, `sim present --png` to a path that cannot be written,
//! `verify --help`, `--show-nir` in one ungrouped form, and JSON that never
//! carries a presentation's text.

mod fse_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use fse_support::{
    PRESENTED, TestResult, json, path, present_at, run, run_stdin, sim_at, stderr, stdout,
};
use serde_json::Value;

/// The time of verification, after the presentations' time.
const VERIFIED: &str = "2026-11-12T14:05:30Z";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// `sim init --seed 7 --at CREATED` in a fresh directory.
fn sim(name: &str) -> Result<PathBuf> {
    sim_at(&format!("vendor-{name}"), "7")
}

fn kind(v: &Value) -> &str {
    v.pointer("/error/kind")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn message(v: &Value) -> &str {
    v.pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn trust(dir: &Path, name: &str) -> String {
    path(&dir.join(name)).to_owned()
}

#[test]
fn windows_files_byte_order_mark_and_crlf_are_accepted() -> TestResult {
    let dir = sim("bom")?;
    // A JSON trust list saved by a Windows editor: BOM, CR LF at the end.
    let list = std::fs::read(dir.join("trust-list.json"))?;
    let mut windows = b"\xef\xbb\xbf".to_vec();
    windows.extend_from_slice(&list);
    windows.extend_from_slice(b"\r\n");
    let bom_list = dir.join("trust-list-windows.json");
    std::fs::write(&bom_list, &windows)?;
    let text = present_at(&dir, &[])?;
    let out = run(&[
        "verify",
        "--json",
        "--trust",
        path(&bom_list),
        "--at",
        VERIFIED,
        &text,
    ])?;
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // A presentation in a file of lines from Windows, on stdin.
    let text = present_at(&dir, &[])?;
    let line = format!("\u{feff}{text}\r\n");
    let list = trust(&dir, "trust-list.cbor");
    let out = run_stdin(
        &["verify", "--trust", &list, "--at", VERIFIED, "-"],
        line.as_bytes(),
    )?;
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // The same file of lines read as a scanner's: both lines verified.
    let second = present_at(&dir, &[])?;
    let file = format!("\u{feff}{text}\r\n{second}\r\n");
    let out = run_stdin(
        &[
            "scan", "--wedge", "--json", "--trust", &list, "--at", VERIFIED,
        ],
        file.as_bytes(),
    )?;
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(serde_json::from_str)
        .collect::<std::result::Result<_, _>>()?;
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["ok"] == true), "{lines:?}");
    // Without --trust the repaired line is printed without the mark.
    let out = run_stdin(
        &["scan", "--wedge"],
        format!("\u{feff}{second}\r\n").as_bytes(),
    )?;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).trim_end(), second);
    Ok(())
}

#[test]
fn empty_inputs_say_empty() -> TestResult {
    let dir = sim("empty")?;
    let list = trust(&dir, "trust-list.cbor");
    for out in [
        run(&["verify", "--json", "--trust", &list, ""])?,
        run_stdin(&["verify", "--json", "--trust", &list, "-"], b"")?,
        run_stdin(
            &["verify", "--json", "--trust", &list, "-"],
            b"\xef\xbb\xbf\r\n",
        )?,
    ] {
        let v = json(&out)?;
        assert_eq!(out.status.code(), Some(1), "{v}");
        assert_eq!(kind(&v), "empty_input", "{v}");
        assert_eq!(message(&v), "empty presentation text", "{v}");
    }
    // An empty image among others: said, and the batch goes on.
    let empty = dir.join("empty.png");
    std::fs::write(&empty, b"")?;
    let out = run(&["scan", "--json", "--image", path(&empty)])?;
    let v = json(&out)?;
    assert_eq!(kind(&v), "empty_input", "{v}");
    assert_eq!(message(&v), "empty image", "{v}");
    // An empty trust list (saved before it was written).
    let empty_list = dir.join("empty-list.json");
    std::fs::write(&empty_list, b"\xef\xbb\xbf\r\n")?;
    let out = run(&["verify", "--json", "--trust", path(&empty_list), "VT1:X"])?;
    let v = json(&out)?;
    assert_eq!(kind(&v), "empty_input", "{v}");
    assert!(message(&v).contains("empty trust list"), "{v}");
    Ok(())
}

/// A workstation clock behind or ahead: "not yet valid" is never reported
/// as "expired", and every time refusal carries the times, in the message
/// and in JSON.
#[test]
fn not_yet_valid_and_expired_carry_their_times() -> TestResult {
    let dir = sim("times")?;
    let list = trust(&dir, "trust-list.cbor");
    let cases = [
        // Clock two days behind: the trust list, signed a day before the
        // creation, is not valid yet (refused at load: exit 1).
        (
            "2026-11-10T14:00:00Z",
            "trust_list_not_yet_valid",
            Some("2026-11-11T14:00:00Z"),
            None,
        ),
        // An hour behind: the presentation was made "in the future".
        (
            "2026-11-12T13:05:00Z",
            "presentation_from_future",
            Some(PRESENTED),
            None,
        ),
        // An hour ahead: the presentation expired at 14:07.
        (
            "2026-11-12T15:05:00Z",
            "presentation_expired",
            None,
            Some("2026-11-12T14:07:00Z"),
        ),
        // Eight days ahead: the credential expired (7 days after).
        (
            "2026-11-20T14:00:00Z",
            "credential_expired",
            None,
            Some("2026-11-19T14:00:00Z"),
        ),
    ];
    for (at, want, not_before, expired_at) in cases {
        let text = present_at(&dir, &[])?;
        let out = run(&["verify", "--json", "--trust", &list, "--at", at, &text])?;
        let v = json(&out)?;
        assert_eq!(out.status.code(), Some(1), "{v}");
        assert_eq!(kind(&v), want, "{v}");
        let times = &v["error"]["times"];
        assert_eq!(times["now"], at, "{v}");
        assert_eq!(times["not_before"].as_str(), not_before, "{v}");
        assert_eq!(times["expired_at"].as_str(), expired_at, "{v}");
        let m = message(&v);
        assert!(m.contains(at), "{m}");
        for bound in not_before.iter().chain(expired_at.iter()) {
            assert!(m.contains(bound), "{m}");
        }
        if not_before.is_some() {
            assert!(!m.contains("expired"), "{m}");
            assert!(m.contains("clock"), "{m}");
        }
        // The text output says the same, times included.
        let out = run(&[
            "verify",
            "--trust",
            &list,
            "--at",
            at,
            &present_at(&dir, &[])?,
        ])?;
        let shown = format!("{}{}", stdout(&out), stderr(&out));
        assert!(shown.contains(at), "{shown}");
        if not_before.is_some() {
            assert!(
                shown.contains("not valid") && !shown.contains("expired"),
                "{shown}"
            );
        }
    }
    Ok(())
}

#[test]
fn image_errors_show_no_rust_debug_text() -> TestResult {
    let dir = sim("image")?;
    let png = dir.join("code.png");
    present_at(&dir, &["--png", path(&png)])?;
    let good = std::fs::read(&png)?;
    // A changed width: the header's CRC fails (the decoder's own text is
    // "… ChunkType { type: IHDR, critical: true, … } chunk").
    let mut header = good.clone();
    header[16] ^= 1;
    let damaged = dir.join("damaged.png");
    std::fs::write(&damaged, &header)?;
    let truncated = dir.join("truncated.png");
    std::fs::write(&truncated, &good[..good.len() / 3])?;
    for (file, want) in [
        (&damaged, "corrupt image: the PNG data is damaged"),
        (&truncated, "corrupt image: the PNG data ends too early"),
    ] {
        for json_mode in [false, true] {
            let mut args = vec!["scan", "--image", path(file)];
            if json_mode {
                args.insert(0, "--json");
            }
            let out = run(&args)?;
            assert_eq!(out.status.code(), Some(2));
            let shown = format!("{}{}", stdout(&out), stderr(&out));
            assert!(shown.contains(want), "{shown}");
            assert!(shown.contains("corrupt_image"), "{shown}");
            for debug in ["ChunkType", "{ type", "critical:", "Huffman", "Error("] {
                assert!(!shown.contains(debug), "{shown}");
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_non_utf8_file_name_does_not_stop_a_batch() -> TestResult {
    use std::os::unix::ffi::OsStrExt as _;
    let dir = sim("non-utf8")?;
    let good = dir.join("good.png");
    present_at(&dir, &["--png", path(&good)])?;
    let odd = dir.join(std::ffi::OsStr::from_bytes(b"carte-\xe9t\xe9.png"));
    std::fs::copy(&good, &odd)?;
    let out = Command::new(fse_support::BIN)
        .args(["scan", "--json", "--image"])
        .arg(&odd)
        .arg(&good)
        .output()?;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(serde_json::from_str)
        .collect::<std::result::Result<_, _>>()?;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0]["file"],
        format!("{}/carte-\u{fffd}t\u{fffd}.png", path(&dir))
    );
    assert_eq!(lines[1]["file"], path(&good));
    assert!(
        lines
            .iter()
            .all(|l| l["ok"] == true && l["codes"][0]["presentation"] == true)
    );
    // In text too.
    let out = Command::new(fse_support::BIN)
        .args(["scan", "--image"])
        .arg(&odd)
        .arg(&good)
        .output()?;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).matches(": 1 code").count(), 2);
    Ok(())
}

/// The counter of `sim.json`.
fn counter(dir: &Path) -> Result<u64> {
    let state: Value = serde_json::from_slice(&std::fs::read(dir.join("sim.json"))?)?;
    state
        .get("presentations")
        .and_then(Value::as_u64)
        .ok_or_else(|| "counter".into())
}

#[test]
fn sim_present_prints_the_text_before_an_unwritable_png_fails() -> TestResult {
    let dir = sim("png")?;
    let list = trust(&dir, "trust-list.cbor");
    let nowhere = dir.join("no-such-directory").join("code.png");
    // `sim present` with the PNG written nowhere (`first`: global flags).
    let present_nowhere = |first: &[&str]| {
        let mut args = first.to_vec();
        let rest = ["sim", "present", "--dir", path(&dir), "--at", PRESENTED];
        args.extend_from_slice(&rest);
        args.extend_from_slice(&["--png", path(&nowhere)]);
        run(&args)
    };
    let out = present_nowhere(&[])?;
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out).trim_end().to_owned();
    assert!(text.starts_with("VT1:"), "{text}");
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
    assert_eq!(counter(&dir)?, 1);
    // The nonce is not wasted: the text printed is the presentation.
    let out = run(&["verify", "--trust", &list, "--at", VERIFIED, &text])?;
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // JSON: one object, the text and the error.
    let out = present_nowhere(&["--json"])?;
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out)?;
    assert_eq!(v["ok"], false);
    assert_eq!(kind(&v), "io");
    assert_eq!(v["presentation"], 1);
    let text = v["text"].as_str().unwrap_or_default().to_owned();
    let out = run(&["verify", "--trust", &list, "--at", VERIFIED, &text])?;
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A refused request takes no nonce.
    let out = run(&[
        "sim",
        "present",
        "--dir",
        path(&dir),
        "--profile",
        "token",
        "--png",
        path(&nowhere),
    ])?;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(counter(&dir)?, 2);
    Ok(())
}

#[test]
fn verify_help_shows_trust_as_required() -> TestResult {
    let out = run(&["verify", "--help"])?;
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    let usage = help
        .lines()
        .find(|l| l.starts_with("Usage:"))
        .ok_or("no usage line")?;
    assert!(
        usage.contains("<--trust <FILE>|--context-service <URL>>"),
        "{usage}"
    );
    assert!(help.contains("Required by `verify`"), "{help}");
    // Neither: a usage error from the parser, exit 2.
    let out = run(&["--json", "verify", "VT1:X"])?;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(kind(&json(&out)?), "usage");
    Ok(())
}

#[test]
fn show_nir_prints_fifteen_characters_without_spaces() -> TestResult {
    let dir = sim("nir")?;
    let list = trust(&dir, "trust-list.cbor");
    let out = run(&[
        "--json",
        "--show-nir",
        "verify",
        "--trust",
        &list,
        "--at",
        VERIFIED,
        &present_at(&dir, &[])?,
    ])?;
    let v = json(&out)?;
    let nir = v["card"]["insured"]["nir"].as_str().unwrap_or_default();
    assert_eq!(nir.len(), 15, "{nir}");
    assert!(nir.bytes().all(|b| b.is_ascii_alphanumeric()), "{nir}");
    let out = run(&[
        "--show-nir",
        "verify",
        "--trust",
        &list,
        "--at",
        VERIFIED,
        &present_at(&dir, &[])?,
    ])?;
    let shown = stdout(&out);
    let line = shown
        .lines()
        .find(|l| l.trim_start().starts_with("NIR "))
        .ok_or("no NIR line")?;
    assert_eq!(line.split_whitespace().nth(1), Some(nir), "{line}");
    assert!(
        shown.contains(&format!("{nir} (test")),
        "INS matricule: {shown}"
    );
    let out = run(&["--show-nir", "ins", "nir", "1 84 03 75 108 210 10"])?;
    assert!(stdout(&out).contains("184037510821010"), "{}", stdout(&out));
    Ok(())
}

/// Every 20-character slice of `secret` (after its prefix) that `haystack`
/// holds.
fn leaks(haystack: &str, secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().skip(4).collect();
    chars
        .windows(20)
        .map(|w| w.iter().collect::<String>())
        .filter(|w| haystack.contains(w.as_str()))
        .take(1)
        .collect()
}

#[test]
fn json_never_carries_the_presentation_text() -> TestResult {
    let dir = sim("private")?;
    let list = trust(&dir, "trust-list.cbor");
    let png = dir.join("code.png");
    let text = present_at(&dir, &["--png", path(&png)])?;
    let line = format!("{text}\n");
    let outputs = [
        run(&[
            "--json", "verify", "--trust", &list, "--at", VERIFIED, &text,
        ])?,
        run(&["--json", "scan", "--image", path(&png)])?,
        run(&[
            "--json",
            "scan",
            "--image",
            path(&png),
            "--trust",
            &list,
            "--at",
            VERIFIED,
        ])?,
        run_stdin(&["--json", "scan", "--wedge"], line.as_bytes())?,
        run_stdin(
            &[
                "--json", "scan", "--wedge", "--trust", &list, "--at", VERIFIED,
            ],
            line.as_bytes(),
        )?,
        // A replay: refused, and still not echoed.
        run_stdin(
            &[
                "--json", "scan", "--wedge", "--trust", &list, "--at", VERIFIED,
            ],
            format!("{line}{line}").as_bytes(),
        )?,
    ];
    for out in outputs {
        let shown = stdout(&out);
        assert!(shown.starts_with('{'), "{shown}");
        assert_eq!(leaks(&shown, &text), Vec::<String>::new(), "{shown}");
    }
    Ok(())
}

/// Other text files a Windows workstation writes: an identity in JSON
/// (`ins datamatrix encode --from-json`) and a tariff file from a
/// spreadsheet (`fse build --tariffs`), each with a byte-order mark and
/// CR LF.
#[test]
fn windows_json_and_csv_inputs_are_accepted() -> TestResult {
    let identity = "\u{feff}{\"matricule\":\"215129913200195\",\"oid\":\"test\",\"given_names\":\"Ada\",\"birth_name\":\"Lovelace\",\"sex\":\"F\",\"birth_date\":\"18151210\",\"birth_place\":\"99132\"}\r\n";
    let out = run_stdin(
        &["--json", "ins", "datamatrix", "encode", "--from-json"],
        identity.as_bytes(),
    )?;
    let v = json(&out)?;
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert!(
        v["payload"]
            .as_str()
            .is_some_and(|p| p.contains("LOVELACE")),
        "{v}"
    );

    // The embedded tariff table, as a spreadsheet saves it.
    let csv = include_str!("../../vitale-fse/data/tariffs.csv");
    let sim = fse_support::Sim::new("vendor-tariffs")?;
    let tariffs = sim.work("tariffs.csv");
    std::fs::write(&tariffs, format!("\u{feff}{}", csv.replace('\n', "\r\n")))?;
    let serve = fse_support::Serve::start(&sim.dir, &[])?;
    let out = sim.build(&serve, &sim.work("1.sheet"), &["--tariffs", path(&tariffs)])?;
    let v = json(&out)?;
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v.pointer("/sheet/totals/fee"), Some(&3000.into()), "{v}");
    serve.stop()?;
    sim.done()
}
