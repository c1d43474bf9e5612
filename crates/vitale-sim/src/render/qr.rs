//! QR encoding (one alphanumeric segment, ECC level M) and its raster and
//! vector renderings.

use std::fmt::Write as _;
use std::path::Path;

use qrcode::bits::Bits;
use qrcode::types::QrError;
use qrcode::{Color, EcLevel, QrCode, Version};

use super::LumaImage;
use super::grey;
use super::{MAX_DIMENSION, RenderError};

/// How a QR code is drawn.
///
/// | field | default | accepted |
/// |---|---|---|
/// | `module_px` | 4 | 1 to [`RenderOptions::MAX_MODULE_PX`] |
/// | `quiet_zone` | 4 modules (ISO/IEC 18004 minimum) | 0 to [`RenderOptions::MAX_QUIET_ZONE`] |
/// | `dark`, `light` | 0, 255 | any; `dark` must be darker than `light` for a reader |
///
/// The image is `(modules + 2 × quiet_zone) × module_px` pixels a side
/// (modules: 21 for version 1 to 177 for version 40), at most
/// [`MAX_DIMENSION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RenderOptions {
    /// Side of one module, in pixels.
    pub module_px: u32,
    /// Light margin around the symbol, in modules.
    pub quiet_zone: u32,
    /// Grey level of dark modules.
    pub dark: u8,
    /// Grey level of light modules and of the quiet zone.
    pub light: u8,
}

impl RenderOptions {
    /// Largest accepted module size, in pixels.
    pub const MAX_MODULE_PX: u32 = 32;
    /// Largest accepted quiet zone, in modules.
    pub const MAX_QUIET_ZONE: u32 = 40;

    /// The defaults with another module size.
    pub fn with_module_px(module_px: u32) -> Self {
        RenderOptions {
            module_px,
            ..Self::default()
        }
    }

    fn check(&self) -> Result<(), RenderError> {
        if !(1..=Self::MAX_MODULE_PX).contains(&self.module_px) {
            return Err(RenderError::Options("module_px must be 1 to 32"));
        }
        if self.quiet_zone > Self::MAX_QUIET_ZONE {
            return Err(RenderError::Options("quiet_zone must be 0 to 40"));
        }
        Ok(())
    }
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            module_px: 4,
            quiet_zone: 4,
            dark: 0,
            light: 255,
        }
    }
}

