//! `vitale agent`: a local service that lets web-based billing software
//! accept the *appli carte Vitale* (ApCV).
//!
//! A web page cannot reach a PC/SC reader, a serial scanner or the SDK
//! itself; this agent runs on the workstation, listens on loopback only
//! (127.0.0.1 and ::1) and offers the facade's work as a small JSON API:
//! read a scanner line, an uploaded image or a camera frame, read a phone
//! on an NFC reader with progress events (server-sent events), ask the
//! rights of the day, bill a visit (care sheet, signature, receipt). It
//! also serves a reception-desk page (`GET /`).
//!
//! Every request is checked (`docs/security.md`): the `Host` header
//! (DNS rebinding), the `Origin` against an allowlist, CORS and Private
//! Network Access preflights answered only for allowed origins, a pairing
//! token per installation, body size and rate limits. Verified cards stay
//! in the agent, referenced by a random id for 15 minutes; the browser gets
//! the card's JSON with NIRs masked.
//!
//! ```no_run
//! # fn main() -> Result<(), vitale_agent::Error> {
//! let mut config = vitale_agent::Config::simulator();
//! config.port = 0; // any free port
//! let agent = vitale_agent::Agent::start(config)?;
//! println!("http://{}/ (token {})", agent.addr(), agent.pairing_token());
//! agent.shutdown();
//! # Ok(()) }
//! ```
//!
//! The API is in `docs/agent.md`; the official ApCV specification is not
//! public, and nothing here claims to follow it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod backend;
mod cards;
pub mod config;
mod error;
mod guard;
mod nfc;
pub mod request;
mod server;
#[cfg(feature = "simulator")]
mod sim;
pub mod token;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

pub use config::{Config, DEFAULT_PORT, Limits, NfcSource};
pub use error::{AGENT_KINDS, Error};
#[cfg(feature = "simulator")]
pub use sim::{SIMULATOR_BILLING_NUMBER, SIMULATOR_SEED};
pub use token::PairingToken;

/// How long a shutdown waits for blocking work in flight (an NFC read).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// The agent: [`Agent::start`] it with a [`Config`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Agent;

impl Agent {
    /// Starts the agent: loads or creates the pairing token, sets up the
    /// terminal and billing (or the simulator), binds the loopback
    /// listeners and serves on a thread of its own until
    /// [`RunningAgent::shutdown`].
    ///
    /// # Errors
    /// [`Error::NotLoopback`], [`Error::Config`] for an invalid
    /// configuration; [`Error::Io`] when a port cannot be bound or the
    /// token cannot be stored; [`Error::Vitale`] when the trust list,
    /// pinned root or store cannot be loaded; [`Error::Simulator`].
    pub fn start(config: Config) -> Result<RunningAgent, Error> {
        config.check()?;
        if config.nfc == Some(config::NfcSource::Pcsc) && !cfg!(feature = "pcsc") {
            return Err(Error::Config(
                "nfc = \"pcsc\": this agent was built without the `pcsc` feature".into(),
            ));
        }
        let token = PairingToken::load_or_create(&config.resolved_config_dir()?)?;
        let backend = backend::Backend::new(&config)?;
        let listeners = bind(&config.listen, config.port)?;
        let addr = listeners
            .first()
            .map(TcpListener::local_addr)
            .transpose()
            .map_err(|e| Error::io("cannot read the listener's address", e))?
            .ok_or_else(|| Error::Config("no address to listen on".into()))?;
        let shared = Arc::new(server::Shared {
            backend,
            token: token.clone(),
            port: addr.port(),
            allowed_origins: config.allowed_origins.clone(),
            limits: config.limits,
            limiter: guard::RateLimiter::new(config.limits.rate_per_second, config.limits.burst),
            cards: cards::CardStore::new(
                Duration::from_secs(config.limits.card_ttl_secs),
                config.limits.max_cards,
            ),
            nfc: nfc::NfcJobs::new(config.nfc_source(), config.nfc_reader.clone()),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("cannot start the runtime", e))?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let addrs: Vec<SocketAddr> = listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect();
        let thread = std::thread::Builder::new()
            .name("vitale-agent".into())
            .spawn(move || {
                runtime.block_on(server::serve(listeners, shared, stopped));
                // A PC/SC read still waiting for a phone is not waited for.
                runtime.shutdown_timeout(SHUTDOWN_GRACE);
            })
            .map_err(|e| Error::io("cannot start the server thread", e))?;
        tracing::info!(port = addr.port(), listeners = addrs.len(), "agent started");
        Ok(RunningAgent {
            addr,
            addrs,
            token,
            stop,
            thread: Some(thread),
        })
    }
}

/// Binds every address on one port (the first one's when `port` is 0).
/// An IPv6 loopback the system lacks is skipped.
fn bind(listen: &[IpAddr], port: u16) -> Result<Vec<TcpListener>, Error> {
    let mut listeners: Vec<TcpListener> = Vec::new();
    let mut port = port;
    for ip in listen {
        if !ip.is_loopback() {
            return Err(Error::NotLoopback(*ip));
        }
        let addr = SocketAddr::new(*ip, port);
        match TcpListener::bind(addr) {
            Ok(l) => {
                l.set_nonblocking(true)
                    .map_err(|e| Error::io(format!("cannot set up {addr}"), e))?;
                if port == 0 {
                    port = l
                        .local_addr()
                        .map_err(|e| Error::io("cannot read the listener's address", e))?
                        .port();
                }
                listeners.push(l);
            }
            Err(e) if ip.is_ipv6() && !listeners.is_empty() => {
                tracing::warn!(error = %e, "no IPv6 loopback: listening on 127.0.0.1 only");
            }
            Err(e) => return Err(Error::io(format!("cannot listen on {addr}"), e)),
        }
    }
    Ok(listeners)
}

/// A running agent. Dropping it stops it too.
#[derive(Debug)]
pub struct RunningAgent {
    addr: SocketAddr,
    addrs: Vec<SocketAddr>,
    token: PairingToken,
    stop: tokio::sync::watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningAgent {
    /// The first listening address (`127.0.0.1:PORT` by default).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every listening address (127.0.0.1 and ::1 on the same port).
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// The installation's pairing token, to give the web application.
    pub fn pairing_token(&self) -> &str {
        self.token.expose()
    }

    /// Stops accepting, finishes the requests in flight and returns when
    /// the server thread has ended.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    /// Blocks until the server ends (it ends only on shutdown).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    fn stop_now(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for RunningAgent {
    fn drop(&mut self) {
        self.stop_now();
    }
}
