//! Headless Chromium driven over the Chrome DevTools Protocol (CDP), for
//! the tests of web pages (the agent's reception-desk page).
//!
//! [`Browser::launch`] starts Debian's `chromium` (or the binary named by
//! `VITALE_CHROMIUM`) headless, with a fresh user-data directory and,
//! optionally, a fake camera playing a YUV4MPEG2 file. The protocol runs
//! over `--remote-debugging-pipe` (JSON messages ended by a NUL byte on the
//! browser's file descriptors 3 and 4): no debugging port to find or race
//! for, and nobody else can connect. The browser is stopped when the value
//! is dropped (`Browser.close`, then SIGTERM and SIGKILL by its PID).
//!
//! Chromium missing is a test failure with a message, never a skip.
//!
//! ```no_run
//! use std::time::Duration;
//! use vitale_test_support::chromium::{Browser, BrowserOptions};
//!
//! let mut browser = Browser::launch(&BrowserOptions::default());
//! browser.navigate("data:text/html,<p id=x>hello</p>");
//! browser.wait_for_text("#x", "hello", Duration::from_secs(10));
//! assert_eq!(browser.evaluate("1 + 1"), serde_json::json!(2));
//! browser.screenshot(std::path::Path::new("/tmp/hello.png"));
//! ```
//!
//! The protocol: <https://chromedevtools.github.io/devtools-protocol/>.

// `value["key"]` on a serde_json value never panics when reading (a
// missing key or a non-object gives `Null`); the one write indexes an object
// built just before.
#![allow(clippy::indexing_slicing)]

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::ChildGuard;
use plumbing::{read_messages, remote_text, running_as_root, unique_dir};

/// Longest wait for the answer to one protocol command.
const COMMAND_LIMIT: Duration = Duration::from_secs(30);
/// How often [`Browser::wait_for`] evaluates its condition.
const POLL: Duration = Duration::from_millis(100);
/// Largest protocol message read (a full-page screenshot stays far below).
const MAX_MESSAGE: usize = 64 * 1024 * 1024;
/// Tallest screenshot, in CSS pixels (a runaway page stays bounded).
const MAX_SHOT_HEIGHT: f64 = 8000.0;
/// Console lines and page errors kept for failure messages.
const MAX_LOG: usize = 200;

/// How to start the browser.
#[derive(Debug, Clone)]
pub struct BrowserOptions {
    /// A YUV4MPEG2 file the fake camera plays (in a loop) to
    /// `getUserMedia`; without one, the fake camera shows Chromium's own
    /// test pattern.
    pub fake_camera: Option<PathBuf>,
    /// Window size in CSS pixels (screenshots are this wide, and as tall as the page).
    pub window: (u32, u32),
    /// The browser's UI language (`--lang`, `navigator.language`).
    pub lang: String,
    /// More command-line switches.
    pub extra_args: Vec<String>,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        Self {
            fake_camera: None,
            window: (1280, 1024),
            lang: "en-US".to_owned(),
            extra_args: Vec::new(),
        }
    }
}

/// A headless Chromium with one page attached, stopped on drop.
pub struct Browser {
    // Field order: the pipe closes before the guard stops the process.
    to_browser: ChildStdin,
    from_browser: Receiver<Value>,
    session: String,
    next_id: u64,
    log: Vec<String>,
    child: ChildGuard,
    user_data_dir: PathBuf,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("pid", &self.child.pid())
            .field("user_data_dir", &self.user_data_dir)
            .finish_non_exhaustive()
    }
}

/// The Chromium binary: `VITALE_CHROMIUM`, else the first of `chromium`,
/// `chromium-browser`, `google-chrome` on `PATH`.
///
/// # Panics
/// When none is found: the browser tests must not pass without a browser.
#[must_use]
pub fn chromium_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("VITALE_CHROMIUM") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "chromium not found on PATH (nor VITALE_CHROMIUM): the browser tests need it; \
         install Debian's `chromium` and `fonts-dejavu-core` (scripts/test-all does)"
    );
}

