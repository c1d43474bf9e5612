//! What the renderer needs of [`LumaImage`], the SDK's one owned grey
//! image type (it lives in `vitale-reader`): construction that cannot fail
//! within the renderer's limits, clamped pixel access and bilinear
//! sampling.

use vitale::reader::qr::{LumaImage, MAX_PIXELS};

use super::MAX_DIMENSION;

// Every image whose sides are 1 to MAX_DIMENSION is a valid `LumaImage`:
// this is what makes `sized` infallible.
const _: () = assert!((MAX_DIMENSION as u64) * (MAX_DIMENSION as u64) <= MAX_PIXELS);

/// An image whose every pixel is `f(x, y)`, with sides clamped to
/// 1..=[`MAX_DIMENSION`] (perturbations and frames make new sizes and must
/// not fail).
#[allow(clippy::expect_used)]
pub(crate) fn sized(width: u32, height: u32, f: impl FnMut(u32, u32) -> u8) -> LumaImage {
    let width = width.clamp(1, MAX_DIMENSION);
    let height = height.clamp(1, MAX_DIMENSION);
    // Invariant: both sides are 1..=MAX_DIMENSION and MAX_DIMENSION² ≤
    // MAX_PIXELS (asserted at compile time above), which is all that
    // `LumaImage::from_fn` checks.
    LumaImage::from_fn(width, height, f).expect("sides within MAX_DIMENSION")
}

/// An image of the same size as `like` whose every pixel is `f(x, y)`
/// (perturbations that keep the size: any input size is kept, even one
/// above [`MAX_DIMENSION`] loaded from a file).
#[allow(clippy::expect_used)]
pub(crate) fn same_size(like: &LumaImage, f: impl FnMut(u32, u32) -> u8) -> LumaImage {
    // Invariant: `like` is a `LumaImage`, so its sides already passed the
    // checks of `LumaImage::from_fn`.
    LumaImage::from_fn(like.width(), like.height(), f).expect("the size of a valid image")
}

/// Pixel access for resampling.
pub(crate) trait Sampling {
    /// The pixel at `(x, y)` with coordinates clamped to the image (edge
    /// pixels repeat outwards).
    fn clamped(&self, x: i64, y: i64) -> u8;

    /// Bilinear sample at `(x, y)` in pixel coordinates (pixel `i` covers
    /// `[i, i + 1)`, its centre is `i + 0.5`). Outside the image, `None`.
    fn sample(&self, x: f32, y: f32) -> Option<f32>;
}

impl Sampling for LumaImage {
    fn clamped(&self, x: i64, y: i64) -> u8 {
        let x = x.clamp(0, i64::from(self.width()) - 1);
        let y = y.clamp(0, i64::from(self.height()) - 1);
        // Both are in range after the clamp, so the conversions succeed.
        match (u32::try_from(x), u32::try_from(y)) {
            (Ok(x), Ok(y)) => self.get(x, y).unwrap_or(255),
            _ => 255,
        }
    }

    fn sample(&self, x: f32, y: f32) -> Option<f32> {
        let (w, h) = (self.width() as f32, self.height() as f32);
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
}
