//! Unit tests of the YUV4MPEG2 writer and the camera clip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;

use super::*;
use crate::render::{RenderOptions, render_qr};

const TEXT: &str = "VT1:6BFOXN*TS0BI$ZDFRH%3L:E0MG3Q.8KP/D:GN9J*:KQ$9D-EZ%";

/// A y4m file read back: header fields and each frame's planes, checking
/// the layout a player expects.
struct Parsed {
    width: usize,
    height: usize,
    fps: String,
    frames: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)>,
}

fn parse(bytes: &[u8]) -> Parsed {
    let end = bytes.iter().position(|&b| b == b'\n').unwrap();
    let header = std::str::from_utf8(&bytes[..end]).unwrap();
    let fields: Vec<&str> = header.split(' ').collect();
    assert_eq!(fields[0], "YUV4MPEG2");
    assert_eq!(&fields[4..], ["Ip", "A1:1", "C420jpeg"]);
    let width: usize = fields[1].strip_prefix('W').unwrap().parse().unwrap();
    let height: usize = fields[2].strip_prefix('H').unwrap().parse().unwrap();
    let fps = fields[3].strip_prefix('F').unwrap().to_owned();
    let chroma = width.div_ceil(2) * height.div_ceil(2);
    let mut rest = &bytes[end + 1..];
    let mut frames = Vec::new();
    while !rest.is_empty() {
        assert!(rest.starts_with(b"FRAME\n"), "frame {} tag", frames.len());
        rest = &rest[6..];
        let (y, r) = rest.split_at(width * height);
        let (u, r) = r.split_at(chroma);
        let (v, r) = r.split_at(chroma);
        frames.push((y.to_vec(), u.to_vec(), v.to_vec()));
        rest = r;
    }
    Parsed {
        width,
        height,
        fps,
        frames,
    }
}

#[test]
fn frames_are_luma_with_neutral_chroma() {
    let a = LumaImage::from_fn(5, 3, |x, y| (x * 40 + y) as u8).unwrap();
    let b = LumaImage::filled(5, 3, 9).unwrap();
    let mut video = Y4mWriter::new(Vec::new(), 5, 3, 25).unwrap();
    video.write_frame(&a).unwrap();
    video.write_frame(&b).unwrap();
    assert_eq!(video.frames(), 2);
    let parsed = parse(&video.finish().unwrap());
    assert_eq!(
        (parsed.width, parsed.height, parsed.fps.as_str()),
        (5, 3, "25:1")
    );
    assert_eq!(parsed.frames.len(), 2);
    // Odd sides: the chroma planes are 3 × 2 (rounded up).
    for ((y, u, v), image) in parsed.frames.iter().zip([&a, &b]) {
        assert_eq!(y.as_slice(), image.pixels());
        assert_eq!((u.len(), v.len()), (6, 6));
        assert!(u.iter().chain(v).all(|&c| c == 128));
    }
}

#[test]
fn a_frame_of_another_size_is_refused() {
    let mut video = Y4mWriter::new(Vec::new(), 4, 4, 10).unwrap();
    let wrong = LumaImage::filled(4, 5, 0).unwrap();
    assert!(matches!(
        video.write_frame(&wrong),
        Err(RenderError::FrameSize {
            expected: (4, 4),
            got: (4, 5)
        })
    ));
    assert_eq!(video.frames(), 0);
    // Nothing but the header was written.
    assert_eq!(
        video.finish().unwrap(),
        b"YUV4MPEG2 W4 H4 F10:1 Ip A1:1 C420jpeg\n"
    );
}

#[test]
fn sizes_and_rates_out_of_range_are_refused() {
    for (w, h) in [(0, 4), (4, 0), (6145, 4), (4, 6145)] {
        assert!(matches!(
            Y4mWriter::new(Vec::new(), w, h, 10),
            Err(RenderError::TooLarge { .. })
        ));
    }
    for fps in [0, MAX_FPS + 1] {
        assert!(matches!(
            Y4mWriter::new(Vec::new(), 4, 4, fps),
            Err(RenderError::Options(_))
        ));
    }
}

#[test]
fn write_y4m_writes_the_file_and_refuses_no_frame() {
    let dir = std::env::temp_dir().join(format!("vitale-y4m-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clip.y4m");
    assert!(matches!(
        write_y4m(&path, &[], 10),
        Err(RenderError::Options(_))
    ));
    let frames = [
        LumaImage::filled(2, 2, 1).unwrap(),
        LumaImage::filled(2, 2, 2).unwrap(),
    ];
    write_y4m(&path, &frames, 10).unwrap();
    let parsed = parse(&std::fs::read(&path).unwrap());
    assert_eq!(parsed.frames.len(), 2);
    assert_eq!(parsed.frames[1].0, vec![2; 4]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_clip_enters_then_holds_a_readable_code() {
    let code = render_qr(TEXT, &RenderOptions::default()).unwrap();
    let options = ClipOptions::default();
    let frames = camera_clip(&code, &options).unwrap();
    assert_eq!(frames.len(), 30);
    assert!(frames.iter().all(|f| (f.width(), f.height()) == (640, 480)));
    let decoder = vitale::reader::qr::default_decoder();
    let read = |f: &LumaImage| {
        decoder
            .decode(&f.as_frame())
            .unwrap()
            .iter()
            .any(|c| c.text() == Some(TEXT))
    };
    // The phone starts partly outside the frame: its code cannot be read.
    assert!(!read(&frames[0]));
    // Every steady frame reads, and they differ (sensor noise).
    for frame in &frames[10..] {
        assert!(read(frame));
    }
    assert_ne!(frames[10], frames[11]);
    // Deterministic.
    assert_eq!(camera_clip(&code, &options).unwrap(), frames);
}

#[test]
fn clip_lengths_out_of_range_are_refused() {
    let code = render_qr(TEXT, &RenderOptions::with_module_px(1)).unwrap();
    for (entering, steady) in [(0, 0), (MAX_CLIP_FRAMES, 1)] {
        let options = ClipOptions {
            entering,
            steady,
            ..ClipOptions::default()
        };
        assert!(matches!(
            camera_clip(&code, &options),
            Err(RenderError::Options(_))
        ));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any frame size within the limits writes a file of exactly the
    /// planes' size, read back as written.
    #[test]
    fn any_size_round_trips(width in 1u32..40, height in 1u32..40, level: u8, fps in 1u32..=MAX_FPS) {
        let frame = LumaImage::filled(width, height, level).unwrap();
        let mut video = Y4mWriter::new(Vec::new(), width, height, fps).unwrap();
        video.write_frame(&frame).unwrap();
        let parsed = parse(&video.finish().unwrap());
        prop_assert_eq!(parsed.fps, format!("{fps}:1"));
        prop_assert_eq!(&parsed.frames[0].0, frame.pixels());
    }

    /// Clips of any length within the limit give that many frames of the
    /// asked size, whatever the code height.
    #[test]
    fn any_clip_length(entering in 0u32..4, steady in 1u32..4, height in -1.0f32..2.0) {
        let code = render_qr(TEXT, &RenderOptions::with_module_px(1)).unwrap();
        let options = ClipOptions {
            size: FrameSize::Custom { width: 64, height: 48 },
            entering,
            steady,
            code_height: height,
            seed: 3,
        };
        let frames = camera_clip(&code, &options).unwrap();
        prop_assert_eq!(frames.len() as u32, entering + steady);
        prop_assert!(frames.iter().all(|f| (f.width(), f.height()) == (64, 48)));
    }
}
