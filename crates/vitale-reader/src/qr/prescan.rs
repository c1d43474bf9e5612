//! The cheap look before decoding: does the frame hold three QR finder
//! patterns (the 1 : 1 : 3 : 1 : 1 dark-light-dark-light-dark bull's eye
//! that ISO/IEC 18004 calls the finder pattern, *motif de position*) of one
//! polarity, of compatible sizes, placed as a code places them (an L: a
//! corner and two legs of similar length at roughly a right angle)?
//!
//! One pass takes the darkest and lightest pixel of each 16 × 16 block (on
//! the scanned rows only) for a local threshold (midway, over the 3 × 3
//! blocks around), a second scans
//! every other row for the run pattern with a hysteresis (so that sensor
//! grain on a flat background makes no runs; blocks without contrast are
//! skipped whole), and each row candidate is confirmed on a neighbouring row
//! and along its column. Candidates of one finder seen on several rows are
//! merged; each new one is tried with every pair of earlier ones of its
//! polarity for the L. A frame without such a triple holds no code that a
//! finder-pattern decoder (ZXing and quirc both locate a code by its three
//! finder patterns) can read: the strategy stops there, before any pass.
//! The scan can stop at the first triple and resume later, so that a frame
//! whose first pass reads a code pays for part of the scan only.

#[cfg(test)]
mod tests;

/// Side of a threshold block, in pixels.
const BLOCK: usize = 16;
/// A pixel must be at least this far past the local threshold to change
/// colour.
const HYSTERESIS: i16 = 3;
/// Rows scanned: one every `ROW_STEP` (a finder pattern is 7 modules high,
/// at least 7 pixels in any code a backend reads).
const ROW_STEP: usize = 2;
/// Smallest pattern width in pixels (7 modules of at least 1 pixel).
const MIN_PATTERN: u32 = 7;

/// Largest number of distinct candidates kept per polarity: past it the
/// frame is too busy to decide cheaply and counts as holding a triple (the
/// passes decide).
const MAX_CANDIDATES: usize = 64;
/// Shortest leg of the L, in modules (estimated from the pattern's width
/// along the row: up to √2 too large on a code turned 45°). The centres of
/// two finder patterns of a version 1 code are 14 modules apart.
const MIN_LEG: f32 = 9.0;
/// Longest leg of the L, in modules (version 40: 170 modules, and slack
/// for perspective).
const MAX_LEG: f32 = 250.0;
/// Largest ratio of two candidates' pattern widths in one triple, in
/// tenths.
const MAX_WIDTH_RATIO_TENTHS: usize = 16;

/// What the pre-scan saw.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finders {
    /// Distinct candidates with a dark centre on light (the usual print).
    pub(crate) dark: usize,
    /// Distinct candidates with a light centre on dark (dark mode,
    /// inverted codes).
    pub(crate) light: usize,
    /// Three dark-centred candidates in a code's L.
    pub(crate) dark_triple: bool,
    /// Three light-centred candidates in a code's L.
    pub(crate) light_triple: bool,
}

impl Finders {
    /// No candidate of either polarity.
    #[cfg(test)]
    pub(crate) fn none(&self) -> bool {
        self.dark == 0 && self.light == 0
    }
}

/// A confirmed finder-pattern candidate: its centre and its width along
/// the row (7 modules on a level code).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    x: usize,
    y: usize,
    width: usize,
}

impl Candidate {
    /// Whether `other` is the same pattern seen on another row: as wide
    /// (a wide blob around a real pattern must not swallow it) and within
    /// half a width.
    fn same_as(&self, other: &Candidate) -> bool {
        let (lo, hi) = (self.width.min(other.width), self.width.max(other.width));
        let half = hi / 2;
        hi.saturating_mul(10) <= lo.saturating_mul(MAX_WIDTH_RATIO_TENTHS)
            && self.x.abs_diff(other.x) <= half
            && self.y.abs_diff(other.y) <= half
    }
}

