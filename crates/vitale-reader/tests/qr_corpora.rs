//! QR decoding accuracy on the shared corpora, with the default backend.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod qr_support;

use qr_support::{ZXING_MINIMUMS, dcc_cases, load, quircs_generated, zxing_set};
use vitale_reader::qr::{default_decoder, load_image};

/// Every EU DCC picture expected to decode does, to its `PREFIX`.
#[test]
fn eu_dcc_pictures_decode_to_their_prefix() {
    let (cases, without_image) = dcc_cases();
    assert!(
        cases.len() > 300,
        "only {} EU DCC images found",
        cases.len()
    );
    let decoder = default_decoder();
    let mut failures = Vec::new();
    for case in &cases {
        let image =
            load_image(&case.image).unwrap_or_else(|e| panic!("{}: cannot load: {e}", case.label));
        match decoder.decode(&image.as_frame()) {
            Ok(codes) if codes.iter().any(|c| c.text() == Some(case.prefix.as_str())) => {}
            Ok(codes) => failures.push(format!(
                "{}: {} code(s), none is PREFIX: {:?}",
                case.label,
                codes.len(),
                codes
                    .iter()
                    .map(|c| c.text().map(|t| t.chars().take(60).collect::<String>()))
                    .collect::<Vec<_>>()
            )),
            Err(e) => failures.push(format!("{}: {e}", case.label)),
        }
    }
    println!(
        "EU DCC: {}/{} images decode to PREFIX ({}); {} cases without any image",
        cases.len() - failures.len(),
        cases.len(),
        decoder.name(),
        without_image.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The zxing blackbox sets at rotation 0 reach zxing's own minimums.
#[test]
fn zxing_blackbox_reaches_zxing_minimums() {
    let decoder = default_decoder();
    let mut short = Vec::new();
    for (set, minimum) in ZXING_MINIMUMS {
        let images = zxing_set(set);
        assert!(!images.is_empty(), "qrcode-{set} is empty");
        let passed = images
            .iter()
            .filter(|(path, expected)| {
                let image = load(path);
                decoder
                    .decode(&image.as_frame())
                    .is_ok_and(|codes| codes.iter().any(|c| c.text() == Some(expected.as_str())))
            })
            .count();
        println!(
            "zxing qrcode-{set}: {passed}/{} (zxing minimum {minimum}, {})",
            images.len(),
            decoder.name()
        );
        if passed < minimum {
            short.push(format!("qrcode-{set}: {passed} < {minimum}"));
        }
    }
    assert!(short.is_empty(), "below zxing's minimums: {short:?}");
}

/// Every version and EC level of the quircs generated set decodes.
#[test]
fn quircs_generated_codes_decode() {
    let decoder = default_decoder();
    let cases = quircs_generated();
    assert_eq!(cases.len(), 640, "quircs generated set incomplete");
    let failures: Vec<String> = cases
        .iter()
        .filter(|(path, expected)| {
            let image = load(path);
            !decoder
                .decode(&image.as_frame())
                .is_ok_and(|codes| codes.iter().any(|c| expected.contains(&c.content)))
        })
        .map(|(path, _)| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    println!(
        "quircs generated: {}/640 ({})",
        640 - failures.len(),
        decoder.name()
    );
    assert!(
        failures.is_empty(),
        "{} failures: {failures:?}",
        failures.len()
    );
}
