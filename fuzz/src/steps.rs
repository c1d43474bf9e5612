//! The verifier's step counters (`vitale_verify::fuzzing`, compiled under
//! `--cfg fuzzing`), written to the file named by `VITALE_FUZZ_STEPS` at
//! most once a second, so that `fuzz/depth.sh` can show how many inputs
//! reached each verification step. libFuzzer ends the process with
//! `exit`, which runs no destructor: the file is refreshed while the
//! target runs, and holds the counts of the last second at worst.

use std::sync::Mutex;
use std::time::{Duration, Instant};

static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// Writes the counts if a second has passed since the last write (and
/// `VITALE_FUZZ_STEPS` is set).
pub fn dump_now_and_then() {
    let Some(path) = std::env::var_os("VITALE_FUZZ_STEPS") else {
        return;
    };
    let Ok(mut last) = LAST.lock() else {
        return;
    };
    let now = Instant::now();
    if last.is_some_and(|t| now.duration_since(t) < Duration::from_secs(1)) {
        return;
    }
    *last = Some(now);
    let mut text = String::new();
    for (step, count) in vitale_verify::fuzzing::counts() {
        text.push_str(&format!("{} {count}\n", step.name()));
    }
    // Best effort: a failed write only loses the report.
    let tmp = std::path::PathBuf::from(format!("{}.tmp", path.to_string_lossy()));
    if std::fs::write(&tmp, text).is_ok() {
        let _ = std::fs::rename(&tmp, &path);
    }
}
