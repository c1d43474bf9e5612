//! Arbitrary bytes into `LotManifest::from_cbor` (a lot of care sheets as
//! a receiver gets it) and `Lot::from_cbor` without sheets.
//!
//! Asserts beyond "no panic": an accepted lot re-encodes to exactly the
//! input (one encoding per lot), its summary counts its entries, which are
//! 1 to 50 in strictly increasing invoice-number order, and its totals
//! add up (AMO + AMC + patient = fee, paid at the desk at most the fee); a
//! lot is never put back together without its sheets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_fse::lot::{Lot, LotManifest};

fuzz_target!(|data: &[u8]| {
    let Ok(manifest) = LotManifest::from_cbor(data) else {
        return;
    };
    assert_eq!(manifest.to_cbor(), data);
    let summary = manifest.summary();
    let entries = manifest.entries();
    assert_eq!(summary.count, entries.len());
    assert!((1..=Lot::MAX_SHEETS).contains(&entries.len()));
    assert!(entries.windows(2).all(|w| w[0].invoice < w[1].invoice));
    assert!(summary.dates.from() <= summary.dates.until());
    let t = summary.totals;
    let shares = t
        .amo
        .checked_add(t.amc)
        .and_then(|s| s.checked_add(t.patient));
    assert_eq!(shares, Some(t.fee));
    assert!(t.paid_at_desk <= t.fee);
    assert!(Lot::from_cbor(data, &[]).is_err());
});
