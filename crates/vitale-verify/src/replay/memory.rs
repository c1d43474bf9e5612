//! The bounded in-memory replay cache: [`MemoryReplayCache`], whose
//! documentation states the design.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use vitale_codec::model::Timestamp;

use super::{ReplayCache, ReplayId};
use crate::replay::ReplayError;

/// [`MemoryReplayCache::WHEEL_SECS`] as a length (lossless: a small
/// constant).
const WHEEL_LEN: usize = MemoryReplayCache::WHEEL_SECS as usize;

/// End of a list in the slab (no node).
const NIL: u32 = u32::MAX;

/// A bounded in-memory [`ReplayCache`] for one workstation.
///
/// Remembers up to `capacity` presentations; when that many are live it
/// refuses new ones with [`ReplayError::Full`] rather than forget one
/// (fail closed). All memory is allocated by [`MemoryReplayCache::new`];
/// every operation is O(1) amortised.
///
/// ```
/// use vitale_verify::replay::{MemoryReplayCache, ReplayCache, ReplayError, ReplayId};
/// use vitale_codec::model::{CredentialId, Nonce, Timestamp};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let t = |s| Timestamp::from_unix(s).ok_or("out of range");
/// let cache = MemoryReplayCache::new(1024);
/// let id = ReplayId::new(&CredentialId::from_bytes([1; 16]), &Nonce::from_bytes([2; 16]));
/// cache.check_and_remember(&id, t(1_700_000_480)?, t(1_700_000_000)?)?;
/// assert_eq!(
///     cache.check_and_remember(&id, t(1_700_000_480)?, t(1_700_000_010)?),
///     Err(ReplayError::Replay)
/// );
/// // Once `retain_until` has passed, the id is forgotten.
/// cache.check_and_remember(&id, t(1_700_001_000)?, t(1_700_000_480)?)?;
/// # Ok(()) }
/// ```
///
/// # Design
///
/// Three structures, all allocated by [`MemoryReplayCache::new`] and never
/// grown:
///
/// * **`live`**, a `HashSet<ReplayId>` answering "was this presentation
///   seen?" in O(1). It is std's `HashSet` with its default `RandomState`
///   hasher (currently SipHash-1-3) keyed with random keys from the
///   operating system, so an attacker who chooses nonces cannot aim them
///   at one hash bucket.
/// * **`nodes`**, a slab of at most `capacity` entries `(id, retain_until,
///   next)`, with a free list threaded through `next`.
/// * **`wheel`**, a timing wheel of [`MemoryReplayCache::WHEEL_SECS`]
///   one-second buckets; the bucket `retain_until % WHEEL_SECS` heads a
///   singly linked list (through the slab) of the entries that expire in
///   that second.
///
/// The cache keeps its own clock: the latest `now` it has been given. When
/// `now` moves forward from `c` to `n`, the buckets of the seconds
/// `c + 1 ..= n` are emptied of the entries whose `retain_until <= n` — at
/// most [`MemoryReplayCache::WHEEL_SECS`] buckets, however far the clock
/// jumps. With retentions up to `WHEEL_SECS` (the default policy's is
/// 480 s) every entry is visited exactly once, when it expires, so an
/// operation costs O(1) amortised: one hash (an insertion that doubles as
/// the membership test), and its share of the purges — plus, when the
/// clock has moved, one bucket head per second elapsed, at most
/// `WHEEL_SECS`. Nothing depends on the capacity except through the CPU
/// caches: in the `replay` bench a replay costs the same at capacity 1k
/// and 64k (about 80 ns), and a new presentation 2 to 5 times more at 64k
/// (a few hundred nanoseconds, whose tables no longer fit in L2) —
/// negligible next to the two ES256 verifications before it.
///
/// # Choices
///
/// * **Expiry is exclusive**, as in the verifier: a presentation is
///   acceptable while `now < retain_until`, so an entry is remembered while
///   the cache's clock is below `retain_until`, and a call with
///   `retain_until <= now` (a presentation already expired — the verifier
///   refuses it before asking the cache) is accepted **without being
///   stored**, unless the id is still remembered, which is a replay.
/// * **Retention beyond the wheel is neither refused nor clamped.** The
///   default policy retains for 180 s + 300 s of skew, well within the
///   1024 s wheel; a vendor who loosens the skew gets entries that stay in
///   their bucket for extra turns of the wheel (each costs one more visit
///   per 1024 s of clock). Refusing them would turn a loosened policy into
///   a refusal of every patient; clamping would forget a presentation while
///   it can still be replayed.
/// * **The clock going backwards** (workstation clock set back) neither
///   revives nor forgets anything: expiry follows the latest `now` seen.
///   An entry recorded while `now` is behind that clock is kept at least
///   until the clock moves past it (its expiry is raised to one second
///   after the latest `now`), so it cannot be replayed while the clock is
///   being corrected. The limit: a clock that jumps *forward* has made the
///   cache forget what expires before the jump, and setting it back does
///   not bring that back — a presentation accepted just before a wrong
///   jump forward could be accepted again once the clock is corrected,
///   while it is still within its window. Workstations should slew their
///   clock (NTP) rather than step it.
/// * **Full means refused**: when `capacity` entries are live, a new one is
///   refused with [`ReplayError::Full`]; a live entry is never
///   evicted. A cache of capacity 0 therefore refuses every presentation
///   that still has to be remembered (it accepts only already-expired
///   ones, which the verifier never submits).
/// * **Hash-table headroom.** `hashbrown`, behind std's `HashSet`, leaves
///   tombstones when entries are removed, and when they use up its free
///   slots it rehashes *in place* only if the table is at most half full;
///   otherwise it reallocates a table twice as large — which a churning
///   cache at full load does (measured: `with_capacity(4096)` grew from
///   7168 to 14336 slots). The set is therefore created with room for
///   `2 × capacity`, so that it is never more than half full and never
///   reallocates; the unit tests check that its capacity never grows.
pub struct MemoryReplayCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

