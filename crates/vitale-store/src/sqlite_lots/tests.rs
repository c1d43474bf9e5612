use std::sync::Arc;
use std::thread;

use super::*;
use crate::test_support::{TempDir, am, check_numbers_survive_reopening, issue_from_four_threads};

fn temp_dir(name: &str) -> TempDir {
    TempDir::new("store-lots", name, "lots.sqlite")
}

fn get(n: Result<LotNumber, LotNumberingError>) -> u16 {
    n.unwrap().get()
}

#[test]
fn numbers_follow_the_cycle_per_professional_and_survive_reopening() {
    let dir = temp_dir("reopen");
    check_numbers_survive_reopening::<SqliteLotNumbers>(&dir.file());
}

#[test]
fn after_999_comes_1() {
    let dir = temp_dir("wrap");
    let a = am("751234567");
    let store = SqliteLotNumbers::open(dir.file()).unwrap();
    store.next(&a).unwrap();
    store
        .conn
        .lock()
        .unwrap()
        .execute("UPDATE lot_numbers SET last = 998", [])
        .unwrap();
    assert_eq!(get(store.next(&a)), 999);
    assert_eq!(get(store.next(&a)), 1);
    assert_eq!(get(store.next(&a)), 2);
    // The same as the in-memory store's cycle.
    let memory =
        vitale_fse::lot::MemoryLotNumbers::starting_after(a.clone(), LotNumber::new(998).unwrap());
    assert_eq!(get(memory.next(&a)), 999);
    assert_eq!(get(memory.next(&a)), 1);
}

#[test]
fn values_no_correct_store_writes_are_reported_as_corrupt() {
    for bad in [0, 1000, -5] {
        let dir = temp_dir(&format!("corrupt{bad}"));
        let a = am("751234567");
        let store = SqliteLotNumbers::open(dir.file()).unwrap();
        store.next(&a).unwrap();
        // Bypass the CHECK constraint the way a foreign tool could.
        let conn = store.conn.lock().unwrap();
        conn.execute_batch(&format!(
            "PRAGMA ignore_check_constraints = ON; UPDATE lot_numbers SET last = {bad};"
        ))
        .unwrap();
        drop(conn);
        assert_eq!(store.last(&a), Err(LotNumberingError::Corrupt), "{bad}");
        assert_eq!(store.next(&a), Err(LotNumberingError::Corrupt), "{bad}");
        assert_eq!(
            store.next(&a).unwrap_err().kind(),
            "lot_numbers_corrupt",
            "{bad}"
        );
    }
}

#[test]
fn the_invoice_number_file_is_not_a_lot_store() {
    let dir = temp_dir("invoices");
    let invoices = crate::SqliteInvoiceNumbers::open(dir.file()).unwrap();
    vitale_fse::InvoiceNumbers::next(&invoices, &am("751234567")).unwrap();
    drop(invoices);
    let e = SqliteLotNumbers::open(dir.file()).unwrap_err();
    assert_eq!(e.kind(), "store_unavailable", "{e:?}");
    assert!(e.to_string().contains("not a lot-number store"), "{e}");
    // And nothing was written to it: it is still a good invoice store.
    let invoices = crate::SqliteInvoiceNumbers::open(dir.file()).unwrap();
    assert_eq!(
        vitale_fse::InvoiceNumbers::next(&invoices, &am("751234567"))
            .unwrap()
            .get(),
        2
    );
}

#[test]
fn another_database_and_garbage_are_refused() {
    let dir = temp_dir("foreign");
    let conn = Connection::open(dir.file()).unwrap();
    conn.execute_batch("CREATE TABLE notes (text TEXT);")
        .unwrap();
    drop(conn);
    let e = SqliteLotNumbers::open(dir.file()).unwrap_err();
    assert!(e.to_string().contains("not a lot-number store"), "{e}");

    let dir = temp_dir("garbage");
    std::fs::write(dir.file(), vec![0x5a; 8192]).unwrap();
    let e = SqliteLotNumbers::open(dir.file()).unwrap_err();
    assert!(matches!(e, Error::Sqlite(_) | Error::Corrupt), "{e:?}");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = temp_dir("schema");
    drop(SqliteLotNumbers::open(dir.file()).unwrap());
    let conn = Connection::open(dir.file()).unwrap();
    conn.execute_batch("PRAGMA user_version = 7;").unwrap();
    drop(conn);
    match SqliteLotNumbers::open(dir.file()) {
        Err(
            e @ Error::Schema {
                found: 7,
                expected: 1,
            },
        ) => assert_eq!(e.kind(), "store_schema_unknown"),
        other => panic!("{other:?}"),
    }
}

/// Two store values on one file (as two processes would hold) and four
/// threads each: every number of the cycle once, none missing, and the
/// cycle wraps under contention.
#[test]
fn concurrent_writers_share_the_cycle() {
    let dir = temp_dir("concurrent");
    let stores = [
        Arc::new(SqliteLotNumbers::open(dir.file()).unwrap()),
        Arc::new(SqliteLotNumbers::open(dir.file()).unwrap()),
    ];
    // Start 100 before the end of the cycle: 200 numbers run 900..=999
    // then 1..=100.
    stores[0].next(&am("751234567")).unwrap();
    stores[0]
        .conn
        .lock()
        .unwrap()
        .execute("UPDATE lot_numbers SET last = 899", [])
        .unwrap();
    let mut all: Vec<u32> = issue_from_four_threads(&stores).concat();
    all.sort_unstable();
    let expected: Vec<u32> = (1..=100).chain(900..=999).collect();
    assert_eq!(all, expected);
    assert_eq!(
        stores[1]
            .last(&am("751234567"))
            .unwrap()
            .map(LotNumber::get),
        Some(100)
    );
}

#[test]
fn two_stores_created_at_once_agree() {
    let dir = temp_dir("create");
    let file = dir.file();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let file = file.clone();
            thread::spawn(move || SqliteLotNumbers::open(file).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    let store = SqliteLotNumbers::open(&file).unwrap();
    assert_eq!(get(store.next(&am("751234567"))), 1);
}
