//! The real PC/SC stack for one test: a private `pcscd` with a vpcd
//! virtual reader, and the test body run in a child process that talks to
//! it.
//!
//! # How the test reaches *its* pcscd
//!
//! * pcscd 1.9.9 hard-codes its socket (`/run/pcscd/pcscd.comm`) and pid
//!   file: a second daemon would collide with the machine's (or another
//!   test's). Each test therefore starts pcscd in its own mount namespace
//!   (`unshare --mount --propagation private`, a tmpfs on `/run/pcscd`),
//!   with `--config DIR` holding one vpcd entry on free ports.
//! * The client library (libpcsclite 1.9.9) does honour
//!   `PCSCLITE_CSOCK_NAME` (checked in its strings and by these tests): the
//!   test points it at the daemon's socket *through the daemon's own mount
//!   namespace*, `/proc/<pcscd pid>/root/run/pcscd/pcscd.comm`. No socket
//!   path in a temp dir is possible (the daemon cannot be told one), and
//!   the test binary does not need to enter the namespace.
//! * The library reads the variable once per process, and setting it in a
//!   running test would need `unsafe` (`std::env::set_var`), which the
//!   workspace forbids: the harness re-executes the test binary with
//!   `<test name> --exact` and the variables set, and the body runs there.
//!
//! Every process is stopped by its PID from a `Drop` guard (SIGTERM, then
//! SIGKILL), also when the test fails; the child test has an upper bound
//! (not a timing assertion) after which it is killed and the test fails.
//!
//! Needs: `pcscd`, `vsmartcard-vpcd` (`libifdvpcd.so`), `unshare` and
//! `mount` (util-linux), and root — or unprivileged user namespaces, tried
//! when not root.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

/// Set in the child: the vpcd port of its pcscd.
const PORT_VAR: &str = "VITALE_NFC_VPCD_PORT";
/// Where Debian's vsmartcard-vpcd installs its driver.
const VPCD_DRIVER: &str = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
/// Upper bound on one child test, against hangs.
const CHILD_LIMIT: Duration = Duration::from_secs(120);

/// Which daemon the test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Daemon {
    /// pcscd with one vpcd entry (readers "Virtual PCD 00 00" on the port,
    /// "Virtual PCD 00 01" on the port + 1).
    WithVpcd,
    /// pcscd with no reader configured.
    NoReaders,
    /// No daemon: the client is pointed at a socket nobody listens on.
    None,
}

/// What the test body gets, in the child.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stack {
    /// The vpcd port of the first reader.
    pub(crate) port: u16,
}

impl Stack {
    /// Where the emulated phone connects (vpcd listens on all interfaces;
    /// connect to loopback only).
    pub(crate) fn vpcd_addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }
}

