//! The card side of the vpcd protocol (vsmartcard's virtual PC/SC reader
//! driver for pcscd), over TCP.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::{CardEmulator, Error};

/// Where pcscd's first vpcd reader ("Virtual PCD 00 00") listens.
pub const VPCD_DEFAULT_ADDR: SocketAddr =
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 35963));

/// Largest vpcd frame payload (2-byte length).
pub const MAX_FRAME: usize = 65_535;

/// Control message: power off.
pub const CTRL_POWER_OFF: u8 = 0x00;
/// Control message: power on.
pub const CTRL_POWER_ON: u8 = 0x01;
/// Control message: reset.
pub const CTRL_RESET: u8 = 0x02;
/// Control message: get ATR (the only one answered).
pub const CTRL_GET_ATR: u8 = 0x04;

/// How long a read waits before checking whether to stop.
const POLL: Duration = Duration::from_millis(25);
/// Time allowed to connect to vpcd.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Time allowed to write one frame (pcscd reads them at once).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Reconnection back-off of [`spawn_vpcd`].
const BACKOFF_MIN: Duration = Duration::from_millis(20);
const BACKOFF_MAX: Duration = Duration::from_millis(500);

/// One TCP connection to vpcd: one card in the reader's field.
///
/// Frames are a 2-byte big-endian length then the payload, both ways. The
/// connection sets `TCP_NODELAY`, writes each frame in one `write`, and
/// re-arms `TCP_QUICKACK` before every read (Linux): vpcd writes a frame in
/// two `send` calls, which otherwise waits on delayed ACKs (about 44 ms per
/// APDU instead of 0.1–0.2 ms).
#[derive(Debug)]
pub struct VpcdConnection {
    stream: TcpStream,
    frames: VpcdFrames,
}

/// The vpcd frames in a byte stream: a 2-byte big-endian length, then the
/// payload. Bytes are pushed as they arrive; complete frames come out in
/// order. At most one partial frame is held, so at most [`MAX_FRAME`] + 2
/// bytes plus the last push.
///
/// ```
/// use vitale_sim::nfc::VpcdFrames;
///
/// let mut frames = VpcdFrames::new();
/// frames.push(&[0x00, 0x01, 0x04, 0x00]);
/// assert_eq!(frames.next_frame(), Some(vec![0x04]));
/// assert_eq!(frames.next_frame(), None);
/// frames.push(&[0x00]);
/// assert_eq!(frames.next_frame(), Some(vec![]));
/// ```
#[derive(Debug, Default, Clone)]
pub struct VpcdFrames {
    buffer: Vec<u8>,
}

impl VpcdFrames {
    /// No bytes yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends bytes read from the connection.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Removes the next complete frame's payload, if one has arrived.
    pub fn next_frame(&mut self) -> Option<Vec<u8>> {
        let (&len, rest) = self.buffer.split_first_chunk::<2>()?;
        let len = usize::from(u16::from_be_bytes(len));
        let payload = rest.get(..len)?.to_vec();
        self.buffer.drain(..len.saturating_add(2));
        Some(payload)
    }

    /// Bytes held that are not yet a complete frame (or not yet taken).
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }
}

