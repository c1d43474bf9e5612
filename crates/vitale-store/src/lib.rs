//! Durable and shared state for the vitale-sdk: the replay cache and
//! invoice numbers of one workstation (SQLite) or of a site (PostgreSQL).
//!
//! | type | trait it implements | backend |
//! |---|---|---|
//! | [`SqliteReplayCache`] | [`vitale_verify::replay::ReplayCache`] | SQLite file (feature `sqlite`, default) |
//! | [`SqliteInvoiceNumbers`] | [`vitale_fse::InvoiceNumbers`] | SQLite file (feature `sqlite`, default) |
//! | [`SqliteLotNumbers`] | [`vitale_fse::LotNumbers`] | SQLite file of its own (feature `sqlite`, default) |
//! | [`PostgresReplayCache`] | [`vitale_verify::replay::ReplayCache`] | PostgreSQL server (feature `postgres`) |
//! | [`PostgresInvoiceNumbers`] | [`vitale_fse::InvoiceNumbers`] | PostgreSQL server (feature `postgres`) |
//! | [`StoreLocation`] | — | `memory`, `sqlite:PATH` or `postgres:URL`, opened as either store |
//!
//! SQLite is compiled from source (rusqlite's `bundled`): it needs a C
//! compiler, no system library. The database runs in WAL mode with
//! `synchronous = FULL`, so a committed number or presentation survives a
//! crash of the process and of the machine, and several processes of one
//! workstation can share the file. The PostgreSQL client is pure Rust
//! (the synchronous `postgres` crate); every result is returned after its
//! commit, with `synchronous_commit = on`.
//!
//! A store that cannot be reached **fails closed**: the verifier refuses
//! the presentation (`replay_cache_unavailable`), no invoice number is
//! issued (`invoice_numbers_unavailable`). `docs/deployment.md` says which
//! backend suits a single workstation, a pharmacy or a hospital.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
mod location;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_file;
#[cfg(feature = "sqlite")]
mod sqlite_lots;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod stored;
#[cfg(test)]
#[cfg(feature = "sqlite")]
mod test_support;

pub use error::Error;
pub use location::StoreLocation;
#[cfg(feature = "postgres")]
pub use postgres::{
    PostgresInvoiceNumbers, PostgresOptions, PostgresReplayCache, PostgresUrl, PurgeReport,
};
#[cfg(feature = "sqlite")]
pub use sqlite::{SqliteInvoiceNumbers, SqliteReplayCache};
#[cfg(feature = "sqlite")]
pub use sqlite_lots::{LOT_STORE_APPLICATION_ID, SqliteLotNumbers};
