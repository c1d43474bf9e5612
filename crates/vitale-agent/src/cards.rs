//! The cards read, kept in the agent and referenced by a random id for a
//! limited time: the browser never holds a verified card, only its id and
//! the masked JSON to show.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use vitale::verify::VerifiedCard;

use crate::Error;

/// Cards by id, each for `ttl`, at most `max` at once (the oldest goes
/// first).
#[derive(Debug)]
pub(crate) struct CardStore {
    ttl: Duration,
    max: usize,
    cards: Mutex<HashMap<String, (Instant, Arc<VerifiedCard>)>>,
}

impl CardStore {
    pub(crate) fn new(ttl: Duration, max: usize) -> Self {
        CardStore {
            ttl,
            max,
            cards: Mutex::new(HashMap::new()),
        }
    }

    /// Keeps `card` and returns its new id, `c-` and 32 random hex digits
    /// (128 bits from the operating system: not guessable).
    pub(crate) fn insert(&self, card: VerifiedCard, now: Instant) -> Result<String, Error> {
        let id = random_id("c-")?;
        let mut cards = lock(&self.cards);
        cards.retain(|_, (at, _)| now.saturating_duration_since(*at) < self.ttl);
        while cards.len() >= self.max {
            let oldest = cards
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(id, _)| id.clone());
            match oldest {
                Some(id) => cards.remove(&id),
                None => break,
            };
        }
        cards.insert(id.clone(), (now, Arc::new(card)));
        Ok(id)
    }

    /// The card of `id` if it has not expired.
    pub(crate) fn get(&self, id: &str, now: Instant) -> Option<Arc<VerifiedCard>> {
        let mut cards = lock(&self.cards);
        match cards.get(id) {
            Some((at, card)) if now.saturating_duration_since(*at) < self.ttl => Some(card.clone()),
            Some(_) => {
                cards.remove(id);
                None
            }
            None => None,
        }
    }
}

/// A random id: `prefix` and 32 hex digits.
pub(crate) fn random_id(prefix: &str) -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| Error::Random)?;
    Ok(format!("{prefix}{}", vitale::codec::hex::encode(&bytes)))
}

/// A lock that a panic elsewhere does not poison for good.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}
