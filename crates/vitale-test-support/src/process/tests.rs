use std::process::Stdio;

use super::*;

#[test]
fn output_larger_than_a_pipe_is_drained_while_waiting() {
    // 1 MB on stdout: without draining, the child would block on the
    // full pipe and the wait would time out.
    let mut child = ChildGuard::spawn(
        Command::new("sh")
            .args(["-c", "head -c 1000000 /dev/zero | tr '\\0' x; echo end >&2"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "sh",
    );
    let finished = child.wait_bounded(Duration::from_secs(60)).unwrap();
    assert!(finished.status.success());
    assert_eq!(finished.stdout.len(), 1_000_000);
    assert_eq!(finished.stderr, "end\n");
    assert!(child.has_exited());
}

#[test]
fn a_running_child_is_not_finished_and_is_stopped_by_its_guard() {
    let mut child = ChildGuard::spawn(
        Command::new("sleep").arg("600").stdin(Stdio::piped()),
        "sleep",
    );
    assert_ne!(child.pid(), 0);
    assert!(child.take_stdin().is_some());
    assert!(child.wait_bounded(Duration::from_millis(50)).is_none());
    assert!(!child.has_exited());
    child.stop();
    assert_eq!(child.pid(), 0);
    assert!(child.has_exited());
}
