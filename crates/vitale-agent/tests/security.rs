//! Each security check of `docs/security.md` against the real running
//! agent, over raw HTTP so that every header is the test's: each test
//! fails if its check is removed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::{api, bearer, get, host, post_bytes, read_line, send, sim_line, start};

const ATTACKER: &str = "https://attacker.example";
const BILLING: &str = "https://billing.example";

#[test]
fn a_foreign_host_is_refused_dns_rebinding() {
    let agent = start(|_| {});
    let auth = bearer(&agent);
    let port = agent.addr().port();
    // A page of attacker.example whose name now resolves to 127.0.0.1:
    // same origin for the browser, so no CORS; the Host header tells.
    for bad_host in [
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
        "127.0.0.1".into(),
    ] {
        let r = get(
            &agent,
            "/v1/status",
            &[("Host", &bad_host), ("Authorization", &auth)],
        );
        assert_eq!(
            (r.status, r.kind().as_str()),
            (403, "agent_host_refused"),
            "{bad_host}"
        );
        // The page (and the token in it) is not served either.
        let page = get(&agent, "/", &[("Host", &bad_host)]);
        assert_eq!(page.status, 403);
        assert!(!String::from_utf8_lossy(&page.body).contains(agent.pairing_token()));
    }
    let r = get(&agent, "/v1/status", &[("Authorization", &auth)]);
    assert_eq!(r.kind(), "agent_host_refused", "no Host at all");
    for good in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let r = get(
            &agent,
            "/v1/status",
            &[("Host", &good), ("Authorization", &auth)],
        );
        assert_eq!(r.status, 200, "{good}");
    }
}

#[test]
fn an_origin_not_allowed_is_refused_and_an_allowed_one_gets_cors_headers() {
    let agent = start(|c| c.allowed_origins = vec![BILLING.into()]);
    let host = host(&agent);
    let auth = bearer(&agent);
    let with_origin = |origin: &str| {
        get(
            &agent,
            "/v1/status",
            &[
                ("Host", &host),
                ("Authorization", &auth),
                ("Origin", origin),
            ],
        )
    };
    let r = with_origin(ATTACKER);
    assert_eq!((r.status, r.kind().as_str()), (403, "agent_origin_refused"));
    assert_eq!(r.header("access-control-allow-origin"), None);
    // Even with the token: a stolen token does not let another site in.
    let r = with_origin("null");
    assert_eq!(r.kind(), "agent_origin_refused");
    let r = with_origin(BILLING);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some(BILLING));
    assert_eq!(r.header("vary"), Some("Origin"));
    let own = format!("http://{host}");
    let r = with_origin(&own);
    assert_eq!(r.status, 200, "the agent's own page");
}

#[test]
fn preflights_are_answered_only_for_allowed_origins() {
    let agent = start(|c| c.allowed_origins = vec![BILLING.into()]);
    let host = host(&agent);
    let preflight = |origin: &str| {
        send(
            agent.addr(),
            "OPTIONS",
            "/v1/read/line",
            &[
                ("Host", &host),
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization, content-type",
                ),
                ("Access-Control-Request-Private-Network", "true"),
            ],
            b"",
        )
    };
    let ok = preflight(BILLING);
    assert_eq!(ok.status, 204);
    assert_eq!(ok.header("access-control-allow-origin"), Some(BILLING));
    assert_eq!(
        ok.header("access-control-allow-private-network"),
        Some("true")
    );
    assert!(
        ok.header("access-control-allow-headers")
            .unwrap()
            .contains("authorization")
    );
    assert!(
        ok.header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
    let refused = preflight(ATTACKER);
    assert_eq!(
        (refused.status, refused.kind().as_str()),
        (403, "agent_origin_refused")
    );
    assert_eq!(refused.header("access-control-allow-origin"), None);
    assert_eq!(refused.header("access-control-allow-private-network"), None);
    let no_origin = send(
        agent.addr(),
        "OPTIONS",
        "/v1/status",
        &[("Host", &host)],
        b"",
    );
    assert_eq!(no_origin.status, 403);
    assert_eq!(
        no_origin.header("access-control-allow-private-network"),
        None
    );
}

