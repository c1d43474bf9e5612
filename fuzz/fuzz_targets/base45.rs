//! Feeds arbitrary bytes, read as text, to the strict Base45 decoder.
//!
//! Asserts beyond "no panic": whatever decodes re-encodes to exactly the
//! input (the decoder accepts one text per byte string), and its length
//! matches `decoded_len`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::base45;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(bytes) = base45::decode(text) {
        assert_eq!(base45::decoded_len(text.len()), Some(bytes.len()));
        assert_eq!(base45::encode(&bytes), text);
    }
});
