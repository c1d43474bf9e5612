//! The replay-cache conformance suite: one generic module, run against
//! every backend (`replay_conformance.rs` instantiates it for memory,
//! SQLite and PostgreSQL).
//!
//! Each case takes a [`Backend`]: a way to get handles on one store (the
//! same store, as several workstations or processes would hold it) and to
//! reopen it (a restart). Cases that need more than one process or a
//! restart run only where the backend is shared or durable.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use vitale_codec::model::{CredentialId, Nonce, Timestamp};
use vitale_test_support::ChildGuard;
use vitale_verify::replay::{ReplayCache, ReplayError, ReplayId};

/// A realistic clock (2030): never purged by a server's clock.
pub(crate) const T0: u64 = 1_900_000_000;
/// The default policy's retention: 180 s of lifetime + 300 s of skew.
pub(crate) const RETENTION: u64 = 480;
/// Set in a child process: the store location it opens.
pub(crate) const LOCATION_VAR: &str = "VITALE_CONFORMANCE_LOCATION";
/// Set in a child process: which ids it tries, and in which order.
pub(crate) const PLAN_VAR: &str = "VITALE_CONFORMANCE_PLAN";

/// A store under test.
pub(crate) trait Backend: Send + Sync {
    /// A handle on the store: the same cache for memory, a new connection
    /// or file handle for the others.
    fn handle(&self) -> Arc<dyn ReplayCache>;
    /// A handle after a restart (memory: a new, empty cache).
    fn reopen(&self) -> Arc<dyn ReplayCache>;
    /// Whether a restart keeps what was recorded.
    fn durable(&self) -> bool;
    /// The `StoreLocation` text child processes open, if the store can be
    /// shared between processes.
    fn location(&self) -> Option<String>;
}

pub(crate) fn ts(secs: u64) -> Timestamp {
    Timestamp::from_unix(secs).expect("in range")
}

/// A distinct id for (`space`, `n`): `space` keeps the cases of one store
/// apart.
pub(crate) fn id(space: u64, n: u64) -> ReplayId {
    let mut credential = [0u8; 16];
    credential[..8].copy_from_slice(&space.to_be_bytes());
    credential[8..].copy_from_slice(&(n % 7).to_be_bytes());
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&n.to_be_bytes());
    nonce[8..].copy_from_slice(&n.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes());
    ReplayId::new(
        &CredentialId::from_bytes(credential),
        &Nonce::from_bytes(nonce),
    )
}

/// A fresh presentation is accepted, the same one again refused.
pub(crate) fn fresh_then_replay(b: &dyn Backend, space: u64) {
    let cache = b.handle();
    let x = id(space, 1);
    assert_eq!(
        cache.check_and_remember(&x, ts(T0 + RETENTION), ts(T0)),
        Ok(())
    );
    assert_eq!(
        cache.check_and_remember(&x, ts(T0 + RETENTION), ts(T0 + 1)),
        Err(ReplayError::Replay)
    );
    // Another handle on the same store sees it too.
    assert_eq!(
        b.handle()
            .check_and_remember(&x, ts(T0 + RETENTION + 60), ts(T0 + 2)),
        Err(ReplayError::Replay)
    );
}

/// The id is the pair (credential, nonce): either differing is another
/// presentation.
pub(crate) fn ids_are_credential_and_nonce(b: &dyn Backend, space: u64) {
    let cache = b.handle();
    let credential = |tag: u8| {
        let mut bytes = [tag; 16];
        bytes[..8].copy_from_slice(&space.to_be_bytes());
        CredentialId::from_bytes(bytes)
    };
    let (c1, c2) = (credential(1), credential(2));
    let (n1, n2) = (Nonce::from_bytes([1; 16]), Nonce::from_bytes([2; 16]));
    let until = ts(T0 + RETENTION);
    let pairs = [(&c1, &n1), (&c1, &n2), (&c2, &n1), (&c2, &n2)];
    for (c, n) in pairs {
        assert_eq!(
            cache.check_and_remember(&ReplayId::new(c, n), until, ts(T0)),
            Ok(())
        );
    }
    for (c, n) in pairs {
        assert_eq!(
            cache.check_and_remember(&ReplayId::new(c, n), until, ts(T0)),
            Err(ReplayError::Replay)
        );
    }
}

