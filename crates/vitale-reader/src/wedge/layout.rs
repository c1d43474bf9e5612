//! Keyboard layouts (*dispositions de clavier*) as tables of what each
//! physical key types, and the conversion of text between layouts.
//!
//! A keyboard-wedge scanner does not send characters: it sends key presses
//! (HID usages), chosen with the layout the scanner is configured for. The
//! desktop turns them into characters with *its* layout. When the two
//! differ, [`KeyboardSetup::simulate`] says what the desktop receives and
//! [`KeyboardSetup::remap`] undoes it.
//!
//! # Sources of the tables
//!
//! The tables cover the 49 keys of the alphanumeric block of an ISO
//! keyboard (number row, three letter rows, the key left of Enter, the
//! extra key right of left Shift, space), at two levels: unshifted and
//! Shift. They were written from these public references, then checked
//! against each other:
//!
//! * US QWERTY — the Windows `KBDUS` tables as published by
//!   <https://kbdlayout.info/KBDUS> (`VK_OEM_5` and `VK_OEM_102` both type
//!   `\ |`; Caps Lock acts on letters only);
//! * French AZERTY — the Windows `KBDFR` layout source (`kbdfr.txt`, the
//!   `SC VK_ Cap` table of the Windows NT 4 DDK) and its current tables on
//!   <https://kbdlayout.info/KBDFR> (`VK_OEM_5` = `* µ` with `CAPLOK`,
//!   `VK_OEM_102` = `< >` without); the X.Org `xkb/symbols/fr` "basic" map
//!   agrees on both levels, except on the `²` key (see below);
//! * Belgian AZERTY ("French (Belgium)", Windows `KBDBE`) — the X.Org
//!   `xkb/symbols/be` "basic" map, which matches Windows on both levels.
//!
//! # What the tables say beyond the obvious
//!
//! * **Caps Lock** (*Verr. Maj.*) on Windows French acts like a shift lock
//!   on every key of the block but `²` and `<`: with Caps Lock on, the
//!   number row types digits and `,` types `?` (the `Cap` column of
//!   `kbdfr.txt`). On US QWERTY it acts on letters only. For Belgian we
//!   assume letters only (not verified against `KBDBE`).
//! * **Keys that type nothing**: Shift + `²` on Windows French types
//!   nothing ([`KeyOutput::Nothing`]), so a US scanner's `~` is lost on a
//!   French desktop (`xkb` types `~` there instead; we follow Windows).
//! * **Dead keys** (*touches mortes*): `^` and `¨` on both AZERTY layouts.
//!   The desktop shows nothing until the next key, then a composed letter
//!   (`^` then `e` gives `ê`) or the accent followed by the next character.
//!   We model a dead key as typing its spacing accent ([`KeyOutput::Dead`]);
//!   composed letters are not decomposed by [`KeyboardSetup::remap`]. None
//!   of the presentation alphabets reaches a dead key.
//! * **AltGr** characters (`@ # { [ | \ ^ ] }` `` ` `` `~ €` on French) are
//!   not in the tables: no presentation character needs them, and scanners
//!   type characters missing from their layout as Alt + keypad codes, which
//!   survive a layout mismatch. Such characters pass through unchanged.
//! * **Duplicates**: on US QWERTY two keys type `\ |`. When remapping a
//!   received `\` the key left of Enter wins, so a French scanner's `<`/`>`
//!   typed on a US desktop come back as `*`/`µ`.

/// A keyboard layout (*disposition de clavier*), for a scanner or a
/// desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyboardLayout {
    /// US QWERTY (Windows "US"): the factory setting of most scanners.
    UsQwerty,
    /// French AZERTY (Windows "Français (France)", `KBDFR`): most French
    /// desktops.
    FrenchAzerty,
    /// Belgian AZERTY (Windows "Français (Belgique)", `KBDBE`).
    BelgianAzerty,
}

/// What one key types at one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOutput {
    /// An ordinary character.
    Char(char),
    /// A dead key (*touche morte*), shown as its spacing accent.
    Dead(char),
    /// Nothing at all.
    Nothing,
}

impl KeyOutput {
    /// The character this output shows on the desktop, if any.
    #[must_use]
    pub const fn shown(self) -> Option<char> {
        match self {
            KeyOutput::Char(c) | KeyOutput::Dead(c) => Some(c),
            KeyOutput::Nothing => None,
        }
    }
}

