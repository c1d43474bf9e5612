//! Complementary health insurance (*assurance maladie complémentaire*, AMC).

use time::Date;

use crate::cbor::Value;
use crate::model::ModelError;
use crate::model::fields::{Fields, map};

/// *Numéro AMC*: the complementary insurer's identifier, 1 to 10 ASCII
/// digits (the profile fixes only the character set and length).
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

/// A range of calendar days, both ends included, `from <= until`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct DateRange {
    from: Date,
    until: Date,
}

impl DateRange {
    /// A range; `None` if `until` is before `from` or a year is outside
    /// 0–9999 (not writable as `YYYY`).
    pub fn new(from: Date, until: Date) -> Option<Self> {
        let writable = |d: Date| (0..=9999).contains(&d.year());
        (from <= until && writable(from) && writable(until)).then_some(DateRange { from, until })
    }

    /// First day covered.
    pub fn from(&self) -> Date {
        self.from
    }

    /// Last day covered.
    pub fn until(&self) -> Date {
        self.until
    }

    /// Whether `day` is covered.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.until
    }
}

/// A beneficiary's complementary cover, as the insurer knows it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ComplementaryCover {
    /// The complementary insurer.
    pub amc_number: AmcNumber,
    /// The guarantee or contract code.
    pub guarantee: GuaranteeCode,
    /// Days the cover is valid.
    pub validity: DateRange,
    /// Whether the complementary share may be paid by third-party payment
    /// (*tiers payant*).
    pub third_party_payment: bool,
}

/// Parses an RFC 3339 `full-date` (`YYYY-MM-DD`, a real calendar day).
fn parse_date(f: &mut Fields, key: i64) -> Result<Date, ModelError> {
    let text = f.text(key)?;
    let bad = || f.invalid(key, "not a YYYY-MM-DD date");
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(bad());
    }
    let num = |r: core::ops::Range<usize>| text.get(r).and_then(|t| t.parse::<u16>().ok());
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(bad());
    };
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let day = u8::try_from(day).map_err(|_| bad())?;
    Date::from_calendar_date(i32::from(year), month, day).map_err(|_| bad())
}

fn format_date(date: Date) -> Value {
    Value::from(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

impl ComplementaryCover {
    pub(crate) fn from_value(value: Value) -> Result<Self, ModelError> {
        let mut f = Fields::new("complementary cover", value)?;
        let amc_number = AmcNumber::new(&f.text(1)?).ok_or(f.invalid(1, "1 to 10 digits"))?;
        let guarantee =
            GuaranteeCode::new(&f.text(2)?).ok_or(f.invalid(2, "1 to 10 of 0-9 A-Z"))?;
        let from = parse_date(&mut f, 3)?;
        let until = parse_date(&mut f, 4)?;
        let validity = DateRange::new(from, until).ok_or(f.invalid(4, "ends before it starts"))?;
        let third_party_payment = f.bool(5)?;
        f.finish()?;
        Ok(ComplementaryCover {
            amc_number,
            guarantee,
            validity,
            third_party_payment,
        })
    }

    pub(crate) fn to_value(&self) -> Value {
        map([
            (1, Some(Value::from(self.amc_number.as_str()))),
            (2, Some(Value::from(self.guarantee.as_str()))),
            (3, Some(format_date(self.validity.from))),
            (4, Some(format_date(self.validity.until))),
            (5, Some(Value::Bool(self.third_party_payment))),
        ])
    }
}
