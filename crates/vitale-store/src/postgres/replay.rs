//! The replay cache on PostgreSQL: [`PostgresReplayCache`].

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use postgres::Config;
use vitale_codec::model::Timestamp;
use vitale_verify::replay::{ReplayCache, ReplayError, ReplayId};

use super::{PostgresOptions, PostgresUrl, Session, connect};
use crate::Error;

/// Records a presentation unless it is live: one statement (see
/// [`PostgresReplayCache`]). `$1` id, `$2` retain_until, `$3` this call's
/// attempt token, `$4` now.
const CHECK_AND_REMEMBER: &str = "\
INSERT INTO vitale_replay_cache AS c (id, retain_until, attempt) VALUES ($1, $2, $3) \
ON CONFLICT (id) DO UPDATE SET retain_until = EXCLUDED.retain_until, attempt = EXCLUDED.attempt \
WHERE c.retain_until <= $4 OR c.attempt = EXCLUDED.attempt";

/// Deletes at most `$2` rows whose retention ended `$1` seconds before the
/// server's clock, skipping rows another purge holds.
const PURGE: &str = "\
DELETE FROM vitale_replay_cache WHERE ctid = ANY(ARRAY(\
SELECT ctid FROM vitale_replay_cache \
WHERE retain_until < extract(epoch FROM statement_timestamp())::bigint - $1 \
LIMIT $2 FOR UPDATE SKIP LOCKED))";

/// The anti-replay cache of a site, on PostgreSQL: a presentation accepted
/// at one workstation is refused as a replay at every other, and after any
/// restart, until its retention ends.
///
/// # One statement per verification
///
/// [`ReplayCache::check_and_remember`] runs one prepared statement in its
/// own transaction:
///
/// ```sql
/// INSERT INTO vitale_replay_cache AS c (id, retain_until, attempt) VALUES ($1, $2, $3)
/// ON CONFLICT (id) DO UPDATE SET retain_until = EXCLUDED.retain_until, attempt = EXCLUDED.attempt
/// WHERE c.retain_until <= $4 OR c.attempt = EXCLUDED.attempt
/// ```
///
/// One row inserted or updated: the presentation was unknown (or its row
/// had expired at `now`) and is now recorded. No row: it is live, a
/// replay. PostgreSQL makes `INSERT … ON CONFLICT` atomic: of two
/// workstations inserting the same id at once, one inserts and the other
/// waits for it, then sees a live row. The answer is read only after the
/// commit, with `synchronous_commit = on`: an accepted presentation is on
/// the server's disk before the verifier accepts it.
///
/// `attempt` is a token unique to the call (random per cache, then a
/// counter). It makes the statement safe to run twice: when the connection
/// is lost during the call, the statement runs once more on a new
/// connection, and if the first run had committed, the row carries this
/// call's token and the presentation is accepted, not taken for its own
/// replay. Any other failure — server unreachable, timeout, refused login —
/// is [`ReplayError::Unavailable`], which the verifier reports as
/// `replay_cache_unavailable`: the presentation is refused (fail closed).
///
/// # Purging without blocking verification
///
/// Expired rows are deleted by a thread of the cache, every
/// [`PostgresOptions::purge_interval`] (default 60 s), on a connection of
/// its own opened for that purge and closed after it: bounded statements
/// (`DELETE … WHERE ctid = ANY(ARRAY(SELECT ctid … LIMIT n FOR UPDATE SKIP
/// LOCKED))`, at most [`PostgresOptions::purge_rounds`] of them). A
/// verification never waits for it: the purge runs outside the
/// verification's connection and lock; it deletes only expired rows, which
/// a verification touches only when a nonce comes back after its
/// retention; and `SKIP LOCKED` keeps the purges of many workstations off
/// each other's rows. Rows are deleted by the **server's** clock, a grace
/// ([`PostgresOptions::purge_grace`], 10 minutes) after their retention,
/// so that one workstation with a clock ahead cannot delete rows still
/// live for the others. Doing the deletion inline instead would add its
/// cost to a patient's verification and, with hundreds of workstations,
/// multiply purges of the same rows.
///
/// One connection serves the cache's calls in turn (a workstation verifies
/// one patient at a time); a server verifying for many desks opens one
/// cache per worker thread.
#[cfg(feature = "postgres")] // marks the item where the facade inlines it
pub struct PostgresReplayCache {
    session: Session<1>,
    /// Random high half of the attempt tokens.
    token: [u8; 8],
    /// Low half: one value per call.
    calls: AtomicU64,
    report: Arc<Mutex<PurgeReport>>,
    purger: Option<Purger>,
}

