//! Loopback addresses for tests that need "nobody listens here".
//!
//! Binding port 0 and closing the listener frees the port for anyone: a
//! parallel test (or any process) may bind it before the connection is
//! tried, which then succeeds. A well-known port (9, discard) may have a
//! listener on some machines. [`RefusedPort`] instead keeps the port
//! bound, without listening, for as long as it lives.

use std::net::{Ipv4Addr, SocketAddr};

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

/// A loopback TCP address where connections are refused (`ECONNREFUSED`),
/// reserved while this value lives.
///
/// The port is bound by a socket that never listens, without
/// `SO_REUSEADDR`: nobody else can bind it meanwhile, and Linux does not
/// pick it as the source port of an outgoing connection (which could
/// otherwise connect to itself).
///
/// ```
/// use std::net::TcpStream;
/// use vitale_test_support::RefusedPort;
///
/// let port = RefusedPort::new();
/// let error = TcpStream::connect(port.addr()).unwrap_err();
/// assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused);
/// ```
#[derive(Debug)]
pub struct RefusedPort {
    _socket: Socket,
    addr: SocketAddr,
}

impl RefusedPort {
    /// Reserves a free loopback port.
    ///
    /// # Panics
    /// When no socket can be bound (no loopback interface).
    #[must_use]
    pub fn new() -> Self {
        let socket =
            Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).expect("a TCP socket");
        let any_port = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        socket
            .bind(&SockAddr::from(any_port))
            .expect("bind a loopback port");
        let addr = socket
            .local_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .expect("the bound address");
        Self {
            _socket: socket,
            addr,
        }
    }

    /// The address (127.0.0.1 and the reserved port).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Default for RefusedPort {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;
