//! Deterministic image perturbations: what a phone screen seen through a
//! webcam does to a QR code.
//!
//! Every operation accepts any parameter: values are clamped to the
//! documented range and non-finite numbers replaced by the neutral value,
//! so that a property test can throw anything at them. Operations that
//! change the size clamp the new sides to 1 to [`MAX_DIMENSION`]; the
//! others keep the input's size.

use super::LumaImage;
use super::MAX_DIMENSION;
use super::geometry::{Homography, Quad, resample};
use super::grey::{self, Sampling as _};
use crate::seed::Seed;

/// One perturbation, as data, so that tests can iterate over a list.
///
/// | variant | parameter ranges (clamped) | output size |
/// |---|---|---|
/// | `Scale` | `factor` 0.05 to 8 | `round(side × factor)` |
/// | `Rotate` | `degrees` any finite (modulo 360) | bounding box of the turned image, white corners |
/// | `Blur` | `radius` (Gaussian σ, px) 0 to 16 | unchanged |
/// | `Noise` | `amplitude` 0 to 255 (uniform ±amplitude) | unchanged |
/// | `Perspective` | each corner offset −0.45 to 0.45 of the side | bounding box of the moved corners |
/// | `LowContrast` | `min`, `max` 0 to 255 (swapped if `min > max`) | unchanged |
/// | `Glare` | centre −1 to 2, radius 0 to 4 (fractions), strength 0 to 1 | unchanged |
/// | `MotionBlur` | `length` 0 to 64 px, `degrees` any finite | unchanged |
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Perturbation {
    /// Resizes by `factor` (bilinear when enlarging, area average when
    /// shrinking).
    Scale {
        /// Size ratio.
        factor: f32,
    },
    /// Turns clockwise by `degrees` about the centre (bilinear); the image
    /// grows to hold the whole turned picture, on white.
    Rotate {
        /// Angle, clockwise.
        degrees: f32,
    },
    /// Gaussian blur of standard deviation `radius` pixels.
    Blur {
        /// σ in pixels.
        radius: f32,
    },
    /// Adds uniform noise in `[-amplitude, amplitude]` to every pixel,
    /// drawn from `seed`.
    Noise {
        /// Largest change of a pixel.
        amplitude: u8,
        /// Seed of the noise.
        seed: u64,
    },
    /// Moves the four corners (top-left, top-right, bottom-right,
    /// bottom-left) by `(dx, dy)` fractions of the width and height, and
    /// maps the picture with the homography this defines (inverse mapping,
    /// bilinear, white outside). A quad that is not convex leaves the
    /// image unchanged.
    Perspective {
        /// Offsets of the corners, clockwise from top-left.
        corners: [(f32, f32); 4],
    },
    /// Maps black to `min` and white to `max`, linearly.
    LowContrast {
        /// Level that black becomes.
        min: u8,
        /// Level that white becomes.
        max: u8,
    },
    /// Linear motion blur of `length` pixels at `degrees` clockwise from
    /// the x axis: the phone moved during the exposure (see
    /// [`motion_blur`](super::motion_blur)).
    MotionBlur {
        /// Streak length in pixels, 0 to 64.
        length: f32,
        /// Direction of the motion, clockwise from the x axis.
        degrees: f32,
    },
    /// Adds a bright blob, like a lamp reflected on the screen: at distance
    /// `d` from the centre, `strength × 255 × (1 − (d/r)²)²` for `d < r`.
    Glare {
        /// Centre, as fractions of the width and height.
        center: (f32, f32),
        /// Radius, as a fraction of the smaller side.
        radius: f32,
        /// Brightness at the centre, 0 to 1.
        strength: f32,
    },
}

impl Perturbation {
    /// A [`Perturbation::Noise`] whose seed derives from a scenario seed by
    /// label.
    pub fn noise_from(seed: &Seed, label: &str, amplitude: u8) -> Self {
        Perturbation::Noise {
            amplitude,
            seed: seed_u64(seed, label),
        }
    }