/// The state behind the mutex.
struct Inner {
    /// The latest `now` seen (seconds); every entry with
    /// `retain_until <= clock` has been purged.
    clock: u64,
    /// The ids of the live entries (exactly those in the wheel).
    live: HashSet<ReplayId>,
    /// The slab: entries in the wheel, and free nodes.
    nodes: Vec<Node>,
    /// Head of the free list through `nodes`.
    free: u32,
    /// Bucket `s % WHEEL_SECS` heads the list of the entries expiring at a
    /// second `s` congruent to it.
    wheel: Vec<u32>,
    /// The most entries `live` and `nodes` may hold.
    capacity: usize,
}

/// One entry of the slab.
struct Node {
    id: ReplayId,
    /// Seconds; the entry is live while the clock is below it.
    retain_until: u64,
    /// Next node in the same bucket, or in the free list.
    next: u32,
}

impl MemoryReplayCache {
    /// Number of one-second buckets in the timing wheel: retentions up to
    /// this many seconds after `now` (default policy: 480 s) are purged in
    /// one turn.
    pub const WHEEL_SECS: u64 = 1024;

    /// Largest capacity [`MemoryReplayCache::new`] accepts; larger requests
    /// are lowered to it.
    ///
    /// 2²⁰ live presentations is over a thousand per second sustained for
    /// the default 480 s retention — far beyond one workstation — and
    /// already about 190 MB; a server verifying for many desks should share
    /// a cache instead.
    pub const MAX_CAPACITY: usize = 1 << 20;

    /// The capacity of [`MemoryReplayCache::default`].
    ///
    /// A workstation reads at most one presentation every few seconds, and
    /// the default policy remembers one for at most 180 s of lifetime +
    /// 300 s of clock skew (780 s with a 600 s skew): even at one
    /// presentation per second, sustained, fewer than 800 entries are live.
    /// 4096 leaves five times that headroom, for about 0.7 MB.
    pub const DEFAULT_CAPACITY: usize = 4096;

    /// A cache holding at most `capacity` live entries (lowered to
    /// [`MemoryReplayCache::MAX_CAPACITY`]), with all its memory allocated now.
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.min(Self::MAX_CAPACITY);
        MemoryReplayCache {
            capacity,
            inner: Mutex::new(Inner {
                clock: 0,
                // Twice the capacity: see "Hash-table headroom" above.
                live: HashSet::with_capacity(capacity.saturating_mul(2)),
                nodes: Vec::with_capacity(capacity),
                free: NIL,
                wheel: vec![NIL; WHEEL_LEN],
                capacity,
            }),
        }
    }

    /// The most live entries this cache holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The number of live entries: those not expired at the latest `now`
    /// the cache was given.
    pub fn len(&self) -> usize {
        // Nothing panics while the lock is held, so a poisoned state is
        // still consistent and can be read.
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .live
            .len()
    }

    /// Whether no entry is live (see [`MemoryReplayCache::len`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryReplayCache {
    /// A cache of [`MemoryReplayCache::DEFAULT_CAPACITY`] entries.
    fn default() -> Self {
        MemoryReplayCache::new(Self::DEFAULT_CAPACITY)
    }
}

impl fmt::Debug for MemoryReplayCache {
    /// Shows the capacity and the number of live entries, never the ids
    /// (they name credentials).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryReplayCache")
            .field("capacity", &self.capacity)
            .field("len", &self.len())
            .finish()
    }
}

impl ReplayCache for MemoryReplayCache {
    fn check_and_remember(
        &self,
        id: &ReplayId,
        retain_until: Timestamp,
        now: Timestamp,
    ) -> Result<(), ReplayError> {
        let mut inner = self.inner.lock().map_err(|_| {
            ReplayError::unavailable(Inconsistent("a thread panicked holding the cache"))
        })?;
        inner.check_and_remember(id, retain_until.unix(), now.unix())
    }
}

