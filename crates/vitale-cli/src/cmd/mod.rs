//! The commands, their shared error type and helpers.

use std::io::{self, BufRead as _};
use std::path::{Path, PathBuf};

use vitale::codec::model::Timestamp;
use vitale::store::StoreLocation;
use vitale::verify::Verifier;
use vitale::verify::policy::FixedClock;

use crate::cli::{Cli, Command, TrustArgs};

mod agent;
mod camera;
mod fse;
mod ins;
#[cfg(feature = "pcsc")]
mod nfc;
mod online;
pub(crate) mod output;
mod render;
mod rights;
mod scan;
mod sim;
mod sim_card;
mod verify;

/// How a command that ran to its end went.
///
/// Ordered by severity, so that a command over several inputs reports the
/// worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// Accepted, valid, done: exit 0.
    Ok,
    /// Rejected: a presentation that fails verification, an invalid NIR or
    /// payload, no code found: exit 1.
    Rejected,
    /// Some input could not be read (the others were reported): exit 2.
    Failed,
}

impl Status {
    /// The process exit code.
    pub(crate) fn code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::Rejected => 1,
            Status::Failed => 2,
        }
    }
}

/// Why a command could not run to its end.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The command line makes no sense (beyond what clap checks).
    #[error("{0}")]
    Usage(String),
    /// A file or stream could not be read or written.
    #[error("{context}")]
    Io {
        /// What was being done, with the path.
        context: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// Writing the output failed (a closed pipe is not reported).
    #[error("cannot write the output")]
    Output(#[source] io::Error),
    /// A JSON input or state file does not parse.
    #[error("{context}")]
    Json {
        /// What was being read.
        context: String,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// The trust list or root key was refused: nothing can be verified.
    #[error("trust list refused")]
    Trust(#[source] vitale::Error),
    /// The simulator refused a request.
    #[error("simulator")]
    Sim(#[from] vitale_sim::Error),
    /// The QR image could not be made.
    #[error("cannot render the QR code")]
    Render(#[source] vitale_sim::RenderError),
    /// The NFC read failed on the workstation's side (no PC/SC service,
    /// no reader…): exit 2.
    #[cfg(feature = "pcsc")]
    #[error("NFC")]
    Nfc(#[source] vitale::reader::nfc::NfcError),
    /// Any other terminal failure.
    #[cfg(feature = "pcsc")]
    #[error("terminal")]
    Terminal(#[source] vitale::Error),
    /// A camera scan failed on the workstation's side (no camera, camera
    /// busy, a frame folder that cannot be read): exit 2.
    #[error("camera scan")]
    Camera(#[source] vitale::Error),
    /// The replay cache (`--replay-cache`, `$VITALE_REPLAY_CACHE`) cannot
    /// be opened: exit 2.
    #[error("replay cache")]
    Store(#[source] vitale::Error),
    /// The card whose rights were asked could not be read (`rights
    /// --token`).
    #[error("card")]
    Card(#[source] vitale::Error),
    /// The local agent could not start (`agent`).
    #[error("agent")]
    Agent(#[source] vitale_agent::Error),
    /// A key file is not a key of the expected kind (`fse`).
    #[error("{context}")]
    Key {
        /// Which file.
        context: String,
        /// What is wrong (never key material).
        #[source]
        source: fse::keys::KeyError,
    },
}

impl Error {
    /// An I/O error with what was being done.
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// A refused key file.
    pub(crate) fn key(path: &Path, what: &str, source: fse::keys::KeyError) -> Self {
        Error::Key {
            context: format!("{what} {} is refused", path.display()),
            source,
        }
    }

    /// Whether this is the output pipe closed by the reader (`| head`).
    pub(crate) fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The process exit code: 1 for a refused trust list (a verification
    /// failure), 2 otherwise.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Error::Trust(_) => 1,
            Error::Card(e) if output::refusal_status(e) == Status::Rejected => 1,
            _ => 2,
        }
    }

    /// The times of a refusal for time (a trust list not valid yet or
    /// expired, a card refused for time), for the JSON error.
    pub(crate) fn time_refusal(&self) -> Option<vitale::verify::TimeRefusal> {
        match self {
            Error::Trust(e) | Error::Card(e) => e.time_refusal(),
            _ => None,
        }
    }

    /// The stable snake_case kind shown in JSON errors.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Error::Usage(_) => "usage",
            Error::Io { .. } | Error::Output(_) => "io",
            Error::Json { .. } => "json",
            Error::Trust(e) => e.kind(),
            Error::Sim(_) => "simulator",
            Error::Render(_) => "render",
            #[cfg(feature = "pcsc")]
            Error::Nfc(e) => vitale::nfc_kind(e),
            #[cfg(feature = "pcsc")]
            Error::Terminal(e) => e.kind(),
            Error::Card(e) => e.kind(),
            Error::Camera(e) => e.kind(),
            Error::Key { .. } => "key_invalid",
            Error::Agent(e) => e.kind(),
            Error::Store(e) => e.kind(),
        }
    }
}

impl From<output::WriteError> for Error {
    fn from(e: output::WriteError) -> Self {
        Error::Output(e.0)
    }
}

/// Runs the command line.
pub(crate) fn run(cli: Cli) -> Result<Status, Error> {
    let mut out = output::Out::new(cli.json, cli.show_nir);
    match cli.command {
        Command::Sim(command) => sim::run(command, &mut out),
        Command::Verify(args) => verify::run(&args, &mut out),
        Command::Scan(args) => scan::run(&args, &mut out),
        Command::Ins(command) => ins::run(command, &mut out),
        Command::Rights(args) => rights::run(&args, &mut out),
        Command::Fse(command) => fse::run(command, &mut out),
        Command::Agent(args) => agent::run(&args, &mut out),
    }
}

/// Parses a time given on the command line: RFC 3339
/// (`2026-11-12T14:00:00Z`) or `@` and UNIX seconds.
pub(crate) fn parse_time(text: &str) -> Result<Timestamp, Error> {
    let bad = || {
        Error::Usage(format!(
            "invalid time {text:?}: expected RFC 3339 (2026-11-12T14:00:00Z) or @UNIX seconds"
        ))
    };
    Timestamp::parse_rfc3339_or_unix(text).ok_or_else(bad)
}

/// The time given, or now.
pub(crate) fn time_or_now(at: Option<&str>) -> Result<Timestamp, Error> {
    match at {
        Some(text) => parse_time(text),
        None => Timestamp::from_datetime(time::OffsetDateTime::now_utc())
            .ok_or_else(|| Error::Usage("the system clock is out of range".into())),
    }
}

/// The argument, or one line of stdin when it is absent or `-` (without
/// its line ending), without a leading UTF-8 byte-order mark (a file
/// saved on Windows, `vitale verify - < line.txt`).
pub(crate) fn arg_or_stdin_line(arg: Option<&str>, what: &str) -> Result<String, Error> {
    let text = arg_or_stdin_line_raw(arg, what)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => trim_line_end(rest).to_owned(),
        None => text,
    })
}

fn arg_or_stdin_line_raw(arg: Option<&str>, what: &str) -> Result<String, Error> {
    match arg {
        Some(text) if text != "-" => Ok(text.to_owned()),
        _ => {
            let mut line = String::new();
            io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Error::io(format!("cannot read the {what} from stdin"), e))?;
            Ok(trim_line_end(&line).to_owned())
        }
    }
}

/// A line without its `\n` or `\r\n` (other white space may be data:
/// Base45 has a space).
pub(crate) fn trim_line_end(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

/// Reads a whole file, with the path in the error.
pub(crate) fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(format!("cannot read {what} {}", path.display()), e))
}

/// The verifier for `--trust`, `--root` and `--at`: the trust list is
/// loaded (and checked) at the verification time.
pub(crate) fn load_verifier(trust: &Path, args: &TrustArgs) -> Result<Verifier, Error> {
    let at = args.at.as_deref().map(parse_time).transpose()?;
    let now = time_or_now(args.at.as_deref())?;
    let root_path = match &args.root {
        Some(path) => path.clone(),
        None => default_root(trust),
    };
    let bytes = read_file(trust, "the trust list")?;
    let root = read_file(&root_path, "the root key")?;
    let store = vitale::load_trust_store(&bytes, &root, now).map_err(Error::Trust)?;
    let mut verifier = Verifier::new(store);
    if let Some(location) = replay_cache_location(args) {
        let at: StoreLocation = location
            .parse()
            .map_err(|e| Error::Store(vitale::Error::from(e)))?;
        let cache = at
            .open_replay_cache()
            .map_err(|e| Error::Store(vitale::Error::from(e)))?;
        verifier = verifier.with_replay_cache(cache);
    }
    Ok(match at {
        Some(at) => verifier.with_clock(FixedClock(at)),
        None => verifier,
    })
}

/// `--replay-cache`, else `$VITALE_REPLAY_CACHE` if set and not empty.
fn replay_cache_location(args: &TrustArgs) -> Option<String> {
    args.replay_cache.clone().or_else(|| {
        std::env::var(REPLAY_CACHE_VAR)
            .ok()
            .filter(|v| !v.is_empty())
    })
}

/// The environment variable naming the replay cache's location.
pub(crate) const REPLAY_CACHE_VAR: &str = "VITALE_REPLAY_CACHE";

/// `root.spki.der` in the trust list's directory.
fn default_root(trust: &Path) -> PathBuf {
    trust
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join("root.spki.der")
}
