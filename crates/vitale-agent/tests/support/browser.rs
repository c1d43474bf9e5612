//! Helpers of the browser tests: the agent in simulator mode on a free
//! port, a plain HTTP client for the test's own calls, the fake camera's
//! video, the expected people, and screenshots kept under
//! `target/browser-screenshots/` (CI keeps them as artifacts).
// A failing test explains itself on stderr, as tests do.
#![allow(
    dead_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use vitale::codec::model::SignedPresentation;
use vitale_sim::render::{ClipOptions, RenderOptions, camera_clip, render_qr, write_y4m};
use vitale_test_support::chromium::{Browser, BrowserOptions};

/// Longest wait for one step of the page (agent calls on a busy machine:
/// verification, rights over loopback HTTPS, signing).
pub(crate) const STEP: Duration = Duration::from_secs(60);

/// The agent in simulator mode on a free loopback port, its pairing token
/// in `dir` (not the user's configuration directory).
pub(crate) fn start_agent(dir: &Path) -> vitale_agent::RunningAgent {
    let mut config = vitale_agent::Config::simulator();
    config.port = 0;
    config.config_dir = Some(dir.join("config"));
    vitale_agent::Agent::start(config).expect("the agent starts in simulator mode")
}

/// `GET path` on the agent with its pairing token; the body of a 200.
pub(crate) fn get(addr: SocketAddr, token: &str, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).expect("connect to the agent");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n",
        addr.port()
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers and body");
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "GET {path}: {head}");
    let body = &response[split + 4..];
    if head.contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_vec()
    }
}

/// `GET path` on the agent; the JSON body of a 200.
pub(crate) fn get_json(addr: SocketAddr, token: &str, path: &str) -> Value {
    let body = get(addr, token, path);
    serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("GET {path}: {e}: {}", String::from_utf8_lossy(&body)))
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&body[..end]).expect("a chunk size");
        let size = usize::from_str_radix(size.trim(), 16).expect("a chunk size");
        if size == 0 {
            break;
        }
        let rest = &body[end + 2..];
        out.extend_from_slice(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

/// A fresh `VT1:` line of the simulated household, from the agent.
pub(crate) fn sim_line(agent: &vitale_agent::RunningAgent) -> String {
    let answer = get_json(agent.addr(), agent.pairing_token(), "/v1/sim/line");
    let line = answer["line"].as_str().expect("a line").to_owned();
    assert!(line.starts_with("VT1:"), "{line}");
    line
}

/// The beneficiaries' names as the page shows them (`usual or birth name`
/// then first names), read from the presentation itself (decoded, not
/// verified: what the page must show after the agent verified it).
pub(crate) fn expected_names(line: &str) -> Vec<String> {
    let presentation = SignedPresentation::from_text(line).expect("a presentation");
    presentation
        .presentation()
        .credential()
        .credential()
        .beneficiaries
        .iter()
        .map(|b| {
            let name = b.usual_name().unwrap_or(b.birth_name());
            format!("{} {}", name.as_str(), b.first_names().as_str())
        })
        .collect()
}

/// A temp directory of its own for one test.
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("browser-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the fake camera's video: the phone showing `line`'s QR code
/// entering the view, then steady (640×480, 10 frames a second, 3 s,
/// looped by Chromium).
pub(crate) fn camera_video(line: &str, dir: &Path) -> PathBuf {
    let code = render_qr(line, &RenderOptions::default()).expect("the line renders as a QR code");
    let frames = camera_clip(&code, &ClipOptions::default()).expect("the clip");
    let path = dir.join("camera.y4m");
    write_y4m(&path, &frames, 10).expect("the y4m file");
    path
}

/// Where screenshots go: `target/browser-screenshots/`.
pub(crate) fn screenshot_path(name: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .to_path_buf();
    target
        .join("browser-screenshots")
        .join(format!("{name}.png"))
}

/// A browser on the agent's page; a screenshot `NAME-failed.png` is taken
/// if the test fails while it lives.
pub(crate) struct Desk {
    pub(crate) browser: Browser,
    name: &'static str,
}

impl Desk {
    /// Starts Chromium (with `camera` as its fake camera, if any) and opens
    /// the agent's page, in French, once it has reached the agent.
    pub(crate) fn open(
        agent: &vitale_agent::RunningAgent,
        name: &'static str,
        camera: Option<PathBuf>,
    ) -> Self {
        let mut browser = Browser::launch(&BrowserOptions {
            fake_camera: camera,
            lang: "fr-FR".to_owned(),
            ..BrowserOptions::default()
        });
        browser.navigate(&format!("http://127.0.0.1:{}/", agent.addr().port()));
        browser.wait_for(
            "the page to reach the agent",
            "document.body.getAttribute('data-agent') === 'ready'",
            STEP,
        );
        Self { browser, name }
    }

    /// Writes the final state's screenshot, after checking that the page
    /// threw nothing uncaught and logged no error.
    pub(crate) fn screenshot(&mut self, suffix: &str) {
        // One round trip so that the events sent before it are read.
        self.browser.evaluate("0");
        let errors: Vec<&String> = self
            .browser
            .log()
            .iter()
            .filter(|l| l.starts_with("uncaught") || l.starts_with("console.error"))
            .collect();
        assert!(errors.is_empty(), "the page failed: {errors:?}");
        let path = screenshot_path(&format!("{}{suffix}", self.name));
        self.browser.screenshot(&path);
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let path = screenshot_path(&format!("{}-failed", self.name));
            if let Err(e) = self.browser.try_screenshot(&path) {
                eprintln!("no failure screenshot: {e}");
            } else {
                eprintln!("failure screenshot: {}", path.display());
            }
            eprintln!("page log:\n{}", self.browser.log().join("\n"));
        }
    }
}
