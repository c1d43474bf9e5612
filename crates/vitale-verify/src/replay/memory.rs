//! The bounded in-memory replay cache (being written).

use vitale_codec::model::Timestamp;

use super::{ReplayCache, ReplayId};
use crate::Error;

/// A bounded in-memory [`ReplayCache`] for one workstation.
#[derive(Debug)]
pub struct MemoryReplayCache {
    _capacity: usize,
}

impl MemoryReplayCache {
    /// A cache holding at most `capacity` live entries.
    pub fn new(capacity: usize) -> Self {
        MemoryReplayCache {
            _capacity: capacity,
        }
    }
}

impl ReplayCache for MemoryReplayCache {
    fn check_and_remember(
        &self,
        _id: &ReplayId,
        _retain_until: Timestamp,
        _now: Timestamp,
    ) -> Result<(), Error> {
        Err(Error::ReplayCacheUnavailable)
    }
}
