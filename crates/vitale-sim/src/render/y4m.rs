//! YUV4MPEG2 (`.y4m`) videos of camera frames: what Chromium's fake camera
//! plays (`--use-file-for-fake-video-capture=FILE.y4m`), so that a browser
//! test can show a phone's QR code to a web page's `getUserMedia` camera.
//!
//! The format is the one of the MJPEG tools and FFmpeg
//! (<https://wiki.multimedia.cx/index.php/YUV4MPEG2>): a header line
//! `YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg`, then per frame a line
//! `FRAME` and the planes Y (width × height bytes), U and V (each
//! ⌈width/2⌉ × ⌈height/2⌉ bytes, 4:2:0). Grey frames carry their pixels as
//! Y and a neutral chroma (128).
//!
//! [`camera_clip`] makes the frames of a phone entering the camera's view
//! and then held steady; [`Y4mWriter`] (or [`write_y4m`]) writes them.

use std::io::{BufWriter, Write};
use std::path::Path;

use super::frame::{FrameSize, Placement, compose_frame};
use super::perturb::Perturbation;
use super::{LumaImage, RenderError};

/// Most frames [`camera_clip`] makes (a minute at 10 frames a second):
/// each 640×480 frame holds 300 KiB.
pub const MAX_CLIP_FRAMES: u32 = 600;

/// Frames per second a [`Y4mWriter`] accepts: 1 to this.
pub const MAX_FPS: u32 = 120;

/// Writes grey frames as a YUV4MPEG2 video, 4:2:0 (`C420jpeg`), progressive,
/// square pixels.
///
/// ```
/// use vitale_sim::render::{LumaImage, Y4mWriter};
///
/// let frame = LumaImage::filled(4, 2, 200)?;
/// let mut video = Y4mWriter::new(Vec::new(), 4, 2, 10)?;
/// video.write_frame(&frame)?;
/// let bytes = video.finish()?;
/// assert!(bytes.starts_with(b"YUV4MPEG2 W4 H2 F10:1 Ip A1:1 C420jpeg\nFRAME\n"));
/// assert_eq!(bytes.len(), 39 + 6 + 8 + 2 + 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Y4mWriter<W: Write> {
    out: W,
    width: u32,
    height: u32,
    frames: u32,
    /// The U and V planes of every frame (neutral grey), written twice.
    chroma: Vec<u8>,
}

impl<W: Write> Y4mWriter<W> {
    /// Starts a `width × height` video at `fps` frames a second and writes
    /// its header.
    ///
    /// # Errors
    /// [`RenderError::TooLarge`] for a side of 0 or above
    /// [`MAX_DIMENSION`](super::MAX_DIMENSION); [`RenderError::Options`] for
    /// `fps` outside 1 to [`MAX_FPS`]; [`RenderError::Io`] if the header
    /// cannot be written.
    pub fn new(mut out: W, width: u32, height: u32, fps: u32) -> Result<Self, RenderError> {
        if width == 0
            || height == 0
            || width > super::MAX_DIMENSION
            || height > super::MAX_DIMENSION
        {
            return Err(RenderError::TooLarge { width, height });
        }
        if !(1..=MAX_FPS).contains(&fps) {
            return Err(RenderError::Options("y4m frame rate outside 1 to 120"));
        }
        // `writeln!` ends the line with `\n` on every platform.
        writeln!(
            out,
            "YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg"
        )
        .map_err(RenderError::Io)?;
        // Both sides ≤ MAX_DIMENSION: the product fits a usize.
        let chroma_len = (width.div_ceil(2) as usize) * (height.div_ceil(2) as usize);
        Ok(Self {
            out,
            width,
            height,
            frames: 0,
            chroma: vec![128; chroma_len],
        })
    }

