//! The vpcd transport against a fake vpcd (the reader side of the
//! protocol, as pcscd's vpcd driver speaks it): framing, control messages,
//! no empty frames, card removal, stop and reconnection.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod nfc_common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nfc_common::card;
use vitale::codec::apdu::{ResponseApdu, ResponseChain, StatusWord, Step, open};
use vitale::verify::Verifier;
use vitale_sim::nfc::{
    Behaviour, CardEmulator, Error, HCE_ATR, VpcdConnection, serve_vpcd, spawn_vpcd,
};
use vitale_test_support::RefusedPort;

/// Upper bound against hangs: nothing here should come near it.
const HANG: Duration = Duration::from_secs(20);
const CHALLENGE: [u8; 20] = [0xC4; 20];

/// The reader side: pcscd's vpcd driver, listening for the card.
struct FakeVpcd {
    listener: TcpListener,
}

impl FakeVpcd {
    fn new() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Self { listener }
    }

    fn addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap()
    }

    /// Waits for the card to connect.
    fn accept(&self) -> Slot {
        let deadline = Instant::now() + HANG;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    stream.set_read_timeout(Some(HANG)).unwrap();
                    return Slot { stream };
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    assert!(Instant::now() < deadline, "the card never connected");
                    thread::sleep(Duration::from_millis(2));
                }
                Err(e) => panic!("accept: {e}"),
            }
        }
    }
}

/// One card in the fake reader.
struct Slot {
    stream: TcpStream,
}

impl Slot {
    /// Sends a frame as Debian's vpcd does: length, then payload, in two
    /// writes.
    fn send(&mut self, payload: &[u8]) {
        let len = u16::try_from(payload.len()).unwrap();
        self.stream.write_all(&len.to_be_bytes()).unwrap();
        self.stream.write_all(payload).unwrap();
    }

    fn recv(&mut self) -> Vec<u8> {
        let mut len = [0; 2];
        self.stream.read_exact(&mut len).unwrap();
        let mut payload = vec![0; usize::from(u16::from_be_bytes(len))];
        self.stream.read_exact(&mut payload).unwrap();
        payload
    }

    /// Sends an APDU and reads its answer, which must not be empty.
    fn transmit(&mut self, apdu: &[u8]) -> ResponseApdu {
        self.send(apdu);
        let answer = self.recv();
        assert!(answer.len() >= 2, "empty or truncated APDU answer");
        ResponseApdu::parse(&answer).unwrap()
    }

    fn atr(&mut self) -> Vec<u8> {
        self.send(&[0x04]);
        self.recv()
    }

    /// `true` once the card closed the connection.
    fn closed(&mut self) -> bool {
        let mut byte = [0; 1];
        match self.stream.read(&mut byte) {
            Ok(0) => true,
            Err(e) => matches!(e.kind(), ErrorKind::ConnectionReset),
            Ok(_) => false,
        }
    }

    /// A whole read: SELECT, GET PRESENTATION, GET RESPONSE…
    fn read_presentation(&mut self, extended: bool) -> Vec<u8> {
        let select = self.transmit(&open::select_command().encode_short().unwrap());
        let answer = open::SelectAnswer::from_response(&select).unwrap();
        let extended = extended && answer.extended_length;
        let get = open::get_presentation_command(&CHALLENGE, extended).unwrap();
        let mut response = self.transmit(&get.encode().unwrap());
        let mut chain = ResponseChain::new();
        loop {
            match chain.feed(&response).unwrap() {
                Step::Complete(data) => return data,
                Step::NeedGetResponse(le) => {
                    let next = open::get_response_command(le).encode_short().unwrap();
                    response = self.transmit(&next);
                }
            }
        }
    }
}

