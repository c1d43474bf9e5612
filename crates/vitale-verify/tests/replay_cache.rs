//! `MemoryReplayCache` through its public API: the documented behaviours,
//! the memory bound, and atomicity under concurrent callers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

/// Named so that `cargo test replay` selects every test of this file.
mod memory_replay_cache {
    use std::sync::{Arc, Barrier};

    use vitale_codec::model::{CredentialId, Nonce, Timestamp};
    use vitale_verify::replay::{MemoryReplayCache, ReplayCache, ReplayError, ReplayId};

    /// A realistic epoch: 2023-11-14T22:13:20Z.
    const T0: u64 = 1_700_000_000;

    /// The default policy's retention: 180 s of lifetime + 300 s of skew.
    const RETENTION: u64 = 480;

    fn ts(secs: u64) -> Timestamp {
        Timestamp::from_unix(secs).unwrap()
    }

    fn id(n: u64) -> ReplayId {
        let mut credential = [0u8; 16];
        credential[..8].copy_from_slice(&n.to_be_bytes());
        let mut nonce = [0x5a; 16];
        nonce[8..].copy_from_slice(&n.to_le_bytes());
        ReplayId::new(
            &CredentialId::from_bytes(credential),
            &Nonce::from_bytes(nonce),
        )
    }

    /// One presentation seen at `now`, retained for the default retention.
    fn present(cache: &impl ReplayCache, n: u64, now: u64) -> Result<(), ReplayError> {
        cache.check_and_remember(&id(n), ts(now + RETENTION), ts(now))
    }

