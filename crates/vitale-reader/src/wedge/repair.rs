//! Repair of a line typed through a layout mismatch or with Caps Lock on.

use super::layout::{KeyboardLayout, KeyboardSetup};

use KeyboardLayout::{FrenchAzerty, UsQwerty};

/// The setups [`repair`] tries after the line as is, in this order: the two
/// QWERTY/AZERTY (France) mismatches, then Caps Lock with matching layouts,
/// then Caps Lock with each mismatch.
///
/// The Belgian layout is not among them: a US scanner on a Belgian desktop
/// and on a French one type most characters alike, and trying both could
/// accept the wrong one (measured on 399 synthetic presentations typed by
/// a US scanner on a Belgian desktop: the French candidate decoded 27
/// Base45 texts to wrong bytes, which signature verification would then
/// reject). Belgian sites pass their setups to [`repair_with`].
pub const DEFAULT_CANDIDATES: [KeyboardSetup; 6] = [
    KeyboardSetup::new(UsQwerty, FrenchAzerty),
    KeyboardSetup::new(FrenchAzerty, UsQwerty),
    KeyboardSetup::new(UsQwerty, UsQwerty).with_caps_lock(),
    KeyboardSetup::new(FrenchAzerty, FrenchAzerty).with_caps_lock(),
    KeyboardSetup::new(UsQwerty, FrenchAzerty).with_caps_lock(),
    KeyboardSetup::new(FrenchAzerty, UsQwerty).with_caps_lock(),
];

/// A line accepted by [`repair`], and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// The text the scanner meant.
    pub text: String,
    /// `Some((scanner, desktop))` when the layouts differed.
    pub mismatch: Option<(KeyboardLayout, KeyboardLayout)>,
    /// Caps Lock was on at the desktop.
    pub caps_lock: bool,
}

impl Repaired {
    /// Whether the line was accepted as received.
    #[must_use]
    pub fn was_intact(&self) -> bool {
        self.mismatch.is_none() && !self.caps_lock
    }

    /// Advice for the operator, in French, when something needed repair:
    /// which setting to change so that scans arrive intact.
    #[must_use]
    pub fn advice(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some((scanner, desktop)) = self.mismatch {
            parts.push(format!(
                "la douchette est configurée en {} alors que le poste est en {}",
                scanner.name(),
                desktop.name()
            ));
        }
        if self.caps_lock {
            parts.push("la touche Verr. Maj. est activée".to_owned());
        }
        if parts.is_empty() {
            None
        } else {
            Some(parts.join(" ; "))
        }
    }

    fn from_setup(text: String, setup: KeyboardSetup) -> Self {
        Repaired {
            text,
            mismatch: (setup.scanner != setup.desktop).then_some((setup.scanner, setup.desktop)),
            caps_lock: setup.caps_lock,
        }
    }
}

/// Finds what the scanner meant: the line as is if `accept` takes it, else
/// the first of [`DEFAULT_CANDIDATES`] whose [`KeyboardSetup::remap`]
/// `accept` takes.
///
/// `None` when no candidate is accepted. The facade passes
/// `|t| vitale_codec::text::decode_text(t).is_ok()`; see
/// [`repair_presentation`].
pub fn repair(line: &str, accept: impl Fn(&str) -> bool) -> Option<Repaired> {
    repair_with(line, &DEFAULT_CANDIDATES, accept)
}

/// As [`repair`], with the setups to try after the line as is.
pub fn repair_with(
    line: &str,
    candidates: &[KeyboardSetup],
    accept: impl Fn(&str) -> bool,
) -> Option<Repaired> {
    if accept(line) {
        return Some(Repaired {
            text: line.to_owned(),
            mismatch: None,
            caps_lock: false,
        });
    }
    candidates
        .iter()
        .filter(|setup| !setup.is_identity())
        .find_map(|setup| {
            let text = setup.remap(line);
            (text != line && accept(&text)).then(|| Repaired::from_setup(text, *setup))
        })
}

/// [`repair`] with the acceptor the facade uses: the line (or its repair)
/// must decode as a `VT1:` or `VT1B:` presentation text
/// ([`vitale_codec::text::decode_text`]).
///
/// ```
/// use vitale_reader::wedge::{repair_presentation, KeyboardLayout};
///
/// let sent = vitale_codec::text::encode_qr(&[0xD2, 0x84, 0x43, 0xA1, 0x01, 0x26]);
/// assert_eq!(sent, "VT1:RRQXO8O60");
/// // What a French desktop receives from a US-configured scanner.
/// let got = "VT&MRRAXO_O-à";
/// let fixed = repair_presentation(got).expect("repaired");
/// assert_eq!(fixed.text, sent);
/// assert_eq!(
///     fixed.mismatch,
///     Some((KeyboardLayout::UsQwerty, KeyboardLayout::FrenchAzerty))
/// );
/// ```
#[must_use]
pub fn repair_presentation(line: &str) -> Option<Repaired> {
    repair(line, |text| vitale_codec::text::decode_text(text).is_ok())
}

/// What the facade's scanner path uses: a `VT1:`/`VT1B:` text that
/// decodes ([`repair_presentation`]), else a `token`-profile text
/// ([`vitale_codec::TokenText`]).
///
/// A token is opaque, so a repair is only found when the line as typed is
/// not a valid token text — a layout mismatch turns digits into `& é " ' (`
/// and such, outside the token charset — and the candidate setup makes it
/// one; the same setup then repairs the letters too. A token typed through
/// a mismatch that changed letters only cannot be told apart and goes as
/// typed (the context service then refuses it). A line that is, or repairs
/// to, a `VT1:`/`VT1B:` text that does not decode is never taken for a
/// token.
///
/// ```
/// use vitale_reader::wedge::{repair_scanned_text, KeyboardLayout, KeyboardSetup};
///
/// let token = "TOKEN-0123456789";
/// // What a French desktop receives from a US-configured scanner.
/// let setup = KeyboardSetup::new(KeyboardLayout::UsQwerty, KeyboardLayout::FrenchAzerty);
/// let typed = setup.simulate(token);
/// assert_ne!(typed, token);
/// let fixed = repair_scanned_text(&typed).expect("repaired");
/// assert_eq!(fixed.text, token);
/// assert_eq!(fixed.mismatch, Some((KeyboardLayout::UsQwerty, KeyboardLayout::FrenchAzerty)));
/// ```
#[must_use]
pub fn repair_scanned_text(line: &str) -> Option<Repaired> {
    // A UTF-8 byte-order mark (a Windows file or clipboard) is not text.
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    if let Some(repaired) = repair_presentation(line) {
        return Some(repaired);
    }
    let open = |t: &str| vitale_codec::token::has_open_prefix(t);
    if open(line) || DEFAULT_CANDIDATES.iter().any(|s| open(&s.remap(line))) {
        return None;
    }
    repair(line, |text| vitale_codec::TokenText::parse(text).is_ok())
}
