//! A terminal with a durable or shared replay cache (features `sqlite`,
//! `postgres`).

use vitale_store::StoreLocation;

use crate::builder::TerminalBuilder;
use crate::{Error, Terminal};

impl Terminal {
    /// Replaces the replay cache with the one at `location`: `sqlite:PATH`
    /// (one workstation: survives restarts), `postgres:URL` (a site's
    /// workstations share it) or `memory` (the default: this process only).
    /// See `docs/deployment.md`.
    ///
    /// ```no_run
    /// use vitale::Terminal;
    /// use vitale::verify::Verifier;
    ///
    /// fn counter(verifier: Verifier) -> Result<Terminal, vitale::Error> {
    ///     let at = "sqlite:/var/lib/billing/vitale-state.sqlite".parse()?;
    ///     Terminal::new(verifier).with_replay_store(&at)
    /// }
    /// ```
    ///
    /// A cache that later becomes unreachable makes each verification fail
    /// with the kind `replay_cache_unavailable` (fail closed).
    ///
    /// # Errors
    /// [`Error::Store`] when the store cannot be opened (kinds
    /// `store_unavailable`, `store_schema_unknown`, `store_corrupt`,
    /// `store_location_invalid`).
    pub fn with_replay_store(self, location: &StoreLocation) -> Result<Self, Error> {
        Ok(self.with_replay_cache(location.open_replay_cache()?))
    }
}

impl TerminalBuilder {
    /// The replay cache at `location` (`sqlite:PATH`, `postgres:URL` or
    /// `memory`), opened now: see [`Terminal::with_replay_store`].
    ///
    /// ```no_run
    /// # fn main() -> Result<(), vitale::Error> {
    /// let terminal = vitale::Terminal::builder()
    ///     .trust_list_file("trust-list.cbor")
    ///     .pinned_root_file("root.spki.der")
    ///     .replay_store(&"sqlite:vitale-state.sqlite".parse()?)?
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Store`] when the store cannot be opened.
    pub fn replay_store(self, location: &StoreLocation) -> Result<Self, Error> {
        Ok(self.replay_cache(location.open_replay_cache()?))
    }
}
