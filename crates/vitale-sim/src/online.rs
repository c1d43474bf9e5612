//! The online services on a real HTTPS server on loopback: contexts
//! (*contextes ApCV*, `token` profile) and rights (ADRi) for the simulated
//! households, tokens, signatures, and fault modes (feature `online`).
//!
//! The server speaks the SDK's reference protocol (`docs/online.md`,
//! `vitale_http::wire`) over rustls, with a CA and a server certificate
//! made at start ([`OnlineServer::ca_pem`]: clients pin it). HTTP/1.1 is
//! written by hand, one request per connection, so that faults such as a
//! body cut short or a connection reset are exact; every read is bounded
//! (request head 16 KiB, body 64 KiB, 10 s per read) and so are the
//! connections served at once ([`ServerConfig::max_connections`]).
//!
//! ```
//! use vitale_sim::online::{OnlineServer, ServerConfig};
//! use vitale_sim::{Household, Seed};
//!
//! let seed = Seed::from_u64(7);
//! let household = Household::sample(&seed, 3)?;
//! let server = OnlineServer::start(ServerConfig::new(seed, vec![household]))?;
//! assert!(server.url().starts_with("https://127.0.0.1:"));
//! let token = server.issue_token(0, 120)?;
//! assert!(token.as_str().starts_with("SIMTOK1."));
//! server.stop();
//! # Ok::<(), vitale_sim::Error>(())
//! ```

use std::io::Write as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use vitale::codec::TokenText;
use vitale::codec::model::Timestamp;
use vitale::verify::PublicKey;

mod fault;
mod http;
mod rights;
mod service;
mod tls;
pub mod token;

pub use fault::Fault;
use http::{ReadError, Response};
use service::{Operation, Service, refuse};
pub use tls::PkiFiles;
pub use token::{TokenClaims, TokenIssuer};

use crate::Error;
use crate::people::Household;
use crate::seed::Seed;

/// What the server serves and how.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The world's seed: token key, context ids, signing key.
    pub seed: Seed,
    /// The households, by index (a token names one; at most 256).
    pub households: Vec<Household>,
    /// Where to listen (default `127.0.0.1:0`: a free port on loopback).
    pub addr: SocketAddr,
    /// The fault mode, if any.
    pub fault: Option<Fault>,
    /// How long a context lives (default 30 min).
    pub context_lifetime: Duration,
    /// The pause of [`Fault::Slow`] (default 30 s).
    pub slow_delay: Duration,
    /// Failures in a row of [`Fault::Flaky`] (default 2).
    pub flaky_failures: u32,
    /// Ask clients for a certificate ([`PkiFiles::client`] holds one).
    pub require_client_cert: bool,
    /// Connections served at once; more are closed at once (default 32).
    pub max_connections: usize,
}

impl ServerConfig {
    /// The defaults, for these households.
    pub fn new(seed: Seed, households: Vec<Household>) -> Self {
        ServerConfig {
            seed,
            households,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            fault: None,
            context_lifetime: Duration::from_secs(30 * 60),
            slow_delay: Duration::from_secs(30),
            flaky_failures: 2,
            require_client_cert: false,
            max_connections: 32,
        }
    }

    /// Sets the fault mode.
    pub fn with_fault(mut self, fault: Option<Fault>) -> Self {
        self.fault = fault;
        self
    }

    /// Sets the listening address.
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }
}

/// What the server has seen, counted since it started.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[non_exhaustive]
pub struct Stats {
    /// TCP connections accepted.
    pub connections: u64,
    /// TLS handshakes that failed (an unknown CA on the client's side, a
    /// missing client certificate…).
    pub tls_failures: u64,
    /// `POST /v1/contexts` requests.
    pub open: u64,
    /// `GET /v1/contexts/{id}` requests.
    pub restore: u64,
    /// `DELETE /v1/contexts/{id}` requests.
    pub close: u64,
    /// `POST /v1/contexts/{id}/signatures` requests.
    pub sign: u64,
    /// `POST /v1/rights` requests.
    pub rights: u64,
    /// `POST /sim/v1/tokens` requests.
    pub tokens: u64,
    /// `GET /v1/trust-list` requests.
    pub trust_list: u64,
    /// Other requests (unknown paths, unreadable requests).
    pub other: u64,
}

