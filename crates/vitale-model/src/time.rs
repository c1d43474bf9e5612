//! Instants, validity windows and date ranges, with their one text form
//! each: RFC 3339 `YYYY-MM-DDTHH:MM:SSZ` for instants, `YYYY-MM-DD`
//! (RFC 3339 `full-date`) for calendar days.

use ::time::{Date, Month, OffsetDateTime};

/// An instant with one-second precision, UTC, from 1970-01-01T00:00:00Z to
/// 9999-12-31T23:59:59Z (seconds since the Unix epoch, unsigned, as carried
/// on the wire).
///
/// Its text form is RFC 3339 exactly `YYYY-MM-DDTHH:MM:SSZ`: no fraction,
/// no offset but `Z`, upper-case `T` and `Z` ([`Timestamp::to_rfc3339`],
/// [`Timestamp::parse_rfc3339`]); JSON uses it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(u64);

impl Timestamp {
    /// Largest representable instant: 9999-12-31T23:59:59Z.
    pub const MAX_UNIX: u64 = 253_402_300_799;

    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    /// From seconds since the Unix epoch; `None` past [`Self::MAX_UNIX`].
    pub const fn from_unix(secs: u64) -> Option<Self> {
        if secs <= Self::MAX_UNIX {
            Some(Timestamp(secs))
        } else {
            None
        }
    }

    /// From a date-time, dropping sub-second precision; `None` before 1970
    /// or after 9999.
    pub fn from_datetime(at: OffsetDateTime) -> Option<Self> {
        u64::try_from(at.unix_timestamp())
            .ok()
            .and_then(Self::from_unix)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix(self) -> u64 {
        self.0
    }

    /// As a UTC date-time.
    pub fn to_datetime(self) -> OffsetDateTime {
        // Invariant: self.0 <= MAX_UNIX, which `time` represents; the
        // fallback is never taken.
        i64::try_from(self.0)
            .ok()
            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// This instant plus `secs` seconds, if representable.
    pub fn checked_add_secs(self, secs: u64) -> Option<Self> {
        self.0.checked_add(secs).and_then(Self::from_unix)
    }

    /// The calendar day (UTC) of this instant.
    pub fn date(self) -> Date {
        self.to_datetime().date()
    }

    /// `2026-11-12T14:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let t = self.to_datetime();
        format!(
            "{}T{:02}:{:02}:{:02}Z",
            format_date(t.date()),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` exactly; `None` for any other form, an
    /// impossible date or time (leap seconds included) or a year before
    /// 1970.
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        let shape = b"dddd-dd-ddTdd:dd:ddZ";
        if !matches_shape(b, shape) {
            return None;
        }
        let date = parse_date(text.get(..10)?)?;
        let num = |r: core::ops::Range<usize>| text.get(r)?.parse::<u8>().ok();
        let time = ::time::Time::from_hms(num(11..13)?, num(14..16)?, num(17..19)?).ok()?;
        Self::from_datetime(date.with_time(time).assume_utc())
    }
}

impl Timestamp {
    /// Parses a time as the command line takes it: RFC 3339 exactly as
    /// [`Timestamp::parse_rfc3339`] (`2026-11-12T14:00:00Z`), or `@` and
    /// UNIX seconds (`@1795334400`); `None` otherwise or out of range.
    ///
    /// ```
    /// use vitale_model::Timestamp;
    ///
    /// let at = Timestamp::parse_rfc3339_or_unix("@1795334400");
    /// assert_eq!(at, Timestamp::parse_rfc3339_or_unix("2026-11-22T08:00:00Z"));
    /// ```
    pub fn parse_rfc3339_or_unix(text: &str) -> Option<Timestamp> {
        match text.strip_prefix('@') {
            Some(secs) => Timestamp::from_unix(secs.parse().ok()?),
            None => Timestamp::parse_rfc3339(text),
        }
    }
}

impl core::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

fn matches_shape(text: &[u8], shape: &[u8]) -> bool {
    text.len() == shape.len()
        && text.iter().zip(shape).all(|(c, s)| match s {
            b'd' => c.is_ascii_digit(),
            _ => c == s,
        })
}

/// `YYYY-MM-DD` (RFC 3339 `full-date`), years 0000 to 9999.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses `YYYY-MM-DD` exactly, a real calendar day; `None` otherwise.
pub fn parse_date(text: &str) -> Option<Date> {
    if !matches_shape(text.as_bytes(), b"dddd-dd-dd") {
        return None;
    }
    let year = text.get(0..4)?.parse::<i32>().ok()?;
    let month = Month::try_from(text.get(5..7)?.parse::<u8>().ok()?).ok()?;
    let day = text.get(8..10)?.parse::<u8>().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// A validity window: valid from `not_before` (inclusive) until
/// `expires_at` (exclusive), with `not_before < expires_at`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ValidityWindow {
    not_before: Timestamp,
    expires_at: Timestamp,
}

impl ValidityWindow {
    /// A window; `None` unless `not_before < expires_at`.
    pub fn new(not_before: Timestamp, expires_at: Timestamp) -> Option<Self> {
        (not_before < expires_at).then_some(ValidityWindow {
            not_before,
            expires_at,
        })
    }

    /// Start of validity (inclusive).
    pub fn not_before(&self) -> Timestamp {
        self.not_before
    }

    /// End of validity (exclusive).
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// Whether `at` falls inside the window.
    pub fn contains(&self, at: Timestamp) -> bool {
        self.not_before <= at && at < self.expires_at
    }
}

/// A range of calendar days, both ends included, `from <= until`, years
/// 0000 to 9999 (writable as `YYYY`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct DateRange {
    from: Date,
    until: Date,
}

impl DateRange {
    /// A range; `None` if `until` is before `from` or a year is outside
    /// 0–9999.
    pub fn new(from: Date, until: Date) -> Option<Self> {
        let writable = |d: Date| (0..=9999).contains(&d.year());
        (from <= until && writable(from) && writable(until)).then_some(DateRange { from, until })
    }

    /// First day covered.
    pub fn from(&self) -> Date {
        self.from
    }

    /// Last day covered.
    pub fn until(&self) -> Date {
        self.until
    }

    /// Whether `day` is covered.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.until
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{DateRange, Timestamp, ValidityWindow, format_date, parse_date};

    impl Serialize for Timestamp {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&self.to_rfc3339())
        }
    }

