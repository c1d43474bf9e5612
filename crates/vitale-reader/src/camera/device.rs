//! Real cameras through `nokhwa` (feature `camera`): V4L2 on Linux,
//! AVFoundation on macOS, Media Foundation on Windows.

use std::time::{Duration, Instant};

use nokhwa::NokhwaError;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
};

use super::convert::{PixelFormat, grey_from};
use super::{Frame, FrameSource, SourceError};

/// A camera the platform lists.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CameraInfo {
    /// Its index, for [`Camera::open`] and `vitale scan --camera --device N`.
    pub index: u32,
    /// Its name (`"Integrated Camera"`).
    pub name: String,
    /// What the platform says of it (driver, bus).
    pub description: String,
}

/// The cameras of this workstation; an empty list when there is none.
///
/// # Errors
///
/// [`SourceError::Unavailable`] when the platform's camera service cannot
/// be asked (access refused).
pub fn list_cameras() -> Result<Vec<CameraInfo>, SourceError> {
    let cameras = nokhwa::query(ApiBackend::Auto).map_err(|e| unavailable(&e))?;
    Ok(cameras
        .iter()
        .enumerate()
        .map(|(position, info)| CameraInfo {
            index: info
                .index()
                .as_index()
                .unwrap_or(u32::try_from(position).unwrap_or(u32::MAX)),
            name: info.human_name(),
            description: info.description().to_owned(),
        })
        .collect())
}

/// A camera streaming frames, converted to grey: a [`FrameSource`].
///
/// It asks for the format closest to 1280 × 720 at 30 frames a second
/// among those [`grey_from`] converts (YUYV, NV12, grey, MJPEG, RGB).
pub struct Camera {
    inner: nokhwa::Camera,
    index: u32,
    start: Instant,
    next: u64,
}

impl std::fmt::Debug for Camera {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Camera")
            .field("index", &self.index)
            .field("format", &self.inner.camera_format().to_string())
            .finish()
    }
}

/// The formats asked for, in order of preference.
const FORMATS: [FrameFormat; 6] = [
    FrameFormat::YUYV,
    FrameFormat::NV12,
    FrameFormat::GRAY,
    FrameFormat::MJPEG,
    FrameFormat::RAWRGB,
    FrameFormat::RAWBGR,
];

impl Camera {
    /// Opens camera `index` (0: the first of [`list_cameras`]) and starts
    /// its stream.
    ///
    /// On macOS the application must hold the camera permission
    /// (`NSCameraUsageDescription`); the first call asks the user.
    ///
    /// # Errors
    ///
    /// [`SourceError::NoDevice`] when there is no camera at `index`,
    /// [`SourceError::Unavailable`] when it cannot be opened (busy,
    /// access refused), [`SourceError::Format`] when it offers no format
    /// this SDK converts.
    pub fn open(index: u32) -> Result<Self, SourceError> {
        #[cfg(target_os = "macos")]
        nokhwa::nokhwa_initialize(|_| {});
        let listed = list_cameras()?;
        if !listed.iter().any(|c| c.index == index) {
            return Err(SourceError::NoDevice { index });
        }
        let wanted = RequestedFormat::with_formats(
            RequestedFormatType::Closest(CameraFormat::new_from(1280, 720, FrameFormat::YUYV, 30)),
            &FORMATS,
        );
        let mut inner =
            nokhwa::Camera::new(CameraIndex::Index(index), wanted).map_err(|e| match e {
                NokhwaError::GetPropertyError { .. } | NokhwaError::SetPropertyError { .. } => {
                    SourceError::Format {
                        message: e.to_string(),
                    }
                }
                other => unavailable(&other),
            })?;
        inner.open_stream().map_err(|e| unavailable(&e))?;
        Ok(Camera {
            inner,
            index,
            start: Instant::now(),
            next: 0,
        })
    }

    /// The camera's index.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The format streamed: width, height, frames a second.
    pub fn format(&self) -> (u32, u32, u32) {
        let format = self.inner.camera_format();
        (format.width(), format.height(), format.frame_rate())
    }
}

impl FrameSource for Camera {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let buffer = self.inner.frame().map_err(|e| SourceError::Capture {
            message: e.to_string(),
        })?;
        let timestamp = self.start.elapsed();
        let resolution = buffer.resolution();
        let format = match buffer.source_frame_format() {
            FrameFormat::YUYV => PixelFormat::Yuyv,
            FrameFormat::NV12 => PixelFormat::Nv12,
            FrameFormat::GRAY => PixelFormat::Grey,
            FrameFormat::MJPEG => PixelFormat::Mjpeg,
            FrameFormat::RAWRGB => PixelFormat::Rgb24,
            FrameFormat::RAWBGR => PixelFormat::Bgr24,
        };
        let image = grey_from(
            format,
            resolution.width(),
            resolution.height(),
            buffer.buffer(),
        )?;
        let sequence = self.next;
        self.next += 1;
        Ok(Some(Frame::new(
            image,
            sequence,
            timestamp.max(Duration::ZERO),
        )))
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        // Nothing to report to: the stream is closed with the device.
        let _ = self.inner.stop_stream();
    }
}

fn unavailable(e: &NokhwaError) -> SourceError {
    SourceError::Unavailable {
        message: e.to_string(),
    }
}
