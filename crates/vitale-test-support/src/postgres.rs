//! A private PostgreSQL server for a test: `initdb` in a temp directory,
//! the server on a Unix socket only (no TCP port to collide with), stopped
//! by its own PID.
//!
//! ```no_run
//! use vitale_test_support::postgres;
//!
//! // In a #[test]: `None` (with a loud message) only where no server can
//! // be started at all and neither `CI` nor `VITALE_REQUIRE_POSTGRES` is set.
//! let Some(server) = postgres::shared("my_test") else { return };
//! let url = server.database("my_test");
//! // `url` is a libpq key=value connection string for the new database.
//! ```
//!
//! * **Binaries.** Debian's `postgresql` package (`/usr/lib/postgresql/N/bin`,
//!   not on `PATH`); when it is missing the harness installs it with
//!   `apt-get` (as root, or through `sudo`).
//! * **User.** The server refuses to run as root: as root, `initdb` runs
//!   through `runuser -u postgres` and the server through `setpriv`
//!   (which execs, so the child's PID is the server's), in a directory
//!   owned by `postgres`. As another user, both run as that user.
//! * **Stopping.** [`PostgresServer::stop`] (and drop) sends SIGINT — the
//!   server's "fast shutdown": it ends the sessions and exits — to the
//!   server's PID, then SIGQUIT and SIGKILL if it is still there after
//!   bounded waits, and removes the directory once it has exited.
//! * **Sharing.** [`shared`] gives every test of a binary that runs at the
//!   same time the same server (each in its own database); the last one
//!   to finish stops it. A test that stops and restarts the server (an
//!   unreachable database) starts its own with [`PostgresServer::start`].

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread;
use std::time::{Duration, Instant};

use crate::pcscd::is_root;
use crate::process::ChildGuard;

/// The role `initdb` creates (trust authentication on the private socket).
pub const USER: &str = "vitale";
/// Upper bound on the server's start, against hangs.
const START_LIMIT: Duration = Duration::from_secs(60);
/// Upper bound on a fast shutdown before SIGQUIT, then SIGKILL.
const STOP_LIMIT: Duration = Duration::from_secs(20);
/// Where Debian installs the server's versions.
const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// A running private server.
#[derive(Debug)]
pub struct PostgresServer {
    bin: PathBuf,
    dir: PathBuf,
    /// In a mutex so that the server can be shared between test threads
    /// (the guard's output channel is not `Sync`).
    server: Mutex<Option<ChildGuard>>,
    databases: AtomicU32,
}

/// The server every concurrent test of this process shares.
static SHARED: Mutex<Weak<PostgresServer>> = Mutex::new(Weak::new());
/// Serialises installation and start-up between the tests of a process.
static STARTING: Mutex<()> = Mutex::new(());

/// The shared server (started if no running test holds it), or `None`
/// after a loud message on stderr when no server can be started here —
/// unless `CI` or `VITALE_REQUIRE_POSTGRES` is set, where that fails the
/// test. `test` names the caller in the message.
///
/// # Panics
/// When the server cannot be started and it is required.
pub fn shared(test: &str) -> Option<Arc<PostgresServer>> {
    let mut slot = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(server) = slot.upgrade() {
        return Some(server);
    }
    match PostgresServer::start() {
        Ok(server) => {
            let server = Arc::new(server);
            *slot = Arc::downgrade(&server);
            Some(server)
        }
        Err(reason) => skip(test, &reason),
    }
}

/// `None` with a loud message, or a panic where PostgreSQL is required.
///
/// # Panics
/// When `CI` or `VITALE_REQUIRE_POSTGRES` is set.
pub fn skip<T>(test: &str, reason: &str) -> Option<T> {
    let required = std::env::var_os("CI").is_some_and(|v| !v.is_empty())
        || std::env::var_os("VITALE_REQUIRE_POSTGRES").is_some_and(|v| !v.is_empty());
    assert!(
        !required,
        "{test}: PostgreSQL is required here (CI or VITALE_REQUIRE_POSTGRES) but cannot be started: {reason}"
    );
    eprintln!(
        "\n########## SKIPPED {test}: PostgreSQL cannot be started on this machine: {reason}\n\
         ########## (set VITALE_REQUIRE_POSTGRES=1 to make this a failure)\n"
    );
    None
}

