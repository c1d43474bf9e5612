//! Feeds arbitrary bytes, as UTF-8 text when they are, to
//! `InsDatamatrix::decode` and `DocHeader::parse`. Beyond "no panic",
//! asserts that a decoded payload's encoding decodes equal and is stable,
//! and that it is the input itself up to what the layout lets vary: nothing
//! in the 2D-Doc layout (fixed order), only the order of the fields and so
//! where GS goes in the national layout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_ins::datamatrix::GS;
use vitale_ins::{DatamatrixLayout, DocHeader, InsDatamatrix};

/// The bytes of `text` but GS, sorted: what reordering fields keeps.
fn content(text: &str) -> Vec<u8> {
    let mut bytes: Vec<u8> = text.bytes().filter(|&b| b != GS as u8).collect();
    bytes.sort_unstable();
    bytes
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(header) = DocHeader::parse(text) {
        let encoded = header.encode();
        assert_eq!(DocHeader::parse(&encoded).as_ref(), Ok(&header));
    }
    if let Ok(payload) = InsDatamatrix::decode(text) {
        let encoded = payload.encode();
        let again = InsDatamatrix::decode(&encoded);
        assert_eq!(again.as_ref(), Ok(&payload));
        assert_eq!(again.map(|p| p.encode()).as_deref(), Ok(encoded.as_str()));
        match payload.layout() {
            DatamatrixLayout::Legacy2dDoc => assert_eq!(encoded, text),
            _ => assert_eq!(content(&encoded), content(text)),
        }
    }
});
