//! The health professional's identifiers: RPPS, billing number (*n° AM*)
//! and specialty code (*code spécialité*), and the identity a rights
//! service is configured with.
//!
//! The rules and their public sources are in the project's
//! `docs/rights.md` ("Professional identifiers").

mod specialty;

pub use specialty::SpecialtyCode;

use crate::Error;

/// Whether `digits` (ASCII digits only) satisfy the Luhn (mod 10) check:
/// doubling every second digit from the right, the sum is a multiple of 10.
fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.wrapping_sub(b'0'));
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `text` without spaces, if it is exactly `len` ASCII digits. Inputs
/// longer than `4 * len` bytes are refused before any work.
fn compact_digits(text: &str, len: usize) -> Option<Vec<u8>> {
    if text.len() > len.saturating_mul(4) {
        return None;
    }
    let digits: Vec<u8> = text.bytes().filter(|b| *b != b' ').collect();
    (digits.len() == len && digits.iter().all(u8::is_ascii_digit)).then_some(digits)
}

/// The RPPS number (*numéro RPPS*, Répertoire partagé des professionnels
/// intervenant dans le système de santé): 11 digits, the last one a Luhn
/// key, as the ANS describes it. It identifies the person for life; it is
/// not the billing identifier.
///
/// ```
/// use vitale_adri::Rpps;
///
/// let rpps = Rpps::parse("10005173140")?;
/// assert_eq!(rpps.as_str(), "10005173140");
/// assert!(Rpps::parse("10005173141").is_err()); // wrong key
/// # Ok::<(), vitale_adri::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Rpps(String);

impl Rpps {
    /// Number of digits.
    pub const LEN: usize = 11;

    /// Parses 11 digits (spaces ignored) and checks the Luhn key.
    ///
    /// # Errors
    /// [`Error::Invalid`] for another length, a non-digit or a wrong key.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let digits =
            compact_digits(text, Self::LEN).ok_or(Error::Invalid("RPPS: 11 digits expected"))?;
        if !luhn_valid(&digits) {
            return Err(Error::Invalid("RPPS: wrong Luhn key"));
        }
        String::from_utf8(digits)
            .map(Rpps)
            .map_err(|_| Error::Invalid("RPPS: 11 digits expected"))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Luhn key digit that completes 10 digits, or `None` if `first10`
    /// is not 10 ASCII digits. Useful to build test numbers.
    ///
    /// ```
    /// assert_eq!(vitale_adri::Rpps::key_of("1000517314"), Some(0));
    /// ```
    pub fn key_of(first10: &str) -> Option<u8> {
        let digits = first10.as_bytes();
        if digits.len() != Self::LEN - 1 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut with_key = digits.to_vec();
        with_key.push(b'0');
        (0..10u8).find(|k| {
            if let Some(last) = with_key.last_mut() {
                *last = b'0' + k;
            }
            luhn_valid(&with_key)
        })
    }
}

impl core::fmt::Display for Rpps {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The professional's billing number (*numéro d'identification Assurance
/// Maladie*, *n° AM*, also *numéro de facturation*): 9 numeric characters
/// given by the Assurance Maladie for each liberal activity (one per
/// practice place), as the ANS describes it.
///
/// No check-key rule for this number is published by the Assurance
/// Maladie or the ANS that we could cite, so the SDK checks the format
/// only (9 ASCII digits) and does not guess a key: see `docs/rights.md`.
///
/// ```
/// use vitale_adri::BillingNumber;
///
/// let am = BillingNumber::parse("751234567")?;
/// assert_eq!(am.as_str(), "751234567");
/// assert!(BillingNumber::parse("75123456").is_err());
/// # Ok::<(), vitale_adri::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct BillingNumber(String);

impl BillingNumber {
    /// Number of characters.
    pub const LEN: usize = 9;

    /// Parses 9 digits (spaces ignored).
    ///
    /// # Errors
    /// [`Error::Invalid`] for another length or a non-digit.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let digits =
            compact_digits(text, Self::LEN).ok_or(Error::Invalid("n° AM: 9 digits expected"))?;
        String::from_utf8(digits)
            .map(BillingNumber)
            .map_err(|_| Error::Invalid("n° AM: 9 digits expected"))
    }

    /// The 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for BillingNumber {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The identity a rights service is configured with: the professional who
/// asks (*professionnel de santé*). Public integrator templates send the
/// professional's billing identifier and specialty with each request; like
/// `vitale_verify::token::ContextService`, a [`crate::RightsService`] value
/// is built for one professional.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct ProfessionalIdentity {
    billing_number: BillingNumber,
    rpps: Option<Rpps>,
    specialty: SpecialtyCode,
}

impl ProfessionalIdentity {
    /// A professional with a billing number and specialty; add the RPPS
    /// with [`ProfessionalIdentity::with_rpps`].
    pub fn new(billing_number: BillingNumber, specialty: SpecialtyCode) -> Self {
        ProfessionalIdentity {
            billing_number,
            rpps: None,
            specialty,
        }
    }

    /// Sets (or clears) the RPPS number.
    pub fn with_rpps(mut self, rpps: Option<Rpps>) -> Self {
        self.rpps = rpps;
        self
    }

    /// *N° AM*, the billing identifier of this practice.
    pub fn billing_number(&self) -> &BillingNumber {
        &self.billing_number
    }

    /// *Numéro RPPS*, when known.
    pub fn rpps(&self) -> Option<&Rpps> {
        self.rpps.as_ref()
    }

    /// *Code spécialité*.
    pub fn specialty(&self) -> SpecialtyCode {
        self.specialty
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{BillingNumber, ProfessionalIdentity, Rpps, SpecialtyCode};
    use crate::json::bounded_string;

    macro_rules! via_text {
        ($ty:ty, $max:expr) => {
            impl Serialize for $ty {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }

            impl<'de> Deserialize<'de> for $ty {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let text = bounded_string(d, $max)?;
                    <$ty>::parse(&text).map_err(D::Error::custom)
                }
            }
        };
    }

    via_text!(Rpps, 44);
    via_text!(BillingNumber, 36);
    via_text!(SpecialtyCode, 2);

    #[derive(Serialize, Deserialize)]
    struct Repr {
        billing_number: BillingNumber,
        #[serde(default)]
        rpps: Option<Rpps>,
        specialty: SpecialtyCode,
    }

    impl Serialize for ProfessionalIdentity {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            Repr {
                billing_number: self.billing_number.clone(),
                rpps: self.rpps.clone(),
                specialty: self.specialty,
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for ProfessionalIdentity {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let r = Repr::deserialize(d)?;
            Ok(ProfessionalIdentity::new(r.billing_number, r.specialty).with_rpps(r.rpps))
        }
    }
}

#[cfg(test)]
mod tests;
