use super::*;

#[test]
fn port_pairs_are_free_distinct_and_below_the_ephemeral_range() {
    let a = free_port_pair();
    let b = free_port_pair();
    assert_ne!(a, b);
    for port in [a, b] {
        assert!((PORT_MIN..PORT_MAX - 1).contains(&port), "{port}");
        assert_eq!(port % 2, 0);
    }
}

/// vpcd's port taken between the check and the daemon's start: the
/// daemon runs without its readers and says so, and `start` moves on.
#[cfg(feature = "pcscd")]
#[test]
fn a_daemon_whose_vpcd_port_is_taken_is_replaced() {
    for taken in [0, 1] {
        let port = free_port_pair();
        let _taken = TcpListener::bind((Ipv4Addr::UNSPECIFIED, port + taken)).unwrap();
        let failed = Pcscd::start_once(true, port);
        assert!(failed.log().contains(READER_FAILED), "{}", failed.log());
        drop(failed);
        let mut pairs = [port, free_port_pair()].into_iter();
        let pcscd = Pcscd::start_on(true, || pairs.next().unwrap());
        assert_ne!(pcscd.port, port);
        assert!(!pcscd.log().contains(READER_FAILED), "{}", pcscd.log());
        assert_eq!(pcscd.log().matches("Waiting for virtual ICC").count(), 2);
    }
    let pcscd = Pcscd::start(true);
    assert!(!pcscd.log().contains(READER_FAILED), "{}", pcscd.log());
    assert_eq!(pcscd.log().matches("Waiting for virtual ICC").count(), 2);
}

#[test]
fn tail_keeps_the_last_lines() {
    assert_eq!(tail("a\nb\nc", 2), "b\nc");
    assert_eq!(tail("a", 5), "a");
    assert_eq!(tail("", 5), "");
}
