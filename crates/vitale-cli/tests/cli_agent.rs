//! `vitale agent`: the pairing token printed and kept, and the simulator
//! defaults serving the API with no configuration (a replayed line
//! refused), over raw HTTP.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vitale_test_support::process::ChildGuard;

const BIN: &str = env!("CARGO_BIN_EXE_vitale");

fn home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vitale-cli-agent-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn print_token(config_home: &Path) -> String {
    let out = Command::new(BIN)
        .args(["agent", "--print-token"])
        .env("XDG_CONFIG_HOME", config_home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn print_token_creates_the_token_once_with_owner_only_permissions() {
    let dir = home("token");
    let token = print_token(&dir);
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(print_token(&dir), token, "the installation keeps it");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.join("vitale/agent-token"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_ne!(print_token(&home("token-other")), token);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn request(
    port: u16,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> (u16, serde_json::Value) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.split(' ').nth(1).unwrap().parse().unwrap();
    let json = answer.split("\r\n\r\n").nth(1).unwrap();
    (status, serde_json::from_str(json).unwrap())
}

#[test]
fn the_agent_runs_on_the_simulator_with_no_configuration() {
    let dir = home("serve");
    let token = print_token(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _agent = ChildGuard::spawn(
        Command::new(BIN)
            .args(["agent", "--port", &port.to_string()])
            .env("XDG_CONFIG_HOME", &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "vitale agent",
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the agent did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, s) = request(port, "GET", "/v1/status", &token, "");
    assert_eq!(status, 200);
    assert_eq!(s["simulator"], true);
    let (_, line) = request(port, "GET", "/v1/sim/line", &token, "");
    let body = serde_json::json!({"line": line["line"]}).to_string();
    let (status, card) = request(port, "POST", "/v1/read/line", &token, &body);
    assert_eq!(status, 200, "{card}");
    assert!(card["card_id"].as_str().unwrap().starts_with("c-"));
    let (status, replay) = request(port, "POST", "/v1/read/line", &token, &body);
    assert_eq!(
        (status, replay["error"]["kind"].as_str()),
        (422, Some("replay"))
    );
    let (status, _) = request(port, "GET", "/v1/status", &"0".repeat(64), "");
    assert_eq!(status, 401);
}
