//! The cost of a durable invoice number, as a ratio to the least a durable
//! counter can cost on the same disk in the same run: one `write` of a
//! record to an append-only file followed by `fdatasync`.
//!
//! `cargo bench -p vitale-store --bench numbering`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    missing_docs
)]

use std::fs::OpenOptions;
use std::io::Write;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use vitale_adri::BillingNumber;
use vitale_fse::InvoiceNumbers;
use vitale_store::SqliteInvoiceNumbers;

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("vitale-bench-numbering-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = SqliteInvoiceNumbers::open(dir.join("numbers.sqlite")).unwrap();
    let am = BillingNumber::parse("751234567").unwrap();
    let mut journal = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("journal"))
        .unwrap();
    let mut counter = 0u32;
    let mut append = || {
        counter += 1;
        journal
            .write_all(format!("751234567 {counter:06}\n").as_bytes())
            .unwrap();
        journal.sync_data().unwrap();
    };

    let mut group = c.benchmark_group("numbering");
    group.bench_function("sqlite_wal_full_next", |b| {
        b.iter(|| store.next(&am).unwrap())
    });
    group.bench_function("fsync_append_baseline", |b| b.iter(&mut append));
    group.finish();

    // Interleaved rounds, fastest of each: the ratio of what the disk allows.
    let (mut best_sqlite, mut best_append) = (Duration::MAX, Duration::MAX);
    for _ in 0..30 {
        let t = Instant::now();
        for _ in 0..4 {
            store.next(&am).unwrap();
        }
        best_sqlite = best_sqlite.min(t.elapsed());
        let t = Instant::now();
        for _ in 0..4 {
            append();
        }
        best_append = best_append.min(t.elapsed());
    }
    let ratio = best_sqlite.as_secs_f64() / best_append.as_secs_f64();
    println!(
        "ratio | numbering | SQLite WAL FULL next / fsync'd append | {ratio:.2} | none | {:?} / {:?} per number",
        best_sqlite / 4,
        best_append / 4
    );
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
