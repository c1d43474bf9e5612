//! Generated QR corpora (issue 13): deterministic frames drawn with
//! `vitale-sim`'s renderer at test time, one set per difficulty. Each frame
//! lists the texts it must yield (none for the no-code set).

use vitale_reader::qr::LumaImage;
use vitale_sim::render::{
    FrameSize, Perturbation, Placement, QrMatrix, RenderOptions, compose_frame, render_qr,
};

/// One generated frame and the texts it must yield (all of them).
pub struct Generated {
    pub label: String,
    pub image: LumaImage,
    pub texts: Vec<String>,
}

/// A named generated set.
pub struct GeneratedCorpus {
    pub name: &'static str,
    pub frames: Vec<Generated>,
}

/// Every generated set, in a fixed order; the same pixels on every run.
pub fn generated_corpora() -> Vec<GeneratedCorpus> {
    vec![
        corpus("inverted", inverted),
        corpus("low contrast", low_contrast),
        corpus("blur, small modules", blur_small),
        corpus("glare", glare),
        corpus("perspective", perspective),
        corpus("rotation", rotation),
        corpus("tiny (<2 px/module)", tiny),
        corpus("dot modules", dots),
        corpus("several codes", several),
        corpus("frame sizes 640x480-4000x3000", sizes),
        corpus("no code", no_code),
        corpus("no code, decoys", decoy),
    ]
}

/// The generated set of that name.
pub fn generated(name: &str) -> GeneratedCorpus {
    generated_corpora()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no generated corpus {name}"))
}

const FRAMES: u64 = 8;

fn corpus(name: &'static str, make: fn(u64) -> Generated) -> GeneratedCorpus {
    GeneratedCorpus {
        name,
        frames: (0..FRAMES).map(make).collect(),
    }
}

/// SplitMix64: the test's own deterministic numbers.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in `[lo, hi)` drawn from `(seed, salt)`.
fn uniform(seed: u64, salt: u64, lo: f32, hi: f32) -> f32 {
    let u = (mix(seed.wrapping_mul(1000).wrapping_add(salt)) >> 40) as f32 / (1u64 << 24) as f32;
    lo + (hi - lo) * u
}

/// A `VT1:`-like alphanumeric text of about `len` characters (the shape of
/// an ApCV presentation text, not a valid one).
fn payload(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut s = String::from("VT1:");
    for i in 0..len {
        let k = (mix(seed ^ (i as u64).wrapping_mul(0x1234_5678)) % ALPHABET.len() as u64) as usize;
        s.push(ALPHABET[k] as char);
    }
    s
}

fn text_for(seed: u64, salt: u64) -> String {
    payload(seed * 31 + salt, 120 + (mix(seed + salt) % 280) as usize)
}

fn frame_size(seed: u64) -> FrameSize {
    FrameSize::STANDARD[(seed % 3) as usize]
}

fn one(label: String, image: LumaImage, text: String) -> Generated {
    Generated {
        label,
        image,
        texts: vec![text],
    }
}

fn noise(seed: u64, amplitude: u8) -> Perturbation {
    Perturbation::Noise {
        amplitude,
        seed: mix(seed ^ 0xA5A5),
    }
}

/// Light modules on a dark screen (a phone in dark mode), turned a little,
/// with sensor noise.
fn inverted(seed: u64) -> Generated {
    let text = text_for(seed, 1);
    let dark_screen = (20 + seed * 4) as u8;
    let light = (200 + seed * 6) as u8;
    let code = render_qr(
        &text,
        &RenderOptions {
            module_px: 4,
            quiet_zone: 4,
            // Inverted on purpose: light modules on a dark ground.
            dark: light,
            light: dark_screen,
        },
    )
    .unwrap();
    let placement = Placement {
        code_height: uniform(seed, 2, 0.45, 0.8),
        rotation: uniform(seed, 3, -15.0, 15.0),
        phone_screen: false,
        seed,
        perturbations: vec![noise(seed, 8)],
        ..Placement::default()
    };
    one(
        format!("inverted-{seed}"),
        compose_frame(&code, frame_size(seed), &placement),
        text,
    )
}

fn plain_code(text: &str) -> LumaImage {
    render_qr(text, &RenderOptions::default()).unwrap()
}

fn placed(seed: u64, code_height: f32, perturbations: Vec<Perturbation>) -> Placement {
    Placement {
        code_height,
        rotation: uniform(seed, 5, -8.0, 8.0),
        seed,
        perturbations,
        ..Placement::default()
    }
}

fn low_contrast(seed: u64) -> Generated {
    let text = text_for(seed, 2);
    let min = (70 + seed * 6) as u8;
    let max = min + 45 - (seed * 2) as u8;
    let p = placed(
        seed,
        0.6,
        vec![Perturbation::LowContrast { min, max }, noise(seed, 4)],
    );
    one(
        format!("low-contrast-{min}-{max}"),
        compose_frame(&plain_code(&text), frame_size(seed), &p),
        text,
    )
}

