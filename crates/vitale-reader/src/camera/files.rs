//! Frame sources without a camera: frames in memory and a folder of image
//! files, played at a frame rate.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Frame, FrameSource, SourceError};
use crate::Error;
use crate::qr::{LumaImage, load_image_file};

/// Most image files a [`FrameFolder`] plays (about 5½ minutes at 30
/// frames a second); a folder with more is refused when opened.
pub const MAX_FOLDER_FRAMES: usize = 10_000;

/// Frame rates are clamped to this range (frames a second).
const FPS_RANGE: (f32, f32) = (0.1, 1000.0);

/// Real-time pacing: frame `i` is due `i × interval` after the first call.
#[derive(Debug, Clone)]
struct Pace {
    interval: Duration,
    paced: bool,
    start: Option<Instant>,
}

impl Pace {
    fn new(fps: f32) -> Self {
        let fps = if fps.is_finite() {
            fps.clamp(FPS_RANGE.0, FPS_RANGE.1)
        } else {
            30.0
        };
        Pace {
            interval: Duration::from_secs_f32(1.0 / fps),
            paced: true,
            start: None,
        }
    }

    /// The timestamp of frame `index`, after waiting for it when paced.
    fn wait(&mut self, index: usize) -> Duration {
        let at = self
            .interval
            .saturating_mul(u32::try_from(index).unwrap_or(u32::MAX));
        let start = *self.start.get_or_insert_with(Instant::now);
        if self.paced {
            let due = start + at;
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
        }
        at
    }
}

/// Frames held in memory, played at `fps` frames a second in real time
/// (frame `i` is handed out `i / fps` seconds after the first), as a
/// camera would: a test's or a demo's stand-in for a camera.
///
/// ```
/// use vitale_reader::camera::{FrameSequence, FrameSource};
/// use vitale_reader::qr::LumaImage;
///
/// let mut source = FrameSequence::new(vec![LumaImage::filled(8, 8, 0)?; 2], 50.0);
/// let first = source.next_frame()?.ok_or("a frame")?;
/// let second = source.next_frame()?.ok_or("a frame")?;
/// assert_eq!((first.sequence(), second.sequence()), (0, 1));
/// assert_eq!(second.timestamp().as_millis(), 20);
/// assert!(source.next_frame()?.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct FrameSequence {
    frames: std::vec::IntoIter<LumaImage>,
    next: usize,
    pace: Pace,
}

impl FrameSequence {
    /// Plays `frames` at `fps` frames a second (clamped to 0.1–1000; not a
    /// finite number: 30).
    pub fn new(frames: Vec<LumaImage>, fps: f32) -> Self {
        FrameSequence {
            frames: frames.into_iter(),
            next: 0,
            pace: Pace::new(fps),
        }
    }

    /// Hands out the frames as fast as they are asked for (timestamps
    /// still `i / fps`): not live ([`FrameSource::is_live`]), so the
    /// scanner decodes every frame, in order — for tests that must not
    /// depend on timing.
    #[must_use]
    pub fn unpaced(mut self) -> Self {
        self.pace.paced = false;
        self
    }

    /// Frames not handed out yet.
    pub fn remaining(&self) -> usize {
        self.frames.len()
    }
}

impl FrameSource for FrameSequence {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let Some(image) = self.frames.next() else {
            return Ok(None);
        };
        let index = self.next;
        self.next += 1;
        let timestamp = self.pace.wait(index);
        Ok(Some(Frame::new(image, index as u64, timestamp)))
    }

    fn is_live(&self) -> bool {
        self.pace.paced
    }
}

/// The image files of a folder (PNG, JPEG, WebP, GIF, by extension),
/// in file-name order, played at `fps` frames a second in real time: a
/// recorded scene replayed without a camera (`vitale scan --frames DIR`).
///
/// Files are loaded one at a time, when their frame is due, with the
/// limits of [`load_image_file`]; at most [`MAX_FOLDER_FRAMES`] files.
#[derive(Debug, Clone)]
pub struct FrameFolder {
    files: Vec<PathBuf>,
    next: usize,
    pace: Pace,
}

impl FrameFolder {
    /// Lists the folder's image files (not its subfolders).
    ///
    /// # Errors
    ///
    /// [`SourceError::Io`] when the folder cannot be listed,
    /// [`SourceError::TooManyFrames`] above [`MAX_FOLDER_FRAMES`] files.
    pub fn open(dir: &Path, fps: f32) -> Result<Self, SourceError> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(SourceError::Io)? {
            let path = entry.map_err(SourceError::Io)?.path();
            if path.is_file() && is_image_name(&path) {
                if files.len() == MAX_FOLDER_FRAMES {
                    return Err(SourceError::TooManyFrames {
                        limit: MAX_FOLDER_FRAMES,
                    });
                }
                files.push(path);
            }
        }
        files.sort();
        Ok(FrameFolder {
            files,
            next: 0,
            pace: Pace::new(fps),
        })
    }

    /// As [`FrameSequence::unpaced`].
    #[must_use]
    pub fn unpaced(mut self) -> Self {
        self.pace.paced = false;
        self
    }

    /// The frame files, in playing order.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }
}

impl FrameSource for FrameFolder {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let index = self.next;
        let Some(path) = self.files.get(index) else {
            return Ok(None);
        };
        self.next += 1;
        let image = load_image_file(path).map_err(|e| match e {
            Error::Qr(source) => SourceError::FrameFile { index, source },
            other => SourceError::Capture {
                message: other.to_string(),
            },
        })?;
        let timestamp = self.pace.wait(index);
        Ok(Some(Frame::new(image, index as u64, timestamp)))
    }

    fn is_live(&self) -> bool {
        self.pace.paced
    }
}

fn is_image_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["png", "jpg", "jpeg", "webp", "gif"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}
