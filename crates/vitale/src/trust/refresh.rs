//! Keeping the trust list (*liste de confiance*) fresh: fetched over HTTPS,
//! verified against the pinned root, accepted only with a higher sequence
//! number, written to disk atomically, and swapped into the terminal's
//! store while verifications go on.
//!
//! The last good list is kept on disk (`cache` file, CBOR form): after a
//! restart, [`TrustListRefresher::restore`] puts it back in force when it is
//! newer than the list the application started with, so a rolled-back list
//! (a lower sequence number) is refused after a restart too. On any failure
//! (network, a list that does not verify, an older list) the list in force
//! stays; [`TrustListRefresher::status`] reports its age and whether it is
//! *stale* (no successful check for longer than the configured time).
//!
//! The protocol is one `GET` of the list's CBOR bytes at a path of the
//! service (`/v1/trust-list` on `vitale sim serve`). The official ApCV
//! specification is not public: the distribution of the real lists is not
//! known to this project.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use vitale_http::{Call, HttpClient, Idempotency, Method};
use vitale_model::Timestamp;
use vitale_verify::policy::{Clock, SystemClock};
use vitale_verify::trust::{TrustList, TrustStore};
use vitale_verify::{SignatureBackend, TrustListError, default_backend};

use crate::{Error, Terminal};

/// What a refresh did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum RefreshOutcome {
    /// A newer list is in force (and on disk).
    Updated {
        /// The sequence number before.
        from: u64,
        /// The sequence number now.
        to: u64,
    },
    /// The service serves the list already in force.
    Unchanged {
        /// Its sequence number.
        sequence: u64,
    },
}

/// The state of the list in force, for a status bar or a supervision
/// screen.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct RefreshStatus {
    /// The sequence number of the list in force.
    pub sequence: u64,
    /// Seconds since the list in force was issued.
    pub list_age_secs: u64,
    /// Seconds until the list in force expires (0 when it has).
    pub expires_in_secs: u64,
    /// When the service was last reached and its answer checked (`None`
    /// before the first success of this process).
    pub last_success: Option<Timestamp>,
    /// The kind of the last failure, when the last attempt failed.
    pub last_failure: Option<&'static str>,
    /// No successful check for longer than the stale time (counted from
    /// the list's issue when the service was never reached).
    pub stale: bool,
}

#[derive(Default)]
struct State {
    last_success: Option<Timestamp>,
    last_failure: Option<&'static str>,
}

/// Fetches, checks, stores and swaps the trust list. Share it between
/// threads; [`TrustListRefresher::spawn`] runs it in the background.
pub struct TrustListRefresher {
    client: HttpClient,
    path: String,
    cache: PathBuf,
    stale_after: Duration,
    backend: &'static dyn SignatureBackend,
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
}

impl std::fmt::Debug for TrustListRefresher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustListRefresher")
            .field("client", &self.client)
            .field("path", &self.path)
            .field("cache", &self.cache)
            .field("stale_after", &self.stale_after)
            .finish_non_exhaustive()
    }
}

/// The default time after which a list not confirmed by the service is
/// reported stale: one day.
pub const DEFAULT_STALE_AFTER: Duration = Duration::from_secs(86_400);

impl TrustListRefresher {
    /// A refresher fetching `path` (from `/`, e.g. `/v1/trust-list`) of the
    /// service `client` talks to, keeping the last good list in the file
    /// `cache`.
    pub fn new(client: HttpClient, path: impl Into<String>, cache: impl Into<PathBuf>) -> Self {
        TrustListRefresher {
            client,
            path: path.into(),
            cache: cache.into(),
            stale_after: DEFAULT_STALE_AFTER,
            backend: default_backend(),
            clock: Arc::new(SystemClock),
            state: Mutex::new(State::default()),
        }
    }

    /// Sets the time after which a list not confirmed is reported stale.
    #[must_use]
    pub fn with_stale_after(mut self, stale_after: Duration) -> Self {
        self.stale_after = stale_after;
        self
    }

    /// Replaces the clock (lists are checked for validity at its time).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The file holding the last good list.
    pub fn cache_path(&self) -> &Path {
        &self.cache
    }

