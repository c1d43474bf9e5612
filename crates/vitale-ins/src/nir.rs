//! The NIR (numéro d'inscription au répertoire) and the NIA.
//!
//! # Layout
//!
//! 13 characters and a 2-digit key, 15 in all:
//!
//! | positions | content | accepted |
//! |---|---|---|
//! | 1 | sex / kind | `1`, `2` (men, women); `3`, `4` (special numbers); `7`, `8` (provisional numbers) |
//! | 2–3 | year of birth | `00`–`99` |
//! | 4–5 | month of birth | `01`–`12`, and the special ranges `20`–`42` and `50`–`99` |
//! | 6–7 | department of birth | `01`–`99` (`96`–`99`: overseas and abroad), `2A`, `2B` (Corsica) |
//! | 8–10 | commune (or country when born abroad) | 3 digits |
//! | 11–13 | order number in the birth register | 3 digits |
//! | 14–15 | key (clé) | `97 − (number mod 97)`, see below |
//!
//! The key is computed on the 13 first characters read as a decimal number,
//! with `2A` replaced by `19` and `2B` by `18` (Corsica).
//!
//! # NIR and NIA
//!
//! The NIA (numéro d'identification d'attente), given while a NIR is being
//! attributed, has exactly the same format and key, so [`Nir`] holds either:
//! the two cannot be told apart from the number itself. Which one a value is
//! comes from its context, for an INS from the OID
//! ([`InsOid::Nia`](crate::InsOid::Nia) versus [`InsOid::Nir`](crate::InsOid::Nir)).

use core::fmt;
use core::str::FromStr;

use crate::error::{Error, NirField};

/// Length of the compact form: 13 characters and a 2-digit key.
pub const NIR_LEN: usize = 15;

/// Inputs longer than this (in bytes, spaces included) are refused before
/// any other work.
pub const MAX_NIR_INPUT: usize = 64;

/// A NIR (numéro d'inscription au répertoire, "numéro de sécurité sociale")
/// or a NIA, with a verified key.
///
/// Parse it with [`Nir::parse`] or [`str::parse`]; spaces anywhere are
/// ignored, `2a` / `2b` are accepted in lower case. [`Nir::as_str`] gives the
/// 15 compact characters, `Display` the grouped form and `Debug` never shows
/// the number.
///
/// ```
/// use vitale_ins::Nir;
///
/// let nir = Nir::parse("1 84 03 75 108 210 10")?;
/// assert_eq!(nir.as_str(), "184037510821010");
/// assert_eq!(nir.to_string(), "1 84 03 75 108 210 10");
/// assert_eq!(format!("{nir:?}"), "Nir(<redacted>)");
/// # Ok::<(), vitale_ins::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nir(String);

impl Nir {
    /// Parses a NIR or NIA, with or without spaces.
    ///
    /// The checks run in this order, each with its own error: size
    /// ([`Error::NirLength`]), characters ([`Error::NirCharacter`]), field
    /// ranges ([`Error::NirField`]) and finally the key
    /// ([`Error::NirKeyMismatch`]).
    pub fn parse(text: &str) -> Result<Self, Error> {
        if text.len() > MAX_NIR_INPUT {
            return Err(Error::NirLength { found: text.len() });
        }
        // A NIR is parsed for every beneficiary of every card read: ASCII
        // text (every valid NIR) is read as bytes, the same checks.
        let compact = if text.is_ascii() {
            compact_ascii(text)?
        } else {
            compact_chars(text)?
        };
        // A Corsica letter must follow a '2'.
        if compact.get(6..7).is_some_and(|c| c == "A" || c == "B") && compact.get(5..6) != Some("2")
        {
            return Err(Error::NirCharacter { position: 7 });
        }
        check_fields(&compact)?;
        // `let … else`, not `ok_or`: errors are built only on failure.
        let Some(key) = two_digits(&compact, 13) else {
            return Err(Error::NirCharacter { position: 14 });
        };
        if compute_key(&compact) != Some(key) {
            return Err(Error::NirKeyMismatch);
        }
        Ok(Self(compact))
    }

    /// The 15 compact characters (13 + key), upper case, no spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key (clé), `1..=97`.
    pub fn key(&self) -> u8 {
        two_digits(&self.0, 13).unwrap_or(0)
    }

    /// The grouped form with everything after sex, year and month masked:
    /// `1 84 03 •• ••• ••• ••`. Enough to tell two patients apart at the
    /// desk and to spot a wrong card, not enough to identify anyone; what
    /// screens and logs should show by default.
    ///
    /// ```
    /// let nir = vitale_ins::Nir::parse("1 84 03 75 108 210 10")?;
    /// assert_eq!(nir.masked(), "1 84 03 •• ••• ••• ••");
    /// # Ok::<(), vitale_ins::Error>(())
    /// ```
    pub fn masked(&self) -> String {
        let shown = self.0.get(0..5).unwrap_or_default();
        let mut out = String::with_capacity(32);
        for (i, c) in shown.chars().enumerate() {
            if i == 1 || i == 3 {
                out.push(' ');
            }
            out.push(c);
        }
        out.push_str(" •• ••• ••• ••");
        out
    }

    /// Whether the number was given in Corsica (department `2A` or `2B`).
    pub fn is_corsica(&self) -> bool {
        matches!(self.0.get(5..7), Some("2A" | "2B"))
    }

