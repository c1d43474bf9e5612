//! The `quircs` backend (a Rust port of quirc).

use super::{DecodedCode, LumaFrame, QrDecoder, QrError, guarded};
use crate::Error;

/// QR decoding with `quircs`: Otsu thresholding, finder-pattern grouping,
/// perspective sampling. Codes that fail to decode are retried mirrored
/// (as quirc's C library does), which reads codes shown through a selfie
/// camera.
#[derive(Debug, Default, Clone, Copy)]
pub struct QuircsDecoder;

impl QrDecoder for QuircsDecoder {
    fn name(&self) -> &'static str {
        "quircs"
    }

    fn decode(&self, frame: &LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
        guarded(self.name(), || decode(self.name(), frame))
    }
}

fn decode(name: &'static str, frame: &LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
    let pixels = frame.packed();
    // Lossless: frame sizes are bounded by MAX_PIXELS.
    decode_packed(
        name,
        &pixels,
        frame.width() as usize,
        frame.height() as usize,
    )
}

/// Decodes `w × h` packed grey pixels (the passes of
/// [`QrStrategy`](super::QrStrategy) call this directly).
pub(crate) fn decode_packed(
    name: &'static str,
    pixels: &[u8],
    w: usize,
    h: usize,
) -> Result<Vec<DecodedCode>, Error> {
    let mut quirc = quircs::Quirc::new();
    let mut found = Vec::new();
    let mut failed = 0usize;
    for code in quirc.identify(w, h, pixels) {
        let Ok(code) = code else {
            failed += 1;
            continue;
        };
        let data = match code.decode() {
            Ok(data) => Ok(data),
            Err(_) => mirrored(&code).decode(),
        };
        match data {
            Ok(data) => found.push(DecodedCode {
                content: data.payload,
                corners: Some(code.corners.map(|p| (p.x as f32, p.y as f32))),
            }),
            Err(_) => failed += 1,
        }
    }
    if found.is_empty() && failed > 0 {
        return Err(QrError::CodeUnreadable { decoder: name }.into());
    }
    Ok(found)
}

/// The code with its grid transposed (a mirror image about the diagonal
/// through the top-left finder pattern).
fn mirrored(code: &quircs::Code) -> quircs::Code {
    let mut out = *code;
    out.cell_bitmap.fill(0);
    let size = usize::try_from(code.size).unwrap_or(0);
    for y in 0..size {
        for x in 0..size {
            let from = y * size + x;
            let to = x * size + y;
            let bit = code.cell_bitmap.get(from >> 3).copied().unwrap_or(0) >> (from & 7) & 1;
            if let Some(byte) = out.cell_bitmap.get_mut(to >> 3) {
                *byte |= bit << (to & 7);
            }
        }
    }
    out.corners.swap(1, 3);
    out
}