    /// At start-up: puts the list kept on disk back in force when it is
    /// newer than the store's. Returns its sequence number when it was
    /// installed; `None` when there is no file or it is not newer.
    ///
    /// # Errors
    /// [`Error::Io`] when the file exists but cannot be read;
    /// [`Error::Verify`] when it does not verify with the store's anchor or
    /// has expired (the store is unchanged).
    pub fn restore(&self, store: &TrustStore) -> Result<Option<u64>, Error> {
        let bytes = match fs::read(&self.cache) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::io(
                    format!("cannot read the kept trust list {}", self.cache.display()),
                    e,
                ));
            }
        };
        let list = TrustList::from_cbor(&bytes, store.anchor(), self.backend, self.clock.now())?;
        let sequence = list.sequence();
        if sequence <= store.current().sequence() {
            return Ok(None);
        }
        store.update(list)?;
        Ok(Some(sequence))
    }

    /// Fetches the list, checks it and, when it is newer, writes it to disk
    /// and puts it in force.
    ///
    /// # Errors
    /// [`Error::TrustListUnavailable`] when the service cannot be reached
    /// or fails; [`Error::Verify`] when the list does not verify with the
    /// pinned root, has expired, or is older than the one in force
    /// (`trust_list_stale_sequence`: a rollback); [`Error::Io`] when it
    /// cannot be written. In every case the list in force stays.
    pub fn refresh(&self, store: &TrustStore) -> Result<RefreshOutcome, Error> {
        let result = self.fetch_and_install(store);
        let now = self.clock.now();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match &result {
            Ok(RefreshOutcome::Updated { from, to }) => {
                tracing::info!(from, to, "trust list refreshed: newer list installed");
            }
            Ok(RefreshOutcome::Unchanged { sequence }) => {
                tracing::debug!(sequence, "trust list refreshed: unchanged");
            }
            Err(e) => tracing::info!(kind = e.kind(), "trust list refresh refused or failed"),
        }
        match &result {
            Ok(_) => {
                state.last_success = Some(now);
                state.last_failure = None;
            }
            Err(e) => state.last_failure = Some(e.kind()),
        }
        result
    }

    fn fetch_and_install(&self, store: &TrustStore) -> Result<RefreshOutcome, Error> {
        let answer = self
            .client
            .call(&Call {
                operation: "trust_list",
                method: Method::Get,
                path: &self.path,
                body: None,
                idempotency: Idempotency::Idempotent,
            })
            .map_err(Error::TrustListUnavailable)?;
        // `from_cbor` refuses more than `MAX_TRUST_LIST_BYTES` first.
        let list =
            TrustList::from_cbor(&answer.body, store.anchor(), self.backend, self.clock.now())?;
        let from = store.current().sequence();
        let to = list.sequence();
        if to == from {
            return Ok(RefreshOutcome::Unchanged { sequence: to });
        }
        if to < from {
            return Err(Error::Verify(vitale_verify::Error::TrustList(
                TrustListError::StaleSequence {
                    offered: to,
                    current: from,
                },
            )));
        }
        // On disk first: a crash after this keeps the newer list for the
        // next start; a crash before keeps the older file whole.
        write_atomically(&self.cache, &answer.body)?;
        store.update(list)?;
        Ok(RefreshOutcome::Updated { from, to })
    }

    /// The state of the list in force in `store`.
    pub fn status(&self, store: &TrustStore) -> RefreshStatus {
        let now = self.clock.now().unix();
        let list = store.current();
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let since = state
            .last_success
            .map_or(list.issued_at().unix(), Timestamp::unix);
        RefreshStatus {
            sequence: list.sequence(),
            list_age_secs: now.saturating_sub(list.issued_at().unix()),
            expires_in_secs: list.expires_at().unix().saturating_sub(now),
            last_success: state.last_success,
            last_failure: state.last_failure,
            stale: now.saturating_sub(since) > self.stale_after.as_secs(),
        }
    }

    /// Refreshes `terminal`'s list now and then every `every`, on a
    /// background thread, until the returned handle is stopped or dropped.
    /// Failures are kept for [`TrustListRefresher::status`] and logged
    /// (their kind only).
    pub fn spawn(self: Arc<Self>, terminal: Arc<Terminal>, every: Duration) -> RefreshHandle {
        let stop = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
        let stopped = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            let stopped = Arc::clone(&stopped);
            std::thread::Builder::new()
                .name("vitale-trust-refresh".into())
                .spawn(move || {
                    loop {
                        if let Err(e) = self.refresh(terminal.verifier().trust_store()) {
                            tracing::warn!(kind = e.kind(), "trust list refresh failed");
                        }
                        let (lock, wake) = &*stop;
                        let guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
                        let (guard, _) = wake
                            .wait_timeout_while(guard, every, |stop| !*stop)
                            .unwrap_or_else(PoisonError::into_inner);
                        if *guard {
                            break;
                        }
                    }
                    stopped.store(true, Ordering::SeqCst);
                })
                .ok()
        };
        RefreshHandle {
            stop,
            thread,
            stopped,
        }
    }
}

/// The background refresh of [`TrustListRefresher::spawn`]; stopping it (or
/// dropping it) wakes the thread and waits for it.
pub struct RefreshHandle {
    stop: Arc<(Mutex<bool>, std::sync::Condvar)>,
    thread: Option<JoinHandle<()>>,
    stopped: Arc<AtomicBool>,
}

impl std::fmt::Debug for RefreshHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshHandle")
            .field("running", &self.is_running())
            .finish()
    }
}

impl RefreshHandle {
    /// Whether the background thread runs (false when it could not be
    /// started).
    pub fn is_running(&self) -> bool {
        self.thread.is_some() && !self.stopped.load(Ordering::SeqCst)
    }

    /// Stops the background refresh and waits for the thread (at most the
    /// duration of one refresh in progress).
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        let (lock, wake) = &*self.stop;
        *lock.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for RefreshHandle {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Writes `bytes` to `path` so that the file is either the old one or the
/// new one whole: a temporary file beside it, written and synced, renamed
/// over it, and the folder synced.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "trust-list".into(), |n| n.to_string_lossy().into_owned());
    let temp = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let io = |what: &str| {
        let what = format!("cannot {what} {}", path.display());
        move |e| Error::io(what, e)
    };
    let written = File::create(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .map_err(io("write the trust list"));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    if let Err(e) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(io("replace the trust list")(e));
    }
    // The rename is durable once the folder is synced (POSIX); on Windows
    // a folder cannot be opened this way, and the rename is what counts.
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}
