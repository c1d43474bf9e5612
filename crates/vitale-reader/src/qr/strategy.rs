//! A decoding strategy: several passes over one frame, cheapest gain first,
//! stopping at the first code the caller accepts.

use std::time::{Duration, Instant};

use super::prescan::{Finders, Prescan, finders};
use super::transform::{Packed, double, halve, invert};
use super::{DecodedCode, LumaFrame, MAX_PIXELS, QrDecoder, QrError, guarded};
use super::{quircs_backend, rxing_backend};
use crate::Error;

#[cfg(test)]
mod tests;

/// How `rxing` turns grey into black and white.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Binarizer {
    /// Local thresholds on 8 × 8 blocks (ZXing's `HybridBinarizer`): the
    /// best on uneven light, glare and shadows.
    Hybrid,
    /// One threshold per row from the histogram (ZXing's
    /// `GlobalHistogramBinarizer`): reads some low-contrast and blurred
    /// codes the local one breaks up.
    GlobalHistogram,
}

/// The decoder of a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Engine {
    /// [`RxingDecoder`](super::RxingDecoder)'s readers with this binarizer.
    Rxing(Binarizer),
    /// [`QuircsDecoder`](super::QuircsDecoder).
    Quircs,
    /// zxing-cpp (feature `zxing-cpp`) with this binarizer (`Hybrid` is its
    /// local-average one), one picture per pass: no inverted or downscaled
    /// retries of its own, the passes do that.
    #[cfg(feature = "zxing-cpp")]
    ZxingCpp(Binarizer),
}

/// The size at which a pass reads the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rescale {
    /// As delivered.
    Full,
    /// Half each side (2 × 2 mean): big blurred modules, large frames. Run
    /// only on frames of at least [`Rescale::HALF_MIN_SIDE`] pixels on the
    /// shorter side.
    Half,
    /// Twice each side (bilinear): modules under 2 pixels. Run only on
    /// frames of at most [`Rescale::DOUBLE_MAX_PIXELS`] pixels.
    Double,
}

impl Rescale {
    /// The smallest shorter side a [`Rescale::Half`] pass reads.
    pub const HALF_MIN_SIDE: u32 = 400;
    /// The largest frame (in pixels) a [`Rescale::Double`] pass reads.
    pub const DOUBLE_MAX_PIXELS: u64 = 1_000_000;

    fn applies(self, width: u32, height: u32) -> bool {
        match self {
            Rescale::Full => true,
            Rescale::Half => width.min(height) >= Self::HALF_MIN_SIDE,
            Rescale::Double => u64::from(width) * u64::from(height) <= Self::DOUBLE_MAX_PIXELS,
        }
    }

    /// Frame coordinates of a point of the rescaled picture.
    fn to_frame(self, (x, y): (f32, f32)) -> (f32, f32) {
        match self {
            Rescale::Full => (x, y),
            Rescale::Half => (x * 2.0, y * 2.0),
            Rescale::Double => (x / 2.0, y / 2.0),
        }
    }
}

/// One pass of a [`QrStrategy`]: a decoder on the frame, maybe inverted
/// (light modules on dark: a phone in dark mode) and rescaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pass {
    /// The decoder.
    pub engine: Engine,
    /// Light and dark swapped before decoding.
    pub inverted: bool,
    /// The size read.
    pub scale: Rescale,
}

impl Pass {
    /// A pass on the frame as delivered.
    pub const fn new(engine: Engine) -> Self {
        Pass {
            engine,
            inverted: false,
            scale: Rescale::Full,
        }
    }

    /// The same pass on the inverted frame.
    pub const fn inverted(self) -> Self {
        Pass {
            inverted: true,
            ..self
        }
    }

    /// The same pass at another size.
    pub const fn at(self, scale: Rescale) -> Self {
        Pass { scale, ..self }
    }
}