#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    tls_failures: AtomicU64,
    open: AtomicU64,
    restore: AtomicU64,
    close: AtomicU64,
    sign: AtomicU64,
    rights: AtomicU64,
    tokens: AtomicU64,
    trust_list: AtomicU64,
    other: AtomicU64,
    flaky: AtomicU64,
}

struct Shared {
    config: ServerConfig,
    fault: Mutex<Option<Fault>>,
    service: Service,
    tls: Arc<rustls::ServerConfig>,
    tls_unknown_ca: Arc<rustls::ServerConfig>,
    counters: Counters,
    active: AtomicUsize,
    stopping: Mutex<bool>,
    wake: Condvar,
}

/// A running server; stops when dropped.
pub struct OnlineServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    files: PkiFiles,
    acceptor: Option<JoinHandle<()>>,
    next_serial: AtomicU64,
}

impl core::fmt::Debug for OnlineServer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OnlineServer")
            .field("addr", &self.addr)
            .field("fault", &current_fault(&self.shared))
            .finish_non_exhaustive()
    }
}

/// Time of day, as the server's clock.
fn now() -> Timestamp {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl OnlineServer {
    /// Makes the certificates, binds the address and serves in background
    /// threads.
    ///
    /// # Errors
    /// [`Error::HouseholdSize`] with no household or more than 256;
    /// [`Error::Online`] when the certificates cannot be made;
    /// [`Error::OnlineIo`] when the address cannot be bound.
    pub fn start(config: ServerConfig) -> Result<OnlineServer, Error> {
        if config.households.is_empty() || config.households.len() > 256 {
            return Err(Error::HouseholdSize(config.households.len()));
        }
        let pki = tls::Pki::generate(config.require_client_cert)?;
        let service = Service::new(
            &config.seed,
            config.households.clone(),
            config.context_lifetime.as_secs().max(1),
        )?;
        let listener = TcpListener::bind(config.addr).map_err(|e| Error::OnlineIo {
            what: "cannot listen on the address",
            kind: e.kind(),
        })?;
        let addr = listener.local_addr().map_err(|e| Error::OnlineIo {
            what: "no local address",
            kind: e.kind(),
        })?;
        let shared = Arc::new(Shared {
            fault: Mutex::new(config.fault),
            config,
            service,
            tls: pki.normal.clone(),
            tls_unknown_ca: pki.unknown_ca.clone(),
            counters: Counters::default(),
            active: AtomicUsize::new(0),
            stopping: Mutex::new(false),
            wake: Condvar::new(),
        });
        let acceptor = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("vitale-sim-online".into())
                .spawn(move || accept_loop(&listener, &shared))
                .map_err(|e| Error::OnlineIo {
                    what: "cannot start the server thread",
                    kind: e.kind(),
                })?
        };
        Ok(OnlineServer {
            shared,
            addr,
            files: pki.files,
            acceptor: Some(acceptor),
            next_serial: AtomicU64::new(1 << 62),
        })
    }

    /// The base URL, `https://127.0.0.1:PORT` (brackets for IPv6).
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The CA to pin, PEM.
    pub fn ca_pem(&self) -> &str {
        &self.files.ca_pem
    }

    /// The certificate files (the CA; the client certificate and key when
    /// the server asks for one).
    pub fn files(&self) -> &PkiFiles {
        &self.files
    }

    /// The fault mode in force.
    pub fn fault(&self) -> Option<Fault> {
        current_fault(&self.shared)
    }

    /// Changes the fault mode for the connections accepted from now on
    /// (a test opens a context normally, then makes the server fail).
    pub fn set_fault(&self, fault: Option<Fault>) {
        if let Ok(mut current) = self.shared.fault.lock() {
            *current = fault;
        }
    }

    /// Serves `cbor` (a signed trust list, CBOR form) at
    /// `GET /v1/trust-list` from now on, for the trust-list refresher;
    /// `None` answers 404. The faults apply to it like to the other `/v1/`
    /// paths.
    pub fn set_trust_list(&self, cbor: Option<Vec<u8>>) {
        self.shared.service.set_trust_list(cbor);
    }

    /// The token issuer (same key as the server's).
    pub fn token_issuer(&self) -> &TokenIssuer {
        self.shared.service.issuer()
    }

    /// The key the server signs care-sheet hashes with (ES256, `r‖s`).
    ///
    /// # Errors
    /// [`Error::Verify`] only if the key could not be converted.
    pub fn signing_key(&self) -> Result<PublicKey, Error> {
        self.shared.service.signer().public_key()
    }

    /// The households served.
    pub fn households(&self) -> &[Household] {
        self.shared.service.households()
    }

    /// A fresh token for household `household`, valid `lifetime_secs` from
    /// now (the phone's side; serials of this call never meet those of
    /// `vitale sim present`).
    ///
    /// # Errors
    /// [`Error::HouseholdSize`] for an index the server does not serve;
    /// [`Error::TimeOutOfRange`].
    pub fn issue_token(&self, household: usize, lifetime_secs: u64) -> Result<TokenText, Error> {
        if household >= self.households().len() {
            return Err(Error::HouseholdSize(household));
        }
        let household = u8::try_from(household).map_err(|_| Error::HouseholdSize(household))?;
        let expires_at = now()
            .checked_add_secs(lifetime_secs)
            .ok_or(Error::TimeOutOfRange)?;
        let serial = self.next_serial.fetch_add(1, Ordering::Relaxed);
        self.token_issuer().issue(TokenClaims {
            household,
            serial,
            expires_at,
        })
    }

    /// What the server has seen so far.
    pub fn stats(&self) -> Stats {
        let c = &self.shared.counters;
        let get = |a: &AtomicU64| a.load(Ordering::SeqCst);
        Stats {
            connections: get(&c.connections),
            tls_failures: get(&c.tls_failures),
            open: get(&c.open),
            restore: get(&c.restore),
            close: get(&c.close),
            sign: get(&c.sign),
            rights: get(&c.rights),
            tokens: get(&c.tokens),
            trust_list: get(&c.trust_list),
            other: get(&c.other),
        }
    }

    /// Stops accepting, wakes slow answers, and waits (at most 10 s) for
    /// the connections being served.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Ok(mut stopping) = self.shared.stopping.lock() {
            *stopping = true;
        }
        self.shared.wake.notify_all();
        // Wake the blocking accept.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while self.shared.active.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for OnlineServer {
    fn drop(&mut self) {
        if self.acceptor.is_some() {
            self.shutdown();
        }
    }
}

