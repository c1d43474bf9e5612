//! The crate's error type.

/// Why a store cannot be opened or used.
///
/// Every variant has a stable snake_case [`Error::kind`]. No variant
/// carries a password: a PostgreSQL location is shown without it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The SQLite database failed (I/O, lock, SQL); the source says why.
    #[cfg(feature = "sqlite")]
    #[error("SQLite store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL server cannot be reached or failed (connection,
    /// authentication, timeout, SQL); the source says why.
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL store: {0}")]
    Postgres(#[from] postgres::Error),
    /// The database holds a schema this version does not know (written by
    /// a newer SDK, or not ours).
    #[error("store schema version {found} unknown (this SDK reads {expected})")]
    Schema {
        /// The version found.
        found: i64,
        /// The version this SDK writes.
        expected: i64,
    },
    /// The database's integrity check failed: the store refuses to use it.
    #[error("store integrity check failed")]
    Corrupt,
    /// A store location (`sqlite:PATH`, `postgres:URL`, `memory`) that does
    /// not parse, or names a backend this build does not have.
    #[error("invalid store location: {reason}")]
    Location {
        /// What is wrong with it (never the location itself, which may
        /// hold a password).
        reason: &'static str,
    },
}

impl Error {
    /// The stable snake_case kind of this failure.
    pub fn kind(&self) -> &'static str {
        match self {
            #[cfg(feature = "sqlite")]
            Error::Sqlite(_) => "store_unavailable",
            #[cfg(feature = "postgres")]
            Error::Postgres(_) => "store_unavailable",
            Error::Schema { .. } => "store_schema_unknown",
            Error::Corrupt => "store_corrupt",
            Error::Location { .. } => "store_location_invalid",
        }
    }

    /// Every kind [`Error::kind`] can return, whatever the features.
    pub const KINDS: &'static [&'static str] = &[
        "store_unavailable",
        "store_schema_unknown",
        "store_corrupt",
        "store_location_invalid",
    ];
}
