//! State on a PostgreSQL server, shared by a site's workstations: the
//! replay cache ([`PostgresReplayCache`]) and invoice numbers
//! ([`PostgresInvoiceNumbers`]).
//!
//! Both hold one connection (the synchronous `postgres` client), made when
//! the store is built and made again when it is lost; a call that finds
//! its connection lost is run once more on a new one, where that is safe
//! (see each store). Every session sets `statement_timeout` and
//! `lock_timeout` (a server that stops answering makes the call fail,
//! never hang the workstation) and `synchronous_commit = on` (a result is
//! returned only once its commit is on the server's disk, whatever the
//! server's default).

use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, Config, NoTls, Statement};

use crate::Error;

mod numbers;
mod replay;

pub use numbers::PostgresInvoiceNumbers;
pub use replay::{PostgresReplayCache, PurgeReport};

/// The schema this version writes (`vitale_schema.version`).
pub const SCHEMA_VERSION: i32 = 1;

/// The tables of both stores, as the SDK creates them when they are
/// missing (a database administrator may run it instead, and grant the
/// SDK's role only `SELECT, INSERT, UPDATE, DELETE` on the three tables).
pub const SCHEMA_SQL: &str = "
CREATE TABLE IF NOT EXISTS vitale_schema (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version integer NOT NULL
);
CREATE TABLE IF NOT EXISTS vitale_replay_cache (
    id bytea PRIMARY KEY CHECK (length(id) = 32),
    retain_until bigint NOT NULL,
    attempt bytea NOT NULL CHECK (length(attempt) = 16)
);
CREATE INDEX IF NOT EXISTS vitale_replay_cache_retain_until
    ON vitale_replay_cache (retain_until);
CREATE TABLE IF NOT EXISTS vitale_invoice_numbers (
    professional text PRIMARY KEY CHECK (length(professional) = 9),
    last integer NOT NULL CHECK (last BETWEEN 0 AND 999999)
);
INSERT INTO vitale_schema (version) VALUES (1) ON CONFLICT DO NOTHING;
";

/// The advisory lock that serialises schema creation between processes
/// (`pg_advisory_xact_lock`): "vitale" in ASCII, then 1.
const SCHEMA_LOCK: i64 = 0x7669_7461_6c65_0001;

/// How a PostgreSQL store connects and, for the replay cache, purges.
#[cfg(feature = "postgres")] // marks the item where the facade inlines it
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PostgresOptions {
    /// Longest wait for a connection, when the URL sets no
    /// `connect_timeout` (default 5 s).
    pub connect_timeout: Duration,
    /// Longest run of one statement or wait for a lock (default 5 s): past
    /// it the call fails (the verification is refused, no number is
    /// issued) instead of hanging the workstation.
    pub statement_timeout: Duration,
    /// How often the replay cache's purging thread deletes expired rows
    /// (default 60 s); `None`: no thread, call
    /// [`PostgresReplayCache::purge_expired`] from your own schedule.
    pub purge_interval: Option<Duration>,
    /// Rows one purging statement deletes at most (default 1 000).
    pub purge_batch: u32,
    /// Statements one purge runs at most (default 20): a round deletes at
    /// most `purge_batch × purge_rounds` rows, the rest waits for the next.
    pub purge_rounds: u32,
    /// How long after its retention a row may be deleted, by the database
    /// server's clock (default 10 minutes): covers the difference between
    /// the server's clock and the workstations'.
    pub purge_grace: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            connect_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(5),
            purge_interval: Some(Duration::from_secs(60)),
            purge_batch: 1_000,
            purge_rounds: 20,
            purge_grace: Duration::from_secs(600),
        }
    }
}

/// A parsed connection string: `postgresql://user@host/db?…` or
/// `host=… user=… dbname=…` (libpq's two forms). `Debug` and
/// [`PostgresUrl::describe`] never show the password.
#[cfg(feature = "postgres")] // marks the item where the facade inlines it
#[derive(Clone)]
pub struct PostgresUrl(Box<Config>);

impl PostgresUrl {
    /// Parses a connection string.
    ///
    /// # Errors
    /// [`Error::Location`] when it does not parse (the message does not
    /// repeat it: it may hold a password).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let config = Config::from_str(text).map_err(|_| Error::Location {
            reason: "not a PostgreSQL connection string (postgresql://… or key=value …)",
        })?;
        if config.get_hosts().is_empty() {
            return Err(Error::Location {
                reason: "the PostgreSQL connection string names no host (a socket directory or a host name)",
            });
        }
        Ok(PostgresUrl(Box::new(config)))
    }

    /// Hosts, ports, user and database, without the password, as a URL
    /// that [`PostgresUrl::parse`] reads back: each host with its port,
    /// and the user, hosts (a socket directory too) and database
    /// percent-encoded where they hold anything but letters, digits and
    /// `-._~` (`postgresql://vitale@%2Frun%2Fpostgresql:5432/site`).
    pub fn describe(&self) -> String {
        let ports = self.0.get_ports();
        let hosts: Vec<String> = self
            .0
            .get_hosts()
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let host = match h {
                    postgres::config::Host::Tcp(name) => url_part(name.as_bytes()),
                    #[cfg(unix)]
                    postgres::config::Host::Unix(path) => {
                        use std::os::unix::ffi::OsStrExt as _;
                        url_part(path.as_os_str().as_bytes())
                    }
                };
                // One port applies to every host; else each has its own;
                // none is the default, 5432, which the URL form writes (so
                // that what is shown reads back to the same text).
                let port = if ports.len() == 1 {
                    ports.first()
                } else {
                    ports.get(i)
                };
                format!("{host}:{}", port.copied().unwrap_or(DEFAULT_PORT))
            })
            .collect();
        let user = self
            .0
            .get_user()
            .map(|u| format!("{}@", url_part(u.as_bytes())))
            .unwrap_or_default();
        let dbname = self.0.get_dbname().map(|d| url_part(d.as_bytes()));
        format!(
            "postgresql://{user}{}/{}",
            hosts.join(","),
            dbname.unwrap_or_default()
        )
    }

    /// The client's configuration.
    pub(crate) fn config(&self) -> &Config {
        &self.0
    }
}

