//! Live scanning: a card shown to a camera (or a recorded sequence of
//! frames), verified as the loop reads it. See
//! [`vitale_reader::camera`] for the loop itself and `docs/camera.md`.

use vitale_reader::camera::{FrameSource, ScanEvent, ScanStats, Scanner, StopReason, Stopped};
use vitale_verify::VerifiedCard;

use crate::{Error, Terminal};

/// A card read by [`Terminal::scan_frames`].
#[derive(Debug)]
#[non_exhaustive]
pub struct CameraCard {
    /// The verified card.
    pub card: VerifiedCard,
    /// The sequence number of the frame it was read in.
    pub sequence: u64,
    /// What the loop did (frames, skipped, verified, refused…).
    pub stats: ScanStats,
}

impl Terminal {
    /// Runs `scanner`'s loop over `source`, verifying each new code with
    /// [`Terminal::verify_text`] until one verifies.
    ///
    /// `on_event` reports progress; a refused code comes with its
    /// [`Error`] (its [`Error::kind`]: `replay`, `expired`…) so that the UI
    /// can say why. The scanner decodes with its own decoder (a
    /// [`QrStrategy`](vitale_reader::qr::QrStrategy) by default), not the
    /// terminal's.
    ///
    /// ```no_run
    /// use vitale::Terminal;
    /// use vitale::reader::camera::{FrameFolder, Scanner};
    ///
    /// fn scan(terminal: &Terminal) -> Result<(), vitale::Error> {
    ///     let mut frames = FrameFolder::open("frames".as_ref(), 30.0).map_err(vitale::reader::Error::from)?;
    ///     let read = terminal.scan_frames(&mut frames, &Scanner::new(), |_event| {})?;
    ///     println!("{} beneficiaries", read.card.beneficiaries().len());
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// * [`Error::ScanCancelled`] (`camera_cancelled`): the scanner's
    ///   cancel token was cancelled;
    /// * [`Error::ScanTimedOut`] (`camera_timeout`): no code verified
    ///   before the timeout, and none was refused;
    /// * [`Error::NoCode`] (`no_code`): the source ended (a recorded
    ///   sequence) without a code, and none was refused;
    /// * after a timeout or the end of the source, the last refusal when a
    ///   code was refused (`replay`, `expired`, `not_a_presentation`…);
    /// * the source's failure (`camera_no_device`, `camera_unavailable`,
    ///   `camera_capture`, `camera_format`, `camera_frame_file`…).
    pub fn scan_frames(
        &self,
        source: &mut dyn FrameSource,
        scanner: &Scanner,
        mut on_event: impl FnMut(ScanEvent<'_, Error>),
    ) -> Result<CameraCard, Error> {
        let verify = |code: &vitale_reader::qr::DecodedCode| match code.text() {
            Some(text) => self.verify_text(text),
            None => Err(Error::NotAPresentation),
        };
        let result = scanner.run(source, verify, |event| {
            match &event {
                ScanEvent::CodeRefused { error, .. } => {
                    tracing::info!(kind = error.kind(), "camera code refused");
                }
                ScanEvent::Stopped { reason, stats } => tracing::info!(
                    reason = reason.kind(),
                    frames = stats.frames,
                    skipped = stats.skipped,
                    verified = stats.verified,
                    "camera scan stopped"
                ),
                _ => {}
            }
            on_event(event);
        });
        match result {
            Ok(found) => Ok(CameraCard {
                card: found.value,
                sequence: found.sequence,
                stats: found.stats,
            }),
            Err(stopped) => Err(stop_error(*stopped)),
        }
    }

    /// Opens camera `index` (feature `camera`) and runs
    /// [`Terminal::scan_frames`] over it.
    ///
    /// # Errors
    ///
    /// As [`Terminal::scan_frames`]; opening fails with
    /// `camera_no_device` or `camera_unavailable`.
    #[cfg(feature = "camera")]
    pub fn scan_camera(
        &self,
        index: u32,
        scanner: &Scanner,
        on_event: impl FnMut(ScanEvent<'_, Error>),
    ) -> Result<CameraCard, Error> {
        let mut camera = vitale_reader::camera::Camera::open(index)
            .map_err(|e| Error::Reader(vitale_reader::Error::Source(e)))?;
        self.scan_frames(&mut camera, scanner, on_event)
    }
}

/// The error of a loop that stopped without a card.
fn stop_error(stopped: Stopped<Error>) -> Error {
    stop_error_of(stopped.reason, stopped.source_error, stopped.last_refusal)
}

fn stop_error_of(
    reason: StopReason,
    source_error: Option<vitale_reader::camera::SourceError>,
    last_refusal: Option<Error>,
) -> Error {
    match (reason, source_error, last_refusal) {
        (_, Some(source), _) => Error::Reader(vitale_reader::Error::Source(source)),
        (StopReason::Cancelled, _, _) => Error::ScanCancelled,
        (_, None, Some(refusal)) => refusal,
        (StopReason::TimedOut, None, None) => Error::ScanTimedOut,
        (_, None, None) => Error::NoCode,
    }
}

#[cfg(test)]
mod tests;
