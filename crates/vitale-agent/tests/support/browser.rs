//! Helpers of the browser tests: the agent in simulator mode on a free
//! port with a directory of its own, the fake camera's video, the expected
//! people, the page driven as a desk does (a line typed, a script's value
//! checked), and screenshots kept under `target/browser-screenshots/` (CI
//! keeps them as artifacts).

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
pub(crate) fn get(agent: &vitale_agent::RunningAgent, path: &str) -> Vec<u8> {
    super::api(agent, "GET", path, b"").ok().body
}

/// A fresh `VT1:` line of the simulated household, from the agent.
pub(crate) fn sim_line(agent: &vitale_agent::RunningAgent) -> String {
    let line = super::sim_line(agent);
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

/// One test's agent (simulator mode) and its directory, named for the
/// test's screenshots.
pub(crate) struct Scene {
    pub(crate) dir: PathBuf,
    pub(crate) agent: vitale_agent::RunningAgent,
    name: &'static str,
}

impl Scene {
    /// A directory of its own and the agent on a free port.
    pub(crate) fn start(name: &'static str) -> Self {
        let dir = temp_dir(name);
        let agent = start_agent(&dir);
        Self { dir, agent, name }
    }

    /// The agent's page in Chromium (`camera`: its fake camera's video).
    pub(crate) fn desk(&self, camera: Option<PathBuf>) -> Desk {
        Desk::open(&self.agent, self.name, camera)
    }

    /// Stops the agent and removes the directory (the test passed).
    pub(crate) fn end(self) {
        self.agent.shutdown();
        std::fs::remove_dir_all(self.dir).unwrap();
    }
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

    /// Types `line` in the focused field, then Enter, as a scanner does.
    pub(crate) fn type_line(&mut self, line: &str) {
        self.browser.insert_text(line);
        self.browser.press_key("Enter");
    }

    /// Checks the value of the page's script `expression`.
    pub(crate) fn assert_js(&mut self, expression: &str, expected: Value) {
        assert_eq!(self.browser.evaluate(expression), expected, "{expression}");
    }

    /// The final state's screenshot (see [`Desk::screenshot`]), then the
    /// browser stopped.
    pub(crate) fn done(mut self) {
        self.screenshot("");
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
