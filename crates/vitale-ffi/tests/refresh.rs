//! The trust-list refresher through the C ABI against the simulator's real
//! HTTPS server on loopback (`GET /v1/trust-list`): a newer list installed
//! and kept on disk, an unchanged one, a rollback and an unreachable
//! server refused with the list in force kept, the kept list restored
//! after a restart, the status JSON, and the background refresh started
//! and stopped.
#![allow(
    unsafe_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks
)]

mod common;

use std::time::{Duration, Instant};

use common::ffi::{
    NOW, c, json_result, last_kind, now, online_server, scratch, take_json, terminal_with,
};
use vitale::codec::model::Timestamp;
use vitale_ffi::*;
use vitale_sim::online::{Fault, OnlineServer};
use vitale_sim::{Scenario, Seed};

fn list(s: &Scenario, sequence: u64) -> Vec<u8> {
    s.issuer
        .trust_list_cbor(
            sequence,
            Timestamp::from_unix(NOW - 3_600).unwrap(),
            Timestamp::from_unix(NOW + 86_400).unwrap(),
        )
        .unwrap()
}

fn refresher(
    t: *const VitaleTerminal,
    server: &OnlineServer,
    cache: &std::path::Path,
) -> *mut VitaleTrustRefresher {
    let config = serde_json::json!({
        "url": server.url(),
        "ca_pem": server.ca_pem(),
        "cache_file": cache.display().to_string(),
        "stale_after_secs": 3600,
    });
    let config = c(&config.to_string());
    let mut r = std::ptr::null_mut();
    let status = unsafe { vitale_trust_refresher_new(t, config.as_ptr(), &mut r) };
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    r
}

fn call(
    f: unsafe extern "C" fn(
        *const VitaleTrustRefresher,
        *mut *mut std::os::raw::c_char,
    ) -> VitaleStatus,
    r: *const VitaleTrustRefresher,
) -> (VitaleStatus, Option<serde_json::Value>) {
    let mut json = std::ptr::null_mut();
    let status = unsafe { f(r, &mut json) };
    json_result(status, json)
}

fn sequence(t: *const VitaleTerminal) -> u64 {
    let mut json = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_terminal_trust_list_info(t, &mut json) },
        VitaleStatus::Ok
    );
    take_json(json)["sequence"].as_u64().unwrap()
}

