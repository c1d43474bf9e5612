//! Where a store lives, as one string: [`StoreLocation`].

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use vitale_fse::numbering::{InvoiceNumbers, MemoryInvoiceNumbers};
use vitale_verify::replay::{MemoryReplayCache, ReplayCache};

use crate::Error;
#[cfg(feature = "postgres")]
use crate::PostgresUrl;

/// Where a store lives — the string vendors put in a configuration file,
/// the CLI's `--replay-cache` and the C ABI:
///
/// | text | backend |
/// |---|---|
/// | `memory` | in this process only: forgotten at exit (not durable) |
/// | `sqlite:PATH` | a SQLite file (feature `sqlite`): one workstation |
/// | `postgres:URL`, or a URL `postgresql://…` / `postgres://…` | a PostgreSQL server (feature `postgres`): a site |
///
/// The PostgreSQL URL is either form of libpq's connection strings
/// (`postgresql://user@host:5432/db` or `host=/run/postgresql user=… dbname=…`);
/// a socket directory is a host starting with `/`. `Debug` and `Display`
/// never show a password.
///
/// ```
/// use vitale_store::StoreLocation;
///
/// let at: StoreLocation = "sqlite:/var/lib/vitale/state.sqlite".parse()?;
/// assert_eq!(at.to_string(), "sqlite:/var/lib/vitale/state.sqlite");
/// assert!("carrier-pigeon:42".parse::<StoreLocation>().is_err());
/// # Ok::<(), vitale_store::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum StoreLocation {
    /// In memory, not durable.
    Memory,
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    #[cfg(feature = "postgres")]
    Postgres(PostgresUrl),
}

impl StoreLocation {
    /// The replay cache at this location: [`MemoryReplayCache::default`],
    /// [`crate::SqliteReplayCache`] or [`crate::PostgresReplayCache`]
    /// (with its default options), shared: one cache can serve several
    /// verifiers of the process.
    ///
    /// # Errors
    /// The backend's own ([`Error::Sqlite`], [`Error::Postgres`],
    /// [`Error::Schema`], [`Error::Corrupt`]); [`Error::Location`] for
    /// `sqlite:` in a build without the feature `sqlite`.
    pub fn open_replay_cache(&self) -> Result<Arc<dyn ReplayCache>, Error> {
        match self {
            StoreLocation::Memory => Ok(Arc::new(MemoryReplayCache::default())),
            #[cfg(feature = "sqlite")]
            StoreLocation::Sqlite(path) => Ok(Arc::new(crate::SqliteReplayCache::open(path)?)),
            #[cfg(not(feature = "sqlite"))]
            StoreLocation::Sqlite(_) => Err(NO_SQLITE),
            #[cfg(feature = "postgres")]
            StoreLocation::Postgres(url) => Ok(Arc::new(crate::PostgresReplayCache::connect(url)?)),
        }
    }

    /// The invoice numbers at this location: [`MemoryInvoiceNumbers`]
    /// (**not durable**: examples and tests only),
    /// [`crate::SqliteInvoiceNumbers`] or [`crate::PostgresInvoiceNumbers`].
    ///
    /// # Errors
    /// As [`StoreLocation::open_replay_cache`].
    pub fn open_invoice_numbers(&self) -> Result<Box<dyn InvoiceNumbers>, Error> {
        match self {
            StoreLocation::Memory => Ok(Box::new(MemoryInvoiceNumbers::new())),
            #[cfg(feature = "sqlite")]
            StoreLocation::Sqlite(path) => Ok(Box::new(crate::SqliteInvoiceNumbers::open(path)?)),
            #[cfg(not(feature = "sqlite"))]
            StoreLocation::Sqlite(_) => Err(NO_SQLITE),
            #[cfg(feature = "postgres")]
            StoreLocation::Postgres(url) => {
                Ok(Box::new(crate::PostgresInvoiceNumbers::connect(url)?))
            }
        }
    }

    /// Whether the state outlives the process.
    pub fn is_durable(&self) -> bool {
        !matches!(self, StoreLocation::Memory)
    }
}

#[cfg(not(feature = "sqlite"))]
const NO_SQLITE: Error = Error::Location {
    reason: "this build has no SQLite backend (feature `sqlite`)",
};

impl FromStr for StoreLocation {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        if text == "memory" {
            return Ok(StoreLocation::Memory);
        }
        if let Some(path) = text.strip_prefix("sqlite:") {
            if path.is_empty() {
                return Err(Error::Location {
                    reason: "sqlite: needs a file path",
                });
            }
            return Ok(StoreLocation::Sqlite(PathBuf::from(path)));
        }
        let url = text
            .strip_prefix("postgres:")
            .filter(|rest| !rest.starts_with("//"));
        let url = url.or_else(|| {
            (text.starts_with("postgresql://") || text.starts_with("postgres://")).then_some(text)
        });
        match url {
            #[cfg(feature = "postgres")]
            Some(url) => Ok(StoreLocation::Postgres(PostgresUrl::parse(url)?)),
            #[cfg(not(feature = "postgres"))]
            Some(_) => Err(Error::Location {
                reason: "this build has no PostgreSQL backend (feature `postgres`)",
            }),
            None => Err(Error::Location {
                reason: "expected memory, sqlite:PATH or postgres:URL",
            }),
        }
    }
}

impl fmt::Display for StoreLocation {
    /// The location as it parses back, except that a PostgreSQL location
    /// is shown without its password (and in URL form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Memory => f.write_str("memory"),
            StoreLocation::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            #[cfg(feature = "postgres")]
            StoreLocation::Postgres(url) => write!(f, "postgres:{}", url.describe()),
        }
    }
}

impl fmt::Debug for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreLocation({self})")
    }
}

#[cfg(test)]
mod tests;
