//! Invoice numbers as both backends store them: the last number issued to
//! a professional, 0 before the first.

use vitale_fse::numbering::{InvoiceNumber, NumberingError};

/// A stored `last` as a number: 0 is "none yet", a value no store writes
/// (negative, or above [`InvoiceNumber::MAX`]) is corrupt.
pub(crate) fn invoice_number(last: i64) -> Result<Option<InvoiceNumber>, NumberingError> {
    match u32::try_from(last) {
        Ok(0) => Ok(None),
        Ok(n) => InvoiceNumber::new(n)
            .map(Some)
            .ok_or(NumberingError::Corrupt),
        Err(_) => Err(NumberingError::Corrupt),
    }
}
