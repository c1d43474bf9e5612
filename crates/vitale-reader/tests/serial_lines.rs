//! The serial line reader over in-memory streams, and port errors
//! (feature `serial`).
#![cfg(feature = "serial")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{Cursor, ErrorKind};

use proptest::prelude::*;
use vitale_reader::Error;
use vitale_reader::serial::{SerialError, SerialLines, SerialScanner, list_ports};
use vitale_reader::wedge::{PausePolicy, WedgeConfig};

mod serial_support;
use serial_support::{Script, Step, read_all};

#[test]
fn cursor_lines_with_every_terminator() {
    let input = b"VT1:AB\r\nVT1:CD\nVT1:EF\rVT1B:gh\t\r\n\n";
    let mut lines = SerialLines::new(Cursor::new(&input[..]), WedgeConfig::default());
    assert_eq!(
        read_all(&mut lines),
        vec![
            Ok("VT1:AB".to_owned()),
            Ok("VT1:CD".to_owned()),
            Ok("VT1:EF".to_owned()),
            Ok("VT1B:gh".to_owned())
        ]
    );
}

#[test]
fn chunks_and_timeouts() {
    use Step::*;
    let script = Script::new([
        Fail(ErrorKind::TimedOut), // idle: Timeout
        Bytes(b"VT1:".to_vec()),   // a scan arrives in pieces
        Bytes(b"A".to_vec()),
        Fail(ErrorKind::Interrupted),  // retried silently
        Bytes(b"B\r\nVT1:C".to_vec()), // end of one, start of the next
        Bytes(b"D\r".to_vec()),
        Fail(ErrorKind::WouldBlock), // idle again
    ]);
    let mut lines = SerialLines::new(script, WedgeConfig::default());
    assert!(matches!(lines.read_line(), Err(SerialError::Timeout)));
    assert_eq!(lines.read_line().unwrap(), "VT1:AB");
    assert_eq!(lines.read_line().unwrap(), "VT1:CD");
    assert!(matches!(lines.read_line(), Err(SerialError::Timeout)));
    assert!(matches!(lines.read_line(), Err(SerialError::Disconnected)));
}

#[test]
fn pause_discards_a_partial_line_by_default() {
    use Step::*;
    let script = Script::new([
        Bytes(b"VT1:cut".to_vec()),
        Fail(ErrorKind::TimedOut),
        Bytes(b"VT1:OK\r".to_vec()),
    ]);
    let mut lines = SerialLines::new(script, WedgeConfig::default());
    assert!(matches!(lines.read_line(), Err(SerialError::Timeout)));
    assert_eq!(lines.read_line().unwrap(), "VT1:OK");
}

#[test]
fn pause_ends_the_line_with_end_line_policy() {
    use Step::*;
    let script = Script::new([
        Bytes(b"VT1:NO".to_vec()),
        Bytes(b"TERM".to_vec()),
        Fail(ErrorKind::TimedOut),
        Fail(ErrorKind::TimedOut),
        Bytes(b"VT1:LAST".to_vec()),
    ]);
    let config = WedgeConfig::default().with_on_pause(PausePolicy::EndLine);
    let mut lines = SerialLines::new(script, config);
    assert_eq!(lines.read_line().unwrap(), "VT1:NOTERM");
    assert!(matches!(lines.read_line(), Err(SerialError::Timeout)));
    // End of stream ends the last line too.
    assert_eq!(lines.read_line().unwrap(), "VT1:LAST");
    assert!(matches!(lines.read_line(), Err(SerialError::Disconnected)));
}

#[test]
fn end_of_stream_drops_a_partial_line_by_default() {
    let mut lines = SerialLines::new(
        Cursor::new(b"VT1:AB\rVT1:half".to_vec()),
        WedgeConfig::default(),
    );
    assert_eq!(read_all(&mut lines), vec![Ok("VT1:AB".to_owned())]);
}

#[test]
fn too_long_line_is_skipped() {
    use Step::*;
    let script = Script::new([
        Bytes(b"0123456789".to_vec()),
        Bytes(b"abcdef\r\nOK\r".to_vec()),
    ]);
    let config = WedgeConfig::default().with_max_line_chars(8);
    let mut lines = SerialLines::new(script, config);
    assert!(matches!(
        lines.read_line(),
        Err(SerialError::LineTooLong { max: 8 })
    ));
    assert_eq!(lines.read_line().unwrap(), "OK");
}

#[test]
fn prefix_suffix_and_legacy_bytes() {
    let config = WedgeConfig::default().with_prefix("]Q1").with_suffix("!");
    let mut lines = SerialLines::new(Cursor::new(b"]Q1VT1:AB!\r\n\xE9\r".to_vec()), config);
    assert_eq!(
        read_all(&mut lines),
        vec![Ok("VT1:AB".to_owned()), Ok("é".to_owned())]
    );
}

#[test]
fn disconnection_errors() {
    use Step::*;
    for step in [
        Fail(ErrorKind::BrokenPipe),
        Fail(ErrorKind::NotConnected),
        Fail(ErrorKind::UnexpectedEof),
        Os(if cfg!(windows) { 1167 } else { 5 }),
    ] {
        let mut lines = SerialLines::new(
            Script::new([Bytes(b"VT1:".to_vec()), step]),
            WedgeConfig::default(),
        );
        assert!(matches!(lines.read_line(), Err(SerialError::Disconnected)));
    }
    let mut lines = SerialLines::new(
        Script::new([Fail(ErrorKind::InvalidData)]),
        WedgeConfig::default(),
    );
    assert!(matches!(lines.read_line(), Err(SerialError::Io(_))));
}

#[test]
fn opening_a_missing_port_says_so() {
    let name = if cfg!(windows) {
        "COM250"
    } else {
        "/dev/vitale-no-such-port"
    };
    match SerialScanner::open(name, 9_600) {
        Err(Error::Serial(SerialError::PortNotFound(got))) => assert_eq!(got, name),
        other => panic!("{other:?}"),
    }
}

#[test]
fn listing_ports_does_not_fail() {
    // Containers usually have none; the call must still work.
    let ports = list_ports().unwrap();
    for port in ports {
        assert!(!port.name.is_empty());
    }
}

proptest! {
    /// Arbitrary bytes in arbitrary chunks, with pauses, never panic; lines
    /// respect the limit and hold no terminator.
    #[test]
    fn arbitrary_streams(
        chunks in proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..64).prop_map(Some),
                Just(None),
            ],
            0..40,
        ),
        max in 1usize..40,
        end_line in any::<bool>(),
    ) {
        let steps: Vec<Step> = chunks
            .into_iter()
            .map(|chunk| match chunk {
                Some(bytes) => Step::Bytes(bytes),
                None => Step::Fail(ErrorKind::TimedOut),
            })
            .collect();
        let policy = if end_line { PausePolicy::EndLine } else { PausePolicy::Discard };
        let config = WedgeConfig::default().with_max_line_chars(max).with_on_pause(policy);
        let mut lines = SerialLines::new(Script::new(steps), config);
        for _ in 0..200 {
            match lines.read_line() {
                Ok(line) => {
                    prop_assert!(!line.is_empty());
                    prop_assert!(line.chars().count() <= max);
                    prop_assert!(!line.contains(['\r', '\n', '\t']));
                }
                Err(SerialError::Disconnected) => break,
                Err(SerialError::Timeout | SerialError::LineTooLong { .. }) => {}
                Err(other) => prop_assert!(false, "{other}"),
            }
        }
    }
}
