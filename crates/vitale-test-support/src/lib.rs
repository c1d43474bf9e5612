//! Test support for the vitale-sdk's own test suites (a dev-dependency of
//! the workspace's crates, never published, not for vendors).
//!
//! | module | what it holds |
//! |---|---|
//! | [`chromium`] | [`Browser`]: headless Chromium driven over the DevTools protocol (navigate, evaluate, wait for state, keyboard, screenshots, fake camera), stopped on drop |
//! | [`pcscd`] | [`on_real_stack`]: a test body run against a private `pcscd` with the vsmartcard vpcd virtual reader |
//! | [`postgres`] | [`PostgresServer`]: a private PostgreSQL server (initdb in a temp dir, Unix socket only), stopped by its PID; [`postgres::shared`] between concurrent tests |
//! | [`process`] | [`ChildGuard`]: a child process with bounded waits, stopped by its PID on drop |
//! | [`net`] | [`RefusedPort`]: a loopback address where connections are refused, reserved while it lives |
//! | [`vectors`] | [`check_json_vectors`], [`check_markdown_vectors`]: generated test vectors against checked-in files, re-blessed with `VITALE_BLESS=1` |
//!
//! It depends on no crate of the workspace, so that any of them (the codec
//! at the bottom included) can use it without a cycle.
//!
//! Its functions fail the calling test the way `assert!` does: they panic
//! with a message that says what went wrong. Waits have upper bounds
//! against hangs; none of them is a timing assertion.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Failing the calling test is this crate's job: by a panic with a message
// (as `assert!` does), and with diagnostics on stderr (as tests do).
#![allow(clippy::panic, clippy::expect_used, clippy::print_stderr)]

pub mod chromium;
pub mod net;
pub mod pcscd;
pub mod postgres;
pub mod process;
pub mod vectors;

pub use chromium::{Browser, BrowserOptions};
pub use net::RefusedPort;
pub use pcscd::{Daemon, Stack, on_real_stack};
pub use postgres::PostgresServer;
pub use process::{ChildGuard, Finished};
pub use vectors::{blessing, check_json_vectors, check_markdown_vectors};
