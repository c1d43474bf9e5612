//! Feeds arbitrary bytes, as UTF-8 text when they are, to
//! `InsDatamatrix::decode` and `DocHeader::parse`. Beyond "no panic",
//! asserts that a decoded payload re-encodes to exactly the input (the
//! decoder only accepts the canonical form) and decodes again equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_ins::{DocHeader, InsDatamatrix};

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
        assert_eq!(encoded, text);
        assert_eq!(InsDatamatrix::decode(&encoded).as_ref(), Ok(&payload));
    }
});
