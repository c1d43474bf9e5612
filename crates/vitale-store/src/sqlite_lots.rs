//! Lot numbers (*numéros de lot*) in a SQLite file of their own.
//!
//! The file is marked as a lot-number store (`PRAGMA application_id`,
//! [`LOT_STORE_APPLICATION_ID`]) with its own schema version
//! (`PRAGMA user_version`), so that it is never mistaken for the invoice
//! number file or any other database: a file of another kind is refused
//! when it is opened, never written to.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, TransactionBehavior, params};
use vitale_adri::BillingNumber;
use vitale_fse::lot::{LotNumber, LotNumberingError, LotNumbers};

use crate::Error;
use crate::sqlite_file;

/// The `PRAGMA application_id` of a lot-number file: `VLOT` in ASCII.
#[cfg(feature = "sqlite")] // marks the item where the facade inlines it
pub const LOT_STORE_APPLICATION_ID: i32 = 0x564C_4F54;

/// The schema this version writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE lot_numbers (
    professional TEXT PRIMARY KEY NOT NULL CHECK (length(professional) = 9),
    last INTEGER NOT NULL CHECK (last BETWEEN 1 AND 999)
) STRICT;
";

/// Lot numbers in a SQLite file: one row per professional holding the last
/// lot number issued, which [`LotNumbers::next`] moves one step along the
/// cycle 1 to 999 ([`LotNumber::following`]).
///
/// The same care as [`crate::SqliteInvoiceNumbers`]: WAL mode with
/// `synchronous = FULL`, and each [`LotNumbers::next`] is one
/// `BEGIN IMMEDIATE` transaction (the file's write lock: concurrent
/// processes queue) committed before the number is returned, so a process
/// killed at any point leaves the old or the new number, and two
/// consecutive lots never get the same one.
///
/// Keep it in its own file (`lots.sqlite` beside the invoice numbers, for
/// instance): [`SqliteLotNumbers::open`] refuses a database that is not a
/// lot-number store.
///
/// ```
/// use vitale_adri::BillingNumber;
/// use vitale_fse::LotNumbers;
/// use vitale_store::SqliteLotNumbers;
///
/// let dir = std::env::temp_dir().join(format!("vitale-doc-lots-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let store = SqliteLotNumbers::open(dir.join("lots.sqlite"))?;
/// let am = BillingNumber::parse("751234567")?;
/// assert_eq!(store.next(&am)?.get(), 1);
/// assert_eq!(store.next(&am)?.get(), 2);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "sqlite")] // marks the item where the facade inlines it
#[derive(Debug)]
pub struct SqliteLotNumbers {
    conn: Mutex<Connection>,
}

impl SqliteLotNumbers {
    /// Opens (creating if needed) the lot-number store at `path`, checks its
    /// integrity, its kind and its schema version.
    ///
    /// # Errors
    /// [`Error::Sqlite`] when the file cannot be opened or set up, or is
    /// another kind of database (SQLite's "not a database" code, with a
    /// message saying so); [`Error::Corrupt`] when SQLite's integrity check
    /// fails; [`Error::Schema`] for a lot-number store of a schema version
    /// this SDK does not know.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        // The set-up runs in one IMMEDIATE transaction: two processes
        // creating the file at once do not both create the schema (the
        // second waits, then finds it).
        let conn = sqlite_file::open(path.as_ref(), set_up)?;
        Ok(SqliteLotNumbers {
            conn: Mutex::new(conn),
        })
    }

    fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, LotNumberingError>,
    ) -> Result<T, LotNumberingError> {
        sqlite_file::with_conn(&self.conn, f)
    }
}

/// Creates the schema in an empty database, or checks that the database is
/// a lot-number store of this version; inside the caller's transaction.
fn set_up(conn: &Connection) -> Result<(), Error> {
    let application: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    match application {
        LOT_STORE_APPLICATION_ID if version == SCHEMA_VERSION => Ok(()),
        LOT_STORE_APPLICATION_ID => Err(Error::Schema {
            found: version,
            expected: SCHEMA_VERSION,
        }),
        0 if version == 0 && is_empty(conn)? => {
            conn.execute_batch(SCHEMA)?;
            conn.execute_batch(&format!(
                "PRAGMA application_id = {LOT_STORE_APPLICATION_ID}; \
                 PRAGMA user_version = {SCHEMA_VERSION};"
            ))?;
            Ok(())
        }
        _ => Err(not_a_lot_store()),
    }
}

/// Whether the database holds no table, index, view or trigger.
fn is_empty(conn: &Connection) -> Result<bool, Error> {
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok(objects == 0)
}

/// SQLite's own "not a database" code, with what is wrong.
fn not_a_lot_store() -> Error {
    Error::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
        Some("the file is another database, not a lot-number store".to_owned()),
    ))
}

/// A professional's last lot number.
const SELECT_LAST: &str = "SELECT last FROM lot_numbers WHERE professional = ?1";

fn unavailable(e: rusqlite::Error) -> LotNumberingError {
    LotNumberingError::unavailable(e)
}

/// A stored number: 1 to 999, anything else is corrupt.
fn number(last: i64) -> Result<LotNumber, LotNumberingError> {
    u16::try_from(last)
        .ok()
        .and_then(LotNumber::new)
        .ok_or(LotNumberingError::Corrupt)
}

impl LotNumbers for SqliteLotNumbers {
    fn next(&self, professional: &BillingNumber) -> Result<LotNumber, LotNumberingError> {
        self.with_conn(|conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(unavailable)?;
            let last = sqlite_file::optional_row(&tx, SELECT_LAST, professional.as_str())
                .map_err(unavailable)?;
            let next = match last {
                Some(last) => number(last)?.following(),
                None => LotNumber::FIRST,
            };
            tx.execute(
                "INSERT INTO lot_numbers (professional, last) VALUES (?1, ?2) \
                 ON CONFLICT (professional) DO UPDATE SET last = excluded.last",
                params![professional.as_str(), i64::from(next.get())],
            )
            .map_err(unavailable)?;
            tx.commit().map_err(unavailable)?;
            Ok(next)
        })
    }

    fn last(&self, professional: &BillingNumber) -> Result<Option<LotNumber>, LotNumberingError> {
        self.with_conn(|conn| {
            let last = sqlite_file::optional_row(conn, SELECT_LAST, professional.as_str())
                .map_err(unavailable)?;
            last.map(number).transpose()
        })
    }
}

#[cfg(test)]
mod tests;
