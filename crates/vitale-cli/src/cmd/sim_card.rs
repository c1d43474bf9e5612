//! `vitale sim card`: the simulated holder's phone held on a vpcd virtual
//! NFC reader (vsmartcard), as `vitale_sim::nfc` emulates it.
//!
//! The phone is the one of `sim present` (same seed, same household, same
//! credential). It runs until `--for SECS` elapse, stdin is closed (Ctrl-D
//! in a terminal, the end of a pipe; stdin on `/dev/null` or a file is not
//! watched) or the process is interrupted (Ctrl-C ends it: the progress
//! lines on stderr already told what happened).

use std::io::{self, IsTerminal as _, Read as _};
use std::net::{SocketAddr, ToSocketAddrs as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use vitale::codec::model::Timestamp;
use vitale_sim::nfc::{Behaviour, CardEmulator, spawn_vpcd};

use super::output::Out;
use super::sim::{load_state, scenario};
use super::{Error, Status, parse_time};
use crate::cli::SimCardArgs;

/// How often the foreground loop looks at the stop conditions.
const TICK: Duration = Duration::from_millis(50);
/// `app-locked` without a count.
const DEFAULT_LOCKED_POLLS: u32 = 3;
/// `slow` without a delay, in milliseconds.
const DEFAULT_SLOW_MS: u64 = 200;

/// The summary printed when the emulator stops.
#[derive(Debug, Serialize)]
struct CardJson<'a> {
    ok: bool,
    vpcd: String,
    behaviour: &'a str,
    /// Times the phone entered the reader's field (vpcd connections).
    connections: u64,
    /// Presentations the phone made.
    presentations: u64,
    /// Why it stopped: `for`, `stdin_closed`.
    stopped_by: &'static str,
}

pub(super) fn run(args: &SimCardArgs, out: &mut Out) -> Result<Status, Error> {
    let behaviour = parse_behaviour(&args.behaviour)?;
    let addr = parse_addr(&args.vpcd)?;
    let fixed = args.at.as_deref().map(parse_time).transpose()?;
    let state = load_state(&args.dir)?;
    let (s, _seed) = scenario(&state)?;
    let start = match fixed {
        Some(at) => at,
        None => now().ok_or_else(|| Error::Usage("the system clock is out of range".into()))?,
    };
    let mut emulator = CardEmulator::new(s.phone, start, behaviour).with_lifetime(args.lifetime);
    if fixed.is_none() {
        emulator = emulator.with_clock(move || now().unwrap_or(start));
    }
    let handle = spawn_vpcd(addr, emulator).map_err(|e| {
        Error::io(
            "cannot start the emulator thread",
            io::Error::other(e.to_string()),
        )
    })?;
    let stdin_closed = watch_stdin();
    let deadline = args
        .for_secs
        .and_then(|secs| Instant::now().checked_add(Duration::from_secs(secs)));
    let human = !out.json();
    if human {
        progress(&format!(
            "phone of {} on vpcd {addr} ({}); stop with Ctrl-C or Ctrl-D{}",
            args.dir.display(),
            args.behaviour,
            args.for_secs
                .map(|secs| format!(", or after {secs} s"))
                .unwrap_or_default()
        ));
    }
    let (mut connections, mut presentations) = (0, 0);
    let stopped_by = loop {
        if stdin_closed
            .as_ref()
            .is_some_and(|f| f.load(Ordering::SeqCst))
        {
            break "stdin_closed";
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break "for";
        }
        std::thread::sleep(TICK);
        if human {
            let now_connections = handle.connections();
            if now_connections > connections {
                connections = now_connections;
                progress(&format!("phone in the field (connection {connections})"));
            }
            let now_presentations = handle.presentations_made();
            if now_presentations > presentations {
                presentations = now_presentations;
                progress(&format!("presentation {presentations} made"));
            }
        }
    };
    let connections = handle.connections();
    let presentations = handle.stop().map_err(|e| {
        Error::io(
            "the emulator thread failed",
            io::Error::other(e.to_string()),
        )
    })?;
    if out.json() {
        out.json_line(&CardJson {
            ok: true,
            vpcd: addr.to_string(),
            behaviour: &args.behaviour,
            connections,
            presentations,
            stopped_by,
        })?;
    } else {
        let plural = if presentations == 1 { "" } else { "s" };
        out.line(&format!(
            "{presentations} presentation{plural} made ({connections} connection(s) to vpcd {addr})"
        ))?;
    }
    Ok(Status::Ok)
}

