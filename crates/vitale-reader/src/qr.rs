//! QR codes in image files and camera frames.
//!
//! A frame is 8-bit grey: [`LumaFrame`], borrowed, with a row stride, as
//! cameras deliver it; or [`LumaImage`], owned, as [`load_image`] returns
//! it and as the simulator draws it (the SDK's one owned grey image type,
//! viewed as a frame by [`LumaImage::as_frame`], written as PNG by
//! [`LumaImage::to_png`]). A [`QrDecoder`] finds **every** QR code in a frame. Two backends
//! implement it:
//!
//! * [`RxingDecoder`] — `rxing`, a Rust port of ZXing and zxing-cpp; the
//!   best single backend by measurement: it decodes more of the shared test
//!   corpora than quircs and is faster (see `docs/performance.md`, section
//!   "QR decoding"), but never an inverted (dark-mode) code;
//! * [`QuircsDecoder`] — `quircs`, a Rust port of quirc;
//! * `ZxingCppDecoder` (feature `zxing-cpp`) — zxing-cpp, the C++ library,
//!   through the `zxing-cpp` crate (its bundled build needs cmake and a C++
//!   compiler); `QrStrategy::with_zxing_cpp` puts it in the strategy
//!   (measurements: `docs/performance.md`, "zxing-cpp backend").
//!
//! [`QrStrategy`] runs them as a cascade of [`Pass`]es (normal, inverted for
//! dark-mode screens, a second binarizer, half and double size, quircs),
//! stops at the first code the caller accepts, within an optional time
//! budget, and drops, after its first pass, frames in which a cheap pre-scan
//! ([`finder_triples`]) sees no three finder patterns placed as a code's (measurements:
//! `docs/performance.md`, "QR strategy").
//!
//! The default ([`default_decoder`], [`default_strategy`]) is the strategy:
//! unlike any single backend it reads codes shown by a phone in dark mode
//! (light modules on a dark background).
//!
//! # Limits
//!
//! Images above [`MAX_PIXELS`] pixels and files above [`MAX_FILE_BYTES`]
//! bytes are refused before they are decoded (decompression bombs), and so
//! are frames above [`MAX_PIXELS`].
//!
//! # Panics
//!
//! None reach the caller: a panic inside a backend is caught at the trait
//! boundary and returned as [`QrError::DecoderPanicked`]. This relies on
//! unwinding; a binary built with `panic = "abort"` still aborts.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::Error;

mod frame;
mod load;
mod prescan;
mod quircs_backend;
mod rxing_backend;
mod strategy;
#[cfg(test)]
mod tests;
mod transform;
#[cfg(feature = "zxing-cpp")]
mod zxing_backend;

pub use frame::{LumaFrame, LumaImage};
pub use load::{load_image, load_image_file, load_image_within};
pub use quircs_backend::QuircsDecoder;
pub use rxing_backend::RxingDecoder;
pub use strategy::{
    Binarizer, DEFAULT_PASSES, Engine, Pass, QrStrategy, Rescale, Scan, ScanEnd, finder_candidates,
    finder_triples,
};
#[cfg(feature = "zxing-cpp")]
pub use zxing_backend::{ZXING_CPP_PASSES, ZxingCppDecoder};

/// Largest image or frame accepted, in pixels (40 Mpx: a 7 296 × 5 472
/// photo). Larger images are refused with [`QrError::TooLarge`].
pub const MAX_PIXELS: u64 = 40_000_000;

/// Largest image file accepted, in bytes (64 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Failures of image loading, QR decoding and PNG writing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The image file could not be read from disk (or, for
    /// [`LumaImage::write_png`], written).
    #[error("image file I/O: {0}")]
    Io(#[source] std::io::Error),
    /// The bytes are not an image in a supported format (PNG, JPEG, WebP,
    /// GIF).
    #[error("unsupported image format")]
    UnsupportedFormat,
    /// The format is supported but the image data is damaged or truncated.
    #[error("corrupt image: {0}")]
    CorruptImage(ImageDamage),
    /// The PNG encoder refused an image ([`LumaImage::to_png`]; not
    /// expected, the geometry being checked on construction).
    #[error("PNG encoding: {0}")]
    Encoding(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The image, frame or file is larger than this crate accepts.
    #[error("{what} too large: {actual} > {limit}")]
    TooLarge {
        /// What was measured: `"file bytes"` or `"pixels"`.
        what: &'static str,
        /// The measured size.
        actual: u64,
        /// The limit ([`MAX_FILE_BYTES`] or [`MAX_PIXELS`]).
        limit: u64,
    },
    /// The frame's width, height, stride and buffer do not fit together.
    #[error("bad frame geometry: {0}")]
    BadFrame(FrameError),
    /// A QR code was found but could not be read (damaged, blurred, badly
    /// lit): the holder should hold the phone still and try again.
    #[error("{decoder}: a QR code was found but could not be read")]
    CodeUnreadable {
        /// The backend's [`QrDecoder::name`].
        decoder: &'static str,
    },
    /// The backend panicked; the panic was caught and the frame dropped.
    #[error("{decoder}: the QR decoder panicked")]
    DecoderPanicked {
        /// The backend's [`QrDecoder::name`].
        decoder: &'static str,
    },
    /// The backend reported an internal failure (not "no code found",
    /// which is `Ok(vec![])`).
    #[error("{decoder}: {message}")]
    Decoder {
        /// The backend's [`QrDecoder::name`].
        decoder: &'static str,
        /// The backend's own description.
        message: String,
    },
}

/// How an image's data is damaged, in the SDK's own words: the image
/// decoder's own messages can hold Rust `Debug` text (`ChunkType { type:
/// IHDR, … }`), which is not for the people who read these errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImageDamage {
    /// The file ends before the image does (a partial download or copy).
    #[error("the {format} data ends too early (truncated file)")]
    Truncated {
        /// `PNG`, `JPEG`, `WebP` or `GIF`.
        format: &'static str,
    },
    /// The image data is damaged (a checksum, a compressed stream or a
    /// header that does not decode).
    #[error("the {format} data is damaged")]
    Damaged {
        /// `PNG`, `JPEG`, `WebP` or `GIF`.
        format: &'static str,
    },
}

