use vitale_codec::model::{CredentialId, Nonce};

use super::*;
use crate::test_support::TempDir;

fn temp_dir(name: &str) -> TempDir {
    TempDir::new("replay", name, "state.sqlite")
}

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

fn id(n: u64) -> ReplayId {
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&n.to_be_bytes());
    ReplayId::new(
        &CredentialId::from_bytes([3; 16]),
        &Nonce::from_bytes(nonce),
    )
}

/// Inline purging keeps the table at the live rows plus a bounded backlog,
/// and never deletes a row within its grace.
#[test]
fn expired_rows_are_purged_as_presentations_arrive() {
    let dir = temp_dir("purge");
    let cache = SqliteReplayCache::open(dir.file()).unwrap();
    let grace = SqliteReplayCache::PURGE_GRACE_SECS;
    // One presentation every 10 s, each retained 480 s, for 2 hours.
    let t0 = 1_900_000_000;
    let mut most = 0;
    for n in 0..720 {
        let now = t0 + 10 * n;
        cache
            .check_and_remember(&id(n), ts(now + 480), ts(now))
            .unwrap();
        most = most.max(cache.rows().unwrap());
    }
    // Live (48) + within the grace (60) + at most one insertion's lag.
    let bound = (480 + grace) / 10 + 2;
    assert!(most <= bound, "{most} rows > {bound}");
    // Rows still within the grace are there: a presentation retained
    // until `now - 1` is gone from `now + grace` only.
    let last = t0 + 10 * 719;
    let conn = cache.conn.lock().unwrap();
    let oldest: i64 = conn
        .query_row("SELECT min(retain_until) FROM replay_cache", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(oldest as u64 > last - grace - 20, "{oldest}");
}

/// A file written by an SDK that had only the invoice numbers (schema 1)
/// is upgraded in place: numbers kept, replay cache added.
#[test]
fn a_version_1_file_is_upgraded() {
    let dir = temp_dir("upgrade");
    {
        let conn = Connection::open(dir.file()).unwrap();
        conn.execute_batch(
            "CREATE TABLE invoice_numbers (
                professional TEXT PRIMARY KEY NOT NULL CHECK (length(professional) = 9),
                last INTEGER NOT NULL CHECK (last BETWEEN 0 AND 999999)
            ) STRICT;
            INSERT INTO invoice_numbers VALUES ('751234567', 41);
            PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let cache = SqliteReplayCache::open(dir.file()).unwrap();
    cache
        .check_and_remember(&id(1), ts(2_000), ts(1_000))
        .unwrap();
    let numbers = crate::SqliteInvoiceNumbers::open(dir.file()).unwrap();
    let am = vitale_adri::BillingNumber::parse("751234567").unwrap();
    use vitale_fse::InvoiceNumbers as _;
    assert_eq!(numbers.next(&am).unwrap().get(), 42);
    let version: i64 = cache
        .conn
        .lock()
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
}

#[test]
fn debug_shows_no_path() {
    let dir = temp_dir("debug");
    let cache = SqliteReplayCache::open(dir.file()).unwrap();
    assert_eq!(format!("{cache:?}"), "SqliteReplayCache { .. }");
}

#[test]
fn a_directory_that_cannot_hold_the_file_is_unavailable() {
    let dir = temp_dir("missing");
    let e = SqliteReplayCache::open(dir.path().join("no/such/dir/state.sqlite")).unwrap_err();
    assert_eq!(e.kind(), "store_unavailable");
}
