//! The local agent's own parsing (`vitale_agent::request`): query strings
//! (`width=640&height=480`, `job=…&token=…`) and the JSON bodies of
//! `/v1/read/line`, `/v1/rights`, `/v1/bill` (with the visit turned into a
//! request through the facade's `vitale::billing::json`), `/v1/nfc/read`
//! and `/v1/nfc/cancel`. The first byte picks the parser.
//!
//! Asserts beyond "no panic": a query that parses has at most 8 distinct
//! parameters of plain characters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_agent::request::{parse_any, parse_query};

fuzz_target!(|data: &[u8]| {
    let _ = parse_any(data);
    if let Some(params) = std::str::from_utf8(data).ok().and_then(parse_query) {
        assert!(params.len() <= 8);
        for (i, (name, value)) in params.iter().enumerate() {
            let plain = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            assert!(plain(name) && plain(value));
            assert!(params.iter().skip(i + 1).all(|(n, _)| n != name));
        }
    }
});