/// Expiry is exclusive: refused until `retain_until`, accepted (and
/// recorded again) from `retain_until` on.
pub(crate) fn expiry_is_exclusive(b: &dyn Backend, space: u64) {
    let cache = b.handle();
    let x = id(space, 2);
    let until = T0 + RETENTION;
    cache
        .check_and_remember(&x, ts(until), ts(T0))
        .expect("fresh");
    assert_eq!(
        cache.check_and_remember(&x, ts(until + RETENTION), ts(until - 1)),
        Err(ReplayError::Replay)
    );
    assert_eq!(
        cache.check_and_remember(&x, ts(until + RETENTION), ts(until)),
        Ok(())
    );
    // Recorded again, with the new retention.
    assert_eq!(
        cache.check_and_remember(&x, ts(until + 2 * RETENTION), ts(until + RETENTION - 1)),
        Err(ReplayError::Replay)
    );
}

/// A call whose retention has already ended is accepted and leaves no
/// live entry (the verifier never makes one: it refuses the presentation
/// as expired first).
pub(crate) fn already_expired_is_not_remembered(b: &dyn Backend, space: u64) {
    let cache = b.handle();
    let x = id(space, 3);
    assert_eq!(cache.check_and_remember(&x, ts(T0), ts(T0)), Ok(()));
    assert_eq!(cache.check_and_remember(&x, ts(T0 - 5), ts(T0)), Ok(()));
    assert_eq!(
        cache.check_and_remember(&x, ts(T0 + RETENTION), ts(T0)),
        Ok(())
    );
    assert_eq!(
        cache.check_and_remember(&x, ts(T0), ts(T0)),
        Err(ReplayError::Replay),
        "a live entry is a replay even for an expired call"
    );
}

/// Threads, each with its own handle, try the same ids in different
/// orders: each id is accepted exactly once.
pub(crate) fn concurrent_threads(b: &dyn Backend, space: u64) {
    const THREADS: u64 = 8;
    const IDS: u64 = 60;
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let cache = b.handle();
            thread::spawn(move || {
                let mut accepted = Vec::new();
                for k in 0..IDS {
                    // A different order per thread.
                    let n = (k * (2 * t + 1) + t) % IDS;
                    match cache.check_and_remember(&id(space, 100 + n), ts(T0 + RETENTION), ts(T0))
                    {
                        Ok(()) => accepted.push(n),
                        Err(ReplayError::Replay) => {}
                        Err(e) => panic!("thread {t}: {e:?}"),
                    }
                }
                accepted
            })
        })
        .collect();
    let mut all: Vec<u64> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("thread"))
        .collect();
    all.sort_unstable();
    assert_eq!(
        all,
        (0..IDS).collect::<Vec<_>>(),
        "each id accepted exactly once"
    );
}

/// The child side of [`concurrent_processes`]: tries the plan's ids in its
/// order and prints `A n` (accepted) or `R n` (replay) after each answer.
pub(crate) fn child() {
    let Ok(location) = std::env::var(LOCATION_VAR) else {
        return;
    };
    let plan = std::env::var(PLAN_VAR).expect("plan");
    let mut parts = plan
        .split(',')
        .map(|p| p.parse::<u64>().expect("plan number"));
    let (space, seed, count) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let at: vitale_store::StoreLocation = location.parse().expect("location");
    let cache = at.open_replay_cache().expect("child opens the store");
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for k in 0..count {
        let n = (k * (2 * seed + 1) + seed) % count;
        let answer = cache.check_and_remember(&id(space, 1_000 + n), ts(T0 + RETENTION), ts(T0));
        let tag = match answer {
            Ok(()) => "A",
            Err(ReplayError::Replay) => "R",
            Err(e) => panic!("child {seed}: {e:?}"),
        };
        writeln!(out, "{tag} {n}").expect("parent reads");
        out.flush().expect("parent reads");
    }
}

