//! The agent's NFC endpoints on the real PC/SC stack: a private `pcscd`
//! with the vsmartcard vpcd virtual reader (`vitale-test-support`'s
//! harness: its own mount namespace, free ports, the test re-executed with
//! `PCSCLITE_CSOCK_NAME` pointing at it), the phone emulated by
//! `vitale-sim` over the vpcd socket, and an agent configured as a
//! workstation is (`nfc = "pcsc"`, trust list and pinned root from files,
//! not the simulator's in-process phone) driven over HTTP as a web page
//! drives it: `POST /v1/nfc/read`, the `GET /v1/nfc/events` stream read
//! raw from a `TcpStream` (chunked transfer, `event:`/`data:` lines),
//! `POST /v1/nfc/cancel`.
//!
//! A daemon that cannot be started fails the test (in CI and everywhere
//! else: the harness panics). Waits are upper bounds against hangs, never
//! timing assertions; the times printed (`nfc:` lines, shown with
//! `--nocapture`) are measurements. Needs root (CI is root) or
//! unprivileged user namespaces, and `pcscd libpcsclite-dev
//! vsmartcard-vpcd`.
#![cfg(feature = "pcsc")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use vitale::codec::model::Timestamp;
use vitale::reader::nfc::{NfcContext, ReadOptions, read_presentation};
use vitale_agent::{NfcSource, RunningAgent, SIMULATOR_SEED};
use vitale_sim::nfc::{
    Behaviour, CTRL_GET_ATR, CTRL_POWER_OFF, CTRL_POWER_ON, CTRL_RESET, CardEmulator,
    EmulatorHandle, VpcdConnection, spawn_vpcd,
};
use vitale_sim::{Scenario, Seed};
use vitale_test_support::{Daemon, Stack, on_real_stack};

use support::sse::{EVENT_LIMIT, Event, Events, names};
use support::{Scratch, api, start_configured, write_config};

fn now() -> Timestamp {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap()
}

/// A private directory for one agent, removed when dropped.
fn temp_dir(name: &str) -> Scratch {
    Scratch::new(&format!("nfc-{name}"))
}

/// An agent trusting `scenario`'s insurer from files, reading NFC through
/// PC/SC (`reader`: the configured default reader, if any).
fn pcsc_agent(dir: &Scratch, scenario: &Scenario, reader: Option<&str>) -> RunningAgent {
    let reader = reader
        .map(|r| format!("nfc_reader = \"{r}\""))
        .unwrap_or_default();
    write_config(dir.path(), scenario, &format!("nfc = \"pcsc\"\n{reader}"));
    start_configured(dir.path())
}

