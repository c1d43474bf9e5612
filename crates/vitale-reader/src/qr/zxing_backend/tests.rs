#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use vitale_sim::render::QrMatrix;

use super::*;
use crate::qr::LumaImage;

const TEXT: &str = "VT1:ZXING-CPP BACKEND TEST 0123456789";

/// `TEXT` drawn with `module` px per module at (`x0`, `y0`) on a
/// `width × height` frame, dark on light or, `inverted`, light on dark.
fn drawn(width: u32, height: u32, module: u32, (x0, y0): (u32, u32), inverted: bool) -> LumaImage {
    let m = QrMatrix::encode(TEXT).unwrap();
    let side = m.side() * module;
    LumaImage::from_fn(width, height, |x, y| {
        let inside = x >= x0 && y >= y0 && x < x0 + side && y < y0 + side;
        let dark = inside && m.is_dark((x - x0) / module, (y - y0) / module);
        if dark != inverted { 25 } else { 230 }
    })
    .unwrap()
}

fn texts(codes: &[DecodedCode]) -> Vec<&str> {
    codes.iter().filter_map(DecodedCode::text).collect()
}

#[test]
fn a_code_is_read_with_its_corners() {
    let image = drawn(320, 240, 4, (60, 40), false);
    let codes = ZxingCppDecoder.decode(&image.as_frame()).unwrap();
    assert_eq!(texts(&codes), [TEXT]);
    let side = QrMatrix::encode(TEXT).unwrap().side() as f32 * 4.0;
    let expected = [
        (60.0, 40.0),
        (60.0 + side, 40.0),
        (60.0 + side, 40.0 + side),
        (60.0, 40.0 + side),
    ];
    let corners = codes[0].corners.unwrap();
    for (got, want) in corners.iter().zip(expected) {
        // zxing-cpp reports the corners of the outermost modules' centres
        // or edges depending on the detector: within a module or two.
        assert!(
            (got.0 - want.0).abs() <= 8.0 && (got.1 - want.1).abs() <= 8.0,
            "{corners:?} vs {expected:?}"
        );
    }
}

#[test]
fn the_bare_decoder_reads_an_inverted_code_and_a_pass_needs_the_inverted_picture() {
    let image = drawn(320, 240, 4, (60, 40), true);
    let codes = ZxingCppDecoder.decode(&image.as_frame()).unwrap();
    assert_eq!(texts(&codes), [TEXT]);

    // One strategy pass reads the picture it is given, no retries.
    let pixels = image.pixels();
    let plain = decode_packed(pixels, 320, 240, Binarizer::Hybrid).unwrap();
    assert!(plain.is_empty());
    let strategy = QrStrategy::with_zxing_cpp();
    let scan = strategy.scan(&image.as_frame(), &mut |_| true).unwrap();
    assert_eq!(
        scan.accepted.as_ref().and_then(DecodedCode::text),
        Some(TEXT)
    );
    assert_eq!(scan.passes_run, 2, "zxing-cpp, then zxing-cpp inverted");
}

#[test]
fn both_binarizers_read_a_clean_code() {
    let image = drawn(320, 240, 3, (100, 50), false);
    for b in [Binarizer::Hybrid, Binarizer::GlobalHistogram] {
        let codes = decode_packed(image.pixels(), 320, 240, b).unwrap();
        assert_eq!(texts(&codes), [TEXT], "{b:?}");
    }
}

#[test]
fn a_strided_frame_is_read() {
    let image = drawn(300, 220, 3, (40, 30), false);
    // The same pixels with 20 bytes of padding after each row.
    let stride = 320;
    let mut padded = vec![0u8; stride * 220];
    for (row, line) in image.pixels().chunks(300).enumerate() {
        padded[row * stride..row * stride + 300].copy_from_slice(line);
    }
    let frame = LumaFrame::new(300, 220, stride, &padded).unwrap();
    assert_eq!(texts(&ZxingCppDecoder.decode(&frame).unwrap()), [TEXT]);
}

#[test]
fn two_codes_are_both_found() {
    let m = QrMatrix::encode(TEXT).unwrap();
    let side = m.side() * 3;
    let image = LumaImage::from_fn(400, 200, |x, y| {
        let x0 = if x < 200 { 20 } else { 220 };
        let inside = x >= x0 && y >= 30 && x < x0 + side && y < 30 + side;
        if inside && m.is_dark((x - x0) / 3, (y - 30) / 3) {
            20
        } else {
            235
        }
    })
    .unwrap();
    let codes = ZxingCppDecoder.decode(&image.as_frame()).unwrap();
    // The same text twice: zxing-cpp reports each symbol.
    assert_eq!(texts(&codes), [TEXT, TEXT]);
}

#[test]
fn a_frame_without_a_code_yields_nothing() {
    let flat = LumaImage::filled(640, 480, 128).unwrap();
    assert!(ZxingCppDecoder.decode(&flat.as_frame()).unwrap().is_empty());
    let stripes = LumaImage::from_fn(
        640,
        480,
        |x, y| if (x / 7 + y / 5) % 2 == 0 { 0 } else { 255 },
    )
    .unwrap();
    assert!(
        ZxingCppDecoder
            .decode(&stripes.as_frame())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_zxing_cpp_backend_is_listed_and_leads_its_cascade() {
    let names: Vec<_> = crate::qr::decoders().iter().map(|d| d.name()).collect();
    assert_eq!(names, ["rxing", "quircs", "zxing-cpp"]);
    let strategy = QrStrategy::with_zxing_cpp();
    assert_eq!(strategy.passes(), ZXING_CPP_PASSES);
    assert_eq!(
        strategy.passes()[0],
        Pass::new(Engine::ZxingCpp(Binarizer::Hybrid))
    );
    let image = drawn(320, 240, 4, (60, 40), false);
    let scan = strategy.scan(&image.as_frame(), &mut |_| true).unwrap();
    assert_eq!(
        scan.accepted.as_ref().and_then(DecodedCode::text),
        Some(TEXT)
    );
    assert_eq!(scan.passes_run, 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any grey frame: no panic, no backend error, and no code out of noise
    /// (each pixel drawn independently; a QR code needs finder patterns).
    #[test]
    fn any_frame_decodes_without_failure(
        (w, h, pixels) in (1u32..48, 1u32..48).prop_flat_map(|(w, h)| {
            (Just(w), Just(h), proptest::collection::vec(any::<u8>(), (w * h) as usize))
        }),
    ) {
        let image = LumaImage::new(w, h, pixels).unwrap();
        match ZxingCppDecoder.decode(&image.as_frame()) {
            Ok(codes) => prop_assert!(codes.is_empty()),
            Err(Error::Qr(QrError::CodeUnreadable { .. })) => {}
            Err(e) => prop_assert!(false, "{e}"),
        }
        for b in [Binarizer::Hybrid, Binarizer::GlobalHistogram] {
            let r = decode_packed(image.pixels(), w, h, b);
            let failed = matches!(
                r,
                Err(Error::Qr(QrError::Decoder { .. } | QrError::DecoderPanicked { .. }))
            );
            prop_assert!(!failed, "{b:?}: {r:?}");
        }
    }
}
