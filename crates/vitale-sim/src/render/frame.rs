//! Camera-like frames: a code (optionally on a phone) over a textured
//! background, then perturbations.

use super::LumaImage;
use super::MAX_DIMENSION;
use super::geometry::paste;
use super::grey;
use super::perturb::{Perturbation, SplitMix64, finite_or, to_level};

/// The size of a camera frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FrameSize {
    /// 640 × 480 (VGA, the smallest webcams and document cameras).
    Vga,
    /// 1280 × 720 (HD, most laptop webcams).
    Hd,
    /// 1920 × 1080 (Full HD).
    FullHd,
    /// Any size; sides are clamped to 16..=[`MAX_DIMENSION`].
    Custom {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

impl FrameSize {
    /// The three standard sizes, smallest first.
    pub const STANDARD: [FrameSize; 3] = [FrameSize::Vga, FrameSize::Hd, FrameSize::FullHd];

    /// `(width, height)` in pixels, after clamping.
    pub fn dimensions(self) -> (u32, u32) {
        match self {
            FrameSize::Vga => (640, 480),
            FrameSize::Hd => (1280, 720),
            FrameSize::FullHd => (1920, 1080),
            FrameSize::Custom { width, height } => (
                width.clamp(16, MAX_DIMENSION),
                height.clamp(16, MAX_DIMENSION),
            ),
        }
    }
}

/// Where and how the code appears in a frame.
///
/// | field | default | clamped to |
/// |---|---|---|
/// | `center` | (0.5, 0.5): the frame's centre | −0.5 to 1.5 of the frame's sides |
/// | `code_height` | 0.6 | 0.02 to 4 of the frame height (the code image's side, quiet zone included) |
/// | `rotation` | 0° | any finite angle, clockwise (non-finite: 0) |
/// | `phone_screen` | `true` | — |
/// | `seed` | 0 | — (background texture) |
/// | `perturbations` | none | as [`Perturbation`] |
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Where the centre of the code lands, as fractions of the frame's width
    /// and height.
    pub center: (f32, f32),
    /// Height of the code image (quiet zone included) as a fraction of the
    /// frame height; the code keeps its aspect ratio.
    pub code_height: f32,
    /// Clockwise turn of the code (and phone) in degrees.
    pub rotation: f32,
    /// Draw the code on a phone: a screen a little lighter than the
    /// background (level 235), the code at its upper middle, a dark bezel
    /// (level 25) around.
    pub phone_screen: bool,
    /// Seed of the background texture.
    pub seed: u64,
    /// Applied to the whole frame, in order, after composition.
    pub perturbations: Vec<Perturbation>,
}

impl Default for Placement {
    fn default() -> Self {
        Placement {
            center: (0.5, 0.5),
            code_height: 0.6,
            rotation: 0.0,
            phone_screen: true,
            seed: 0,
            perturbations: Vec::new(),
        }
    }
}

/// Level of the phone screen around the code.
const SCREEN_LEVEL: u8 = 235;
/// Level of the phone's bezel.
const BEZEL_LEVEL: u8 = 25;

