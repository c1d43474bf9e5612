//! Invoice numbers (*numéro de facture*): unique per professional,
//! increasing, never reused — also across a crash.
//!
//! A care sheet takes its number from an [`InvoiceNumbers`] store before
//! it is signed. The contract every store keeps:
//!
//! * **durable before returned**: a number is recorded as issued on
//!   stable storage before [`InvoiceNumbers::next`] returns it, so that no
//!   crash, power cut or `SIGKILL` can make the store hand it out again;
//! * **increasing**: each number is greater than every number issued
//!   before for the same professional (numbers lost in a crash between
//!   "recorded" and "used" leave gaps; a gap is never filled later, so no
//!   signed sheet can ever share a number with another);
//! * **bounded**: numbers run from 1 to [`InvoiceNumber::MAX`] (999 999,
//!   the range a public FSE engine's configuration gives per
//!   professional); the store then reports [`NumberingError::Exhausted`]
//!   rather than wrap around.
//!
//! [`MemoryInvoiceNumbers`] keeps the numbers in memory only (examples and
//! tests: **not durable**). The SDK's durable stores live in
//! `vitale-store` (SQLite on one workstation, PostgreSQL for several).

use core::fmt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use vitale_adri::BillingNumber;

/// An invoice number, 1 to [`InvoiceNumber::MAX`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct InvoiceNumber(u32);

impl InvoiceNumber {
    /// Largest number.
    pub const MAX: u32 = 999_999;

    /// A number, if 1 to [`InvoiceNumber::MAX`].
    pub const fn new(n: u32) -> Option<InvoiceNumber> {
        if n >= 1 && n <= Self::MAX {
            Some(InvoiceNumber(n))
        } else {
            None
        }
    }

    /// The number.
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// Six digits, zero-padded (`000042`).
impl fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

/// Why a store cannot issue a number.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum NumberingError {
    /// The professional has used every number up to
    /// [`InvoiceNumber::MAX`].
    #[error("invoice numbers exhausted for this professional")]
    Exhausted,
    /// The store holds something no correct store writes (a number out of
    /// range, a failed integrity check): refuse to number rather than risk
    /// a duplicate.
    #[error("invoice number store is corrupt")]
    Corrupt,
    /// The store cannot be reached or failed (I/O, lock timeout, database
    /// error); the source says why.
    #[error("invoice number store unavailable")]
    Unavailable(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl NumberingError {
    /// [`NumberingError::Unavailable`] with a backend's error as its source.
    pub fn unavailable(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        NumberingError::Unavailable(Arc::new(source))
    }

    /// The stable snake_case kind of this failure.
    pub fn kind(&self) -> &'static str {
        match self {
            NumberingError::Exhausted => "invoice_numbers_exhausted",
            NumberingError::Corrupt => "invoice_numbers_corrupt",
            NumberingError::Unavailable(_) => "invoice_numbers_unavailable",
        }
    }
}

/// Two errors are equal when they are the same variant.
impl PartialEq for NumberingError {
    fn eq(&self, other: &Self) -> bool {
        core::mem::discriminant(self) == core::mem::discriminant(other)
    }
}

impl Eq for NumberingError {}

/// Issues invoice numbers per professional (keyed by the *n° AM*), with the
/// contract of the [module](self): durable before returned, increasing,
/// never reused, bounded.
///
/// Methods may block (disk, network); implementations are shared between
/// threads, and a durable store must also be safe when several processes
/// use it at once.
pub trait InvoiceNumbers: Send + Sync {
    /// Records and returns the next number for `professional`.
    fn next(&self, professional: &BillingNumber) -> Result<InvoiceNumber, NumberingError>;

    /// The last number issued for `professional`, if any.
    fn last(&self, professional: &BillingNumber) -> Result<Option<InvoiceNumber>, NumberingError>;
}

/// Numbers in memory: increasing and unique within one process, **lost
/// when the process ends** (examples, tests). Use a durable store for
/// billing.
#[derive(Debug, Default)]
pub struct MemoryInvoiceNumbers {
    last: Mutex<HashMap<BillingNumber, u32>>,
}

impl MemoryInvoiceNumbers {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl InvoiceNumbers for MemoryInvoiceNumbers {
    fn next(&self, professional: &BillingNumber) -> Result<InvoiceNumber, NumberingError> {
        let mut map = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let last = map.entry(professional.clone()).or_insert(0);
        let next = InvoiceNumber::new(*last + 1).ok_or(NumberingError::Exhausted)?;
        *last = next.get();
        Ok(next)
    }

    fn last(&self, professional: &BillingNumber) -> Result<Option<InvoiceNumber>, NumberingError> {
        let map = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(map.get(professional).and_then(|n| InvoiceNumber::new(*n)))
    }
}

#[cfg(test)]
mod tests;