/// Sets the stop flag when dropped: a failing script (a panic) still
/// ends `serve_vpcd`, so the test fails instead of hanging in the scope.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs `serve_vpcd` on a scoped thread while `script` plays vpcd, and
/// returns what `serve_vpcd` returned.
///
/// * `script` returns the slot, still open: the card is still in the
///   reader, and `serve_vpcd` is asked to stop (then the slot is closed).
/// * `script` returns `None`, having closed the slot itself (vpcd gone) or
///   seen the card leave: `serve_vpcd` must end by itself, and is **not**
///   asked to stop. A stop request would race with the end of the
///   connection, and whichever `serve_vpcd` noticed first would decide
///   its result (`Ok` for the stop, `Err(Closed)` for vpcd going away).
///
/// Either way `serve_vpcd` has [`HANG`] to end, after which the test fails.
fn with_served_card(
    emulator: &mut CardEmulator,
    script: impl FnOnce(&FakeVpcd) -> Option<Slot>,
) -> Result<(), Error> {
    let vpcd = FakeVpcd::new();
    let stop = AtomicBool::new(false);
    let (done, finished) = mpsc::channel();
    thread::scope(|scope| {
        let addr = vpcd.addr();
        let stop_ref = &stop;
        // Dropped when this closure returns or unwinds, before the scope
        // joins the thread.
        let _stop_on_exit = StopOnDrop(&stop);
        scope.spawn(move || done.send(serve_vpcd(addr, emulator, stop_ref)));
        let slot = script(&vpcd);
        if slot.is_some() {
            stop.store(true, Ordering::SeqCst);
        }
        let result = finished.recv_timeout(HANG);
        drop(slot);
        result.expect("serve_vpcd did not end (hang)")
    })
}

fn verify(v: &Verifier, bytes: &[u8]) {
    v.verify_nfc(bytes, &CHALLENGE).unwrap();
}

#[test]
fn serve_vpcd_answers_control_messages_and_apdus() {
    let (mut emulator, v) = card(3, Behaviour::Normal);
    let result = with_served_card(&mut emulator, |vpcd| {
        let mut slot = vpcd.accept();
        assert_eq!(slot.atr(), HCE_ATR);
        slot.send(&[0x01]); // power on: no answer
        assert_eq!(slot.atr(), HCE_ATR);
        verify(&v, &slot.read_presentation(true));
        verify(&v, &slot.read_presentation(false));

        // Power off / on and reset deselect the app.
        for control in [[0x00], [0x02]] {
            let select = slot.transmit(&open::select_command().encode_short().unwrap());
            assert_eq!(select.status, StatusWord::Ok);
            slot.send(&control);
            slot.send(&[0x01]);
            let get = open::get_presentation_command(&CHALLENGE, false).unwrap();
            let refused = slot.transmit(&get.encode().unwrap());
            assert_eq!(refused.status, StatusWord::FileNotFound);
        }
        Some(slot)
    });
    result.unwrap();
    assert_eq!(emulator.presentations_made(), 2);
}

