//! Arbitrary command bytes never panic the card and never get an empty
//! answer, whatever the behaviour and the state.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod nfc_common;

use std::time::Duration;

use nfc_common::{NOW, scenario, ts};
use proptest::prelude::*;
use vitale::codec::apdu::{ResponseApdu, open};
use vitale_sim::nfc::{Behaviour, CardEmulator};

fn behaviours() -> Vec<Behaviour> {
    vec![
        Behaviour::Normal,
        Behaviour::AppLocked { polls: 1 },
        Behaviour::Declines,
        Behaviour::ShortApdusOnly,
        Behaviour::Slow {
            delay: Duration::from_millis(1),
        },
        Behaviour::DisconnectMidChain,
        Behaviour::Malformed,
        Behaviour::WrongAid,
    ]
}

/// Commands near the real ones, and plain garbage.
fn command() -> impl Strategy<Value = Vec<u8>> {
    let select = open::select_command().encode_short().unwrap();
    let get = open::get_presentation_command(&[9; 16], false)
        .unwrap()
        .encode_short()
        .unwrap();
    let get_ext = open::get_presentation_command(&[9; 32], true)
        .unwrap()
        .encode_extended()
        .unwrap();
    prop_oneof![
        Just(select),
        Just(get),
        Just(get_ext),
        any::<u8>().prop_map(|le| vec![0x00, 0xC0, 0x00, 0x00, le]),
        (
            any::<[u8; 4]>(),
            proptest::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(h, b)| {
                let mut c = h.to_vec();
                c.extend(b);
                c
            }),
        proptest::collection::vec(any::<u8>(), 0..300),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_command_sequence_gets_a_status_word(
        behaviour in 0..8_usize,
        commands in proptest::collection::vec((command(), any::<bool>()), 1..12),
    ) {
        let s = scenario(1);
        let b = behaviours()[behaviour].clone();
        let mut card = CardEmulator::new(s.phone, ts(NOW), b);
        for (command, reset) in commands {
            if reset {
                card.reset();
            }
            let answer = card.handle_apdu(&command);
            prop_assert!(answer.len() >= 2);
            prop_assert!(answer.len() <= 65_535);
            ResponseApdu::parse(&answer).unwrap();
        }
    }
}