/// The module grid of a QR code: `side × side` booleans, `true` dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    side: u32,
    version: u8,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` as **one alphanumeric segment** at ECC level M in the
    /// smallest QR version (1 to 40) that holds it — the form
    /// `docs/format.md` §7 prescribes for `VT1:` texts.
    ///
    /// The `qrcode` crate's automatic mode would split long digit runs into
    /// numeric segments; building the segment ourselves keeps the symbol
    /// exactly as specified.
    ///
    /// # Errors
    /// [`RenderError::NotAlphanumeric`] for a character outside `0–9 A–Z`,
    /// space and `$%*+-./:`; [`RenderError::TooLong`] beyond 3 391
    /// characters (version 40-M).
    pub fn encode(text: &str) -> Result<Self, RenderError> {
        if let Some(position) = text.bytes().position(|b| !is_alphanumeric(b)) {
            return Err(RenderError::NotAlphanumeric { position });
        }
        for v in 1..=40_i16 {
            let mut bits = Bits::new(Version::Normal(v));
            match bits
                .push_alphanumeric_data(text.as_bytes())
                .and_then(|()| bits.push_terminator(EcLevel::M))
            {
                Ok(()) => {}
                Err(QrError::DataTooLong) => continue,
                Err(e) => return Err(RenderError::Qr(qr_error_name(e))),
            }
            let code = QrCode::with_bits(bits, EcLevel::M)
                .map_err(|e| RenderError::Qr(qr_error_name(e)))?;
            let side = u32::try_from(code.width()).map_err(|_| RenderError::Qr("width"))?;
            let dark = code.to_colors().iter().map(|c| *c == Color::Dark).collect();
            return Ok(QrMatrix {
                side,
                version: u8::try_from(v).map_err(|_| RenderError::Qr("version"))?,
                dark,
            });
        }
        Err(RenderError::TooLong { chars: text.len() })
    }

    /// Modules a side (21 to 177).
    pub fn side(&self) -> u32 {
        self.side
    }

    /// The QR version, 1 to 40.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Whether the module at column `x`, row `y` is dark (`false` outside).
    pub fn is_dark(&self, x: u32, y: u32) -> bool {
        if x >= self.side || y >= self.side {
            return false;
        }
        let index = (y as usize) * (self.side as usize) + (x as usize);
        self.dark.get(index).copied().unwrap_or(false)
    }

    /// Number of dark modules.
    pub fn dark_count(&self) -> usize {
        self.dark.iter().filter(|d| **d).count()
    }

    /// The matrix drawn as an image.
    ///
    /// # Errors
    /// [`RenderError::Options`] for options out of range;
    /// [`RenderError::TooLarge`] beyond [`MAX_DIMENSION`] pixels a side.
    pub fn to_image(&self, options: &RenderOptions) -> Result<LumaImage, RenderError> {
        let side_px = self.side_px(options)?;
        let offset = options.quiet_zone.saturating_mul(options.module_px);
        let module = options.module_px.max(1);
        let image = grey::sized(side_px, side_px, |x, y| {
            let inside = x >= offset && y >= offset;
            let dark = inside && self.is_dark((x - offset) / module, (y - offset) / module);
            if dark { options.dark } else { options.light }
        });
        Ok(image)
    }

    /// The matrix as an SVG document: a light background and one `<path>`
    /// of unit squares for the dark modules, in a `viewBox` measured in
    /// modules, drawn with `shape-rendering="crispEdges"`; `width` and
    /// `height` are the pixel size [`QrMatrix::to_image`] would have.
    ///
    /// # Errors
    /// As [`QrMatrix::to_image`].
    pub fn to_svg(&self, options: &RenderOptions) -> Result<String, RenderError> {
        let side_px = self.side_px(options)?;
        let view = self.side + 2 * options.quiet_zone;
        let q = options.quiet_zone;
        let mut path = String::with_capacity(self.dark_count().saturating_mul(16));
        for y in 0..self.side {
            for x in 0..self.side {
                if self.is_dark(x, y) {
                    // Writing to a String cannot fail.
                    let _ = write!(path, "M{} {}h1v1h-1z", x + q, y + q);
                }
            }
        }
        let (dark, light) = (options.dark, options.light);
        Ok(format!(
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" ",
                "width=\"{px}\" height=\"{px}\" viewBox=\"0 0 {view} {view}\" ",
                "shape-rendering=\"crispEdges\">\n",
                "<rect width=\"{view}\" height=\"{view}\" fill=\"#{light:02x}{light:02x}{light:02x}\"/>\n",
                "<path fill=\"#{dark:02x}{dark:02x}{dark:02x}\" d=\"{path}\"/>\n",
                "</svg>\n"
            ),
            px = side_px,
            view = view,
            light = light,
            dark = dark,
            path = path,
        ))
    }

    fn side_px(&self, options: &RenderOptions) -> Result<u32, RenderError> {
        options.check()?;
        let side_px = self
            .side
            .checked_add(options.quiet_zone.saturating_mul(2))
            .and_then(|m| m.checked_mul(options.module_px))
            .unwrap_or(u32::MAX);
        if side_px > MAX_DIMENSION {
            return Err(RenderError::TooLarge {
                width: side_px,
                height: side_px,
            });
        }
        Ok(side_px)
    }
}

/// Renders `text` (normally a `VT1:` presentation text) as a QR code image:
/// one alphanumeric segment, ECC level M, smallest version, drawn per
/// `options`.
///
/// ```
/// use vitale_sim::render::{RenderOptions, render_qr};
///
/// let image = render_qr("VT1:HELLO", &RenderOptions::default())?;
/// assert_eq!(image.width(), (21 + 8) * 4);
/// # Ok::<(), vitale_sim::render::RenderError>(())
/// ```
///
/// # Errors
/// As [`QrMatrix::encode`] and [`QrMatrix::to_image`].
pub fn render_qr(text: &str, options: &RenderOptions) -> Result<LumaImage, RenderError> {
    QrMatrix::encode(text)?.to_image(options)
}

/// The same code as [`render_qr`], as an SVG document
/// ([`QrMatrix::to_svg`]).
///
/// # Errors
/// As [`render_qr`].
pub fn to_svg(text: &str, options: &RenderOptions) -> Result<String, RenderError> {
    QrMatrix::encode(text)?.to_svg(options)
}

/// Writes [`to_svg`] to a file.
///
/// # Errors
/// As [`render_qr`]; [`RenderError::Io`] when the file cannot be written.
pub fn write_svg(
    text: &str,
    options: &RenderOptions,
    path: impl AsRef<Path>,
) -> Result<(), RenderError> {
    std::fs::write(path, to_svg(text, options)?).map_err(RenderError::Io)
}

/// Whether `b` is in the QR alphanumeric set (ISO/IEC 18004 table 5),
/// which is also the Base45 alphabet.
pub(crate) fn is_alphanumeric(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'A'..=b'Z' | b' ' | b'$' | b'%' | b'*' | b'+' | b'-' | b'.' | b'/' | b':')
}

fn qr_error_name(e: QrError) -> &'static str {
    match e {
        QrError::DataTooLong => "data too long",
        QrError::InvalidVersion => "invalid version",
        QrError::UnsupportedCharacterSet => "unsupported character set",
        QrError::InvalidEciDesignator => "invalid ECI designator",
        QrError::InvalidCharacter => "invalid character",
    }
}
