//! The PostgreSQL stores beyond the conformance suite: an unreachable
//! server fails closed and is reconnected to, purging never blocks a
//! verification, the attempt token makes the statement safe to retry,
//! schema versions, invoice numbers from several connections.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use vitale_adri::BillingNumber;
use vitale_codec::model::{CredentialId, Nonce, Timestamp};
use vitale_fse::numbering::{InvoiceNumbers, NumberingError};
use vitale_store::{
    Error, PostgresInvoiceNumbers, PostgresOptions, PostgresReplayCache, PostgresUrl, StoreLocation,
};
use vitale_test_support::PostgresServer;
use vitale_test_support::postgres::{self as harness, skip};
use vitale_verify::replay::{ReplayCache, ReplayError, ReplayId};

const T0: u64 = 1_900_000_000;

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

fn id(n: u64) -> ReplayId {
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&n.to_be_bytes());
    ReplayId::new(
        &CredentialId::from_bytes([7; 16]),
        &Nonce::from_bytes(nonce),
    )
}

fn no_purge() -> PostgresOptions {
    let mut options = PostgresOptions::default();
    options.purge_interval = None;
    options
}

/// Runs `f` on a thread and waits at most 60 s for it (a bound against
/// hangs, not a timing assertion).
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("{what} did not finish: blocked"))
}

#[test]
fn an_unreachable_server_fails_closed_and_is_reconnected_to() {
    let mut server = match PostgresServer::start() {
        Ok(s) => s,
        Err(reason) => return skip("unreachable", &reason).unwrap_or(()),
    };
    let url = PostgresUrl::parse(&server.database("down")).unwrap();
    let cache = PostgresReplayCache::connect_with(&url, no_purge()).unwrap();
    let numbers = PostgresInvoiceNumbers::connect(&url).unwrap();
    let am = BillingNumber::parse("751234567").unwrap();
    cache
        .check_and_remember(&id(1), ts(T0 + 480), ts(T0))
        .unwrap();
    assert_eq!(numbers.next(&am).unwrap().get(), 1);

    server.stop();
    let e = cache
        .check_and_remember(&id(2), ts(T0 + 480), ts(T0))
        .unwrap_err();
    assert!(matches!(e, ReplayError::Unavailable(_)), "{e:?}");
    assert_eq!(
        vitale_verify::Error::from(e).kind(),
        "replay_cache_unavailable"
    );
    let e = numbers.next(&am).unwrap_err();
    assert_eq!(e.kind(), "invoice_numbers_unavailable");
    // A new store cannot even be opened.
    let e = PostgresReplayCache::connect_with(&url, no_purge()).unwrap_err();
    assert_eq!(e.kind(), "store_unavailable");

    server.restart().unwrap();
    // The same values reconnect: nothing was forgotten, nothing refused.
    assert_eq!(
        cache.check_and_remember(&id(1), ts(T0 + 480), ts(T0 + 1)),
        Err(ReplayError::Replay)
    );
    cache
        .check_and_remember(&id(2), ts(T0 + 480), ts(T0 + 1))
        .unwrap();
    assert_eq!(numbers.next(&am).unwrap().get(), 2);
}

#[test]
fn a_lost_connection_is_replaced_within_the_call() {
    let Some(server) = harness::shared("lost_connection") else {
        return;
    };
    let text = server.database("lost");
    let url = PostgresUrl::parse(&text).unwrap();
    let cache = PostgresReplayCache::connect_with(&url, no_purge()).unwrap();
    cache
        .check_and_remember(&id(1), ts(T0 + 480), ts(T0))
        .unwrap();
    // The administrator ends every session of the SDK on that database.
    let db = text.rsplit("dbname=").next().unwrap();
    server.psql(
        "postgres",
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{db}' AND application_name = 'vitale-sdk'"
        ),
    );
    // The call finds its connection gone, runs again on a new one.
    cache
        .check_and_remember(&id(2), ts(T0 + 480), ts(T0))
        .unwrap();
    assert_eq!(
        cache.check_and_remember(&id(2), ts(T0 + 480), ts(T0)),
        Err(ReplayError::Replay)
    );
}

