//! Feeds arbitrary bytes, read as text, to the `VT1:` / `VT1B:` decoder.
//!
//! Asserts beyond "no panic": whatever decodes is within the presentation
//! size limit and re-encodes, in the same form, to the input minus at most
//! one trailing line ending.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::{limits, text};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok((form, bytes)) = text::decode_text_form(input) {
        assert!(!bytes.is_empty());
        assert!(bytes.len() <= limits::MAX_PRESENTATION_BYTES);
        let again = text::encode_text(form, &bytes);
        let trimmed = input
            .strip_suffix("\r\n")
            .or_else(|| input.strip_suffix('\n'))
            .or_else(|| input.strip_suffix('\r'))
            .unwrap_or(input);
        assert_eq!(again, trimmed);
    }
});
