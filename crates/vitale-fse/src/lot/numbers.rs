//! Lot numbers (*numéro de lot*): three digits per professional, taken
//! from a [`LotNumbers`] store when a lot is closed.
//!
//! # Decision: a cycle, not an exhaustible range
//!
//! Invoice numbers ([`crate::InvoiceNumbers`]) are never reused and run out
//! at 999 999. Lot numbers have three digits (1 to 999), which a
//! professional who sends one lot a working day uses up in about four
//! years: a store that refused to number past 999 would stop billing. A
//! lot number therefore **cycles**: the number after `n` is `n + 1`, and
//! after 999 comes 1. It comes back only after 998 other lots of the same
//! professional. What identifies a lot for good is its digest
//! ([`crate::lot::Lot::digest`]) and the invoice numbers of its sheets,
//! which are never reused; the lot number is the short reference people
//! and acknowledgements use. The official rules for lot numbers are in the
//! SESAM-Vitale specifications, which are not public; this cycle is the
//! SDK's choice, not a statement about them.
//!
//! That is also why this is its own trait rather than
//! [`crate::InvoiceNumbers`] reused: the two contracts differ (cycle
//! against exhaustion), and so do their errors (a cycle cannot run out).
//! The contract every store keeps:
//!
//! * **durable before returned**: the number is recorded on stable storage
//!   before [`LotNumbers::next`] returns it, so that a crash cannot make
//!   the store hand out the same number for two consecutive lots;
//! * **the next in the cycle**: each number follows the last one issued for
//!   the same professional (1 for the first lot).
//!
//! [`MemoryLotNumbers`] keeps the numbers in memory only (examples and
//! tests: **not durable**).

use core::fmt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use vitale_adri::BillingNumber;

/// A lot number, 1 to [`LotNumber::MAX`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct LotNumber(u16);

impl LotNumber {
    /// Largest number.
    pub const MAX: u16 = 999;
    /// The first number of the cycle.
    pub const FIRST: LotNumber = LotNumber(1);

    /// A number, if 1 to [`LotNumber::MAX`].
    pub const fn new(n: u16) -> Option<LotNumber> {
        if n >= 1 && n <= Self::MAX {
            Some(LotNumber(n))
        } else {
            None
        }
    }

    /// The number.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The number after this one in the cycle: `n + 1`, and 1 after
    /// [`LotNumber::MAX`].
    ///
    /// ```
    /// use vitale_fse::lot::LotNumber;
    ///
    /// let last = LotNumber::new(LotNumber::MAX).ok_or("range")?;
    /// assert_eq!(last.following(), LotNumber::FIRST);
    /// assert_eq!(LotNumber::FIRST.following().get(), 2);
    /// # Ok::<(), &str>(())
    /// ```
    pub const fn following(self) -> LotNumber {
        if self.0 >= Self::MAX {
            LotNumber::FIRST
        } else {
            LotNumber(self.0 + 1)
        }
    }
}

/// Three digits, zero-padded (`007`).
impl fmt::Display for LotNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// Why a store cannot issue a lot number.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum LotNumberingError {
    /// The store holds something no correct store writes (a number out of
    /// range, a failed integrity check).
    #[error("lot number store is corrupt")]
    Corrupt,
    /// The store cannot be reached or failed (I/O, lock timeout, database
    /// error); the source says why.
    #[error("lot number store unavailable")]
    Unavailable(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl LotNumberingError {
    /// [`LotNumberingError::Unavailable`] with a backend's error as its
    /// source.
    pub fn unavailable(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        LotNumberingError::Unavailable(Arc::new(source))
    }

    /// The stable snake_case kind of this failure.
    pub fn kind(&self) -> &'static str {
        match self {
            LotNumberingError::Corrupt => "lot_numbers_corrupt",
            LotNumberingError::Unavailable(_) => "lot_numbers_unavailable",
        }
    }
}

/// Two errors are equal when they are the same variant.
impl PartialEq for LotNumberingError {
    fn eq(&self, other: &Self) -> bool {
        core::mem::discriminant(self) == core::mem::discriminant(other)
    }
}

impl Eq for LotNumberingError {}

/// Issues lot numbers per professional (keyed by the *n° AM*), with the
/// contract of the [module](self): durable before returned, the next in
/// the cycle 1 to 999.
///
/// Methods may block (disk, network); implementations are shared between
/// threads, and a durable store must also be safe when several processes
/// use it at once.
pub trait LotNumbers: Send + Sync {
    /// Records and returns the next lot number for `professional`.
    fn next(&self, professional: &BillingNumber) -> Result<LotNumber, LotNumberingError>;

    /// The last lot number issued for `professional`, if any.
    fn last(&self, professional: &BillingNumber) -> Result<Option<LotNumber>, LotNumberingError>;
}

/// Lot numbers in memory: the cycle within one process, **lost when the
/// process ends** (examples, tests). Use a durable store for billing.
#[derive(Debug, Default)]
pub struct MemoryLotNumbers {
    last: Mutex<HashMap<BillingNumber, LotNumber>>,
}

impl MemoryLotNumbers {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store whose last number for `professional` is `last` (to resume
    /// from a number recorded elsewhere, or to test the wrap-around).
    pub fn starting_after(professional: BillingNumber, last: LotNumber) -> Self {
        let store = Self::new();
        store
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(professional, last);
        store
    }
}

impl LotNumbers for MemoryLotNumbers {
    fn next(&self, professional: &BillingNumber) -> Result<LotNumber, LotNumberingError> {
        let mut map = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let next = map
            .get(professional)
            .map_or(LotNumber::FIRST, |n| n.following());
        map.insert(professional.clone(), next);
        Ok(next)
    }

    fn last(&self, professional: &BillingNumber) -> Result<Option<LotNumber>, LotNumberingError> {
        let map = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(map.get(professional).copied())
    }
}

#[cfg(test)]
mod tests;