/// The passes of [`QrStrategy::new`], in order: the pass that reads most,
/// then the others by measured gain per millisecond over it on the
/// corpora, highest first (`docs/performance.md`, "QR strategy").
pub const DEFAULT_PASSES: [Pass; 7] = [
    Pass::new(Engine::Rxing(Binarizer::Hybrid)),
    Pass::new(Engine::Rxing(Binarizer::GlobalHistogram)).inverted(),
    Pass::new(Engine::Rxing(Binarizer::Hybrid)).inverted(),
    Pass::new(Engine::Rxing(Binarizer::GlobalHistogram)),
    Pass::new(Engine::Rxing(Binarizer::Hybrid)).at(Rescale::Half),
    Pass::new(Engine::Rxing(Binarizer::Hybrid)).at(Rescale::Double),
    Pass::new(Engine::Quircs),
];

/// Why [`QrStrategy::scan`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScanEnd {
    /// The caller accepted a code.
    Accepted,
    /// The first pass read nothing and the pre-scan saw no three finder
    /// patterns of one polarity placed as a code places them: no other
    /// pass ran.
    NoCandidate,
    /// Every pass that applies ran.
    PassesDone,
    /// The time budget was spent before the remaining passes.
    BudgetSpent,
}

/// What [`QrStrategy::scan`] found in one frame.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Scan {
    /// The first code the caller accepted.
    pub accepted: Option<DecodedCode>,
    /// Every distinct code read by the passes that ran (the accepted one
    /// included), in the order found.
    pub codes: Vec<DecodedCode>,
    /// Passes run.
    pub passes_run: usize,
    /// Why the scan stopped.
    pub end: ScanEnd,
    /// Time spent, pre-scan included.
    pub elapsed: Duration,
    /// A code was seen but failed its checks in some pass.
    pub unreadable: bool,
    /// Distinct finder-pattern candidates the pre-scan confirmed,
    /// dark-centred and light-centred, in the rows it scanned (it stops at
    /// the first triple when that is enough); `None` when the pre-scan is
    /// off or did not run (the first pass read a code).
    pub finder_candidates: Option<(usize, usize)>,
    /// Whether the pre-scan saw three dark-centred, and three light-centred,
    /// candidates placed as a code's finder patterns (the passes of a
    /// polarity run only when it did); `None` when the pre-scan is off or
    /// did not run.
    pub finder_triples: Option<(bool, bool)>,
}

/// A QR decoding strategy: [`Pass`]es in order until a code is accepted,
/// the passes run out or the time budget is spent. The first pass always
/// runs; when it reads nothing, a pre-scan for finder patterns runs:
/// without three of one polarity placed as a code places them no other
/// pass runs (the cheap exit for camera frames without a code), and only
/// the passes of a polarity it sees such a triple in run
/// ([`finder_triples`]).
///
/// [`QrStrategy::new`] runs [`DEFAULT_PASSES`]: rxing hybrid, then inverted
/// (dark-mode codes, global-histogram then hybrid binarizer), the
/// global-histogram binarizer, half size, double size and quircs. As a
/// [`QrDecoder`] it returns the codes of the first pass that reads any.
///
/// ```
/// use vitale_reader::qr::{LumaImage, QrDecoder, QrStrategy};
/// use std::time::Duration;
///
/// let strategy = QrStrategy::new().with_budget(Some(Duration::from_millis(30)));
/// let blank = LumaImage::filled(640, 480, 200)?;
/// let scan = strategy.scan(&blank.as_frame(), &mut |code| code.text().is_some())?;
/// assert!(scan.accepted.is_none() && scan.passes_run == 1);
/// assert!(strategy.decode(&blank.as_frame())?.is_empty());
/// # Ok::<(), vitale_reader::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct QrStrategy {
    passes: Vec<Pass>,
    budget: Option<Duration>,
    prescan: bool,
}

impl Default for QrStrategy {
    fn default() -> Self {
        Self::new()
    }
}

impl QrStrategy {
    /// [`DEFAULT_PASSES`], the pre-scan on, no time budget.
    pub fn new() -> Self {
        Self::with_passes(DEFAULT_PASSES.to_vec())
    }

    /// These passes in this order, the pre-scan on, no time budget.
    pub fn with_passes(passes: Vec<Pass>) -> Self {
        QrStrategy {
            passes,
            budget: None,
            prescan: true,
        }
    }

    /// Stops starting new passes once `budget` has elapsed since the scan
    /// began (checked between passes: the first pass always runs, and a
    /// pass that started is finished). `None`: no limit.
    #[must_use]
    pub fn with_budget(mut self, budget: Option<Duration>) -> Self {
        self.budget = budget;
        self
    }

