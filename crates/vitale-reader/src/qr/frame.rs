//! Grey frames: borrowed (camera buffers, with a row stride) and owned.

use std::borrow::Cow;

use super::{FrameError, MAX_PIXELS, QrError};
use crate::Error;

/// A borrowed 8-bit grey frame: `height` rows of `width` pixels, each row
/// starting `stride` bytes after the previous one (camera buffers often pad
/// rows). 0 is black, 255 white.
#[derive(Debug, Clone, Copy)]
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

/// An owned 8-bit grey image without row padding, as [`load_image`]
/// returns it.
///
/// [`load_image`]: super::load_image
#[derive(Clone, PartialEq, Eq)]
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

    /// The image as a frame for a [`QrDecoder`](super::QrDecoder).
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
}

impl std::fmt::Debug for LumaImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LumaImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}
