//! A ready [`Terminal`] in one expression: [`Terminal::builder`].
//!
//! ```no_run
//! # fn main() -> Result<(), vitale::Error> {
//! let terminal = vitale::Terminal::builder()
//!     .trust_list_file("trust-list.cbor") // CBOR or JSON form, detected
//!     .pinned_root_file("root.spki.der")  // the root key the application pins
//!     .build()?;
//! let card = terminal.verify_scanner_line("VT1:…")?;
//! # Ok(()) }
//! ```

use std::path::{Path, PathBuf};

use vitale_model::Timestamp;
use vitale_reader::qr::QrDecoder;
use vitale_verify::policy::{Clock, Policy, SystemClock};
use vitale_verify::replay::ReplayCache;
use vitale_verify::token::TokenVerifier;
use vitale_verify::{SignatureBackend, Verifier, default_backend};

use crate::{Error, Terminal};

enum Source {
    Missing,
    Bytes(Vec<u8>),
    File(PathBuf),
}

impl Source {
    fn read(self, what: &str) -> Result<Vec<u8>, Error> {
        match self {
            Source::Bytes(bytes) => Ok(bytes),
            Source::File(path) => std::fs::read(&path)
                .map_err(|e| Error::io(format!("cannot read {what} {}", path.display()), e)),
            Source::Missing => Err(Error::io(
                format!("no {what} given to the terminal builder"),
                std::io::Error::from(std::io::ErrorKind::NotFound),
            )),
        }
    }
}

/// Builds a [`Terminal`]: the trust list and the pinned root are required;
/// everything else has a default (the default signature backend, an
/// in-memory replay cache, the system clock, the default policy, no token
/// verifier, the default QR decoder).
#[must_use = "a builder does nothing until `build` is called"]
pub struct TerminalBuilder {
    list: Source,
    root: Source,
    backend: &'static dyn SignatureBackend,
    replay: Option<Box<dyn FnOnce(Verifier) -> Verifier>>,
    clock: Option<Box<dyn Clock>>,
    policy: Option<Policy>,
    token: Option<TokenVerifier>,
    qr: Option<Box<dyn QrDecoder>>,
}

impl std::fmt::Debug for TerminalBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TerminalBuilder")
            .field("backend", &self.backend.name())
            .field("replay_cache", &self.replay.is_some())
            .field("token_verifier", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for TerminalBuilder {
    fn default() -> Self {
        TerminalBuilder {
            list: Source::Missing,
            root: Source::Missing,
            backend: default_backend(),
            replay: None,
            clock: None,
            policy: None,
            token: None,
            qr: None,
        }
    }
}

impl Terminal {
    /// A [`TerminalBuilder`].
    pub fn builder() -> TerminalBuilder {
        TerminalBuilder::default()
    }
}

impl TerminalBuilder {
    /// The trust list's bytes (CBOR/COSE or JSON/JWS form, detected; a
    /// UTF-8 byte-order mark is ignored).
    pub fn trust_list(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.list = Source::Bytes(bytes.into());
        self
    }

    /// The trust list, read from a file at [`TerminalBuilder::build`].
    pub fn trust_list_file(mut self, path: impl AsRef<Path>) -> Self {
        self.list = Source::File(path.as_ref().to_path_buf());
        self
    }

    /// The pinned root key (SubjectPublicKeyInfo DER).
    pub fn pinned_root(mut self, spki_der: impl Into<Vec<u8>>) -> Self {
        self.root = Source::Bytes(spki_der.into());
        self
    }

    /// The pinned root key, read from a file at [`TerminalBuilder::build`].
    pub fn pinned_root_file(mut self, path: impl AsRef<Path>) -> Self {
        self.root = Source::File(path.as_ref().to_path_buf());
        self
    }

    /// The signature backend (e.g. ring's, with the `fast-crypto`
    /// feature): used for the trust list and every verification.
    pub fn backend(mut self, backend: &'static dyn SignatureBackend) -> Self {
        self.backend = backend;
        self
    }

    /// The replay cache (a durable or shared one for several workstations;
    /// the default remembers in this process's memory only).
    pub fn replay_cache(mut self, cache: impl ReplayCache + 'static) -> Self {
        self.replay = Some(Box::new(move |v: Verifier| v.with_replay_cache(cache)));
        self
    }

    /// The clock (a fixed one for tests and replays of old traces).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Box::new(clock));
        self
    }

    /// The verification policy (clock skew, lifetimes, sizes).
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// The token verifier of the `token` profile.
    pub fn token_verifier(mut self, token: TokenVerifier) -> Self {
        self.token = Some(token);
        self
    }

    /// The QR decoder for images and frames.
    pub fn qr_decoder(mut self, decoder: Box<dyn QrDecoder>) -> Self {
        self.qr = Some(decoder);
        self
    }

    /// Reads the trust list and the root, verifies the list under the root
    /// at the clock's time, and returns the terminal.
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be read or a required input is
    /// missing; [`Error::Verify`] when the root key is invalid or the list
    /// does not verify under it, has expired or is malformed.
    pub fn build(self) -> Result<Terminal, Error> {
        let list = self.list.read("the trust list")?;
        let root = self.root.read("the pinned root key")?;
        let now = match &self.clock {
            Some(clock) => clock.now(),
            None => SystemClock.now(),
        };
        let store = crate::trust::load_trust_store_with(&list, &root, now, self.backend)?;
        let mut verifier = Verifier::new(store).with_backend(self.backend);
        if let Some(policy) = self.policy {
            verifier = verifier.with_policy(policy);
        }
        if let Some(clock) = self.clock {
            verifier = verifier.with_clock(BoxedClock(clock));
        }
        if let Some(replay) = self.replay {
            verifier = replay(verifier);
        }
        let mut terminal = Terminal::new(verifier);
        if let Some(token) = self.token {
            terminal = terminal.with_token_verifier(token);
        }
        if let Some(qr) = self.qr {
            terminal = terminal.with_qr_decoder(qr);
        }
        Ok(terminal)
    }
}

struct BoxedClock(Box<dyn Clock>);

impl Clock for BoxedClock {
    fn now(&self) -> Timestamp {
        self.0.now()
    }
}