fn current_fault(shared: &Shared) -> Option<Fault> {
    shared.fault.lock().map_or(None, |f| *f)
}

fn stopping(shared: &Shared) -> bool {
    shared.stopping.lock().map_or(true, |s| *s)
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if stopping(shared) {
            return;
        }
        let Ok(stream) = stream else { continue };
        shared.counters.connections.fetch_add(1, Ordering::SeqCst);
        if shared.active.fetch_add(1, Ordering::SeqCst) >= shared.config.max_connections {
            shared.active.fetch_sub(1, Ordering::SeqCst);
            continue;
        }
        let worker = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("vitale-sim-conn".into())
            .spawn(move || {
                serve(stream, &worker);
                worker.active.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            shared.active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Serves one connection: one request, one answer (or a fault).
fn serve(tcp: TcpStream, shared: &Shared) {
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = tcp.set_write_timeout(Some(Duration::from_secs(10)));
    let _ = tcp.set_nodelay(true);
    let fault = current_fault(shared);
    let tls_config = if fault == Some(Fault::UnknownCa) {
        shared.tls_unknown_ca.clone()
    } else {
        shared.tls.clone()
    };
    let Ok(connection) = rustls::ServerConnection::new(tls_config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(connection, tcp);
    let request = match http::read_request(&mut tls) {
        Ok(request) => request,
        Err(ReadError::Io(e)) => {
            let is_tls = e
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some());
            if is_tls || tls.conn.is_handshaking() {
                shared.counters.tls_failures.fetch_add(1, Ordering::SeqCst);
                close_after_tls_failure(tls);
            }
            return;
        }
        Err(ReadError::Bad(status, code)) => {
            shared.counters.other.fetch_add(1, Ordering::SeqCst);
            let _ = http::write_response(&mut tls, &refuse(status, code, "unreadable request"));
            tls.conn.send_close_notify();
            let _ = tls.flush();
            return;
        }
    };
    let operation = Service::operation(&request);
    let c = &shared.counters;
    let counter = match operation {
        Operation::Open => &c.open,
        Operation::Restore => &c.restore,
        Operation::Close => &c.close,
        Operation::Sign => &c.sign,
        Operation::Rights => &c.rights,
        Operation::Token => &c.tokens,
        Operation::TrustList => &c.trust_list,
        Operation::Other => &c.other,
    };
    counter.fetch_add(1, Ordering::SeqCst);
    let faulty = request.path.starts_with("/v1/");
    let fault = fault.filter(|_| faulty);
    match fault {
        Some(Fault::Reset) => {
            // SO_LINGER 0: closing sends RST instead of FIN.
            let _ = socket2::SockRef::from(&tls.sock).set_linger(Some(Duration::ZERO));
            return;
        }
        Some(Fault::Slow) => {
            let Ok(guard) = shared.stopping.lock() else {
                return;
            };
            let waited = shared
                .wake
                .wait_timeout_while(guard, shared.config.slow_delay, |stop| !*stop);
            if waited.is_ok_and(|(stop, _)| *stop) {
                return;
            }
        }
        _ => {}
    }
    let response = match fault {
        Some(Fault::Unavailable) => Some(refuse(503, "unavailable", "simulated outage")),
        Some(Fault::Flaky) => {
            let n = shared.counters.flaky.fetch_add(1, Ordering::SeqCst);
            let cycle = u64::from(shared.config.flaky_failures) + 1;
            (n % cycle < cycle - 1).then(|| refuse(503, "unavailable", "simulated hiccup"))
        }
        Some(Fault::Malformed) => Some(Response {
            status: 200,
            body: br#"{"id": "ctx-1", "valid_until": "#.to_vec(),
        }),
        Some(Fault::Oversized) => Some(Response {
            status: 200,
            body: oversized_body(),
        }),
        _ => None,
    };
    let response = response.unwrap_or_else(|| shared.service.handle(&request, now(), fault));
    if fault == Some(Fault::Truncated) && !response.body.is_empty() {
        let mut bytes = http::head(response.status, response.body.len());
        let half = response.body.len() / 2;
        bytes.extend(response.body.iter().take(half));
        let _ = tls.write_all(&bytes);
        let _ = tls.flush();
        // No close_notify: the peer sees the connection end mid-body.
        return;
    }
    let _ = http::write_response(&mut tls, &response);
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

/// Ends a connection whose TLS failed so that the peer reads why: the
/// alert rustls queued is sent, the write side shut, and what the peer had
/// already sent (a TLS 1.3 client sends its request before the server
/// refuses its missing certificate) read and dropped — closing with unread
/// data would send a reset, which the peer could see before the alert.
fn close_after_tls_failure(mut tls: rustls::StreamOwned<rustls::ServerConnection, TcpStream>) {
    while tls.conn.wants_write() {
        if tls.conn.write_tls(&mut tls.sock).is_err() {
            return;
        }
    }
    let _ = tls.sock.shutdown(std::net::Shutdown::Write);
    let _ = tls.sock.set_read_timeout(Some(Duration::from_secs(2)));
    let mut sink = [0u8; 4096];
    let mut drained = 0usize;
    while drained < 256 * 1024 {
        match std::io::Read::read(&mut tls.sock, &mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

/// A JSON body of 1 MiB.
fn oversized_body() -> Vec<u8> {
    let mut body = br#"{"padding":""#.to_vec();
    body.resize(1024 * 1024, b'x');
    body.extend_from_slice(br#""}"#);
    body
}

#[cfg(test)]
mod tests;
