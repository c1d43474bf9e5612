//! Invoice numbers on PostgreSQL: [`PostgresInvoiceNumbers`].

use std::fmt;

use vitale_adri::BillingNumber;
use vitale_fse::numbering::{InvoiceNumber, InvoiceNumbers, NumberingError};

use super::{PostgresOptions, PostgresUrl, Session};
use crate::Error;
use crate::stored::invoice_number;

/// Issues the next number: one statement. `$1` the professional.
const NEXT: &str = "\
INSERT INTO vitale_invoice_numbers AS n (professional, last) VALUES ($1, 1) \
ON CONFLICT (professional) DO UPDATE SET last = n.last + 1 WHERE n.last < 999999 \
RETURNING last";

/// The last number issued. `$1` the professional.
const LAST: &str = "SELECT last FROM vitale_invoice_numbers WHERE professional = $1";

/// Invoice numbers (*numéros de facture*) on PostgreSQL, for a
/// professional who bills from several workstations: one row per
/// professional holding the last number issued.
///
/// [`InvoiceNumbers::next`] is one statement in its own transaction:
///
/// ```sql
/// INSERT INTO vitale_invoice_numbers AS n (professional, last) VALUES ($1, 1)
/// ON CONFLICT (professional) DO UPDATE SET last = n.last + 1 WHERE n.last < 999999
/// RETURNING last
/// ```
///
/// The row lock serialises workstations numbering for the same
/// professional (in arrival order, unlike SQLite's file lock); the number
/// is returned only after the commit, on the server's disk
/// (`synchronous_commit = on`). No row returned means the professional's
/// numbers are exhausted. When the connection is lost during the call, the
/// statement runs once more on a new connection: if the first run had
/// committed, its number is a gap, never issued again — the contract of
/// [`vitale_fse::numbering`] (durable before returned, increasing, never
/// reused).
#[cfg(feature = "postgres")] // marks the item where the facade inlines it
pub struct PostgresInvoiceNumbers {
    session: Session<2>,
}

impl PostgresInvoiceNumbers {
    /// Connects with [`PostgresOptions::default`] (the purge options do not
    /// apply here).
    ///
    /// # Errors
    /// [`Error::Postgres`] when the server cannot be reached or refuses the
    /// login or the schema setup; [`Error::Schema`] for a schema this SDK
    /// does not know.
    pub fn connect(url: &PostgresUrl) -> Result<Self, Error> {
        Self::connect_with(url, PostgresOptions::default())
    }

    /// Connects with `options` (creating the tables if they are missing).
    ///
    /// # Errors
    /// As [`PostgresInvoiceNumbers::connect`].
    pub fn connect_with(url: &PostgresUrl, options: PostgresOptions) -> Result<Self, Error> {
        Ok(PostgresInvoiceNumbers {
            session: Session::open(url, options, &[NEXT, LAST])?,
        })
    }
}

impl fmt::Debug for PostgresInvoiceNumbers {
    /// Shows no connection string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresInvoiceNumbers")
            .finish_non_exhaustive()
    }
}

/// A stored `last` as a number; 0 is "none yet".
fn number(last: i32) -> Result<Option<InvoiceNumber>, NumberingError> {
    invoice_number(i64::from(last))
}

impl InvoiceNumbers for PostgresInvoiceNumbers {
    fn next(&self, professional: &BillingNumber) -> Result<InvoiceNumber, NumberingError> {
        let professional = professional.as_str();
        // Safe to run twice: a first run that committed leaves a gap.
        let row = self
            .session
            .run(true, |conn| {
                let [next, _] = &conn.statements;
                conn.client.query_opt(next, &[&professional])
            })
            .map_err(NumberingError::unavailable)?;
        let Some(row) = row else {
            return Err(NumberingError::Exhausted);
        };
        let last: i32 = row
            .try_get(0)
            .map_err(|e| NumberingError::unavailable(Error::Postgres(e)))?;
        number(last)?.ok_or(NumberingError::Corrupt)
    }

    fn last(&self, professional: &BillingNumber) -> Result<Option<InvoiceNumber>, NumberingError> {
        let professional = professional.as_str();
        let row = self
            .session
            .run(true, |conn| {
                let [_, last] = &conn.statements;
                conn.client.query_opt(last, &[&professional])
            })
            .map_err(NumberingError::unavailable)?;
        match row {
            None => Ok(None),
            Some(row) => {
                let last: i32 = row
                    .try_get(0)
                    .map_err(|e| NumberingError::unavailable(Error::Postgres(e)))?;
                number(last)
            }
        }
    }
}
