//! What a test does with the page: navigate, evaluate and wait for a
//! state, read text, focus, click, choose a file, type, press keys, take
//! screenshots. The protocol under it is in the parent module.

// `value["key"]` on a serde_json value never panics when reading (a
// missing key or a non-object gives `Null`).
#![allow(clippy::indexing_slicing)]

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

use super::plumbing::truthy;
use super::{Browser, COMMAND_LIMIT, MAX_SHOT_HEIGHT, POLL, js_string};

impl Browser {
    /// Loads `url` and waits until the document is complete.
    ///
    /// # Panics
    /// When the navigation fails or the page does not load within 30 s.
    pub fn navigate(&mut self, url: &str) {
        let result = self.call("Page.navigate", json!({"url": url}));
        if let Some(error) = result.get("errorText").and_then(Value::as_str) {
            panic!("navigation to {url} failed: {error}{}", self.tail());
        }
        self.wait_for(
            "the document to load",
            "document.readyState === 'complete'",
            COMMAND_LIMIT,
        );
    }

    /// Evaluates a JavaScript expression in the page (promises awaited)
    /// and returns its value as JSON (`null` for `undefined`).
    ///
    /// # Panics
    /// When the expression throws.
    pub fn evaluate(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(details) = result.get("exceptionDetails") {
            let text = details["exception"]["description"]
                .as_str()
                .or_else(|| details["text"].as_str())
                .unwrap_or("?");
            panic!("`{expression}` threw: {text}{}", self.tail());
        }
        result["result"]
            .get("value")
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Evaluates `expression` every 100 ms until its value is truthy
    /// (not `false`, `null`, 0 or `""`), and returns that value.
    ///
    /// # Panics
    /// When it is still falsy after `limit`; the message names `what`,
    /// the last value, and the page's log.
    pub fn wait_for(&mut self, what: &str, expression: &str, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let value = self.evaluate(expression);
            if truthy(&value) {
                return value;
            }
            if Instant::now() >= deadline {
                panic!(
                    "waited {limit:?} for {what} (`{expression}` is {value}){}",
                    self.tail()
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Waits until an element matches the CSS `selector`.
    ///
    /// # Panics
    /// As [`Browser::wait_for`].
    pub fn wait_for_selector(&mut self, selector: &str, limit: Duration) {
        let expression = format!("document.querySelector({}) !== null", js_string(selector));
        self.wait_for(&format!("`{selector}`"), &expression, limit);
    }

    /// Waits until the first element matching `selector` is visible and its
    /// text (`innerText`) contains `text`; returns its whole text.
    ///
    /// # Panics
    /// As [`Browser::wait_for`].
    pub fn wait_for_text(&mut self, selector: &str, text: &str, limit: Duration) -> String {
        let expression = format!(
            "(() => {{ const e = document.querySelector({}); \
             return e && e.offsetParent !== null && e.innerText.includes({}) ? e.innerText : null; }})()",
            js_string(selector),
            js_string(text)
        );
        let value = self.wait_for(&format!("{text:?} in `{selector}`"), &expression, limit);
        value.as_str().unwrap_or_default().to_owned()
    }

    /// The text (`innerText`) of the first element matching `selector`, or
    /// `None` if there is none.
    pub fn text(&mut self, selector: &str) -> Option<String> {
        let expression = format!(
            "(() => {{ const e = document.querySelector({}); return e ? e.innerText : null; }})()",
            js_string(selector)
        );
        self.evaluate(&expression).as_str().map(str::to_owned)
    }

    /// Focuses the element matching `selector`.
    ///
    /// # Panics
    /// When there is none.
    pub fn focus(&mut self, selector: &str) {
        let expression = format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return false; e.focus(); return document.activeElement === e; }})()",
            js_string(selector)
        );
        if !truthy(&self.evaluate(&expression)) {
            panic!("cannot focus `{selector}`{}", self.tail());
        }
    }