/// The statement the cache runs, twice with the same attempt token (a
/// retry after a commit whose answer was lost): accepted; with another
/// token: a replay.
#[test]
fn the_attempt_token_makes_the_statement_safe_to_retry() {
    let Some(server) = harness::shared("attempt_token") else {
        return;
    };
    let text = server.database("token");
    // Creates the schema.
    drop(
        PostgresReplayCache::connect_with(&PostgresUrl::parse(&text).unwrap(), no_purge()).unwrap(),
    );
    let mut client = postgres::Client::connect(&text, postgres::NoTls).unwrap();
    let sql = "INSERT INTO vitale_replay_cache AS c (id, retain_until, attempt) VALUES ($1, $2, $3) \
        ON CONFLICT (id) DO UPDATE SET retain_until = EXCLUDED.retain_until, attempt = EXCLUDED.attempt \
        WHERE c.retain_until <= $4 OR c.attempt = EXCLUDED.attempt";
    let nine = id(9);
    let (x, until, now) = (&nine.as_bytes()[..], 1_900_000_480i64, 1_900_000_000i64);
    let (mine, other) = (&[1u8; 16][..], &[2u8; 16][..]);
    assert_eq!(client.execute(sql, &[&x, &until, &mine, &now]).unwrap(), 1);
    assert_eq!(
        client.execute(sql, &[&x, &until, &mine, &now]).unwrap(),
        1,
        "own retry"
    );
    assert_eq!(
        client.execute(sql, &[&x, &until, &other, &now]).unwrap(),
        0,
        "replay"
    );
    // And the cache agrees with it.
    let cache =
        PostgresReplayCache::connect_with(&PostgresUrl::parse(&text).unwrap(), no_purge()).unwrap();
    assert_eq!(
        cache.check_and_remember(&id(9), ts(1_900_000_480), ts(1_900_000_000)),
        Err(ReplayError::Replay)
    );
}

#[test]
fn purging_deletes_expired_rows_only_and_never_blocks_a_verification() {
    let Some(server) = harness::shared("purge") else {
        return;
    };
    let text = server.database("purge");
    let url = PostgresUrl::parse(&text).unwrap();
    let mut options = no_purge();
    options.purge_batch = 700;
    let cache = Arc::new(PostgresReplayCache::connect_with(&url, options).unwrap());
    // 2 000 rows whose retention ended in 2001 (long before the server's
    // clock and its grace), 10 live ones.
    let count = |sql: &str| server.psql(text.rsplit("dbname=").next().unwrap(), sql);
    // Written in one statement (2 000 verifications would be 2 000
    // commits); the cache itself writes the live ones.
    count(
        "INSERT INTO vitale_replay_cache (id, retain_until, attempt) \
         SELECT sha256(int4send(n)), 1000000480, '\\x00000000000000000000000000000000' \
         FROM generate_series(1, 2000) AS n",
    );
    for n in 10_000..10_010 {
        cache
            .check_and_remember(&id(n), ts(T0 + 480), ts(T0))
            .unwrap();
    }
    assert_eq!(count("SELECT count(*) FROM vitale_replay_cache"), "2010");

    // Another session holds 300 expired rows locked (a purge in progress
    // elsewhere) while this workstation verifies and purges.
    let mut holder = postgres::Client::connect(&text, postgres::NoTls).unwrap();
    let mut tx = holder.transaction().unwrap();
    let locked = tx
        .query(
            "SELECT id FROM vitale_replay_cache WHERE retain_until < 1100000000 \
             ORDER BY retain_until LIMIT 300 FOR UPDATE",
            &[],
        )
        .unwrap()
        .len();
    assert_eq!(locked, 300);
    let verifying = Arc::clone(&cache);
    bounded("a verification during a purge", move || {
        verifying
            .check_and_remember(&id(20_000), ts(T0 + 480), ts(T0))
            .unwrap();
    });
    let purging = Arc::clone(&cache);
    let deleted = bounded("a purge beside another", move || {
        purging.purge_expired().unwrap()
    });
    assert_eq!(deleted, 1_700, "every expired row but the locked ones");
    tx.rollback().unwrap();
    assert_eq!(cache.purge_expired().unwrap(), 300);
    assert_eq!(count("SELECT count(*) FROM vitale_replay_cache"), "11");
    let report = cache.purge_report();
    assert_eq!(
        (report.purges, report.deleted, report.failures),
        (2, 2_000, 0)
    );
    // The live rows are still replays.
    for n in 10_000..10_010 {
        assert_eq!(
            cache.check_and_remember(&id(n), ts(T0 + 480), ts(T0 + 5)),
            Err(ReplayError::Replay)
        );
    }
}