impl Inner {
    /// The whole operation, under the lock (so atomic).
    fn check_and_remember(
        &mut self,
        id: &ReplayId,
        retain_until: u64,
        now: u64,
    ) -> Result<(), ReplayError> {
        self.advance(now)?;
        let expired = retain_until <= now;
        if expired || self.live.len() >= self.capacity {
            return if self.live.contains(id) {
                Err(ReplayError::Replay)
            } else if expired {
                // Already expired for the caller: nothing to remember.
                Ok(())
            } else {
                Err(ReplayError::Full)
            };
        }
        // One hash for the common case: `insert` is the membership test.
        if !self.live.insert(*id) {
            return Err(ReplayError::Replay);
        }
        // If the clock was set back, keep the entry at least until the
        // cache's own clock moves on (see "The clock going backwards").
        let retain_until = retain_until.max(self.clock.saturating_add(1));
        if let Err(e) = self.link(*id, retain_until) {
            self.live.remove(id);
            return Err(e);
        }
        Ok(())
    }

    /// Puts a new entry into its bucket of the wheel.
    fn link(&mut self, id: ReplayId, retain_until: u64) -> Result<(), ReplayError> {
        let node = self.allocate(id, retain_until)?;
        let bucket = self.bucket_mut(retain_until)?;
        let head = core::mem::replace(bucket, node);
        self.node_mut(node)?.next = head;
        Ok(())
    }

    /// Moves the clock to `now` if it is later, purging what expires.
    fn advance(&mut self, now: u64) -> Result<(), ReplayError> {
        if now <= self.clock {
            return Ok(());
        }
        // Seconds clock+1 ..= now; past `WHEEL_SECS` of them every bucket
        // has been seen once, which is enough.
        let steps = (now - self.clock).min(MemoryReplayCache::WHEEL_SECS);
        for second in self.clock.saturating_add(1)..=self.clock.saturating_add(steps) {
            self.purge_bucket(second, now)?;
        }
        self.clock = now;
        Ok(())
    }

    /// Removes from the bucket of `second` the entries with
    /// `retain_until <= now`; keeps those due in a later turn of the wheel.
    fn purge_bucket(&mut self, second: u64, now: u64) -> Result<(), ReplayError> {
        let bucket = self.bucket_mut(second)?;
        let mut cursor = core::mem::replace(bucket, NIL);
        let mut kept = NIL;
        while cursor != NIL {
            let free = self.free;
            let node = self.node_mut(cursor)?;
            let next = node.next;
            if node.retain_until <= now {
                let id = node.id;
                node.next = free;
                self.free = cursor;
                self.live.remove(&id);
            } else {
                node.next = kept;
                kept = cursor;
            }
            cursor = next;
        }
        *self.bucket_mut(second)? = kept;
        Ok(())
    }

    /// A node for a new entry: from the free list, or a new slot of the
    /// slab (whose length never exceeds `capacity`).
    fn allocate(&mut self, id: ReplayId, retain_until: u64) -> Result<u32, ReplayError> {
        let node = Node {
            id,
            retain_until,
            next: NIL,
        };
        if self.free != NIL {
            let index = self.free;
            let slot = self.node_mut(index)?;
            let next_free = slot.next;
            *slot = node;
            self.free = next_free;
            Ok(index)
        } else if self.nodes.len() < self.capacity {
            // Invariant: capacity <= MAX_CAPACITY < NIL, so this fits.
            let index = u32::try_from(self.nodes.len()).map_err(|_| {
                ReplayError::unavailable(Inconsistent("internal index out of range"))
            })?;
            self.nodes.push(node);
            Ok(index)
        } else {
            // Impossible: fewer than `capacity` entries are live, so a node
            // is free. Reported rather than panicking.
            Err(ReplayError::unavailable(Inconsistent(
                "internal index out of range",
            )))
        }
    }

    /// The bucket of `second`.
    fn bucket_mut(&mut self, second: u64) -> Result<&mut u32, ReplayError> {
        // The remainder is below `WHEEL_SECS`, so the index is in range.
        usize::try_from(second % MemoryReplayCache::WHEEL_SECS)
            .ok()
            .and_then(|index| self.wheel.get_mut(index))
            // Built only on failure: the error holds an `Arc`.
            .ok_or_else(|| ReplayError::unavailable(Inconsistent("internal index out of range")))
    }

    /// The node at `index` (always in range: indices come from the slab).
    fn node_mut(&mut self, index: u32) -> Result<&mut Node, ReplayError> {
        usize::try_from(index)
            .ok()
            .and_then(|index| self.nodes.get_mut(index))
            // Built only on failure: the error holds an `Arc`.
            .ok_or_else(|| ReplayError::unavailable(Inconsistent("internal index out of range")))
    }
}

// The unit tests sit beside the trait module: `src/replay/tests.rs`.
#[cfg(test)]
#[path = "tests.rs"]
mod tests;

/// An internal inconsistency of the in-memory cache (never expected; the
/// cache then fails closed).
#[derive(Debug, thiserror::Error)]
#[error("in-memory replay cache: {0}")]
struct Inconsistent(&'static str);
