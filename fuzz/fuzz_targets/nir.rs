//! Feeds arbitrary bytes, as UTF-8 text when they are, to `Nir::parse`,
//! `CogCode::parse`, `BirthDate::parse`, `InsOid::parse` and
//! `normalize_trait`. Beyond "no panic", asserts that a parsed value
//! re-parses equal from its canonical text (and, for the NIR, from its
//! grouped display form), and that normalisation is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_ins::{BirthDate, CogCode, InsOid, Nir, normalize_trait};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(nir) = Nir::parse(text) {
        assert_eq!(Nir::parse(nir.as_str()).as_ref(), Ok(&nir));
        assert_eq!(Nir::parse(&nir.to_string()).as_ref(), Ok(&nir));
        assert_eq!(nir.as_str().len(), 15);
    }
    if let Ok(code) = CogCode::parse(text) {
        assert_eq!(code.as_str(), text);
    }
    if let Ok(date) = BirthDate::parse(text) {
        assert_eq!(date.as_str(), text);
        let _ = date.to_calendar();
    }
    if let Ok(oid) = InsOid::parse(text) {
        assert_eq!(oid.as_str(), text);
    }
    let once = normalize_trait(text);
    assert_eq!(normalize_trait(&once), once);
});
