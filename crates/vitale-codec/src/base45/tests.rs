//! Unit tests of the strict Base45 codec.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;

use super::*;

fn base45_err(text: &str) -> Base45Error {
    match decode(text) {
        Err(Error::Text(TextError::Base45(err))) => err,
        other => panic!("expected a Base45 error for {text:?}, got {other:?}"),
    }
}

#[test]
fn rfc_examples() {
    assert_eq!(encode(b"AB"), "BB8");
    assert_eq!(encode(b"Hello!!"), "%69 VD92EX0");
    assert_eq!(encode(b"base-45"), "UJCLQE7W581");
    assert_eq!(decode("QED8WEX0").unwrap(), b"ietf!");
}

#[test]
fn extremes() {
    assert_eq!(encode(&[]), "");
    assert_eq!(decode("").unwrap(), b"");
    assert_eq!(encode(&[0xFF, 0xFF]), "FGW");
    assert_eq!(encode(&[0xFF]), "U5");
    assert_eq!(decode("FGW").unwrap(), [0xFF, 0xFF]);
    assert_eq!(decode("U5").unwrap(), [0xFF]);
}

#[test]
fn every_symbol_round_trips() {
    for (value, &symbol) in ALPHABET.iter().enumerate() {
        let value = u32::try_from(value).unwrap();
        assert_eq!(digit(symbol, 0).unwrap(), value);
        assert_eq!(symbol_of(value), char::from(symbol));
    }
}

fn symbol_of(value: u32) -> char {
    symbol(u16::try_from(value).unwrap())
}

#[test]
fn rejects_bad_length() {
    assert_eq!(base45_err("A"), Base45Error::InvalidLength { len: 1 });
    assert_eq!(base45_err("BB8A"), Base45Error::InvalidLength { len: 4 });
}

#[test]
fn rejects_characters_outside_the_alphabet() {
    assert_eq!(
        base45_err("bb8"),
        Base45Error::InvalidCharacter {
            position: 0,
            byte: b'b'
        }
    );
    assert_eq!(
        base45_err("BB8B="),
        Base45Error::InvalidCharacter {
            position: 4,
            byte: b'='
        }
    );
    // A non-ASCII character: its first UTF-8 byte is reported.
    assert_eq!(
        base45_err("BBéB"),
        Base45Error::InvalidCharacter {
            position: 2,
            byte: 0xC3
        }
    );
    for byte in 0..=u8::MAX {
        let text = [byte, b'0', b'0'];
        let Ok(text) = core::str::from_utf8(&text) else {
            continue;
        };
        assert_eq!(
            decode(text).is_ok(),
            ALPHABET.contains(&byte),
            "{byte:#04x}"
        );
    }
}

#[test]
fn rejects_overflowing_groups() {
    assert_eq!(
        base45_err("GGW"),
        Base45Error::GroupOverflow {
            position: 0,
            value: 65_536
        }
    );
    assert_eq!(
        base45_err("000:::"),
        Base45Error::GroupOverflow {
            position: 3,
            value: 91_124
        }
    );
    assert_eq!(
        base45_err("000::"),
        Base45Error::FinalPairOverflow {
            position: 3,
            value: 2024
        }
    );
    // 256 = 31 + 45 * 5 → "V5", one above a byte.
    assert_eq!(
        base45_err("V5"),
        Base45Error::FinalPairOverflow {
            position: 0,
            value: 256
        }
    );
}

#[test]
fn limit_is_checked_before_decoding() {
    // 12 291 characters of garbage would decode to 8 194 bytes: the size
    // error wins over the invalid characters.
    let long = "a".repeat(12_291);
    assert_eq!(
        base45_err(&long),
        Base45Error::TooLong {
            len: 12_291,
            max: limits::MAX_PRESENTATION_BYTES
        }
    );
    let long = "a".repeat(12_292); // 3n + 1, and too long
    assert!(matches!(base45_err(&long), Base45Error::TooLong { .. }));
    // Exactly at the limit: decodes.
    let max = vec![0xA5; limits::MAX_PRESENTATION_BYTES];
    assert_eq!(decode(&encode(&max)).unwrap(), max);
    let over = vec![0xA5; limits::MAX_PRESENTATION_BYTES + 1];
    assert!(decode(&encode(&over)).is_err());
    assert_eq!(decode_with_limit(&encode(&over), over.len()).unwrap(), over);
    assert_eq!(
        decode_with_limit("BB8", 1),
        Err(Base45Error::TooLong { len: 3, max: 1 }.into())
    );
}

