//! Wire form of the insured person (*ouvrant droit*) and organisation
//! (`docs/format.md`, §Credential, key 7).

use vitale_ins::Nir;
use vitale_model::{Insured, ManagementCode, Organisation};

use crate::cbor::Value;
use crate::cbor::item::Item;
use crate::model::ModelError;
use crate::model::fields::{Fields, map};

pub(crate) fn insured_from_item(item: Item<'_>) -> Result<Insured, ModelError> {
    let mut f = Fields::new("insured", item)?;
    let nir = Nir::parse(f.text(1)?).map_err(f.identity(1))?;
    let regime = f.text(2)?;
    let fund = f.text(3)?;
    let centre = f.text(4)?;
    let organisation = Organisation::new(regime, fund, centre)
        .ok_or_else(|| f.invalid(2, "régime, caisse and centre must be 2, 3 and 4 digits"))?;
    let management_code =
        ManagementCode::new(f.text(5)?).ok_or_else(|| f.invalid(5, "must be 2 digits"))?;
    f.finish()?;
    Ok(Insured::new(nir, organisation, management_code))
}

pub(crate) fn insured_to_value(insured: &Insured) -> Value {
    let organisation = insured.organisation();
    map([
        (1, Some(Value::from(insured.nir().as_str()))),
        (2, Some(Value::from(organisation.regime()))),
        (3, Some(Value::from(organisation.fund()))),
        (4, Some(Value::from(organisation.centre()))),
        (5, Some(Value::from(insured.management_code().as_str()))),
    ])
}
