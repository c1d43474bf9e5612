//! Grey frames: borrowed ([`LumaFrame`], camera buffers with a row
//! stride) and owned ([`LumaImage`], decoded files and rendered pictures).

use std::borrow::Cow;
use std::path::Path;

use image::ImageEncoder;
use image::codecs::png::PngEncoder;

use super::{FrameError, MAX_PIXELS, QrError};
use crate::Error;

/// A borrowed 8-bit grey frame: `height` rows of `width` pixels, each row
/// starting `stride` bytes after the previous one (camera buffers often pad
/// rows). 0 is black, 255 white.
///
/// [`LumaImage::as_frame`] views an owned image as a frame;
/// [`LumaImage::from_frame`] copies a frame out of the camera's buffer.
#[derive(Clone, Copy)]
pub struct LumaFrame<'a> {
    width: u32,
    height: u32,
    stride: usize,
    pixels: &'a [u8],
}

impl<'a> LumaFrame<'a> {
    /// Checks the geometry and borrows `pixels`.
    ///
    /// `pixels` must hold at least `stride × (height − 1) + width` bytes
    /// (the last row needs no padding); extra bytes are ignored.
    ///
    /// # Errors
    ///
    /// [`QrError::BadFrame`] for a zero size, a stride smaller than the
    /// width or a short buffer; [`QrError::TooLarge`] above
    /// [`MAX_PIXELS`](super::MAX_PIXELS).
    pub fn new(width: u32, height: u32, stride: usize, pixels: &'a [u8]) -> Result<Self, Error> {
        let (w, h) = checked_size(width, height)?;
        if stride < w {
            return Err(FrameError::StrideTooSmall { stride, width }.into());
        }
        let needed = stride
            .checked_mul(h - 1)
            .and_then(|n| n.checked_add(w))
            .unwrap_or(usize::MAX);
        if pixels.len() < needed {
            return Err(FrameError::BufferTooShort {
                needed,
                actual: pixels.len(),
            }
            .into());
        }
        Ok(Self {
            width,
            height,
            stride,
            pixels,
        })
    }

    /// Pixels per row.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Number of rows.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes from the start of one row to the start of the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The borrowed buffer, as given to [`LumaFrame::new`].
    pub fn pixels(&self) -> &'a [u8] {
        self.pixels
    }

    /// The pixels without row padding (`width × height` bytes): borrowed
    /// when the frame has none, copied otherwise.
    pub(crate) fn packed(&self) -> Cow<'a, [u8]> {
        // Lossless: `new` checked that width × height fits in MAX_PIXELS.
        let w = self.width as usize;
        let h = self.height as usize;
        if self.stride == w {
            return Cow::Borrowed(self.pixels.get(..w * h).unwrap_or(self.pixels));
        }
        let mut out = Vec::with_capacity(w * h);
        for row in self.pixels.chunks(self.stride).take(h) {
            out.extend_from_slice(row.get(..w).unwrap_or(row));
        }
        Cow::Owned(out)
    }
}

impl std::fmt::Debug for LumaFrame<'_> {
    // The pixels may show a presentation (personal data): only the geometry.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LumaFrame")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("stride", &self.stride)
            .finish_non_exhaustive()
    }
}

