//! Unit tests of the frame type and the file-backed sources.

use std::time::Duration;

use super::*;
use crate::qr::LumaImage;

#[test]
fn frame_debug_shows_no_pixels() {
    let image = LumaImage::filled(3, 2, 77).unwrap();
    let frame = Frame::new(image, 5, Duration::from_millis(40));
    let text = format!("{frame:?}");
    assert!(text.contains("width: 3") && text.contains("sequence: 5"));
    assert!(!text.contains("77"));
    assert_eq!(frame.into_image().get(0, 0), Some(77));
}

#[test]
fn a_sequence_is_paced_at_its_frame_rate() {
    let images = vec![LumaImage::filled(2, 2, 0).unwrap(); 4];
    let start = std::time::Instant::now();
    let mut source = FrameSequence::new(images, 50.0);
    let mut stamps = Vec::new();
    while let Some(frame) = source.next_frame().unwrap() {
        stamps.push(frame.timestamp().as_millis());
    }
    assert_eq!(stamps, [0, 20, 40, 60]);
    assert!(start.elapsed() >= Duration::from_millis(60));
    assert_eq!(source.remaining(), 0);
}

#[test]
fn odd_frame_rates_are_clamped() {
    for fps in [f32::NAN, f32::INFINITY, -1.0, 0.0, 1e9] {
        let mut source =
            FrameSequence::new(vec![LumaImage::filled(1, 1, 0).unwrap(); 2], fps).unpaced();
        source.next_frame().unwrap();
        let second = source.next_frame().unwrap().unwrap();
        assert!(second.timestamp() >= Duration::from_millis(1), "{fps}");
        assert!(second.timestamp() <= Duration::from_secs(10), "{fps}");
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vitale-camera-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_folder_plays_its_images_in_name_order() {
    let dir = temp_dir("order");
    for (name, level) in [("b.png", 2u8), ("a.png", 1), ("c.PNG", 3)] {
        LumaImage::filled(5, 5, level)
            .unwrap()
            .write_png(dir.join(name))
            .unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "not a frame").unwrap();
    std::fs::create_dir(dir.join("sub.png")).unwrap();
    let mut source = FrameFolder::open(&dir, 1000.0).unwrap().unpaced();
    assert_eq!(source.files().len(), 3);
    let mut levels = Vec::new();
    while let Some(frame) = source.next_frame().unwrap() {
        levels.push(frame.image().get(0, 0).unwrap());
    }
    assert_eq!(levels, [1, 2, 3]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_damaged_frame_file_is_a_frame_file_error() {
    let dir = temp_dir("damaged");
    std::fs::write(dir.join("0.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let mut source = FrameFolder::open(&dir, 30.0).unwrap();
    let error = source.next_frame().unwrap_err();
    assert_eq!(error.kind(), "frame_file");
    assert!(matches!(error, SourceError::FrameFile { index: 0, .. }));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_folder_is_an_io_error() {
    let error =
        FrameFolder::open(std::path::Path::new("/nonexistent/vitale/frames"), 30.0).unwrap_err();
    assert_eq!(error.kind(), "io");
}

#[test]
fn every_source_error_has_a_distinct_kind() {
    let errors = [
        SourceError::NoDevice { index: 0 },
        SourceError::Unavailable {
            message: String::new(),
        },
        SourceError::Format {
            message: String::new(),
        },
        SourceError::Capture {
            message: String::new(),
        },
        SourceError::NotCompiled,
        SourceError::TooManyFrames { limit: 1 },
        SourceError::Io(std::io::Error::other("x")),
    ];
    let mut kinds: Vec<_> = errors.iter().map(SourceError::kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), errors.len());
}

#[test]
fn every_pixel_format_becomes_grey() {
    let cases: [(PixelFormat, &[u8], &[u8]); 5] = [
        (PixelFormat::Grey, &[1, 2, 3, 4, 99], &[1, 2, 3, 4]),
        (PixelFormat::Yuyv, &[1, 0, 2, 0, 3, 0, 4, 0], &[1, 2, 3, 4]),
        (PixelFormat::Nv12, &[1, 2, 3, 4, 128, 128], &[1, 2, 3, 4]),
        (
            PixelFormat::Rgb24,
            &[255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255],
            &[76, 150, 29, 255],
        ),
        (
            PixelFormat::Bgr24,
            &[0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 0, 0],
            &[76, 150, 29, 0],
        ),
    ];
    for (format, bytes, grey) in cases {
        let image = grey_from(format, 2, 2, bytes).unwrap();
        assert_eq!(image.pixels(), grey, "{format:?}");
    }
}

#[test]
fn an_mjpeg_frame_is_decoded_and_its_size_checked() {
    let mut jpeg = Vec::new();
    let picture = image::GrayImage::from_pixel(8, 6, image::Luma([200]));
    picture
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let grey = grey_from(PixelFormat::Mjpeg, 8, 6, &jpeg).unwrap();
    assert!(grey.get(3, 3).unwrap().abs_diff(200) <= 2);
    let wrong = grey_from(PixelFormat::Mjpeg, 6, 8, &jpeg).unwrap_err();
    assert_eq!(wrong.kind(), "format");
    assert_eq!(
        grey_from(PixelFormat::Mjpeg, 8, 6, &jpeg[..20])
            .unwrap_err()
            .kind(),
        "format"
    );
}

#[test]
fn short_buffers_and_odd_sizes_are_format_errors() {
    for (format, w, h, len) in [
        (PixelFormat::Grey, 4, 4, 15),
        (PixelFormat::Yuyv, 4, 4, 31),
        (PixelFormat::Rgb24, 4, 4, 47),
        (PixelFormat::Grey, 0, 4, 100),
        (PixelFormat::Grey, 100_000, 100_000, 100),
        (PixelFormat::Grey, u32::MAX, u32::MAX, 100),
    ] {
        let error = grey_from(format, w, h, &vec![0; len]).unwrap_err();
        assert_eq!(error.kind(), "format", "{format:?} {w}×{h}");
    }
}

proptest::proptest! {
    #[test]
    fn conversion_never_panics_and_keeps_the_size(
        format in proptest::sample::select(vec![
            PixelFormat::Grey, PixelFormat::Yuyv, PixelFormat::Nv12,
            PixelFormat::Rgb24, PixelFormat::Bgr24, PixelFormat::Mjpeg,
        ]),
        width in 0u32..40,
        height in 0u32..40,
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..6000),
    ) {
        if let Ok(image) = grey_from(format, width, height, &bytes) {
            proptest::prop_assert_eq!((image.width(), image.height()), (width, height));
            proptest::prop_assert_eq!(image.pixels().len(), (width * height) as usize);
        }
    }
}

#[cfg(feature = "camera")]
#[test]
fn without_a_camera_the_list_is_empty_or_a_clear_error() {
    // This machine has no camera: an empty list, never a panic. A CI
    // runner with a camera lists it.
    match list_cameras() {
        Ok(cameras) => {
            if cameras.is_empty() {
                let error = Camera::open(0).unwrap_err();
                assert_eq!(error.kind(), "no_device");
                assert!(error.to_string().contains("index 0"));
            }
        }
        Err(error) => assert_eq!(error.kind(), "unavailable"),
    }
    // An index no workstation has.
    let error = Camera::open(4096).unwrap_err();
    assert!(
        matches!(error.kind(), "no_device" | "unavailable"),
        "{error}"
    );
}
