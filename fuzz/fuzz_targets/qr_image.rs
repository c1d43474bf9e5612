//! Image loading and QR decoding (`vitale_reader::qr`), with bounded
//! picture sizes (at most [`MAX_PIXELS`] = 512 × 512 pixels, checked from
//! the header before decoding: `load_image_within`).
//!
//! The first byte chooses the mode:
//!
//! * 0 — **file**: the rest as an image file (PNG, JPEG, WebP, GIF; the
//!   seeds are PNGs of the simulator's presentations), loaded, then read by
//!   both backends (rxing, quircs) and by the decoding strategy
//!   (`QrStrategy`, every pass, accepting a `VT1:` text as the terminal
//!   does); a loaded image re-encodes to a PNG that loads back to the same
//!   pixels;
//! * 1 — **frame**: a grey camera frame, width from the next byte, stride
//!   from the one after, the pixels from the rest;
//! * 2 — **rendered**: the rest as a text in the `VT1:` alphabet, rendered
//!   as a QR code by the simulator, then damaged by one perturbation (noise,
//!   blur, rotation, low contrast, perspective, pixels flipped) chosen by
//!   the input; undamaged, what a backend reads must be the text exactly.
//!
//! A backend that panics is caught by the SDK's `guarded` (it becomes
//! `QrError::DecoderPanicked`): this target lets such a panic unwind to
//! that guard instead of aborting, as the SDK does in production; a panic
//! anywhere else still aborts the run (libFuzzer reports it).
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use vitale_reader::qr::{LumaFrame, LumaImage, QrStrategy, decoders, load_image_within};
use vitale_sim::{Perturbation, RenderOptions, render_qr};

const MAX_PIXELS: u64 = 512 * 512;
/// The characters of a `VT1:` text (Base45 and the prefix).
const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn read_all(frame: &LumaFrame<'_>) -> Vec<Option<Vec<u8>>> {
    let mut read: Vec<Option<Vec<u8>>> = decoders()
        .iter()
        .map(|d| {
            let codes = d.decode(frame).ok()?;
            for code in &codes {
                assert!(code.content.len() <= 8192);
            }
            codes.into_iter().next().map(|c| c.content)
        })
        .collect();
    read.push(strategy(frame));
    read
}

/// The decoding strategy (every pass, pre-scan on), accepting only a
/// `VT1:` text as the terminal does: what it accepts is a code it read.
fn strategy(frame: &LumaFrame<'_>) -> Option<Vec<u8>> {
    let scan = QrStrategy::new()
        .scan(frame, &mut |code| code.content.starts_with(b"VT1:"))
        .ok()?;
    for code in &scan.codes {
        assert!(code.content.len() <= 8192);
    }
    if let Some(accepted) = &scan.accepted {
        assert!(accepted.content.starts_with(b"VT1:"));
    }
    scan.accepted.map(|c| c.content)
}

fn file(bytes: &[u8]) {
    let Ok(image) = load_image_within(bytes, MAX_PIXELS) else {
        return;
    };
    assert!(u64::from(image.width()) * u64::from(image.height()) <= MAX_PIXELS);
    read_all(&image.as_frame());
    let png = image.to_png().expect("a loaded image encodes");
    assert_eq!(load_image_within(&png, MAX_PIXELS).ok(), Some(image));
}

fn frame(bytes: &[u8]) {
    let [w, stride, pixels @ ..] = bytes else {
        return;
    };
    let width = u32::from(*w).max(1);
    let stride = usize::from(*stride).max(width as usize);
    let height = u32::try_from(pixels.len() / stride).unwrap_or(0);
    if let Ok(frame) = LumaFrame::new(width, height, stride, pixels) {
        read_all(&frame);
        assert_eq!(
            LumaImage::from_frame(&frame).as_frame().pixels().len(),
            (width * height) as usize
        );
    }
}

fn rendered(bytes: &[u8]) {
    let [kind, a, b, c, rest @ ..] = bytes else {
        return;
    };
    let text: String = rest
        .iter()
        .take(300)
        .map(|&x| char::from(ALPHABET[usize::from(x) % ALPHABET.len()]))
        .collect();
    if text.is_empty() {
        return;
    }
    let options = RenderOptions {
        module_px: 2 + u32::from(*a % 3),
        ..RenderOptions::default()
    };
    let Ok(image) = render_qr(&text, &options) else {
        return;
    };
    let damaged = match kind % 8 {
        0 => None,
        1 => Some(Perturbation::Noise {
            amplitude: *b,
            seed: u64::from(*c),
        }),
        2 => Some(Perturbation::Blur {
            radius: f32::from(*b % 40) / 10.0,
        }),
        3 => Some(Perturbation::Rotate {
            degrees: f32::from(*b) * 360.0 / 256.0,
        }),
        4 => Some(Perturbation::LowContrast { min: *b, max: *c }),
        5 => {
            let d = |v: u8| (f32::from(v) - 128.0) / 1024.0;
            Some(Perturbation::Perspective {
                corners: [
                    (d(*b), d(*c)),
                    (d(*c), d(*b)),
                    (d(*b), -d(*c)),
                    (-d(*c), d(*b)),
                ],
            })
        }
        6 => Some(Perturbation::Scale {
            factor: 0.5 + f32::from(*b) / 200.0,
        }),
        _ => {
            // Flip the pixels of a square of side `b % 32` at `(c, c)`.
            let side = u32::from(*b % 32);
            let image2 = LumaImage::from_fn(image.width(), image.height(), |x, y| {
                let p = image.get(x, y).unwrap_or(255);
                let inside = (u32::from(*c)..u32::from(*c) + side).contains(&x)
                    && (u32::from(*c)..u32::from(*c) + side).contains(&y);
                if inside { 255 - p } else { p }
            })
            .expect("same size");
            read_all(&image2.as_frame());
            return;
        }
    };
    let image = match damaged {
        None => image,
        Some(p) => p.apply(&image),
    };
    if u64::from(image.width()) * u64::from(image.height()) > 4 * MAX_PIXELS {
        return;
    }
    let read = read_all(&image.as_frame());
    if kind % 8 == 0 {
        // A miss is the backend's weakness; a misread would be a bug.
        for content in read.into_iter().flatten() {
            assert_eq!(content, text.as_bytes(), "an undamaged code misread");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        // Print, but let the panic unwind: to the SDK's `guarded` inside a
        // backend, to libfuzzer-sys's own catch (which aborts) elsewhere.
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("unwinding from {at} (a backend's panic becomes DecoderPanicked)");
        }));
    });
    match data.split_first() {
        Some((mode, rest)) => match mode % 3 {
            0 => file(rest),
            1 => frame(rest),
            _ => rendered(rest),
        },
        None => {}
    }
});
