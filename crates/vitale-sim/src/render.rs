//! QR images of presentations, deterministic perturbations and
//! camera-like frames, for the QR readers' tests, the benchmarks, the demo
//! and `vitale sim present --png` (feature `render`).
//!
//! | item | what it does |
//! |---|---|
//! | [`render_qr`], [`to_svg`], [`QrMatrix`] | a `VT1:` text as a QR code: one alphanumeric segment, ECC level M, smallest version (`docs/format.md` §7) |
//! | [`LumaImage`] | the SDK's owned grey image (from `vitale-reader`, re-exported): what every function here makes and takes; [`LumaImage::as_frame`] hands it to a QR decoder, [`LumaImage::to_png`] and [`LumaImage::write_png`] save it |
//! | [`Perturbation`] | scale, rotate, blur, motion blur, noise, perspective, low contrast, glare |
//! | [`compose_frame`] | the code (on a phone) in a 640×480, 1280×720 or 1920×1080 frame |
//! | [`camera_clip`], [`Y4mWriter`], [`write_y4m`] | a phone entering a camera's view, as a YUV4MPEG2 video (Chromium's fake camera plays it) |
//! | [`Scene`], [`write_frames`] | a camera scene frame by frame (the phone entering with motion blur, held still, leaving), saved as PNG files for a file-backed frame source |
//!
//! Everything is deterministic: the same inputs (and seeds, from a
//! scenario [`Seed`](crate::Seed) through [`seed_u64`] or explicit) give
//! the same pixels. Pure Rust, no randomness from the system.
//!
//! ```
//! use vitale::codec::model::Timestamp;
//! use vitale_sim::render::{FrameSize, Perturbation, Placement, RenderOptions, compose_frame, render_qr};
//! use vitale_sim::{Scenario, Seed};
//!
//! let now = Timestamp::from_unix(1_795_334_400).ok_or("time out of range")?;
//! let s = Scenario::new(Seed::from_u64(7), 3, now)?;
//! let text = s.phone.present_qr_text(now, 120)?;
//! let code = render_qr(&text, &RenderOptions::default())?;
//! let blurred = Perturbation::Blur { radius: 1.0 }.apply(&code);
//! assert_eq!((blurred.width(), blurred.height()), (code.width(), code.height()));
//! let frame = compose_frame(&code, FrameSize::Hd, &Placement::default());
//! assert_eq!((frame.width(), frame.height()), (1280, 720));
//! let png = frame.to_png()?;
//! # let _ = png;
//! let codes = vitale::reader::qr::default_decoder().decode(&frame.as_frame())?;
//! assert_eq!(codes.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Size limits
//!
//! * text: the QR alphanumeric set only, at most 3 391 characters
//!   (version 40-M);
//! * images: 1 to [`MAX_DIMENSION`] pixels a side ([`RenderOptions`]:
//!   module 1–32 px, quiet zone 0–40 modules); perturbations and frames
//!   clamp the sides they make to the same range (perturbations that keep
//!   the size keep any input's).
//!
//! # What a decoder must survive
//!
//! A presentation of a 3-beneficiary scenario (seed 7: 844 characters,
//! version 21, 101 modules) rendered with the defaults (4 px modules,
//! 4-module quiet zone, 404 px a side) is read back exactly by
//! `vitale_reader::qr::default_decoder()` (the decoding strategy; its first
//! pass, rxing, reads them) within these ranges,
//! each perturbation alone. `crates/vitale-sim/tests/render_roundtrip.rs`
//! asserts every row; its ignored `sweep` test measured where reading
//! starts to fail (last column), and the guaranteed ranges keep a margin.
//!
//! | perturbation | guaranteed | measured failure |
//! |---|---|---|
//! | PNG round trip | exact pixels, reads back | — |
//! | `Scale` | factor 0.5 to 8 (2 to 32 px a module) | 0.325 (1.3 px a module); none up to 8 |
//! | `Rotate` | any angle | none (every 5°) |
//! | `Blur` | σ ≤ 1.2 px | σ 1.7 px |
//! | `Noise` | amplitude ≤ 50 | 90 to 130 depending on the seed |
//! | `Perspective`, keystone (top corners in by k) | k ≤ 0.1 | 0.175 |
//! | `Perspective`, skew (opposite corners in by (k, k/2)) | k ≤ 0.2 | 0.325 |
//! | `LowContrast` | `max − min ≥ 40` and `max ≥ 2 × min` (e.g. 0–40, 60–120, 127–254) | below about `max = 1.7 × min`; from black, never down to 0–5 |
//! | `Glare` | strength 1 off the finder patterns (radius ≤ 0.5); strength ≤ 0.5 anywhere, any radius | 0.85 on a finder pattern (radius 0.1); 0.65 at radius 4 |
//! | frame 640×480 | code height 0.5 to 0.9 of the frame | below 0.3 |
//! | frame 1280×720 | code height 0.35 to 0.9 | below 0.2 |
//! | frame 1920×1080 | code height 0.25 to 0.9 | below 0.15 |
//!
//! Frames are tested on a phone and bare, turned 0°, 12° and −30° at the
//! smallest height (a turned code must stay inside the frame) and unturned
//! at 0.9; the smallest heights give about 2 px a module, and reading
//! fails near 1.3 px a module whatever the frame size. A frame combining
//! rotation, blur, glare and noise is tested too. Other decoders
//! (`vitale_reader::qr::decoders()`) are only required to read the
//! unperturbed code.
//!
//! [`Seed`]: crate::Seed