fn blur_small(seed: u64) -> Generated {
    let text = text_for(seed, 3);
    let modules = QrMatrix::encode(&text).unwrap().side() + 8;
    let size = frame_size(seed);
    let (_, fh) = size.dimensions();
    // 2.2 to 3 px per module, then a Gaussian blur of 0.8 to 1.5 px.
    let px = uniform(seed, 6, 2.2, 3.0);
    let radius = uniform(seed, 7, 0.8, 1.5);
    let p = placed(
        seed,
        px * modules as f32 / fh as f32,
        vec![Perturbation::Blur { radius }, noise(seed, 6)],
    );
    one(
        format!("blur-{px:.1}px-r{radius:.1}"),
        compose_frame(&plain_code(&text), size, &p),
        text,
    )
}

fn glare(seed: u64) -> Generated {
    let text = text_for(seed, 4);
    let p = placed(
        seed,
        0.6,
        vec![
            Perturbation::Glare {
                center: (uniform(seed, 8, 0.35, 0.65), uniform(seed, 9, 0.35, 0.65)),
                radius: uniform(seed, 10, 0.15, 0.35),
                strength: uniform(seed, 11, 0.5, 0.9),
            },
            noise(seed, 4),
        ],
    );
    one(
        format!("glare-{seed}"),
        compose_frame(&plain_code(&text), frame_size(seed), &p),
        text,
    )
}

fn perspective(seed: u64) -> Generated {
    let text = text_for(seed, 5);
    let d = |salt| uniform(seed, salt, -0.18, 0.18);
    let corners = [
        (d(12), d(13)),
        (d(14), d(15)),
        (d(16), d(17)),
        (d(18), d(19)),
    ];
    let code = Perturbation::Perspective { corners }.apply(&plain_code(&text));
    let p = placed(seed, 0.65, vec![noise(seed, 4)]);
    one(
        format!("perspective-{seed}"),
        compose_frame(&code, frame_size(seed), &p),
        text,
    )
}

fn rotation(seed: u64) -> Generated {
    let text = text_for(seed, 6);
    let degrees = 22.5 + 45.0 * seed as f32 + uniform(seed, 20, -10.0, 10.0);
    let p = Placement {
        rotation: degrees,
        ..placed(seed, 0.5, vec![noise(seed, 4)])
    };
    one(
        format!("rotation-{degrees:.0}"),
        compose_frame(&plain_code(&text), frame_size(seed), &p),
        text,
    )
}

fn tiny(seed: u64) -> Generated {
    // Short texts: a tiny code on a webcam is a small version.
    let text = payload(seed * 7 + 3, 30 + (seed * 15) as usize);
    let modules = QrMatrix::encode(&text).unwrap().side() + 8;
    let size = frame_size(seed);
    let (_, fh) = size.dimensions();
    let px = uniform(seed, 21, 1.3, 1.95);
    let p = placed(seed, px * modules as f32 / fh as f32, vec![noise(seed, 3)]);
    one(
        format!("tiny-{px:.2}px"),
        compose_frame(&plain_code(&text), size, &p),
        text,
    )
}

/// Round dots for dark modules, the three finder patterns kept square (as
/// most designer QR generators do).
fn dots(seed: u64) -> Generated {
    let text = text_for(seed, 7);
    let m = QrMatrix::encode(&text).unwrap();
    let (side, px, quiet) = (m.side(), 8u32, 4u32);
    let radius = uniform(seed, 22, 0.3, 0.45) * px as f32;
    let finder = |x: u32, y: u32| (x < 7 || x >= side - 7) && y < 7 || x < 7 && y >= side - 7;
    let full = (side + 2 * quiet) * px;
    let code = LumaImage::from_fn(full, full, |x, y| {
        let (mx, my) = (x / px, y / px);
        if mx < quiet || my < quiet || mx >= side + quiet || my >= side + quiet {
            return 255;
        }
        let (cx, cy) = (mx - quiet, my - quiet);
        if !m.is_dark(cx, cy) {
            return 255;
        }
        if finder(cx, cy) {
            return 0;
        }
        let dx = (x % px) as f32 + 0.5 - px as f32 / 2.0;
        let dy = (y % px) as f32 + 0.5 - px as f32 / 2.0;
        if dx * dx + dy * dy <= radius * radius {
            0
        } else {
            255
        }
    })
    .unwrap();
    let p = placed(seed, 0.7, vec![noise(seed, 4)]);
    one(
        format!("dots-r{:.2}", radius / px as f32),
        compose_frame(&code, frame_size(seed), &p),
        text,
    )
}