/// Physical keys of the alphanumeric block, named after ISO/IEC 9995 rows
/// (E: number row, D: top letter row, C: home row, B: bottom row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    E00,
    E01,
    E02,
    E03,
    E04,
    E05,
    E06,
    E07,
    E08,
    E09,
    E10,
    E11,
    E12,
    D01,
    D02,
    D03,
    D04,
    D05,
    D06,
    D07,
    D08,
    D09,
    D10,
    D11,
    D12,
    /// Left of Enter (ISO) or above it (ANSI): `VK_OEM_5` on US.
    Bksl,
    C01,
    C02,
    C03,
    C04,
    C05,
    C06,
    C07,
    C08,
    C09,
    C10,
    C11,
    /// The ISO key right of left Shift (`VK_OEM_102`).
    Lsgt,
    B01,
    B02,
    B03,
    B04,
    B05,
    B06,
    B07,
    B08,
    B09,
    B10,
    Space,
}

/// One key of a layout: unshifted and shifted output, and whether Caps
/// Lock swaps the two.
#[derive(Debug, Clone, Copy)]
struct KeyDef {
    key: Key,
    base: KeyOutput,
    shift: KeyOutput,
    caps: bool,
}

impl KeyDef {
    const fn output(&self, shifted: bool) -> KeyOutput {
        if shifted { self.shift } else { self.base }
    }
}

const fn c(ch: char) -> KeyOutput {
    KeyOutput::Char(ch)
}

const fn dead(ch: char) -> KeyOutput {
    KeyOutput::Dead(ch)
}

const NOTHING: KeyOutput = KeyOutput::Nothing;

/// A key whose two levels are ordinary characters.
const fn k(key: Key, base: char, shift: char, caps: bool) -> KeyDef {
    KeyDef {
        key,
        base: c(base),
        shift: c(shift),
        caps,
    }
}

/// A letter key (Caps Lock applies on every layout).
const fn letter(key: Key, lower: char) -> KeyDef {
    k(key, lower, lower.to_ascii_uppercase(), true)
}

use Key::*;

/// Windows `KBDUS`. `Bksl` comes before `Lsgt` so that `\` maps back to
/// the key every US keyboard has.
const US: [KeyDef; 49] = [
    k(E00, '`', '~', false),
    k(E01, '1', '!', false),
    k(E02, '2', '@', false),
    k(E03, '3', '#', false),
    k(E04, '4', '$', false),
    k(E05, '5', '%', false),
    k(E06, '6', '^', false),
    k(E07, '7', '&', false),
    k(E08, '8', '*', false),
    k(E09, '9', '(', false),
    k(E10, '0', ')', false),
    k(E11, '-', '_', false),
    k(E12, '=', '+', false),
    letter(D01, 'q'),
    letter(D02, 'w'),
    letter(D03, 'e'),
    letter(D04, 'r'),
    letter(D05, 't'),
    letter(D06, 'y'),
    letter(D07, 'u'),
    letter(D08, 'i'),
    letter(D09, 'o'),
    letter(D10, 'p'),
    k(D11, '[', '{', false),
    k(D12, ']', '}', false),
    k(Bksl, '\\', '|', false),
    letter(C01, 'a'),
    letter(C02, 's'),
    letter(C03, 'd'),
    letter(C04, 'f'),
    letter(C05, 'g'),
    letter(C06, 'h'),
    letter(C07, 'j'),
    letter(C08, 'k'),
    letter(C09, 'l'),
    k(C10, ';', ':', false),
    k(C11, '\'', '"', false),
    k(Lsgt, '\\', '|', false),
    letter(B01, 'z'),
    letter(B02, 'x'),
    letter(B03, 'c'),
    letter(B04, 'v'),
    letter(B05, 'b'),
    letter(B06, 'n'),
    letter(B07, 'm'),
    k(B08, ',', '<', false),
    k(B09, '.', '>', false),
    k(B10, '/', '?', false),
    k(Space, ' ', ' ', false),
];

