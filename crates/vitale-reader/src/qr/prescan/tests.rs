#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use crate::qr::LumaImage;

/// Whether pixel (`x`, `y`) is dark in a finder pattern of `module`-pixel
/// modules whose top-left corner is at `at`; `None` outside it.
fn finder_pixel(x: u32, y: u32, at: (u32, u32), module: u32) -> Option<bool> {
    let (x0, y0) = at;
    let inside = x >= x0 && y >= y0 && x < x0 + 7 * module && y < y0 + 7 * module;
    inside.then(|| {
        let (mx, my) = ((x - x0) / module, (y - y0) / module);
        mx.min(my).min(6 - mx).min(6 - my) != 1
    })
}

/// A 400 × 300 frame with finder patterns at `corners` (top-left corners,
/// each with its own module size), dark on light or, `inverted`, light on
/// dark.
fn frame(finders: &[((u32, u32), u32)], inverted: bool) -> LumaImage {
    LumaImage::from_fn(400, 300, |x, y| {
        let dark = finders
            .iter()
            .any(|&(at, m)| finder_pixel(x, y, at, m) == Some(true));
        if dark != inverted { 30 } else { 220 }
    })
    .unwrap()
}

/// A 400 × 300 frame with a code's three finder patterns (`module`-pixel
/// modules, the corner's top-left at `at`, the others `d` pixels right and
/// down) and, `timing`, the timing row and column between them (dark on
/// even module columns and rows, as ISO/IEC 18004 places them); nothing
/// else of a code.
fn code_corner(at: (u32, u32), module: u32, d: u32, timing: bool, inverted: bool) -> LumaImage {
    let (x0, y0) = at;
    let finders = [(x0, y0), (x0 + d, y0), (x0, y0 + d)];
    LumaImage::from_fn(400, 300, |x, y| {
        let finder = finders
            .iter()
            .any(|&f| finder_pixel(x, y, f, module) == Some(true));
        let along = |a: u32, b: u32, a0: u32, b0: u32| {
            (b0 + 6 * module..b0 + 7 * module).contains(&b)
                && (a0 + 8 * module..a0 + d - module).contains(&a)
                && ((a - a0) / module).is_multiple_of(2)
        };
        let dark = finder || (timing && (along(x, y, x0, y0) || along(y, x, y0, x0)));
        if dark != inverted { 30 } else { 220 }
    })
    .unwrap()
}

fn seen(image: &LumaImage) -> Finders {
    finders(
        image.pixels(),
        image.width() as usize,
        image.height() as usize,
    )
}

#[test]
fn three_finder_patterns_in_an_l_are_a_triple_of_their_polarity() {
    for m in [2, 3, 5] {
        let d = 25 * m;
        let f = seen(&code_corner((20, 20), m, d, true, false));
        assert!(f.dark_triple && !f.light_triple, "module {m}: {f:?}");
        assert_eq!(f.dark, 3, "one candidate per pattern: {f:?}");
        let f = seen(&code_corner((20, 20), m, d, true, true));
        assert!(f.light_triple, "module {m} inverted: {f:?}");
    }
    // The corner of the L anywhere: bottom-right here.
    let l = [((200, 40), 3), ((200, 200), 3), ((40, 200), 3)];
    assert!(seen(&frame(&l, false)).dark_triple);
}

#[test]
fn finder_patterns_out_of_an_l_are_no_triple() {
    // In a line.
    let line = [((20, 100), 3), ((120, 100), 3), ((220, 100), 3)];
    let f = seen(&frame(&line, false));
    assert_eq!(f.dark, 3, "{f:?}");
    assert!(!f.dark_triple, "{f:?}");
    // Sizes that no single code has (1 : 3).
    let sizes = [((20, 20), 2), ((150, 20), 6), ((20, 150), 2)];
    let f = seen(&frame(&sizes, false));
    assert!(!f.dark_triple, "{f:?}");
    // Closer than a version 1 code places them (6 modules apart).
    let close = [((20, 20), 3), ((38, 20), 3), ((20, 38), 3)];
    assert!(!seen(&frame(&close, false)).dark_triple);
    // Legs of 1 : 3.
    let uneven = [((20, 20), 2), ((60, 20), 2), ((20, 200), 2)];
    assert!(!seen(&frame(&uneven, false)).dark_triple);
}

#[test]
fn a_checkerboard_holds_no_candidate() {
    for cell in [2, 4, 8, 13] {
        let board = LumaImage::from_fn(320, 240, |x, y| {
            if (x / cell + y / cell) % 2 == 0 {
                20
            } else {
                230
            }
        })
        .unwrap();
        let f = seen(&board);
        assert!(!f.dark_triple && !f.light_triple, "cell {cell}: {f:?}");
    }
}

#[test]
fn a_short_buffer_or_empty_frame_scans_nothing() {
    assert!(finders(&[0; 10], 4, 4).none());
    assert!(finders(&[], 0, 0).none());
    let mut p = Prescan::new(&[0; 16], 4, 4);
    p.scan(true);
    assert!(p.finished());
}

#[test]
fn the_scan_stops_at_the_first_triple_and_resumes() {
    let image = code_corner((20, 20), 3, 75, true, false);
    let mut p = Prescan::new(image.pixels(), 400, 300);
    p.scan(true);
    assert!(p.seen().dark_triple);
    assert!(!p.finished(), "stopped at the triple, rows left");
    p.scan(false);
    assert!(p.finished());
    assert_eq!(p.seen(), seen(&image));
}
