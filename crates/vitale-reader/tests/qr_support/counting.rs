//! Counting what a decoder reads in the generated corpora, shared by
//! `tests/qr_generated.rs` and `tests/qr_zxing.rs`: the corpora drawn
//! once per test binary, a corpus by name, and frames read with the
//! labels of those missed.

use std::sync::OnceLock;

use vitale_reader::qr::{DecodedCode, QrDecoder};

use super::generated::{Generated, GeneratedCorpus, generated_corpora};

/// Every generated corpus, drawn once per test binary.
pub fn corpora() -> &'static [GeneratedCorpus] {
    static CORPORA: OnceLock<Vec<GeneratedCorpus>> = OnceLock::new();
    CORPORA.get_or_init(generated_corpora)
}

/// The generated corpus of that name (drawn once).
pub fn corpus(name: &str) -> &'static GeneratedCorpus {
    corpora()
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no generated corpus {name}"))
}

/// Whether `codes` hold every text the frame must yield.
pub fn read_all(frame: &Generated, codes: &[DecodedCode]) -> bool {
    frame
        .texts
        .iter()
        .all(|t| codes.iter().any(|c| c.text() == Some(t.as_str())))
}

/// Frames of `corpus` of which `decoder` reads every code, and a line for
/// each frame missed (its label, and the codes read or the error).
pub fn count(decoder: &dyn QrDecoder, corpus: &GeneratedCorpus) -> (usize, Vec<String>) {
    let mut missed = Vec::new();
    let mut ok = 0;
    for frame in &corpus.frames {
        match decoder.decode(&frame.image.as_frame()) {
            Ok(codes) if read_all(frame, &codes) => ok += 1,
            Ok(codes) => missed.push(format!("{}: {} code(s)", frame.label, codes.len())),
            Err(e) => missed.push(format!("{}: {e}", frame.label)),
        }
    }
    (ok, missed)
}
