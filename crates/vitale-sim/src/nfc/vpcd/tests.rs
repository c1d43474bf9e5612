#![allow(clippy::unwrap_used)]

use std::net::TcpListener;

use super::*;

/// A connected pair: the card side and the raw peer.
fn pair() -> (VpcdConnection, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let conn = VpcdConnection::connect(listener.local_addr().unwrap()).unwrap();
    let (peer, _) = listener.accept().unwrap();
    (conn, peer)
}

#[test]
fn frames_are_cut_from_the_buffer() {
    let mut frames = VpcdFrames::new();
    frames.push(&[0x00, 0x01, 0x04, 0x00, 0x02, 0xAA]);
    assert_eq!(frames.next_frame(), Some(vec![0x04]));
    assert_eq!(frames.next_frame(), None);
    frames.push(&[0xBB]);
    assert_eq!(frames.next_frame(), Some(vec![0xAA, 0xBB]));
    assert_eq!(frames.pending(), 0);
    frames.push(&[0x00, 0x00]);
    assert_eq!(frames.next_frame(), Some(Vec::new()));
    // A length byte alone, then the rest of a long frame in pieces.
    frames.push(&[0x01]);
    assert_eq!(frames.next_frame(), None);
    frames.push(&[0x00]);
    for _ in 0..255 {
        frames.push(&[0x5A]);
        assert_eq!(frames.next_frame(), None);
    }
    frames.push(&[0x5A]);
    assert_eq!(frames.next_frame(), Some(vec![0x5A; 256]));
    assert_eq!(frames.pending(), 0);
}

#[test]
fn a_frame_is_written_in_one_piece() {
    let (mut conn, mut peer) = pair();
    conn.write_frame(&[0x90, 0x00]).unwrap();
    let mut got = [0; 4];
    peer.read_exact(&mut got).unwrap();
    assert_eq!(got, [0x00, 0x02, 0x90, 0x00]);
    assert!(conn.stream.nodelay().unwrap());
}

#[test]
fn the_peer_closing_is_reported_as_closed() {
    let (mut conn, peer) = pair();
    drop(peer);
    let stop = AtomicBool::new(false);
    assert!(matches!(conn.read_frame(&stop), Err(Error::Closed)));
    assert!(matches!(
        io_error(io::Error::from(io::ErrorKind::BrokenPipe)),
        Error::Closed
    ));
    assert!(matches!(
        io_error(io::Error::from(io::ErrorKind::PermissionDenied)),
        Error::Io(_)
    ));
}

#[test]
fn sleeping_stops_when_cancelled() {
    assert!(sleep_unless(Duration::from_millis(1), &|| false));
    assert!(!sleep_unless(Duration::from_secs(3600), &|| true));
}
