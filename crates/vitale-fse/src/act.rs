//! Acts as a professional bills them: NGAP (*Nomenclature générale des
//! actes professionnels*: a key letter and a coefficient, `G`, `AMI 1.5`)
//! and CCAM (*Classification commune des actes médicaux*: a 7-character
//! code, activity, phase, modifiers).
//!
//! Text forms, as the CLI and tariff files write them:
//!
//! | form | meaning |
//! |---|---|
//! | `G`, `APC` | NGAP key letter, coefficient 1 |
//! | `AMI 1.5`, `AMI1.5`, `AMI 1,5` | NGAP key letter and coefficient (at most two decimals) |
//! | `DEQP003` | CCAM code, activity 1, phase 0 |
//! | `DEQP003-1-0` | CCAM code, activity, phase |
//! | `DEQP003-1-0+F+U` | … with up to four modifiers |

use core::fmt;
use core::str::FromStr;

use crate::Error;

/// Longest act text accepted by [`Act::from_str`].
pub const MAX_ACT_TEXT: usize = 32;

/// An NGAP key letter (*lettre clé*): 1 to 6 upper-case ASCII letters
/// (`G`, `APC`, `AMI`, `CNPSY`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyLetter(String);

impl KeyLetter {
    /// Validates a key letter.
    pub fn new(text: &str) -> Option<KeyLetter> {
        ((1..=6).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_uppercase()))
            .then(|| KeyLetter(text.to_owned()))
    }

    /// The key letter.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An NGAP coefficient, positive, at most two decimals and at most
/// [`Coefficient::MAX_HUNDREDTHS`] / 100.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Coefficient(u32);

impl Coefficient {
    /// Coefficient 1.
    pub const ONE: Coefficient = Coefficient(100);
    /// Largest coefficient, in hundredths (1 000).
    pub const MAX_HUNDREDTHS: u32 = 100_000;

    /// A coefficient from hundredths (`150` is 1.5), if positive and at
    /// most the maximum.
    pub const fn from_hundredths(hundredths: u32) -> Option<Coefficient> {
        if hundredths >= 1 && hundredths <= Self::MAX_HUNDREDTHS {
            Some(Coefficient(hundredths))
        } else {
            None
        }
    }

    /// The coefficient in hundredths.
    pub const fn hundredths(self) -> u32 {
        self.0
    }

    /// Parses `1`, `1.5`, `1,5`, `0.25` (no leading zero before a
    /// non-zero unit: `03` is refused).
    pub fn parse(text: &str) -> Option<Coefficient> {
        if text.len() > 1
            && text.starts_with('0')
            && !text.get(1..).is_some_and(|r| r.starts_with(['.', ',']))
        {
            return None;
        }
        // Reuse the two-decimal parser of amounts: 1.5 is 150 hundredths.
        crate::Cents::parse_euros(text).and_then(|c| Coefficient::from_hundredths(c.get()))
    }
}

impl fmt::Display for Coefficient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{whole}"),
            f10 if f10.is_multiple_of(10) => write!(f, "{whole}.{}", f10 / 10),
            _ => write!(f, "{whole}.{frac:02}"),
        }
    }
}

impl fmt::Debug for Coefficient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A CCAM code: four upper-case letters other than `I` and `O` (which the
/// classification leaves out, so that they are not read as 1 and 0), then
/// three digits (`DEQP003`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CcamCode([u8; 7]);

impl CcamCode {
    /// Validates a CCAM code.
    pub fn new(text: &str) -> Option<CcamCode> {
        let bytes: [u8; 7] = text.as_bytes().try_into().ok()?;
        let (letters, digits) = bytes.split_at(4);
        let letter = |b: &u8| b.is_ascii_uppercase() && *b != b'I' && *b != b'O';
        (letters.iter().all(letter) && digits.iter().all(u8::is_ascii_digit))
            .then_some(CcamCode(bytes))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        core::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl fmt::Debug for CcamCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CCAM modifier (*modificateur*): one upper-case letter or digit.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Modifier(u8);

impl Modifier {
    /// Validates a modifier.
    pub fn new(c: char) -> Option<Modifier> {
        (c.is_ascii_uppercase() || c.is_ascii_digit()).then_some(Modifier(c as u8))
    }

    /// The modifier's character.
    pub fn as_char(self) -> char {
        char::from(self.0)
    }
}

impl fmt::Debug for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_char())
    }
}

/// A CCAM act: code, activity (*code activité*, 1 to 9; 1 is the main
/// activity, 4 anaesthesia), phase (*code phase*, 0 to 9; 0 when the act has
/// a single phase) and up to four distinct modifiers, kept sorted.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct CcamAct {
    code: CcamCode,
    activity: u8,
    phase: u8,
    modifiers: Vec<Modifier>,
}

