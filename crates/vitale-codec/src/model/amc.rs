//! Wire form of the complementary cover (AMC) (`docs/format.md`,
//! §Credential, beneficiary key 10).

use time::Date;
use vitale_model::time::{format_date, parse_date};
use vitale_model::{AmcNumber, ComplementaryCover, DateRange, GuaranteeCode};

use crate::cbor::Value;
use crate::cbor::item::Item;
use crate::model::ModelError;
use crate::model::fields::{Fields, map};

/// An RFC 3339 `full-date` field (`YYYY-MM-DD`, a real calendar day).
fn date_field(f: &mut Fields<'_>, key: i64) -> Result<Date, ModelError> {
    let text = f.text(key)?;
    parse_date(text).ok_or_else(|| f.invalid(key, "not a YYYY-MM-DD date"))
}

pub(crate) fn cover_from_item(item: Item<'_>) -> Result<ComplementaryCover, ModelError> {
    let mut f = Fields::new("complementary cover", item)?;
    let amc_number = AmcNumber::new(f.text(1)?).ok_or_else(|| f.invalid(1, "1 to 10 digits"))?;
    let guarantee =
        GuaranteeCode::new(f.text(2)?).ok_or_else(|| f.invalid(2, "1 to 10 of 0-9 A-Z"))?;
    let from = date_field(&mut f, 3)?;
    let until = date_field(&mut f, 4)?;
    let validity =
        DateRange::new(from, until).ok_or_else(|| f.invalid(4, "ends before it starts"))?;
    let third_party_payment = f.bool(5)?;
    f.finish()?;
    Ok(ComplementaryCover::new(
        amc_number,
        guarantee,
        validity,
        third_party_payment,
    ))
}

pub(crate) fn cover_to_value(cover: &ComplementaryCover) -> Value {
    map([
        (1, Some(Value::from(cover.amc_number().as_str()))),
        (2, Some(Value::from(cover.guarantee().as_str()))),
        (3, Some(Value::from(format_date(cover.validity().from())))),
        (4, Some(Value::from(format_date(cover.validity().until())))),
        (5, Some(Value::Bool(cover.third_party_payment()))),
    ])
}