    /// Computes the key (clé) of the 13 first characters of a NIR or NIA:
    /// `97 − (number mod 97)` with `2A` → `19`, `2B` → `18`.
    ///
    /// Returns `None` when `first13` is not 13 digits (with optional `2A` /
    /// `2B` at positions 6–7).
    ///
    /// ```
    /// assert_eq!(vitale_ins::Nir::key_of("1840375108210"), Some(10));
    /// ```
    pub fn key_of(first13: &str) -> Option<u8> {
        if first13.len() != 13 {
            return None;
        }
        compute_key(first13)
    }
}

/// Checks the sex, month and department fields of a compact NIR whose
/// characters are already known to be valid.
fn check_fields(compact: &str) -> Result<(), Error> {
    let Some(sex) = compact.get(0..1) else {
        return Err(Error::NirLength { found: 0 });
    };
    if !matches!(sex, "1" | "2" | "3" | "4" | "7" | "8") {
        return Err(Error::NirField {
            field: NirField::Sex,
        });
    }
    let Some(month) = two_digits(compact, 3) else {
        return Err(Error::NirField {
            field: NirField::Month,
        });
    };
    if !matches!(month, 1..=12 | 20..=42 | 50..=99) {
        return Err(Error::NirField {
            field: NirField::Month,
        });
    }
    let Some(department) = compact.get(5..7) else {
        return Err(Error::NirLength { found: 0 });
    };
    let department_ok = match department {
        "2A" | "2B" => true,
        digits => two_digits(digits, 0).is_some_and(|d| d >= 1),
    };
    if !department_ok {
        return Err(Error::NirField {
            field: NirField::Department,
        });
    }
    Ok(())
}

/// The 15 characters without spaces, upper case, each a digit (or, 7th,
/// `A` or `B`): [`Error::NirLength`] for another count,
/// [`Error::NirCharacter`] at the first other character.
fn compact_chars(text: &str) -> Result<String, Error> {
    // Counted first, then read again: no intermediate vector.
    let chars = || text.chars().filter(|c| *c != ' ');
    let found = chars().count();
    if found != NIR_LEN {
        return Err(Error::NirLength { found });
    }
    let mut compact = String::with_capacity(NIR_LEN);
    for (index, c) in chars().enumerate() {
        let c = c.to_ascii_uppercase();
        if !allowed(index, c) {
            return Err(Error::NirCharacter {
                position: index + 1,
            });
        }
        compact.push(c);
    }
    Ok(compact)
}

/// [`compact_chars`] for ASCII text, byte by byte (same result: in ASCII a
/// character is a byte). The compact form, what a card carries, is copied
/// in one go.
fn compact_ascii(text: &str) -> Result<String, Error> {
    let compact = if text.len() == NIR_LEN && !text.contains(' ') {
        text.to_ascii_uppercase()
    } else {
        let bytes = || text.bytes().filter(|b| *b != b' ');
        let found = bytes().count();
        if found != NIR_LEN {
            return Err(Error::NirLength { found });
        }
        bytes()
            .map(|b| char::from(b.to_ascii_uppercase()))
            .collect()
    };
    if let Some(index) = compact
        .bytes()
        .enumerate()
        .position(|(index, b)| !allowed(index, char::from(b)))
    {
        return Err(Error::NirCharacter {
            position: index + 1,
        });
    }
    Ok(compact)
}

/// Whether `c` may be the character at `index` (0-based) of a compact NIR.
fn allowed(index: usize, c: char) -> bool {
    c.is_ascii_digit() || (index == 6 && (c == 'A' || c == 'B'))
}

/// The two ASCII digits at `start` as a number.
fn two_digits(text: &str, start: usize) -> Option<u8> {
    let bytes = text.as_bytes().get(start..start + 2)?;
    let mut value = 0u8;
    for b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + (b - b'0');
    }
    Some(value)
}

/// The key of the first 13 characters, `None` if they are not all digits
/// (after the Corsica substitution).
fn compute_key(compact: &str) -> Option<u8> {
    let first13 = compact.get(0..13)?;
    let substituted = match first13.get(5..7)? {
        "2A" => Some("19"),
        "2B" => Some("18"),
        _ => None,
    };
    // The 13 digits as one number (below 10^13), reduced once.
    let mut number: u64 = 0;
    for (index, b) in first13.bytes().enumerate() {
        let digit = match (substituted, index) {
            (Some(sub), 5 | 6) => *sub.as_bytes().get(index - 5)?,
            _ => b,
        };
        if !digit.is_ascii_digit() {
            return None;
        }
        number = number * 10 + u64::from(digit - b'0');
    }
    u8::try_from(97 - number % 97).ok()
}

impl FromStr for Nir {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Nir {
    /// The grouped form `1 84 03 75 108 210 10`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const GROUPS: [(usize, usize); 7] =
            [(0, 1), (1, 3), (3, 5), (5, 7), (7, 10), (10, 13), (13, 15)];
        for (index, (start, end)) in GROUPS.into_iter().enumerate() {
            if index > 0 {
                f.write_str(" ")?;
            }
            f.write_str(self.0.get(start..end).unwrap_or_default())?;
        }
        Ok(())
    }
}

impl fmt::Debug for Nir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nir(<redacted>)")
    }
}

#[cfg(test)]
mod tests;