impl VpcdConnection {
    /// Connects to vpcd at `addr` (the card enters the field).
    ///
    /// # Errors
    /// [`Error::Io`] if the connection fails (no pcscd listening…).
    pub fn connect(addr: SocketAddr) -> Result<Self, Error> {
        Self::from_stream(TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT)?)
    }

    /// Wraps a connected stream, setting its options.
    ///
    /// # Errors
    /// [`Error::Io`] if an option cannot be set.
    pub fn from_stream(stream: TcpStream) -> Result<Self, Error> {
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(POLL))?;
        stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
        Ok(Self {
            stream,
            frames: VpcdFrames::new(),
        })
    }

    /// Reads the next frame's payload, or `None` once `stop` is set.
    ///
    /// # Errors
    /// [`Error::Closed`] when vpcd closes the connection, [`Error::Io`].
    pub fn read_frame(&mut self, stop: &AtomicBool) -> Result<Option<Vec<u8>>, Error> {
        self.read_frame_until(&|| stop.load(Ordering::SeqCst))
    }

    /// Writes one frame (length and payload in a single write).
    ///
    /// # Errors
    /// [`Error::FrameTooLong`] above [`MAX_FRAME`] bytes; [`Error::Closed`],
    /// [`Error::Io`].
    pub fn write_frame(&mut self, payload: &[u8]) -> Result<(), Error> {
        let len =
            u16::try_from(payload.len()).map_err(|_| Error::FrameTooLong { len: payload.len() })?;
        let mut frame = Vec::with_capacity(payload.len().saturating_add(2));
        frame.extend_from_slice(&len.to_be_bytes());
        frame.extend_from_slice(payload);
        self.stream.write_all(&frame).map_err(io_error)?;
        self.stream.flush().map_err(io_error)
    }

    /// Closes the connection (the card leaves the field).
    pub fn close(self) {
        // The peer may already be gone: nothing to report.
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    fn read_frame_until(&mut self, cancel: &dyn Fn() -> bool) -> Result<Option<Vec<u8>>, Error> {
        let mut chunk = [0_u8; 8192];
        loop {
            if let Some(frame) = self.frames.next_frame() {
                return Ok(Some(frame));
            }
            if cancel() {
                return Ok(None);
            }
            rearm_quickack(&self.stream);
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(Error::Closed),
                Ok(n) => self.frames.push(chunk.get(..n).unwrap_or_default()),
                Err(e) if is_timeout(&e) => {}
                Err(e) => return Err(io_error(e)),
            }
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn rearm_quickack(stream: &TcpStream) {
    // Best effort: without it the exchange is only slower.
    let _ = socket2::SockRef::from(stream).set_tcp_quickack(true);
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn rearm_quickack(_stream: &TcpStream) {}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// The peer going away is [`Error::Closed`]; anything else [`Error::Io`].
fn io_error(e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::UnexpectedEof => Error::Closed,
        _ => Error::Io(e),
    }
}

/// Why a served connection ended without error.
enum Ended {
    /// Asked to stop (or to remove the card).
    Cancelled,
    /// The card left the field by itself ([`super::Behaviour::DisconnectMidChain`]).
    CardLeft,
}

/// Serves one connection until cancelled, the card leaves or vpcd goes.
fn serve_connection(
    conn: &mut VpcdConnection,
    emulator: &mut CardEmulator,
    cancel: &dyn Fn() -> bool,
    presentations: Option<&AtomicU64>,
) -> Result<Ended, Error> {
    loop {
        let Some(frame) = conn.read_frame_until(cancel)? else {
            return Ok(Ended::Cancelled);
        };
        match *frame.as_slice() {
            // Nothing to answer (not a legal message).
            [] => {}
            [CTRL_POWER_OFF | CTRL_POWER_ON | CTRL_RESET] => emulator.reset(),
            [CTRL_GET_ATR] => conn.write_frame(emulator.atr())?,
            // Unknown control messages are not answered.
            [_] => {}
            _ => {
                if let Some(delay) = emulator.answer_delay()
                    && !sleep_unless(delay, cancel)
                {
                    return Ok(Ended::Cancelled);
                }
                let answer = emulator.handle_apdu(&frame);
                if let Some(counter) = presentations {
                    counter.store(emulator.presentations_made(), Ordering::SeqCst);
                }
                conn.write_frame(&answer)?;
                if emulator.take_disconnect_request() {
                    return Ok(Ended::CardLeft);
                }
            }
        }
    }
}

/// Sleeps `duration` in short slices; `false` if cancelled meanwhile.
fn sleep_unless(duration: Duration, cancel: &dyn Fn() -> bool) -> bool {
    let deadline = Instant::now().checked_add(duration);
    loop {
        if cancel() {
            return false;
        }
        let left = deadline.map_or(POLL, |d| d.saturating_duration_since(Instant::now()));
        if left.is_zero() {
            return true;
        }
        thread::sleep(left.min(POLL));
    }
}

/// Inserts the emulated card in the vpcd reader at `addr` and serves it on
/// the calling thread.
///
/// The app is reset on insertion. Power off, power on and reset
/// deselect it; get-ATR is answered with [`CardEmulator::atr`]; every
/// message of two bytes or more is a command APDU, answered with one frame
/// (never empty), after [`CardEmulator::answer_delay`].
///
/// Returns `Ok(())` once `stop` is set (checked every few tens of
/// milliseconds) or when the card left the field by itself
/// ([`super::Behaviour::DisconnectMidChain`]); the connection is then
/// closed.
///
/// # Errors
/// [`Error::Io`] if the connection fails; [`Error::Closed`] when vpcd
/// closes it (pcscd stopped or restarted).
pub fn serve_vpcd(
    addr: SocketAddr,
    emulator: &mut CardEmulator,
    stop: &AtomicBool,
) -> Result<(), Error> {
    let mut conn = VpcdConnection::connect(addr)?;
    emulator.reset();
    let result = serve_connection(&mut conn, emulator, &|| stop.load(Ordering::SeqCst), None);
    emulator.reset();
    conn.close();
    result.map(|_| ())
}

/// State shared between an [`EmulatorHandle`] and its thread.
#[derive(Debug, Default)]
struct Shared {
    stop: AtomicBool,
    removed: AtomicBool,
    connected: AtomicBool,
    connections: AtomicU64,
    presentations: AtomicU64,
}

/// An emulated phone held on a vpcd reader by a background thread
/// ([`spawn_vpcd`]); dropping the handle stops the thread too.
#[derive(Debug)]
pub struct EmulatorHandle {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<u64>>,
}

impl EmulatorHandle {
    /// Stops the thread (promptly: within a few tens of milliseconds, or
    /// a [`super::Behaviour::Slow`] answer being written) and closes the
    /// connection; returns how many presentations the phone made.
    ///
    /// # Errors
    /// [`Error::ThreadPanicked`] (a bug).
    pub fn stop(mut self) -> Result<u64, Error> {
        self.shared.stop.store(true, Ordering::SeqCst);
        let thread = self.thread.take().ok_or(Error::ThreadPanicked)?;
        thread.join().map_err(|_| Error::ThreadPanicked)
    }

    /// Takes the phone out of the field: the connection is closed and not
    /// reopened until [`EmulatorHandle::insert_card`].
    pub fn remove_card(&self) {
        self.shared.removed.store(true, Ordering::SeqCst);
    }

    /// Puts the phone back in the field (connects again).
    pub fn insert_card(&self) {
        self.shared.removed.store(false, Ordering::SeqCst);
    }

    /// `true` while a connection to vpcd is open.
    #[must_use]
    pub fn is_connected(&self) -> bool {
        self.shared.connected.load(Ordering::SeqCst)
    }

    /// Waits until a connection is open, at most `timeout`; `true` if it is.
    #[must_use]
    pub fn wait_connected(&self, timeout: Duration) -> bool {
        let deadline = Instant::now().checked_add(timeout);
        while !self.is_connected() {
            if deadline.is_none_or(|d| Instant::now() >= d) {
                return self.is_connected();
            }
            thread::sleep(Duration::from_millis(5));
        }
        true
    }

    /// How many connections to vpcd were opened so far (insertions).
    #[must_use]
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// How many presentations the phone has made so far.
    #[must_use]
    pub fn presentations_made(&self) -> u64 {
        self.shared.presentations.load(Ordering::SeqCst)
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            // A panic was already reported by the thread; nothing to add.
            let _ = thread.join();
        }
    }
}

/// Serves `emulator` on the vpcd reader at `addr` from a background thread
/// until [`EmulatorHandle::stop`].
///
/// The thread connects, serves as [`serve_vpcd`] does, and when the
/// connection fails or ends (pcscd not started yet or restarted, the card
/// leaving by itself under [`super::Behaviour::DisconnectMidChain`]) it
/// connects again after a short back-off (20 ms, doubling up to 500 ms).
///
/// # Errors
/// [`Error::Io`] if the thread cannot be spawned.
pub fn spawn_vpcd(addr: SocketAddr, emulator: CardEmulator) -> Result<EmulatorHandle, Error> {
    let shared = Arc::new(Shared::default());
    let thread_shared = Arc::clone(&shared);
    let thread = thread::Builder::new()
        .name("vitale-vpcd".to_owned())
        .spawn(move || run(addr, emulator, &thread_shared))?;
    Ok(EmulatorHandle {
        shared,
        thread: Some(thread),
    })
}

/// The loop of the [`spawn_vpcd`] thread; returns the presentations made.
fn run(addr: SocketAddr, mut emulator: CardEmulator, shared: &Shared) -> u64 {
    let stopped = || shared.stop.load(Ordering::SeqCst);
    let cancel = || stopped() || shared.removed.load(Ordering::SeqCst);
    let mut backoff = BACKOFF_MIN;
    while !stopped() {
        if cancel() {
            thread::sleep(POLL);
            continue;
        }
        let before = shared.connections.load(Ordering::SeqCst);
        let outcome = VpcdConnection::connect(addr).and_then(|mut conn| {
            emulator.reset();
            shared.connected.store(true, Ordering::SeqCst);
            shared.connections.fetch_add(1, Ordering::SeqCst);
            let outcome = serve_connection(
                &mut conn,
                &mut emulator,
                &cancel,
                Some(&shared.presentations),
            );
            shared.connected.store(false, Ordering::SeqCst);
            emulator.reset();
            conn.close();
            outcome
        });
        match outcome {
            Ok(Ended::Cancelled) => backoff = BACKOFF_MIN,
            Ok(Ended::CardLeft) => {
                backoff = BACKOFF_MIN;
                sleep_unless(backoff, &stopped);
            }
            Err(_) => {
                if shared.connections.load(Ordering::SeqCst) != before {
                    // It was connected: vpcd went away, try again soon.
                    backoff = BACKOFF_MIN;
                }
                sleep_unless(backoff, &stopped);
                backoff = backoff.saturating_mul(2).min(BACKOFF_MAX);
            }
        }
    }
    shared
        .presentations
        .store(emulator.presentations_made(), Ordering::SeqCst);
    emulator.presentations_made()
}

#[cfg(test)]
mod tests;
