//! Unit tests of the render module: encoding, geometry, formats,
//! determinism, and perturbations on any parameter.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use sha2::{Digest, Sha256};

use super::*;
use crate::Seed;

const TEXT: &str = "VT1:6BFOXN*TS0BI$ZDFRH%3L:E0MG3Q.8KP/D:GN9J*:KQ$9D-EZ%";

fn digest(image: &LumaImage) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(image.width().to_be_bytes());
    h.update(image.height().to_be_bytes());
    h.update(image.pixels());
    h.finalize().into()
}

fn small_code() -> LumaImage {
    render_qr(TEXT, &RenderOptions::with_module_px(2)).unwrap()
}

#[test]
fn image_side_is_modules_plus_quiet_zone_times_module_size() {
    let m = QrMatrix::encode(TEXT).unwrap();
    assert_eq!(m.side(), 17 + 4 * u32::from(m.version()));
    for (module_px, quiet_zone) in [(1, 0), (4, 4), (7, 2), (32, 40)] {
        let options = RenderOptions {
            module_px,
            quiet_zone,
            ..RenderOptions::default()
        };
        let image = render_qr(TEXT, &options).unwrap();
        let side = (m.side() + 2 * quiet_zone) * module_px;
        assert_eq!((image.width(), image.height()), (side, side));
        assert_eq!(image.pixels().len(), (side * side) as usize);
        // Quiet zone light, first finder module dark.
        if quiet_zone > 0 {
            assert_eq!(image.get(0, 0), Some(255));
        }
        let first = quiet_zone * module_px;
        assert_eq!(image.get(first, first), Some(0));
    }
}

#[test]
fn one_alphanumeric_segment_even_for_digit_runs() {
    // Version 1-M holds 20 alphanumeric characters (34 numeric).
    assert_eq!(QrMatrix::encode(&"A".repeat(20)).unwrap().version(), 1);
    assert_eq!(QrMatrix::encode(&"A".repeat(21)).unwrap().version(), 2);
    // Automatic segmentation would put 34 digits in version 1 (numeric);
    // one alphanumeric segment needs version 2.
    assert_eq!(QrMatrix::encode(&"1".repeat(34)).unwrap().version(), 2);
    // 40-M: 3 391 alphanumeric characters.
    assert_eq!(QrMatrix::encode(&"A".repeat(3391)).unwrap().version(), 40);
    assert!(matches!(
        QrMatrix::encode(&"A".repeat(3392)),
        Err(RenderError::TooLong { chars: 3392 })
    ));
}

#[test]
fn characters_outside_the_alphanumeric_set_are_refused() {
    for (text, position) in [("vt1:ABC", 0), ("VT1:AB c", 7), ("VT1:É", 4), ("A\n", 1)] {
        assert!(
            matches!(QrMatrix::encode(text), Err(RenderError::NotAlphanumeric { position: p }) if p == position),
            "{text:?}"
        );
    }
    assert!(QrMatrix::encode("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:").is_ok());
}

#[test]
fn options_out_of_range_are_errors() {
    for options in [
        RenderOptions::with_module_px(0),
        RenderOptions::with_module_px(33),
        RenderOptions {
            quiet_zone: 41,
            ..RenderOptions::default()
        },
    ] {
        assert!(matches!(
            render_qr(TEXT, &options),
            Err(RenderError::Options(_))
        ));
        assert!(matches!(
            to_svg(TEXT, &options),
            Err(RenderError::Options(_))
        ));
    }
    // Version 40 at 32 px: (177 + 80) × 32 > 8192.
    let big = RenderOptions {
        module_px: 32,
        quiet_zone: 40,
        ..RenderOptions::default()
    };
    assert!(matches!(
        render_qr(&"A".repeat(3391), &big),
        Err(RenderError::TooLarge { .. })
    ));
}

#[test]
fn the_largest_images_are_valid_luma_images() {
    // Every side the renderer may make gives an image a decoder accepts.
    let (w, h) = FrameSize::Custom {
        width: u32::MAX,
        height: u32::MAX,
    }
    .dimensions();
    assert_eq!((w, h), (MAX_DIMENSION, MAX_DIMENSION));
    assert!(
        u64::from(w) * u64::from(h) <= vitale::reader::qr::MAX_PIXELS,
        "MAX_DIMENSION² within MAX_PIXELS"
    );
    let big = grey::sized(u32::MAX, 3, |_, _| 9);
    assert_eq!((big.width(), big.height()), (MAX_DIMENSION, 3));
    assert!(big.as_frame().width() == MAX_DIMENSION);
}

#[test]
fn size_keeping_perturbations_keep_sizes_above_max_dimension() {
    // A wide picture loaded from a file may exceed MAX_DIMENSION a side.
    let wide = LumaImage::from_fn(MAX_DIMENSION + 10, 2, |x, _| (x % 256) as u8).unwrap();
    for p in [
        Perturbation::Noise {
            amplitude: 5,
            seed: 1,
        },
        Perturbation::LowContrast { min: 20, max: 200 },
        Perturbation::Blur { radius: 0.5 },
        Perturbation::Glare {
            center: (0.5, 0.5),
            radius: 0.5,
            strength: 0.5,
        },
    ] {
        let out = p.apply(&wide);
        assert_eq!(
            (out.width(), out.height()),
            (MAX_DIMENSION + 10, 2),
            "{p:?}"
        );
    }
    // Those that make a new size clamp it.
    let scaled = Perturbation::Scale { factor: 2.0 }.apply(&wide);
    assert_eq!((scaled.width(), scaled.height()), (MAX_DIMENSION, 4));
}

