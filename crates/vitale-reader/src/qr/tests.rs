#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;

use super::*;

fn frame_err(w: u32, h: u32, stride: usize, len: usize) -> FrameError {
    let buf = vec![0u8; len];
    match LumaFrame::new(w, h, stride, &buf) {
        Err(Error::Qr(QrError::BadFrame(e))) => e,
        other => panic!("expected BadFrame, got {other:?}"),
    }
}

#[test]
fn zero_sizes_are_refused() {
    assert_eq!(frame_err(0, 10, 10, 100), FrameError::Empty);
    assert_eq!(frame_err(10, 0, 10, 100), FrameError::Empty);
    assert_eq!(frame_err(0, 0, 0, 0), FrameError::Empty);
    assert!(LumaImage::new(0, 1, vec![]).is_err());
}

#[test]
fn stride_smaller_than_width_is_refused() {
    assert_eq!(
        frame_err(10, 2, 9, 100),
        FrameError::StrideTooSmall {
            stride: 9,
            width: 10
        }
    );
}

#[test]
fn short_buffer_is_refused() {
    // Two rows of stride 12: the last row needs only `width` bytes.
    assert_eq!(
        frame_err(10, 2, 12, 21),
        FrameError::BufferTooShort {
            needed: 22,
            actual: 21
        }
    );
    assert!(LumaFrame::new(10, 2, 12, &[0; 22]).is_ok());
    assert!(LumaImage::new(3, 3, vec![0; 8]).is_err());
    // An absurd stride overflows usize: still an error, not a panic.
    assert!(matches!(
        frame_err(2, 3, usize::MAX, 10),
        FrameError::BufferTooShort { .. }
    ));
}

#[test]
fn huge_frames_are_refused() {
    let r = LumaFrame::new(100_000, 100_000, 100_000, &[]);
    assert!(matches!(
        r,
        Err(Error::Qr(QrError::TooLarge { what: "pixels", .. }))
    ));
}

#[test]
fn padded_rows_are_packed() {
    let buf = [1, 2, 9, 3, 4, 9, 5, 6];
    let f = LumaFrame::new(2, 3, 3, &buf).unwrap();
    assert_eq!(&*f.packed(), &[1, 2, 3, 4, 5, 6]);
    let img = LumaImage::new(2, 2, vec![1, 2, 3, 4, 99]).unwrap();
    assert_eq!(img.pixels(), &[1, 2, 3, 4]);
    assert_eq!(&*img.as_frame().packed(), &[1, 2, 3, 4]);
}

#[test]
fn a_panicking_backend_becomes_an_error() {
    struct Panics;
    impl QrDecoder for Panics {
        fn name(&self) -> &'static str {
            "panics"
        }
        fn decode(&self, _: &LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
            guarded(self.name(), || panic!("backend bug"))
        }
    }
    let img = LumaImage::new(1, 1, vec![0]).unwrap();
    let r = Panics.decode(&img.as_frame());
    assert!(matches!(
        r,
        Err(Error::Qr(QrError::DecoderPanicked { decoder: "panics" }))
    ));
}

#[test]
fn blank_frames_have_no_code() {
    let img = LumaImage::new(64, 48, vec![255; 64 * 48]).unwrap();
    for d in decoders() {
        assert_eq!(d.decode(&img.as_frame()).unwrap(), vec![], "{}", d.name());
    }
}

#[test]
fn default_is_the_strategy() {
    let default = default_decoder();
    assert_eq!(default.name(), "strategy");
    assert_eq!(
        decoder_named("strategy").map(|d| d.name()),
        Some("strategy")
    );
    for d in decoders() {
        assert_eq!(decoder_named(d.name()).map(|n| n.name()), Some(d.name()));
        assert_ne!(d.name(), "strategy");
    }
    assert!(decoder_named("zbar").is_none());
}

#[test]
fn unsupported_and_corrupt_images() {
    assert!(matches!(
        load_image(b"not an image at all"),
        Err(Error::Qr(QrError::UnsupportedFormat))
    ));
    // A PNG signature followed by garbage.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0xAB; 40]);
    assert!(matches!(
        load_image(&png),
        Err(Error::Qr(
            QrError::CorruptImage(_) | QrError::UnsupportedFormat
        ))
    ));
    assert!(matches!(
        load_image_file(std::path::Path::new("/nonexistent/qr.png")),
        Err(Error::Qr(QrError::Io(_)))
    ));
}

#[test]
fn decoded_code_debug_hides_the_payload() {
    let c = DecodedCode {
        content: b"secret".to_vec(),
        corners: None,
    };
    assert!(!format!("{c:?}").contains("secret"));
    assert_eq!(c.text(), Some("secret"));
}

#[test]
fn owned_images_are_built_within_the_limits() {
    let img = LumaImage::from_fn(3, 2, |x, y| (10 * y + x) as u8).unwrap();
    assert_eq!(img.pixels(), &[0, 1, 2, 10, 11, 12]);
    assert_eq!(
        (img.get(2, 1), img.get(3, 0), img.get(0, 2)),
        (Some(12), None, None)
    );
    assert_eq!(LumaImage::filled(2, 2, 7).unwrap().pixels(), &[7; 4]);
    for (w, h) in [(0, 1), (1, 0)] {
        assert!(matches!(
            LumaImage::filled(w, h, 0),
            Err(Error::Qr(QrError::BadFrame(FrameError::Empty)))
        ));
    }
    // Refused before any allocation or call of `f`.
    let mut called = false;
    let r = LumaImage::from_fn(u32::MAX, u32::MAX, |_, _| {
        called = true;
        0
    });
    assert!(matches!(
        r,
        Err(Error::Qr(QrError::TooLarge { what: "pixels", .. }))
    ));
    assert!(!called);
    let side = u32::try_from(MAX_PIXELS.isqrt()).unwrap();
    assert!(LumaImage::filled(side + 1, side + 1, 0).is_err());
}

