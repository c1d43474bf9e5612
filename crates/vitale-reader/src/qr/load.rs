//! Image files (PNG, JPEG, WebP, GIF) to grey images, within size limits.

use std::io::{Cursor, Read};
use std::path::Path;

use image::{DynamicImage, ImageError, ImageReader, Limits};

use super::{ImageDamage, LumaImage, MAX_FILE_BYTES, MAX_PIXELS, QrError};
use crate::Error;

/// Most bytes one decoded pixel may take inside `image` (16-bit RGBA).
const MAX_BYTES_PER_PIXEL: u64 = 8;

/// Decodes a PNG, JPEG, WebP or GIF (first frame) image to grey.
///
/// The format is recognised from the content, not from a file name.
/// Transparent pixels are composed over white (a QR code drawn on a
/// transparent background stays readable). The image's dimensions are
/// checked against [`MAX_PIXELS`] before its pixels are decoded.
///
/// # Errors
///
/// [`QrError::TooLarge`] above [`MAX_FILE_BYTES`] or [`MAX_PIXELS`],
/// [`QrError::UnsupportedFormat`] for anything but the four formats,
/// [`QrError::CorruptImage`] for damaged data.
pub fn load_image(bytes: &[u8]) -> Result<LumaImage, Error> {
    load_image_within(bytes, MAX_PIXELS)
}

/// [`load_image`] with a lower pixel limit than [`MAX_PIXELS`]: for a
/// source known to give small pictures (a scanner's snapshot, a
/// thumbnail), or to keep a batch's memory low. The limit is
/// `min(max_pixels, MAX_PIXELS)`, checked from the image's header before
/// any pixel is decoded.
///
/// # Errors
///
/// As [`load_image`], [`QrError::TooLarge`] above the lower limit.
pub fn load_image_within(bytes: &[u8], max_pixels: u64) -> Result<LumaImage, Error> {
    let max_pixels = max_pixels.min(MAX_PIXELS);
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_FILE_BYTES {
        return Err(too_large("file bytes", len, MAX_FILE_BYTES));
    }
    let first = reader(bytes)?;
    let format = format_name(first.format());
    let (width, height) = first
        .into_dimensions()
        .map_err(|e| map_image_error(e, format))?;
    let count = u64::from(width) * u64::from(height);
    if count > max_pixels {
        return Err(too_large("pixels", count, max_pixels));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(max_pixels.saturating_mul(MAX_BYTES_PER_PIXEL).max(1 << 20));
    let mut reader = reader(bytes)?;
    reader.limits(limits);
    let image = reader.decode().map_err(|e| map_image_error(e, format))?;
    to_luma(image)
}

/// Reads and decodes an image file; see [`load_image`].
///
/// # Errors
///
/// [`QrError::Io`] when the file cannot be read, otherwise as
/// [`load_image`]. The file's size is checked before it is read.
pub fn load_image_file(path: &Path) -> Result<LumaImage, Error> {
    let file = std::fs::File::open(path).map_err(QrError::Io)?;
    let len = file.metadata().map_err(QrError::Io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_large("file bytes", len, MAX_FILE_BYTES));
    }
    let mut bytes = Vec::new();
    // The file may grow between `metadata` and `read`: read one byte past
    // the limit at most, and let `load_image` refuse it.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(QrError::Io)?;
    load_image(&bytes)
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, Error> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(QrError::Io)?;
    match reader.format() {
        Some(
            image::ImageFormat::Png
            | image::ImageFormat::Jpeg
            | image::ImageFormat::WebP
            | image::ImageFormat::Gif,
        ) => Ok(reader),
        _ => Err(QrError::UnsupportedFormat.into()),
    }
}

fn too_large(what: &'static str, actual: u64, limit: u64) -> Error {
    QrError::TooLarge {
        what,
        actual,
        limit,
    }
    .into()
}

fn format_name(format: Option<image::ImageFormat>) -> &'static str {
    match format {
        Some(image::ImageFormat::Png) => "PNG",
        Some(image::ImageFormat::Jpeg) => "JPEG",
        Some(image::ImageFormat::WebP) => "WebP",
        Some(image::ImageFormat::Gif) => "GIF",
        _ => "image",
    }
}

/// The decoder's error as a kind of damage: its own text is not kept (it
/// may hold Rust `Debug` output), only whether the data ended too early.
fn damage(e: &ImageError, format: &'static str) -> ImageDamage {
    let eof = |io: &std::io::Error| io.kind() == std::io::ErrorKind::UnexpectedEof;
    let mut truncated = matches!(e, ImageError::IoError(io) if eof(io));
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        truncated |= cause.downcast_ref::<std::io::Error>().is_some_and(eof);
        source = cause.source();
    }
    // Some decoders report a short file only in their message.
    let text = e.to_string().to_ascii_lowercase();
    truncated |= ["end of file", "eof", "not enough bytes", "truncated"]
        .iter()
        .any(|needle| text.contains(needle));
    if truncated {
        ImageDamage::Truncated { format }
    } else {
        ImageDamage::Damaged { format }
    }
}

fn map_image_error(e: ImageError, format: &'static str) -> Error {
    match e {
        ImageError::Unsupported(_) => QrError::UnsupportedFormat.into(),
        ImageError::Limits(_) => QrError::TooLarge {
            what: "pixels",
            actual: 0,
            limit: MAX_PIXELS,
        }
        .into(),
        other => QrError::CorruptImage(damage(&other, format)).into(),
    }
}

/// Grey from any colour type; alpha composed over white.
fn to_luma(image: DynamicImage) -> Result<LumaImage, Error> {
    let (width, height) = (image.width(), image.height());
    let pixels = if image.color().has_alpha() {
        image
            .to_luma_alpha8()
            .pixels()
            .map(|p| {
                let [l, a] = p.0;
                let (l, a) = (u32::from(l), u32::from(a));
                // l·a + 255·(255 − a), over 255: at most 255.
                u8::try_from((l * a + 255 * (255 - a) + 127) / 255).unwrap_or(u8::MAX)
            })
            .collect()
    } else {
        image.into_luma8().into_raw()
    };
    LumaImage::new(width, height, pixels)
}
