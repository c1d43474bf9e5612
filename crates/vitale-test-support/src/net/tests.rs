use std::io::ErrorKind;
use std::net::{TcpListener, TcpStream};

use super::*;

#[test]
fn connections_are_refused_and_the_port_stays_reserved() {
    let port = RefusedPort::new();
    assert!(port.addr().ip().is_loopback());
    for _ in 0..3 {
        let error = TcpStream::connect(port.addr()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
    }
    // Nobody can listen there meanwhile (std sets SO_REUSEADDR).
    assert!(TcpListener::bind(port.addr()).is_err());
    assert!(TcpListener::bind((Ipv4Addr::UNSPECIFIED, port.addr().port())).is_err());
}
