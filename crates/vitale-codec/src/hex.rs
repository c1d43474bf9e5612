//! Lower-case hexadecimal, the one text form the SDK gives to key
//! identifiers, credential identifiers and other opaque bytes.

/// `bytes` as lower-case hex, two digits per byte.
///
/// ```
/// assert_eq!(vitale_codec::hex::encode(&[0x00, 0xab, 0x10]), "00ab10");
/// ```
pub fn encode(bytes: &[u8]) -> String {
    // Invariant: a nibble is below 16, always a hex digit; the fallback
    // is never taken.
    let digit = |n: u8| char::from_digit(u32::from(n), 16).unwrap_or('0');
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0x0f));
    }
    out
}

/// Parses lower-case hex (an even number of `0-9 a-f` digits); `None` for
/// anything else, upper case included, so that one value has one text.
///
/// ```
/// assert_eq!(vitale_codec::hex::decode("00ab10"), Some(vec![0x00, 0xab, 0x10]));
/// assert_eq!(vitale_codec::hex::decode("00AB10"), None);
/// ```
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    digits
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(nibble(*hi)? << 4 | nibble(*lo)?),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let text = super::encode(&bytes);
            prop_assert_eq!(text.len(), bytes.len() * 2);
            prop_assert_eq!(super::decode(&text), Some(bytes));
        }

        #[test]
        fn decode_never_panics_and_is_canonical(text in "\\PC{0,40}") {
            if let Some(bytes) = super::decode(&text) {
                prop_assert_eq!(super::encode(&bytes), text);
            }
        }
    }
}
