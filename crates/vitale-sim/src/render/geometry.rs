//! Plane geometry for the warps: quadrilaterals, homographies (closed-form
//! square-to-quad, after Heckbert 1989) and inverse-mapping resampling.

use super::LumaImage;
use super::grey::{self, Sampling as _};
use super::perturb::to_level;

/// Four corners, clockwise from top-left, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Quad(pub(crate) [(f32, f32); 4]);

impl Quad {
    /// Whether the quad is strictly convex (no three corners in line, no
    /// crossing edges).
    pub(crate) fn is_convex(&self) -> bool {
        let [a, b, c, d] = self.0;
        let turns = [(a, b, c), (b, c, d), (c, d, a), (d, a, b)]
            .map(|(p, q, r)| (q.0 - p.0) * (r.1 - q.1) - (q.1 - p.1) * (r.0 - q.0));
        turns.iter().all(|t| t.is_finite() && *t > 1e-3) || turns.iter().all(|t| *t < -1e-3)
    }
}

/// A 3×3 projective transform, row-major, acting on `(x, y, 1)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Homography([f64; 9]);

impl Homography {
    /// The transform taking the unit square's corners (0,0), (1,0), (1,1),
    /// (0,1) to the quad's; `None` if the quad is degenerate.
    fn square_to_quad(q: &Quad) -> Option<Self> {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] =
            q.0.map(|(x, y)| (f64::from(x), f64::from(y)));
        let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
        let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
        let det = dx1 * dy2 - dx2 * dy1;
        if !det.is_finite() || det.abs() < 1e-12 {
            return None;
        }
        let g = (dx3 * dy2 - dx2 * dy3) / det;
        let h = (dx1 * dy3 - dx3 * dy1) / det;
        Some(Homography([
            x1 - x0 + g * x1,
            x3 - x0 + h * x3,
            x0,
            y1 - y0 + g * y1,
            y3 - y0 + h * y3,
            y0,
            g,
            h,
            1.0,
        ]))
    }

    /// The inverse transform, `None` if singular.
    fn inverse(&self) -> Option<Self> {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        let (ca, cb, cc) = (e * i - f * h, f * g - d * i, d * h - e * g);
        let det = a * ca + b * cb + c * cc;
        if !det.is_finite() || det.abs() < 1e-12 {
            return None;
        }
        let adj = [
            ca,
            c * h - b * i,
            b * f - c * e,
            cb,
            a * i - c * g,
            c * d - a * f,
            cc,
            b * g - a * h,
            a * e - b * d,
        ];
        Some(Homography(adj.map(|v| v / det)))
    }

    /// `self` after `first`.
    fn after(&self, first: &Self) -> Self {
        let [a0, a1, a2, a3, a4, a5, a6, a7, a8] = self.0;
        let [b0, b1, b2, b3, b4, b5, b6, b7, b8] = first.0;
        Homography([
            a0 * b0 + a1 * b3 + a2 * b6,
            a0 * b1 + a1 * b4 + a2 * b7,
            a0 * b2 + a1 * b5 + a2 * b8,
            a3 * b0 + a4 * b3 + a5 * b6,
            a3 * b1 + a4 * b4 + a5 * b7,
            a3 * b2 + a4 * b5 + a5 * b8,
            a6 * b0 + a7 * b3 + a8 * b6,
            a6 * b1 + a7 * b4 + a8 * b7,
            a6 * b2 + a7 * b5 + a8 * b8,
        ])
    }

    /// The transform taking `from`'s corners to `to`'s; `None` if either
    /// quad is degenerate.
    pub(crate) fn from_quads(from: &Quad, to: &Quad) -> Option<Self> {
        let s_from = Self::square_to_quad(from)?.inverse()?;
        Some(Self::square_to_quad(to)?.after(&s_from))
    }

    /// Maps a point; points sent to infinity come back as `NaN`, which
    /// sampling treats as outside.
    pub(crate) fn map(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        let (x, y) = (f64::from(x), f64::from(y));
        let w = g * x + h * y + i;
        if w.abs() < 1e-12 {
            return (f32::NAN, f32::NAN);
        }
        (
            ((a * x + b * y + c) / w) as f32,
            ((d * x + e * y + f) / w) as f32,
        )
    }
}

/// A `width × height` image whose pixel `(x, y)` is the average of
/// bilinear samples of `source` at `map(point)` for `n × n` points spread
/// over the pixel, `n = ceil(footprint)` clamped to 1..=8 (`footprint`:
/// source pixels per output pixel, so shrinking averages instead of
/// skipping). Samples outside `source` take the `background` level.
pub(crate) fn resample(
    source: &LumaImage,
    width: u32,
    height: u32,
    background: u8,
    map: impl Fn(f32, f32) -> (f32, f32),
    footprint: f32,
) -> LumaImage {
    let n = if footprint.is_finite() {
        footprint.ceil().clamp(1.0, 8.0) as u32
    } else {
        1
    };
    let step = 1.0 / n as f32;
    let count = (n * n) as f32;
    grey::sized(width, height, |x, y| {
        let mut acc = 0.0_f32;
        for j in 0..n {
            for i in 0..n {
                let px = x as f32 + (i as f32 + 0.5) * step;
                let py = y as f32 + (j as f32 + 0.5) * step;
                let (sx, sy) = map(px, py);
                acc += source.sample(sx, sy).unwrap_or(f32::from(background));
            }
        }
        to_level(acc / count)
    })
}

/// Like [`resample`] but over an existing image: only pixels whose sample
/// points fall inside `source` change, blended by the covered fraction
/// (for pasting a turned layer onto a background).
pub(crate) fn paste(
    target: &LumaImage,
    source: &LumaImage,
    map: impl Fn(f32, f32) -> (f32, f32),
    footprint: f32,
    bounds: (u32, u32, u32, u32),
) -> LumaImage {
    let n = if footprint.is_finite() {
        footprint.ceil().clamp(1.0, 8.0) as u32
    } else {
        1
    };
    let step = 1.0 / n as f32;
    let count = (n * n) as f32;
    let (bx0, by0, bx1, by1) = bounds;
    grey::same_size(target, |x, y| {
        let under = target.get(x, y).unwrap_or(255);
        if x < bx0 || y < by0 || x >= bx1 || y >= by1 {
            return under;
        }
        let mut acc = 0.0_f32;
        let mut hits = 0.0_f32;
        for j in 0..n {
            for i in 0..n {
                let px = x as f32 + (i as f32 + 0.5) * step;
                let py = y as f32 + (j as f32 + 0.5) * step;
                let (sx, sy) = map(px, py);
                if let Some(v) = source.sample(sx, sy) {
                    acc += v;
                    hits += 1.0;
                }
            }
        }
        if hits == 0.0 {
            return under;
        }
        to_level((acc + f32::from(under) * (count - hits)) / count)
    })
}
