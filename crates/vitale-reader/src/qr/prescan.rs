//! The cheap look before decoding: does anything in the frame look like a
//! QR finder pattern (the 1 : 1 : 3 : 1 : 1 dark-light-dark-light-dark
//! bull's eye that ISO/IEC 18004 calls the finder pattern), dark on light
//! or light on dark?
//!
//! One pass takes the darkest and lightest pixel of each 16 × 16 block for
//! a local threshold (midway, over the 3 × 3 blocks around), a second scans
//! every other row for the run pattern with a hysteresis (so that sensor
//! grain on a flat background makes no runs), and each row candidate is
//! confirmed on a neighbouring row and along its column. A frame
//! without any confirmed candidate of either polarity holds no readable
//! code: the strategy stops there.

/// Side of a threshold block, in pixels.
const BLOCK: usize = 16;
/// A pixel must be at least this far past the local threshold to change
/// colour.
const HYSTERESIS: i16 = 4;
/// Rows scanned: one every `ROW_STEP` (a finder pattern is 7 modules high,
/// at least 7 pixels in any code a backend reads).
const ROW_STEP: usize = 2;
/// Smallest pattern width in pixels (7 modules of at least 1 pixel).
const MIN_PATTERN: u32 = 7;
/// Enough of each polarity to decide: the scan stops there.
const ENOUGH: usize = 3;

/// Confirmed finder-pattern candidates.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finders {
    /// Dark centre on light (the usual print).
    pub(crate) dark: usize,
    /// Light centre on dark (dark mode, inverted codes).
    pub(crate) light: usize,
}

impl Finders {
    /// No candidate of either polarity.
    pub(crate) fn none(&self) -> bool {
        self.dark == 0 && self.light == 0
    }
}

/// Local thresholds, one per block: the midpoint of the darkest and the
/// lightest pixel of the 3 × 3 blocks around, and a hysteresis of a quarter
/// of that range. Where the range is under [`MIN_CONTRAST`] the block is
/// flat: no pixel of it changes colour.
struct Thresholds {
    columns: usize,
    /// `(level, hysteresis)` per block.
    levels: Vec<(i16, i16)>,
}

/// The smallest light − dark difference a block needs to hold an edge.
const MIN_CONTRAST: u8 = 20;

impl Thresholds {
    fn new(pixels: &[u8], width: usize, height: usize) -> Self {
        let columns = width.div_ceil(BLOCK);
        let rows = height.div_ceil(BLOCK);
        let mut ranges = vec![(u8::MAX, u8::MIN); columns * rows];
        for (y, row) in pixels.chunks_exact(width).take(height).enumerate() {
            let base = (y / BLOCK) * columns;
            for (bx, segment) in row.chunks(BLOCK).enumerate() {
                if let Some((lo, hi)) = ranges.get_mut(base + bx) {
                    for &p in segment {
                        *lo = (*lo).min(p);
                        *hi = (*hi).max(p);
                    }
                }
            }
        }
        let mut levels = vec![(0, i16::MAX); columns * rows];
        for by in 0..rows {
            for bx in 0..columns {
                let (mut lo, mut hi) = (u8::MAX, u8::MIN);
                for y in by.saturating_sub(1)..=(by + 1).min(rows - 1) {
                    for x in bx.saturating_sub(1)..=(bx + 1).min(columns - 1) {
                        if let Some(&(l, h)) = ranges.get(y * columns + x) {
                            lo = lo.min(l);
                            hi = hi.max(h);
                        }
                    }
                }
                if let Some(level) = levels.get_mut(by * columns + bx) {
                    let range = hi.saturating_sub(lo);
                    if range >= MIN_CONTRAST {
                        let (lo, range) = (i16::from(lo), i16::from(range));
                        *level = (lo + range / 2, (range / 4).max(HYSTERESIS));
                    }
                }
            }
        }
        Self { columns, levels }
    }

    /// `(level, hysteresis)` at a pixel.
    fn at(&self, x: usize, y: usize) -> (i16, i16) {
        self.levels
            .get((y / BLOCK) * self.columns + x / BLOCK)
            .copied()
            .unwrap_or((0, i16::MAX))
    }
}

/// Whether `p` is dark, given the colour of the run it may continue.
fn is_dark(was_dark: bool, p: i16, (t, h): (i16, i16)) -> bool {
    if h == i16::MAX {
        // A flat block: the colour does not change.
        return was_dark;
    }
    if was_dark { p < t + h } else { p < t - h }
}

/// Counts finder-pattern candidates in a packed `width × height` frame.
pub(crate) fn finders(pixels: &[u8], width: usize, height: usize) -> Finders {
    let mut found = Finders::default();
    if width == 0 || height == 0 || pixels.len() < width * height {
        return found;
    }
    let thresholds = Thresholds::new(pixels, width, height);
    for (y, row) in pixels
        .chunks_exact(width)
        .take(height)
        .enumerate()
        .step_by(ROW_STEP)
    {
        let mut runs = Runs::default();
        let mut dark = false;
        for (x, &p) in row.iter().enumerate() {
            let now_dark = is_dark(dark, i16::from(p), thresholds.at(x, y));
            if now_dark != dark {
                runs.push(dark);
                if let Some(centre) = runs.pattern() {
                    let cx = x.saturating_sub(runs.tail_from_centre());
                    let at = |yy: usize| {
                        let q = pixels.get(yy.checked_mul(width)?.checked_add(cx)?)?;
                        (yy < height).then(|| (i16::from(*q), thresholds.at(cx, yy)))
                    };
                    let span = runs.width() as usize;
                    let again =
                        |yy: usize| repeats(pixels, width, &thresholds, yy, cx, span, centre);
                    let repeated = again(y + 1) || y.checked_sub(1).is_some_and(again);
                    if repeated && vertical(at, y, centre, runs.width() * 2) {
                        if centre {
                            found.dark += 1;
                        } else {
                            found.light += 1;
                        }
                        if found.dark >= ENOUGH && found.light >= ENOUGH {
                            return found;
                        }
                    }
                }
                dark = now_dark;
            }
            runs.grow();
        }
    }
    found
}

