//! The pictures a [`QrStrategy`](super::QrStrategy) pass reads: the frame
//! inverted (dark-mode codes), halved (big blurred modules, large frames)
//! or doubled (tiny modules). Packed `width × height` grey buffers.

/// A packed grey picture: `width × height` bytes, row by row.
#[derive(Clone)]
pub(crate) struct Packed {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) pixels: Vec<u8>,
}

/// Light and dark swapped: `255 − p`.
pub(crate) fn invert(pixels: &[u8]) -> Vec<u8> {
    pixels.iter().map(|p| 255 - p).collect()
}

/// Half the size, each pixel the mean of a 2 × 2 block (an odd last row or
/// column is dropped). `None` when a side would be 0.
pub(crate) fn halve(pixels: &[u8], width: usize, height: usize) -> Option<Packed> {
    let (w, h) = (width / 2, height / 2);
    if w == 0 || h == 0 {
        return None;
    }
    let mut out = Vec::with_capacity(w * h);
    let mut rows = pixels.chunks_exact(width);
    while let (Some(top), Some(bottom)) = (rows.next(), rows.next()) {
        out.extend(
            top.chunks_exact(2)
                .zip(bottom.chunks_exact(2))
                .map(|(a, b)| match (a, b) {
                    ([a0, a1], [b0, b1]) => {
                        let sum = u16::from(*a0) + u16::from(*a1) + u16::from(*b0) + u16::from(*b1);
                        // The mean of four bytes fits in a byte.
                        u8::try_from((sum + 2) / 4).unwrap_or(u8::MAX)
                    }
                    _ => 0,
                }),
        );
    }
    Some(Packed {
        width: w,
        height: h,
        pixels: out,
    })
}

/// Twice the size, bilinear (pixel centres aligned, edges repeated).
/// `None` when the result would exceed `max_pixels`.
pub(crate) fn double(
    pixels: &[u8],
    width: usize,
    height: usize,
    max_pixels: u64,
) -> Option<Packed> {
    let (w, h) = (width.checked_mul(2)?, height.checked_mul(2)?);
    if (w as u64).saturating_mul(h as u64) > max_pixels || width == 0 || height == 0 {
        return None;
    }
    // Output pixel 2i sits a quarter pixel left of input i, 2i+1 a quarter
    // right: weights 1:3 and 3:1 with the neighbour on that side.
    let mut wide = Vec::with_capacity(w * height);
    for row in pixels.chunks_exact(width).take(height) {
        for (i, &p) in row.iter().enumerate() {
            let left = row.get(i.wrapping_sub(1)).copied().unwrap_or(p);
            let right = row.get(i + 1).copied().unwrap_or(p);
            wide.push(mix(left, p));
            wide.push(mix(right, p));
        }
    }
    let mut out = Vec::with_capacity(w * h);
    let wide_rows: Vec<&[u8]> = wide.chunks_exact(w).collect();
    for (j, row) in wide_rows.iter().enumerate() {
        let above = wide_rows.get(j.wrapping_sub(1)).copied().unwrap_or(row);
        let below = wide_rows.get(j + 1).copied().unwrap_or(row);
        out.extend(above.iter().zip(row.iter()).map(|(&a, &p)| mix(a, p)));
        out.extend(below.iter().zip(row.iter()).map(|(&b, &p)| mix(b, p)));
    }
    Some(Packed {
        width: w,
        height: h,
        pixels: out,
    })
}

/// `(other + 3 × near) / 4`, rounded.
fn mix(other: u8, near: u8) -> u8 {
    let v = (u16::from(other) + 3 * u16::from(near) + 2) / 4;
    u8::try_from(v).unwrap_or(u8::MAX)
}