/// Processes, each opening the store itself, try the same ids at once:
/// each id is accepted exactly once; then, after every process has ended
/// (a restart inside the window), a new handle refuses them all.
pub(crate) fn concurrent_processes(b: &dyn Backend, space: u64, child_test: &str) {
    const PROCESSES: u64 = 4;
    const IDS: u64 = 150;
    let Some(location) = b.location() else {
        return;
    };
    let exe = std::env::current_exe().expect("test binary");
    let mut children: Vec<ChildGuard> = (0..PROCESSES)
        .map(|seed| {
            ChildGuard::spawn(
                Command::new(&exe)
                    .args([
                        child_test,
                        "--exact",
                        "--ignored",
                        "--nocapture",
                        "--test-threads=1",
                        "-q",
                    ])
                    .env(LOCATION_VAR, &location)
                    .env(PLAN_VAR, format!("{space},{seed},{IDS}"))
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped()),
                "conformance child",
            )
        })
        .collect();
    let mut accepted: HashMap<u64, usize> = HashMap::new();
    let mut answered = 0;
    for child in &mut children {
        let done = child
            .wait_bounded(Duration::from_secs(120))
            .expect("child finished");
        assert!(
            done.status.success(),
            "child failed: {}\n{}",
            done.stdout,
            done.stderr
        );
        for line in done.stdout.lines() {
            if let Some(n) = line.strip_prefix("A ") {
                *accepted.entry(n.parse().expect("id")).or_default() += 1;
                answered += 1;
            } else if line.starts_with("R ") {
                answered += 1;
            }
        }
    }
    assert_eq!(
        answered,
        (PROCESSES * IDS) as usize,
        "every attempt answered"
    );
    let once: HashSet<u64> = accepted
        .iter()
        .filter(|(_, c)| **c == 1)
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(
        accepted.len(),
        IDS as usize,
        "every id accepted by some process"
    );
    assert_eq!(
        once.len(),
        IDS as usize,
        "no id accepted twice: {accepted:?}"
    );
    // Every process has ended: the store still knows every id.
    let cache = b.reopen();
    for n in 0..IDS {
        assert_eq!(
            cache.check_and_remember(&id(space, 1_000 + n), ts(T0 + RETENTION), ts(T0 + 100)),
            Err(ReplayError::Replay),
            "id {n} forgotten after the processes ended"
        );
    }
}

/// A restart inside the window: what was accepted before is refused after
/// (durable backends); a memory cache forgets (documented, not durable).
pub(crate) fn restart_inside_the_window(b: &dyn Backend, space: u64) {
    let x = id(space, 4);
    {
        let cache = b.handle();
        cache
            .check_and_remember(&x, ts(T0 + RETENTION), ts(T0))
            .expect("fresh");
    }
    let after = b
        .reopen()
        .check_and_remember(&x, ts(T0 + RETENTION), ts(T0 + 200));
    if b.durable() {
        assert_eq!(
            after,
            Err(ReplayError::Replay),
            "forgotten across a restart"
        );
    } else {
        assert_eq!(after, Ok(()), "a memory cache is not durable");
    }
}

/// A naive model of the trait's contract, for a clock that never goes
/// back (backends differ only when it does: the memory cache follows the
/// latest `now` it has seen, the databases each call's).
pub(crate) struct Model(HashMap<ReplayId, u64>);

impl Model {
    pub(crate) fn new() -> Self {
        Model(HashMap::new())
    }

    pub(crate) fn check_and_remember(
        &mut self,
        id: ReplayId,
        until: u64,
        now: u64,
    ) -> Result<(), ReplayError> {
        match self.0.get(&id) {
            Some(&live) if live > now => Err(ReplayError::Replay),
            _ => {
                if until > now {
                    self.0.insert(id, until);
                } else {
                    self.0.remove(&id);
                }
                Ok(())
            }
        }
    }
}

/// One random sequence of calls (a small set of ids, a clock moving
/// forward, retentions around the default) compared with [`Model`].
pub(crate) fn behaves_like_the_model(b: &dyn Backend, space: u64, steps: &[(u8, u16, i16)]) {
    let cache = b.handle();
    let mut model = Model::new();
    // Each sequence starts after the previous one ended (at most 40 steps
    // of 200 s), so that the store's clock never goes back.
    let mut now = T0 + (space & 0xf_ffff) * 10_000;
    for (i, &(which, advance, retention)) in steps.iter().enumerate() {
        now += u64::from(advance);
        let until = now.saturating_add_signed(i64::from(retention));
        let x = id(space, 10_000 + u64::from(which % 6));
        let got = cache.check_and_remember(&x, ts(until), ts(now));
        let want = model.check_and_remember(x, until, now);
        assert_eq!(got, want, "step {i}: id {which}, now {now}, until {until}");
    }
}
