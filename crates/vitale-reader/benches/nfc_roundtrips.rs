//! NFC session cost: round trips and time, short vs extended APDUs, in
//! memory (no PC/SC: the session logic drives a card through a
//! [`CardTransport`] that calls the card directly).
//!
//! `cargo bench -p vitale-reader --bench nfc_roundtrips` prints first the
//! round-trip table, then criterion timings and, from interleaved rounds
//! in the same run, the ratio short / extended per size.
//!
//! * Sizes 0.5, 1.5 and 4 KB: a synthetic card answering exactly that many
//!   bytes with the emulator's chaining rules (parts of *Ne* bytes, `61 xx`
//!   then GET RESPONSE of ≤ 256 bytes), so the numbers are the protocol's,
//!   not the signature's.
//! * Real presentations: `vitale-sim`'s `CardEmulator::handle_apdu` (1 and
//!   16 beneficiaries), which signs a fresh presentation per read.
//!
//! Goals: 1.5 KB in ≤ 2 round trips with extended length, in
//! ≤ 2 + ⌈n/256⌉ with short APDUs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use vitale_codec::apdu::open::{self, SelectAnswer};
use vitale_codec::apdu::{CommandApdu, ResponseApdu, StatusWord};
use vitale_codec::model::Timestamp;
use vitale_reader::nfc_session::{
    CancelToken, CardTransport, PollState, Session, SessionOptions, SessionRead, TransportError,
};
use vitale_sim::nfc::{Behaviour, CardEmulator};
use vitale_sim::{Scenario, Seed};

const NOW: u64 = 1_795_334_400;

/// A card answering `len` bytes with the emulator's chaining rules.
struct Synthetic {
    data: Vec<u8>,
    offset: usize,
}

impl Synthetic {
    fn new(len: usize) -> Self {
        Self {
            data: (0..len).map(|i| i as u8).collect(),
            offset: 0,
        }
    }

    fn part(&mut self, ne: u32) -> ResponseApdu {
        let rest = &self.data[self.offset..];
        let part = rest[..rest.len().min(ne as usize)].to_vec();
        self.offset += part.len();
        let left = self.data.len() - self.offset;
        let sw = if left == 0 {
            StatusWord::Ok
        } else {
            StatusWord::MoreData(u8::try_from(left).unwrap_or(0))
        };
        ResponseApdu::new(part, sw)
    }
}

impl CardTransport for Synthetic {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let command = CommandApdu::parse(apdu).map_err(TransportError::failed)?;
        let answer = match command.ins {
            open::INS_SELECT => ResponseApdu::new(
                SelectAnswer::new(8192, true).encode().to_vec(),
                StatusWord::Ok,
            ),
            open::INS_GET_PRESENTATION => {
                self.offset = 0;
                self.part(command.le.unwrap_or(256))
            }
            _ => self.part(command.le.unwrap_or(256)),
        };
        Ok(answer.encode())
    }

    fn supports_extended(&self) -> bool {
        true
    }
}

/// The emulated phone, called in memory.
struct Emulated(CardEmulator);

impl CardTransport for Emulated {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.0.handle_apdu(apdu))
    }

    fn supports_extended(&self) -> bool {
        true
    }
}

fn emulated(beneficiaries: usize) -> Emulated {
    let now = Timestamp::from_unix(NOW).unwrap();
    let s = Scenario::new(Seed::from_u64(3), beneficiaries, now).unwrap();
    Emulated(CardEmulator::new(s.phone, now, Behaviour::Normal))
}

fn read(card: &mut impl CardTransport, extended: bool) -> SessionRead {
    let options = SessionOptions {
        allow_extended: extended,
        ..SessionOptions::default()
    };
    Session::new(card, options)
        .run(
            &[0x5A; 32],
            &CancelToken::new(),
            &mut PollState::default(),
            &mut |_| {},
        )
        .unwrap()
}

const SIZES: [(&str, usize); 3] = [("0.5KB", 512), ("1.5KB", 1536), ("4KB", 4096)];

fn round_trip_table() {
    println!("size      bytes  short  extended  short goal 2+ceil(n/256)");
    for (name, len) in SIZES {
        let short = read(&mut Synthetic::new(len), false);
        let extended = read(&mut Synthetic::new(len), true);
        let goal = 2 + len.div_ceil(256);
        assert!(short.round_trips as usize <= goal);
        assert!(extended.round_trips <= 2);
        println!(
            "{name:<8} {len:>6}  {:>5}  {:>8}  {goal:>5}",
            short.round_trips, extended.round_trips
        );
    }
    for beneficiaries in [1, 16] {
        let short = read(&mut emulated(beneficiaries), false);
        let extended = read(&mut emulated(beneficiaries), true);
        println!(
            "sim/{beneficiaries:<4} {:>6}  {:>5}  {:>8}  {:>5}",
            short.presentation.len(),
            short.round_trips,
            extended.round_trips,
            2 + short.presentation.len().div_ceil(256)
        );
    }
}

/// Mean time of `f` over interleaved rounds, for the ratio.
fn ratio(mut short: impl FnMut(), mut extended: impl FnMut()) -> f64 {
    let (mut t_short, mut t_ext) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..200 {
        let start = Instant::now();
        short();
        t_short += start.elapsed();
        let start = Instant::now();
        extended();
        t_ext += start.elapsed();
    }
    t_short.as_secs_f64() / t_ext.as_secs_f64()
}

fn main() {
    round_trip_table();
    // Defaults; the command line (`.ci/run`'s short mode) overrides them.
    let mut c = Criterion::default()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .configure_from_args();
    let mut group = c.benchmark_group("nfc_session");
    for (name, len) in SIZES {
        for (form, extended) in [("short", false), ("extended", true)] {
            group.bench_function(format!("synthetic/{name}/{form}"), |b| {
                b.iter(|| black_box(read(&mut Synthetic::new(len), extended)));
            });
        }
    }
    for beneficiaries in [1, 16] {
        let mut card = emulated(beneficiaries);
        for (form, extended) in [("short", false), ("extended", true)] {
            group.bench_function(format!("sim/{beneficiaries}/{form}"), |b| {
                b.iter(|| black_box(read(&mut card, extended)));
            });
        }
    }
    group.finish();
    println!("NFC session time, short / extended APDUs (interleaved, same run):");
    for (name, len) in SIZES {
        let r = ratio(
            || drop(black_box(read(&mut Synthetic::new(len), false))),
            || drop(black_box(read(&mut Synthetic::new(len), true))),
        );
        println!("ratio | nfc_session/synthetic {name} | short / extended APDUs | {r:.2} | - | -");
    }
    let mut short_card = emulated(16);
    let mut ext_card = emulated(16);
    let r = ratio(
        || drop(black_box(read(&mut short_card, false))),
        || drop(black_box(read(&mut ext_card, true))),
    );
    println!("ratio | nfc_session/sim 16 beneficiaries | short / extended APDUs | {r:.2} | - | -");
    c.final_summary();
}