/// Runs `body` against a private pcscd: directly when this process is the
/// re-executed child, otherwise by starting the daemon and re-executing
/// the test binary on test `name`.
pub(crate) fn on_real_stack(name: &str, daemon: Daemon, body: impl FnOnce(Stack)) {
    if let Ok(port) = std::env::var(PORT_VAR) {
        body(Stack {
            port: port.parse().expect("port"),
        });
        return;
    }
    let (socket, port, pcscd) = match daemon {
        Daemon::None => (PathBuf::from("/nonexistent/pcscd.comm"), 1, None),
        _ => {
            let pcscd = Pcscd::start(daemon == Daemon::WithVpcd);
            (pcscd.socket(), pcscd.port, Some(pcscd))
        }
    };
    let exe = std::env::current_exe().expect("test binary");
    let child = Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env("PCSCLITE_CSOCK_NAME", &socket)
        .env(PORT_VAR, port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("re-execute the test binary");
    let mut child = Guard::new(child, "test child");
    let status = child.wait_bounded(CHILD_LIMIT);
    let mut out = String::new();
    let mut err = String::new();
    let process = child.child.as_mut().expect("child");
    process
        .stdout
        .take()
        .map(|mut s| s.read_to_string(&mut out));
    process
        .stderr
        .take()
        .map(|mut s| s.read_to_string(&mut err));
    let log = pcscd.as_ref().map(Pcscd::log).unwrap_or_default();
    let Some(status) = status else {
        panic!("{name}: no result within {CHILD_LIMIT:?} (hang)\n{out}\n{err}\npcscd log:\n{log}");
    };
    assert!(
        status.success() && out.contains("1 passed"),
        "{name} failed in the child ({status}):\n{out}\n{err}\npcscd log (tail):\n{}",
        tail(&log, 60)
    );
    // The child's own reports (round trips), shown with `--nocapture`.
    for line in err.lines().filter(|l| l.starts_with("nfc:")) {
        eprintln!("{name}: {line}");
    }
    drop(pcscd);
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// A child process, stopped by its PID on drop.
struct Guard {
    child: Option<Child>,
    what: &'static str,
}

impl Guard {
    fn new(child: Child, what: &'static str) -> Self {
        Self {
            child: Some(child),
            what,
        }
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Waits for the exit, at most `limit`; `None` if still running.
    fn wait_bounded(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        let child = self.child.as_mut()?;
        loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn exited(&mut self) -> bool {
        self.child
            .as_mut()
            .is_none_or(|c| c.try_wait().ok().flatten().is_some())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        // SIGTERM by PID, then SIGKILL if it lingers.
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("{} {} did not stop: SIGKILL", self.what, child.id());
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A private pcscd in its own mount namespace.
struct Pcscd {
    guard: Guard,
    dir: PathBuf,
    port: u16,
}

impl Pcscd {
    /// Starts the daemon and waits until its socket exists.
    fn start(with_vpcd: bool) -> Self {
        assert!(
            Path::new("/usr/sbin/pcscd").exists() || which("pcscd"),
            "pcscd not installed: apt-get install pcscd libpcsclite-dev vsmartcard-vpcd"
        );
        assert!(
            !with_vpcd || Path::new(VPCD_DRIVER).exists(),
            "vpcd driver missing: apt-get install vsmartcard-vpcd"
        );
        let port = free_port_pair();
        let dir = std::env::temp_dir().join(format!("vitale-pcscd-{}-{port}", std::process::id()));
        let conf = dir.join("conf");
        std::fs::create_dir_all(&conf).expect("config dir");
        if with_vpcd {
            std::fs::write(
                conf.join("vpcd"),
                format!(
                    "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME   /dev/null:0x{port:X}\n\
                     LIBPATH      {VPCD_DRIVER}\nCHANNELID    0x{port:X}\n"
                ),
            )
            .expect("vpcd config");
        }
        let log = std::fs::File::create(dir.join("pcscd.log")).expect("log file");
        // The mount point must exist on the host side (as root: create it).
        let _ = std::fs::create_dir_all("/run/pcscd");
        let mut unshare = Command::new("unshare");
        if !is_root() {
            unshare.args(["--user", "--map-root-user"]);
        }
        unshare
            .args(["--mount", "--propagation", "private", "sh", "-c"])
            .arg(
                "mount -t tmpfs -o size=1m,mode=0755 vitale-pcscd /run/pcscd \
                 && exec pcscd --foreground --debug --apdu --config \"$1\"",
            )
            .arg("sh")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        let guard = Guard::new(unshare.spawn().expect("spawn unshare pcscd"), "pcscd");
        let mut pcscd = Self { guard, dir, port };
        let socket = pcscd.socket();
        let deadline = Instant::now() + Duration::from_secs(15);
        while !socket.exists() || !pcscd.log().contains("daemon ready") {
            assert!(
                !pcscd.guard.exited(),
                "pcscd exited at start-up:\n{}",
                pcscd.log()
            );
            assert!(
                Instant::now() < deadline,
                "pcscd not ready:\n{}",
                pcscd.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        pcscd
    }

    /// The daemon's socket, seen through its mount namespace.
    fn socket(&self) -> PathBuf {
        PathBuf::from(format!(
            "/proc/{}/root/run/pcscd/pcscd.comm",
            self.guard.pid()
        ))
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("pcscd.log")).unwrap_or_default()
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        // Stop the daemon first (its guard), then remove its files.
        drop(self.guard.child.take().map(|c| Guard::new(c, "pcscd")));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1).map(|uid| uid == "0"))
        .unwrap_or(false)
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(program).exists()))
}

/// Two consecutive free TCP ports (vpcd opens the port and the next one),
/// distinct between the tests of this process.
fn free_port_pair() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = 20_000 + (std::process::id() % 2_000) as u16 * 10;
    for _ in 0..2_000 {
        let port = base.wrapping_add(NEXT.fetch_add(2, Ordering::SeqCst));
        if !(1_024..u16::MAX - 1).contains(&port) {
            continue;
        }
        let free = |p: u16| TcpListener::bind((Ipv4Addr::UNSPECIFIED, p)).is_ok();
        if free(port) && free(port + 1) {
            return port;
        }
    }
    panic!("no free port pair for vpcd");
}
