//! Feeds arbitrary bytes to the care-sheet decoders (`CareSheet::from_cbor`
//! and `SignedSheet::from_cbor`).
//!
//! Asserts beyond "no panic": whatever decodes re-encodes to exactly the
//! input (one sheet, one encoding), and its amounts add up (AMO + AMC +
//! patient = fee, for every line and the totals).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_fse::CareSheet;
use vitale_fse::signing::SignedSheet;

fuzz_target!(|data: &[u8]| {
    if let Ok(sheet) = CareSheet::from_cbor(data) {
        assert_eq!(sheet.to_cbor(), data);
        for l in &sheet.lines {
            assert_eq!(
                l.amo
                    .checked_add(l.amc)
                    .and_then(|s| s.checked_add(l.patient)),
                Some(l.fee)
            );
        }
        let t = sheet.totals;
        assert_eq!(
            t.amo
                .checked_add(t.amc)
                .and_then(|s| s.checked_add(t.patient)),
            Some(t.fee)
        );
    }
    if let Ok(signed) = SignedSheet::from_cbor(data) {
        assert_eq!(signed.to_cbor(), data);
    }
});
