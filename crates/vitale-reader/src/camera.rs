//! Live scanning: QR codes read from a stream of camera frames.
//!
//! A [`FrameSource`] hands out grey frames one at a time — a real camera
//! (`Camera`, feature `camera`), a folder of PNG files ([`FrameFolder`]) or
//! frames held in memory ([`FrameSequence`]), each with a sequence number
//! and a timestamp. A [`Scanner`] runs the scanning loop over a source:
//!
//! * the QR decoder ([`QrStrategy`](crate::qr::QrStrategy) by default, with
//!   a per-frame time budget) runs on a worker thread; frames of a live
//!   source ([`FrameSource::is_live`]) that arrive while it is busy are
//!   dropped and counted, so the loop never falls behind the camera;
//! * a code seen in several frames is handed to the caller's `verify`
//!   callback once (codes are remembered by a hash of their content);
//! * the loop stops at the first code `verify` accepts (a verified card),
//!   when a [`CancelToken`] is cancelled from another thread, at the
//!   timeout, when the source ends or fails;
//! * progress is reported through [`ScanEvent`]s (started, frame decoded,
//!   code seen, code refused with the error, stopped).
//!
//! The loop never verifies anything itself: the `vitale` facade's
//! `Terminal::scan_frames` passes its verifier.
//!
//! ```
//! use std::time::Duration;
//! use vitale_reader::camera::{FrameSequence, Scanner, StopReason};
//! use vitale_reader::qr::LumaImage;
//!
//! // Ten blank frames at 100 frames a second: no code, the source ends.
//! let blank = LumaImage::filled(320, 240, 200)?;
//! let mut source = FrameSequence::new(vec![blank; 10], 100.0);
//! let stopped = Scanner::new()
//!     .with_timeout(Some(Duration::from_secs(5)))
//!     .run(&mut source, |_code| Err::<(), _>("never called"), |_event| {})
//!     .err()
//!     .ok_or("no code expected")?;
//! assert_eq!(stopped.reason, StopReason::Ended);
//! assert_eq!(stopped.stats.frames, 10);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::time::Duration;

use crate::qr::{LumaImage, QrError};

mod convert;
#[cfg(feature = "camera")]
mod device;
mod files;
mod scanner;
#[cfg(test)]
mod tests;

pub use convert::{PixelFormat, grey_from};
#[cfg(feature = "camera")]
#[cfg_attr(docsrs, doc(cfg(feature = "camera")))]
pub use device::{Camera, CameraInfo, list_cameras};
pub use files::{FrameFolder, FrameSequence, MAX_FOLDER_FRAMES};
pub use scanner::{
    Found, MAX_REMEMBERED_CODES, ScanEvent, ScanStats, Scanner, StopReason, Stopped,
};

pub use crate::nfc_session::CancelToken;

/// One grey frame from a [`FrameSource`].
///
/// Owned: the frame crosses to the decoding worker thread while the source
/// fills its next buffer. A camera's own format (YUYV, NV12, MJPEG, RGB) is
/// converted to 8-bit grey by the source.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    image: LumaImage,
    sequence: u64,
    timestamp: Duration,
}

impl Frame {
    /// A frame: its picture, its sequence number (counted by the source
    /// from 0, with gaps where the source itself dropped frames) and its
    /// timestamp (since the source started).
    pub fn new(image: LumaImage, sequence: u64, timestamp: Duration) -> Self {
        Frame {
            image,
            sequence,
            timestamp,
        }
    }

    /// The picture.
    pub fn image(&self) -> &LumaImage {
        &self.image
    }

    /// Takes the picture.
    pub fn into_image(self) -> LumaImage {
        self.image
    }

    /// The sequence number given by the source.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// When the frame was captured, since the source started.
    pub fn timestamp(&self) -> Duration {
        self.timestamp
    }
}

