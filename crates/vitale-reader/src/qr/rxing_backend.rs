//! The `rxing` backend (a Rust port of ZXing and zxing-cpp).

use std::collections::HashSet;

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::MultipleBarcodeReader;
use rxing::multi::qrcode::QRCodeMultiReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Exceptions, Luma8Source, RXingResult};

use super::{Binarizer, DecodedCode, LumaFrame, QrDecoder, QrError, guarded};
use crate::Error;

/// QR decoding with `rxing`: a hybrid (local) binarizer, then the zxing-cpp
/// multi-code reader; when it finds nothing, ZXing's multi-code reader
/// (a different finder-pattern detector) is tried on the same bitmap.
/// Mirrored codes are read.
#[derive(Debug, Default, Clone, Copy)]
pub struct RxingDecoder;

impl QrDecoder for RxingDecoder {
    fn name(&self) -> &'static str {
        "rxing"
    }

    fn decode(&self, frame: &LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
        guarded(self.name(), || decode(self.name(), frame))
    }
}

fn decode(name: &'static str, frame: &LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
    let pixels = frame.packed();
    decode_packed(
        name,
        &pixels,
        frame.width(),
        frame.height(),
        Binarizer::Hybrid,
    )
}

/// Decodes `width × height` packed grey pixels with the given binarizer
/// (the passes of [`QrStrategy`](super::QrStrategy) call this directly).
pub(crate) fn decode_packed(
    name: &'static str,
    pixels: &[u8],
    width: u32,
    height: u32,
    binarizer: Binarizer,
) -> Result<Vec<DecodedCode>, Error> {
    let source =
        Luma8Source::new_with_slice(pixels, width, height).map_err(|e| backend_error(name, &e))?;
    match binarizer {
        Binarizer::Hybrid => read_bitmap(name, BinaryBitmap::new(HybridBinarizer::new(source))),
        Binarizer::GlobalHistogram => read_bitmap(
            name,
            BinaryBitmap::new(GlobalHistogramBinarizer::new(source)),
        ),
    }
}

fn read_bitmap<B: rxing::Binarizer>(
    name: &'static str,
    mut bitmap: BinaryBitmap<B>,
) -> Result<Vec<DecodedCode>, Error> {
    let hints = DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    };

    // zxing-cpp's reader: finds every code, corners in reading order.
    let cpp = QrReader
        .decode_multiple_with_hints(&mut bitmap, &hints)
        .or_else(|e| absent(name, e))?;
    let codes: Vec<DecodedCode> = cpp.iter().filter_map(with_corners).collect();
    if !codes.is_empty() {
        return Ok(codes);
    }

    // ZXing's reader: reports finder-pattern centres, not corners.
    let java = QRCodeMultiReader::default()
        .decode_multiple_with_hints(&mut bitmap, &hints)
        .or_else(|e| absent(name, e))?;
    Ok(java
        .iter()
        .filter(|r| *r.getBarcodeFormat() == BarcodeFormat::QR_CODE)
        .map(|r| DecodedCode {
            content: r.getText().as_bytes().to_vec(),
            corners: None,
        })
        .collect())
}

/// The result as a code, if it is a full QR code (not Micro QR).
fn with_corners(r: &RXingResult) -> Option<DecodedCode> {
    if *r.getBarcodeFormat() != BarcodeFormat::QR_CODE {
        return None;
    }
    let corners = match r.getPoints() {
        [a, b, c, d] => Some([(a.x, a.y), (b.x, b.y), (c.x, c.y), (d.x, d.y)]),
        _ => None,
    };
    Some(DecodedCode {
        content: r.getText().as_bytes().to_vec(),
        corners,
    })
}

/// "Nothing found" is no code; a code that failed its checks is
/// [`QrError::CodeUnreadable`]; anything else is a backend error.
fn absent(name: &'static str, e: Exceptions) -> Result<Vec<RXingResult>, Error> {
    match e {
        Exceptions::NotFoundException(_) => Ok(Vec::new()),
        Exceptions::ChecksumException(_)
        | Exceptions::FormatException(_)
        | Exceptions::ReedSolomonException(_) => {
            Err(QrError::CodeUnreadable { decoder: name }.into())
        }
        other => Err(backend_error(name, &other)),
    }
}

fn backend_error(name: &'static str, e: &Exceptions) -> Error {
    QrError::Decoder {
        decoder: name,
        message: e.to_string(),
    }
    .into()
}
