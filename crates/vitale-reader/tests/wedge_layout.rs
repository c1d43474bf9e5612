#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Layout tables and remapping: annotated cases for each setup, both
//! directions.

use vitale_reader::wedge::{
    DEFAULT_CANDIDATES, KeyboardLayout::*, KeyboardSetup, remap, repair, repair_presentation,
    repair_with,
};

const US_ON_FR: KeyboardSetup = KeyboardSetup::new(UsQwerty, FrenchAzerty);
const FR_ON_US: KeyboardSetup = KeyboardSetup::new(FrenchAzerty, UsQwerty);
const US_ON_BE: KeyboardSetup = KeyboardSetup::new(UsQwerty, BelgianAzerty);
const BE_ON_US: KeyboardSetup = KeyboardSetup::new(BelgianAzerty, UsQwerty);

/// (what the scanner meant, what the desktop receives, why)
type Case = (&'static str, &'static str, &'static str);

const US_SCANNER_FR_DESKTOP: &[Case] = &[
    (
        "VT1:",
        "VT&M",
        "1 is unshifted on QWERTY: AZERTY types &; : is Shift+; = M",
    ),
    ("VT1B:", "VT&BM", "base64url prefix"),
    (
        "0123456789",
        "à&é\"'(-è_ç",
        "the unshifted AZERTY number row",
    ),
    (
        "AQZWM",
        "QAWZ?",
        "A/Q and Z/W swap; QWERTY M key is AZERTY , ?",
    ),
    ("aqzwm", "qawz,", "same, lower case"),
    (
        "$%*+",
        "458+",
        "Shift+4/5/8 type digits on AZERTY; = + key agrees",
    ),
    (
        "-./:",
        "):!M",
        "- is the ) key; . is the : key; / is the ! key",
    ),
    ("_", "°", "Shift + ) ° key"),
    (" ", " ", "space"),
    ("[{", "^¨", "dead keys, shown as their accent"),
    ("~", "", "Shift+² types nothing on Windows French"),
];

const FR_SCANNER_US_DESKTOP: &[Case] = &[
    (
        "VT1:",
        "VT!.",
        "AZERTY 1 is Shift+& key: QWERTY !; AZERTY : key is QWERTY .",
    ),
    ("VT1B:", "VT!B.", "base64url prefix"),
    ("0123456789", ")!@#$%^&*(", "Shift + number row"),
    ("AQZWM", "QAWZ:", "AZERTY M is on the QWERTY ; : key"),
    ("aqzwm", "qawz;", "same, lower case"),
    (
        "$%*+",
        "]\"\\+",
        "$ is the ] key, % is Shift+' , * is the \\ key",
    ),
    (
        "-./:",
        "6<>.",
        "- is the 6 key; . and / are Shift+, and Shift+.",
    ),
    ("_", "8", "_ is the 8 key"),
    ("é", "2", "é is the 2 key"),
    ("<", "\\", "the ISO key types \\ on US (ambiguous with *)"),
];

const CAPS_LOCK: &[(KeyboardSetup, &str, &str)] = &[
    (
        KeyboardSetup::new(UsQwerty, UsQwerty).with_caps_lock(),
        "VT1:AZ09az",
        "vt1:az09AZ",
    ),
    (
        KeyboardSetup::new(FrenchAzerty, FrenchAzerty).with_caps_lock(),
        "VT1:AZ09az",
        "vt&/azàçAZ",
    ),
    (
        KeyboardSetup::new(UsQwerty, FrenchAzerty).with_caps_lock(),
        "VT1:AZ09az",
        "vt1mqw09QW",
    ),
    (
        KeyboardSetup::new(FrenchAzerty, UsQwerty).with_caps_lock(),
        "VT1:AZ09az",
        "vt!.qw)(QW",
    ),
];

#[test]
fn us_scanner_on_french_desktop() {
    for &(meant, received, why) in US_SCANNER_FR_DESKTOP {
        assert_eq!(
            US_ON_FR.simulate(meant),
            received,
            "simulate {meant:?}: {why}"
        );
        if !received.is_empty() {
            assert_eq!(US_ON_FR.remap(received), meant, "remap {received:?}: {why}");
            assert_eq!(remap(received, UsQwerty, FrenchAzerty), meant);
        }
    }
}

#[test]
fn french_scanner_on_us_desktop() {
    for &(meant, received, why) in FR_SCANNER_US_DESKTOP {
        assert_eq!(
            FR_ON_US.simulate(meant),
            received,
            "simulate {meant:?}: {why}"
        );
        if meant == "<" {
            // Ambiguous: the key left of Enter wins.
            assert_eq!(FR_ON_US.remap(received), "*");
        } else {
            assert_eq!(FR_ON_US.remap(received), meant, "remap {received:?}: {why}");
        }
    }
}

#[test]
fn belgian_both_directions() {
    let cases: &[(KeyboardSetup, &str, &str)] = &[
        (US_ON_BE, "VT1:0123456789", "VT&Mà&é\"'(§è!ç"),
        (US_ON_BE, "-=_+/*", ")-°_=8"),
        (BE_ON_US, "VT1:0123456789", "VT!.)!@#$%^&*("),
        (BE_ON_US, "-_*+$%./", "=+}?]\"<>"),
    ];
    for &(setup, meant, received) in cases {
        assert_eq!(setup.simulate(meant), received, "{setup:?}");
        assert_eq!(setup.remap(received), meant, "{setup:?}");
    }
}

#[test]
fn caps_lock_cases() {
    for &(setup, meant, received) in CAPS_LOCK {
        assert_eq!(setup.simulate(meant), received, "{setup:?}");
        assert_eq!(setup.remap(received), meant, "{setup:?}");
    }
}

#[test]
fn unknown_characters_pass_through() {
    for setup in DEFAULT_CANDIDATES {
        // AltGr characters, composed letters, other scripts, controls.
        for text in ["€", "ê", "ß", "日本", "\u{0}", "\u{1D}", "\u{FFFD}"] {
            let _ = setup.simulate(text);
            if setup.desktop == FrenchAzerty && !setup.caps_lock {
                assert_eq!(setup.remap(text), text, "{setup:?}");
            }
        }
    }
    assert_eq!(US_ON_FR.remap("€ê"), "€ê");
    assert_eq!(FR_ON_US.remap("é"), "é", "no US key types é");
}

#[test]
fn presentation_alphabets_are_typable_everywhere() {
    let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:abcdefghijklmnopqrstuvwxyz_";
    for layout in [UsQwerty, FrenchAzerty, BelgianAzerty] {
        for ch in alphabet.chars() {
            assert!(layout.can_type(ch), "{layout:?} cannot type {ch:?}");
        }
    }
    assert!(!UsQwerty.can_type('é'));
    assert!(!FrenchAzerty.can_type('^'), "dead key, not a character");
    assert!(!FrenchAzerty.can_type('@'), "AltGr only");
}

/// Every presentation character round-trips alone, and no two of them
/// arrive as the same character, in every setup covered.
#[test]
fn presentation_characters_are_recoverable_one_by_one() {
    let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:abcdefghijklmnopqrstuvwxyz_";
    let mut setups = DEFAULT_CANDIDATES.to_vec();
    setups.extend([US_ON_BE, BE_ON_US]);
    for setup in setups {
        let mut seen = std::collections::HashMap::new();
        for ch in alphabet.chars() {
            let got = setup.simulate(&ch.to_string());
            assert_eq!(got.chars().count(), 1, "{setup:?}: {ch:?} -> {got:?}");
            assert_eq!(setup.remap(&got), ch.to_string(), "{setup:?}: {ch:?}");
            if let Some(other) = seen.insert(got.clone(), ch) {
                panic!("{setup:?}: {ch:?} and {other:?} both arrive as {got:?}");
            }
        }
    }
}

#[test]
fn repair_reports_the_mismatch() {
    let sent = vitale_codec::text::encode_qr(b"presentation bytes");
    for setup in DEFAULT_CANDIDATES {
        let got = setup.simulate(&sent);
        assert_ne!(got, sent);
        let fixed = repair_presentation(&got).expect("repaired");
        assert_eq!(fixed.text, sent);
        assert_eq!(fixed.caps_lock, setup.caps_lock);
        let mismatch = (setup.scanner != setup.desktop).then_some((setup.scanner, setup.desktop));
        assert_eq!(fixed.mismatch, mismatch);
        assert!(!fixed.was_intact());
        assert!(fixed.advice().is_some());
    }
    let intact = repair_presentation(&sent).unwrap();
    assert!(intact.was_intact());
    assert_eq!(intact.advice(), None);
}

#[test]
fn repair_with_custom_acceptor_and_candidates() {
    // The acceptor decides; the first setup it takes wins.
    let fixed = repair("QK", |t| t == "AK").unwrap();
    assert_eq!(fixed.text, "AK");
    assert_eq!(fixed.mismatch, Some((UsQwerty, FrenchAzerty)));
    assert_eq!(repair("QK", |t| t == "OK"), None, "no setup types Q for O");
    let none = repair("nothing", |t| t == "never");
    assert_eq!(none, None);
    // Belgian setups only when asked for.
    let sent = vitale_codec::text::encode_base64url(b"\xFF\xFE-_ belgian");
    let got = US_ON_BE.simulate(&sent);
    let fixed = repair_with(&got, &[US_ON_BE, BE_ON_US], |t| {
        vitale_codec::text::decode_text(t).is_ok()
    })
    .unwrap();
    assert_eq!(fixed.text, sent);
    assert_eq!(fixed.mismatch, Some((UsQwerty, BelgianAzerty)));
}

#[test]
fn advice_is_french() {
    let fixed = repair_presentation(
        &US_ON_FR
            .with_caps_lock()
            .simulate(&vitale_codec::text::encode_qr(b"x")),
    )
    .unwrap();
    let advice = fixed.advice().unwrap();
    assert!(advice.contains("US QWERTY"), "{advice}");
    assert!(advice.contains("AZERTY (France)"), "{advice}");
    assert!(advice.contains("Verr. Maj."), "{advice}");
}
