//! Unit tests of [`MemoryReplayCache`]: the internal invariants after every
//! operation, a model-based property test against a naive cache, and the
//! proof that no structure ever reallocates.

use proptest::prelude::*;

use super::*;
use crate::replay::ReplayError;

fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).unwrap()
}

fn id(n: u64) -> ReplayId {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    bytes[24..].copy_from_slice(&n.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    ReplayId(bytes)
}

/// Checks every invariant of the state behind the lock.
fn check_invariants(cache: &MemoryReplayCache) {
    let inner = cache.inner.lock().unwrap();
    assert!(inner.live.len() <= inner.capacity);
    assert!(inner.nodes.len() <= inner.capacity);
    assert_eq!(inner.wheel.len(), WHEEL_LEN);
    // Every node is either in exactly one bucket (its own) or free.
    let mut seen = vec![false; inner.nodes.len()];
    let mut in_wheel = 0;
    for (bucket, &head) in inner.wheel.iter().enumerate() {
        let mut cursor = head;
        while cursor != NIL {
            let node = &inner.nodes[cursor as usize];
            assert!(!seen[cursor as usize], "node in two lists");
            seen[cursor as usize] = true;
            assert_eq!(
                (node.retain_until % MemoryReplayCache::WHEEL_SECS) as usize,
                bucket
            );
            assert!(node.retain_until > inner.clock, "expired entry kept");
            assert!(inner.live.contains(&node.id), "wheel entry not in the set");
            in_wheel += 1;
            cursor = node.next;
        }
    }
    assert_eq!(in_wheel, inner.live.len());
    let mut cursor = inner.free;
    let mut free = 0;
    while cursor != NIL {
        assert!(!seen[cursor as usize], "free node also in use");
        seen[cursor as usize] = true;
        free += 1;
        cursor = inner.nodes[cursor as usize].next;
    }
    assert_eq!(in_wheel + free, inner.nodes.len());
}

/// The allocated sizes: the set's capacity (which only drops, with
/// tombstones, unless the table is reallocated) and the slab's.
fn allocated(cache: &MemoryReplayCache) -> (usize, usize, usize) {
    let inner = cache.inner.lock().unwrap();
    (
        inner.live.capacity(),
        inner.nodes.capacity(),
        inner.wheel.capacity(),
    )
}

#[test]
fn nothing_reallocates_under_churn_at_full_load() {
    for capacity in [1, 2, 3, 7, 12, 100, 1000, 4096] {
        let cache = MemoryReplayCache::new(capacity);
        let (set0, slab0, wheel0) = allocated(&cache);
        assert_eq!(slab0, capacity);
        // Keep the cache full: `capacity` insertions per second, each
        // retained 2 s, for long enough to fill the table with tombstones.
        let mut next = 0u64;
        for second in 1_000..1_000 + 200 {
            for _ in 0..capacity {
                next += 1;
                let result = cache.check_and_remember(&id(next), ts(second + 2), ts(second));
                assert!(matches!(result, Ok(()) | Err(ReplayError::Full)));
            }
            let (set, slab, wheel) = allocated(&cache);
            assert!(set <= set0, "capacity {capacity}: set grew {set0} -> {set}");
            assert_eq!((slab, wheel), (slab0, wheel0));
        }
        check_invariants(&cache);
    }
}

#[test]
fn huge_capacities_are_lowered() {
    let cache = MemoryReplayCache::new(usize::MAX);
    assert_eq!(cache.capacity(), MemoryReplayCache::MAX_CAPACITY);
    assert!(MemoryReplayCache::MAX_CAPACITY < NIL as usize);
}

#[test]
fn a_poisoned_lock_is_unavailable_not_a_panic() {
    let cache = std::sync::Arc::new(MemoryReplayCache::new(4));
    cache.check_and_remember(&id(1), ts(200), ts(100)).unwrap();
    let poisoner = std::sync::Arc::clone(&cache);
    let joined = std::thread::spawn(move || {
        let _guard = poisoner.inner.lock().unwrap();
        panic!("poison the lock");
    })
    .join();
    assert!(joined.is_err());
    let err = cache
        .check_and_remember(&id(2), ts(200), ts(100))
        .unwrap_err();
    assert!(matches!(err, ReplayError::Unavailable(_)), "{err:?}");
    // The verifier reports it as its own kind.
    assert_eq!(crate::Error::from(err).kind(), "replay_cache_unavailable");
    // Reading the size still works.
    assert_eq!(cache.len(), 1);
}

#[test]
fn long_retentions_survive_turns_of_the_wheel() {
    let cache = MemoryReplayCache::new(8);
    let wheel = MemoryReplayCache::WHEEL_SECS;
    // Same bucket, three different turns.
    cache
        .check_and_remember(&id(1), ts(10 + 3 * wheel), ts(1))
        .unwrap();
    cache
        .check_and_remember(&id(2), ts(10 + wheel), ts(1))
        .unwrap();
    for now in (2..10 + 3 * wheel).step_by(97) {
        check_invariants(&cache);
        let expected = if now < 10 + wheel {
            Err(ReplayError::Replay)
        } else {
            Ok(())
        };
        if now < 10 + wheel {
            assert_eq!(
                cache.check_and_remember(&id(2), ts(now + 1), ts(now)),
                expected
            );
        }
        assert_eq!(
            cache.check_and_remember(&id(1), ts(now + 1), ts(now)),
            Err(ReplayError::Replay),
            "at {now}"
        );
    }
    // Step by step over the last second, then past it.
    assert_eq!(
        cache.check_and_remember(&id(1), ts(20 + 3 * wheel), ts(9 + 3 * wheel)),
        Err(ReplayError::Replay)
    );
    cache
        .check_and_remember(&id(1), ts(20 + 3 * wheel), ts(10 + 3 * wheel))
        .unwrap();
    check_invariants(&cache);
}

#[test]
fn debug_shows_no_ids() {
    let cache = MemoryReplayCache::new(4);
    cache
        .check_and_remember(&id(0xabcdef), ts(200), ts(100))
        .unwrap();
    let shown = format!("{cache:?}");
    assert_eq!(shown, "MemoryReplayCache { capacity: 4, len: 1 }");
}

/// The naive reference: a `Vec` scanned on every call, written from the
/// documented semantics.
struct Model {
    capacity: usize,
    clock: u64,
    entries: Vec<(ReplayId, u64)>,
}

impl Model {
    fn check_and_remember(
        &mut self,
        id: ReplayId,
        retain_until: u64,
        now: u64,
    ) -> Result<(), ReplayError> {
        self.clock = self.clock.max(now);
        let clock = self.clock;
        self.entries.retain(|&(_, until)| until > clock);
        if self.entries.iter().any(|&(seen, _)| seen == id) {
            return Err(ReplayError::Replay);
        }
        if retain_until <= now {
            return Ok(());
        }
        if self.entries.len() >= self.capacity {
            return Err(ReplayError::Full);
        }
        self.entries.push((id, retain_until.max(clock + 1)));
        Ok(())
    }
}

/// One call: which id (from a small set, so that replays happen), how the
/// clock moves, and the retention relative to the new `now`.
#[derive(Debug, Clone)]
struct Step {
    id: u64,
    clock_move: i64,
    retention: i64,
}

fn step() -> impl Strategy<Value = Step> {
    let clock_move = prop_oneof![
        8 => 0i64..5,
        2 => 5i64..200,
        1 => -300i64..0,
        1 => 900i64..2_500,
    ];
    let retention = prop_oneof![
        8 => 1i64..600,
        1 => -20i64..=0,
        1 => 600i64..3_000,
    ];
    (0u64..6, clock_move, retention).prop_map(|(id, clock_move, retention)| Step {
        id,
        clock_move,
        retention,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn behaves_like_the_naive_model(
        capacity in 0usize..6,
        start in 0u64..5_000,
        steps in proptest::collection::vec(step(), 1..120),
    ) {
        let cache = MemoryReplayCache::new(capacity);
        let mut model = Model { capacity, clock: 0, entries: Vec::new() };
        let mut now = start;
        for (i, s) in steps.iter().enumerate() {
            now = now.saturating_add_signed(s.clock_move);
            let retain_until = now.saturating_add_signed(s.retention);
            let got = cache.check_and_remember(&id(s.id), ts(retain_until), ts(now));
            let want = model.check_and_remember(id(s.id), retain_until, now);
            prop_assert_eq!(&got, &want, "step {} {:?} at now {}", i, s, now);
            prop_assert_eq!(cache.len(), model.entries.len(), "len after step {}", i);
            check_invariants(&cache);
        }
    }
}