/// Whether three candidates of one polarity sit as a code's three finder
/// patterns: compatible widths, and one of them the corner of an L whose
/// legs are of similar length (within 2 : 1, for perspective) at 65–115°.
fn triple(a: &Candidate, b: &Candidate, c: &Candidate) -> bool {
    let lo = a.width.min(b.width).min(c.width);
    let hi = a.width.max(b.width).max(c.width);
    if hi.saturating_mul(10) > lo.saturating_mul(MAX_WIDTH_RATIO_TENTHS) {
        return false;
    }
    // Widths and coordinates are frame pixels (under 2^24): exact in f32.
    let module = (a.width + b.width + c.width) as f32 / 21.0;
    corner(a, b, c, module) || corner(b, a, c, module) || corner(c, a, b, module)
}

/// Whether `v` is the corner of an L with legs to `p` and `q`.
fn corner(v: &Candidate, p: &Candidate, q: &Candidate, module: f32) -> bool {
    let leg = |o: &Candidate| (o.x as f32 - v.x as f32, o.y as f32 - v.y as f32);
    let ((ux, uy), (wx, wy)) = (leg(p), leg(q));
    let (lu, lw) = (ux.hypot(uy), wx.hypot(wy));
    let (short, long) = (lu.min(lw), lu.max(lw));
    short >= MIN_LEG * module
        && long <= MAX_LEG * module
        && short * 2.0 >= long
        // |cos| ≤ 0.42: between 65° and 115°.
        && (ux * wx + uy * wy).abs() <= 0.42 * lu * lw
}

/// Distinct candidates of one polarity and whether three form an L.
#[derive(Default)]
struct Polarity {
    candidates: Vec<Candidate>,
    triple: bool,
}

impl Polarity {
    fn add(&mut self, c: Candidate) {
        if self.candidates.iter().any(|o| o.same_as(&c)) {
            return;
        }
        if self.candidates.len() >= MAX_CANDIDATES {
            self.triple = true;
            return;
        }
        if !self.triple {
            let list = &self.candidates;
            self.triple = list
                .iter()
                .enumerate()
                .any(|(i, a)| list.iter().skip(i + 1).any(|b| triple(a, b, &c)));
        }
        self.candidates.push(c);
    }
}

/// Local thresholds, one per block: the midpoint of the darkest and the
/// lightest pixel of the 3 × 3 blocks around, and a hysteresis of an eighth
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
        if width == 0 || height == 0 {
            return Self {
                columns: 0,
                levels: Vec::new(),
            };
        }
        let columns = width.div_ceil(BLOCK);
        let rows = height.div_ceil(BLOCK);
        let mut ranges = vec![(u8::MAX, u8::MIN); columns * rows];
        // From the scanned rows only (every `ROW_STEP`-th): half the reads,
        // and the rows the thresholds serve.
        for (y, row) in pixels
            .chunks_exact(width)
            .take(height)
            .enumerate()
            .step_by(ROW_STEP)
        {
            let base = (y / BLOCK) * columns;
            for (bx, segment) in row.chunks(BLOCK).enumerate() {
                if let Some((lo, hi)) = ranges.get_mut(base + bx) {
                    let (l, h) = extremes(segment);
                    *lo = (*lo).min(l);
                    *hi = (*hi).max(h);
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
                        *level = (lo + range / 2, (range / 8).max(HYSTERESIS));
                    }
                }
            }
        }
        Self { columns, levels }
    }

    /// `(level, hysteresis)` at a pixel.
    fn at(&self, x: usize, y: usize) -> (i16, i16) {
        self.block(x / BLOCK, y / BLOCK)
    }

    /// `(level, hysteresis)` of a block.
    fn block(&self, bx: usize, by: usize) -> (i16, i16) {
        self.levels
            .get(by * self.columns + bx)
            .copied()
            .unwrap_or((0, i16::MAX))
    }
}

/// The darkest and the lightest pixel of a segment (`(255, 0)` when it is
/// empty); two separate folds, which the compiler vectorises.
fn extremes(segment: &[u8]) -> (u8, u8) {
    let lo = segment.iter().copied().fold(u8::MAX, u8::min);
    let hi = segment.iter().copied().fold(u8::MIN, u8::max);
    (lo, hi)
}

