//! Strict Base45 (RFC 9285), the encoding of the `VT1:` QR text form.
//!
//! Base45 packs 2 bytes into 3 characters of the QR *alphanumeric* alphabet
//! (`0`–`9`, `A`–`Z`, space and `$%*+-./:`), so a QR code holds about 30 %
//! more data than with base64 in byte mode.
//!
//! The decoder is strict: it accepts exactly the strings that [`encode`]
//! produces, and nothing else. It rejects, each with its own
//! [`Base45Error`] variant:
//!
//! * a length that is ≡ 1 (mod 3) — no encoder ever produces it;
//! * any character outside the 45-character alphabet, lower case included;
//! * a 3-character group worth more than `0xFFFF`;
//! * a final 2-character group worth more than `0xFF`;
//! * an input whose decoded form would exceed the limit
//!   ([`limits::MAX_PRESENTATION_BYTES`] by default), before allocating.
//!
//! The output is allocated exactly once, with its exact final size.
//! The rationale (own implementation rather than the `base45` crate) is in
//! `docs/base45.md`.
//!
//! ```
//! use vitale_codec::base45;
//!
//! assert_eq!(base45::encode(b"AB"), "BB8");
//! assert_eq!(base45::decode("QED8WEX0")?, b"ietf!");
//! assert!(base45::decode("bb8").is_err()); // lower case is not Base45
//! # Ok::<(), vitale_codec::Error>(())
//! ```

use crate::{Error, TextError, limits};

/// The 45 symbols, in value order (RFC 9285 §4, table 1).
pub const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Why a string is not strict Base45.
///
/// Carried by [`TextError::Base45`]; positions are byte offsets in the
/// decoded string (every valid Base45 string is ASCII).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Base45Error {
    /// The decoded form would be larger than the limit (checked on the
    /// length alone, before decoding or allocating).
    #[error("{len} Base45 characters decode to more than {max} bytes")]
    TooLong {
        /// Length of the input, in bytes.
        len: usize,
        /// Largest decoded size accepted, in bytes.
        max: usize,
    },
    /// The length is ≡ 1 (mod 3), which no encoder produces.
    #[error("invalid Base45 length {len} (a length of 3n + 1 is never produced)")]
    InvalidLength {
        /// Length of the input, in bytes.
        len: usize,
    },
    /// A byte is not one of the 45 symbols (lower case letters included).
    #[error("byte 0x{byte:02X} at offset {position} is not a Base45 symbol")]
    InvalidCharacter {
        /// Offset of the byte in the input.
        position: usize,
        /// The offending byte (may be part of a multi-byte UTF-8 character).
        byte: u8,
    },
    /// A 3-character group encodes a value above `0xFFFF`.
    #[error("Base45 group at offset {position} is worth {value}, above 0xFFFF")]
    GroupOverflow {
        /// Offset of the group's first character.
        position: usize,
        /// The value the group encodes.
        value: u32,
    },
    /// The final 2-character group encodes a value above `0xFF`.
    #[error("final Base45 pair at offset {position} is worth {value}, above 0xFF")]
    FinalPairOverflow {
        /// Offset of the pair's first character.
        position: usize,
        /// The value the pair encodes.
        value: u32,
    },
}

impl From<Base45Error> for Error {
    fn from(err: Base45Error) -> Self {
        Error::Text(TextError::Base45(err))
    }
}

/// Length of the Base45 form of `byte_len` bytes.
///
/// Saturates at `usize::MAX` instead of overflowing.
#[must_use]
pub const fn encoded_len(byte_len: usize) -> usize {
    (byte_len / 2)
        .saturating_mul(3)
        .saturating_add((byte_len % 2) * 2)
}

/// Length of the bytes a Base45 string of `text_len` characters decodes
/// to, or `None` if no valid string has that length (≡ 1 mod 3).
#[must_use]
pub const fn decoded_len(text_len: usize) -> Option<usize> {
    match text_len % 3 {
        0 => Some(text_len / 3 * 2),
        2 => Some(text_len / 3 * 2 + 1),
        _ => None,
    }
}

/// Encodes bytes as Base45 (RFC 9285 §4).
///
/// Infallible; the result has exactly [`encoded_len`]`(bytes.len())`
/// characters, all from [`ALPHABET`].
#[must_use]
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(encoded_len(bytes.len()));
    for chunk in bytes.chunks(2) {
        match *chunk {
            [high, low] => {
                let n = u16::from_be_bytes([high, low]);
                out.push(symbol(n % 45));
                out.push(symbol(n / 45 % 45));
                out.push(symbol(n / (45 * 45)));
            }
            [single] => {
                let n = u16::from(single);
                out.push(symbol(n % 45));
                out.push(symbol(n / 45));
            }
            // `chunks(2)` yields 1 or 2 bytes.
            _ => {}
        }
    }
    out
}

