#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::super::prescan::finders;
use super::super::transform::{double, halve, invert};
use super::*;
use crate::qr::LumaImage;

/// A frame with one finder pattern (7 × 7 modules of `module` px) at
/// (`x0`, `y0`), dark on light or, `inverted`, light on dark.
fn finder_frame(module: u32, x0: u32, y0: u32, inverted: bool) -> LumaImage {
    LumaImage::from_fn(200, 160, |x, y| {
        let inside = x >= x0 && y >= y0 && x < x0 + 7 * module && y < y0 + 7 * module;
        let dark = inside && {
            let (mx, my) = ((x - x0) / module, (y - y0) / module);
            let ring = mx.min(my).min(6 - mx).min(6 - my);
            ring != 1
        };
        match (dark, inverted) {
            (true, false) | (false, true) => 30,
            _ => 220,
        }
    })
    .unwrap()
}

#[test]
fn the_prescan_sees_a_finder_pattern_of_either_polarity() {
    for module in [1, 2, 4, 9] {
        let dark = finder_frame(module, 40, 30, false);
        let f = finders(dark.pixels(), 200, 160);
        assert!(f.dark > 0 && f.light == 0, "module {module}: {f:?}");
        let light = finder_frame(module, 40, 30, true);
        let f = finders(light.pixels(), 200, 160);
        assert!(f.light > 0, "module {module} inverted: {f:?}");
    }
}

#[test]
fn the_prescan_sees_nothing_on_flat_or_grainy_frames() {
    let flat = LumaImage::filled(320, 240, 128).unwrap();
    assert!(finders(flat.pixels(), 320, 240).none());
    // Grain of ±4 levels around mid-grey: below the hysteresis.
    let grain = LumaImage::from_fn(320, 240, |x, y| {
        let h = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503);
        124 + (h % 9) as u8
    })
    .unwrap();
    assert!(finders(grain.pixels(), 320, 240).none());
    // Wide stripes are not 1:1:3:1:1.
    let stripes =
        LumaImage::from_fn(320, 240, |x, _| if (x / 20) % 2 == 0 { 20 } else { 230 }).unwrap();
    assert!(finders(stripes.pixels(), 320, 240).none());
}

#[test]
fn a_frame_without_finder_patterns_runs_only_the_first_pass() {
    let flat = LumaImage::filled(640, 480, 200).unwrap();
    let scan = QrStrategy::new()
        .scan(&flat.as_frame(), &mut |_| true)
        .unwrap();
    assert_eq!(scan.end, ScanEnd::NoCandidate);
    assert_eq!(scan.passes_run, 1);
    assert_eq!(scan.finder_triples, Some((false, false)));
    let forced = QrStrategy::new()
        .with_prescan(false)
        .scan(&flat.as_frame(), &mut |_| true)
        .unwrap();
    assert_eq!(forced.end, ScanEnd::PassesDone);
    assert!(forced.passes_run >= 5, "{forced:?}");
    assert!(forced.codes.is_empty());
}

#[test]
fn the_pictures_are_inverted_halved_and_doubled() {
    assert_eq!(invert(&[0, 1, 128, 255]), vec![255, 254, 127, 0]);
    // 3 × 3: the odd last row and column are dropped.
    let h = halve(&[0, 4, 9, 8, 12, 9, 9, 9, 9], 3, 3).unwrap();
    assert_eq!((h.width, h.height, h.pixels), (1, 1, vec![6]));
    assert!(halve(&[1, 2], 2, 1).is_none());
    let d = double(&[0, 100], 2, 1, 100).unwrap();
    assert_eq!((d.width, d.height), (4, 2));
    assert_eq!(d.pixels, vec![0, 25, 75, 100, 0, 25, 75, 100]);
    assert!(double(&[0; 100], 10, 10, 399).is_none());
}

#[test]
fn rescaled_passes_apply_by_frame_size_and_map_corners_back() {
    assert!(Rescale::Half.applies(640, 480));
    assert!(!Rescale::Half.applies(640, 399));
    assert!(Rescale::Double.applies(1280, 720));
    assert!(!Rescale::Double.applies(1920, 1080));
    assert_eq!(Rescale::Half.to_frame((3.0, 4.0)), (6.0, 8.0));
    assert_eq!(Rescale::Double.to_frame((3.0, 4.0)), (1.5, 2.0));
    let p = Pass::new(Engine::Quircs).inverted().at(Rescale::Half);
    assert!(p.inverted && p.scale == Rescale::Half && p.engine == Engine::Quircs);
    assert_eq!(QrStrategy::new().passes(), &DEFAULT_PASSES);
    assert_eq!(QrStrategy::default().budget(), None);
}

proptest::proptest! {
    /// Any frame: the pre-scan, the pictures and the whole strategy (with
    /// the pre-scan off, so that every pass runs) neither panic nor return
    /// a malformed picture.
    #[test]
    fn any_frame_goes_through_every_pass(
        width in 1u32..48,
        height in 1u32..48,
        seed in proptest::prelude::any::<u64>(),
    ) {
        let mut state = seed;
        let image = LumaImage::from_fn(width, height, |_, _| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (state >> 56) as u8
        })
        .unwrap();
        let (w, h) = (width as usize, height as usize);
        let _ = finders(image.pixels(), w, h);
        if let Some(p) = halve(image.pixels(), w, h) {
            proptest::prop_assert_eq!(p.pixels.len(), (w / 2) * (h / 2));
        }
        let d = double(image.pixels(), w, h, MAX_PIXELS).unwrap();
        proptest::prop_assert_eq!(d.pixels.len(), 4 * w * h);
        let scan = QrStrategy::new()
            .with_prescan(false)
            .scan(&image.as_frame(), &mut |_| true);
        proptest::prop_assert!(scan.is_ok());
    }
}
