//! The crate's error type.

/// Why a store cannot be opened or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed (I/O, lock, SQL); the source says why.
    #[cfg(feature = "sqlite")]
    #[error("SQLite store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file holds a schema this version does not know (written by a
    /// newer SDK, or not ours).
    #[error("store schema version {found} unknown (this SDK reads {expected})")]
    Schema {
        /// The version found.
        found: i64,
        /// The version this SDK writes.
        expected: i64,
    },
    /// The database's integrity check failed: the store refuses to issue
    /// numbers from it.
    #[error("store integrity check failed")]
    Corrupt,
}

impl Error {
    /// The stable snake_case kind of this failure.
    pub fn kind(&self) -> &'static str {
        match self {
            #[cfg(feature = "sqlite")]
            Error::Sqlite(_) => "store_unavailable",
            Error::Schema { .. } => "store_schema_unknown",
            Error::Corrupt => "store_corrupt",
        }
    }
}
