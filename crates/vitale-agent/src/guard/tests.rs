use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::*;

#[test]
fn only_the_agents_own_host_names_pass() {
    for ok in [
        "127.0.0.1:7817",
        "localhost:7817",
        "LocalHost:7817",
        "[::1]:7817",
    ] {
        assert!(host_allowed(Some(ok.as_bytes()), 7817), "{ok}");
    }
    for bad in [
        "attacker.example:7817",
        "127.0.0.1",
        "127.0.0.1:7818",
        "127.0.0.1:+7817",
        "localhost.attacker.example:7817",
        "127.0.0.1.nip.io:7817",
        "0.0.0.0:7817",
        "[::ffff:127.0.0.1]:7817",
        "",
    ] {
        assert!(!host_allowed(Some(bad.as_bytes()), 7817), "{bad}");
    }
    assert!(!host_allowed(None, 7817));
    assert!(!host_allowed(Some(b"\xff:7817"), 7817));
}

#[test]
fn origins_are_compared_exactly() {
    let allowed = vec!["https://billing.example".to_owned()];
    assert!(origin_allowed(b"http://127.0.0.1:7817", 7817, &allowed));
    assert!(origin_allowed(b"http://localhost:7817", 7817, &allowed));
    assert!(origin_allowed(b"https://billing.example", 7817, &allowed));
    for bad in [
        "https://billing.example.attacker.example",
        "https://billing.example:443",
        "http://billing.example",
        "https://attacker.example",
        "null",
        "http://127.0.0.1:7818",
        "",
    ] {
        assert!(!origin_allowed(bad.as_bytes(), 7817, &allowed), "{bad}");
    }
}

#[test]
fn the_bucket_empties_then_refills() {
    let limiter = RateLimiter::new(2, 3);
    let peer = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let t0 = Instant::now();
    for _ in 0..3 {
        limiter.take(peer, None, t0).unwrap();
    }
    assert_eq!(limiter.take(peer, None, t0), Err(1));
    // Another client has its own bucket.
    limiter
        .take(peer, Some(b"https://billing.example"), t0)
        .unwrap();
    // Half a second refills one request at 2 per second.
    limiter
        .take(peer, None, t0 + Duration::from_millis(500))
        .unwrap();
    assert!(
        limiter
            .take(peer, None, t0 + Duration::from_millis(500))
            .is_err()
    );
    // Never beyond the burst.
    let later = t0 + Duration::from_secs(3600);
    for _ in 0..3 {
        limiter.take(peer, None, later).unwrap();
    }
    assert!(limiter.take(peer, None, later).is_err());
}

#[test]
fn the_client_table_is_bounded() {
    let limiter = RateLimiter::new(1, 1);
    let peer = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let now = Instant::now();
    for i in 0..(RateLimiter::MAX_CLIENTS * 3) {
        let _ = limiter.take(peer, Some(format!("https://o{i}.example").as_bytes()), now);
    }
    assert!(limiter.buckets.lock().unwrap().len() <= RateLimiter::MAX_CLIENTS);
}

proptest! {
    #[test]
    fn any_host_header_is_judged_without_panic(host in proptest::collection::vec(any::<u8>(), 0..64), port in any::<u16>()) {
        let ok = host_allowed(Some(&host), port);
        if ok {
            let text = core::str::from_utf8(&host).unwrap();
            let suffix = format!(":{}", port);
            prop_assert!(text.ends_with(&suffix));
        }
    }
}
