//! The `zxing-cpp` backend (feature `zxing-cpp`): zxing-cpp's C++ reader
//! through the `zxing-cpp` crate's safe API (its own `unsafe` stays in that
//! crate; this one keeps `#![forbid(unsafe_code)]`).

use zxingcpp::{
    BarcodeError, BarcodeFormat, BarcodeReader, ContentType, ImageFormat, ImageView, TextMode,
};

use super::strategy::{Binarizer, Engine, Pass, QrStrategy, Rescale};
use super::{DecodedCode, LumaFrame, QrDecoder, QrError, guarded};
use crate::Error;

#[cfg(test)]
mod tests;

/// QR decoding with zxing-cpp (the C++ library ZXing's Java code was ported
/// to and then far beyond), QR codes only, every code in the frame, with
/// zxing-cpp's own defaults: try harder, inverted codes (dark mode),
/// downscaled retries, local-average binarizer. Needs the `zxing-cpp`
/// feature, whose bundled build needs cmake and a C++ compiler.
///
/// This is "bare zxing-cpp" in `docs/performance.md`; the strategy engine
/// [`Engine::ZxingCpp`] reads one picture per pass instead and leaves
/// inversion and rescaling to the [`Pass`]es.
#[derive(Debug, Default, Clone, Copy)]
pub struct ZxingCppDecoder;

impl QrDecoder for ZxingCppDecoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decode(&self, frame: &LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
        guarded(NAME, || {
            let pixels = frame.packed();
            read(
                &pixels,
                frame.width(),
                frame.height(),
                Options {
                    binarizer: zxingcpp::Binarizer::LocalAverage,
                    retries: true,
                },
            )
        })
    }
}

/// The decoder's [`QrDecoder::name`].
const NAME: &str = "zxing-cpp";

/// Variants of zxing-cpp's `QRCode` symbology that are not full-size QR
/// codes: read by its QR reader, not returned here.
const NOT_QR: [BarcodeFormat; 2] = [BarcodeFormat::MicroQRCode, BarcodeFormat::RMQRCode];

/// How one zxing-cpp call reads.
#[derive(Clone, Copy)]
struct Options {
    binarizer: zxingcpp::Binarizer,
    /// zxing-cpp's own inverted and downscaled retries.
    retries: bool,
}

/// Decodes `width × height` packed grey pixels with zxing-cpp as one
/// strategy pass: this binarizer, no retries of its own (the passes invert
/// and rescale).
pub(crate) fn decode_packed(
    pixels: &[u8],
    width: u32,
    height: u32,
    binarizer: Binarizer,
) -> Result<Vec<DecodedCode>, Error> {
    let binarizer = match binarizer {
        Binarizer::Hybrid => zxingcpp::Binarizer::LocalAverage,
        Binarizer::GlobalHistogram => zxingcpp::Binarizer::GlobalHistogram,
    };
    read(
        pixels,
        width,
        height,
        Options {
            binarizer,
            retries: false,
        },
    )
}

fn read(pixels: &[u8], width: u32, height: u32, opts: Options) -> Result<Vec<DecodedCode>, Error> {
    // The frame's geometry was checked against MAX_PIXELS and the buffer
    // when it was made; zxing-cpp checks it again (`from_slice`).
    let view = ImageView::from_slice(pixels, width, height, ImageFormat::Lum)
        .map_err(|e| backend_error(&e))?;
    let reader = BarcodeReader::new()
        .formats([BarcodeFormat::QRCode])
        .try_harder(true)
        .try_rotate(false)
        .try_invert(opts.retries)
        .try_downscale(opts.retries)
        .binarizer(opts.binarizer)
        // The payload's text as encoded, without GS1 or other formatting.
        .text_mode(TextMode::Plain)
        // Codes found but not read come back with their error, so that
        // "seen, unreadable" is told apart from "no code".
        .return_errors(true);
    let found = reader.from(view).map_err(|e| backend_error(&e))?;
    let mut codes = Vec::new();
    let mut unreadable = false;
    for barcode in &found {
        if barcode.symbology() != BarcodeFormat::QRCode || NOT_QR.contains(&barcode.format()) {
            continue;
        }
        if !barcode.is_valid() || barcode.error() != BarcodeError::None() {
            unreadable = true;
            continue;
        }
        let p = barcode.position();
        let corners = [p.top_left, p.top_right, p.bottom_right, p.bottom_left]
            .map(|c| (c.x as f32, c.y as f32));
        // Text as UTF-8, as rxing returns it (zxing-cpp decodes the
        // segments' character sets: Latin-1, Shift-JIS, ECI); binary
        // payloads as their bytes.
        let content = match barcode.content_type() {
            ContentType::Binary => barcode.bytes(),
            _ => barcode.text().into_bytes(),
        };
        codes.push(DecodedCode {
            content,
            corners: Some(corners),
        });
    }
    if codes.is_empty() && unreadable {
        return Err(QrError::CodeUnreadable { decoder: NAME }.into());
    }
    Ok(codes)
}

fn backend_error(e: &zxingcpp::Error) -> Error {
    QrError::Decoder {
        decoder: NAME,
        message: e.to_string(),
    }
    .into()
}

/// The passes of [`QrStrategy::with_zxing_cpp`], in order.
pub const ZXING_CPP_PASSES: [Pass; 7] = [
    Pass::new(Engine::ZxingCpp(Binarizer::Hybrid)),
    Pass::new(Engine::ZxingCpp(Binarizer::Hybrid)).inverted(),
    Pass::new(Engine::Rxing(Binarizer::GlobalHistogram)).inverted(),
    Pass::new(Engine::Rxing(Binarizer::Hybrid)),
    Pass::new(Engine::Rxing(Binarizer::GlobalHistogram)),
    Pass::new(Engine::Rxing(Binarizer::Hybrid)).at(Rescale::Half),
    Pass::new(Engine::Rxing(Binarizer::Hybrid)).at(Rescale::Double),
];

impl QrStrategy {
    /// The cascade with zxing-cpp (feature `zxing-cpp`):
    /// [`ZXING_CPP_PASSES`], the pre-scan on, no time budget.
    pub fn with_zxing_cpp() -> Self {
        Self::with_passes(ZXING_CPP_PASSES.to_vec())
    }
}