/// An owned 8-bit grey (luma) image: `height` rows of `width` pixels with
/// no padding between rows, 0 black and 255 white — what [`load_image`]
/// returns and what the simulator (`vitale-sim`, feature `render`) draws.
///
/// It always holds exactly `width × height` pixels, with both sides at
/// least 1 and at most [`MAX_PIXELS`](super::MAX_PIXELS) in all: every
/// constructor checks it, so no method can index out of range. A decoder
/// reads it through [`LumaImage::as_frame`].
///
/// ```
/// use vitale_reader::qr::{LumaImage, default_decoder};
///
/// let blank = LumaImage::filled(64, 48, 255)?;
/// assert_eq!(blank.get(63, 47), Some(255));
/// assert!(default_decoder().decode(&blank.as_frame())?.is_empty());
/// # Ok::<(), vitale_reader::Error>(())
/// ```
///
/// [`load_image`]: super::load_image
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LumaImage {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl LumaImage {
    /// Takes `width × height` grey pixels, row by row (extra bytes are
    /// dropped).
    ///
    /// # Errors
    ///
    /// As [`LumaFrame::new`] with `stride = width`.
    pub fn new(width: u32, height: u32, mut pixels: Vec<u8>) -> Result<Self, Error> {
        let stride = usize::try_from(width).map_err(|_| FrameError::Empty)?;
        LumaFrame::new(width, height, stride, &pixels)?;
        // Checked above: width × height ≤ MAX_PIXELS ≤ pixels.len().
        pixels.truncate(stride * height as usize);
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// An image of one grey level.
    ///
    /// # Errors
    ///
    /// [`QrError::BadFrame`] for a zero side; [`QrError::TooLarge`] above
    /// [`MAX_PIXELS`](super::MAX_PIXELS). The size is checked before
    /// anything is allocated.
    pub fn filled(width: u32, height: u32, level: u8) -> Result<Self, Error> {
        Self::from_fn(width, height, |_, _| level)
    }

    /// An image whose pixel at column `x`, row `y` is `f(x, y)`; `f` is
    /// called once a pixel, row by row.
    ///
    /// # Errors
    ///
    /// As [`LumaImage::filled`]; `f` is not called then.
    pub fn from_fn(
        width: u32,
        height: u32,
        mut f: impl FnMut(u32, u32) -> u8,
    ) -> Result<Self, Error> {
        let (w, h) = checked_size(width, height)?;
        // w × h ≤ MAX_PIXELS: checked above, so the product cannot overflow.
        let mut pixels = Vec::with_capacity(w * h);
        for y in 0..height {
            for x in 0..width {
                pixels.push(f(x, y));
            }
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// A copy of a borrowed frame, without its row padding.
    pub fn from_frame(frame: &LumaFrame<'_>) -> Self {
        Self {
            width: frame.width,
            height: frame.height,
            pixels: frame.packed().into_owned(),
        }
    }

    /// The image as a frame for a [`QrDecoder`](super::QrDecoder), without
    /// copying.
    pub fn as_frame(&self) -> LumaFrame<'_> {
        LumaFrame {
            width: self.width,
            height: self.height,
            stride: self.width as usize,
            pixels: &self.pixels,
        }
    }

    /// Pixels per row.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Number of rows.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels, row by row, `width × height` bytes.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// The pixels, by value.
    pub fn into_pixels(self) -> Vec<u8> {
        self.pixels
    }

    /// The pixel at column `x`, row `y`, or `None` outside the image.
    pub fn get(&self, x: u32, y: u32) -> Option<u8> {
        if x >= self.width || y >= self.height {
            return None;
        }
        // Both below the sides, whose product fits (≤ MAX_PIXELS).
        let index = (y as usize) * (self.width as usize) + x as usize;
        self.pixels.get(index).copied()
    }

    /// The image as a PNG file (8-bit greyscale, no metadata): the same
    /// bytes for the same pixels.
    ///
    /// # Errors
    ///
    /// [`QrError::Encoding`] if the encoder refuses (not expected: the
    /// geometry is checked on construction).
    pub fn to_png(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(
                &self.pixels,
                self.width,
                self.height,
                image::ExtendedColorType::L8,
            )
            .map_err(|e| QrError::Encoding(Box::new(e)))?;
        Ok(out)
    }

    /// Writes [`LumaImage::to_png`] to a file, replacing it if it exists.
    ///
    /// # Errors
    ///
    /// As [`LumaImage::to_png`]; [`QrError::Io`] when the file cannot be
    /// written.
    pub fn write_png(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        std::fs::write(path, self.to_png()?).map_err(|e| QrError::Io(e).into())
    }
}

impl std::fmt::Debug for LumaImage {
    // The pixels may show a presentation (personal data): only the size.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LumaImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

/// `(width, height)` as `usize`, after checking that neither is 0 and that
/// `width × height ≤ MAX_PIXELS`.
fn checked_size(width: u32, height: u32) -> Result<(usize, usize), Error> {
    if width == 0 || height == 0 {
        return Err(FrameError::Empty.into());
    }
    let count = u64::from(width) * u64::from(height);
    if count > MAX_PIXELS {
        return Err(QrError::TooLarge {
            what: "pixels",
            actual: count,
            limit: MAX_PIXELS,
        }
        .into());
    }
    let w = usize::try_from(width).map_err(|_| FrameError::Empty)?;
    let h = usize::try_from(height).map_err(|_| FrameError::Empty)?;
    Ok((w, h))
}