    /// Turns the finder-pattern pre-scan on or off. Off, every frame runs
    /// every pass until a code is accepted.
    #[must_use]
    pub fn with_prescan(mut self, on: bool) -> Self {
        self.prescan = on;
        self
    }

    /// The passes, in order.
    pub fn passes(&self) -> &[Pass] {
        &self.passes
    }

    /// The time budget.
    pub fn budget(&self) -> Option<Duration> {
        self.budget
    }

    /// Runs the passes on `frame` until `accept` returns `true` for a code
    /// (the facade's `Terminal` accepts the first one that verifies), the
    /// passes run out or the budget is spent. `accept` sees each distinct
    /// code once, until it accepts one; the other codes of the pass that
    /// read the accepted one are still collected in [`Scan::codes`].
    ///
    /// # Errors
    ///
    /// When no code was read at all: the first backend failure
    /// ([`QrError::DecoderPanicked`], [`QrError::Decoder`]) if one
    /// happened. A code seen but not read is reported in
    /// [`Scan::unreadable`], not as an error.
    pub fn scan(
        &self,
        frame: &LumaFrame<'_>,
        accept: &mut dyn FnMut(&DecodedCode) -> bool,
    ) -> Result<Scan, Error> {
        let start = Instant::now();
        let (width, height) = (frame.width(), frame.height());
        let packed = frame.packed();
        // Lossless: frame sides fit MAX_PIXELS.
        let (w, h) = (width as usize, height as usize);
        let mut scan = Scan {
            accepted: None,
            codes: Vec::new(),
            passes_run: 0,
            end: ScanEnd::PassesDone,
            elapsed: Duration::ZERO,
            unreadable: false,
            finder_candidates: None,
            finder_triples: None,
        };
        // The first pass always runs: it reads most frames with a code, and
        // the pre-scan must not cost them anything nor drop one it reads.
        // When it reads nothing, the pre-scan runs, up to the first finder
        // triple: a frame without one runs no further pass (the cheap exit
        // for camera frames without a code); a pass of a polarity without
        // a triple so far waits for the rest of the scan and runs only if
        // it finds one.
        let mut prescan = self.prescan.then(|| Prescan::new(&packed, w, h));
        let mut gated = false;
        let mut pictures = Pictures::default();
        let mut failure = None;
        for pass in &self.passes {
            if !pass.scale.applies(width, height) {
                continue;
            }
            if scan.passes_run > 0
                && let Some(p) = prescan.as_mut()
            {
                if !gated {
                    gated = true;
                    p.scan(true);
                    let seen = p.seen();
                    if !(seen.dark_triple || seen.light_triple) {
                        scan.end = ScanEnd::NoCandidate;
                        break;
                    }
                }
                // Halving and doubling keep the polarity.
                let wanted = |p: &Prescan<'_>| {
                    let seen = p.seen();
                    if pass.inverted {
                        seen.light_triple
                    } else {
                        seen.dark_triple
                    }
                };
                if !wanted(p) && !p.finished() {
                    p.scan(false);
                }
                if !wanted(p) {
                    continue;
                }
            }
            if scan.passes_run > 0 && self.budget.is_some_and(|b| start.elapsed() >= b) {
                scan.end = ScanEnd::BudgetSpent;
                break;
            }
            scan.passes_run += 1;
            let result = if !pass.inverted && pass.scale == Rescale::Full {
                run(pass, &packed, w, h)
            } else {
                match pictures.get(&packed, w, h, pass.inverted, pass.scale) {
                    Some(p) => run(pass, &p.pixels, p.width, p.height),
                    None => continue,
                }
            };
            match result {
                Ok(codes) => {
                    for mut code in codes {
                        if scan.codes.iter().any(|c| c.content == code.content) {
                            continue;
                        }
                        code.corners = code.corners.map(|c| c.map(|p| pass.scale.to_frame(p)));
                        if scan.accepted.is_none() && accept(&code) {
                            scan.accepted = Some(code.clone());
                            scan.end = ScanEnd::Accepted;
                        }
                        scan.codes.push(code);
                    }
                }
                Err(Error::Qr(QrError::CodeUnreadable { .. })) => scan.unreadable = true,
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
            if scan.accepted.is_some() {
                break;
            }
        }
        if let Some(p) = prescan.as_ref().filter(|_| gated) {
            let seen = p.seen();
            scan.finder_candidates = Some((seen.dark, seen.light));
            scan.finder_triples = Some((seen.dark_triple, seen.light_triple));
        }
        scan.elapsed = start.elapsed();
        match failure {
            Some(e) if scan.codes.is_empty() => Err(e),
            _ => Ok(scan),
        }
    }
}

