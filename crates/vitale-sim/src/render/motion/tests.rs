//! Motion blur and scenes.

use super::*;
use crate::render::{FrameSize, RenderOptions, Scene, ScenePhase, render_qr};

/// Black left half, white right half.
fn edge() -> LumaImage {
    LumaImage::from_fn(40, 20, |x, _| if x < 20 { 0 } else { 255 }).unwrap()
}

#[test]
fn zero_or_odd_lengths_leave_the_picture_alone() {
    let image = edge();
    for length in [0.0, 0.2, f32::NAN, -5.0] {
        assert_eq!(motion_blur(&image, length, 0.0), image, "{length}");
    }
}

#[test]
fn a_streak_along_an_edge_keeps_it_and_across_smears_it() {
    let image = edge();
    // Vertical motion along a vertical edge: unchanged.
    assert_eq!(motion_blur(&image, 8.0, 90.0), image);
    // Horizontal motion: a ramp about 8 pixels wide.
    let smeared = motion_blur(&image, 8.0, 0.0);
    assert_eq!((smeared.width(), smeared.height()), (40, 20));
    assert_eq!(smeared.get(5, 10), Some(0));
    assert_eq!(smeared.get(35, 10), Some(255));
    let mid = smeared.get(20, 10).unwrap();
    assert!((100..=160).contains(&mid), "{mid}");
    assert!(smeared.get(17, 10).unwrap() > 0 && smeared.get(22, 10).unwrap() < 255);
}

#[test]
fn lengths_are_clamped() {
    let image = edge();
    assert_eq!(
        motion_blur(&image, 1e6, 0.0),
        motion_blur(&image, MAX_MOTION_BLUR, 0.0)
    );
}

proptest::proptest! {
    #[test]
    fn motion_blur_keeps_the_size(
        w in 1u32..24, h in 1u32..24, length in proptest::num::f32::ANY,
        degrees in proptest::num::f32::ANY, level in 0u8..=255,
    ) {
        let image = LumaImage::filled(w, h, level).unwrap();
        let out = motion_blur(&image, length, degrees);
        proptest::prop_assert_eq!((out.width(), out.height()), (w, h));
        // A flat picture stays flat.
        proptest::prop_assert!(out.pixels().iter().all(|&p| p.abs_diff(level) <= 1));
    }
}

#[test]
fn a_scene_is_deterministic_and_has_its_phases() {
    let code = render_qr("VT1:SCENE", &RenderOptions::default()).unwrap();
    let scene = Scene::new(FrameSize::Vga);
    assert_eq!(scene.len(), 18);
    assert!(!scene.is_empty());
    assert_eq!(scene.phase(2), Some(ScenePhase::Entering));
    assert_eq!(scene.phase(6), Some(ScenePhase::Sharp));
    assert_eq!(scene.phase(12), Some(ScenePhase::Leaving));
    assert_eq!(scene.phase(16), Some(ScenePhase::Empty));
    let first = scene.frame(&code, 7);
    assert_eq!(first, scene.frame(&code, 7));
    assert_eq!((first.width(), first.height()), (640, 480));
    // The two empty frames at the start show the background alone.
    assert_eq!(scene.frame(&code, 0), scene.frame(&code, 1));
    let none = Scene {
        empty_before: 0,
        entering: 0,
        sharp: 0,
        leaving: 0,
        empty_after: 0,
        ..Scene::new(FrameSize::Vga)
    };
    assert!(none.is_empty() && none.frames(&code).is_empty());
}
