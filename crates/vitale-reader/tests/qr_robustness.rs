//! QR robustness: must-not-panic images, error images, several codes per
//! frame, mirrored codes, size limits.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod qr_support;

use std::collections::BTreeSet;

use qr_support::{files, load, testdata};
use vitale_reader::Error;
use vitale_reader::qr::{
    MAX_FILE_BYTES, QrDecoder, QrError, QuircsDecoder, decoders, default_decoder, load_image,
};

fn texts(decoder: &dyn QrDecoder, sub: &str) -> BTreeSet<String> {
    let image = load(&testdata(sub));
    let codes = decoder
        .decode(&image.as_frame())
        .unwrap_or_else(|e| panic!("{}: {sub}: {e}", decoder.name()));
    codes
        .iter()
        .map(|c| c.text().expect("UTF-8 payload").to_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Every rqrr image (must-not-panic, error cases, multi-code, GIFs) goes
/// through both backends without a panic escaping or being caught.
#[test]
fn rqrr_images_do_not_crash_either_backend() {
    let mut paths = Vec::new();
    for sub in [
        "rqrr-testdata",
        "rqrr-testdata/errors",
        "rqrr-testdata/full",
    ] {
        paths.extend(files(&testdata(sub), &["png", "jpg", "jpeg", "gif"]));
    }
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("errors/should-not-panic-1.jpg"))
            && paths
                .iter()
                .any(|p| p.ends_with("errors/should-not-panic-2.jpg")),
        "rqrr must-not-panic images missing"
    );
    for path in &paths {
        let image = load(path);
        for d in decoders() {
            let r = d.decode(&image.as_frame());
            let name = path.file_name().unwrap().to_string_lossy();
            println!(
                "{:>8} {name}: {}",
                d.name(),
                match &r {
                    Ok(codes) => format!("{} code(s)", codes.len()),
                    Err(e) => format!("error: {e}"),
                }
            );
            assert!(
                !matches!(r, Err(Error::Qr(QrError::DecoderPanicked { .. }))),
                "{} panicked on {name}",
                d.name()
            );
        }
    }
}

/// Codes that are found but fail error correction are reported as such,
/// not as "no code".
#[test]
fn damaged_codes_are_unreadable_not_absent() {
    for sub in [
        "rqrr-testdata/errors/format_ecc.png",
        "rqrr-testdata/errors/data_ecc.png",
    ] {
        let image = load(&testdata(sub));
        let r = QuircsDecoder.decode(&image.as_frame());
        assert!(
            matches!(
                r,
                Err(Error::Qr(QrError::CodeUnreadable { decoder: "quircs" }))
            ),
            "{sub}: {r:?}"
        );
    }
}

#[test]
fn two_codes_in_one_frame_are_both_returned() {
    let both = set(&["from javascript", "here comes qr!"]);
    let hello = set(&["Hello", "World"]);
    for d in decoders() {
        for sub in [
            "quircs-testdata/big_image_with_two_qrcodes.png",
            "quircs-testdata/big_image_with_two_qrcodes.jpeg",
        ] {
            assert_eq!(texts(&*d, sub), both, "{} on {sub}", d.name());
        }
        assert_eq!(
            texts(&*d, "quircs-testdata/Hello+World.png"),
            hello,
            "{}",
            d.name()
        );
    }
}

#[test]
fn three_codes_in_one_frame_are_all_returned() {
    let d = default_decoder();
    let gogh = set(&[
        "https://github.com/WanzenBug/rqrr",
        "rqrr",
        "1234567891011121314151617181920",
    ]);
    assert_eq!(texts(&*d, "rqrr-testdata/full/gogh.jpg"), gogh);
    for sub in [
        "rqrr-testdata/full/multiple.png",
        "rqrr-testdata/full/multiple_rotated.png",
    ] {
        let found = texts(&*d, sub);
        assert_eq!(found.len(), 3, "{sub}: {found:?}");
        assert!(found.iter().all(|t| !t.is_empty()));
    }
    let zxing = texts(&*d, "zxing-qrcode-blackbox/multi-qrcode-1/1.png");
    assert_eq!(zxing.len(), 4, "zxing multi-qrcode-1: {zxing:?}");
}

#[test]
fn no_code_is_no_error() {
    for d in decoders() {
        for sub in ["quircs-testdata/1x1.png", "quircs-testdata/1x1.jpeg"] {
            assert!(texts(&*d, sub).is_empty(), "{} on {sub}", d.name());
        }
    }
}

#[test]
fn mirrored_and_long_codes() {
    for d in decoders() {
        assert_eq!(
            texts(&*d, "rqrr-testdata/mirrored.gif"),
            set(&["rqrr"]),
            "{}",
            d.name()
        );
        assert_eq!(
            texts(&*d, "rqrr-testdata/github.gif"),
            set(&["https://github.com/WanzenBug/rqrr"]),
            "{}",
            d.name()
        );
        let long = texts(&*d, "rqrr-testdata/full/superlong.gif");
        let long = long.first().expect("one code");
        let n = long.len() / "superlongdata".len();
        assert!(
            n >= 20 && *long == "superlongdata".repeat(n),
            "{}: {long}",
            d.name()
        );
    }
}

#[test]
fn corners_are_reported() {
    let image = load(&testdata("quircs-testdata/Hello+World.png"));
    for d in decoders() {
        for code in d.decode(&image.as_frame()).unwrap() {
            let corners = code.corners.expect("corners");
            for (x, y) in corners {
                assert!(x >= -1.0 && y >= -1.0, "{}: {corners:?}", d.name());
                assert!(x <= image.width() as f32 + 1.0 && y <= image.height() as f32 + 1.0);
            }
        }
    }
}

/// A PNG that claims 20 000 × 20 000 pixels is refused from its header,
/// before any pixel is decoded.
#[test]
fn decompression_bombs_are_refused() {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&20_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &[]);
    chunk(&mut png, b"IEND", &[]);
    let r = load_image(&png);
    assert!(
        matches!(
            r,
            Err(Error::Qr(QrError::TooLarge {
                what: "pixels",
                actual: 400_000_000,
                ..
            }))
        ),
        "{r:?}"
    );
    let big = vec![0u8; usize::try_from(MAX_FILE_BYTES).unwrap() + 1];
    assert!(matches!(
        load_image(&big),
        Err(Error::Qr(QrError::TooLarge {
            what: "file bytes",
            ..
        }))
    ));
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    png.extend_from_slice(&body);
    png.extend_from_slice(&crc32(&body).to_be_bytes());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
