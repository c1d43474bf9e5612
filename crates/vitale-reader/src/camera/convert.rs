//! Camera pixel formats to 8-bit grey.

use super::SourceError;
use crate::Error;
use crate::qr::{LumaImage, MAX_PIXELS, load_image};

/// A camera buffer's pixel format: the formats webcams deliver through
/// V4L2, AVFoundation and Media Foundation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PixelFormat {
    /// 8-bit grey, one byte a pixel.
    Grey,
    /// YUV 4:2:2 packed as Y0 U Y1 V (V4L2 `YUYV`, Windows `YUY2`): two
    /// bytes a pixel; the grey is the Y bytes.
    Yuyv,
    /// YUV 4:2:0, a full Y plane then interleaved U/V at half size
    /// (`NV12`): the grey is the Y plane.
    Nv12,
    /// 8-bit R, G, B.
    Rgb24,
    /// 8-bit B, G, R.
    Bgr24,
    /// Motion JPEG: each frame a JPEG image.
    Mjpeg,
}

/// Converts one camera buffer of `width × height` pixels in `format` to
/// grey, rows packed without padding.
///
/// Colour becomes grey with the ITU-R BT.601 luma weights
/// (0.299 R + 0.587 G + 0.114 B), as the Y of YUV formats. Bytes past what
/// the size needs are ignored (drivers pad buffers). An MJPEG frame is
/// decoded with the limits of [`load_image`] and must have the announced
/// size.
///
/// ```
/// use vitale_reader::camera::{PixelFormat, grey_from};
///
/// // Two pixels of YUYV: Y0 U Y1 V.
/// let grey = grey_from(PixelFormat::Yuyv, 2, 1, &[10, 128, 200, 128])?;
/// assert_eq!(grey.pixels(), &[10, 200]);
/// # Ok::<(), vitale_reader::camera::SourceError>(())
/// ```
///
/// # Errors
///
/// [`SourceError::Format`] when the buffer is shorter than the size needs,
/// the size is 0 or above [`MAX_PIXELS`], or an MJPEG frame does not
/// decode to that size.
pub fn grey_from(
    format: PixelFormat,
    width: u32,
    height: u32,
    bytes: &[u8],
) -> Result<LumaImage, SourceError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 || pixels > MAX_PIXELS {
        return Err(format_error(format!(
            "{width}×{height} pixels is outside 1 to {MAX_PIXELS}"
        )));
    }
    // Lossless: pixels ≤ MAX_PIXELS fits usize on every target we build.
    let n = usize::try_from(pixels).map_err(|_| format_error("frame too large".into()))?;
    // The first `n × per_pixel` bytes, or a format error.
    let take = |per_pixel: usize| {
        let needed = n.saturating_mul(per_pixel);
        bytes.get(..needed).ok_or_else(|| {
            format_error(format!(
                "{format:?} buffer of {} bytes, {needed} needed for {width}×{height}",
                bytes.len()
            ))
        })
    };
    let grey: Vec<u8> = match format {
        PixelFormat::Grey | PixelFormat::Nv12 => take(1)?.to_vec(),
        PixelFormat::Yuyv => take(2)?.iter().step_by(2).copied().collect(),
        PixelFormat::Rgb24 => luma(take(3)?, false),
        PixelFormat::Bgr24 => luma(take(3)?, true),
        PixelFormat::Mjpeg => {
            let image = load_image(bytes).map_err(|e| format_error(describe(&e)))?;
            if (image.width(), image.height()) != (width, height) {
                return Err(format_error(format!(
                    "MJPEG frame of {}×{}, {width}×{height} announced",
                    image.width(),
                    image.height()
                )));
            }
            return Ok(image);
        }
    };
    LumaImage::new(width, height, grey).map_err(|e| format_error(describe(&e)))
}

/// BT.601 luma of packed 3-byte pixels, R G B (or B G R when `bgr`).
fn luma(bytes: &[u8], bgr: bool) -> Vec<u8> {
    bytes
        .chunks_exact(3)
        .map(|p| {
            let &[first, g, last] = p else {
                return 0;
            };
            let (r, b) = if bgr { (last, first) } else { (first, last) };
            let (r, g, b) = (u32::from(r), u32::from(g), u32::from(b));
            // Weights ×1000, rounded; at most 255 000 + 500, so / 1000 ≤ 255.
            u8::try_from((299 * r + 587 * g + 114 * b + 500) / 1000).unwrap_or(u8::MAX)
        })
        .collect()
}

fn describe(e: &Error) -> String {
    e.to_string()
}

fn format_error(message: String) -> SourceError {
    SourceError::Format { message }
}