/// Waits (upper bound) until the private daemon lists the vpcd readers.
fn wait_for_readers() {
    let ctx = NfcContext::establish().unwrap();
    for _ in 0..500 {
        if ctx.list_readers().unwrap().len() >= 2 {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("vpcd readers never appeared: {:?}", ctx.list_readers());
}

/// Lays `scenario`'s phone on the first vpcd reader; its app reads the
/// system clock, as a phone does.
fn place(stack: Stack, scenario: Scenario, behaviour: Behaviour) -> EmulatorHandle {
    let card = CardEmulator::new(scenario.phone, now(), behaviour).with_clock(now);
    spawn_vpcd(stack.vpcd_addr(), card).unwrap()
}

/// A read started and its events open, past `waiting` (the read waits for
/// a phone).
fn waiting_read(agent: &RunningAgent) -> Events {
    let job = start_read(agent);
    let mut events = Events::open(agent, &job);
    events.expect("waiting");
    events
}

/// `POST /v1/nfc/read`: the job id.
fn start_read(agent: &RunningAgent) -> String {
    let r = api(
        agent,
        "POST",
        "/v1/nfc/read",
        br#"{"reader": null, "timeout_ms": 60000}"#,
    );
    let job = r.ok().field("job");
    assert!(job.starts_with("n-"), "{job}");
    job
}

/// The `done` event's card: verified by NFC, `beneficiaries` of them.
fn assert_card(done: &Event, beneficiaries: usize) -> String {
    assert_eq!(done.name, "done", "{done:?}");
    let card_id = done.data["card_id"].as_str().unwrap().to_owned();
    assert!(card_id.starts_with("c-"), "{card_id}");
    let card = &done.data["card"];
    assert_eq!(
        card["provenance"]["channel"]
            .as_str()
            .map(str::to_lowercase)
            .as_deref(),
        Some("nfc"),
        "{card}"
    );
    assert_eq!(
        card["beneficiaries"].as_array().unwrap().len(),
        beneficiaries,
        "{card}"
    );
    card_id
}

#[test]
fn a_phone_placed_on_the_reader_is_read_with_progress_events() {
    on_real_stack(
        "a_phone_placed_on_the_reader_is_read_with_progress_events",
        Daemon::WithVpcd,
        |stack| {
            wait_for_readers();
            let dir = temp_dir("read");
            let scenario = Scenario::new(Seed::from_u64(81), 3, now()).unwrap();
            let agent = pcsc_agent(&dir, &scenario, Some("Virtual PCD 00 00"));
            let status = api(&agent, "GET", "/v1/status", b"").json();
            assert_eq!(status["simulator"], false, "{status}");
            assert_eq!(status["nfc"], true, "{status}");

            let mut events = waiting_read(&agent);
            // No phone yet: the read waits. The patient lays the phone.
            let placed = Instant::now();
            let phone = place(stack, scenario, Behaviour::Normal);
            events.expect("phone_detected");
            events.expect("reading");
            let done = events.expect("done");
            let elapsed = placed.elapsed();
            assert_card(&done, 3);
            assert!(events.rest().is_empty(), "exactly one end");
            eprintln!("nfc: agent read over PC/SC, phone placed to done in {elapsed:?}");
            assert_eq!(phone.stop().unwrap(), 1, "one presentation made");
            // The finished job's events can be read again.
            let again = Events::open(&agent, events.job()).rest();
            let names = names(&again);
            assert_eq!(names, ["waiting", "phone_detected", "reading", "done"]);
        },
    );
}

#[test]
fn a_locked_app_is_reported_then_read_once_unlocked() {
    on_real_stack(
        "a_locked_app_is_reported_then_read_once_unlocked",
        Daemon::WithVpcd,
        |stack| {
            wait_for_readers();
            let dir = temp_dir("locked");
            let scenario = Scenario::new(Seed::from_u64(82), 2, now()).unwrap();
            let agent = pcsc_agent(&dir, &scenario, None);
            let mut events = waiting_read(&agent);
            // The app refuses the first 3 reads (`69 82`), then the patient
            // has unlocked it.
            let phone = place(stack, scenario, Behaviour::AppLocked { polls: 3 });
            let rest = events.rest();
            let names = names(&rest);
            assert_eq!(
                names,
                [
                    "phone_detected",
                    "reading",
                    "app_locked",
                    "app_locked",
                    "app_locked",
                    "done"
                ],
                "{rest:?}"
            );
            assert_card(rest.last().unwrap(), 2);
            assert_eq!(phone.stop().unwrap(), 1, "one presentation made");
        },
    );
}

#[test]
fn a_phone_lifted_to_be_unlocked_is_waited_for_again() {
    on_real_stack(
        "a_phone_lifted_to_be_unlocked_is_waited_for_again",
        Daemon::WithVpcd,
        |stack| {
            wait_for_readers();
            let dir = temp_dir("lifted");
            let scenario = Scenario::new(Seed::from_u64(86), 1, now()).unwrap();
            let agent = pcsc_agent(&dir, &scenario, None);
            let mut events = waiting_read(&agent);
            let phone = place(stack, scenario, Behaviour::AppLocked { polls: 2 });
            events.expect("phone_detected");
            events.expect("reading");
            events.expect("app_locked");
            // The patient lifts the phone to unlock it, then lays it again.
            phone.remove_card();
            let limit = Instant::now() + EVENT_LIMIT;
            while phone.is_connected() {
                assert!(Instant::now() < limit, "the phone never left");
                std::thread::sleep(Duration::from_millis(10));
            }
            events.expect("waiting");
            phone.insert_card();
            let rest = events.rest();
            let names = names(&rest);
            assert_eq!(names[..2], ["phone_detected", "reading"], "{rest:?}");
            assert!(
                names[2..names.len() - 1].iter().all(|n| *n == "app_locked"),
                "{rest:?}"
            );
            assert_card(rest.last().unwrap(), 1);
            phone.stop().unwrap();
        },
    );
}

#[test]
fn a_wait_is_cancelled_over_http() {
    on_real_stack(
        "a_wait_is_cancelled_over_http",
        Daemon::WithVpcd,
        |_stack| {
            wait_for_readers();
            let dir = temp_dir("cancel");
            let scenario = Scenario::new(Seed::from_u64(83), 1, now()).unwrap();
            let agent = pcsc_agent(&dir, &scenario, None);
            let mut events = waiting_read(&agent);
            // One read at a time, on the real reader too.
            let busy = api(&agent, "POST", "/v1/nfc/read", b"{}");
            assert_eq!((busy.status, busy.kind().as_str()), (409, "agent_busy"));
            // No phone comes (the read would wait 60 s): the desk cancels.
            let body = serde_json::json!({"job": events.job()}).to_string();
            let cancelled_at = Instant::now();
            let r = api(&agent, "POST", "/v1/nfc/cancel", body.as_bytes());
            assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            assert_eq!(r.json()["cancelled"], true);
            let failed = events.expect("failed");
            let elapsed = cancelled_at.elapsed();
            assert_eq!(failed.data["kind"], "nfc_cancelled", "{failed:?}");
            assert!(events.rest().is_empty(), "exactly one end");
            // An upper bound against a cancel that is ignored, not a timing
            // measurement (that is printed).
            assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
            eprintln!("nfc: agent cancel to failed in {elapsed:?}");
            // The reader is free again.
            let next = start_read(&agent);
            let body = serde_json::json!({"job": next}).to_string();
            assert_eq!(
                api(&agent, "POST", "/v1/nfc/cancel", body.as_bytes()).status,
                200
            );
            let rest = Events::open(&agent, &next).rest();
            assert_eq!(rest.last().unwrap().data["kind"], "nfc_cancelled");
        },
    );
}

#[test]
fn a_presentation_replayed_by_a_cloned_phone_is_refused() {
    on_real_stack(
        "a_presentation_replayed_by_a_cloned_phone_is_refused",
        Daemon::WithVpcd,
        |stack| {
            wait_for_readers();
            let dir = temp_dir("replay");
            let at = now();
            let agent = pcsc_agent(
                &dir,
                &Scenario::new(Seed::from_u64(84), 1, at).unwrap(),
                None,
            );
            let read = |scenario: Scenario| {
                let mut events = waiting_read(&agent);
                let phone = place(stack, scenario, Behaviour::Normal);
                let rest = events.rest();
                assert_eq!(phone.stop().unwrap(), 1, "one presentation made");
                rest
            };
            let first = read(Scenario::new(Seed::from_u64(84), 1, at).unwrap());
            assert_card(first.last().unwrap(), 1);
            // A copy of the same phone (same seed: same device key, same
            // nonce sequence) answers the next challenge, signed anew, with
            // the nonce already seen.
            let second = read(Scenario::new(Seed::from_u64(84), 1, at).unwrap());
            let names = names(&second);
            assert_eq!(names, ["phone_detected", "reading", "failed"], "{second:?}");
            let end = second.last().unwrap();
            assert_eq!(
                (end.name.as_str(), end.data["kind"].as_str()),
                ("failed", Some("replay")),
                "{second:?}"
            );
        },
    );
}

/// A phone that answers every GET PRESENTATION (proprietary class `80`)
/// with `recorded` whatever the challenge, and the rest as `emulator`
/// does: a replay of a skimmed answer. Serves one connection until `stop`.
fn replaying_phone(
    stack: Stack,
    mut emulator: CardEmulator,
    recorded: Vec<u8>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<u32> {
    let mut conn = VpcdConnection::connect(stack.vpcd_addr()).unwrap();
    std::thread::spawn(move || {
        let mut replayed = 0;
        // Until stopped, or vpcd closes the connection.
        while let Ok(Some(frame)) = conn.read_frame(&stop) {
            match frame.as_slice() {
                [CTRL_POWER_OFF | CTRL_POWER_ON | CTRL_RESET] => emulator.reset(),
                [CTRL_GET_ATR] => conn.write_frame(emulator.atr()).unwrap(),
                [_] => {}
                [0x80, ..] => {
                    replayed += 1;
                    conn.write_frame(&recorded).unwrap();
                }
                command => conn.write_frame(&emulator.handle_apdu(command)).unwrap(),
            }
        }
        conn.close();
        replayed
    })
}

#[test]
fn a_skimmed_answer_replayed_to_the_agent_is_refused() {
    on_real_stack(
        "a_skimmed_answer_replayed_to_the_agent_is_refused",
        Daemon::WithVpcd,
        |stack| {
            wait_for_readers();
            let dir = temp_dir("skimmed");
            let at = now();
            let agent = pcsc_agent(
                &dir,
                &Scenario::new(Seed::from_u64(87), 1, at).unwrap(),
                None,
            );
            // A skimmer's own reader reads the phone under its challenge.
            let phone = place(
                stack,
                Scenario::new(Seed::from_u64(87), 1, at).unwrap(),
                Behaviour::Normal,
            );
            let ctx = NfcContext::establish().unwrap();
            let options = ReadOptions {
                timeout: Duration::from_secs(30),
                ..ReadOptions::default()
            };
            let skimmed = read_presentation(&ctx, &options, |_| {}).unwrap();
            assert!(skimmed.extended, "one answer to replay");
            assert_eq!(phone.stop().unwrap(), 1);
            // The skimmer then plays that answer to the agent's reader.
            let mut events = waiting_read(&agent);
            let mut answer = skimmed.presentation.clone();
            answer.extend_from_slice(&[0x90, 0x00]);
            let stop = Arc::new(AtomicBool::new(false));
            let emulator = CardEmulator::new(
                Scenario::new(Seed::from_u64(87), 1, at).unwrap().phone,
                at,
                Behaviour::Normal,
            );
            let replayer = replaying_phone(stack, emulator, answer, stop.clone());
            let rest = events.rest();
            let names = names(&rest);
            assert_eq!(names, ["phone_detected", "reading", "failed"], "{rest:?}");
            assert_eq!(rest[2].data["kind"], "challenge_mismatch", "{rest:?}");
            stop.store(true, Ordering::SeqCst);
            assert_eq!(replayer.join().unwrap(), 1, "the answer was replayed once");
        },
    );
}

#[test]
fn no_pcsc_service_fails_the_read_with_its_kind() {
    on_real_stack(
        "no_pcsc_service_fails_the_read_with_its_kind",
        Daemon::None,
        |_| {
            let dir = temp_dir("noservice");
            let scenario = Scenario::new(Seed::from_u64(85), 1, now()).unwrap();
            let agent = pcsc_agent(&dir, &scenario, None);
            let job = start_read(&agent);
            let events = Events::open(&agent, &job).rest();
            let names = names(&events);
            assert_eq!(names, ["failed"], "no wait announced: {events:?}");
            assert_eq!(events[0].data["kind"], "nfc_no_service");
        },
    );
}

#[test]
fn a_simulator_agent_set_to_pcsc_reads_the_simulated_household_on_a_reader() {
    on_real_stack(
        "a_simulator_agent_set_to_pcsc_reads_the_simulated_household_on_a_reader",
        Daemon::WithVpcd,
        |stack| {
            wait_for_readers();
            let agent = support::start(|c| c.nfc = Some(NfcSource::Pcsc));
            let status = api(&agent, "GET", "/v1/status", b"").json();
            assert_eq!(status["simulator"], true, "{status}");
            assert_eq!(status["nfc"], true, "{status}");
            let mut events = waiting_read(&agent);
            // Nothing happens until a phone is on the reader: the
            // simulator's in-process phone is not used.
            std::thread::sleep(Duration::from_millis(500));
            let household = Scenario::new(Seed::from_u64(SIMULATOR_SEED), 3, now()).unwrap();
            let phone = place(stack, household, Behaviour::Normal);
            events.expect("phone_detected");
            events.expect("reading");
            assert_card(&events.expect("done"), 3);
            assert_eq!(phone.stop().unwrap(), 1);
        },
    );
}

#[test]
fn the_configured_reader_is_used_unless_the_read_names_one() {
    on_real_stack(
        "the_configured_reader_is_used_unless_the_read_names_one",
        Daemon::WithVpcd,
        |stack| {
            wait_for_readers();
            let dir = temp_dir("reader");
            let scenario = Scenario::new(Seed::from_u64(88), 1, now()).unwrap();
            let agent = pcsc_agent(
                &dir,
                &Scenario::new(Seed::from_u64(88), 1, now()).unwrap(),
                Some("ACS ACR122U"),
            );
            let phone = place(stack, scenario, Behaviour::Normal);
            // The configured reader is not on this workstation: the read
            // waits for it until its timeout.
            let r = api(
                &agent,
                "POST",
                "/v1/nfc/read",
                br#"{"reader": null, "timeout_ms": 2000}"#,
            );
            let job = r.field("job");
            let rest = Events::open(&agent, &job).rest();
            let end = rest.last().unwrap();
            assert_eq!(
                (end.name.as_str(), end.data["kind"].as_str()),
                ("failed", Some("nfc_reader_not_found")),
                "{rest:?}"
            );
            // A read naming the reader the phone is on.
            let r = api(
                &agent,
                "POST",
                "/v1/nfc/read",
                br#"{"reader": "Virtual PCD 00 00", "timeout_ms": 30000}"#,
            );
            let job = r.ok().field("job");
            let rest = Events::open(&agent, &job).rest();
            assert_card(rest.last().unwrap(), 1);
            assert_eq!(phone.stop().unwrap(), 1);
        },
    );
}
