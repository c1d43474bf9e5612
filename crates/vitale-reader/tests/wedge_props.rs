#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Property tests of layout repair.
//!
//! What they cover, precisely: any presentation text — `VT1:` + Base45 or
//! `VT1B:` + base64url of arbitrary bytes (0 to 600 bytes; empty bodies
//! are rejected by the codec and skipped) — typed by a scanner in any of
//! the six [`DEFAULT_CANDIDATES`] setups (US scanner on French desktop,
//! French scanner on US desktop, each with and without Caps Lock, and
//! Caps Lock with matching US or French layouts) is recovered exactly by
//! [`repair_presentation`], which also names the right setup; the same
//! for US↔Belgian with [`repair_with`] and the Belgian setups. Typing
//! through these setups loses or merges no presentation character, so no
//! text is excluded. And no input makes remapping or repair panic.

use proptest::prelude::*;
use vitale_codec::text::{TextForm, decode_text, encode_text};
use vitale_reader::wedge::{
    DEFAULT_CANDIDATES, KeyboardLayout, KeyboardSetup, Repaired, remap, repair,
    repair_presentation, repair_with,
};

fn form() -> impl Strategy<Value = TextForm> {
    prop_oneof![Just(TextForm::Base45), Just(TextForm::Base64Url)]
}

fn setup() -> impl Strategy<Value = KeyboardSetup> {
    (0..DEFAULT_CANDIDATES.len()).prop_map(|i| DEFAULT_CANDIDATES[i])
}

fn belgian_setups() -> Vec<KeyboardSetup> {
    use KeyboardLayout::{BelgianAzerty, UsQwerty};
    let plain = [
        KeyboardSetup::new(UsQwerty, BelgianAzerty),
        KeyboardSetup::new(BelgianAzerty, UsQwerty),
    ];
    let mut all = plain.to_vec();
    all.push(KeyboardSetup::new(BelgianAzerty, BelgianAzerty).with_caps_lock());
    all.extend(plain.iter().map(|s| s.with_caps_lock()));
    all
}

fn expected(text: &str, setup: KeyboardSetup) -> Repaired {
    Repaired {
        text: text.to_owned(),
        mismatch: (setup.scanner != setup.desktop).then_some((setup.scanner, setup.desktop)),
        caps_lock: setup.caps_lock,
    }
}

fn accept(text: &str) -> bool {
    decode_text(text).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The central property: every mismatch of the default candidates is
    /// recovered exactly, with the setup named.
    #[test]
    fn mismatched_scanner_is_recovered(
        bytes in proptest::collection::vec(any::<u8>(), 1..600),
        form in form(),
        setup in setup(),
    ) {
        let sent = encode_text(form, &bytes);
        let received = setup.simulate(&sent);
        prop_assert_ne!(&received, &sent, "the prefix always changes");
        prop_assert!(!accept(&received), "a mangled text never decodes as is");
        let fixed = repair_presentation(&received);
        prop_assert_eq!(fixed, Some(expected(&sent, setup)));
    }

    /// Each setup's remap inverts its simulation on presentation texts,
    /// and only the right setup's remap decodes.
    #[test]
    fn only_the_right_setup_decodes(
        bytes in proptest::collection::vec(any::<u8>(), 1..200),
        form in form(),
        truth in setup(),
    ) {
        let sent = encode_text(form, &bytes);
        let received = truth.simulate(&sent);
        for candidate in DEFAULT_CANDIDATES {
            let back = candidate.remap(&received);
            if candidate == truth {
                prop_assert_eq!(&back, &sent);
            } else {
                prop_assert!(!accept(&back), "{:?} also decodes {:?}", candidate, truth);
            }
        }
    }

    /// US↔Belgian, when the Belgian setups are the candidates.
    #[test]
    fn belgian_mismatch_is_recovered(
        bytes in proptest::collection::vec(any::<u8>(), 1..400),
        form in form(),
        index in 0..5usize,
    ) {
        let setups = belgian_setups();
        let setup = setups[index];
        let sent = encode_text(form, &bytes);
        let received = setup.simulate(&sent);
        let fixed = repair_with(&received, &setups, accept);
        prop_assert_eq!(fixed, Some(expected(&sent, setup)));
    }

    /// Intact texts are accepted as they are.
    #[test]
    fn intact_text_is_kept(bytes in proptest::collection::vec(any::<u8>(), 1..300), form in form()) {
        let sent = encode_text(form, &bytes);
        let fixed = repair_presentation(&sent).unwrap();
        prop_assert!(fixed.was_intact());
        prop_assert_eq!(fixed.text, sent);
    }

    /// Arbitrary text never panics, in any direction, for any layouts.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}", caps in any::<bool>()) {
        for scanner in KeyboardLayout::ALL {
            for desktop in KeyboardLayout::ALL {
                let mut setup = KeyboardSetup::new(scanner, desktop);
                if caps {
                    setup = setup.with_caps_lock();
                }
                let _ = setup.simulate(&text);
                let _ = setup.remap(&text);
                let _ = remap(&text, scanner, desktop);
            }
        }
        let _ = repair_presentation(&text);
        let _ = repair(&text, |t| t.len() % 7 == 0);
    }

    /// Plain ASCII text of the presentation alphabets round-trips through
    /// every setup in the tables (not only presentation texts).
    #[test]
    fn alphabet_text_round_trips(
        text in "[0-9A-Za-z $%*+./:_-]{0,120}",
        scanner_index in 0..3usize,
        desktop_index in 0..3usize,
        caps in any::<bool>(),
    ) {
        let mut setup = KeyboardSetup::new(
            KeyboardLayout::ALL[scanner_index],
            KeyboardLayout::ALL[desktop_index],
        );
        if caps {
            setup = setup.with_caps_lock();
        }
        prop_assert_eq!(setup.remap(&setup.simulate(&text)), text);
    }
}