/// Two to four codes side by side in one frame; all must be read.
fn several(seed: u64) -> Generated {
    let count = 2 + (seed % 3) as u32;
    let texts: Vec<String> = (0..count)
        .map(|i| payload(seed * 10 + u64::from(i), 60 + 40 * i as usize))
        .collect();
    let codes: Vec<LumaImage> = texts.iter().map(|t| plain_code(t)).collect();
    let cell = codes.iter().map(LumaImage::width).max().unwrap();
    let sheet = LumaImage::from_fn(cell * count, cell, |x, y| {
        let code = &codes[(x / cell) as usize];
        code.get(x % cell, y).unwrap_or(255)
    })
    .unwrap();
    let size = FrameSize::Custom {
        width: 1920,
        height: 1080,
    };
    let p = Placement {
        phone_screen: false,
        code_height: 0.9 / count as f32,
        ..placed(seed, 0.0, vec![noise(seed, 4)])
    };
    Generated {
        label: format!("several-{count}"),
        image: compose_frame(&sheet, size, &p),
        texts,
    }
}

const SIZES: [(u32, u32); 8] = [
    (640, 480),
    (800, 600),
    (1280, 720),
    (1600, 1200),
    (1920, 1080),
    (2592, 1944),
    (3264, 2448),
    (4000, 3000),
];

fn sizes(seed: u64) -> Generated {
    let text = text_for(seed, 8);
    let (width, height) = SIZES[seed as usize % SIZES.len()];
    let p = placed(seed, 0.35, vec![noise(seed, 4)]);
    one(
        format!("size-{width}x{height}"),
        compose_frame(&plain_code(&text), FrameSize::Custom { width, height }, &p),
        text,
    )
}

/// A phone with a blank or striped screen (text-like bars) over the
/// textured background, at every frame size of [`SIZES`].
fn no_code(seed: u64) -> Generated {
    let (width, height) = SIZES[seed as usize % SIZES.len()];
    let stripes = !seed.is_multiple_of(2);
    let screen = LumaImage::from_fn(300, 300, |x, y| {
        let bar = stripes
            && (y / 6).is_multiple_of(3)
            && !mix(u64::from(y / 6) ^ u64::from(x / 9)).is_multiple_of(4);
        if bar { 40 } else { 250 }
    })
    .unwrap();
    let mut perturbations = vec![noise(seed, 6)];
    if seed.is_multiple_of(3) {
        perturbations.push(Perturbation::Glare {
            center: (0.4, 0.4),
            radius: 0.3,
            strength: 0.7,
        });
    }
    let p = Placement {
        rotation: uniform(seed, 23, -20.0, 20.0),
        seed,
        perturbations,
        ..Placement::default()
    };
    Generated {
        label: format!(
            "no-code-{width}x{height}{}",
            if stripes { "-text" } else { "" }
        ),
        image: compose_frame(&screen, FrameSize::Custom { width, height }, &p),
        texts: Vec::new(),
    }
}

/// A screen that tries to fool a finder-pattern pre-scan, over the
/// textured background: a home screen of square app icons (dark squares
/// with a light glyph, in rows and columns: L shapes everywhere), dense
/// text, a checkerboard, and coarse noise; frame sizes from 640×480 to
/// 2592×1944.
fn decoy(seed: u64) -> Generated {
    let (width, height) = SIZES[(seed as usize * 3) % 6];
    let kind = seed % 4;
    let variant = u32::try_from(seed / 4).unwrap_or(0);
    let screen = LumaImage::from_fn(300, 300, |x, y| match kind {
        0 => {
            // 3 × 3 icons of 64 px, 30 px apart, with a light square
            // glyph (and, in the variant, a dark dot in it).
            let (ix, iy) = ((x + 8) % 94, (y + 8) % 94);
            let (gx, gy) = (ix.abs_diff(40), iy.abs_diff(40));
            let icon = (8..72).contains(&ix) && (8..72).contains(&iy);
            let glyph = gx < 12 && gy < 12;
            let dot = variant == 1 && gx < 4 && gy < 4;
            if icon && (!glyph || dot) { 35 } else { 245 }
        }
        1 => {
            // Lines of 5 × 7 pseudo-letters in 6 × 10 cells.
            let (cx, cy) = (x / 6, y / 10);
            let (px, py) = (x % 6, y % 10);
            let ink = px < 5
                && py < 7
                && mix(seed ^ (u64::from(cx * 7 + px) << 20) ^ u64::from(cy * 5 + py)) % 5 < 2;
            if ink { 30 } else { 240 }
        }
        2 => {
            let cell = 4 + variant * 5;
            if (x / cell + y / cell).is_multiple_of(2) {
                25
            } else {
                235
            }
        }
        _ => {
            // Blocks of 3 px at random levels.
            (mix(seed ^ (u64::from(x / 3) << 16) ^ u64::from(y / 3)) % 256) as u8
        }
    })
    .unwrap();
    let p = Placement {
        rotation: uniform(seed, 24, -20.0, 20.0),
        code_height: uniform(seed, 25, 0.4, 0.7),
        seed: seed + 100,
        perturbations: vec![noise(seed, 6)],
        ..Placement::default()
    };
    Generated {
        label: format!(
            "decoy-{}-{width}x{height}",
            ["icons", "text", "checkerboard", "noise"][kind as usize]
        ),
        image: compose_frame(&screen, FrameSize::Custom { width, height }, &p),
        texts: Vec::new(),
    }
}
