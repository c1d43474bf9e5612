//! The plumbing of [`Browser`](super::Browser): the protocol pipe's reader,
//! temp directories, and small conversions.

use std::io::{BufRead, BufReader, Read as _};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::MAX_MESSAGE;

/// Reads NUL-ended JSON messages from the browser on a background thread.
pub(super) fn read_messages(pipe: impl std::io::Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name("cdp-reader".into())
        .spawn(move || {
            let mut reader = BufReader::new(pipe);
            loop {
                let mut message = Vec::new();
                // One buffer throughout: `take` only bounds this message.
                match reader
                    .by_ref()
                    .take(MAX_MESSAGE as u64)
                    .read_until(0, &mut message)
                {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if message.last() == Some(&0) {
                    message.pop();
                }
                let Ok(value) = serde_json::from_slice::<Value>(&message) else {
                    continue;
                };
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        panic!("cannot start the CDP reader thread: {e}");
    }
    rx
}

/// A fresh directory under the temp dir, unique to this process and call.
pub(super) fn unique_dir() -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    std::env::temp_dir().join(format!(
        "vitale-chromium-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Whether this process runs as root (Chromium then needs `--no-sandbox`).
pub(super) fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// JavaScript's truthiness of a JSON value.
pub(super) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// A console argument as text.
pub(super) fn remote_text(arg: &Value) -> String {
    match arg.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => arg["description"].as_str().unwrap_or("?").to_owned(),
    }
}
