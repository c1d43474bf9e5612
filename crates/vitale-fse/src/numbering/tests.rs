use std::sync::Arc;
use std::thread;

use super::*;

fn am(text: &str) -> BillingNumber {
    BillingNumber::parse(text).unwrap()
}

#[test]
fn numbers_are_six_digits_from_1_to_999999() {
    assert_eq!(InvoiceNumber::new(0), None);
    assert_eq!(InvoiceNumber::new(1_000_000), None);
    assert_eq!(InvoiceNumber::new(42).unwrap().to_string(), "000042");
    assert_eq!(InvoiceNumber::new(999_999).unwrap().to_string(), "999999");
}

#[test]
fn memory_store_numbers_each_professional_apart() {
    let store = MemoryInvoiceNumbers::new();
    let (a, b) = (am("751234567"), am("131234567"));
    assert_eq!(store.last(&a), Ok(None));
    assert_eq!(store.next(&a).map(InvoiceNumber::get), Ok(1));
    assert_eq!(store.next(&a).map(InvoiceNumber::get), Ok(2));
    assert_eq!(store.next(&b).map(InvoiceNumber::get), Ok(1));
    assert_eq!(
        store.last(&a).map(|n| n.map(InvoiceNumber::get)),
        Ok(Some(2))
    );
}

#[test]
fn memory_store_refuses_past_the_maximum() {
    let store = MemoryInvoiceNumbers::new();
    let a = am("751234567");
    store
        .last
        .lock()
        .unwrap()
        .insert(a.clone(), InvoiceNumber::MAX - 1);
    assert_eq!(
        store.next(&a).map(InvoiceNumber::get),
        Ok(InvoiceNumber::MAX)
    );
    assert_eq!(store.next(&a), Err(NumberingError::Exhausted));
    assert_eq!(store.next(&a), Err(NumberingError::Exhausted));
}

#[test]
fn memory_store_never_gives_a_number_twice_across_threads() {
    let store = Arc::new(MemoryInvoiceNumbers::new());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let store = Arc::clone(&store);
            thread::spawn(move || {
                (0..250)
                    .map(|_| store.next(&am("751234567")).unwrap().get())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<u32> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=1000).collect::<Vec<_>>());
}