#[test]
fn the_purging_thread_runs_on_its_own() {
    let Some(server) = harness::shared("purging_thread") else {
        return;
    };
    let url = PostgresUrl::parse(&server.database("thread")).unwrap();
    let mut options = PostgresOptions::default();
    options.purge_interval = Some(Duration::from_millis(100));
    let cache = PostgresReplayCache::connect_with(&url, options).unwrap();
    for n in 0..50 {
        cache
            .check_and_remember(&id(n), ts(1_000_000_480), ts(1_000_000_000))
            .unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while cache.purge_report().deleted < 50 {
        assert!(
            Instant::now() < deadline,
            "no purge: {:?}",
            cache.purge_report()
        );
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(cache.purge_report().failures, 0);
    // Dropping the cache stops the thread (bounded).
    bounded("dropping the cache", move || drop(cache));
}

#[test]
fn a_schema_from_a_newer_sdk_is_refused() {
    let Some(server) = harness::shared("schema") else {
        return;
    };
    let text = server.database("schema");
    let url = PostgresUrl::parse(&text).unwrap();
    drop(PostgresInvoiceNumbers::connect(&url).unwrap());
    server.psql(
        text.rsplit("dbname=").next().unwrap(),
        "UPDATE vitale_schema SET version = 99",
    );
    match PostgresReplayCache::connect_with(&url, no_purge()) {
        Err(
            e @ Error::Schema {
                found: 99,
                expected: 1,
            },
        ) => {
            assert_eq!(e.kind(), "store_schema_unknown");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn invoice_numbers_from_several_connections() {
    let Some(server) = harness::shared("numbers") else {
        return;
    };
    let text = server.database("numbers");
    let url = PostgresUrl::parse(&text).unwrap();
    let (a, b) = (
        BillingNumber::parse("751234567").unwrap(),
        BillingNumber::parse("131234567").unwrap(),
    );
    let stores: Vec<_> = (0..3)
        .map(|_| Arc::new(PostgresInvoiceNumbers::connect(&url).unwrap()))
        .collect();
    assert_eq!(stores[0].last(&a), Ok(None));
    let threads: Vec<_> = (0..6)
        .map(|i| {
            let store = Arc::clone(&stores[i % 3]);
            let a = a.clone();
            thread::spawn(move || {
                (0..40)
                    .map(|_| store.next(&a).unwrap().get())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in threads {
        let mine = t.join().unwrap();
        assert!(mine.windows(2).all(|w| w[0] < w[1]));
        all.extend(mine);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=240).collect::<Vec<_>>());
    assert_eq!(stores[1].last(&a).unwrap().map(|n| n.get()), Some(240));
    assert_eq!(stores[2].next(&b).unwrap().get(), 1);
    // Exhaustion: refused, and stays refused.
    server.psql(
        text.rsplit("dbname=").next().unwrap(),
        "UPDATE vitale_invoice_numbers SET last = 999998 WHERE professional = '751234567'",
    );
    assert_eq!(stores[0].next(&a).unwrap().get(), 999_999);
    assert_eq!(stores[1].next(&a), Err(NumberingError::Exhausted));
    assert_eq!(stores[2].last(&a).unwrap().map(|n| n.get()), Some(999_999));
}

#[test]
fn the_location_opens_both_stores_and_hides_the_password() {
    let Some(server) = harness::shared("location") else {
        return;
    };
    let text = format!("{} password=hunter2", server.database("location"));
    let at: StoreLocation = format!("postgres:{text}").parse().unwrap();
    let shown = format!("{at} {at:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("postgres:postgresql://vitale@"), "{shown}");
    let cache = at.open_replay_cache().unwrap();
    cache
        .check_and_remember(&id(1), ts(T0 + 480), ts(T0))
        .unwrap();
    let numbers = at.open_invoice_numbers().unwrap();
    assert_eq!(
        numbers
            .next(&BillingNumber::parse("751234567").unwrap())
            .unwrap()
            .get(),
        1
    );
}

#[test]
fn nobody_listening_is_store_unavailable() {
    let dir = std::env::temp_dir().join(format!("vitale-no-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = PostgresUrl::parse(&format!(
        "host={} user=vitale dbname=x connect_timeout=2",
        dir.display()
    ))
    .unwrap();
    let e = PostgresReplayCache::connect(&url).unwrap_err();
    assert!(matches!(e, Error::Postgres(_)), "{e:?}");
    assert_eq!(e.kind(), "store_unavailable");
    let _ = std::fs::remove_dir(&dir);
}

/// The client has no TLS: a URL that requires it is refused, never sent
/// in clear.
#[test]
fn a_url_requiring_tls_is_refused() {
    let Some(server) = harness::shared("tls_required") else {
        return;
    };
    let text = format!("{} sslmode=require", server.database("tls"));
    let e = PostgresReplayCache::connect_with(&PostgresUrl::parse(&text).unwrap(), no_purge())
        .unwrap_err();
    assert_eq!(e.kind(), "store_unavailable", "{e}");
}
