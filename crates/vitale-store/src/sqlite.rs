//! State in a SQLite file: invoice numbers ([`SqliteInvoiceNumbers`]) and
//! the replay cache ([`SqliteReplayCache`]), one schema for both.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, TransactionBehavior, params};
use vitale_adri::BillingNumber;
use vitale_fse::numbering::{InvoiceNumber, InvoiceNumbers, NumberingError};

use crate::Error;
use crate::sqlite_file;
use crate::stored::invoice_number;

mod replay;

pub use replay::SqliteReplayCache;

/// The schema this version writes (`PRAGMA user_version`): 1 had the
/// invoice numbers only, 2 adds the replay cache.
pub(crate) const SCHEMA_VERSION: i64 = 2;

/// Version 1: the invoice numbers.
const SCHEMA_1: &str = "
CREATE TABLE IF NOT EXISTS invoice_numbers (
    professional TEXT PRIMARY KEY NOT NULL CHECK (length(professional) = 9),
    last INTEGER NOT NULL CHECK (last BETWEEN 0 AND 999999)
) STRICT;
";

/// Version 2 adds the replay cache: one row per presentation accepted,
/// kept until `retain_until` (UNIX seconds), found by its 32-byte id.
const SCHEMA_2: &str = "
CREATE TABLE IF NOT EXISTS replay_cache (
    id BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 32),
    retain_until INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS replay_cache_retain_until ON replay_cache (retain_until);
";

/// Opens (creating if needed) the state file at `path`: WAL mode,
/// `synchronous = FULL`, a busy timeout, an integrity check, and the schema
/// brought to [`SCHEMA_VERSION`] (version 1, written by earlier SDKs, is
/// upgraded in place).
pub(crate) fn open_state(path: &Path) -> Result<Connection, Error> {
    // The migration runs in one IMMEDIATE transaction: two processes
    // opening a new file at once do not both create the schema (the second
    // waits, then sees version 2).
    sqlite_file::open(path, migrate)
}

/// Brings the schema to [`SCHEMA_VERSION`], inside the caller's transaction.
fn migrate(conn: &Connection) -> Result<(), Error> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    match version {
        0 => conn.execute_batch(SCHEMA_1)?,
        1 => {}
        SCHEMA_VERSION => return Ok(()),
        found => {
            return Err(Error::Schema {
                found,
                expected: SCHEMA_VERSION,
            });
        }
    }
    conn.execute_batch(SCHEMA_2)?;
    conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION};"))?;
    Ok(())
}

/// Invoice numbers in a SQLite file: one row per professional holding the
/// last number issued. The file may also hold a [`SqliteReplayCache`]
/// (same schema).
///
/// [`InvoiceNumbers::next`] runs one `BEGIN IMMEDIATE` transaction (the
/// file's write lock, so concurrent processes queue) that increments the
/// row and commits with `synchronous = FULL` in WAL mode: the commit is on
/// disk before the number is returned. A process killed at any point
/// leaves either the old or the new value, never a number issued twice.
///
/// ```
/// use vitale_adri::BillingNumber;
/// use vitale_fse::InvoiceNumbers;
/// use vitale_store::SqliteInvoiceNumbers;
///
/// let dir = std::env::temp_dir().join(format!("vitale-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let store = SqliteInvoiceNumbers::open(dir.join("numbers.sqlite"))?;
/// let am = BillingNumber::parse("751234567")?;
/// let first = store.next(&am)?;
/// assert!(store.next(&am)? > first);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "sqlite")] // marks the item where the facade inlines it
#[derive(Debug)]
pub struct SqliteInvoiceNumbers {
    conn: Mutex<Connection>,
}

impl SqliteInvoiceNumbers {
    /// Opens (creating if needed) the store at `path`, checks its integrity
    /// and schema version.
    ///
    /// # Errors
    /// [`Error::Sqlite`] when the file cannot be opened or set up,
    /// [`Error::Corrupt`] when SQLite's integrity check fails,
    /// [`Error::Schema`] for a schema this version does not know.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        Ok(SqliteInvoiceNumbers {
            conn: Mutex::new(open_state(path.as_ref())?),
        })
    }

    fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, NumberingError>,
    ) -> Result<T, NumberingError> {
        sqlite_file::with_conn(&self.conn, f)
    }
}

/// A professional's last invoice number.
const SELECT_LAST: &str = "SELECT last FROM invoice_numbers WHERE professional = ?1";

fn unavailable(e: rusqlite::Error) -> NumberingError {
    NumberingError::unavailable(e)
}

impl InvoiceNumbers for SqliteInvoiceNumbers {
    fn next(&self, professional: &BillingNumber) -> Result<InvoiceNumber, NumberingError> {
        self.with_conn(|conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(unavailable)?;
            tx.execute(
                "INSERT INTO invoice_numbers (professional, last) VALUES (?1, 0) \
                 ON CONFLICT (professional) DO NOTHING",
                params![professional.as_str()],
            )
            .map_err(unavailable)?;
            let last: i64 = tx
                .query_row(SELECT_LAST, params![professional.as_str()], |r| r.get(0))
                .map_err(unavailable)?;
            if last >= i64::from(InvoiceNumber::MAX) {
                return Err(NumberingError::Exhausted);
            }
            let next = invoice_number(last + 1)?.ok_or(NumberingError::Corrupt)?;
            tx.execute(
                "UPDATE invoice_numbers SET last = ?2 WHERE professional = ?1",
                params![professional.as_str(), i64::from(next.get())],
            )
            .map_err(unavailable)?;
            tx.commit().map_err(unavailable)?;
            Ok(next)
        })
    }

    fn last(&self, professional: &BillingNumber) -> Result<Option<InvoiceNumber>, NumberingError> {
        self.with_conn(|conn| {
            let last = sqlite_file::optional_row(conn, SELECT_LAST, professional.as_str())
                .map_err(unavailable)?;
            last.map_or(Ok(None), invoice_number)
        })
    }
}

#[cfg(test)]
mod tests;
