//! The real PC/SC stack for one test: a private `pcscd` with a vpcd
//! virtual reader, and the test body run in a child process that talks to
//! it.
//!
//! ```no_run
//! use vitale_test_support::{Daemon, on_real_stack};
//!
//! // A `#[test]` of an integration test binary:
//! fn reads_a_phone() {
//!     // The name is the test's own: the harness re-executes it.
//!     on_real_stack("reads_a_phone", Daemon::WithVpcd, |stack| {
//!         // Here, in the child: PC/SC talks to the private daemon; the
//!         // emulated phone connects to `stack.vpcd_addr()`.
//!         let _phone_goes_to = stack.vpcd_addr();
//!     });
//! }
//! ```
//!
//! # How the test reaches *its* pcscd
//!
//! * pcscd 1.9.9 hard-codes its socket (`/run/pcscd/pcscd.comm`) and pid
//!   file: a second daemon would collide with the machine's (or another
//!   test's). Each test therefore starts pcscd in its own mount namespace
//!   (`unshare --mount --propagation private`, a tmpfs on `/run/pcscd`),
//!   with `--config DIR` holding one vpcd entry on free ports.
//! * The client library (libpcsclite 1.9.9) does honour
//!   `PCSCLITE_CSOCK_NAME`: the test points it at the daemon's socket
//!   *through the daemon's own mount namespace*,
//!   `/proc/<pcscd pid>/root/run/pcscd/pcscd.comm`. No socket path in a
//!   temp dir is possible (the daemon cannot be told one), and the test
//!   binary does not need to enter the namespace.
//! * The library reads the variable once per process, and setting it in a
//!   running test would need `unsafe` (`std::env::set_var`), which the
//!   workspace forbids: the harness re-executes the test binary with
//!   `<test name> --exact` and the variables set, and the body runs there.
//!
//! # Ports
//!
//! vpcd listens on the configured port and the next one (its two readers).
//! They are chosen below Linux's ephemeral range (where outgoing
//! connections take their source ports), distinct between the tests of one
//! process, and checked free — but only pcscd itself can bind them, a
//! moment later, and another process may take one in between. vpcd then
//! fails to start that reader and pcscd runs without the device, both
//! readers ("Could not initialize connection to virtual ICC" in its log):
//! the harness stops that daemon and starts another on the next pair,
//! instead of letting the test wait for readers that will never appear.
//!
//! Every process is stopped by its PID from a guard ([`ChildGuard`]), also
//! when the test fails; the child test has an upper bound (not a timing
//! assertion) after which it is killed and the test fails.
//!
//! Needs: `pcscd`, `vsmartcard-vpcd` (`libifdvpcd.so`), `unshare` and
//! `mount` (util-linux), and root — or unprivileged user namespaces, tried
//! when not root.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use crate::process::ChildGuard;

/// Set in the child: the vpcd port of its pcscd.
const PORT_VAR: &str = "VITALE_NFC_VPCD_PORT";
/// Where Debian's vsmartcard-vpcd installs its driver.
const VPCD_DRIVER: &str = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
/// Upper bound on one child test, against hangs.
const CHILD_LIMIT: Duration = Duration::from_secs(120);
/// Upper bound on pcscd's start-up, against hangs.
const START_LIMIT: Duration = Duration::from_secs(15);
/// Daemons started before giving up on finding a port pair vpcd can bind.
const START_ATTEMPTS: usize = 10;
/// vpcd port pairs are taken in `[PORT_MIN, PORT_MAX)`, below Linux's
/// default ephemeral range (32768–60999).
const PORT_MIN: u16 = 20_000;
const PORT_MAX: u16 = 32_000;
/// What the vpcd driver logs when it cannot listen on a reader's port
/// (taken); pcscd then runs without that reader's device, both slots.
const READER_FAILED: &str = "Could not initialize connection to virtual ICC";
/// What pcscd logs once it serves clients.
const READY: &str = "daemon ready";

/// Which daemon the test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Daemon {
    /// pcscd with one vpcd entry (readers "Virtual PCD 00 00" on the port,
    /// "Virtual PCD 00 01" on the port + 1), both started.
    WithVpcd,
    /// pcscd with no reader configured.
    NoReaders,
    /// No daemon: the client is pointed at a socket nobody listens on.
    None,
}

/// What the test body gets, in the child.
#[derive(Debug, Clone, Copy)]
pub struct Stack {
    /// The vpcd port of the first reader.
    pub port: u16,
}

impl Stack {
    /// Where the emulated phone connects (vpcd listens on all interfaces;
    /// connect to loopback only).
    #[must_use]
    pub fn vpcd_addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }
}

