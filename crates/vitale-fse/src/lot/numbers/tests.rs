use std::sync::Arc;
use std::thread;

use super::*;

fn am(text: &str) -> BillingNumber {
    BillingNumber::parse(text).unwrap()
}

#[test]
fn numbers_are_three_digits_from_1_to_999() {
    assert_eq!(LotNumber::new(0), None);
    assert_eq!(LotNumber::new(1000), None);
    assert_eq!(LotNumber::new(7).unwrap().to_string(), "007");
    assert_eq!(LotNumber::new(999).unwrap().to_string(), "999");
    assert_eq!(LotNumber::FIRST.get(), 1);
}

#[test]
fn the_cycle_follows_999_with_1() {
    assert_eq!(LotNumber::new(998).unwrap().following().get(), 999);
    assert_eq!(LotNumber::new(999).unwrap().following(), LotNumber::FIRST);
    // A whole cycle visits every number once and comes back.
    let mut n = LotNumber::FIRST;
    let mut seen = vec![false; 1000];
    for _ in 0..999 {
        assert!(!seen[usize::from(n.get())], "{n}");
        seen[usize::from(n.get())] = true;
        n = n.following();
    }
    assert_eq!(n, LotNumber::FIRST);
    assert_eq!(seen.iter().filter(|s| **s).count(), 999);
}

#[test]
fn memory_store_numbers_each_professional_apart() {
    let store = MemoryLotNumbers::new();
    let (a, b) = (am("751234567"), am("131234567"));
    assert_eq!(store.last(&a), Ok(None));
    assert_eq!(store.next(&a).map(LotNumber::get), Ok(1));
    assert_eq!(store.next(&a).map(LotNumber::get), Ok(2));
    assert_eq!(store.next(&b).map(LotNumber::get), Ok(1));
    assert_eq!(store.last(&a).map(|n| n.map(LotNumber::get)), Ok(Some(2)));
    assert_eq!(store.last(&b).map(|n| n.map(LotNumber::get)), Ok(Some(1)));
}

#[test]
fn memory_store_wraps_after_999() {
    let a = am("751234567");
    let store = MemoryLotNumbers::starting_after(a.clone(), LotNumber::new(998).unwrap());
    assert_eq!(store.next(&a).map(LotNumber::get), Ok(999));
    assert_eq!(store.next(&a).map(LotNumber::get), Ok(1));
    assert_eq!(store.next(&a).map(LotNumber::get), Ok(2));
}

#[test]
fn memory_store_gives_consecutive_numbers_across_threads() {
    let store = Arc::new(MemoryLotNumbers::new());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let store = Arc::clone(&store);
            thread::spawn(move || {
                (0..200)
                    .map(|_| store.next(&am("751234567")).unwrap().get())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<u16> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=800).collect::<Vec<_>>());
}

#[test]
fn errors_have_stable_kinds_and_compare_by_variant() {
    assert_eq!(LotNumberingError::Corrupt.kind(), "lot_numbers_corrupt");
    let a = LotNumberingError::unavailable(std::io::Error::other("disk"));
    let b = LotNumberingError::unavailable(std::io::Error::other("network"));
    assert_eq!(a.kind(), "lot_numbers_unavailable");
    assert_eq!(a, b);
    assert_ne!(a, LotNumberingError::Corrupt);
    assert!(std::error::Error::source(&a).is_some());
}
