//! Wire form of the beneficiaries (*ayants droit*) (`docs/format.md`,
//! §Credential, key 8).

use vitale_ins::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};
use vitale_model::{
    Beneficiaries, Beneficiary, BeneficiaryIns, BirthRank, PersonName, QualityCode, Rank,
};

use crate::cbor::Value;
use crate::cbor::item::{Item, Items};
use crate::limits::MAX_BENEFICIARIES;
use crate::model::ModelError;
use crate::model::amc::{cover_from_item, cover_to_value};
use crate::model::fields::{Fields, map};

fn name(f: &Fields<'_>, key: i64, text: &str) -> Result<PersonName, ModelError> {
    PersonName::new(text).ok_or_else(|| f.invalid(key, "not a valid name"))
}

fn beneficiary_from_item(item: Item<'_>) -> Result<Beneficiary, ModelError> {
    let mut f = Fields::new("beneficiary", item)?;
    let rank = Rank::new(f.small_uint(1, 1..=99)?).ok_or_else(|| f.invalid(1, "out of range"))?;
    let quality =
        QualityCode::new(f.small_uint(2, 0..=99)?).ok_or_else(|| f.invalid(2, "out of range"))?;
    let usual_name = match f.optional_text(3)? {
        Some(t) => Some(name(&f, 3, t)?),
        None => None,
    };
    let text = f.text(4)?;
    let birth_name = name(&f, 4, text)?;
    let text = f.text(5)?;
    let first_names = name(&f, 5, text)?;
    let sex_text = f.text(6)?;
    let mut chars = sex_text.chars();
    let sex = match (chars.next(), chars.next()) {
        (Some(c), None) => Sex::from_code(c).map_err(f.identity(6))?,
        _ => return Err(f.invalid(6, "one letter")),
    };
    let birth_date = BirthDate::parse(f.text(7)?).map_err(f.identity(7))?;
    let birth_rank =
        BirthRank::new(f.small_uint(8, 1..=9)?).ok_or_else(|| f.invalid(8, "out of range"))?;
    let ins = match f.optional(9) {
        Some(v) => Some(ins_from_item(v)?),
        None => None,
    };
    let complementary = match f.optional(10) {
        Some(v) => Some(cover_from_item(v)?),
        None => None,
    };
    f.finish()?;
    Ok(Beneficiary::new(
        rank,
        quality,
        birth_name,
        first_names,
        sex,
        birth_date,
        birth_rank,
    )
    .with_usual_name(usual_name)
    .with_ins(ins)
    .with_complementary(complementary))
}

fn beneficiary_to_value(b: &Beneficiary) -> Value {
    map([
        (1, Some(Value::from(b.rank().get()))),
        (2, Some(Value::from(b.quality().get()))),
        (3, b.usual_name().map(|n| Value::from(n.as_str()))),
        (4, Some(Value::from(b.birth_name().as_str()))),
        (5, Some(Value::from(b.first_names().as_str()))),
        (6, Some(Value::from(b.sex().code().to_string()))),
        (7, Some(Value::from(b.birth_date().as_str()))),
        (8, Some(Value::from(b.birth_rank().get()))),
        (9, b.ins().map(ins_to_value)),
        (10, b.complementary().map(cover_to_value)),
    ])
}

fn ins_from_item(item: Item<'_>) -> Result<BeneficiaryIns, ModelError> {
    let mut f = Fields::new("ins", item)?;
    let matricule = Nir::parse(f.text(1)?).map_err(f.identity(1))?;
    let oid = InsOid::parse(f.text(2)?).map_err(f.identity(2))?;
    let birthplace = CogCode::parse(f.text(3)?).map_err(f.identity(3))?;
    f.finish()?;
    Ok(BeneficiaryIns::new(Ins::new(matricule, oid), birthplace))
}

fn ins_to_value(ins: &BeneficiaryIns) -> Value {
    map([
        (1, Some(Value::from(ins.ins().matricule().as_str()))),
        (2, Some(Value::from(ins.ins().oid().as_str()))),
        (3, Some(Value::from(ins.birthplace().as_str()))),
    ])
}

pub(crate) fn beneficiaries_from_items(items: Items<'_>) -> Result<Beneficiaries, ModelError> {
    if items.len() > MAX_BENEFICIARIES {
        return Err(ModelError::BeneficiaryCount(items.len()));
    }
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        list.push(beneficiary_from_item(item)?);
    }
    Ok(Beneficiaries::new(list)?)
}

pub(crate) fn beneficiaries_to_value(list: &Beneficiaries) -> Value {
    Value::Array(list.iter().map(beneficiary_to_value).collect())
}
