//! Child processes started by a test: waited for with an upper bound,
//! their piped output drained while they run, stopped by their PID when
//! the guard is dropped (also when the test fails).
//!
//! ```no_run
//! use std::process::{Command, Stdio};
//! use std::time::Duration;
//! use vitale_test_support::ChildGuard;
//!
//! let mut child = ChildGuard::spawn(
//!     Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()),
//!     "cat",
//! );
//! drop(child.take_stdin()); // end of input: cat exits
//! let finished = child.wait_bounded(Duration::from_secs(10)).expect("cat hung");
//! assert!(finished.status.success());
//! ```

use std::io::Read;
use std::process::{Child, ChildStdin, Command, ExitStatus};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// How often a bounded wait looks at the child.
const POLL: Duration = Duration::from_millis(20);
/// How long a child has to exit after SIGTERM before SIGKILL.
const TERM_GRACE: Duration = Duration::from_secs(3);

/// Which output stream a drained chunk comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Out,
    Err,
}

/// A child process, stopped by its PID when dropped: SIGTERM, then SIGKILL
/// if it is still there after a few seconds.
///
/// Its piped stdout and stderr (if any) are read by background threads
/// from the start, so a child writing more than a pipe holds cannot block
/// on a full pipe while the test waits for it.
#[derive(Debug)]
pub struct ChildGuard {
    child: Option<Child>,
    what: &'static str,
    output: Option<Receiver<(Stream, Vec<u8>)>>,
    pending: usize,
}

/// What a child left when it exited: its status and its output.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The exit status.
    pub status: ExitStatus,
    /// Its stdout (lossy UTF-8), empty if not piped.
    pub stdout: String,
    /// Its stderr (lossy UTF-8), empty if not piped.
    pub stderr: String,
}

impl ChildGuard {
    /// Spawns `command`; `what` names it in messages.
    ///
    /// # Panics
    /// When the process cannot be spawned.
    pub fn spawn(command: &mut Command, what: &'static str) -> Self {
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot spawn {what}: {e}"));
        Self::new(child, what)
    }

    /// Guards an already spawned child (its piped output drained from now).
    #[must_use]
    pub fn new(mut child: Child, what: &'static str) -> Self {
        let (tx, rx) = mpsc::channel();
        let mut pending = 0;
        if let Some(stdout) = child.stdout.take() {
            drain(stdout, Stream::Out, tx.clone());
            pending += 1;
        }
        if let Some(stderr) = child.stderr.take() {
            drain(stderr, Stream::Err, tx);
            pending += 1;
        }
        Self {
            child: Some(child),
            what,
            output: Some(rx),
            pending,
        }
    }

    /// The process id (0 once the guard no longer holds the child).
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Takes the child's stdin, if piped (dropping it closes the pipe).
    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.child.as_mut()?.stdin.take()
    }

    /// `true` once the child has exited (or the guard holds none).
    pub fn has_exited(&mut self) -> bool {
        self.child
            .as_mut()
            .is_none_or(|c| c.try_wait().ok().flatten().is_some())
    }

    /// Waits for the child to exit, at most `limit`, and collects its
    /// output; `None` if it is still running then (a hang: the guard
    /// still stops it when dropped).
    ///
    /// The output is what the child wrote until its pipes closed; a
    /// grandchild that inherited them and outlives the child can keep them
    /// open, and what it writes after `limit` is not waited for.
    ///
    /// # Panics
    /// When the child's status cannot be read.
    pub fn wait_bounded(&mut self, limit: Duration) -> Option<Finished> {
        let deadline = Instant::now() + limit;
        let what = self.what;
        let child = self.child.as_mut()?;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => return None,
                Ok(None) => thread::sleep(POLL),
                Err(e) => panic!("{what}: cannot read its status: {e}"),
            }
        };
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        if let Some(output) = self.output.take() {
            while self.pending > 0 {
                let left = deadline.saturating_duration_since(Instant::now());
                match output.recv_timeout(left.max(POLL)) {
                    Ok((Stream::Out, bytes)) => stdout = bytes,
                    Ok((Stream::Err, bytes)) => stderr = bytes,
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
                }
                self.pending -= 1;
            }
        }
        Some(Finished {
            status,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    /// Stops the child now, as dropping the guard does: SIGTERM by its
    /// PID, SIGKILL if it is still there a few seconds later. Nothing
    /// happens if it has already exited.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // Not reaped yet (exited or not), so the PID is still this child's.
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        // Best effort: SIGKILL follows if SIGTERM did not work.
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + TERM_GRACE;
        while Instant::now() < deadline {
            if child.try_wait().ok().flatten().is_some() {
                return;
            }
            thread::sleep(POLL);
        }
        eprintln!("{} {} did not stop: SIGKILL", self.what, child.id());
        // It may have exited in between: nothing more to do then.
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads `pipe` to its end on a background thread, then sends the bytes.
fn drain(
    mut pipe: impl Read + Send + 'static,
    stream: Stream,
    tx: mpsc::Sender<(Stream, Vec<u8>)>,
) {
    let spawned = thread::Builder::new()
        .name("child-output".into())
        .spawn(move || {
            let mut bytes = Vec::new();
            // A read error ends the output; what was read is kept.
            let _ = pipe.read_to_end(&mut bytes);
            // The guard may be gone (not waited for): nobody to tell.
            let _ = tx.send((stream, bytes));
        });
    if let Err(e) = spawned {
        panic!("cannot start a thread to read a child's output: {e}");
    }
}

#[cfg(test)]
mod tests;