/// PostgreSQL's port when none is given.
const DEFAULT_PORT: u16 = 5432;

/// `bytes` percent-encoded but for the URL's unreserved characters (RFC 3986
/// §2.3).
fn url_part(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PostgresUrl")
            .field(&self.describe())
            .finish()
    }
}

/// One connection and its `N` prepared statements.
pub(crate) struct Conn<const N: usize> {
    pub(crate) client: Client,
    pub(crate) statements: [Statement; N],
}

/// A connection to the server, made on demand, with the statements a
/// store runs prepared on it.
pub(crate) struct Session<const N: usize> {
    config: Config,
    options: PostgresOptions,
    /// The SQL of the statements prepared on each connection.
    statements: &'static [&'static str; N],
    conn: Mutex<Option<Conn<N>>>,
}

impl<const N: usize> Session<N> {
    /// Connects (creating the schema if it is missing) and prepares
    /// `statements`.
    pub(crate) fn open(
        url: &PostgresUrl,
        options: PostgresOptions,
        statements: &'static [&'static str; N],
    ) -> Result<Self, Error> {
        let session = Session {
            config: configured(url, &options),
            options,
            statements,
            conn: Mutex::new(None),
        };
        let conn = session.connect()?;
        *session.conn.lock().unwrap_or_else(PoisonError::into_inner) = Some(conn);
        Ok(session)
    }

    pub(crate) fn options(&self) -> &PostgresOptions {
        &self.options
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    fn connect(&self) -> Result<Conn<N>, Error> {
        let mut client = connect(&self.config, &self.options)?;
        ensure_schema(&mut client)?;
        let mut prepared = Vec::with_capacity(N);
        for sql in self.statements {
            prepared.push(client.prepare(sql)?);
        }
        // Exactly N were prepared: the conversion cannot fail.
        let statements = prepared.try_into().map_err(|_| Error::Corrupt)?;
        Ok(Conn { client, statements })
    }

    /// Runs `f` on the connection, connecting first if there is none.
    ///
    /// When `f` fails because the connection was lost (the server
    /// restarted, the network dropped), the connection is forgotten; if
    /// `retry` and the connection was an old one, `f` runs once more on a
    /// new connection (`f` must then be safe to run twice: see each store).
    pub(crate) fn run<T>(
        &self,
        retry: bool,
        mut f: impl FnMut(&mut Conn<N>) -> Result<T, postgres::Error>,
    ) -> Result<T, Error> {
        // Nothing panics while the lock is held; a poisoned slot holds a
        // connection that is still usable, or none.
        let mut slot = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let mut retry = retry;
        loop {
            let fresh = slot.as_ref().is_none_or(|c| c.client.is_closed());
            let conn = match slot.as_mut() {
                Some(conn) if !fresh => conn,
                _ => slot.insert(self.connect()?),
            };
            match f(conn) {
                Ok(value) => return Ok(value),
                Err(e) => {
                    let lost = conn.client.is_closed() || connection_lost(&e);
                    if lost {
                        *slot = None;
                    }
                    if !(lost && !fresh && retry) {
                        return Err(Error::Postgres(e));
                    }
                    retry = false;
                }
            }
        }
    }
}

impl<const N: usize> fmt::Debug for Session<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Whether `e` means the connection is gone (rather than a statement
/// failing on a live connection).
fn connection_lost(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        // Class 08 (connection exception), 57P01-57P03 (the server shut
        // down or is starting).
        Some(code) => {
            let code = code.code();
            code.starts_with("08") || code.starts_with("57P")
        }
        // No SQL state: an I/O error on the socket.
        None => e.as_db_error().is_none(),
    }
}

/// `url`'s configuration with the SDK's defaults where it sets none.
fn configured(url: &PostgresUrl, options: &PostgresOptions) -> Config {
    let mut config = url.config().clone();
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(options.connect_timeout);
    }
    if config.get_application_name().is_none() {
        config.application_name("vitale-sdk");
    }
    config
}

/// A new connection with the session settings of the module documentation.
pub(crate) fn connect(config: &Config, options: &PostgresOptions) -> Result<Client, Error> {
    let mut client = config.connect(NoTls)?;
    let ms = options.statement_timeout.as_millis().max(1);
    client.batch_execute(&format!(
        "SET statement_timeout = {ms}; SET lock_timeout = {ms}; SET synchronous_commit = on;"
    ))?;
    Ok(client)
}

/// Creates the tables when `vitale_schema` is missing (under an advisory
/// lock, so that processes starting together do not race), and refuses a
/// version this SDK does not know.
fn ensure_schema(client: &mut Client) -> Result<(), Error> {
    let version = match client.query_opt("SELECT version FROM vitale_schema", &[]) {
        Ok(row) => row.map(|r| r.try_get::<_, i32>(0)).transpose()?,
        Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => None,
        Err(e) => return Err(e.into()),
    };
    let version = match version {
        Some(v) => v,
        None => {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
            tx.batch_execute(SCHEMA_SQL)?;
            let v: i32 = tx
                .query_one("SELECT version FROM vitale_schema", &[])?
                .try_get(0)?;
            tx.commit()?;
            v
        }
    };
    if version == SCHEMA_VERSION {
        Ok(())
    } else {
        Err(Error::Schema {
            found: i64::from(version),
            expected: i64::from(SCHEMA_VERSION),
        })
    }
}
