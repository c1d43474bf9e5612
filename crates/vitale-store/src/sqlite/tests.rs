use std::sync::Arc;

use super::*;
use crate::test_support::{TempDir, am, check_numbers_survive_reopening, issue_from_four_threads};

fn temp_dir(name: &str) -> TempDir {
    TempDir::new("store", name, "numbers.sqlite")
}

fn get(n: Result<InvoiceNumber, NumberingError>) -> u32 {
    n.unwrap().get()
}

#[test]
fn numbers_survive_reopening() {
    let dir = temp_dir("reopen");
    check_numbers_survive_reopening::<SqliteInvoiceNumbers>(&dir.file());
}

#[test]
fn exhausted_is_refused_and_stays_refused() {
    let dir = temp_dir("exhausted");
    let a = am("751234567");
    let store = SqliteInvoiceNumbers::open(dir.file()).unwrap();
    store.next(&a).unwrap();
    store
        .conn
        .lock()
        .unwrap()
        .execute("UPDATE invoice_numbers SET last = 999998", [])
        .unwrap();
    assert_eq!(get(store.next(&a)), 999_999);
    assert_eq!(store.next(&a), Err(NumberingError::Exhausted));
    assert_eq!(
        store.last(&a).unwrap().map(InvoiceNumber::get),
        Some(999_999)
    );
}

#[test]
fn a_schema_from_elsewhere_is_refused() {
    let dir = temp_dir("schema");
    drop(SqliteInvoiceNumbers::open(dir.file()).unwrap());
    let conn = Connection::open(dir.file()).unwrap();
    conn.execute_batch("PRAGMA user_version = 7;").unwrap();
    drop(conn);
    match SqliteInvoiceNumbers::open(dir.file()) {
        Err(
            e @ Error::Schema {
                found: 7,
                expected: 2,
            },
        ) => assert_eq!(e.kind(), "store_schema_unknown"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = temp_dir("garbage");
    std::fs::write(dir.file(), vec![0x5a; 8192]).unwrap();
    let e = SqliteInvoiceNumbers::open(dir.file()).unwrap_err();
    assert!(matches!(e, Error::Sqlite(_) | Error::Corrupt), "{e:?}");
}

#[test]
fn values_no_correct_store_writes_are_reported_as_corrupt() {
    let dir = temp_dir("corrupt");
    let a = am("751234567");
    let store = SqliteInvoiceNumbers::open(dir.file()).unwrap();
    store.next(&a).unwrap();
    // Bypass the CHECK constraint the way a foreign tool could.
    let conn = store.conn.lock().unwrap();
    conn.execute_batch(
        "PRAGMA ignore_check_constraints = ON; UPDATE invoice_numbers SET last = -5;",
    )
    .unwrap();
    drop(conn);
    assert_eq!(store.last(&a), Err(NumberingError::Corrupt));
    assert_eq!(store.next(&a), Err(NumberingError::Corrupt));
}

/// Two store values on one file (as two processes would hold) and four
/// threads each: every number once, none missing.
#[test]
fn concurrent_writers_share_the_sequence() {
    let dir = temp_dir("concurrent");
    let stores = [
        Arc::new(SqliteInvoiceNumbers::open(dir.file()).unwrap()),
        Arc::new(SqliteInvoiceNumbers::open(dir.file()).unwrap()),
    ];
    let mut all: Vec<u32> = Vec::new();
    for mine in issue_from_four_threads(&stores) {
        assert!(
            mine.windows(2).all(|w| w[0] < w[1]),
            "each writer sees increasing numbers"
        );
        all.extend(mine);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=200).collect::<Vec<_>>());
}