    #[test]
    fn first_use_is_accepted_and_the_second_is_a_replay() {
        let cache = MemoryReplayCache::new(16);
        assert!(cache.is_empty());
        present(&cache, 1, T0).unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(present(&cache, 1, T0), Err(ReplayError::Replay));
        assert_eq!(present(&cache, 1, T0 + 100), Err(ReplayError::Replay));
        // Another nonce for the same credential is another presentation.
        present(&cache, 2, T0 + 100).unwrap();
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn the_replay_is_refused_until_retain_until_then_forgotten() {
        let cache = MemoryReplayCache::new(16);
        present(&cache, 1, T0).unwrap();
        // Exclusive, like the verifier's window: refused through the second
        // before `retain_until`...
        assert_eq!(
            present(&cache, 1, T0 + RETENTION - 1),
            Err(ReplayError::Replay)
        );
        assert_eq!(cache.len(), 1);
        // ...forgotten at `retain_until` (the verifier calls it expired there).
        present(&cache, 1, T0 + RETENTION).unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(
            present(&cache, 1, T0 + RETENTION + 1),
            Err(ReplayError::Replay)
        );
    }

    #[test]
    fn an_already_expired_presentation_is_accepted_without_being_stored() {
        let cache = MemoryReplayCache::new(16);
        for retain_until in [T0 - 1, T0] {
            cache
                .check_and_remember(&id(1), ts(retain_until), ts(T0))
                .unwrap();
            assert!(cache.is_empty());
        }
        // ...but a still remembered id is a replay whatever the new retention.
        present(&cache, 2, T0).unwrap();
        assert_eq!(
            cache.check_and_remember(&id(2), ts(T0 + 1), ts(T0 + 1)),
            Err(ReplayError::Replay)
        );
    }

    #[test]
    fn full_of_live_entries_refuses_then_accepts_once_they_expire() {
        let cache = MemoryReplayCache::new(3);
        for n in 0..3 {
            present(&cache, n, T0 + n).unwrap();
        }
        assert_eq!(cache.len(), 3);
        // Fail closed: no live entry is evicted for a newcomer.
        assert_eq!(present(&cache, 10, T0 + 10), Err(ReplayError::Full));
        assert_eq!(cache.len(), 3);
        for n in 0..3 {
            assert_eq!(present(&cache, n, T0 + 10), Err(ReplayError::Replay));
        }
        // The first entry expires at T0 + RETENTION: room for exactly one.
        present(&cache, 10, T0 + RETENTION).unwrap();
        assert_eq!(present(&cache, 11, T0 + RETENTION), Err(ReplayError::Full));
        // Everything expired: room again.
        present(&cache, 11, T0 + 3 * RETENTION).unwrap();
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn capacity_zero_refuses_everything_it_would_have_to_remember() {
        let cache = MemoryReplayCache::new(0);
        assert_eq!(cache.capacity(), 0);
        assert_eq!(present(&cache, 1, T0), Err(ReplayError::Full));
        assert_eq!(present(&cache, 1, T0 + 10_000), Err(ReplayError::Full));
        // Nothing to remember, nothing refused.
        cache.check_and_remember(&id(1), ts(T0), ts(T0)).unwrap();
        assert!(cache.is_empty());
    }

    #[test]
    fn default_capacity_is_documented() {
        let cache = MemoryReplayCache::default();
        assert_eq!(cache.capacity(), MemoryReplayCache::DEFAULT_CAPACITY);
        assert_eq!(cache.capacity(), 4096);
        assert!(cache.is_empty());
    }

    #[test]
    fn the_clock_going_back_neither_revives_nor_forgets() {
        let cache = MemoryReplayCache::new(16);
        present(&cache, 1, T0).unwrap();
        // Set back by an hour: id 1 is still remembered...
        assert_eq!(present(&cache, 1, T0 - 3600), Err(ReplayError::Replay));
        // ...and an entry whose expiry is behind the latest `now` seen is kept
        // until the clock moves past that latest `now`.
        cache
            .check_and_remember(&id(2), ts(T0 - 3000), ts(T0 - 3600))
            .unwrap();
        assert_eq!(
            cache.check_and_remember(&id(2), ts(T0 - 2000), ts(T0 - 2900)),
            Err(ReplayError::Replay)
        );
        assert_eq!(present(&cache, 2, T0), Err(ReplayError::Replay));
        present(&cache, 2, T0 + 1).unwrap();
        // Going back again does not bring id 1's first use back either: it
        // stays remembered until its own expiry on the cache's clock.
        assert_eq!(present(&cache, 1, T0 - 10), Err(ReplayError::Replay));
        present(&cache, 1, T0 + RETENTION).unwrap();
        assert_eq!(present(&cache, 1, 0), Err(ReplayError::Replay));
    }

    #[test]
    fn a_clock_jump_forward_purges_everything_expired() {
        let cache = MemoryReplayCache::new(64);
        for n in 0..64 {
            present(&cache, n, T0 + n).unwrap();
        }
        assert_eq!(present(&cache, 100, T0 + 100), Err(ReplayError::Full));
        // A week later (far more than one turn of the wheel).
        present(&cache, 100, T0 + 7 * 86_400).unwrap();
        assert_eq!(cache.len(), 1);
        present(&cache, 0, T0 + 7 * 86_400).unwrap();
    }

    #[test]
    fn retentions_longer_than_the_wheel_are_kept_in_full() {
        let cache = MemoryReplayCache::new(4);
        let long = 10 * MemoryReplayCache::WHEEL_SECS + 7;
        cache
            .check_and_remember(&id(1), ts(T0 + long), ts(T0))
            .unwrap();
        for now in (T0..T0 + long).step_by(301) {
            assert_eq!(
                cache.check_and_remember(&id(1), ts(now + 1), ts(now)),
                Err(ReplayError::Replay)
            );
        }
        assert_eq!(
            cache.check_and_remember(&id(1), ts(T0 + long + 1), ts(T0 + long - 1)),
            Err(ReplayError::Replay)
        );
        cache
            .check_and_remember(&id(1), ts(T0 + long + 1), ts(T0 + long))
            .unwrap();
    }

    #[test]
    fn memory_stays_bounded_over_ten_times_the_capacity() {
        let capacity = 100;
        let cache = MemoryReplayCache::new(capacity);
        let (mut accepted, mut full) = (0, 0);
        // One presentation every 2 s, each retained 480 s: about 240 would be
        // live at once, more than the capacity, so the cache fills and frees.
        for n in 0..10 * capacity as u64 {
            match present(&cache, n, T0 + 2 * n) {
                Ok(()) => accepted += 1,
                Err(ReplayError::Full) => full += 1,
                other => panic!("unexpected {other:?}"),
            }
            assert!(cache.len() <= capacity);
        }
        assert!(accepted >= 3 * capacity, "accepted {accepted}");
        assert!(full > 0);
        // Everything accepted that is still live is still refused.
        assert_eq!(
            present(&cache, 10 * capacity as u64 - 1, T0 + 20 * capacity as u64),
            Err(ReplayError::Replay)
        );
    }

    #[test]
    fn concurrent_uses_of_one_presentation_succeed_exactly_once() {
        const THREADS: usize = 16;
        let cache = Arc::new(MemoryReplayCache::new(1024));
        for round in 0..50u64 {
            let barrier = Arc::new(Barrier::new(THREADS));
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    let cache = Arc::clone(&cache);
                    let barrier = Arc::clone(&barrier);
                    std::thread::spawn(move || {
                        barrier.wait();
                        present(&cache, round, T0 + round)
                    })
                })
                .collect();
            let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            let accepted = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(accepted, 1, "round {round}: {results:?}");
            assert!(
                results
                    .iter()
                    .all(|r| matches!(r, Ok(()) | Err(ReplayError::Replay))),
                "{results:?}"
            );
        }
        assert_eq!(cache.len(), 50);
    }

    #[test]
    fn the_cache_is_usable_as_a_shared_trait_object() {
        let cache: Arc<dyn ReplayCache> = Arc::new(MemoryReplayCache::default());
        present(&cache, 1, T0).unwrap();
        assert_eq!(present(&&*cache, 1, T0), Err(ReplayError::Replay));
    }
}