#[test]
fn frames_split_or_coalesced_are_reassembled() {
    let (mut emulator, _) = card(1, Behaviour::Normal);
    let result = with_served_card(&mut emulator, |vpcd| {
        let mut slot = vpcd.accept();
        // One byte at a time.
        let select = open::select_command().encode_short().unwrap();
        let mut frame = u16::try_from(select.len()).unwrap().to_be_bytes().to_vec();
        frame.extend_from_slice(&select);
        for byte in &frame {
            slot.stream.write_all(&[*byte]).unwrap();
            thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(&slot.recv()[4..], [0x90, 0x00]);
        // Three frames in one write: ATR, an empty frame (ignored), an
        // unknown control message (ignored), a command.
        let mut burst = vec![0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x01, 0x03];
        burst.extend_from_slice(&frame);
        slot.stream.write_all(&burst).unwrap();
        assert_eq!(slot.recv(), HCE_ATR);
        assert_eq!(&slot.recv()[4..], [0x90, 0x00]);
        Some(slot)
    });
    result.unwrap();
}

#[test]
fn every_apdu_answer_is_a_non_empty_frame() {
    let (mut emulator, _) = card(1, Behaviour::Normal);
    let result = with_served_card(&mut emulator, |vpcd| {
        let mut slot = vpcd.accept();
        let commands: [&[u8]; 7] = [
            &[0x00, 0x00],
            &[0xFF, 0xFF, 0xFF],
            &[0x00, 0xC0, 0x00, 0x00, 0x00],
            &[0x80, 0x50, 0x00, 0x00],
            &[0x00, 0xA4, 0x04, 0x00, 0x08],
            &[0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x00],
            &[0x12; 300],
        ];
        for command in commands {
            slot.send(command);
            let answer = slot.recv();
            assert!(answer.len() >= 2, "{command:02X?} got {answer:02X?}");
        }
        Some(slot)
    });
    result.unwrap();
}

#[test]
fn serve_vpcd_stops_promptly_and_closes_the_connection() {
    let (mut emulator, _) = card(1, Behaviour::Normal);
    let vpcd = FakeVpcd::new();
    let stop = AtomicBool::new(false);
    let (done, finished) = mpsc::channel();
    thread::scope(|scope| {
        let addr = vpcd.addr();
        let stop = &stop;
        let emulator = &mut emulator;
        scope.spawn(move || done.send(serve_vpcd(addr, emulator, stop)).unwrap());
        let mut slot = vpcd.accept();
        assert_eq!(slot.atr(), HCE_ATR);
        stop.store(true, Ordering::SeqCst);
        finished.recv_timeout(HANG).unwrap().unwrap();
        assert!(slot.closed());
    });
}

#[test]
fn serve_vpcd_reports_vpcd_going_away() {
    let (mut emulator, _) = card(1, Behaviour::Normal);
    // `stop` is set only if the server misses the closing: setting it
    // right after the close (as `with_served_card` does) would race with
    // the server noticing the close, and `Ok(())` would be as right.
    let vpcd = FakeVpcd::new();
    let stop = AtomicBool::new(false);
    let (done, finished) = mpsc::channel();
    let result = thread::scope(|scope| {
        let addr = vpcd.addr();
        let stop = &stop;
        let emulator = &mut emulator;
        scope.spawn(move || done.send(serve_vpcd(addr, emulator, stop)).unwrap());
        let mut slot = vpcd.accept();
        assert_eq!(slot.atr(), HCE_ATR);
        drop(slot);
        let result = finished.recv_timeout(HANG);
        stop.store(true, Ordering::SeqCst);
        result
    });
    assert!(matches!(result, Ok(Err(Error::Closed))), "{result:?}");

    // Nobody listening.
    let port = RefusedPort::new();
    let stop = AtomicBool::new(false);
    let result = serve_vpcd(port.addr(), &mut emulator, &stop);
    assert!(matches!(result, Err(Error::Io(_))), "{result:?}");
}

#[test]
fn the_card_leaves_mid_chain() {
    let (mut emulator, _) = card(3, Behaviour::DisconnectMidChain);
    let result = with_served_card(&mut emulator, |vpcd| {
        let mut slot = vpcd.accept();
        let select = slot.transmit(&open::select_command().encode_short().unwrap());
        assert_eq!(select.status, StatusWord::Ok);
        let get = open::get_presentation_command(&CHALLENGE, true).unwrap();
        let first = slot.transmit(&get.encode().unwrap());
        assert!(matches!(first.status, StatusWord::MoreData(_)));
        assert!(slot.closed());
        None
    });
    result.unwrap();
    assert!(!emulator.is_selected());
}

#[test]
fn a_slow_phone_answers_late_but_stops_at_once() {
    let (mut emulator, _) = card(
        1,
        Behaviour::Slow {
            delay: Duration::from_millis(20),
        },
    );
    let result = with_served_card(&mut emulator, |vpcd| {
        let mut slot = vpcd.accept();
        assert_eq!(slot.atr(), HCE_ATR);
        let select = slot.transmit(&open::select_command().encode_short().unwrap());
        assert_eq!(select.status, StatusWord::Ok);
        Some(slot)
    });
    result.unwrap();

    // A phone that would take an hour: stop does not wait for it.
    let (emulator, _) = card(
        1,
        Behaviour::Slow {
            delay: Duration::from_secs(3600),
        },
    );
    let vpcd = FakeVpcd::new();
    let handle = spawn_vpcd(vpcd.addr(), emulator).unwrap();
    let mut slot = vpcd.accept();
    slot.send(&open::select_command().encode_short().unwrap());
    thread::sleep(Duration::from_millis(50));
    let (done, finished) = mpsc::channel();
    thread::spawn(move || done.send(handle.stop()).unwrap());
    assert_eq!(finished.recv_timeout(HANG).unwrap().unwrap(), 0);
    assert!(slot.closed());
}

#[test]
fn spawn_vpcd_serves_reconnects_and_stops() {
    let (emulator, v) = card(1, Behaviour::Normal);
    let vpcd = FakeVpcd::new();
    let handle = spawn_vpcd(vpcd.addr(), emulator).unwrap();
    let mut slot = vpcd.accept();
    assert!(handle.wait_connected(HANG));
    assert_eq!(slot.atr(), HCE_ATR);
    verify(&v, &slot.read_presentation(true));
    assert_eq!(handle.presentations_made(), 1);

    // pcscd restarted: vpcd closes, the card comes back by itself, the
    // app deselected.
    drop(slot);
    let mut slot = vpcd.accept();
    let get = open::get_presentation_command(&CHALLENGE, false).unwrap();
    assert_eq!(
        slot.transmit(&get.encode().unwrap()).status,
        StatusWord::FileNotFound
    );
    assert_eq!(handle.connections(), 2);
    verify(&v, &slot.read_presentation(false));

    // The phone leaves the field and comes back.
    handle.remove_card();
    assert!(slot.closed());
    thread::sleep(Duration::from_millis(100));
    assert!(vpcd.listener.accept().is_err(), "reconnected while removed");
    handle.insert_card();
    let mut slot = vpcd.accept();
    assert_eq!(slot.atr(), HCE_ATR);
    assert_eq!(handle.connections(), 3);

    assert_eq!(handle.stop().unwrap(), 2);
    assert!(slot.closed());
}

#[test]
fn spawn_vpcd_waits_for_vpcd_and_stops_without_it() {
    // Nobody listening yet: the thread retries until stopped.
    let port = RefusedPort::new();
    let (emulator, _) = card(1, Behaviour::Normal);
    let handle = spawn_vpcd(port.addr(), emulator).unwrap();
    assert!(!handle.wait_connected(Duration::from_millis(100)));
    assert_eq!(handle.stop().unwrap(), 0);

    // Dropping the handle stops the thread as well.
    let vpcd = FakeVpcd::new();
    let (emulator, _) = card(1, Behaviour::Normal);
    let handle = spawn_vpcd(vpcd.addr(), emulator).unwrap();
    let mut slot = vpcd.accept();
    drop(handle);
    assert!(slot.closed());
}

#[test]
fn spawn_vpcd_comes_back_after_leaving_mid_chain() {
    let (emulator, _) = card(3, Behaviour::DisconnectMidChain);
    let vpcd = FakeVpcd::new();
    let handle = spawn_vpcd(vpcd.addr(), emulator).unwrap();
    for round in 1..=2 {
        let mut slot = vpcd.accept();
        let select = slot.transmit(&open::select_command().encode_short().unwrap());
        assert_eq!(select.status, StatusWord::Ok);
        let get = open::get_presentation_command(&CHALLENGE, false).unwrap();
        let first = slot.transmit(&get.encode().unwrap());
        assert!(matches!(first.status, StatusWord::MoreData(_)));
        assert!(slot.closed());
        assert_eq!(handle.presentations_made(), round);
    }
    assert_eq!(handle.stop().unwrap(), 2);
}

#[test]
fn a_connection_can_be_driven_by_hand() {
    let vpcd = FakeVpcd::new();
    let addr = vpcd.addr();
    let client = thread::spawn(move || {
        let mut conn = VpcdConnection::connect(addr).unwrap();
        let stop = AtomicBool::new(false);
        let frame = conn.read_frame(&stop).unwrap().unwrap();
        assert_eq!(frame, [0x04]);
        conn.write_frame(&HCE_ATR).unwrap();
        assert!(matches!(
            conn.write_frame(&vec![0; 65_536]),
            Err(Error::FrameTooLong { len: 65_536 })
        ));
        stop.store(true, Ordering::SeqCst);
        assert!(conn.read_frame(&stop).unwrap().is_none());
        conn.close();
    });
    let mut slot = vpcd.accept();
    assert_eq!(slot.atr(), HCE_ATR);
    client.join().unwrap();
    assert!(slot.closed());
}

/// Manual check against a real pcscd with the vpcd driver: serves the
/// holder's phone (household of 1) on `VITALE_VPCD_ADDR` (default
/// 127.0.0.1:35963) for `VITALE_VPCD_SECS` seconds (default 10), e.g.
/// `cargo test -p vitale-sim --features nfc --test nfc_vpcd -- --ignored --nocapture`
/// while `pcsc_scan` or `scriptor` talks to "Virtual PCD 00 00".
#[test]
#[ignore = "needs pcscd with the vsmartcard vpcd driver"]
#[allow(clippy::print_stderr)]
fn serve_a_real_vpcd() {
    let addr = std::env::var("VITALE_VPCD_ADDR")
        .map_or(vitale_sim::nfc::VPCD_DEFAULT_ADDR, |a| a.parse().unwrap());
    let secs = std::env::var("VITALE_VPCD_SECS").map_or(10, |s| s.parse().unwrap());
    let (emulator, _) = card(1, Behaviour::Normal);
    let handle = spawn_vpcd(addr, emulator).unwrap();
    assert!(handle.wait_connected(HANG), "no vpcd at {addr}");
    thread::sleep(Duration::from_secs(secs));
    let connections = handle.connections();
    let presentations = handle.stop().unwrap();
    eprintln!("served {addr}: {connections} connection(s), {presentations} presentation(s)");
}