impl PostgresServer {
    /// Installs PostgreSQL if missing, creates a cluster in a new temp
    /// directory and starts its server; waits until it accepts
    /// connections.
    ///
    /// # Errors
    /// Why the server cannot be started (no package, no way to install
    /// it, `initdb` or the server failed); the directory is removed.
    pub fn start() -> Result<Self, String> {
        let _starting = STARTING.lock().unwrap_or_else(PoisonError::into_inner);
        let bin = binaries()?;
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "vitale-pg-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut server = PostgresServer {
            bin,
            dir,
            server: Mutex::new(None),
            databases: AtomicU32::new(0),
        };
        // On failure, dropping `server` removes the directory.
        server.init()?;
        server.launch()?;
        Ok(server)
    }

    /// The socket directory: the "host" of a connection string.
    #[must_use]
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The connection string (libpq key=value form) of database `name`.
    #[must_use]
    pub fn url(&self, name: &str) -> String {
        format!("host={} user={USER} dbname={name}", self.dir.display())
    }

    /// Creates a new database, named after `prefix` and a counter, and
    /// returns its connection string.
    ///
    /// # Panics
    /// When `psql` fails.
    #[must_use]
    pub fn database(&self, prefix: &str) -> String {
        let clean: String = prefix
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!("{clean}_{}", self.databases.fetch_add(1, Ordering::SeqCst));
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }

    /// Runs one SQL command with `psql` in database `db` and returns its
    /// unaligned output.
    ///
    /// # Panics
    /// When `psql` fails.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.dir)
            .args(["-U", USER, "-d", db, "-c", sql])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
        assert!(
            out.status.success(),
            "psql {sql:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// The server's PID (0 when stopped).
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map_or(0, ChildGuard::pid)
    }

    /// Stops the server (fast shutdown, by its PID) and waits for it to
    /// exit; the cluster stays, [`PostgresServer::restart`] starts it
    /// again.
    pub fn stop(&mut self) {
        let slot = self
            .server
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(mut server) = slot.take() else {
            return;
        };
        let pid = server.pid().to_string();
        for (signal, limit) in [("-INT", STOP_LIMIT), ("-QUIT", STOP_LIMIT)] {
            if server.has_exited() {
                break;
            }
            let _ = Command::new("kill").args([signal, &pid]).status();
            if server.wait_bounded(limit).is_some() {
                return;
            }
            eprintln!("postgres {pid} did not stop on SIG{}", &signal[1..]);
        }
        // Dropping the guard sends SIGTERM, then SIGKILL.
    }

    /// Starts the stopped server again on the same cluster.
    ///
    /// # Errors
    /// Why it does not start.
    pub fn restart(&mut self) -> Result<(), String> {
        self.stop();
        self.launch()
    }

    /// The server's log (its stderr).
    #[must_use]
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// `initdb`: trust authentication for [`USER`], no fsync during
    /// initialisation (the server itself fsyncs as usual).
    fn init(&self) -> Result<(), String> {
        if is_root() {
            run(Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&self.dir))?;
        }
        let mut initdb = as_server_user("runuser", &self.bin.join("initdb"));
        initdb.arg("-D").arg(self.data()).args([
            "-A",
            "trust",
            "-U",
            USER,
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        run(&mut initdb)
    }

    /// Starts the server and waits until it accepts connections.
    fn launch(&mut self) -> Result<(), String> {
        let log = std::fs::File::create(self.dir.join("server.log"))
            .map_err(|e| format!("cannot create the server log: {e}"))?;
        if is_root() {
            run(Command::new("chown")
                .args(["postgres:postgres"])
                .arg(self.dir.join("server.log")))?;
        }
        let mut postgres = as_server_user("setpriv", &self.bin.join("postgres"));
        postgres
            .arg("-D")
            .arg(self.data())
            .arg("-k")
            .arg(&self.dir)
            .args(["-c", "listen_addresses=", "-c", "max_connections=200"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log));
        let mut guard = ChildGuard::spawn(&mut postgres, "postgres");
        let deadline = Instant::now() + START_LIMIT;
        loop {
            let ready = Command::new(self.bin.join("pg_isready"))
                .arg("-h")
                .arg(&self.dir)
                .args(["-U", USER, "-d", "postgres", "-q"])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                *self
                    .server
                    .get_mut()
                    .unwrap_or_else(PoisonError::into_inner) = Some(guard);
                return Ok(());
            }
            if guard.has_exited() || Instant::now() >= deadline {
                guard.stop();
                return Err(format!(
                    "the server did not start within {START_LIMIT:?}; its log:\n{}",
                    self.log()
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `program` run as the `postgres` user when we are root: through
/// `runuser` (for a command we wait for) or `setpriv` (which execs: the
/// child's PID is the program's); directly otherwise.
fn as_server_user(wrapper: &str, program: &Path) -> Command {
    if !is_root() {
        return Command::new(program);
    }
    let mut command = Command::new(wrapper);
    if wrapper == "setpriv" {
        command.args([
            "--reuid=postgres",
            "--regid=postgres",
            "--clear-groups",
            "--reset-env",
            "--",
        ]);
    } else {
        command.args(["-u", "postgres", "--"]);
    }
    command.arg(program);
    command
}

/// Runs a command to its end; its output in the error.
fn run(command: &mut Command) -> Result<(), String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The newest installed server's `bin` directory, installing Debian's
/// `postgresql` first if there is none.
fn binaries() -> Result<PathBuf, String> {
    if let Some(bin) = installed() {
        return Ok(bin);
    }
    eprintln!("PostgreSQL is not installed: installing Debian's `postgresql` with apt-get");
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut command = if sudo {
            let mut c = Command::new("sudo");
            c.args(["-n", "apt-get"]);
            c
        } else {
            Command::new("apt-get")
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut command)
    };
    apt(&["update", "-qq"])?;
    apt(&[
        "install",
        "-y",
        "-qq",
        "--no-install-recommends",
        "postgresql",
    ])?;
    installed().ok_or_else(|| format!("no server under {DEBIAN_ROOT} after installing postgresql"))
}

/// `/usr/lib/postgresql/<newest>/bin`, if a server is there.
fn installed() -> Option<PathBuf> {
    let versions = std::fs::read_dir(DEBIAN_ROOT).ok()?;
    versions
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").exists().then_some((version, bin))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin)
}

#[cfg(test)]
mod tests;