/// The clock, as a protocol timestamp.
fn now() -> Option<Timestamp> {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc())
}

/// One progress line on stderr (best effort).
pub(super) fn progress(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(io::stderr(), "{text}");
}

/// `HOST:PORT`, resolved (the first address).
pub(super) fn parse_addr(text: &str) -> Result<SocketAddr, Error> {
    text.to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| Error::Usage(format!("invalid vpcd address {text:?}: expected HOST:PORT")))
}

/// A behaviour name: `normal`, `app-locked:N`, `declines`,
/// `short-apdus-only`, `slow:MS`, `disconnect-mid-chain`, `malformed`,
/// `wrong-aid`.
pub(crate) fn parse_behaviour(text: &str) -> Result<Behaviour, Error> {
    let bad = || {
        Error::Usage(format!(
            "unknown behaviour {text:?}: expected normal, app-locked:N, declines, \
             short-apdus-only, slow:MS, disconnect-mid-chain, malformed or wrong-aid"
        ))
    };
    let (name, arg) = match text.split_once(':') {
        Some((name, arg)) => (name, Some(arg)),
        None => (text, None),
    };
    let behaviour = match (name, arg) {
        ("normal", None) => Behaviour::Normal,
        ("app-locked", arg) => Behaviour::AppLocked {
            polls: arg.map_or(Ok(DEFAULT_LOCKED_POLLS), |a| a.parse().map_err(|_| bad()))?,
        },
        ("declines", None) => Behaviour::Declines,
        ("short-apdus-only", None) => Behaviour::ShortApdusOnly,
        ("slow", arg) => Behaviour::Slow {
            delay: Duration::from_millis(
                arg.map_or(Ok(DEFAULT_SLOW_MS), |a| a.parse().map_err(|_| bad()))?,
            ),
        },
        ("disconnect-mid-chain", None) => Behaviour::DisconnectMidChain,
        ("malformed", None) => Behaviour::Malformed,
        ("wrong-aid", None) => Behaviour::WrongAid,
        _ => return Err(bad()),
    };
    Ok(behaviour)
}

/// When stdin is a terminal or a pipe, a flag set once it is closed (read
/// to its end by a background thread); `None` otherwise (`/dev/null`, a
/// file: they would end at once).
pub(super) fn watch_stdin() -> Option<Arc<AtomicBool>> {
    if !stdin_is_watchable() {
        return None;
    }
    let flag = Arc::new(AtomicBool::new(false));
    let thread_flag = Arc::clone(&flag);
    std::thread::Builder::new()
        .name("stdin-watch".into())
        .spawn(move || {
            let mut sink = [0u8; 256];
            let mut stdin = io::stdin();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
            thread_flag.store(true, Ordering::SeqCst);
        })
        .ok()?;
    Some(flag)
}

#[cfg(unix)]
fn stdin_is_watchable() -> bool {
    use std::os::fd::AsFd as _;
    use std::os::unix::fs::FileTypeExt as _;
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return true;
    }
    stdin
        .as_fd()
        .try_clone_to_owned()
        .and_then(|fd| std::fs::File::from(fd).metadata())
        .is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_socket())
}

#[cfg(not(unix))]
fn stdin_is_watchable() -> bool {
    io::stdin().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaviours_parse_in_kebab_case() -> Result<(), Error> {
        assert_eq!(parse_behaviour("normal")?, Behaviour::Normal);
        assert_eq!(
            parse_behaviour("app-locked:2")?,
            Behaviour::AppLocked { polls: 2 }
        );
        assert_eq!(
            parse_behaviour("app-locked")?,
            Behaviour::AppLocked { polls: 3 }
        );
        assert_eq!(
            parse_behaviour("slow:150")?,
            Behaviour::Slow {
                delay: Duration::from_millis(150)
            }
        );
        for (name, b) in [
            ("declines", Behaviour::Declines),
            ("short-apdus-only", Behaviour::ShortApdusOnly),
            ("disconnect-mid-chain", Behaviour::DisconnectMidChain),
            ("malformed", Behaviour::Malformed),
            ("wrong-aid", Behaviour::WrongAid),
        ] {
            assert_eq!(parse_behaviour(name)?, b);
        }
        for bad in [
            "",
            "Normal",
            "declines:1",
            "slow:x",
            "app-locked:-1",
            "locked",
        ] {
            assert!(parse_behaviour(bad).is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn vpcd_addresses_resolve() {
        assert!(parse_addr("127.0.0.1:35963").is_ok());
        assert!(parse_addr("127.0.0.1").is_err());
    }
}