    impl<'de> Deserialize<'de> for Timestamp {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let text = crate::name::bounded_string(d, 20)?;
            Timestamp::parse_rfc3339(&text)
                .ok_or_else(|| D::Error::custom("not a YYYY-MM-DDTHH:MM:SSZ instant"))
        }
    }

    #[derive(Serialize, Deserialize)]
    struct WindowRepr {
        not_before: Timestamp,
        expires_at: Timestamp,
    }

    impl Serialize for ValidityWindow {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            WindowRepr {
                not_before: self.not_before,
                expires_at: self.expires_at,
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for ValidityWindow {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let r = WindowRepr::deserialize(d)?;
            ValidityWindow::new(r.not_before, r.expires_at)
                .ok_or_else(|| D::Error::custom("validity window ends before it starts"))
        }
    }

    #[derive(Serialize, Deserialize)]
    struct RangeRepr {
        from: String,
        until: String,
    }

    impl Serialize for DateRange {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            RangeRepr {
                from: format_date(self.from),
                until: format_date(self.until),
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for DateRange {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let r = RangeRepr::deserialize(d)?;
            let day =
                |t: &str| parse_date(t).ok_or_else(|| D::Error::custom("not a YYYY-MM-DD date"));
            DateRange::new(day(&r.from)?, day(&r.until)?)
                .ok_or_else(|| D::Error::custom("date range ends before it starts"))
        }
    }
}

#[cfg(test)]
mod tests;