impl std::fmt::Debug for Frame {
    // A frame may show a presentation: no pixels.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame")
            .field("width", &self.image.width())
            .field("height", &self.image.height())
            .field("sequence", &self.sequence)
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

/// Where frames come from: a camera, a folder of images, frames in
/// memory. A vendor with its own capture stack (a document camera's SDK,
/// a video-conferencing framework) implements it and hands the frames to
/// a [`Scanner`].
pub trait FrameSource {
    /// The next frame, waiting for it (a camera delivers one every
    /// 33 ms at 30 frames a second); `Ok(None)` at the end of the stream.
    ///
    /// A source should not wait longer than a frame interval or two, so
    /// that the scanner sees a cancellation quickly.
    ///
    /// # Errors
    ///
    /// A [`SourceError`] when the source failed; the scanner stops.
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError>;

    /// Whether frames come in real time, whether the scanner is ready or
    /// not (a camera, a recording played at its frame rate): the
    /// [`Scanner`] then drops the frames that arrive while the decoder is
    /// busy, so that it never falls behind. A source that is not live (a
    /// recording handed out as fast as it is asked for:
    /// [`FrameSequence::unpaced`], [`FrameFolder::unpaced`]) has every
    /// frame decoded, in order: the same frames give the same scan,
    /// whatever the load of the machine.
    ///
    /// Live by default.
    fn is_live(&self) -> bool {
        true
    }
}

impl<S: FrameSource + ?Sized> FrameSource for &mut S {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        (**self).next_frame()
    }

    fn is_live(&self) -> bool {
        (**self).is_live()
    }
}

impl<S: FrameSource + ?Sized> FrameSource for Box<S> {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        (**self).next_frame()
    }

    fn is_live(&self) -> bool {
        (**self).is_live()
    }
}

/// Failures of a [`FrameSource`], each with a stable [`SourceError::kind`]
/// (the facade reports it as `camera_` and the kind).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// No camera at this index (or no camera at all).
    #[error("no camera at index {index}")]
    NoDevice {
        /// The index asked for.
        index: u32,
    },
    /// The camera exists but cannot be opened: in use by another
    /// application, or access refused (macOS and Windows privacy
    /// settings, Linux `video` group).
    #[error("camera unavailable: {message}")]
    Unavailable {
        /// The capture stack's description.
        message: String,
    },
    /// The camera delivers no format this SDK converts to grey.
    #[error("camera format: {message}")]
    Format {
        /// The capture stack's description.
        message: String,
    },
    /// The capture stack failed while streaming (device unplugged, driver
    /// error).
    #[error("camera capture failed: {message}")]
    Capture {
        /// The capture stack's description.
        message: String,
    },
    /// The library was built without the `camera` feature.
    #[error("camera support not compiled in (feature `camera`)")]
    NotCompiled,
    /// A frame file could not be read or is not an image within the
    /// limits.
    #[error("frame file {index}: {source}")]
    FrameFile {
        /// The file's position in the folder's order, from 0.
        index: usize,
        /// Why.
        #[source]
        source: QrError,
    },
    /// A folder holds more frame files than [`MAX_FOLDER_FRAMES`].
    #[error("more than {limit} frame files in the folder")]
    TooManyFrames {
        /// [`MAX_FOLDER_FRAMES`].
        limit: usize,
    },
    /// A frame folder could not be listed.
    #[error("frame folder: {0}")]
    Io(#[source] std::io::Error),
}

impl SourceError {
    /// A stable snake_case code: `no_device`, `unavailable`, `format`,
    /// `capture`, `not_compiled`, `frame_file`, `too_many_frames`, `io`.
    pub const fn kind(&self) -> &'static str {
        match self {
            SourceError::NoDevice { .. } => "no_device",
            SourceError::Unavailable { .. } => "unavailable",
            SourceError::Format { .. } => "format",
            SourceError::Capture { .. } => "capture",
            SourceError::NotCompiled => "not_compiled",
            SourceError::FrameFile { .. } => "frame_file",
            SourceError::TooManyFrames { .. } => "too_many_frames",
            SourceError::Io(_) => "io",
        }
    }
}
