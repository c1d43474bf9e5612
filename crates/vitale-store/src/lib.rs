//! Durable state for the vitale-sdk.
//!
//! | type | trait it implements | backend |
//! |---|---|---|
//! | [`SqliteInvoiceNumbers`] | [`vitale_fse::InvoiceNumbers`] | SQLite file (feature `sqlite`, default) |
//! | [`SqliteLotNumbers`] | [`vitale_fse::LotNumbers`] | SQLite file of its own (feature `sqlite`, default) |
//!
//! SQLite is compiled from source (rusqlite's `bundled`): it needs a C
//! compiler, no system library. The database runs in WAL mode with
//! `synchronous = FULL`, so a committed number survives a crash of the
//! process and of the machine, and several processes of one workstation
//! can share the file.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_lots;

pub use error::Error;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteInvoiceNumbers;
#[cfg(feature = "sqlite")]
pub use sqlite_lots::{LOT_STORE_APPLICATION_ID, SqliteLotNumbers};
