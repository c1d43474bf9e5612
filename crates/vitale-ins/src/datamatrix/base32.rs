//! Base32 (RFC 4648 §6 alphabet, no padding), strict: the signature of a
//! 2D-Doc is written this way after the US separator.

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Encodes without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u16 = 0;
    let mut bits = 0u32;
    for byte in bytes {
        buffer = (buffer << 8) | u16::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(symbol((buffer >> bits) & 0x1F));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(symbol((buffer << (5 - bits)) & 0x1F));
    }
    out
}

fn symbol(index: u16) -> char {
    ALPHABET
        .get(usize::from(index))
        .map_or('A', |b| char::from(*b))
}

/// Decodes canonical unpadded base32: upper-case alphabet only, a length
/// that a whole number of bytes can produce, unused trailing bits zero.
/// `None` otherwise.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    if !matches!(text.len() % 8, 0 | 2 | 4 | 5 | 7) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u16 = 0;
    let mut bits = 0u32;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u16::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xFF).ok()?);
            buffer &= (1 << bits) - 1;
        }
    }
    // Canonical form: the leftover bits are padding and must be zero.
    (buffer == 0).then_some(out)
}
