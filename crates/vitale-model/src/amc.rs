//! Complementary health insurance (*assurance maladie complémentaire*, AMC).

use crate::DateRange;

/// *Numéro AMC*: the complementary insurer's identifier, 1 to 10 ASCII
/// digits (the SDK fixes only the character set and length).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct AmcNumber(String);

impl AmcNumber {
    /// Validates 1 to 10 ASCII digits.
    pub fn new(text: &str) -> Option<Self> {
        ((1..=10).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| AmcNumber(text.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

serde_text!(AmcNumber, 10, "AMC number", |n| n.as_str(), AmcNumber::new);

/// *Code de garantie* / contract type: 1 to 10 characters among `0-9 A-Z`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct GuaranteeCode(String);

impl GuaranteeCode {
    /// Validates 1 to 10 characters among ASCII digits and capital letters.
    pub fn new(text: &str) -> Option<Self> {
        ((1..=10).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()))
        .then(|| GuaranteeCode(text.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

serde_text!(
    GuaranteeCode,
    10,
    "guarantee code",
    |c| c.as_str(),
    GuaranteeCode::new
);

/// A beneficiary's complementary cover (AMC), as the insurer knows it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ComplementaryCover {
    amc_number: AmcNumber,
    guarantee: GuaranteeCode,
    validity: DateRange,
    third_party_payment: bool,
}

impl ComplementaryCover {
    /// A cover.
    pub fn new(
        amc_number: AmcNumber,
        guarantee: GuaranteeCode,
        validity: DateRange,
        third_party_payment: bool,
    ) -> Self {
        ComplementaryCover {
            amc_number,
            guarantee,
            validity,
            third_party_payment,
        }
    }

    /// The complementary insurer (*numéro AMC*).
    pub fn amc_number(&self) -> &AmcNumber {
        &self.amc_number
    }

    /// The guarantee or contract code.
    pub fn guarantee(&self) -> &GuaranteeCode {
        &self.guarantee
    }

    /// Days the cover is valid.
    pub fn validity(&self) -> DateRange {
        self.validity
    }

    /// Whether the complementary share may be paid by third-party payment
    /// (*tiers payant*).
    pub fn third_party_payment(&self) -> bool {
        self.third_party_payment
    }
}