impl CcamAct {
    /// Most modifiers on one act.
    pub const MAX_MODIFIERS: usize = 4;

    /// An act, if activity is 1–9, phase 0–9 and the modifiers are at
    /// most four and distinct.
    pub fn new(code: CcamCode, activity: u8, phase: u8, modifiers: &[Modifier]) -> Option<CcamAct> {
        let mut sorted = modifiers.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let ok = (1..=9).contains(&activity)
            && phase <= 9
            && modifiers.len() <= Self::MAX_MODIFIERS
            && sorted.len() == modifiers.len();
        ok.then_some(CcamAct {
            code,
            activity,
            phase,
            modifiers: sorted,
        })
    }

    /// The code.
    pub fn code(&self) -> CcamCode {
        self.code
    }

    /// The activity.
    pub fn activity(&self) -> u8 {
        self.activity
    }

    /// The phase.
    pub fn phase(&self) -> u8 {
        self.phase
    }

    /// The modifiers, sorted.
    pub fn modifiers(&self) -> &[Modifier] {
        &self.modifiers
    }
}

/// An act to bill: NGAP or CCAM.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Act {
    /// An NGAP act: key letter and coefficient.
    Ngap {
        /// The key letter.
        letter: KeyLetter,
        /// The coefficient.
        coefficient: Coefficient,
    },
    /// A CCAM act.
    Ccam(CcamAct),
}

impl Act {
    /// The code the tariff table knows the act by: the key letter, or the
    /// CCAM code with activity and phase (`DEQP003-1-0`).
    pub fn tariff_code(&self) -> String {
        match self {
            Act::Ngap { letter, .. } => letter.as_str().to_owned(),
            Act::Ccam(a) => format!("{}-{}-{}", a.code.as_str(), a.activity, a.phase),
        }
    }
}

impl FromStr for Act {
    type Err = Error;

    fn from_str(text: &str) -> Result<Act, Error> {
        let bad = || Error::InvalidAct;
        if text.is_empty() || text.len() > MAX_ACT_TEXT || !text.is_ascii() {
            return Err(bad());
        }
        if let Some(code) = text.get(..7).and_then(CcamCode::new) {
            let rest = text.get(7..).ok_or_else(bad)?;
            let (ap, mods) = match rest.find('+') {
                Some(at) => (
                    rest.get(..at).ok_or_else(bad)?,
                    rest.get(at..).ok_or_else(bad)?,
                ),
                None => (rest, ""),
            };
            let (activity, phase) = match ap.as_bytes() {
                [] => (1, 0),
                [b'-', a, b'-', p] if a.is_ascii_digit() && p.is_ascii_digit() => {
                    (a - b'0', p - b'0')
                }
                _ => return Err(bad()),
            };
            let mut modifiers = Vec::new();
            for part in mods.split('+').skip(1) {
                let mut chars = part.chars();
                match (chars.next().and_then(Modifier::new), chars.next()) {
                    (Some(m), None) if modifiers.len() < CcamAct::MAX_MODIFIERS => {
                        modifiers.push(m)
                    }
                    _ => return Err(bad()),
                }
            }
            return CcamAct::new(code, activity, phase, &modifiers)
                .map(Act::Ccam)
                .ok_or_else(bad);
        }
        let split = text
            .find(|c: char| !c.is_ascii_uppercase())
            .unwrap_or(text.len());
        let (letter, coefficient) = text.split_at(split);
        let letter = KeyLetter::new(letter).ok_or_else(bad)?;
        let coefficient = match coefficient.strip_prefix(' ').unwrap_or(coefficient) {
            "" => Coefficient::ONE,
            c => Coefficient::parse(c).ok_or_else(bad)?,
        };
        Ok(Act::Ngap {
            letter,
            coefficient,
        })
    }
}

/// The canonical text form (`AMI 1.5`, `G`, `DEQP003-1-0+F`).
impl fmt::Display for Act {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Act::Ngap {
                letter,
                coefficient,
            } if *coefficient == Coefficient::ONE => f.write_str(letter.as_str()),
            Act::Ngap {
                letter,
                coefficient,
            } => write!(f, "{} {coefficient}", letter.as_str()),
            Act::Ccam(a) => {
                write!(f, "{}-{}-{}", a.code.as_str(), a.activity, a.phase)?;
                for m in &a.modifiers {
                    write!(f, "+{}", m.as_char())?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for KeyLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests;