/// Whether row `y` also crosses a pattern of the same polarity centred
/// within a quarter of `span` of column `cx` (noise seldom repeats on the
/// next row; a finder pattern's centre is 3 modules high).
fn repeats(
    pixels: &[u8],
    width: usize,
    thresholds: &Thresholds,
    y: usize,
    cx: usize,
    span: usize,
    centre: bool,
) -> bool {
    let from = cx.saturating_sub(span * 2);
    let to = (cx + span * 2).min(width);
    let Some(row) = y
        .checked_mul(width)
        .and_then(|start| pixels.get(start + from..start + to))
    else {
        return false;
    };
    let mut runs = Runs::default();
    let mut dark = false;
    for (i, &p) in row.iter().enumerate() {
        let x = from + i;
        let now_dark = is_dark(dark, i16::from(p), thresholds.at(x, y));
        if now_dark != dark {
            runs.push(dark);
            if runs.pattern() == Some(centre) {
                let other = x.saturating_sub(runs.tail_from_centre());
                if other.abs_diff(cx) <= (span / 4).max(1) {
                    return true;
                }
            }
            dark = now_dark;
        }
        runs.grow();
    }
    false
}

/// The last five runs of a row: lengths and whether the centre one is dark.
#[derive(Default)]
struct Runs {
    lengths: [u32; 6],
    dark_last: bool,
    count: usize,
}

impl Runs {
    /// One more pixel in the current run.
    fn grow(&mut self) {
        if let Some(l) = self.lengths.last_mut() {
            *l += 1;
        }
    }

    /// The current run ends (it was `dark`); a new one starts.
    fn push(&mut self, dark: bool) {
        self.lengths.rotate_left(1);
        if let Some(l) = self.lengths.last_mut() {
            *l = 0;
        }
        self.dark_last = dark;
        self.count += 1;
    }

    /// Pixels from the centre of the middle run to the end of the last
    /// complete run.
    fn tail_from_centre(&self) -> usize {
        match self.lengths {
            [_, _, c, d, e, _] => (c - c / 2 + d + e) as usize,
        }
    }

    /// Width of the last five complete runs.
    fn width(&self) -> u32 {
        self.lengths.iter().take(5).sum()
    }

    /// `Some(centre is dark)` when the last five complete runs are
    /// 1 : 1 : 3 : 1 : 1.
    fn pattern(&self) -> Option<bool> {
        if self.count < 5 {
            return None;
        }
        let [a, b, c, d, e, _] = self.lengths;
        // The last complete run and the centre run share a colour.
        ratio(&[a, b, c, d, e]).then_some(self.dark_last)
    }
}

/// Whether five run lengths are 1 : 1 : 3 : 1 : 1 within tolerance.
fn ratio(runs: &[u32; 5]) -> bool {
    let total: u32 = runs.iter().sum();
    if total < MIN_PATTERN {
        return false;
    }
    // In sevenths of a pixel: module = total / 7.
    let module = total;
    let slack = module * 7 / 10;
    let [a, b, c, d, e] = runs.map(|r| r * 7);
    [a, b, d, e].iter().all(|&r| r.abs_diff(module) <= slack) && c.abs_diff(3 * module) <= 3 * slack
}

/// Whether the column through a row candidate (`at(row)` is the pixel and
/// its threshold and hysteresis) crosses the same pattern around row `y`; no run is
/// followed further than `limit` pixels.
fn vertical(
    at: impl Fn(usize) -> Option<(i16, (i16, i16))>,
    y: usize,
    centre_dark: bool,
    limit: u32,
) -> bool {
    // Continuing a run of colour `dark` from a pixel of that colour.
    let is = |dark: bool, (p, t): (i16, (i16, i16))| is_dark(dark, p, t) == dark;
    let run = |from: usize, up: bool, dark: bool, limit: u32| -> (u32, usize) {
        let mut n = 0;
        let mut i = from;
        while n < limit {
            let next = if up { i.checked_sub(1) } else { Some(i + 1) };
            match next.and_then(|j| at(j).map(|c| (j, c))) {
                Some((j, c)) if is(dark, c) => {
                    n += 1;
                    i = j;
                }
                _ => break,
            }
        }
        (n, i)
    };
    let Some(start) = at(y) else {
        return false;
    };
    if !is(centre_dark, start) {
        return false;
    }
    let (up_c, i) = run(y, true, centre_dark, limit);
    let (down_c, j) = run(y, false, centre_dark, limit);
    let (up_1, i) = run(i, true, !centre_dark, limit);
    let (down_1, j) = run(j, false, !centre_dark, limit);
    let (up_0, _) = run(i, true, centre_dark, limit);
    let (down_0, _) = run(j, false, centre_dark, limit);
    ratio(&[up_0, up_1, up_c + down_c + 1, down_1, down_0])
}