/// Runs `body` against a private pcscd: directly when this process is the
/// re-executed child, otherwise by starting the daemon and re-executing
/// the test binary on test `name`, the calling test's full name (its path
/// in the test binary, as `--exact` wants it).
///
/// The child's stderr lines starting with `nfc:` are repeated on the
/// parent's stderr (shown with `--nocapture`).
///
/// # Panics
/// When the test fails in the child, hangs past an upper bound, when the
/// daemon cannot be started, or when `name` is not the calling test's.
pub fn on_real_stack(name: &str, daemon: Daemon, body: impl FnOnce(Stack)) {
    if let Ok(port) = std::env::var(PORT_VAR) {
        body(Stack {
            port: port.parse().expect("the harness's port"),
        });
        return;
    }
    // libtest runs each test on a thread named after it: a wrong name
    // would re-execute another test (and report its result as this one's).
    if let Some(current) = std::thread::current().name()
        && current != "main"
        && current != name
    {
        panic!("on_real_stack({name:?}) called from test {current:?}: pass the test's own name");
    }
    let (socket, port, pcscd) = match daemon {
        Daemon::None => (PathBuf::from("/nonexistent/pcscd.comm"), 1, None),
        Daemon::WithVpcd | Daemon::NoReaders => {
            let pcscd = Pcscd::start(daemon == Daemon::WithVpcd);
            (pcscd.socket(), pcscd.port, Some(pcscd))
        }
    };
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut child = ChildGuard::spawn(
        Command::new(exe)
            .args([name, "--exact", "--nocapture", "--test-threads=1"])
            .env("PCSCLITE_CSOCK_NAME", &socket)
            .env(PORT_VAR, port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "test child",
    );
    let finished = child.wait_bounded(CHILD_LIMIT);
    let log = pcscd.as_ref().map(Pcscd::log).unwrap_or_default();
    let Some(finished) = finished else {
        panic!("{name}: no result within {CHILD_LIMIT:?} (hang)\npcscd log:\n{log}");
    };
    let (status, out, err) = (finished.status, finished.stdout, finished.stderr);
    assert!(
        status.success() && out.contains("1 passed"),
        "{name} failed in the child ({status}):\n{out}\n{err}\npcscd log (tail):\n{}",
        tail(&log, 60)
    );
    for line in err.lines().filter(|l| l.starts_with("nfc:")) {
        eprintln!("{name}: {line}");
    }
    drop(pcscd);
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .get(lines.len().saturating_sub(n)..)
        .unwrap_or_default()
        .join("\n")
}

/// A private pcscd in its own mount namespace; stopped, and its files
/// removed, on drop.
struct Pcscd {
    guard: ChildGuard,
    dir: PathBuf,
    port: u16,
}

impl Pcscd {
    /// Starts a daemon whose readers (if `with_vpcd`) all started, trying
    /// other ports when vpcd could not bind its own.
    fn start(with_vpcd: bool) -> Self {
        Self::start_on(with_vpcd, free_port_pair)
    }

    /// [`Pcscd::start`], on the port pairs `ports` gives.
    fn start_on(with_vpcd: bool, mut ports: impl FnMut() -> u16) -> Self {
        assert!(
            Path::new("/usr/sbin/pcscd").exists() || which("pcscd"),
            "pcscd not installed: apt-get install pcscd libpcsclite-dev vsmartcard-vpcd"
        );
        assert!(
            !with_vpcd || Path::new(VPCD_DRIVER).exists(),
            "vpcd driver missing: apt-get install vsmartcard-vpcd"
        );
        let mut logs = String::new();
        for _ in 0..START_ATTEMPTS {
            let pcscd = Self::start_once(with_vpcd, ports());
            let log = pcscd.log();
            if !log.contains(READER_FAILED) {
                return pcscd;
            }
            // A port was taken between the check and vpcd's bind.
            logs.push_str(&format!("--- port {}:\n{}\n", pcscd.port, tail(&log, 20)));
        }
        panic!("vpcd could not start its readers on {START_ATTEMPTS} port pairs:\n{logs}");
    }

    /// Starts the daemon with vpcd on `port` and `port + 1` (if
    /// `with_vpcd`), and waits until it serves clients.
    fn start_once(with_vpcd: bool, port: u16) -> Self {
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
        // The mount point must exist on the host side (as root: create it;
        // otherwise the mount below says what is missing).
        let _ = std::fs::create_dir_all("/run/pcscd");
        let mut unshare = Command::new("unshare");
        if !is_root() {
            unshare.args(["--user", "--map-root-user"]);
        }
        // unshare and sh exec: the guarded PID is pcscd's.
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
        let guard = ChildGuard::spawn(&mut unshare, "pcscd");
        let mut pcscd = Self { guard, dir, port };
        let socket = pcscd.socket();
        let deadline = Instant::now() + START_LIMIT;
        // The readers are started (or have failed) before "daemon ready".
        while !socket.exists() || !pcscd.log().contains(READY) {
            assert!(
                !pcscd.guard.has_exited(),
                "pcscd exited at start-up:\n{}",
                pcscd.log()
            );
            assert!(
                Instant::now() < deadline,
                "pcscd not ready within {START_LIMIT:?}:\n{}",
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
        // Stop the daemon first, then remove its files.
        self.guard.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(crate) fn is_root() -> bool {
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

/// Two consecutive TCP ports free right now (vpcd opens the port and the
/// next one), distinct between the calls of this process, in
/// `[PORT_MIN, PORT_MAX)`, starting from an offset drawn from the process
/// id so that parallel test processes start apart.
fn free_port_pair() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let pairs = (PORT_MAX - PORT_MIN) / 2;
    let start = u16::try_from(std::process::id() % u32::from(pairs)).unwrap_or(0);
    for _ in 0..pairs {
        let pair = (start + NEXT.fetch_add(1, Ordering::SeqCst) % pairs) % pairs;
        let port = PORT_MIN + pair * 2;
        let free = |p: u16| TcpListener::bind((Ipv4Addr::UNSPECIFIED, p)).is_ok();
        if free(port) && free(port + 1) {
            return port;
        }
    }
    panic!("no free port pair for vpcd in {PORT_MIN}..{PORT_MAX}");
}

#[cfg(test)]
mod tests;
