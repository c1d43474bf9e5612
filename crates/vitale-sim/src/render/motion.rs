//! Motion blur: what a phone moved in front of a webcam during the
//! exposure looks like.

use super::LumaImage;
use super::grey::{self, Sampling as _};
use super::perturb::{finite_or, to_level};

/// Longest blur streak, in pixels.
pub const MAX_MOTION_BLUR: f32 = 64.0;

/// Linear motion blur: every pixel becomes the mean of the picture along a
/// segment of `length` pixels (clamped to 0..=[`MAX_MOTION_BLUR`];
/// non-finite: 0) centred on it, at `degrees` clockwise from the x axis
/// (non-finite: 0) — a box filter along the motion, as an exposure during
/// which the picture moved by `length` pixels at constant speed. Samples
/// are bilinear, one every 2 pixels of the streak (every pixel for streaks
/// under 4 pixels); edges repeat outwards. Keeps
/// the size.
pub fn motion_blur(image: &LumaImage, length: f32, degrees: f32) -> LumaImage {
    let length = finite_or(length, 0.0, 0.0, MAX_MOTION_BLUR);
    if length < 0.5 {
        return image.clone();
    }
    let degrees = finite_or(degrees, 0.0, -3600.0, 3600.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    // A bilinear sample every 2 pixels of the streak (every pixel under
    // 4), both ends included.
    let step = if length < 4.0 { 1.0 } else { 2.0 };
    let samples = (length / step).ceil() as u32 + 1;
    let offsets: Vec<(f32, f32)> = (0..samples)
        .map(|i| {
            let t = i as f32 / (samples - 1) as f32 - 0.5;
            (t * length * cos, t * length * sin)
        })
        .collect();
    let (w, h) = (image.width() as f32, image.height() as f32);
    grey::same_size(image, |x, y| {
        let (cx, cy) = (x as f32 + 0.5, y as f32 + 0.5);
        let sum: f32 = offsets
            .iter()
            .map(|(dx, dy)| {
                // Inside the picture, edges repeating outwards.
                let sx = (cx + dx).clamp(0.0, w);
                let sy = (cy + dy).clamp(0.0, h);
                image
                    .sample(sx, sy)
                    .unwrap_or_else(|| f32::from(image.clamped(x.into(), y.into())))
            })
            .sum();
        to_level(sum / offsets.len() as f32)
    })
}

#[cfg(test)]
mod tests;
