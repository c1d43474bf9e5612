//! What the SQLite stores share: opening a state file with the pragmas
//! that make a commit durable, the schema set-up in one write
//! transaction, the connection behind a mutex, and the "last number"
//! query of a professional.

use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};

use crate::Error;

/// How long a writer waits for another process's transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (creating if needed) the SQLite file at `path`: WAL mode,
/// `synchronous = FULL`, a busy timeout and an integrity check; then runs
/// `set_up` (create or check the schema) inside one `BEGIN IMMEDIATE`
/// transaction, committed when it succeeds and rolled back when it fails.
///
/// IMMEDIATE: two processes opening a new file at once do not both create
/// the schema (the second waits, then finds it).
pub(crate) fn open(
    path: &Path,
    set_up: impl FnOnce(&Connection) -> Result<(), Error>,
) -> Result<Connection, Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers never block the writer; FULL: fsync at every commit.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Sqlite(rusqlite::Error::InvalidQuery));
    }
    conn.execute_batch("PRAGMA synchronous = FULL;")?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(Error::Corrupt);
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let done = set_up(&conn);
    conn.execute_batch(if done.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    done?;
    Ok(conn)
}

/// Runs `f` on the connection behind `conn`, taking over a poisoned lock
/// (every change is a transaction, which a panicking thread rolls back).
pub(crate) fn with_conn<T, E>(
    conn: &Mutex<Connection>,
    f: impl FnOnce(&mut Connection) -> Result<T, E>,
) -> Result<T, E> {
    let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
    f(&mut conn)
}

/// The one value `select` (a query with the professional as `?1`) reads
/// for `professional`, or `None` when the professional has no row yet.
pub(crate) fn optional_row(
    conn: &Connection,
    select: &str,
    professional: &str,
) -> Result<Option<i64>, rusqlite::Error> {
    conn.query_row(select, params![professional], |r| r.get(0))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
}
