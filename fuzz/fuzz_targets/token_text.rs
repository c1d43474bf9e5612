//! Feeds arbitrary bytes, read as text, to the token text parser and the
//! profile router (`vitale_codec::TokenText`, `TextKind`; docs/format.md
//! §7.1).
//!
//! Asserts beyond "no panic": an accepted token is the input verbatim,
//! printable ASCII, 16 to 4096 characters, never an `open`-profile text;
//! the router agrees with the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::token::has_open_prefix;
use vitale_codec::{TextKind, TokenText};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = core::str::from_utf8(data) else {
        return;
    };
    let parsed = TokenText::parse(input);
    if let Ok(token) = &parsed {
        assert_eq!(token.as_str(), input);
        assert!((TokenText::MIN_CHARS..=TokenText::MAX_CHARS).contains(&input.len()));
        assert!(input.bytes().all(|b| (0x20..=0x7e).contains(&b)));
        assert!(!has_open_prefix(input));
    }
    match TextKind::of(input) {
        Ok(TextKind::Open) => assert!(has_open_prefix(input)),
        Ok(TextKind::Token(token)) => assert_eq!(parsed.ok(), Some(token)),
        Ok(_) => {}
        Err(_) => assert!(parsed.is_err()),
    }
});
