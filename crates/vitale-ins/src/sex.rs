//! The *sexe* identity trait.

use core::fmt;
use core::str::FromStr;

use crate::error::Error;

/// Sex as an INS identity trait (sexe), coded on one character.
///
/// `I` (indéterminé) exists in French health identity systems for a sex not
/// determined at birth.
///
/// ```
/// use vitale_ins::Sex;
///
/// assert_eq!(Sex::from_code('F')?, Sex::Female);
/// assert_eq!(Sex::Male.code(), 'M');
/// # Ok::<(), vitale_ins::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sex {
    /// `M`: masculin.
    Male,
    /// `F`: féminin.
    Female,
    /// `I`: indéterminé.
    Indeterminate,
}

impl Sex {
    /// All values, in code order M, F, I.
    pub const ALL: [Sex; 3] = [Sex::Male, Sex::Female, Sex::Indeterminate];

    /// Parses the one-character code; only upper-case `M`, `F`, `I` are
    /// accepted ([`Error::SexCode`] otherwise).
    pub fn from_code(code: char) -> Result<Self, Error> {
        match code {
            'M' => Ok(Self::Male),
            'F' => Ok(Self::Female),
            'I' => Ok(Self::Indeterminate),
            _ => Err(Error::SexCode),
        }
    }

    /// Parses a text of exactly one character, `M`, `F` or `I` in either
    /// case (what the `vitale ins` command accepts for `--sex`);
    /// [`Error::SexCode`] otherwise.
    ///
    /// ```
    /// use vitale_ins::Sex;
    ///
    /// assert_eq!(Sex::parse_letter("f")?, Sex::Female);
    /// assert!(Sex::parse_letter("FM").is_err());
    /// # Ok::<(), vitale_ins::Error>(())
    /// ```
    pub fn parse_letter(text: &str) -> Result<Self, Error> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Self::from_code(c.to_ascii_uppercase()),
            _ => Err(Error::SexCode),
        }
    }

    /// The one-character code: `M`, `F` or `I`.
    pub const fn code(self) -> char {
        match self {
            Self::Male => 'M',
            Self::Female => 'F',
            Self::Indeterminate => 'I',
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl FromStr for Sex {
    type Err = Error;

    /// Parses a one-character string `M`, `F` or `I`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Self::from_code(c),
            _ => Err(Error::SexCode),
        }
    }
}

#[cfg(test)]
mod tests;