    /// Applies the perturbation, returning a new image.
    pub fn apply(&self, image: &LumaImage) -> LumaImage {
        match *self {
            Perturbation::Scale { factor } => scale(image, factor),
            Perturbation::Rotate { degrees } => rotate(image, degrees),
            Perturbation::Blur { radius } => blur(image, radius),
            Perturbation::Noise { amplitude, seed } => noise(image, amplitude, seed),
            Perturbation::Perspective { corners } => perspective(image, corners),
            Perturbation::LowContrast { min, max } => low_contrast(image, min, max),
            Perturbation::Glare {
                center,
                radius,
                strength,
            } => glare(image, center, radius, strength),
            Perturbation::MotionBlur { length, degrees } => {
                super::motion::motion_blur(image, length, degrees)
            }
        }
    }

    /// Applies a list of perturbations in order.
    pub fn apply_all(list: &[Perturbation], image: &LumaImage) -> LumaImage {
        list.iter().fold(image.clone(), |img, p| p.apply(&img))
    }
}

/// A `u64` derived from a scenario seed by label (for the noise and frame
/// background seeds).
pub fn seed_u64(seed: &Seed, label: &str) -> u64 {
    u64::from_be_bytes(seed.derive_bytes::<8>(&format!("render/{label}")))
}

/// SplitMix64: a tiny, fast, deterministic generator (not for secrets).
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[-amplitude, amplitude]`.
    pub(crate) fn symmetric(&mut self, amplitude: u8) -> i32 {
        let span = u64::from(amplitude) * 2 + 1;
        (self.next_u64() % span) as i32 - i32::from(amplitude)
    }
}

/// `v` if finite and within `lo..=hi` after clamping, else `neutral`.
pub(crate) fn finite_or(v: f32, neutral: f32, lo: f32, hi: f32) -> f32 {
    if v.is_finite() {
        v.clamp(lo, hi)
    } else {
        neutral
    }
}

/// Rounds and saturates to a grey level.
pub(crate) fn to_level(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// Resizes by `factor`, clamped to 0.05..=8 (non-finite: 1).
pub fn scale(image: &LumaImage, factor: f32) -> LumaImage {
    let f = finite_or(factor, 1.0, 0.05, 8.0);
    let w = ((image.width() as f32 * f).round() as u32).clamp(1, MAX_DIMENSION);
    let h = ((image.height() as f32 * f).round() as u32).clamp(1, MAX_DIMENSION);
    let (sx, sy) = (
        image.width() as f32 / w as f32,
        image.height() as f32 / h as f32,
    );
    resample(image, w, h, 255, |x, y| (x * sx, y * sy), sx.max(sy))
}

/// Turns clockwise by `degrees` (non-finite: 0), on white.
pub fn rotate(image: &LumaImage, degrees: f32) -> LumaImage {
    let d = if degrees.is_finite() {
        degrees.rem_euclid(360.0)
    } else {
        0.0
    };
    let (sin, cos) = d.to_radians().sin_cos();
    let (w, h) = (image.width() as f32, image.height() as f32);
    let ow = (w * cos.abs() + h * sin.abs()).ceil() as u32;
    let oh = (w * sin.abs() + h * cos.abs()).ceil() as u32;
    let (ow, oh) = (ow.clamp(1, MAX_DIMENSION), oh.clamp(1, MAX_DIMENSION));
    let (cx, cy) = (w / 2.0, h / 2.0);
    let (ocx, ocy) = (ow as f32 / 2.0, oh as f32 / 2.0);
    // Inverse mapping: output point → source point (turn back).
    resample(
        image,
        ow,
        oh,
        255,
        |x, y| {
            let (dx, dy) = (x - ocx, y - ocy);
            (cx + dx * cos + dy * sin, cy - dx * sin + dy * cos)
        },
        1.0,
    )
}

/// Gaussian blur of σ = `radius` px, clamped to 0..=16 (non-finite: 0);
/// edges repeat outwards.
pub fn blur(image: &LumaImage, radius: f32) -> LumaImage {
    let sigma = finite_or(radius, 0.0, 0.0, 16.0);
    if sigma < 0.05 {
        return image.clone();
    }
    let reach = (sigma * 3.0).ceil() as i64;
    let kernel: Vec<f32> = (-reach..=reach)
        .map(|i| (-((i * i) as f32) / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = kernel.iter().sum();
    let pass = |img: &LumaImage, horizontal: bool| {
        grey::same_size(img, |x, y| {
            let acc: f32 = kernel
                .iter()
                .zip(-reach..=reach)
                .map(|(k, i)| {
                    let (sx, sy) = if horizontal {
                        (i64::from(x) + i, i64::from(y))
                    } else {
                        (i64::from(x), i64::from(y) + i)
                    };
                    k * f32::from(img.clamped(sx, sy))
                })
                .sum();
            to_level(acc / total)
        })
    };
    pass(&pass(image, true), false)
}

/// Adds uniform noise in `[-amplitude, amplitude]`, saturating.
pub fn noise(image: &LumaImage, amplitude: u8, seed: u64) -> LumaImage {
    let mut rng = SplitMix64::new(seed);
    map_pixels(image, |_, _, p| {
        let v = i32::from(p) + rng.symmetric(amplitude);
        v.clamp(0, 255) as u8
    })
}

/// Maps 0 to `min` and 255 to `max` (swapped if `min > max`).
pub fn low_contrast(image: &LumaImage, min: u8, max: u8) -> LumaImage {
    let (lo, hi) = if min <= max { (min, max) } else { (max, min) };
    let span = f32::from(hi) - f32::from(lo);
    map_pixels(image, |_, _, p| {
        to_level(f32::from(lo) + f32::from(p) * span / 255.0)
    })
}

/// Adds a bright blob (see [`Perturbation::Glare`]); centre clamped to
/// −1..=2, radius to 0..=4, strength to 0..=1 (non-finite: centre 0.5,
/// radius 0, strength 0).
pub fn glare(image: &LumaImage, center: (f32, f32), radius: f32, strength: f32) -> LumaImage {
    let (w, h) = (image.width() as f32, image.height() as f32);
    let cx = finite_or(center.0, 0.5, -1.0, 2.0) * w;
    let cy = finite_or(center.1, 0.5, -1.0, 2.0) * h;
    let r = finite_or(radius, 0.0, 0.0, 4.0) * w.min(h);
    let s = finite_or(strength, 0.0, 0.0, 1.0) * 255.0;
    if r < 0.5 || s <= 0.0 {
        return image.clone();
    }
    map_pixels(image, |x, y, p| {
        let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
        let t = (dx * dx + dy * dy) / (r * r);
        if t >= 1.0 {
            p
        } else {
            to_level(f32::from(p) + s * (1.0 - t) * (1.0 - t))
        }
    })
}

/// Perspective warp (see [`Perturbation::Perspective`]); offsets clamped
/// to −0.45..=0.45 (non-finite: 0).
pub fn perspective(image: &LumaImage, corners: [(f32, f32); 4]) -> LumaImage {
    let (w, h) = (image.width() as f32, image.height() as f32);
    let source = Quad([(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]);
    let mut moved = source.0;
    for (point, (dx, dy)) in moved.iter_mut().zip(corners) {
        point.0 += finite_or(dx, 0.0, -0.45, 0.45) * w;
        point.1 += finite_or(dy, 0.0, -0.45, 0.45) * h;
    }
    let min_x = moved.iter().map(|p| p.0).fold(f32::INFINITY, f32::min);
    let min_y = moved.iter().map(|p| p.1).fold(f32::INFINITY, f32::min);
    let max_x = moved.iter().map(|p| p.0).fold(f32::NEG_INFINITY, f32::max);
    let max_y = moved.iter().map(|p| p.1).fold(f32::NEG_INFINITY, f32::max);
    for point in &mut moved {
        point.0 -= min_x;
        point.1 -= min_y;
    }
    let target = Quad(moved);
    if !target.is_convex() {
        return image.clone();
    }
    // Inverse mapping: from the moved quad back to the original rectangle.
    let Some(back) = Homography::from_quads(&target, &source) else {
        return image.clone();
    };
    let ow = ((max_x - min_x).ceil() as u32).clamp(1, MAX_DIMENSION);
    let oh = ((max_y - min_y).ceil() as u32).clamp(1, MAX_DIMENSION);
    resample(image, ow, oh, 255, |x, y| back.map(x, y), 1.0)
}

/// A new image of the same size with every pixel mapped by `f(x, y, p)`.
fn map_pixels(image: &LumaImage, mut f: impl FnMut(u32, u32, u8) -> u8) -> LumaImage {
    grey::same_size(image, |x, y| f(x, y, image.get(x, y).unwrap_or(255)))
}