#[test]
fn the_pairing_token_is_required() {
    let agent = start(|_| {});
    let host = host(&agent);
    let r = get(&agent, "/v1/status", &[("Host", &host)]);
    assert_eq!((r.status, r.kind().as_str()), (401, "agent_unauthorized"));
    let wrong = format!("Bearer {}", "0".repeat(64));
    let r = get(
        &agent,
        "/v1/status",
        &[("Host", &host), ("Authorization", &wrong)],
    );
    assert_eq!(r.kind(), "agent_unauthorized");
    let short = format!("Bearer {}", &agent.pairing_token()[..63]);
    let r = get(
        &agent,
        "/v1/status",
        &[("Host", &host), ("Authorization", &short)],
    );
    assert_eq!(r.kind(), "agent_unauthorized", "a prefix is not the token");
    // The query form is for the events stream only.
    let path = format!("/v1/status?token={}", agent.pairing_token());
    let r = get(&agent, &path, &[("Host", &host)]);
    assert_eq!(r.kind(), "agent_unauthorized");
    let line = br#"{"line": "VT1:X"}"#;
    let r = send(
        agent.addr(),
        "POST",
        "/v1/read/line",
        &[("Host", &host)],
        line,
    );
    assert_eq!(
        r.kind(),
        "agent_unauthorized",
        "nothing is read without the token"
    );
    assert_eq!(api(&agent, "GET", "/v1/status", b"").status, 200);
}

#[test]
fn the_token_is_kept_per_installation_with_owner_only_permissions() {
    let dir = std::env::temp_dir().join(format!("vitale-agent-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let first = {
        let d = dir.clone();
        let agent = start(move |c| c.config_dir = Some(d));
        agent.pairing_token().to_owned()
    };
    let d = dir.clone();
    let agent = start(move |c| c.config_dir = Some(d));
    assert_eq!(agent.pairing_token(), first, "a restart keeps the pairing");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.join("agent-token"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let other = start(|_| {});
    assert_ne!(
        other.pairing_token(),
        first,
        "another installation, another token"
    );
    drop(agent);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let agent = start(|c| {
        c.limits.max_json_bytes = 1024;
        c.limits.max_image_bytes = 4096;
    });
    let big = format!(r#"{{"line": "{}"}}"#, "A".repeat(2000));
    let r = api(&agent, "POST", "/v1/read/line", big.as_bytes());
    assert_eq!((r.status, r.kind().as_str()), (413, "agent_too_large"));
    let image = vec![0u8; 5000];
    let r = post_bytes(&agent, "/v1/read/image", "image/png", &image);
    assert_eq!(r.kind(), "agent_too_large");
    // Just under the limit goes through to the SDK.
    let small = format!(r#"{{"line": "{}"}}"#, "A".repeat(900));
    let r = api(&agent, "POST", "/v1/read/line", small.as_bytes());
    assert_ne!(r.kind(), "agent_too_large");
}

#[test]
fn a_client_over_its_rate_is_refused_with_retry_after() {
    let agent = start(|c| {
        c.limits.rate_per_second = 1;
        c.limits.burst = 3;
    });
    for _ in 0..3 {
        assert_eq!(api(&agent, "GET", "/v1/status", b"").status, 200);
    }
    let r = api(&agent, "GET", "/v1/status", b"");
    assert_eq!((r.status, r.kind().as_str()), (429, "agent_rate_limited"));
    assert_eq!(r.header("retry-after"), Some("1"));
    // Unauthenticated guesses count too: the token cannot be brute-forced fast.
    let host = host(&agent);
    let r = get(&agent, "/v1/status", &[("Host", &host)]);
    assert_eq!(r.kind(), "agent_rate_limited");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(
        api(&agent, "GET", "/v1/status", b"").status,
        200,
        "refilled"
    );
}

#[test]
fn the_agent_listens_on_loopback_only_and_refuses_other_addresses() {
    let agent = start(|_| {});
    assert!(!agent.addrs().is_empty());
    for addr in agent.addrs() {
        assert!(addr.ip().is_loopback(), "{addr}");
        assert_eq!(addr.port(), agent.addr().port());
    }
    for ip in ["0.0.0.0", "::", "192.168.1.10"] {
        let mut config = vitale_agent::Config::simulator();
        config.port = 0;
        config.listen = vec![ip.parse().unwrap()];
        let e = vitale_agent::Agent::start(config).unwrap_err();
        assert_eq!(e.kind(), "agent_not_loopback", "{ip}");
    }
    let e = vitale_agent::Config::from_toml("listen = [\"0.0.0.0\"]").unwrap_err();
    assert_eq!(e.kind(), "agent_not_loopback");
}

#[test]
fn card_ids_are_random() {
    let agent = start(|_| {});
    let mut ids = std::collections::HashSet::new();
    for _ in 0..3 {
        let id = read_line(&agent, &sim_line(&agent)).field("card_id");
        assert_eq!(id.len(), 34);
        assert!(id[2..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(ids.insert(id));
    }
}