impl QrDecoder for QrStrategy {
    fn name(&self) -> &'static str {
        "strategy"
    }

    /// The codes of the first pass that reads any; `Ok(vec![])` when the
    /// pre-scan sees no finder triple or no pass reads a code.
    fn decode(&self, frame: &LumaFrame<'_>) -> Result<Vec<DecodedCode>, Error> {
        let scan = self.scan(frame, &mut |_| true)?;
        if scan.codes.is_empty() && scan.unreadable {
            return Err(QrError::CodeUnreadable {
                decoder: self.name(),
            }
            .into());
        }
        Ok(scan.codes)
    }
}

/// The strategy's pre-scan on its own, over the whole frame: distinct
/// finder-pattern candidates (*motifs de position*) in `frame`,
/// `(dark-centred, light-centred)`. Candidates alone do not decide: see
/// [`finder_triples`].
pub fn finder_candidates(frame: &LumaFrame<'_>) -> (usize, usize) {
    let f = prescan_whole(frame);
    (f.dark, f.light)
}

/// The strategy's pre-scan on its own, over the whole frame: whether three
/// dark-centred, and three light-centred, finder-pattern candidates sit as
/// a code's three finder patterns (compatible sizes, an L with legs of
/// similar length at roughly a right angle). `(false, false)` is where
/// [`QrStrategy::scan`] stops a frame before any pass ([`ScanEnd::NoCandidate`]);
/// the pre-scan is measured never to miss a code the passes read on the
/// test corpora, and may see a triple in a frame without a code.
pub fn finder_triples(frame: &LumaFrame<'_>) -> (bool, bool) {
    let f = prescan_whole(frame);
    (f.dark_triple, f.light_triple)
}

fn prescan_whole(frame: &LumaFrame<'_>) -> Finders {
    // Lossless: frame sides fit MAX_PIXELS.
    finders(
        &frame.packed(),
        frame.width() as usize,
        frame.height() as usize,
    )
}

fn run(pass: &Pass, pixels: &[u8], width: usize, height: usize) -> Result<Vec<DecodedCode>, Error> {
    match pass.engine {
        Engine::Rxing(binarizer) => guarded("rxing", || {
            // Lossless: the pictures' sides come from u32 sides (halved or
            // doubled within MAX_PIXELS).
            rxing_backend::decode_packed("rxing", pixels, width as u32, height as u32, binarizer)
        }),
        Engine::Quircs => guarded("quircs", || {
            quircs_backend::decode_packed("quircs", pixels, width, height)
        }),
        #[cfg(feature = "zxing-cpp")]
        Engine::ZxingCpp(binarizer) => guarded("zxing-cpp", || {
            super::zxing_backend::decode_packed(pixels, width as u32, height as u32, binarizer)
        }),
    }
}

/// The frame's pictures, made once per scan when a pass first needs them.
#[derive(Default)]
struct Pictures {
    made: Vec<((bool, Rescale), Option<Packed>)>,
}

impl Pictures {
    fn get(
        &mut self,
        frame: &[u8],
        width: usize,
        height: usize,
        inverted: bool,
        scale: Rescale,
    ) -> Option<&Packed> {
        let key = (inverted, scale);
        if !self.made.iter().any(|(k, _)| *k == key) {
            let mut picture = match scale {
                Rescale::Full => Some(Packed {
                    width,
                    height,
                    pixels: frame.to_vec(),
                }),
                Rescale::Half => halve(frame, width, height),
                Rescale::Double => double(frame, width, height, MAX_PIXELS),
            };
            if let Some(p) = picture.as_mut().filter(|_| inverted) {
                p.pixels = invert(&p.pixels);
            }
            self.made.push((key, picture));
        }
        self.made
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, p)| p.as_ref())
    }
}