mod frame;
mod geometry;
mod grey;
mod motion;
mod perturb;
mod qr;
mod scene;
#[cfg(test)]
mod tests;
mod y4m;

pub use frame::{FrameSize, Placement, compose_frame};
pub use motion::{MAX_MOTION_BLUR, motion_blur};
pub use perturb::{
    Perturbation, blur, glare, low_contrast, noise, perspective, rotate, scale, seed_u64,
};
pub use qr::{QrMatrix, RenderOptions, render_qr, to_svg, write_svg};
pub use scene::{Scene, ScenePhase, write_frames};
/// The grey image every function here makes and takes: `vitale-reader`'s
/// owned image, re-exported so that users name the same type the QR
/// decoders read.
pub use vitale::reader::qr::LumaImage;
pub use y4m::{ClipOptions, MAX_CLIP_FRAMES, MAX_FPS, Y4mWriter, camera_clip, write_y4m};

/// Largest side of any image this module makes, in pixels.
///
/// Its square (37 748 736) stays within `vitale-reader`'s
/// [`MAX_PIXELS`](vitale::reader::qr::MAX_PIXELS), so every image the
/// renderer makes is a valid [`LumaImage`] that a decoder accepts.
pub const MAX_DIMENSION: u32 = 6144;

/// Everything that can go wrong when rendering.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A character outside the QR alphanumeric set (`0–9 A–Z`, space,
    /// `$%*+-./:`), at this byte position.
    #[error("character at byte {position} is not QR alphanumeric")]
    NotAlphanumeric {
        /// Byte offset of the first offending character.
        position: usize,
    },
    /// The text does not fit a version 40-M code.
    #[error("{chars} characters do not fit a QR code at level M")]
    TooLong {
        /// Length of the text.
        chars: usize,
    },
    /// The `qrcode` crate refused (not expected for a checked text).
    #[error("QR encoder: {0}")]
    Qr(&'static str),
    /// A [`RenderOptions`] value out of range.
    #[error("render options: {0}")]
    Options(&'static str),
    /// An image side of 0 or more than [`MAX_DIMENSION`].
    #[error("image of {width}×{height} pixels is outside the limits")]
    TooLarge {
        /// Requested width.
        width: u32,
        /// Requested height.
        height: u32,
    },
    /// A video frame of another size than the video's ([`Y4mWriter`]).
    #[error("frame of {}×{} pixels in a {}×{} video", got.0, got.1, expected.0, expected.1)]
    FrameSize {
        /// The video's size.
        expected: (u32, u32),
        /// The frame's size.
        got: (u32, u32),
    },
    /// A file could not be written ([`write_svg`], [`write_y4m`]).
    #[error("I/O: {0}")]
    Io(#[source] std::io::Error),
}