#[test]
fn png_decodes_to_the_same_pixels() {
    let code = small_code();
    let png = code.to_png().unwrap();
    assert_eq!(png, code.to_png().unwrap());
    let decoded = vitale::reader::qr::load_image(&png).unwrap();
    assert_eq!(decoded, code);
}

#[test]
fn svg_is_well_formed_and_draws_every_dark_module() {
    let options = RenderOptions::default();
    let m = QrMatrix::encode(TEXT).unwrap();
    let svg = to_svg(TEXT, &options).unwrap();
    assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<svg").count(), 1);
    assert_eq!(svg.matches("<path").count(), 1);
    assert_eq!(svg.matches("/>").count(), 2); // rect and path
    assert_eq!(svg.matches('"').count() % 2, 0);
    assert!(svg.contains("shape-rendering=\"crispEdges\""));
    let view = m.side() + 8;
    assert!(svg.contains(&format!("viewBox=\"0 0 {view} {view}\"")));
    let px = view * 4;
    assert!(svg.contains(&format!("width=\"{px}\" height=\"{px}\"")));
    // Parse the path back into modules and compare with the matrix.
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let squares: Vec<(u32, u32)> = d
        .split('M')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let s = s.strip_suffix("h1v1h-1z").expect("unit square");
            let (x, y) = s.split_once(' ').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    assert_eq!(squares.len(), m.dark_count());
    for (x, y) in squares {
        assert!(m.is_dark(x - 4, y - 4), "({x}, {y})");
    }
}

#[test]
fn same_seed_same_pixels_other_seed_other_pixels() {
    let code = small_code();
    let seed = Seed::from_u64(7);
    let a = Perturbation::noise_from(&seed, "cam", 40);
    let b = Perturbation::noise_from(&seed, "cam", 40);
    let c = Perturbation::noise_from(&Seed::from_u64(8), "cam", 40);
    assert_eq!(a, b);
    assert_eq!(digest(&a.apply(&code)), digest(&b.apply(&code)));
    assert_ne!(digest(&a.apply(&code)), digest(&c.apply(&code)));
    let placement = |seed| Placement {
        seed,
        rotation: 7.0,
        perturbations: vec![Perturbation::Blur { radius: 0.7 }, a],
        ..Placement::default()
    };
    let f1 = compose_frame(&code, FrameSize::Vga, &placement(1));
    let f2 = compose_frame(&code, FrameSize::Vga, &placement(1));
    let f3 = compose_frame(&code, FrameSize::Vga, &placement(2));
    assert_eq!(digest(&f1), digest(&f2));
    assert_ne!(digest(&f1), digest(&f3));
    assert_eq!(
        digest(&render_qr(TEXT, &RenderOptions::default()).unwrap()),
        digest(&render_qr(TEXT, &RenderOptions::default()).unwrap())
    );
}

#[test]
fn geometry_of_the_warps() {
    let code = small_code();
    let (w, h) = (code.width(), code.height());
    for (factor, side) in [
        (0.5, w / 2),
        (2.0, w * 2),
        (1.0, w),
        (100.0, w * 8),
        (0.0, (w as f32 * 0.05).round() as u32),
    ] {
        let out = scale(&code, factor);
        assert_eq!((out.width(), out.height()), (side, side), "factor {factor}");
    }
    let turned = rotate(&code, 90.0);
    assert_eq!((turned.width(), turned.height()), (h, w));
    let turned = rotate(&code, 45.0);
    let diagonal = (w as f32 * std::f32::consts::SQRT_2).ceil() as u32;
    assert_eq!(turned.width(), diagonal);
    assert_eq!(turned.get(0, 0), Some(255)); // white corner
    // Neutral parameters leave the image as it is.
    for p in [
        Perturbation::Rotate { degrees: 0.0 },
        Perturbation::Rotate { degrees: 360.0 },
        Perturbation::Blur { radius: 0.0 },
        Perturbation::Noise {
            amplitude: 0,
            seed: 9,
        },
        Perturbation::Perspective {
            corners: [(0.0, 0.0); 4],
        },
        Perturbation::LowContrast { min: 0, max: 255 },
        Perturbation::Glare {
            center: (0.5, 0.5),
            radius: 0.3,
            strength: 0.0,
        },
        Perturbation::Scale { factor: 1.0 },
    ] {
        assert_eq!(p.apply(&code), code, "{p:?}");
    }
    // A perspective warp: the image grows to the moved corners' box.
    let warped = perspective(&code, [(0.1, 0.0), (-0.1, 0.0), (0.2, 0.0), (0.0, 0.0)]);
    assert_eq!(warped.width(), (w as f32 * 1.2).ceil() as u32);
    // A quad folded over itself (top-left past the top-right–bottom-left
    // diagonal) is refused: unchanged.
    let folded = [(0.45, 0.45), (-0.45, -0.45), (0.0, 0.0), (-0.45, -0.45)];
    assert_eq!(perspective(&code, folded), code);
}

