//! The birthplace code (code officiel géographique, COG).

use core::fmt;
use core::str::FromStr;

use crate::error::Error;

/// A birthplace as a 5-character INSEE COG code (code officiel
/// géographique), the *lieu de naissance* INS trait.
///
/// Accepted form (checked by [`CogCode::parse`]):
///
/// * characters 1–2: two digits other than `00` (department; `97`/`98`
///   overseas, `99` born abroad), or `2A` / `2B` (Corsica);
/// * characters 3–5: three digits.
///
/// Born abroad is `99` followed by the INSEE country code (e.g. `99100`).
/// The code is not checked against the COG tables (they change every year
/// and the SDK carries no copy). `Debug` is redacted, like every trait.
///
/// ```
/// use vitale_ins::CogCode;
///
/// assert!(CogCode::parse("2A004")?.is_corsica());
/// assert!(CogCode::parse("99100")?.is_abroad());
/// assert!(CogCode::parse("2C004").is_err());
/// # Ok::<(), vitale_ins::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CogCode(String);

impl CogCode {
    /// Parses a 5-character COG code (upper case `2A` / `2B` only).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bytes = text.as_bytes();
        let [d1, d2, c1, c2, c3] = bytes else {
            return Err(Error::CogCode);
        };
        let department_ok = match (d1, d2) {
            (b'2', b'A' | b'B') => true,
            (b'0', b'0') => false,
            _ => d1.is_ascii_digit() && d2.is_ascii_digit(),
        };
        if !department_ok || ![c1, c2, c3].iter().all(|b| b.is_ascii_digit()) {
            return Err(Error::CogCode);
        }
        Ok(Self(text.to_owned()))
    }

    /// The 5 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Born abroad: the code starts with `99`.
    pub fn is_abroad(&self) -> bool {
        self.0.starts_with("99")
    }

    /// Born in Corsica under the post-1976 codes `2A` / `2B`.
    pub fn is_corsica(&self) -> bool {
        self.0.starts_with("2A") || self.0.starts_with("2B")
    }
}

impl FromStr for CogCode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for CogCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CogCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CogCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests;
