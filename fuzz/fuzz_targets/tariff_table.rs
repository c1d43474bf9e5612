//! Feeds arbitrary text to the tariff-table parser and the act parser.
//!
//! Asserts beyond "no panic": a table that loads finds, for each of its
//! rows, that very row on the row's first day; an act that parses prints a
//! canonical text that parses back to the same act.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_fse::Act;
use vitale_fse::tariff::TariffTable;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(table) = TariffTable::parse(text) {
        for row in table.rows() {
            let found = table.find(row.kind(), row.code(), row.zone(), row.grid(), row.from());
            assert_eq!(found, Some(row));
        }
    }
    for line in text.lines().take(64) {
        if let Ok(act) = line.parse::<Act>() {
            assert_eq!(act.to_string().parse::<Act>(), Ok(act));
        }
    }
});
