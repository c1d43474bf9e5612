//! What the agent's test binaries share: raw HTTP/1.1 over a TcpStream, so
//! every header is the test's own; a simulator agent on a free port with a
//! private configuration directory, or an agent configured from files; the
//! calls a page makes (a simulator line, a line read, a JSON or image
//! post). Submodules: [`sse`], the events stream read as it comes;
//! [`browser`], the reception-desk page in headless Chromium.
// Each test binary uses part of it; a failing test explains itself on
// stderr, as tests do.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

pub mod browser;
pub mod sse;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use vitale_agent::{Agent, Config, RunningAgent};
use vitale_sim::Scenario;

/// A simulator agent on a free port; `adjust` changes its configuration.
pub fn start(adjust: impl FnOnce(&mut Config)) -> RunningAgent {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "vitale-agent-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = Config::simulator();
    config.port = 0;
    config.config_dir = Some(dir);
    adjust(&mut config);
    Agent::start(config).expect("agent starts")
}

/// A parsed answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text, for assertion messages.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The answer of a call that must succeed: status 200 (the body in
    /// the failure message).
    pub fn ok(self) -> Reply {
        assert_eq!(self.status, 200, "{}", self.text());
        self
    }

    /// The top-level text field `name` of a JSON answer (`card_id`,
    /// `job`, `line`), which must be there.
    pub fn field(&self, name: &str) -> String {
        let json = self.json();
        json[name]
            .as_str()
            .unwrap_or_else(|| panic!("no text {name:?} in {json}"))
            .to_owned()
    }

    /// The error kind of an error answer.
    pub fn kind(&self) -> String {
        self.json()["error"]["kind"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

/// Sends `raw` bytes as they are and reads the answer to the end.
pub fn send_raw(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(raw).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

/// A request with the given headers (`Connection: close` and
/// `Content-Length` added).
pub fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut raw = format!("{method} {path} HTTP/1.1\r\n");
    for (n, v) in headers {
        raw.push_str(&format!("{n}: {v}\r\n"));
    }
    raw.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    send_raw(addr, &raw)
}

/// A request as the agent's own page makes it: right Host, the token.
pub fn api(agent: &RunningAgent, method: &str, path: &str, body: &[u8]) -> Reply {
    let host = host(agent);
    let auth = format!("Bearer {}", agent.pairing_token());
    let mut headers = vec![("Host", host.as_str()), ("Authorization", auth.as_str())];
    if method == "POST" {
        headers.push(("Content-Type", "application/json"));
    }
    send(agent.addr(), method, path, &headers, body)
}

/// The `Host` header the agent's own page sends.
pub fn host(agent: &RunningAgent) -> String {
    format!("127.0.0.1:{}", agent.addr().port())
}

/// The `Authorization` header with the agent's pairing token.
pub fn bearer(agent: &RunningAgent) -> String {
    format!("Bearer {}", agent.pairing_token())
}

/// `GET path` with exactly `headers` (nothing added but
/// `Connection: close`).
pub fn get(agent: &RunningAgent, path: &str, headers: &[(&str, &str)]) -> Reply {
    send(agent.addr(), "GET", path, headers, b"")
}

/// `POST path` with `value` as its JSON body, as the page does.
pub fn post_json(agent: &RunningAgent, path: &str, value: &serde_json::Value) -> Reply {
    api(agent, "POST", path, value.to_string().as_bytes())
}

/// `POST path` of `body` as `content_type` (an image, a camera frame),
/// with the right Host and the token.
pub fn post_bytes(agent: &RunningAgent, path: &str, content_type: &str, body: &[u8]) -> Reply {
    let host = host(agent);
    let auth = bearer(agent);
    let headers = [
        ("Host", host.as_str()),
        ("Authorization", auth.as_str()),
        ("Content-Type", content_type),
    ];
    send(agent.addr(), "POST", path, &headers, body)
}

/// A fresh `VT1:` line of the simulated household (`GET /v1/sim/line`).
pub fn sim_line(agent: &RunningAgent) -> String {
    api(agent, "GET", "/v1/sim/line", b"").field("line")
}

/// `POST /v1/read/line` of `line`.
pub fn read_line(agent: &RunningAgent, line: &str) -> Reply {
    post_json(agent, "/v1/read/line", &serde_json::json!({ "line": line }))
}

/// `GET /v1/nfc/events` of `job` read to its end, as `EventSource` asks:
/// no header but Host, the token in the query.
pub fn events_by_query(agent: &RunningAgent, job: &str) -> Reply {
    let path = format!("/v1/nfc/events?job={job}&token={}", agent.pairing_token());
    get(agent, &path, &[("Host", host(agent).as_str())])
}

/// Writes `scenario`'s trust list and pinned root in `dir`, and an
/// `agent.toml` that reads them, keeps its state in `dir` and adds
/// `extra` (TOML lines).
pub fn write_config(dir: &Path, scenario: &Scenario, extra: &str) {
    std::fs::write(dir.join("trust-list.cbor"), &scenario.trust_list).unwrap();
    std::fs::write(
        dir.join("root.spki.der"),
        scenario.anchor.public_key().to_spki_der(),
    )
    .unwrap();
    let toml = format!(
        r#"
        port = 0
        config_dir = "{d}"
        trust_list_file = "{d}/trust-list.cbor"
        pinned_root_file = "{d}/root.spki.der"
        {extra}
        "#,
        d = dir.display(),
    );
    std::fs::write(dir.join("agent.toml"), &toml).unwrap();
}

/// An agent started from `dir`'s `agent.toml` (see [`write_config`]).
pub fn start_configured(dir: &Path) -> RunningAgent {
    Agent::start(Config::load(&dir.join("agent.toml")).unwrap()).unwrap()
}

/// A fresh, empty directory under the system's temp directory, removed
/// when dropped (after the agents declared after it have stopped).
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("vitale-agent-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn parse(bytes: &[u8]) -> Reply {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head: {}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = bytes[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}
