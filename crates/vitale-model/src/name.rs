//! A person's name as registered by the insurer.

/// A person's name as registered by the insurer: nom de naissance, nom
/// usuel, prénoms, or a delegate's name.
///
/// Free text of 1 to [`PersonName::MAX_CHARS`] characters, without control
/// characters and without leading or trailing white space. Compare names
/// with `vitale_ins::normalize_trait`, not with `==`. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    /// Longest name, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Validates a name; `None` if empty, too long, padded or containing a
    /// control character.
    pub fn new(text: impl Into<String>) -> Option<Self> {
        let text = text.into();
        // Names are checked for every beneficiary of every card read:
        // ASCII text by bytes, the same rules.
        let ok = if text.is_ascii() {
            valid_ascii(&text)
        } else {
            valid_chars(&text)
        };
        ok.then_some(PersonName(text))
    }

    /// The name as registered.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 1 to [`PersonName::MAX_CHARS`] characters, no control character, no
/// leading or trailing white space.
fn valid_chars(text: &str) -> bool {
    let count = text.chars().count();
    (1..=PersonName::MAX_CHARS).contains(&count)
        && !text.chars().any(char::is_control)
        && text.trim() == text
}

/// [`valid_chars`] for ASCII text: a character is a byte, and the only
/// ASCII white space that is not a control character is the space.
fn valid_ascii(text: &str) -> bool {
    let bytes = text.as_bytes();
    (1..=PersonName::MAX_CHARS).contains(&bytes.len())
        && !bytes.iter().any(u8::is_ascii_control)
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
}

impl core::fmt::Debug for PersonName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PersonName(<redacted>)")
    }
}

impl core::fmt::Display for PersonName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A JSON string of at most `max_chars` characters (bytes: a longer string
/// is refused before it is validated further).
#[cfg(feature = "serde")]
pub(crate) fn bounded_string<'de, D: serde::Deserializer<'de>>(
    d: D,
    max_chars: usize,
) -> Result<String, D::Error> {
    use serde::Deserialize as _;
    use serde::de::Error as _;
    let text = String::deserialize(d)?;
    // A character is at most 4 bytes.
    if text.len() > max_chars.saturating_mul(4) || text.chars().count() > max_chars {
        return Err(D::Error::custom("text too long"));
    }
    Ok(text)
}

#[cfg(feature = "serde")]
impl serde::Serialize for PersonName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PersonName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let text = bounded_string(d, Self::MAX_CHARS)?;
        PersonName::new(text).ok_or_else(|| D::Error::custom("not a valid name"))
    }
}

#[cfg(test)]
mod tests;