/// A `frame`-sized grey picture: a mid-grey background with a deterministic
/// texture (smooth blotches ±20 levels on 24-px cells, and grain ±4), the
/// `code` (optionally on a phone) scaled, turned and placed per
/// `placement`, then `placement.perturbations` in order.
///
/// The same inputs give the same pixels. Never fails: every parameter is
/// clamped (see [`Placement`] and [`FrameSize`]).
pub fn compose_frame(code: &LumaImage, frame: FrameSize, placement: &Placement) -> LumaImage {
    let (fw, fh) = frame.dimensions();
    let background = textured_background(fw, fh, placement.seed);
    let (layer, (lcx, lcy)) = if placement.phone_screen {
        phone_layer(code)
    } else {
        (
            code.clone(),
            (code.width() as f32 / 2.0, code.height() as f32 / 2.0),
        )
    };
    let code_height = finite_or(placement.code_height, 0.6, 0.02, 4.0);
    let scale = code_height * fh as f32 / code.height() as f32;
    let degrees = if placement.rotation.is_finite() {
        placement.rotation.rem_euclid(360.0)
    } else {
        0.0
    };
    let (sin, cos) = degrees.to_radians().sin_cos();
    let cx = finite_or(placement.center.0, 0.5, -0.5, 1.5) * fw as f32;
    let cy = finite_or(placement.center.1, 0.5, -0.5, 1.5) * fh as f32;
    // Layer → frame: p = c + R(θ)·s·(q − l). Frame → layer is its inverse.
    let forward = |qx: f32, qy: f32| {
        let (dx, dy) = ((qx - lcx) * scale, (qy - lcy) * scale);
        (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
    };
    let back = |px: f32, py: f32| {
        let (dx, dy) = (px - cx, py - cy);
        (
            lcx + (dx * cos + dy * sin) / scale,
            lcy + (-dx * sin + dy * cos) / scale,
        )
    };
    let (lw, lh) = (layer.width() as f32, layer.height() as f32);
    let corners = [
        forward(0.0, 0.0),
        forward(lw, 0.0),
        forward(lw, lh),
        forward(0.0, lh),
    ];
    let bound = |f: fn(f32, f32) -> f32, init: f32, pick: fn(&(f32, f32)) -> f32| {
        corners.iter().map(pick).fold(init, f)
    };
    let x0 = bound(f32::min, f32::INFINITY, |p| p.0).floor().max(0.0) as u32;
    let y0 = bound(f32::min, f32::INFINITY, |p| p.1).floor().max(0.0) as u32;
    let x1 = (bound(f32::max, f32::NEG_INFINITY, |p| p.0).ceil() + 1.0).max(0.0) as u32;
    let y1 = (bound(f32::max, f32::NEG_INFINITY, |p| p.1).ceil() + 1.0).max(0.0) as u32;
    let composed = paste(&background, &layer, back, 1.0 / scale, (x0, y0, x1, y1));
    Perturbation::apply_all(&placement.perturbations, &composed)
}

/// The code on a phone: returns the layer and the code's centre in it.
fn phone_layer(code: &LumaImage) -> (LumaImage, (f32, f32)) {
    let (cw, ch) = (code.width(), code.height());
    let screen_w = cw.saturating_add(cw / 8);
    let screen_h = ch.saturating_mul(19) / 10;
    let bezel = (screen_w / 16).max(2);
    let (lw, lh) = (
        screen_w.saturating_add(2 * bezel),
        screen_h.saturating_add(2 * bezel),
    );
    // The code's top-left corner in the layer: centred horizontally, its
    // top at a fifth of the screen.
    let ox = bezel + (screen_w - cw) / 2;
    let oy = bezel + screen_h / 5;
    let layer = grey::sized(lw, lh, |x, y| {
        let on_screen = x >= bezel && y >= bezel && x < lw - bezel && y < lh - bezel;
        if !on_screen {
            return BEZEL_LEVEL;
        }
        match (x.checked_sub(ox), y.checked_sub(oy)) {
            (Some(qx), Some(qy)) => code.get(qx, qy).unwrap_or(SCREEN_LEVEL),
            _ => SCREEN_LEVEL,
        }
    });
    let centre = (ox as f32 + cw as f32 / 2.0, oy as f32 + ch as f32 / 2.0);
    (layer, centre)
}

/// Mid-grey (128) with smooth blotches (value noise, ±20 on 24-px cells)
/// and grain (±4), from `seed`.
fn textured_background(width: u32, height: u32, seed: u64) -> LumaImage {
    const CELL: u32 = 24;
    let (gw, gh) = (width / CELL + 2, height / CELL + 2);
    let mut rng = SplitMix64::new(seed);
    let grid: Vec<f32> = (0..gw.saturating_mul(gh))
        .map(|_| rng.symmetric(20) as f32)
        .collect();
    let node = |gx: u32, gy: u32| {
        let index = (gy.min(gh - 1) as usize) * (gw as usize) + gx.min(gw - 1) as usize;
        grid.get(index).copied().unwrap_or(0.0)
    };
    let mut grain = SplitMix64::new(seed ^ 0x6772_6169_6e00_0000);
    grey::sized(width, height, |x, y| {
        let (gx, gy) = (x / CELL, y / CELL);
        let tx = (x % CELL) as f32 / CELL as f32;
        let ty = (y % CELL) as f32 / CELL as f32;
        // Smoothstep so that cell borders do not show as lines.
        let (sx, sy) = (tx * tx * (3.0 - 2.0 * tx), ty * ty * (3.0 - 2.0 * ty));
        let top = node(gx, gy) * (1.0 - sx) + node(gx + 1, gy) * sx;
        let bottom = node(gx, gy + 1) * (1.0 - sx) + node(gx + 1, gy + 1) * sx;
        let blotch = top * (1.0 - sy) + bottom * sy;
        to_level(128.0 + blotch + grain.symmetric(4) as f32)
    })
}