/// Decodes strict Base45 into at most [`limits::MAX_PRESENTATION_BYTES`]
/// bytes.
///
/// # Errors
///
/// [`Error::Text`] with [`TextError::Base45`] and the [`Base45Error`]
/// saying why (see the module documentation for the rules).
pub fn decode(text: &str) -> Result<Vec<u8>, Error> {
    decode_with_limit(text, limits::MAX_PRESENTATION_BYTES)
}

/// Decodes strict Base45 into at most `max_bytes` bytes.
///
/// The length rules are checked first, on the input length alone, so an
/// oversized input costs nothing; the output is then allocated once, with
/// its exact size.
///
/// # Errors
///
/// As [`decode`]; [`Base45Error::TooLong`] when the decoded form would
/// exceed `max_bytes`.
pub fn decode_with_limit(text: &str, max_bytes: usize) -> Result<Vec<u8>, Error> {
    let input = text.as_bytes();
    let len = input.len();
    let Some(out_len) = decoded_len(len) else {
        // A length of 3n + 1 is rejected whatever its size, but the size
        // error is the more useful one for a huge input.
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
    let mut out = vec![0; out_len];
    let (groups, tail) = input.split_at(len - len % 3);
    let (pairs, last) = out.split_at_mut(out_len - out_len % 2);
    // Whole groups: three table lookups, one check for the three symbols
    // and one for the value; the exact error is worked out only on failure.
    for (group, (chunk, pair)) in groups
        .chunks_exact(3)
        .zip(pairs.chunks_exact_mut(2))
        .enumerate()
    {
        let position = group * 3;
        let [c, d, e] = *chunk else {
            // `chunks_exact(3)` yields 3 bytes.
            return Err(Base45Error::InvalidLength { len }.into());
        };
        let (c, d, e) = (lookup(c), lookup(d), lookup(e));
        // Symbols are worth at most 44 (0x2c): the union of three is 0xff
        // only if one of them is not a symbol.
        if (c | d | e) == NOT_A_SYMBOL {
            return Err(first_invalid(groups, position).into());
        }
        let value = u32::from(c) + u32::from(d) * 45 + u32::from(e) * (45 * 45);
        let Ok(value) = u16::try_from(value) else {
            return Err(Base45Error::GroupOverflow { position, value }.into());
        };
        pair.copy_from_slice(&value.to_be_bytes());
    }
    if let ([c, d], [byte]) = (tail, last) {
        let position = len - 2;
        let value = digit(*c, position)? + digit(*d, position + 1)? * 45;
        *byte =
            u8::try_from(value).map_err(|_| Base45Error::FinalPairOverflow { position, value })?;
    }
    Ok(out)
}

/// The value of a symbol, [`NOT_A_SYMBOL`] for any other byte.
fn lookup(byte: u8) -> u8 {
    DIGITS
        .get(usize::from(byte))
        .copied()
        .unwrap_or(NOT_A_SYMBOL)
}

/// The error for the first byte that is not a symbol in the group of
/// `input` at `position` (called once a group is known to hold one).
fn first_invalid(input: &[u8], position: usize) -> Base45Error {
    let group = input.get(position..).unwrap_or_default().iter().take(3);
    for (offset, &byte) in group.enumerate() {
        if let Err(error) = digit(byte, position + offset) {
            return error;
        }
    }
    Base45Error::InvalidLength { len: input.len() }
}

/// The symbol of a digit; `digit` is always below 45 at the call sites
/// (a remainder modulo 45, or `0xFFFF / 2025 = 32`).
fn symbol(digit: u16) -> char {
    ALPHABET
        .get(usize::from(digit))
        .map_or(':', |&byte| char::from(byte))
}

/// Value of each byte as a Base45 symbol, [`NOT_A_SYMBOL`] for the others:
/// one table lookup per character instead of a chain of comparisons
/// (decoding the text is part of every verification).
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of range fails the build, it cannot panic at run time"
)]
const DIGITS: [u8; 256] = {
    let mut table = [NOT_A_SYMBOL; 256];
    let mut value = 0;
    while value < ALPHABET.len() {
        // `value` < 45 fits in a byte.
        table[ALPHABET[value] as usize] = value as u8;
        value += 1;
    }
    table
};

/// Marks a byte that is not a Base45 symbol in [`DIGITS`].
const NOT_A_SYMBOL: u8 = 0xff;

/// The value (0..=44) of one symbol.
fn digit(byte: u8, position: usize) -> Result<u32, Base45Error> {
    match DIGITS.get(usize::from(byte)) {
        Some(&value) if value != NOT_A_SYMBOL => Ok(u32::from(value)),
        _ => Err(Base45Error::InvalidCharacter { position, byte }),
    }
}

#[cfg(test)]
mod tests;
