//! Periods of rights (*période de droits*) and reimbursement rates (*taux*).

use time::Date;

use crate::Error;

/// A period of calendar days during which a right holds: from its first
/// day (*date de début*) to its last day (*date de fin*), **both
/// included**, or open-ended when the answer gives no end.
///
/// Both ends are inclusive because the rights answers give a *date de
/// fin* that is the last day covered (see the project's `docs/rights.md`,
/// "Period ends"): a right ending on 2026-12-31 covers care on 2026-12-31
/// and not on 2027-01-01. An open-ended period covers every day from its
/// start on. Years are kept within 0000–9999, the years the `YYYY-MM-DD`
/// text form can write.
///
/// ```
/// use time::macros::date;
/// use vitale_adri::Period;
///
/// let p = Period::new(date!(2026 - 01 - 01), Some(date!(2026 - 12 - 31)))?;
/// assert!(!p.contains(date!(2025 - 12 - 31)));
/// assert!(p.contains(date!(2026 - 01 - 01)));
/// assert!(p.contains(date!(2026 - 12 - 31)));
/// assert!(!p.contains(date!(2027 - 01 - 01)));
/// assert!(Period::open(date!(2026 - 01 - 01))?.contains(date!(2999 - 06 - 30)));
/// # Ok::<(), vitale_adri::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Period {
    from: Date,
    until: Option<Date>,
}

fn writable(day: Date) -> bool {
    (0..=9999).contains(&day.year())
}

impl Period {
    /// A period from `from` to `until` (inclusive; `None`: open-ended).
    ///
    /// # Errors
    /// [`Error::PeriodReversed`] if `until` is before `from`,
    /// [`Error::Invalid`] for a year outside 0000–9999.
    pub fn new(from: Date, until: Option<Date>) -> Result<Self, Error> {
        if !writable(from) || until.is_some_and(|u| !writable(u)) {
            return Err(Error::Invalid("period: year outside 0000-9999"));
        }
        if until.is_some_and(|u| u < from) {
            return Err(Error::PeriodReversed("period"));
        }
        Ok(Period { from, until })
    }

    /// An open-ended period starting on `from`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a year outside 0000–9999.
    pub fn open(from: Date) -> Result<Self, Error> {
        Self::new(from, None)
    }

    /// First day covered (*date de début*).
    pub fn from(&self) -> Date {
        self.from
    }

    /// Last day covered (*date de fin*, inclusive), `None` if open-ended.
    pub fn until(&self) -> Option<Date> {
        self.until
    }

    /// Whether the period has no end.
    pub fn is_open_ended(&self) -> bool {
        self.until.is_none()
    }

    /// Whether `day` is covered: `from <= day` and, if there is an end,
    /// `day <= until`.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && self.until.is_none_or(|u| day <= u)
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        let starts_before_other_ends = other.until.is_none_or(|u| self.from <= u);
        let other_starts_before_self_ends = self.until.is_none_or(|u| other.from <= u);
        starts_before_other_ends && other_starts_before_self_ends
    }
}

/// A reimbursement rate (*taux de remboursement*, *taux de prise en
/// charge*) in basis points: 1 % is 100, 100 % is 10 000. Never a float;
/// amounts are computed on integer cents by the billing code.
///
/// ```
/// use vitale_adri::Rate;
///
/// let full = Rate::from_percent(100).unwrap();
/// assert_eq!(full, Rate::FULL);
/// assert_eq!(full.basis_points(), 10_000);
/// assert_eq!(Rate::from_basis_points(7_000).unwrap().whole_percent(), Some(70));
/// assert_eq!(Rate::from_basis_points(6_550).unwrap().whole_percent(), None);
/// assert!(Rate::from_basis_points(10_001).is_none());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Rate(u16);

impl Rate {
    /// 100 %.
    pub const FULL: Rate = Rate(10_000);

    /// 0 %.
    pub const ZERO: Rate = Rate(0);

    /// A rate in basis points; `None` above 10 000 (100 %).
    pub const fn from_basis_points(bp: u16) -> Option<Self> {
        if bp <= 10_000 { Some(Rate(bp)) } else { None }
    }

    /// A whole percentage; `None` above 100.
    pub const fn from_percent(percent: u8) -> Option<Self> {
        if percent <= 100 {
            Some(Rate(percent as u16 * 100))
        } else {
            None
        }
    }

    /// The rate in basis points, 0 to 10 000.
    pub const fn basis_points(self) -> u16 {
        self.0
    }

    /// The rate as a whole percentage, if it is one.
    pub const fn whole_percent(self) -> Option<u8> {
        if self.0.is_multiple_of(100) {
            Some((self.0 / 100) as u8)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests;