    /// Clicks the element matching `selector` (a DOM `click()`, as a
    /// mouse or the keyboard's Enter on a button would).
    ///
    /// # Panics
    /// When there is none.
    pub fn click(&mut self, selector: &str) {
        let expression = format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return false; e.click(); return true; }})()",
            js_string(selector)
        );
        if !truthy(&self.evaluate(&expression)) {
            panic!("cannot click `{selector}`{}", self.tail());
        }
    }

    /// Chooses `file` in the file input matching `selector`, as a user
    /// picking it would (`change` event).
    ///
    /// # Panics
    /// When there is no such input.
    pub fn set_file_input(&mut self, selector: &str, file: &Path) {
        let document = self.call("DOM.getDocument", json!({"depth": 0}));
        let root = document["root"]["nodeId"].clone();
        let found = self.call(
            "DOM.querySelector",
            json!({"nodeId": root, "selector": selector}),
        );
        let node = found["nodeId"].as_u64().unwrap_or(0);
        if node == 0 {
            panic!("no `{selector}` for a file{}", self.tail());
        }
        self.call(
            "DOM.setFileInputFiles",
            json!({"nodeId": node, "files": [file.display().to_string()]}),
        );
    }

    /// Types `text` into the focused element, as a keyboard (or a
    /// keyboard-wedge scanner) would: `input` events, no key codes.
    pub fn insert_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}));
    }

    /// Presses and releases a key, by its DOM `key` name: `Enter`, `Tab`,
    /// `Escape`, `ArrowDown`, `ArrowUp`, `Space`.
    ///
    /// # Panics
    /// For another key name.
    pub fn press_key(&mut self, key: &str) {
        let (code, key_code, text) = match key {
            "Enter" => ("Enter", 13, Some("\r")),
            "Tab" => ("Tab", 9, None),
            "Escape" => ("Escape", 27, None),
            "ArrowDown" => ("ArrowDown", 40, None),
            "ArrowUp" => ("ArrowUp", 38, None),
            "Space" => ("Space", 32, Some(" ")),
            other => panic!("press_key: no table entry for {other:?}"),
        };
        let dom_key = if key == "Space" { " " } else { key };
        let mut down = json!({"type": if text.is_some() { "keyDown" } else { "rawKeyDown" },
            "key": dom_key, "code": code, "windowsVirtualKeyCode": key_code});
        if let Some(text) = text {
            down["text"] = Value::String(text.to_owned());
        }
        self.call("Input.dispatchKeyEvent", down);
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": dom_key, "code": code, "windowsVirtualKeyCode": key_code}),
        );
    }

    /// Writes a PNG screenshot of the whole page (up to 8 000 CSS pixels
    /// tall) to `path` (its directory is created).
    ///
    /// # Panics
    /// When the capture or the write fails.
    pub fn screenshot(&mut self, path: &Path) {
        if let Err(message) = self.try_screenshot(path) {
            panic!("{message}{}", self.tail());
        }
    }

    /// [`Browser::screenshot`] without panicking: for a test that is
    /// already failing (a `Drop` during a panic must not panic again).
    ///
    /// # Errors
    /// What went wrong, as text.
    pub fn try_screenshot(&mut self, path: &Path) -> Result<(), String> {
        let session = self.session.clone();
        let metrics = self.try_send("Page.getLayoutMetrics", json!({}), Some(&session))?;
        let width = metrics["cssLayoutViewport"]["clientWidth"]
            .as_f64()
            .unwrap_or(0.0);
        let height = metrics["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(0.0)
            .ceil()
            .min(MAX_SHOT_HEIGHT);
        // The whole page: a viewport as tall as the content for the capture
        // (what Puppeteer's fullPage does), then the window's own again.
        let full = width >= 1.0 && height >= 1.0;
        if full {
            self.try_send(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
                Some(&session),
            )?;
        }
        let result = self.try_send(
            "Page.captureScreenshot",
            json!({"format": "png"}),
            Some(&session),
        );
        if full {
            self.try_send(
                "Emulation.clearDeviceMetricsOverride",
                json!({}),
                Some(&session),
            )?;
        }
        let result = result?;
        let data = result["data"].as_str().unwrap_or_default();
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| format!("screenshot is not base64: {e}"))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}