/// Whether `p` is dark, given the colour of the run it may continue.
fn is_dark(was_dark: bool, p: i16, (t, h): (i16, i16)) -> bool {
    if h == i16::MAX {
        // A flat block: the colour does not change.
        return was_dark;
    }
    if was_dark { p < t + h } else { p < t - h }
}

/// The pre-scan of one packed `width × height` frame, resumable: rows are
/// scanned top to bottom, [`Prescan::scan`] stops at the first triple or
/// at the end, and a later call goes on from there.
pub(crate) struct Prescan<'a> {
    pixels: &'a [u8],
    width: usize,
    height: usize,
    thresholds: Thresholds,
    next_row: usize,
    dark: Polarity,
    light: Polarity,
}

impl<'a> Prescan<'a> {
    /// Thresholds computed, no row scanned yet. A buffer shorter than
    /// `width × height` scans nothing.
    pub(crate) fn new(pixels: &'a [u8], width: usize, height: usize) -> Self {
        let valid = width > 0 && height > 0 && pixels.len() >= width.saturating_mul(height);
        let (width, height) = if valid { (width, height) } else { (0, 0) };
        Prescan {
            pixels,
            width,
            height,
            thresholds: Thresholds::new(pixels, width, height),
            next_row: 0,
            dark: Polarity::default(),
            light: Polarity::default(),
        }
    }

    /// Scans on, to the end or (`until_triple`) until either polarity has
    /// a triple.
    pub(crate) fn scan(&mut self, until_triple: bool) {
        while self.next_row < self.height {
            if until_triple && (self.dark.triple || self.light.triple) {
                return;
            }
            self.scan_row(self.next_row);
            self.next_row += ROW_STEP;
        }
    }

    /// Every row scanned.
    pub(crate) fn finished(&self) -> bool {
        self.next_row >= self.height
    }

    /// What was seen so far.
    pub(crate) fn seen(&self) -> Finders {
        Finders {
            dark: self.dark.candidates.len(),
            light: self.light.candidates.len(),
            dark_triple: self.dark.triple,
            light_triple: self.light.triple,
        }
    }

    fn scan_row(&mut self, y: usize) {
        let (pixels, width) = (self.pixels, self.width);
        let Some(row) = y
            .checked_mul(width)
            .and_then(|start| pixels.get(start..start + width))
        else {
            return;
        };
        let mut runs = Runs::default();
        let mut dark = false;
        for (bx, segment) in row.chunks(BLOCK).enumerate() {
            let level = self.thresholds.block(bx, y / BLOCK);
            if level.1 == i16::MAX {
                // A flat block: the colour does not change.
                runs.grow_by(segment.len());
                continue;
            }
            // Most segments of a frame without a code continue the current
            // run: one look at their extremes (vectorised) instead of a
            // decision per pixel.
            let (lo, hi) = extremes(segment);
            let (t, h) = level;
            let stays = if dark {
                i16::from(hi) < t + h
            } else {
                i16::from(lo) >= t - h
            };
            if stays {
                runs.grow_by(segment.len());
                continue;
            }
            for (i, &p) in segment.iter().enumerate() {
                let now_dark = is_dark(dark, i16::from(p), level);
                if now_dark != dark {
                    runs.push(dark);
                    if let Some(centre) = runs.pattern() {
                        let x = bx * BLOCK + i;
                        if let Some(c) = self.confirm(&runs, x, y, centre) {
                            if centre {
                                self.dark.add(c);
                            } else {
                                self.light.add(c);
                            }
                        }
                    }
                    dark = now_dark;
                }
                runs.grow();
            }
        }
    }