#[test]
fn a_terminal_list_is_refreshed_from_the_simulator_over_https() {
    let s = Scenario::new(Seed::from_u64(81), 1, now()).unwrap();
    let server = online_server(81, &s);
    let dir = scratch("refresh");
    let cache = dir.join("trust-list.cbor");
    let first = list(&s, 1);
    let t = terminal_with(&s, &first);
    let r = refresher(t, &server, &cache);

    // Nothing kept yet.
    let (status, restored) = call(vitale_trust_refresher_restore, r);
    assert_eq!(status, VitaleStatus::Ok);
    assert_eq!(restored.unwrap(), serde_json::json!({"restored": null}));
    let (_, st) = call(vitale_trust_refresher_status, r);
    let st = st.unwrap();
    assert_eq!(st["sequence"], 1);
    assert_eq!(st["last_success"], serde_json::Value::Null);
    assert_eq!(st["running"], false);

    // A newer list is served: installed and kept on disk.
    server.set_trust_list(Some(list(&s, 3)));
    let (status, outcome) = call(vitale_trust_refresher_refresh, r);
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    assert_eq!(
        outcome.unwrap(),
        serde_json::json!({"outcome": "updated", "from": 1, "to": 3})
    );
    assert_eq!(sequence(t), 3);
    assert_eq!(std::fs::read(&cache).unwrap(), list(&s, 3));
    let (status, outcome) = call(vitale_trust_refresher_refresh, r);
    assert_eq!(status, VitaleStatus::Ok);
    assert_eq!(
        outcome.unwrap(),
        serde_json::json!({"outcome": "unchanged", "sequence": 3})
    );
    let (_, st) = call(vitale_trust_refresher_status, r);
    let st = st.unwrap();
    assert_eq!(st["sequence"], 3);
    assert_eq!(st["last_failure"], serde_json::Value::Null);
    assert_eq!(st["stale"], false);
    assert!(st["last_success"].is_string(), "{st}");

    // A rollback is refused; the list in force stays.
    server.set_trust_list(Some(list(&s, 2)));
    let (status, _) = call(vitale_trust_refresher_refresh, r);
    assert_eq!(status, VitaleStatus::TrustListStaleSequence);
    assert_eq!(sequence(t), 3);
    // A list from another root is refused.
    let stranger = Scenario::new(Seed::from_u64(82), 1, now()).unwrap();
    server.set_trust_list(Some(list(&stranger, 9)));
    let (status, _) = call(vitale_trust_refresher_refresh, r);
    assert_eq!(
        status,
        VitaleStatus::TrustListBadRootSignature,
        "{}",
        last_kind()
    );
    // An unreachable service.
    server.set_fault(Some(Fault::Unavailable));
    let (status, _) = call(vitale_trust_refresher_refresh, r);
    assert_eq!(status, VitaleStatus::TrustListUnavailable);
    assert_eq!(last_kind(), "trust_list_unavailable");
    let (_, st) = call(vitale_trust_refresher_status, r);
    assert_eq!(st.unwrap()["last_failure"], "trust_list_unavailable");
    assert_eq!(sequence(t), 3);
    server.set_fault(None);
    server.set_trust_list(Some(list(&s, 3)));

    // The background refresh: started, reported running, stopped.
    assert_eq!(
        unsafe { vitale_trust_refresher_start(r, 5) },
        VitaleStatus::InvalidArgument
    );
    assert_eq!(
        unsafe { vitale_trust_refresher_start(r, 3600) },
        VitaleStatus::Ok
    );
    let limit = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, st) = call(vitale_trust_refresher_status, r);
        let st = st.unwrap();
        assert_eq!(st["running"], true);
        if st["last_failure"].is_null() {
            break;
        }
        assert!(
            Instant::now() < limit,
            "the background refresh never succeeded: {st}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(unsafe { vitale_trust_refresher_stop(r) }, VitaleStatus::Ok);
    let (_, st) = call(vitale_trust_refresher_status, r);
    assert_eq!(st.unwrap()["running"], false);

    // The terminal may go first: the refresher keeps it.
    unsafe { vitale_terminal_free(t) };
    let (status, _) = call(vitale_trust_refresher_refresh, r);
    assert_eq!(status, VitaleStatus::Ok);
    unsafe { vitale_trust_refresher_free(r) };

    // A restart with the older list: the kept one comes back.
    let t = terminal_with(&s, &first);
    let r = refresher(t, &server, &cache);
    let (status, restored) = call(vitale_trust_refresher_restore, r);
    assert_eq!(status, VitaleStatus::Ok, "{}", last_kind());
    assert_eq!(restored.unwrap(), serde_json::json!({"restored": 3}));
    assert_eq!(sequence(t), 3);
    unsafe {
        vitale_trust_refresher_free(r);
        vitale_terminal_free(t);
    }

    // Configurations refused.
    let t = terminal_with(&s, &first);
    for config in [
        "{}".to_owned(),
        serde_json::json!({"url": "ftp://x", "ca_pem": server.ca_pem(), "cache_file": "x"}).to_string(),
        serde_json::json!({"url": server.url(), "ca_pem": "nope", "cache_file": "x"}).to_string(),
        serde_json::json!({"url": server.url(), "ca_pem": server.ca_pem(), "cache_file": "x", "path": "v1"}).to_string(),
    ] {
        let config = c(&config);
        let mut r = std::ptr::null_mut();
        let status = unsafe { vitale_trust_refresher_new(t, config.as_ptr(), &mut r) };
        assert_eq!(status, VitaleStatus::InvalidOptions);
        assert!(r.is_null());
    }
    unsafe { vitale_terminal_free(t) };
    server.stop();
}