/// What the purging of expired rows has done so far (for monitoring).
#[cfg(feature = "postgres")] // marks the item where the facade inlines it
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PurgeReport {
    /// Purges run (by the thread or by
    /// [`PostgresReplayCache::purge_expired`]).
    pub purges: u64,
    /// Rows deleted by them.
    pub deleted: u64,
    /// Purges that failed (server unreachable…); the next one tries again.
    pub failures: u64,
    /// The kind of the last failure, if the last purge failed.
    pub last_failure: Option<&'static str>,
}

/// The purging thread, stopped when the cache is dropped.
struct Purger {
    /// Dropped to stop the thread.
    stop: Option<mpsc::Sender<()>>,
    handle: Option<JoinHandle<()>>,
}

impl PostgresReplayCache {
    /// Connects with [`PostgresOptions::default`].
    ///
    /// # Errors
    /// [`Error::Postgres`] when the server cannot be reached or refuses
    /// the login or the schema setup; [`Error::Schema`] for a schema this
    /// SDK does not know.
    pub fn connect(url: &PostgresUrl) -> Result<Self, Error> {
        Self::connect_with(url, PostgresOptions::default())
    }

    /// Connects with `options` (creating the tables if they are missing)
    /// and starts the purging thread if
    /// [`PostgresOptions::purge_interval`] is set.
    ///
    /// # Errors
    /// As [`PostgresReplayCache::connect`]; [`Error::Postgres`] also when
    /// the thread cannot be started.
    pub fn connect_with(url: &PostgresUrl, options: PostgresOptions) -> Result<Self, Error> {
        let session = Session::open(url, options, &[CHECK_AND_REMEMBER])?;
        let mut token = [0u8; 8];
        getrandom::fill(&mut token).map_err(|_| Error::Location {
            reason: "no random source for the replay cache's attempt tokens",
        })?;
        let report = Arc::new(Mutex::new(PurgeReport::default()));
        let purger = match session.options().purge_interval {
            Some(_) => Some(Purger::start(
                session.config().clone(),
                session.options().clone(),
                Arc::clone(&report),
            )?),
            None => None,
        };
        Ok(PostgresReplayCache {
            session,
            token,
            calls: AtomicU64::new(0),
            report,
            purger,
        })
    }

    /// Deletes expired rows now (one purge, as the thread does), on a
    /// connection of its own, and returns how many.
    ///
    /// # Errors
    /// [`Error::Postgres`] when the server cannot be reached or fails.
    pub fn purge_expired(&self) -> Result<u64, Error> {
        let outcome = purge(self.session.config(), self.session.options(), &|| true);
        record(&self.report, &outcome);
        outcome
    }

    /// What purging has done so far.
    pub fn purge_report(&self) -> PurgeReport {
        self.report
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A token no other call of any cache uses.
    fn attempt(&self) -> [u8; 16] {
        let mut attempt = [0u8; 16];
        let (high, low) = attempt.split_at_mut(8);
        high.copy_from_slice(&self.token);
        low.copy_from_slice(&self.calls.fetch_add(1, Ordering::Relaxed).to_be_bytes());
        attempt
    }
}

impl fmt::Debug for PostgresReplayCache {
    /// Shows no id and no connection string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresReplayCache")
            .field("purging", &self.purger.is_some())
            .finish_non_exhaustive()
    }
}