/// Windows `KBDFR`: Caps Lock (`Cap` = 1) on every key but `²` and `<`.
const FR: [KeyDef; 49] = [
    KeyDef {
        key: E00,
        base: c('²'),
        shift: NOTHING,
        caps: false,
    },
    k(E01, '&', '1', true),
    k(E02, 'é', '2', true),
    k(E03, '"', '3', true),
    k(E04, '\'', '4', true),
    k(E05, '(', '5', true),
    k(E06, '-', '6', true),
    k(E07, 'è', '7', true),
    k(E08, '_', '8', true),
    k(E09, 'ç', '9', true),
    k(E10, 'à', '0', true),
    k(E11, ')', '°', true),
    k(E12, '=', '+', true),
    letter(D01, 'a'),
    letter(D02, 'z'),
    letter(D03, 'e'),
    letter(D04, 'r'),
    letter(D05, 't'),
    letter(D06, 'y'),
    letter(D07, 'u'),
    letter(D08, 'i'),
    letter(D09, 'o'),
    letter(D10, 'p'),
    KeyDef {
        key: D11,
        base: dead('^'),
        shift: dead('¨'),
        caps: true,
    },
    k(D12, '$', '£', true),
    k(Bksl, '*', 'µ', true),
    letter(C01, 'q'),
    letter(C02, 's'),
    letter(C03, 'd'),
    letter(C04, 'f'),
    letter(C05, 'g'),
    letter(C06, 'h'),
    letter(C07, 'j'),
    letter(C08, 'k'),
    letter(C09, 'l'),
    letter(C10, 'm'),
    k(C11, 'ù', '%', true),
    k(Lsgt, '<', '>', false),
    letter(B01, 'w'),
    letter(B02, 'x'),
    letter(B03, 'c'),
    letter(B04, 'v'),
    letter(B05, 'b'),
    letter(B06, 'n'),
    k(B07, ',', '?', true),
    k(B08, ';', '.', true),
    k(B09, ':', '/', true),
    k(B10, '!', '§', true),
    k(Space, ' ', ' ', false),
];

/// Windows `KBDBE` (X.Org `be` "basic" on these two levels). Caps Lock
/// assumed on letters only.
const BE: [KeyDef; 49] = [
    k(E00, '²', '³', false),
    k(E01, '&', '1', false),
    k(E02, 'é', '2', false),
    k(E03, '"', '3', false),
    k(E04, '\'', '4', false),
    k(E05, '(', '5', false),
    k(E06, '§', '6', false),
    k(E07, 'è', '7', false),
    k(E08, '!', '8', false),
    k(E09, 'ç', '9', false),
    k(E10, 'à', '0', false),
    k(E11, ')', '°', false),
    k(E12, '-', '_', false),
    letter(D01, 'a'),
    letter(D02, 'z'),
    letter(D03, 'e'),
    letter(D04, 'r'),
    letter(D05, 't'),
    letter(D06, 'y'),
    letter(D07, 'u'),
    letter(D08, 'i'),
    letter(D09, 'o'),
    letter(D10, 'p'),
    KeyDef {
        key: D11,
        base: dead('^'),
        shift: dead('¨'),
        caps: false,
    },
    k(D12, '$', '*', false),
    k(Bksl, 'µ', '£', false),
    letter(C01, 'q'),
    letter(C02, 's'),
    letter(C03, 'd'),
    letter(C04, 'f'),
    letter(C05, 'g'),
    letter(C06, 'h'),
    letter(C07, 'j'),
    letter(C08, 'k'),
    letter(C09, 'l'),
    letter(C10, 'm'),
    k(C11, 'ù', '%', false),
    k(Lsgt, '<', '>', false),
    letter(B01, 'w'),
    letter(B02, 'x'),
    letter(B03, 'c'),
    letter(B04, 'v'),
    letter(B05, 'b'),
    letter(B06, 'n'),
    k(B07, ',', '?', false),
    k(B08, ';', '.', false),
    k(B09, ':', '/', false),
    k(B10, '=', '+', false),
    k(Space, ' ', ' ', false),
];

impl KeyboardLayout {
    /// Every layout in the tables.
    pub const ALL: [KeyboardLayout; 3] = [
        KeyboardLayout::UsQwerty,
        KeyboardLayout::FrenchAzerty,
        KeyboardLayout::BelgianAzerty,
    ];

    /// A short name for logs and messages ("US QWERTY", "AZERTY (France)").
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            KeyboardLayout::UsQwerty => "US QWERTY",
            KeyboardLayout::FrenchAzerty => "AZERTY (France)",
            KeyboardLayout::BelgianAzerty => "AZERTY (Belgique)",
        }
    }

    const fn table(self) -> &'static [KeyDef; 49] {
        match self {
            KeyboardLayout::UsQwerty => &US,
            KeyboardLayout::FrenchAzerty => &FR,
            KeyboardLayout::BelgianAzerty => &BE,
        }
    }

    /// Whether `ch` is on this layout's unshifted or Shift level, as an
    /// ordinary character (dead keys and AltGr do not count): a scanner
    /// configured for this layout can type it with one key press.
    #[must_use]
    pub fn can_type(self, ch: char) -> bool {
        self.table()
            .iter()
            .any(|def| def.base == KeyOutput::Char(ch) || def.shift == KeyOutput::Char(ch))
    }

    fn def(self, key: Key) -> Option<&'static KeyDef> {
        self.table().iter().find(|def| def.key == key)
    }

    /// The key and Shift state that type `ch` as an ordinary character.
    fn key_typing(self, ch: char) -> Option<(&'static KeyDef, bool)> {
        self.table().iter().find_map(|def| {
            if def.base == KeyOutput::Char(ch) {
                Some((def, false))
            } else if def.shift == KeyOutput::Char(ch) {
                Some((def, true))
            } else {
                None
            }
        })
    }

    /// The key and *effective* level whose output shows `ch` (dead keys
    /// included): the first such key in the table.
    fn key_showing(self, ch: char) -> Option<(&'static KeyDef, bool)> {
        self.table().iter().find_map(|def| {
            if def.base.shown() == Some(ch) {
                Some((def, false))
            } else if def.shift.shown() == Some(ch) {
                Some((def, true))
            } else {
                None
            }
        })
    }
}

