//! The zxing-cpp backend (feature `zxing-cpp`) on the shared and generated
//! corpora: bare zxing-cpp and the zxing-cpp strategy
//! ([`QrStrategy::with_zxing_cpp`]) hold the read counts measured when the
//! backend was added, read every inverted code and find no code in frames
//! without one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod qr_support;

use qr_support::counting::{corpus, count};
use qr_support::{ZXING_MINIMUMS, dcc_cases, load, quircs_generated, zxing_set};
use vitale_reader::qr::{LumaImage, QrDecoder, QrStrategy, ZxingCppDecoder, load_image};

/// Frames read per generated corpus (of 8), measured when the backend was
/// added: (corpus, bare zxing-cpp, zxing-cpp strategy). The blur set is as
/// hard for zxing-cpp as for rxing (3 of 8 for both).
const GENERATED_FLOORS: [(&str, usize, usize); 10] = [
    ("inverted", 8, 8),
    ("low contrast", 8, 8),
    ("blur, small modules", 3, 3),
    ("glare", 8, 8),
    ("perspective", 8, 8),
    ("rotation", 8, 8),
    ("tiny (<2 px/module)", 8, 8),
    ("dot modules", 8, 8),
    ("several codes", 8, 8),
    ("frame sizes 640x480-4000x3000", 8, 8),
];

#[test]
fn zxing_cpp_meets_each_generated_floor() {
    let strategy = QrStrategy::with_zxing_cpp();
    let mut short = Vec::new();
    for (name, bare_floor, strategy_floor) in GENERATED_FLOORS {
        let c = corpus(name);
        let (bare, bare_missed) = count(&ZxingCppDecoder, c);
        let (ok, missed) = count(&strategy, c);
        println!(
            "{name}: zxing-cpp {bare}/{n} (floor {bare_floor}), zxing-cpp strategy {ok}/{n} (floor {strategy_floor}); missed: {bare_missed:?} / {missed:?}",
            n = c.frames.len()
        );
        if bare < bare_floor {
            short.push(format!("{name}: zxing-cpp {bare} < {bare_floor}"));
        }
        if ok < strategy_floor {
            short.push(format!(
                "{name}: strategy {ok} < {strategy_floor}: {missed:?}"
            ));
        }
        assert!(
            ok >= bare.min(strategy_floor),
            "{name}: the strategy reads less than its first pass's engine"
        );
    }
    assert!(short.is_empty(), "below the floors:\n{}", short.join("\n"));
}

/// Dark-mode codes: the zxing-cpp strategy reads every one.
#[test]
fn every_inverted_code_is_read_by_the_zxing_cpp_strategy() {
    let c = corpus("inverted");
    assert_eq!(c.frames.len(), 8);
    let (ok, missed) = count(&QrStrategy::with_zxing_cpp(), c);
    assert_eq!(ok, c.frames.len(), "missed: {missed:?}");
}

/// Neither bare zxing-cpp nor the zxing-cpp strategy (pre-scan on or off)
/// finds a code in a frame without one.
#[test]
fn frames_without_a_code_yield_none_with_zxing_cpp() {
    let c = corpus("no code");
    assert_eq!(c.frames.len(), 8);
    let decoders: Vec<Box<dyn QrDecoder>> = vec![
        Box::new(ZxingCppDecoder),
        Box::new(QrStrategy::with_zxing_cpp()),
        Box::new(QrStrategy::with_zxing_cpp().with_prescan(false)),
    ];
    for frame in &c.frames {
        for d in &decoders {
            let codes = d.decode(&frame.image.as_frame()).unwrap_or_default();
            assert!(
                codes.is_empty(),
                "{}: {} false code(s) in {}",
                d.name(),
                codes.len(),
                frame.label
            );
        }
    }
}

/// Shared corpora, frames read, measured when the backend was added:
/// (corpus, bare zxing-cpp, zxing-cpp strategy).
const SHARED_FLOORS: [(&str, usize, usize); 3] = [
    // Of 179 images; bare rxing reads 165, the pure-Rust strategy 169.
    ("zxing qrcode-1..6", 165, 168),
    ("quircs generated", 640, 640),
    ("EU DCC", 375, 375),
];

fn floor(name: &str) -> (usize, usize) {
    SHARED_FLOORS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, b, s)| (*b, *s))
        .unwrap()
}

/// Counts the frames bare zxing-cpp and the zxing-cpp strategy read among
/// `cases` (an image and the payloads of which one must be read):
/// `(bare, strategy, total)`.
fn shared_counts(cases: impl Iterator<Item = (LumaImage, Vec<Vec<u8>>)>) -> (usize, usize, usize) {
    let strategy = QrStrategy::with_zxing_cpp();
    let (mut bare, mut strat, mut total) = (0, 0, 0);
    for (image, want) in cases {
        let frame = image.as_frame();
        let hit = |d: &dyn QrDecoder| {
            d.decode(&frame)
                .is_ok_and(|codes| codes.iter().any(|c| want.contains(&c.content)))
        };
        bare += usize::from(hit(&ZxingCppDecoder));
        strat += usize::from(hit(&strategy));
        total += 1;
    }
    (bare, strat, total)
}

#[test]
fn zxing_blackbox_with_zxing_cpp() {
    let mut cases = Vec::new();
    let mut minimum = 0;
    for (set, min) in ZXING_MINIMUMS {
        minimum += min;
        cases.extend(zxing_set(set));
    }
    let (bare, strat, total) = shared_counts(
        cases
            .iter()
            .map(|(p, t)| (load(p), vec![t.clone().into_bytes()])),
    );
    let (bare_floor, strategy_floor) = floor("zxing qrcode-1..6");
    println!(
        "zxing qrcode-1..6: zxing-cpp {bare}/{total} (floor {bare_floor}), strategy {strat}/{total} (floor {strategy_floor}), zxing's minimums {minimum}"
    );
    assert!(bare >= bare_floor.max(minimum) && strat >= strategy_floor.max(minimum));
}

#[test]
fn quircs_generated_with_zxing_cpp() {
    let cases = quircs_generated();
    assert_eq!(cases.len(), 640, "quircs generated set incomplete");
    let (bare, strat, total) = shared_counts(cases.into_iter().map(|(p, any)| (load(&p), any)));
    let (bare_floor, strategy_floor) = floor("quircs generated");
    println!(
        "quircs generated: zxing-cpp {bare}/{total} (floor {bare_floor}), strategy {strat}/{total} (floor {strategy_floor})"
    );
    assert!(bare >= bare_floor && strat >= strategy_floor);
}

#[test]
fn eu_dcc_with_zxing_cpp() {
    let (cases, _) = dcc_cases();
    assert!(
        cases.len() > 300,
        "only {} EU DCC images found",
        cases.len()
    );
    let (bare, strat, total) = shared_counts(
        cases
            .into_iter()
            .map(|c| (load_image(&c.image).unwrap(), vec![c.prefix.into_bytes()])),
    );
    let (bare_floor, strategy_floor) = floor("EU DCC");
    println!(
        "EU DCC: zxing-cpp {bare}/{total} (floor {bare_floor}), strategy {strat}/{total} (floor {strategy_floor})"
    );
    assert!(bare >= bare_floor && strat >= strategy_floor);
}