impl Browser {
    /// Starts the browser and opens a blank page.
    ///
    /// # Panics
    /// When Chromium is missing, does not start, or does not answer.
    #[must_use]
    pub fn launch(options: &BrowserOptions) -> Self {
        let binary = chromium_binary();
        let user_data_dir = unique_dir();
        std::fs::create_dir_all(&user_data_dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", user_data_dir.display()));
        let log_path = user_data_dir.join("chromium-stderr.log");
        let log = File::create(&log_path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log_path.display()));
        let mut args = vec![
            "--headless".to_owned(),
            "--remote-debugging-pipe".to_owned(),
            format!("--user-data-dir={}", user_data_dir.display()),
            format!("--window-size={},{}", options.window.0, options.window.1),
            format!("--lang={}", options.lang),
            format!("--accept-lang={}", options.lang),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--mute-audio".to_owned(),
            // Camera: granted without a prompt, played from a file.
            "--use-fake-ui-for-media-stream".to_owned(),
            "--use-fake-device-for-media-stream".to_owned(),
        ];
        if let Some(file) = &options.fake_camera {
            args.push(format!(
                "--use-file-for-fake-video-capture={}",
                file.display()
            ));
        }
        if running_as_root() {
            // Chromium's sandbox refuses to run as root.
            args.push("--no-sandbox".to_owned());
        }
        args.extend(options.extra_args.iter().cloned());
        args.push("about:blank".to_owned());
        // The pipe protocol reads fd 3 and writes fd 4: the shell hands our
        // stdin and stdout pipes over as those, then execs (same PID).
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
            .arg(&binary)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let (Some(to_browser), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            panic!("chromium's pipes were not opened");
        };
        let from_browser = read_messages(stdout);
        let mut browser = Self {
            to_browser,
            from_browser,
            session: String::new(),
            next_id: 0,
            log: Vec::new(),
            child: ChildGuard::new(child, "chromium"),
            user_data_dir,
        };
        let target = browser.browser_call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap_or_default().to_owned();
        let attached = browser.browser_call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session for the page: {attached}"))
            .to_owned();
        browser.call("Page.enable", json!({}));
        browser.call("Runtime.enable", json!({}));
        // Headless Chromium ignores `--lang` for `navigator.language`.
        browser.call(
            "Emulation.setLocaleOverride",
            json!({"locale": options.lang}),
        );
        browser
    }

    /// The browser's process id.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.child.pid()
    }

    /// Console messages, uncaught exceptions and failed loads of the page
    /// so far (the last 200), for failure messages.
    #[must_use]
    pub fn log(&self) -> &[String] {
        &self.log
    }

    /// Sends a command to the page's session and returns its `result`.
    ///
    /// # Panics
    /// When the browser answers an error, or nothing within 30 s.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.send(method, params, Some(&session))
    }

    /// Sends a browser-level command (no session).
    fn browser_call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, None)
    }

    fn send(&mut self, method: &str, params: Value, session: Option<&str>) -> Value {
        match self.try_send(method, params, session) {
            Ok(result) => result,
            Err(message) => panic!("{message}{}", self.tail()),
        }
    }

    /// Sends a command and waits for its answer, without panicking (for
    /// use while a test is already failing).
    fn try_send(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = Value::String(session.to_owned());
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        self.to_browser
            .write_all(&bytes)
            .map_err(|e| format!("{method}: cannot write to chromium: {e}"))?;
        let deadline = Instant::now() + COMMAND_LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.from_browser.recv_timeout(left) {
                Ok(answer) if answer["id"].as_u64() == Some(id) => {
                    if let Some(error) = answer.get("error") {
                        return Err(format!("{method} failed: {error}"));
                    }
                    return Ok(answer.get("result").cloned().unwrap_or(Value::Null));
                }
                Ok(event) => self.record(&event),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "{method}: no answer from chromium in {COMMAND_LIMIT:?}"
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!("{method}: chromium closed its pipe"));
                }
            }
        }
    }

    /// Keeps what a failure message needs from an event.
    fn record(&mut self, event: &Value) {
        let params = &event["params"];
        let line = match event["method"].as_str() {
            Some("Runtime.consoleAPICalled") => {
                let args: Vec<String> = params["args"]
                    .as_array()
                    .map(|a| a.iter().map(remote_text).collect())
                    .unwrap_or_default();
                format!(
                    "console.{}: {}",
                    params["type"].as_str().unwrap_or("log"),
                    args.join(" ")
                )
            }
            Some("Runtime.exceptionThrown") => {
                let details = &params["exceptionDetails"];
                let text = details["exception"]["description"]
                    .as_str()
                    .or_else(|| details["text"].as_str())
                    .unwrap_or("?");
                format!("uncaught: {text}")
            }
            _ => return,
        };
        if self.log.len() >= MAX_LOG {
            self.log.remove(0);
        }
        self.log.push(line);
    }

    /// The page's log and the end of chromium's stderr, for a panic message.
    fn tail(&self) -> String {
        let stderr = std::fs::read_to_string(self.user_data_dir.join("chromium-stderr.log"))
            .unwrap_or_default();
        let lines: Vec<&str> = stderr.lines().collect();
        let last = lines
            .get(lines.len().saturating_sub(20)..)
            .unwrap_or_default();
        format!(
            "\n--- page log ---\n{}\n--- chromium stderr (end) ---\n{}",
            self.log.join("\n"),
            last.join("\n")
        )
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask first; the guard then stops it by its PID if it is still there.
        let close = json!({"id": u64::MAX, "method": "Browser.close", "params": {}});
        let mut bytes = close.to_string().into_bytes();
        bytes.push(0);
        if self.to_browser.write_all(&bytes).is_ok() {
            let _ = self.child.wait_bounded(Duration::from_secs(5));
        }
        self.child.stop();
        // Chromium's helper processes may still write a file or two while
        // they exit: retry for a moment. Best effort: a leftover directory
        // in the temp dir harms nobody.
        for _ in 0..20 {
            let _ = std::fs::remove_dir_all(&self.user_data_dir);
            if !self.user_data_dir.exists() {
                break;
            }
            thread::sleep(POLL);
        }
    }
}

/// `text` as a JavaScript string literal.
#[must_use]
pub fn js_string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

mod page;
mod plumbing;
#[cfg(test)]
mod tests;