    /// Appends one frame: its pixels as luma, neutral chroma.
    ///
    /// # Errors
    /// [`RenderError::FrameSize`] if the frame is not the video's size;
    /// [`RenderError::Io`] if it cannot be written.
    pub fn write_frame(&mut self, frame: &LumaImage) -> Result<(), RenderError> {
        if (frame.width(), frame.height()) != (self.width, self.height) {
            return Err(RenderError::FrameSize {
                expected: (self.width, self.height),
                got: (frame.width(), frame.height()),
            });
        }
        self.out.write_all(b"FRAME\n").map_err(RenderError::Io)?;
        self.out
            .write_all(frame.pixels())
            .map_err(RenderError::Io)?;
        self.out.write_all(&self.chroma).map_err(RenderError::Io)?;
        self.out.write_all(&self.chroma).map_err(RenderError::Io)?;
        self.frames = self.frames.saturating_add(1);
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> u32 {
        self.frames
    }

    /// Flushes and gives the output back.
    ///
    /// # Errors
    /// [`RenderError::Io`] if the flush fails.
    pub fn finish(mut self) -> Result<W, RenderError> {
        self.out.flush().map_err(RenderError::Io)?;
        Ok(self.out)
    }
}

/// Writes `frames` (all of one size, at least one) to the file at `path`
/// as a YUV4MPEG2 video at `fps` frames a second.
///
/// # Errors
/// [`RenderError::Options`] for no frame; as [`Y4mWriter::new`] and
/// [`Y4mWriter::write_frame`]; [`RenderError::Io`] if the file cannot be
/// created.
pub fn write_y4m(path: &Path, frames: &[LumaImage], fps: u32) -> Result<(), RenderError> {
    let Some(first) = frames.first() else {
        return Err(RenderError::Options("a video needs at least one frame"));
    };
    let file = std::fs::File::create(path).map_err(RenderError::Io)?;
    let mut video = Y4mWriter::new(BufWriter::new(file), first.width(), first.height(), fps)?;
    for frame in frames {
        video.write_frame(frame)?;
    }
    video.finish()?;
    Ok(())
}

/// How a [`camera_clip`] moves the phone.
///
/// | field | default | meaning |
/// |---|---|---|
/// | `size` | [`FrameSize::Vga`] (640×480) | frame size |
/// | `entering` | 10 | frames while the phone slides in from the lower right, turned 25° and straightening |
/// | `steady` | 20 | frames with the phone held still at the centre (sensor noise differs per frame) |
/// | `code_height` | 0.7 | the code's height (quiet zone included) as a fraction of the frame height, once steady |
/// | `seed` | 0 | background texture and sensor noise |
///
/// At 10 frames a second the defaults make a 3-second video; Chromium's
/// fake camera loops it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ClipOptions {
    /// Frame size.
    pub size: FrameSize,
    /// Frames while the phone enters the view.
    pub entering: u32,
    /// Frames with the phone held steady.
    pub steady: u32,
    /// Height of the code once steady, as a fraction of the frame height.
    pub code_height: f32,
    /// Seed of the background texture and the noise.
    pub seed: u64,
}

impl Default for ClipOptions {
    fn default() -> Self {
        Self {
            size: FrameSize::Vga,
            entering: 10,
            steady: 20,
            code_height: 0.7,
            seed: 0,
        }
    }
}

/// The frames of a phone showing `code` (a QR image, e.g. from
/// [`render_qr`](super::render_qr)) that enters the camera's view from the
/// lower right, turned and partly outside the frame, straightens, and is
/// then held steady at the centre — what a patient does at a reception
/// desk. Each frame is [`compose_frame`] of the code on a phone, with
/// light sensor noise (amplitude 6) drawn per frame.
///
/// The steady frames are within the ranges the renderer's documentation
/// guarantees a decoder reads (code height 0.5 to 0.9 of a 640×480
/// frame, by default 0.7); the first entering frames hold only part of
/// the code.
///
/// # Errors
/// [`RenderError::Options`] when `entering + steady` is 0 or above
/// [`MAX_CLIP_FRAMES`].
pub fn camera_clip(code: &LumaImage, options: &ClipOptions) -> Result<Vec<LumaImage>, RenderError> {
    let total = options.entering.saturating_add(options.steady);
    if total == 0 || total > MAX_CLIP_FRAMES {
        return Err(RenderError::Options("a clip holds 1 to 600 frames"));
    }
    let steady_height = if options.code_height.is_finite() {
        options.code_height.clamp(0.05, 1.0)
    } else {
        0.7
    };
    let frames = (0..total)
        .map(|index| {
            // 0 at the first entering frame, 1 once steady.
            let t = if index < options.entering {
                index as f32 / options.entering as f32
            } else {
                1.0
            };
            // Ease out: fast at first, slowing as the phone settles.
            let eased = 1.0 - (1.0 - t) * (1.0 - t);
            let placement = Placement {
                center: (1.25 - 0.75 * eased, 0.95 - 0.45 * eased),
                code_height: steady_height * (0.8 + 0.2 * eased),
                rotation: 25.0 * (1.0 - eased),
                phone_screen: true,
                seed: options.seed,
                perturbations: vec![Perturbation::Noise {
                    amplitude: 6,
                    seed: options.seed ^ u64::from(index).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                }],
            };
            compose_frame(code, options.size, &placement)
        })
        .collect();
    Ok(frames)
}

#[cfg(test)]
mod tests;