    /// A row pattern ending at `x` confirmed on a neighbouring row and
    /// along its column.
    fn confirm(&self, runs: &Runs, x: usize, y: usize, centre: bool) -> Option<Candidate> {
        let (pixels, width, height) = (self.pixels, self.width, self.height);
        let thresholds = &self.thresholds;
        let cx = x.saturating_sub(runs.tail_from_centre());
        let span = runs.width() as usize;
        let again = |yy: usize| repeats(pixels, width, thresholds, yy, cx, span, centre);
        if !(again(y + 1) || y.checked_sub(1).is_some_and(again)) {
            return None;
        }
        let pixel = |x: usize, y: usize| {
            let q = pixels.get(y.checked_mul(width)?.checked_add(x)?)?;
            (x < width && y < height).then(|| (i16::from(*q), thresholds.at(x, y)))
        };
        let limit = runs.width() * 2;
        // Along the column: the same pattern, about as high as it is wide
        // (a square seen at any angle; 2 : 1 for perspective).
        let (dy, height) = cross(|k| pixel(cx, y.checked_add_signed(k)?), centre, limit)?;
        let cy = y.checked_add_signed(dy)?;
        let (w, h) = (runs.width(), height);
        if h.saturating_mul(2) < w || h > w.saturating_mul(2) {
            return None;
        }
        // And along a diagonal through the centre (as ZXing's
        // cross-check): blobs and checkerboards seldom pass all three.
        cross(
            |k| pixel(cx.checked_add_signed(k)?, cy.checked_add_signed(k)?),
            centre,
            limit,
        )?;
        Some(Candidate {
            x: cx,
            y: cy,
            width: span,
        })
    }
}

/// Runs the whole pre-scan on a packed `width × height` frame.
pub(crate) fn finders(pixels: &[u8], width: usize, height: usize) -> Finders {
    let mut prescan = Prescan::new(pixels, width, height);
    prescan.scan(false);
    prescan.seen()
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

    /// `n` more pixels in the current run.
    fn grow_by(&mut self, n: usize) {
        if let Some(l) = self.lengths.last_mut() {
            *l = l.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
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
    [a, b, d, e].iter().all(|&r| r.abs_diff(module) <= slack)
        && c.abs_diff(3 * module) * 10 <= module * CENTRE_SLACK_TENTHS
}

/// How far the centre run may be from 3 modules, in tenths of a module:
/// 1.5 modules as in ZXing's finder-pattern check, so that the equal runs
/// of a checkerboard (a centre of 1.4 modules) are no candidate.
const CENTRE_SLACK_TENTHS: u32 = 15;

/// Whether the line through a row candidate crosses the same pattern:
/// `at(k)` is the pixel `k` steps from the candidate's centre along the
/// line, with its threshold and hysteresis; no run is followed further
/// than `limit` steps. `Some((offset of the centre run's middle, pattern
/// length in steps))`.
fn cross(
    at: impl Fn(isize) -> Option<(i16, (i16, i16))>,
    centre_dark: bool,
    limit: u32,
) -> Option<(isize, u32)> {
    // Continuing a run of colour `dark` from a pixel of that colour.
    let is = |dark: bool, (p, t): (i16, (i16, i16))| is_dark(dark, p, t) == dark;
    let run = |from: isize, step: isize, dark: bool| -> (u32, isize) {
        let mut n = 0;
        let mut i = from;
        while n < limit {
            let j = i + step;
            match at(j) {
                Some(c) if is(dark, c) => {
                    n += 1;
                    i = j;
                }
                _ => break,
            }
        }
        (n, i)
    };
    if !is(centre_dark, at(0)?) {
        return None;
    }
    let (up_c, i) = run(0, -1, centre_dark);
    let (down_c, j) = run(0, 1, centre_dark);
    let (up_1, i) = run(i, -1, !centre_dark);
    let (down_1, j) = run(j, 1, !centre_dark);
    let (up_0, _) = run(i, -1, centre_dark);
    let (down_0, _) = run(j, 1, centre_dark);
    let runs = [up_0, up_1, up_c + down_c + 1, down_1, down_0];
    // Run lengths are at most `limit` (a u32): lossless.
    let middle = (down_c as isize - up_c as isize) / 2;
    ratio(&runs).then(|| (middle, runs.iter().sum()))
}