/// Seconds as PostgreSQL's `bigint` (a [`Timestamp`] is at most year 9999).
fn secs(t: Timestamp) -> Result<i64, ReplayError> {
    i64::try_from(t.unix()).map_err(|_| ReplayError::unavailable(Error::Corrupt))
}

impl ReplayCache for PostgresReplayCache {
    fn check_and_remember(
        &self,
        id: &ReplayId,
        retain_until: Timestamp,
        now: Timestamp,
    ) -> Result<(), ReplayError> {
        let (until, now) = (secs(retain_until)?, secs(now)?);
        let attempt = self.attempt();
        let (id, attempt) = (&id.as_bytes()[..], &attempt[..]);
        // Safe to run twice: the attempt token (see the type's
        // documentation).
        let recorded = self
            .session
            .run(true, |conn| {
                let [check] = &conn.statements;
                conn.client.execute(check, &[&id, &until, &attempt, &now])
            })
            .map_err(ReplayError::unavailable)?;
        if recorded == 0 {
            Err(ReplayError::Replay)
        } else {
            Ok(())
        }
    }
}

impl Drop for PostgresReplayCache {
    fn drop(&mut self) {
        if let Some(mut purger) = self.purger.take() {
            purger.stop();
        }
    }
}

impl Purger {
    fn start(
        config: Config,
        options: PostgresOptions,
        report: Arc<Mutex<PurgeReport>>,
    ) -> Result<Self, Error> {
        let (stop, stopped) = mpsc::channel::<()>();
        let interval = options.purge_interval.unwrap_or_default();
        let handle = thread::Builder::new()
            .name("vitale-replay-purge".into())
            .spawn(move || {
                // Ends when the cache drops the sender.
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(interval) {
                    // Between two statements, a dropped cache stops the purge.
                    let go_on = || matches!(stopped.try_recv(), Err(mpsc::TryRecvError::Empty));
                    record(&report, &purge(&config, &options, &go_on));
                }
            })
            .map_err(|_| Error::Location {
                reason: "cannot start the replay cache's purging thread",
            })?;
        Ok(Purger {
            stop: Some(stop),
            handle: Some(handle),
        })
    }

    /// Stops the thread and waits for it: at most the statement in
    /// progress (bounded by the statement and connection timeouts).
    fn stop(&mut self) {
        drop(self.stop.take());
        if let Some(handle) = self.handle.take() {
            // A panic in the thread has nothing left to report.
            let _ = handle.join();
        }
    }
}

/// One purge: bounded statements on a new connection, closed after; stops
/// early when `go_on` says so.
fn purge(
    config: &Config,
    options: &PostgresOptions,
    go_on: &dyn Fn() -> bool,
) -> Result<u64, Error> {
    let mut client = connect(config, options)?;
    let grace = i64::try_from(options.purge_grace.as_secs()).unwrap_or(i64::MAX);
    let batch = i64::from(options.purge_batch.max(1));
    let statement = client.prepare(PURGE)?;
    let mut deleted = 0;
    for _ in 0..options.purge_rounds.max(1) {
        let n = client.execute(&statement, &[&grace, &batch])?;
        deleted += n;
        if n < options.purge_batch.max(1).into() || !go_on() {
            break;
        }
    }
    Ok(deleted)
}

fn record(report: &Mutex<PurgeReport>, outcome: &Result<u64, Error>) {
    let mut report = report.lock().unwrap_or_else(PoisonError::into_inner);
    report.purges += 1;
    match outcome {
        Ok(n) => {
            report.deleted += n;
            report.last_failure = None;
        }
        Err(e) => {
            report.failures += 1;
            report.last_failure = Some(e.kind());
        }
    }
}
