//! Every single-character corruption of a valid NIR is detected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use vitale_ins::{Error, Nir};

/// Valid NIRs: ordinary, Corsica 2A / 2B, abroad, provisional, key 95.
const VALID: &[&str] = &[
    "184037510821010",
    "269054958815780",
    "185052A12345633",
    "185052B12345660",
    "269019912345695",
    "792041234512326",
    "215129913200195",
];

#[test]
fn every_single_digit_substitution_is_detected() {
    let mut checked = 0;
    for nir in VALID {
        assert!(Nir::parse(nir).is_ok(), "{nir} must be valid");
        for position in 0..nir.len() {
            for digit in '0'..='9' {
                let original = nir[position..].chars().next().unwrap();
                if digit == original {
                    continue;
                }
                let mut corrupted = String::from(&nir[..position]);
                corrupted.push(digit);
                corrupted.push_str(&nir[position + 1..]);
                let result = Nir::parse(&corrupted);
                assert!(
                    result.is_err(),
                    "corruption at position {} to {digit} not detected",
                    position + 1
                );
                // Outside the checked fields, it is the key that catches it.
                if ![0, 3, 4, 5, 6].contains(&position) {
                    assert_eq!(
                        result,
                        Err(Error::NirKeyMismatch),
                        "position {}",
                        position + 1
                    );
                }
                checked += 1;
            }
        }
    }
    // 9 other digits per position, 10 at the two Corsica letters.
    assert_eq!(checked, VALID.len() * 15 * 9 + 2);
}

#[test]
fn every_adjacent_transposition_of_different_digits_is_detected() {
    for nir in VALID {
        let bytes = nir.as_bytes();
        for i in 0..bytes.len() - 1 {
            if bytes[i] == bytes[i + 1] {
                continue;
            }
            let mut swapped = bytes.to_vec();
            swapped.swap(i, i + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            assert!(
                Nir::parse(&swapped).is_err(),
                "swap at {} not detected",
                i + 1
            );
        }
    }
}
