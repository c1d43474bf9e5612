//! `vitale_store::StoreLocation` parsing (`memory`, `sqlite:PATH`,
//! `postgres:URL` or a `postgres://` URL), as the CLI's `--replay-cache`
//! and the C ABI's `replay_cache` option read it. Nothing is opened.
//!
//! Asserts beyond "no panic": a memory or SQLite location prints to a text
//! that parses back to a location printing the same; a PostgreSQL location prints
//! (without its password) to a text that parses again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_store::StoreLocation;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(location) = text.parse::<StoreLocation>() else {
        return;
    };
    let shown = location.to_string();
    let again = shown.parse::<StoreLocation>();
    match &location {
        StoreLocation::Memory | StoreLocation::Sqlite(_) => {
            assert_eq!(
                location.is_durable(),
                matches!(location, StoreLocation::Sqlite(_))
            );
            let again = again.expect("a memory or SQLite location parses again");
            assert_eq!(again.to_string(), shown);
            assert_eq!(again.is_durable(), location.is_durable());
        }
        _ => assert!(again.is_ok(), "{shown:?} does not parse again"),
    }
    let _ = format!("{location:?}");
});
