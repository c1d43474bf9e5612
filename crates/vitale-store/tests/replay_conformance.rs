//! The replay-cache conformance suite (`conformance/mod.rs`) against the
//! in-memory cache, SQLite and PostgreSQL.
//!
//! PostgreSQL runs on a private server the tests start themselves
//! (`vitale_test_support::postgres`); where none can be started at all the
//! PostgreSQL tests say so loudly and pass, except under `CI` or
//! `VITALE_REQUIRE_POSTGRES`, where they fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    missing_docs
)]

mod conformance;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use conformance::Backend;
use proptest::prelude::ProptestConfig;
use proptest::test_runner::TestRunner;
use vitale_verify::replay::{MemoryReplayCache, ReplayCache};

/// Keeps the cases of one store apart (and the runs of one process).
fn space() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    u64::from(std::process::id()) << 20 | NEXT.fetch_add(1, Ordering::SeqCst)
}

/// The child process of the `concurrent_processes` cases.
#[test]
#[ignore = "a child process of the concurrent_processes cases, started by them"]
fn conformance_child() {
    conformance::child();
}

struct Memory(Arc<MemoryReplayCache>);

impl Backend for Memory {
    fn handle(&self) -> Arc<dyn ReplayCache> {
        self.0.clone()
    }
    fn reopen(&self) -> Arc<dyn ReplayCache> {
        Arc::new(MemoryReplayCache::default())
    }
    fn durable(&self) -> bool {
        false
    }
    fn location(&self) -> Option<String> {
        None
    }
}

fn memory() -> Option<Memory> {
    Some(Memory(Arc::new(MemoryReplayCache::default())))
}

struct Sqlite {
    dir: PathBuf,
}

impl Sqlite {
    fn file(&self) -> PathBuf {
        self.dir.join("state.sqlite")
    }
}

impl Backend for Sqlite {
    fn handle(&self) -> Arc<dyn ReplayCache> {
        Arc::new(vitale_store::SqliteReplayCache::open(self.file()).expect("opens"))
    }
    fn reopen(&self) -> Arc<dyn ReplayCache> {
        self.handle()
    }
    fn durable(&self) -> bool {
        true
    }
    fn location(&self) -> Option<String> {
        Some(format!("sqlite:{}", self.file().display()))
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn sqlite() -> Option<Sqlite> {
    let dir = std::env::temp_dir().join(format!("vitale-conformance-{}", space()));
    std::fs::create_dir_all(&dir).unwrap();
    Some(Sqlite { dir })
}

struct Postgres {
    url: vitale_store::PostgresUrl,
    text: String,
    // Keeps the shared server running while the test lasts.
    _server: Arc<vitale_test_support::PostgresServer>,
}

impl Backend for Postgres {
    fn handle(&self) -> Arc<dyn ReplayCache> {
        Arc::new(vitale_store::PostgresReplayCache::connect(&self.url).expect("connects"))
    }
    fn reopen(&self) -> Arc<dyn ReplayCache> {
        self.handle()
    }
    fn durable(&self) -> bool {
        true
    }
    fn location(&self) -> Option<String> {
        Some(format!("postgres:{}", self.text))
    }
}

fn postgres() -> Option<Postgres> {
    let server = vitale_test_support::postgres::shared("replay_conformance")?;
    let text = server.database("conformance");
    Some(Postgres {
        url: vitale_store::PostgresUrl::parse(&text).unwrap(),
        text,
        _server: server,
    })
}

/// One test per case and backend.
macro_rules! suite {
    ($backend:ident) => {
        mod $backend {
            use super::*;

            #[test]
            fn fresh_then_replay() {
                let Some(b) = super::$backend() else { return };
                conformance::fresh_then_replay(&b, space());
            }

            #[test]
            fn ids_are_credential_and_nonce() {
                let Some(b) = super::$backend() else { return };
                conformance::ids_are_credential_and_nonce(&b, space());
            }

            #[test]
            fn expiry_is_exclusive() {
                let Some(b) = super::$backend() else { return };
                conformance::expiry_is_exclusive(&b, space());
            }

            #[test]
            fn already_expired_is_not_remembered() {
                let Some(b) = super::$backend() else { return };
                conformance::already_expired_is_not_remembered(&b, space());
            }

            #[test]
            fn concurrent_threads() {
                let Some(b) = super::$backend() else { return };
                conformance::concurrent_threads(&b, space());
            }

            #[test]
            fn concurrent_processes_then_restart() {
                let Some(b) = super::$backend() else { return };
                conformance::concurrent_processes(&b, space(), "conformance_child");
            }

            #[test]
            fn restart_inside_the_window() {
                let Some(b) = super::$backend() else { return };
                conformance::restart_inside_the_window(&b, space());
            }

            /// Random sequences compared with the model, all on one
            /// store (each in its own id space).
            #[test]
            fn behaves_like_the_model() {
                let Some(b) = super::$backend() else { return };
                let steps = proptest::collection::vec((0u8..6, 0u16..200, -30i16..700), 1..40);
                let mut runner = TestRunner::new(ProptestConfig::with_cases(32));
                runner
                    .run(&steps, |steps| {
                        conformance::behaves_like_the_model(&b, space(), &steps);
                        Ok(())
                    })
                    .unwrap();
            }
        }
    };
}

suite!(memory);
suite!(sqlite);
suite!(postgres);
