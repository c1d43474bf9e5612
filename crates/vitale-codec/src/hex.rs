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