/// How a frame's geometry is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Width or height is zero.
    #[error("zero width or height")]
    Empty,
    /// The stride (bytes per row) is smaller than the width.
    #[error("stride {stride} < width {width}")]
    StrideTooSmall {
        /// Bytes per row.
        stride: usize,
        /// Pixels per row.
        width: u32,
    },
    /// The pixel buffer is shorter than the geometry needs.
    #[error("pixel buffer of {actual} bytes, {needed} needed")]
    BufferTooShort {
        /// Bytes needed: `stride × (height − 1) + width`.
        needed: usize,
        /// Bytes given.
        actual: usize,
    },
}

impl From<FrameError> for Error {
    fn from(e: FrameError) -> Self {
        Error::Qr(QrError::BadFrame(e))
    }
}

/// One QR code found in a frame.
#[derive(Clone, PartialEq)]
pub struct DecodedCode {
    /// The payload. For text codes (every code of the vitale formats) this
    /// is the text in UTF-8 with both backends. For Kanji-mode segments
    /// `quircs` returns the Shift-JIS bytes, `rxing` their UTF-8 transcoding.
    pub content: Vec<u8>,
    /// The code's four corners in frame pixels, clockwise from the top-left
    /// corner of the symbol, when the backend reports them.
    pub corners: Option<[(f32, f32); 4]>,
}

impl DecodedCode {
    /// The payload as text, if it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.content).ok()
    }
}

impl std::fmt::Debug for DecodedCode {
    // The payload is personal data (a health-insurance credential): only
    // its length is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedCode")
            .field("content_len", &self.content.len())
            .field("corners", &self.corners)
            .finish()
    }
}

/// A QR decoding backend.
///
/// Implementations must find every code in the frame, return `Ok(vec![])`
/// when there is none, and never let a panic escape (see [`guarded`] for the
/// helper the built-in backends use).
pub trait QrDecoder: Send + Sync {
    /// A short, stable name (`"strategy"`, `"rxing"`, `"quircs"`,
    /// `"zxing-cpp"`) for logs and reports.
    fn name(&self) -> &'static str;
    /// Every QR code in `frame`.
    ///
    /// # Errors
    ///
    /// [`QrError::CodeUnreadable`] when a code was seen but none could be
    /// read, [`QrError::DecoderPanicked`] / [`QrError::Decoder`] when the
    /// backend failed.
    fn decode(&self, frame: &LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error>;
}

/// The decoding strategy the SDK uses unless told otherwise
/// ([`default_decoder`], the facade's `Terminal`, the camera scanner):
/// [`QrStrategy::new`] (the pure-Rust passes, pre-scan on, no time budget).
/// It reads every inverted (dark-mode) code of the test corpora and more
/// codes than any single backend, chosen by measurement
/// (`docs/performance.md`, "QR strategy"). With the `zxing-cpp` feature it
/// stays the pure-Rust strategy unless the caller asks for
/// `QrStrategy::with_zxing_cpp` (`docs/performance.md`, "zxing-cpp
/// backend", for why). A camera loop adds a time budget
/// ([`QrStrategy::with_budget`]).
pub fn default_strategy() -> QrStrategy {
    QrStrategy::new()
}

/// The decoder the SDK uses unless told otherwise: [`default_strategy`]
/// behind the [`QrDecoder`] trait (its [`QrDecoder::name`] is
/// `"strategy"`).
pub fn default_decoder() -> Box<dyn QrDecoder> {
    Box::new(default_strategy())
}

/// A built-in decoder by its [`QrDecoder::name`]: `"strategy"` (the
/// default, [`default_strategy`]) or one of [`decoders`]. `None` for any
/// other name.
pub fn decoder_named(name: &str) -> Option<Box<dyn QrDecoder>> {
    if name == "strategy" {
        return Some(default_decoder());
    }
    decoders().into_iter().find(|d| d.name() == name)
}

/// Every built-in single backend, for comparisons: [`RxingDecoder`],
/// [`QuircsDecoder`] and (`ZxingCppDecoder`, with the `zxing-cpp`
/// feature). The default decoder is the strategy over them
/// ([`default_decoder`]), not one of these.
pub fn decoders() -> Vec<Box<dyn QrDecoder>> {
    vec![
        Box::new(RxingDecoder),
        Box::new(QuircsDecoder),
        #[cfg(feature = "zxing-cpp")]
        Box::new(ZxingCppDecoder),
    ]
}

/// Runs a backend's decoding, turning a panic into
/// [`QrError::DecoderPanicked`]; for implementations of [`QrDecoder`].
///
/// # Errors
///
/// The closure's own error, or [`QrError::DecoderPanicked`] if it panicked.
pub fn guarded<F>(decoder: &'static str, f: F) -> Result<Vec<DecodedCode>, Error>
where
    F: FnOnce() -> Result<Vec<DecodedCode>, Error>,
{
    // AssertUnwindSafe: the closures borrow the frame immutably and build
    // their state locally; nothing half-updated survives a caught panic.
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(QrError::DecoderPanicked { decoder }.into()))
}
