//! [`GreyImage`]: 8-bit luma pixels, PNG output, bilinear sampling.

use std::path::Path;

use image::ImageEncoder;
use image::codecs::png::PngEncoder;

use super::{MAX_DIMENSION, RenderError};

/// An 8-bit grey (luma) image, row-major, one byte a pixel, 0 black and
/// 255 white, with no padding between rows.
///
/// Its sides are 1 to [`MAX_DIMENSION`] pixels and `pixels().len()` is
/// always `width × height` (the constructor checks it), so no method can
/// index out of range.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct GreyImage {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl std::fmt::Debug for GreyImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GreyImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

impl GreyImage {
    /// An image from its pixels.
    ///
    /// # Errors
    /// [`RenderError::TooLarge`] for a side of 0 or more than
    /// [`MAX_DIMENSION`]; [`RenderError::PixelCount`] if `pixels` is not
    /// `width × height` bytes long.
    pub fn new(width: u32, height: u32, pixels: Vec<u8>) -> Result<Self, RenderError> {
        let expected = checked_area(width, height)?;
        if pixels.len() != expected {
            return Err(RenderError::PixelCount {
                expected,
                got: pixels.len(),
            });
        }
        Ok(GreyImage {
            width,
            height,
            pixels,
        })
    }

    /// An image of one grey level.
    ///
    /// # Errors
    /// [`RenderError::TooLarge`] as [`GreyImage::new`].
    pub fn filled(width: u32, height: u32, level: u8) -> Result<Self, RenderError> {
        let len = checked_area(width, height)?;
        Ok(GreyImage {
            width,
            height,
            pixels: vec![level; len],
        })
    }

    /// An image whose every pixel is `f(x, y)`. Sides are clamped to
    /// 1..=[`MAX_DIMENSION`] (internal use by perturbations, which must not
    /// fail).
    pub(crate) fn from_fn(width: u32, height: u32, mut f: impl FnMut(u32, u32) -> u8) -> Self {
        let width = width.clamp(1, MAX_DIMENSION);
        let height = height.clamp(1, MAX_DIMENSION);
        let mut pixels = Vec::with_capacity(area(width, height));
        for y in 0..height {
            for x in 0..width {
                pixels.push(f(x, y));
            }
        }
        GreyImage {
            width,
            height,
            pixels,
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels, row-major; the stride is [`GreyImage::width`].
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// The pixels, by value.
    pub fn into_pixels(self) -> Vec<u8> {
        self.pixels
    }

    /// The pixel at `(x, y)`, or `None` outside the image.
    pub fn get(&self, x: u32, y: u32) -> Option<u8> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let index = (y as usize)
            .checked_mul(self.width as usize)?
            .checked_add(x as usize)?;
        self.pixels.get(index).copied()
    }

    /// The pixel at `(x, y)` with coordinates clamped to the image (edge
    /// pixels repeat outwards).
    pub(crate) fn clamped(&self, x: i64, y: i64) -> u8 {
        let x = x.clamp(0, i64::from(self.width) - 1);
        let y = y.clamp(0, i64::from(self.height) - 1);
        // Both are in range after the clamp, so the conversions succeed.
        match (u32::try_from(x), u32::try_from(y)) {
            (Ok(x), Ok(y)) => self.get(x, y).unwrap_or(255),
            _ => 255,
        }
    }

    /// Bilinear sample at `(x, y)` in pixel coordinates (pixel `i` covers
    /// `[i, i + 1)`, its centre is `i + 0.5`). Outside the image, returns
    /// `None`.
    pub(crate) fn sample(&self, x: f32, y: f32) -> Option<f32> {
        let (w, h) = (self.width as f32, self.height as f32);
        if !(x >= 0.0 && y >= 0.0 && x <= w && y <= h) {
            return None;
        }
        let (fx, fy) = (x - 0.5, y - 0.5);
        let (x0, y0) = (fx.floor(), fy.floor());
        let (tx, ty) = (fx - x0, fy - y0);
        let (ix, iy) = (x0 as i64, y0 as i64);
        let p = |dx: i64, dy: i64| f32::from(self.clamped(ix + dx, iy + dy));
        let top = p(0, 0) * (1.0 - tx) + p(1, 0) * tx;
        let bottom = p(0, 1) * (1.0 - tx) + p(1, 1) * tx;
        Some(top * (1.0 - ty) + bottom * ty)
    }

    /// The image as a PNG file (8-bit greyscale, no metadata): the same
    /// bytes for the same pixels.
    ///
    /// # Errors
    /// [`RenderError::Png`] if the encoder refuses (not expected: the
    /// sizes are checked on construction).
    pub fn to_png(&self) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(
                &self.pixels,
                self.width,
                self.height,
                image::ExtendedColorType::L8,
            )
            .map_err(RenderError::Png)?;
        Ok(out)
    }

    /// Writes [`GreyImage::to_png`] to a file.
    ///
    /// # Errors
    /// [`RenderError::Png`]; [`RenderError::Io`] when the file cannot be
    /// written.
    pub fn write_png(&self, path: impl AsRef<Path>) -> Result<(), RenderError> {
        std::fs::write(path, self.to_png()?).map_err(RenderError::Io)
    }
}

/// `width × height`, checked against the limits.
fn checked_area(width: u32, height: u32) -> Result<usize, RenderError> {
    if width == 0 || height == 0 || width > MAX_DIMENSION || height > MAX_DIMENSION {
        return Err(RenderError::TooLarge { width, height });
    }
    Ok(area(width, height))
}

/// `width × height` (at most `MAX_DIMENSION²`, which fits a `usize` on the
/// 32- and 64-bit targets we build for; saturates otherwise).
pub(crate) fn area(width: u32, height: u32) -> usize {
    (width as usize).saturating_mul(height as usize)
}