#[test]
fn lengths() {
    for n in 0..50 {
        assert_eq!(encode(&vec![7; n]).len(), encoded_len(n));
        assert_eq!(decoded_len(encoded_len(n)), Some(n));
    }
    assert_eq!(decoded_len(1), None);
    assert_eq!(encoded_len(usize::MAX), usize::MAX);
}

proptest! {
    #[test]
    fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = encode(&bytes);
        prop_assert_eq!(text.len(), encoded_len(bytes.len()));
        prop_assert!(text.bytes().all(|b| ALPHABET.contains(&b)));
        prop_assert_eq!(decode(&text).unwrap(), bytes);
    }

    #[test]
    fn decode_never_panics(text in "\\PC{0,64}") {
        let _ = decode(&text);
    }

    #[test]
    fn accepted_strings_are_canonical(text in "[0-9A-Z $%*+./:-]{0,40}") {
        // Whatever decodes re-encodes to the same string: one text per
        // byte string.
        if let Ok(bytes) = decode(&text) {
            prop_assert_eq!(encode(&bytes), text);
        }
    }
}

/// The decoder as it was before whole groups were checked at once: one
/// symbol at a time, in order. The oracle of `same_result_as_one_symbol_at_a_time`.
fn reference_decode(text: &str, max_bytes: usize) -> Result<Vec<u8>, Error> {
    let input = text.as_bytes();
    let len = input.len();
    let Some(out_len) = decoded_len(len) else {
        if len / 3 * 2 > max_bytes {
            return Err(Base45Error::TooLong {
                len,
                max: max_bytes,
            }
            .into());
        }
        return Err(Base45Error::InvalidLength { len }.into());
    };
    if out_len > max_bytes {
        return Err(Base45Error::TooLong {
            len,
            max: max_bytes,
        }
        .into());
    }
    let mut out = Vec::with_capacity(out_len);
    for (group, chunk) in input.chunks(3).enumerate() {
        let position = group * 3;
        match *chunk {
            [c, d, e] => {
                let value = digit(c, position)?
                    + digit(d, position + 1)? * 45
                    + digit(e, position + 2)? * (45 * 45);
                let pair = u16::try_from(value)
                    .map_err(|_| Base45Error::GroupOverflow { position, value })?;
                out.extend_from_slice(&pair.to_be_bytes());
            }
            [c, d] => {
                let value = digit(c, position)? + digit(d, position + 1)? * 45;
                let byte = u8::try_from(value)
                    .map_err(|_| Base45Error::FinalPairOverflow { position, value })?;
                out.push(byte);
            }
            _ => unreachable!(),
        }
    }
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn same_result_as_one_symbol_at_a_time(
        text in "[0-9A-Z $%*+./:-]{0,60}|[0-9A-Z $%*+./:a~é-]{0,60}",
        max in prop_oneof![Just(8192usize), 0usize..40],
    ) {
        prop_assert_eq!(decode_with_limit(&text, max), reference_decode(&text, max));
    }

    #[test]
    fn same_result_after_corruption(
        bytes in proptest::collection::vec(any::<u8>(), 0..90),
        at in any::<proptest::sample::Index>(),
        with in "[a:~ZÿÉ\u{0}]",
    ) {
        let mut text = encode(&bytes);
        if !text.is_empty() {
            let i = at.index(text.len());
            text.replace_range(i..=i, &with);
        }
        prop_assert_eq!(decode_with_limit(&text, 8192), reference_decode(&text, 8192));
    }
}