/// How a scanner and a desktop are set up: the scanner's layout, the
/// desktop's layout, and whether Caps Lock is on at the desktop.
///
/// `scanner == desktop` with `caps_lock == false` is the correct setup,
/// where nothing needs repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyboardSetup {
    /// The layout the scanner is configured for (it picks keys with it).
    pub scanner: KeyboardLayout,
    /// The layout the desktop uses to turn keys into characters.
    pub desktop: KeyboardLayout,
    /// Caps Lock (*Verr. Maj.*) is on at the desktop, and the scanner does
    /// not compensate for it.
    pub caps_lock: bool,
}

impl KeyboardSetup {
    /// A setup without Caps Lock.
    #[must_use]
    pub const fn new(scanner: KeyboardLayout, desktop: KeyboardLayout) -> Self {
        KeyboardSetup {
            scanner,
            desktop,
            caps_lock: false,
        }
    }

    /// The same setup with Caps Lock on.
    #[must_use]
    pub const fn with_caps_lock(mut self) -> Self {
        self.caps_lock = true;
        self
    }

    /// Whether nothing is changed in transit (same layout, no Caps Lock).
    #[must_use]
    pub fn is_identity(&self) -> bool {
        self.scanner == self.desktop && !self.caps_lock
    }

    /// What the desktop receives when the scanner types `text`.
    ///
    /// Each character is typed with the key and Shift state the scanner's
    /// layout gives it; the desktop applies Caps Lock and its own layout.
    /// A character the scanner's layout cannot type passes through (as
    /// with Alt + keypad codes); a key that types nothing on the desktop
    /// loses the character; a dead key shows its spacing accent.
    #[must_use]
    pub fn simulate(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for ch in text.chars() {
            let Some((sent, shift)) = self.scanner.key_typing(ch) else {
                out.push(ch);
                continue;
            };
            let Some(got) = self.desktop.def(sent.key) else {
                out.push(ch);
                continue;
            };
            let level = shift ^ (self.caps_lock && got.caps);
            if let Some(shown) = got.output(level).shown() {
                out.push(shown);
            }
        }
        out
    }

    /// What the scanner meant, from what the desktop received: the inverse
    /// of [`KeyboardSetup::simulate`].
    ///
    /// Each received character is traced back to the desktop key and level
    /// that show it, Caps Lock is undone, and the scanner's layout says
    /// what it meant. A character no desktop key shows (AltGr characters,
    /// letters composed by dead keys, anything outside the tables) and a
    /// key that types nothing on the scanner's layout pass through
    /// unchanged. Never panics.
    #[must_use]
    pub fn remap(&self, text: &str) -> String {
        if self.is_identity() {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        for ch in text.chars() {
            let meant = self.desktop.key_showing(ch).and_then(|(got, level)| {
                let shift = level ^ (self.caps_lock && got.caps);
                self.scanner.def(got.key)?.output(shift).shown()
            });
            out.push(meant.unwrap_or(ch));
        }
        out
    }
}

/// What the scanner meant, from what the desktop received, without Caps
/// Lock: shorthand for [`KeyboardSetup::remap`].
///
/// ```
/// use vitale_reader::wedge::{remap, KeyboardLayout::*};
///
/// // A US-configured scanner typing `VT1:` into a French desktop.
/// assert_eq!(remap("VT&M", UsQwerty, FrenchAzerty), "VT1:");
/// // A French-configured scanner typing into a US desktop.
/// assert_eq!(remap("VT!.", FrenchAzerty, UsQwerty), "VT1:");
/// ```
#[must_use]
pub fn remap(text: &str, scanner: KeyboardLayout, desktop: KeyboardLayout) -> String {
    KeyboardSetup::new(scanner, desktop).remap(text)
}