#[test]
fn frames_and_owned_images_convert_both_ways() {
    let buf = [1, 2, 9, 3, 4, 9];
    let frame = LumaFrame::new(2, 2, 3, &buf).unwrap();
    let img = LumaImage::from_frame(&frame);
    assert_eq!(img.pixels(), &[1, 2, 3, 4]);
    let back = img.as_frame();
    assert_eq!((back.width(), back.height(), back.stride()), (2, 2, 2));
    assert_eq!(LumaImage::from_frame(&back), img);
    assert_eq!(img.clone().into_pixels(), vec![1, 2, 3, 4]);
}

#[test]
fn png_output_loads_back_to_the_same_pixels() {
    let img = LumaImage::from_fn(37, 11, |x, y| (x * 7 + y * 13) as u8).unwrap();
    let png = img.to_png().unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(png, img.to_png().unwrap(), "deterministic");
    assert_eq!(load_image(&png).unwrap(), img);
    let path = std::env::temp_dir().join(format!("vitale-reader-png-{}.png", std::process::id()));
    img.write_png(&path).unwrap();
    let loaded = load_image_file(&path);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(loaded.unwrap(), img);
    assert!(matches!(
        img.write_png("/nonexistent/dir/out.png"),
        Err(Error::Qr(QrError::Io(_)))
    ));
}

#[test]
fn a_lower_pixel_limit_is_checked_from_the_header() {
    let img = LumaImage::from_fn(40, 25, |x, y| (x ^ y) as u8).unwrap();
    let png = img.to_png().unwrap();
    assert_eq!(load_image_within(&png, 1000).unwrap(), img);
    assert!(matches!(
        load_image_within(&png, 999),
        Err(Error::Qr(QrError::TooLarge {
            what: "pixels",
            actual: 1000,
            limit: 999
        }))
    ));
    // Above MAX_PIXELS, MAX_PIXELS is the limit.
    assert_eq!(load_image_within(&png, u64::MAX).unwrap(), img);
}

#[test]
fn frame_and_image_debug_show_no_pixels() {
    let img = LumaImage::filled(3, 1, 0xAB).unwrap();
    for text in [format!("{img:?}"), format!("{:?}", img.as_frame())] {
        assert!(text.contains("width: 3"), "{text}");
        assert!(!text.contains("171"), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn arbitrary_small_frames_never_panic(
        w in 1u32..48,
        h in 1u32..48,
        pad in 0usize..4,
        seed in proptest::collection::vec(any::<u8>(), 1..64),
    ) {
        let stride = w as usize + pad;
        let len = stride * h as usize;
        let pixels: Vec<u8> = seed.iter().copied().cycle().take(len).collect();
        let frame = LumaFrame::new(w, h, stride, &pixels).unwrap();
        let owned = LumaImage::from_frame(&frame);
        prop_assert_eq!(owned.pixels().len(), (w * h) as usize);
        prop_assert_eq!(owned.get(w - 1, h - 1), pixels.get(stride * (h as usize - 1) + w as usize - 1).copied());
        for d in decoders() {
            let r = d.decode(&frame);
            prop_assert!(
                !matches!(r, Err(Error::Qr(QrError::DecoderPanicked { .. }))),
                "{} panicked", d.name()
            );
        }
    }
}

/// The image decoder's own messages hold Rust `Debug` text (`ChunkType {
/// type: IHDR, … }`, `BadCodeLengthHuffmanTree`): the errors say what is
/// wrong in their own words, with the format, and nothing else.
#[test]
fn damaged_images_are_described_without_debug_text() {
    let png = LumaImage::new(64, 64, vec![255; 64 * 64])
        .unwrap()
        .to_png()
        .unwrap();
    // A changed width: the header's CRC no longer matches.
    let mut header = png.clone();
    header[16] ^= 0x01;
    // Compressed pixel data damaged.
    let mut data = png.clone();
    let idat = data.windows(4).position(|w| w == b"IDAT").unwrap();
    for byte in &mut data[idat + 6..idat + 30] {
        *byte ^= 0x5a;
    }
    let truncated = png[..png.len() / 2].to_vec();
    for (bytes, want) in [
        (header, ImageDamage::Damaged { format: "PNG" }),
        (truncated, ImageDamage::Truncated { format: "PNG" }),
    ] {
        match load_image(&bytes) {
            Err(Error::Qr(QrError::CorruptImage(damage))) => assert_eq!(damage, want),
            other => panic!("expected CorruptImage, got {other:?}"),
        }
    }
    match load_image(&data) {
        Err(e @ Error::Qr(QrError::CorruptImage(_))) => {
            let text = e.to_string();
            assert!(text.contains("PNG"), "{text}");
            for debug in ['{', '}', '(', ')'] {
                assert!(!text.contains(debug), "{text}");
            }
            assert!(
                std::error::Error::source(&e)
                    .and_then(|s| s.source())
                    .is_none()
            );
        }
        other => panic!("expected CorruptImage, got {other:?}"),
    }
}