#[test]
fn levels() {
    let img = LumaImage::new(2, 1, vec![0, 255]).unwrap();
    assert_eq!(low_contrast(&img, 90, 160).pixels(), &[90, 160]);
    assert_eq!(low_contrast(&img, 160, 90).pixels(), &[90, 160]);
    let bright = glare(&LumaImage::filled(9, 9, 100).unwrap(), (0.5, 0.5), 0.5, 0.4);
    assert_eq!(bright.get(4, 4), Some(100 + 102));
    assert_eq!(bright.get(0, 0), Some(100));
    let noisy = noise(&LumaImage::filled(50, 50, 128).unwrap(), 10, 1);
    assert!(noisy.pixels().iter().all(|p| (118..=138).contains(p)));
    assert!(noisy.pixels().iter().any(|p| *p != 128));
    let blurred = blur(&LumaImage::new(3, 1, vec![0, 255, 0]).unwrap(), 1.0);
    assert!(blurred.pixels()[1] < 255 && blurred.pixels()[0] > 0);
}

#[test]
fn frames_have_their_size_and_a_mid_grey_background() {
    let code = small_code();
    for (size, dims) in [
        (FrameSize::Vga, (640, 480)),
        (FrameSize::Hd, (1280, 720)),
        (
            FrameSize::Custom {
                width: 1,
                height: 100_000,
            },
            (16, MAX_DIMENSION),
        ),
    ] {
        assert_eq!(size.dimensions(), dims);
    }
    for phone_screen in [true, false] {
        let placement = Placement {
            phone_screen,
            code_height: 0.5,
            ..Placement::default()
        };
        let frame = compose_frame(&code, FrameSize::Vga, &placement);
        assert_eq!((frame.width(), frame.height()), (640, 480));
        let corner = frame.get(5, 5).unwrap();
        assert!((100..=156).contains(&corner), "{corner}");
        // The code's centre module area is there: black and white present.
        let row: Vec<u8> = (200..440).filter_map(|x| frame.get(x, 240)).collect();
        assert!(row.iter().any(|p| *p < 60) && row.iter().any(|p| *p > 200));
        // The bezel is dark, left of the screen.
        if phone_screen {
            let dark_left = (0..200).filter_map(|x| frame.get(x, 240)).any(|p| p < 40);
            assert!(dark_left);
        }
    }
}

fn any_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(f32::MAX),
        Just(-f32::MAX),
        Just(0.0),
        -1e6_f32..1e6,
        -2.0_f32..2.0,
    ]
}

fn any_perturbation() -> impl Strategy<Value = Perturbation> {
    prop_oneof![
        any_f32().prop_map(|factor| Perturbation::Scale { factor }),
        any_f32().prop_map(|degrees| Perturbation::Rotate { degrees }),
        any_f32().prop_map(|radius| Perturbation::Blur { radius }),
        (any::<u8>(), any::<u64>())
            .prop_map(|(amplitude, seed)| Perturbation::Noise { amplitude, seed }),
        proptest::array::uniform4((any_f32(), any_f32()))
            .prop_map(|corners| Perturbation::Perspective { corners }),
        (any::<u8>(), any::<u8>()).prop_map(|(min, max)| Perturbation::LowContrast { min, max }),
        (any_f32(), any_f32(), any_f32(), any_f32()).prop_map(|(x, y, radius, strength)| {
            Perturbation::Glare {
                center: (x, y),
                radius,
                strength,
            }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn perturbations_never_panic(
        list in proptest::collection::vec(any_perturbation(), 1..4),
        w in 1_u32..24,
        h in 1_u32..24,
        seed in any::<u64>(),
    ) {
        let mut rng = perturb::SplitMix64::new(seed);
        let pixels = (0..w * h).map(|_| rng.next_u64() as u8).collect();
        let image = LumaImage::new(w, h, pixels).unwrap();
        let out = Perturbation::apply_all(&list, &image);
        prop_assert!(out.width() >= 1 && out.width() <= MAX_DIMENSION);
        prop_assert!(out.height() >= 1 && out.height() <= MAX_DIMENSION);
        prop_assert_eq!(out.pixels().len(), (out.width() * out.height()) as usize);
    }

    #[test]
    fn frames_never_panic(
        x in any_f32(), y in any_f32(), code_height in any_f32(), rotation in any_f32(),
        phone_screen in any::<bool>(), seed in any::<u64>(),
        w in 1_u32..200, h in 1_u32..200,
    ) {
        let code = LumaImage::filled(9, 7, 0).unwrap();
        let placement = Placement { center: (x, y), code_height, rotation, phone_screen, seed, perturbations: vec![] };
        let frame = compose_frame(&code, FrameSize::Custom { width: w, height: h }, &placement);
        prop_assert_eq!((frame.width(), frame.height()), FrameSize::Custom { width: w, height: h }.dimensions());
    }
}
