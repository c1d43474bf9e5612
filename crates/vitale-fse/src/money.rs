//! Amounts of money in integer euro cents, and rates in basis points.
//!
//! No floating point anywhere: an amount is a whole number of cents, a rate
//! a whole number of basis points (1/100 of a percent), and every product of
//! the two is rounded by one documented rule, [`Cents::percent`]. [`Rate`]
//! is the rights model's (`vitale_adri::Rate`): one rate type from the
//! rights answer to the care sheet.

use core::fmt;

pub use vitale_adri::Rate;

/// An amount of money in euro cents, never negative. At most
/// [`Cents::MAX`] (one million euros), so that every sum of a sheet's
/// amounts fits without overflow.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cents(u32);

impl Cents {
    /// Zero.
    pub const ZERO: Cents = Cents(0);
    /// Largest amount: 1 000 000.00 €.
    pub const MAX: Cents = Cents(100_000_000);

    /// An amount, if at most [`Cents::MAX`].
    pub const fn new(cents: u32) -> Option<Cents> {
        if cents <= Self::MAX.0 {
            Some(Cents(cents))
        } else {
            None
        }
    }

    /// The amount in cents.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// `self + other`, if at most [`Cents::MAX`].
    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).and_then(Cents::new)
    }

    /// `self - other`, if not negative.
    pub fn checked_sub(self, other: Cents) -> Option<Cents> {
        self.0.checked_sub(other.0).map(Cents)
    }

    /// `self - other`, or zero when `other` is larger.
    pub fn saturating_sub(self, other: Cents) -> Cents {
        Cents(self.0.saturating_sub(other.0))
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Cents) -> Cents {
        Cents(self.0.min(other.0))
    }

    /// `rate` of this amount, **rounded half up to the cent**: the exact
    /// product `cents × basis points / 10 000` is computed in integers and
    /// a remainder of half a cent or more rounds up. Never more than the
    /// amount itself.
    pub fn percent(self, rate: Rate) -> Cents {
        let exact = u64::from(self.0) * u64::from(rate.basis_points());
        let rounded = (exact + 5_000) / 10_000;
        // rate ≤ 10 000 basis points, so rounded ≤ self.0 ≤ MAX.
        Cents(u32::try_from(rounded).unwrap_or(self.0).min(self.0))
    }

    /// A unit price times a coefficient in hundredths (`AMI 1.5` is the
    /// price of `AMI` × 150 / 100), rounded half up to the cent; `None`
    /// above [`Cents::MAX`].
    pub fn times_hundredths(self, hundredths: u32) -> Option<Cents> {
        let exact = u64::from(self.0) * u64::from(hundredths);
        let rounded = (exact + 50) / 100;
        u32::try_from(rounded).ok().and_then(Cents::new)
    }

    /// Parses `30.00`, `30,00`, `30` or `0.5`: euros with at most two
    /// decimals (a dot or a comma).
    pub fn parse_euros(text: &str) -> Option<Cents> {
        if text.is_empty() || text.len() > 12 {
            return None;
        }
        let (units, decimals) = match text.find(['.', ',']) {
            Some(at) => (text.get(..at)?, text.get(at + 1..)?),
            None => (text, ""),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(units) || !(decimals.is_empty() || (digits(decimals) && decimals.len() <= 2)) {
            return None;
        }
        if text.len() != units.len() && decimals.is_empty() {
            return None;
        }
        let euros: u32 = units.parse().ok()?;
        let mut cents: u32 = decimals.parse().unwrap_or(0);
        if decimals.len() == 1 {
            cents *= 10;
        }
        euros
            .checked_mul(100)?
            .checked_add(cents)
            .and_then(Cents::new)
    }
}

/// `30.00` (euros with two decimals, no currency sign).
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Debug for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self} €")
    }
}

/// A rate as French billing prints it: `70 %`, `62.5 %`, `12.34 %`.
pub fn format_rate(rate: Rate) -> String {
    let bp = rate.basis_points();
    let (whole, frac) = (bp / 100, bp % 100);
    if frac == 0 {
        format!("{whole} %")
    } else if frac.is_multiple_of(10) {
        format!("{whole}.{} %", frac / 10)
    } else {
        format!("{whole}.{frac:02} %")
    }
}

#[cfg(test)]
mod tests;
