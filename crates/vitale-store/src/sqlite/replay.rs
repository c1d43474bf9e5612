//! The replay cache in a SQLite file: [`SqliteReplayCache`].

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use rusqlite::{Connection, TransactionBehavior, params};
use vitale_codec::model::Timestamp;
use vitale_verify::replay::{ReplayCache, ReplayError, ReplayId};

use super::open_state;
use crate::Error;

/// How many expired rows one acceptance deletes at most (in its own
/// transaction): more than one, so that purging outpaces insertion and the
/// table holds the live presentations plus a bounded backlog.
const PURGE_PER_INSERT: i64 = 8;

/// The anti-replay cache of one workstation, in a SQLite file: a
/// presentation accepted before a restart (of the program or of the
/// machine) is still refused as a replay until its retention ends.
///
/// Each [`ReplayCache::check_and_remember`] is one `BEGIN IMMEDIATE`
/// transaction (the file's write lock: processes of the workstation that
/// share the file queue) holding
///
/// 1. one statement that records the id if absent — or if its row has
///    expired at `now` — and changes no row when the id is live
///    (`INSERT … ON CONFLICT (id) DO UPDATE … WHERE retain_until <= now`):
///    no row changed is a replay, and the transaction is rolled back;
/// 2. the deletion of at most 8 rows whose retention ended at least
///    [`SqliteReplayCache::PURGE_GRACE_SECS`] before `now`, so the table
///    stays bounded without a purge that would stall a verification;
///
/// committed with `synchronous = FULL` in WAL mode: the presentation is on
/// disk before the verifier accepts it, so neither a crash of the program
/// nor a power cut can make the workstation forget it.
///
/// The file can be the one of [`crate::SqliteInvoiceNumbers`] (one schema
/// holds both).
///
/// ```
/// use vitale_store::SqliteReplayCache;
/// use vitale_verify::replay::{ReplayCache, ReplayError, ReplayId};
/// use vitale_codec::model::{CredentialId, Nonce, Timestamp};
///
/// let dir = std::env::temp_dir().join(format!("vitale-doc-replay-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let t = |s| Timestamp::from_unix(s).ok_or("out of range");
/// let id = ReplayId::new(&CredentialId::from_bytes([1; 16]), &Nonce::from_bytes([2; 16]));
/// {
///     let cache = SqliteReplayCache::open(dir.join("state.sqlite"))?;
///     cache.check_and_remember(&id, t(1_700_000_480)?, t(1_700_000_000)?)?;
/// }
/// // After a restart, within the retention: still a replay.
/// let cache = SqliteReplayCache::open(dir.join("state.sqlite"))?;
/// assert_eq!(
///     cache.check_and_remember(&id, t(1_700_000_480)?, t(1_700_000_100)?),
///     Err(ReplayError::Replay)
/// );
/// # drop(cache);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Limits
///
/// * No capacity: the table holds what the workstation accepted within a
///   retention (a few hundred rows at most at a counter), so
///   [`ReplayError::Full`] is never returned.
/// * Expiry follows the `now` of each call, as in every backend; rows are
///   deleted only [`SqliteReplayCache::PURGE_GRACE_SECS`] after their
///   retention, so that a clock stepped forward and back within that
///   grace does not make the cache forget a live presentation.
#[cfg(feature = "sqlite")] // marks the item where the facade inlines it
pub struct SqliteReplayCache {
    conn: Mutex<Connection>,
}

impl SqliteReplayCache {
    /// Seconds a row is kept after its retention ended before it may be
    /// deleted (10 minutes).
    pub const PURGE_GRACE_SECS: u64 = 600;

    /// Opens (creating if needed) the cache in the SQLite file at `path`.
    ///
    /// # Errors
    /// As [`crate::SqliteInvoiceNumbers::open`]: [`Error::Sqlite`],
    /// [`Error::Corrupt`], [`Error::Schema`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        Ok(SqliteReplayCache {
            conn: Mutex::new(open_state(path.as_ref())?),
        })
    }

    /// The number of rows, live or expired but not yet deleted (for
    /// monitoring and tests).
    ///
    /// # Errors
    /// [`Error::Sqlite`] when the file cannot be read.
    pub fn rows(&self) -> Result<u64, Error> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let n: i64 = conn.query_row("SELECT count(*) FROM replay_cache", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

impl fmt::Debug for SqliteReplayCache {
    /// Shows no id and no path.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteReplayCache").finish_non_exhaustive()
    }
}

/// Seconds as SQLite's integer (a [`Timestamp`] is at most year 9999, far
/// below `i64::MAX`).
fn secs(t: Timestamp) -> Result<i64, ReplayError> {
    i64::try_from(t.unix()).map_err(|_| ReplayError::unavailable(Error::Corrupt))
}

fn unavailable(e: rusqlite::Error) -> ReplayError {
    ReplayError::unavailable(Error::Sqlite(e))
}

impl ReplayCache for SqliteReplayCache {
    fn check_and_remember(
        &self,
        id: &ReplayId,
        retain_until: Timestamp,
        now: Timestamp,
    ) -> Result<(), ReplayError> {
        let (until, now) = (secs(retain_until)?, secs(now)?);
        // Nothing panics while the lock is held; a poisoned connection is
        // still a connection (SQLite rolls back an unfinished transaction).
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(unavailable)?;
        let recorded = tx
            .execute(
                "INSERT INTO replay_cache (id, retain_until) VALUES (?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET retain_until = excluded.retain_until \
                 WHERE replay_cache.retain_until <= ?3",
                params![&id.as_bytes()[..], until, now],
            )
            .map_err(unavailable)?;
        if recorded == 0 {
            // Live: a replay. Dropping the transaction rolls it back.
            return Err(ReplayError::Replay);
        }
        let grace = i64::try_from(Self::PURGE_GRACE_SECS).unwrap_or(i64::MAX);
        tx.execute(
            "DELETE FROM replay_cache WHERE id IN \
             (SELECT id FROM replay_cache WHERE retain_until <= ?1 LIMIT ?2)",
            params![now.saturating_sub(grace), PURGE_PER_INSERT],
        )
        .map_err(unavailable)?;
        tx.commit().map_err(unavailable)
    }
}

#[cfg(test)]
mod tests;
