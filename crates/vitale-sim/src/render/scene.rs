//! Camera scenes: a phone showing a code enters the view, moving (motion
//! blur), holds still (sharp), then leaves — the frame sequences the
//! camera-scanning loop is tested with (the reader's tests, the CLI's
//! `scan --frames`, the facade's `camera` example).

use std::path::{Path, PathBuf};

use super::{FrameSize, LumaImage, Perturbation, Placement, RenderError, compose_frame};

/// What a frame of a [`Scene`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScenePhase {
    /// No code in view.
    Empty,
    /// The phone comes in from the left, fast: motion blur.
    Entering,
    /// The phone held still: the code sharp.
    Sharp,
    /// The phone leaves to the right, fast: motion blur.
    Leaving,
}

/// A camera scene, frame by frame: `empty_before` frames without a code,
/// `entering` frames of the phone sliding in from the left with motion
/// blur, `sharp` frames held still (a small jitter, no blur), `leaving`
/// frames sliding out to the right with motion blur, `empty_after` frames
/// without a code.
///
/// The phone moves `travel` frame widths per frame while entering and
/// leaving; the blur streak is the distance moved during the exposure,
/// half a frame interval (`shutter` 0.5), at most 64 pixels.
///
/// ```
/// use vitale_sim::render::{FrameSize, RenderOptions, Scene, ScenePhase, render_qr};
///
/// let code = render_qr("VT1:ABC", &RenderOptions::default())?;
/// let scene = Scene::new(FrameSize::Vga);
/// let frames = scene.frames(&code);
/// assert_eq!(frames.len(), scene.len());
/// assert_eq!(scene.phase(0), Some(ScenePhase::Empty));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Frame size.
    pub size: FrameSize,
    /// Height of the code (quiet zone included) as a fraction of the frame
    /// height, as [`Placement::code_height`].
    pub code_height: f32,
    /// Frames without a code before the phone comes in.
    pub empty_before: usize,
    /// Frames of the phone coming in.
    pub entering: usize,
    /// Frames held still.
    pub sharp: usize,
    /// Frames of the phone leaving.
    pub leaving: usize,
    /// Frames without a code at the end.
    pub empty_after: usize,
    /// Fraction of the frame width the phone moves a frame while entering
    /// or leaving.
    pub travel: f32,
    /// Fraction of the frame interval the exposure lasts.
    pub shutter: f32,
    /// Seed of the background texture.
    pub seed: u64,
}

impl Scene {
    /// Two empty frames, four entering, six sharp, four leaving, two
    /// empty; the code at 0.6 of the frame height; a tenth of the width a
    /// frame while moving.
    pub fn new(size: FrameSize) -> Self {
        Scene {
            size,
            code_height: 0.6,
            empty_before: 2,
            entering: 4,
            sharp: 6,
            leaving: 4,
            empty_after: 2,
            travel: 0.1,
            shutter: 0.5,
            seed: 0,
        }
    }

    /// Frames in the scene.
    pub fn len(&self) -> usize {
        self.empty_before
            .saturating_add(self.entering)
            .saturating_add(self.sharp)
            .saturating_add(self.leaving)
            .saturating_add(self.empty_after)
    }

    /// Whether the scene has no frame.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What frame `index` shows; `None` past the end.
    pub fn phase(&self, index: usize) -> Option<ScenePhase> {
        let mut bound = 0usize;
        for (count, phase) in [
            (self.empty_before, ScenePhase::Empty),
            (self.entering, ScenePhase::Entering),
            (self.sharp, ScenePhase::Sharp),
            (self.leaving, ScenePhase::Leaving),
            (self.empty_after, ScenePhase::Empty),
        ] {
            bound = bound.saturating_add(count);
            if index < bound {
                return Some(phase);
            }
        }
        None
    }

    /// The scene's frames, showing `code` (the same inputs give the same
    /// pixels).
    pub fn frames(&self, code: &LumaImage) -> Vec<LumaImage> {
        (0..self.len()).map(|i| self.frame(code, i)).collect()
    }

    /// Frame `index` of the scene (an empty frame past the end).
    pub fn frame(&self, code: &LumaImage, index: usize) -> LumaImage {
        let (width, _) = self.size.dimensions();
        let travel = if self.travel.is_finite() {
            self.travel.clamp(0.0, 1.0)
        } else {
            0.1
        };
        let shutter = if self.shutter.is_finite() {
            self.shutter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let streak = travel * width as f32 * shutter;
        let mut placement = Placement {
            code_height: self.code_height,
            seed: self.seed,
            ..Placement::default()
        };
        let before = self.empty_before.saturating_add(self.entering);
        let steps = |n: usize| n as f32 * travel;
        match self.phase(index) {
            Some(ScenePhase::Entering) => {
                // Frames left before the phone stops, counted from 1.
                let left = before - index;
                placement.center.0 = 0.5 - steps(left);
                placement.perturbations = vec![Perturbation::MotionBlur {
                    length: streak,
                    degrees: 0.0,
                }];
            }
            Some(ScenePhase::Sharp) => {
                // A hand is never quite still: a pixel or two of jitter.
                let k = (index - before) as f32;
                placement.center = (0.5 + 0.002 * (k * 1.7).sin(), 0.5 + 0.002 * k.cos());
            }
            Some(ScenePhase::Leaving) => {
                let gone = index - before - self.sharp + 1;
                placement.center.0 = 0.5 + steps(gone);
                placement.perturbations = vec![Perturbation::MotionBlur {
                    length: streak,
                    degrees: 0.0,
                }];
            }
            Some(ScenePhase::Empty) | None => {
                // A speck far outside the frame: the background alone.
                placement.center = (-0.5, -0.5);
                placement.code_height = 0.02;
            }
        }
        compose_frame(code, self.size, &placement)
    }
}

/// Writes `frames` as PNG files `frame-00000.png`, `frame-00001.png`… in
/// `dir` (created if missing), for a file-backed frame source
/// (`vitale_reader::camera::FrameFolder`, `vitale scan --frames DIR`).
/// Returns the paths written.
///
/// # Errors
///
/// [`RenderError::Io`] when the folder or a file cannot be written.
pub fn write_frames(frames: &[LumaImage], dir: &Path) -> Result<Vec<PathBuf>, RenderError> {
    std::fs::create_dir_all(dir).map_err(RenderError::Io)?;
    let mut paths = Vec::with_capacity(frames.len());
    for (i, frame) in frames.iter().enumerate() {
        let path = dir.join(format!("frame-{i:05}.png"));
        let png = frame
            .to_png()
            .map_err(|e| RenderError::Io(std::io::Error::other(e.to_string())))?;
        std::fs::write(&path, png).map_err(RenderError::Io)?;
        paths.push(path);
    }
    Ok(paths)
}
