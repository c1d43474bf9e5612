//! The *date de naissance* trait, lunar dates included.

use core::fmt;
use core::str::FromStr;

use crate::error::Error;

/// Smallest year accepted.
pub const MIN_YEAR: u16 = 1800;
/// Largest year accepted.
pub const MAX_YEAR: u16 = 2999;

/// A birth date (date de naissance) as validated `YYYYMMDD` text.
///
/// French civil and insurance registries hold *lunar* dates (dates
/// lunaires): when the real day or month is unknown, or to tell apart
/// records, the day or month may be `00` or above the calendar range. Such a
/// date is legal, must be kept exactly and must not be "corrected". The rule
/// here:
///
/// * exactly 8 ASCII digits `YYYYMMDD`;
/// * year `1800`–`2999`;
/// * month `00`–`99` and day `00`–`99`, with no further check.
///
/// The date is *calendar* when it names a real day of the proleptic
/// Gregorian calendar ([`BirthDate::to_calendar`] gives it); otherwise it
/// is *lunar* ([`BirthDate::is_lunar`]). Both round-trip through
/// [`BirthDate::as_str`] unchanged. `Debug` is redacted.
///
/// ```
/// use vitale_ins::BirthDate;
///
/// let real = BirthDate::parse("19840315")?;
/// assert!(real.to_calendar().is_some());
/// let lunar = BirthDate::parse("19840035")?;
/// assert!(lunar.to_calendar().is_none());
/// assert_eq!(lunar.as_str(), "19840035");
/// # Ok::<(), vitale_ins::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BirthDate(String);

impl BirthDate {
    /// Parses `YYYYMMDD` under the rule above.
    pub fn parse(text: &str) -> Result<Self, Error> {
        if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::BirthDateFormat);
        }
        let date = Self(text.to_owned());
        if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
            return Err(Error::BirthDateYear);
        }
        Ok(date)
    }

    /// Parses `YYYYMMDD` as [`BirthDate::parse`] does, or the same digits
    /// written `YYYY-MM-DD` (what the `vitale ins` command accepts for
    /// `--birth-date`); a lunar date keeps its digits either way.
    ///
    /// ```
    /// use vitale_ins::BirthDate;
    ///
    /// assert_eq!(BirthDate::parse_with_dashes("1984-00-35")?.as_str(), "19840035");
    /// assert_eq!(BirthDate::parse_with_dashes("19840035")?.as_str(), "19840035");
    /// # Ok::<(), vitale_ins::Error>(())
    /// ```
    pub fn parse_with_dashes(text: &str) -> Result<Self, Error> {
        if text.len() == 10 && text.get(4..5) == Some("-") {
            let compact: String = text.chars().filter(|c| *c != '-').collect();
            Self::parse(&compact)
        } else {
            Self::parse(text)
        }
    }

    /// A calendar date, refused ([`Error::BirthDateYear`]) outside
    /// 1800–2999.
    pub fn from_calendar(date: time::Date) -> Result<Self, Error> {
        let year = u16::try_from(date.year()).map_err(|_| Error::BirthDateYear)?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(Error::BirthDateYear);
        }
        Ok(Self(format!(
            "{year:04}{:02}{:02}",
            u8::from(date.month()),
            date.day()
        )))
    }

    /// The 8 characters `YYYYMMDD`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The year, 1800–2999.
    pub fn year(&self) -> u16 {
        self.number(0..4)
    }

    /// The month as written, `0`–`99`.
    pub fn month(&self) -> u8 {
        u8::try_from(self.number(4..6)).unwrap_or(0)
    }

    /// The day as written, `0`–`99`.
    pub fn day(&self) -> u8 {
        u8::try_from(self.number(6..8)).unwrap_or(0)
    }

    /// The calendar date, or `None` for a lunar date.
    pub fn to_calendar(&self) -> Option<time::Date> {
        let month = time::Month::try_from(self.month()).ok()?;
        time::Date::from_calendar_date(i32::from(self.year()), month, self.day()).ok()
    }

    /// Whether the date is lunar (not a day of the calendar).
    pub fn is_lunar(&self) -> bool {
        self.to_calendar().is_none()
    }

    /// The digits in `range` as a number (the text is all ASCII digits).
    fn number(&self, range: core::ops::Range<usize>) -> u16 {
        self.0
            .get(range)
            .unwrap_or_default()
            .bytes()
            .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'))
    }
}

impl FromStr for BirthDate {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BirthDate(<redacted>)")
    }
}

#[cfg(test)]
mod tests;
