//! The insured person (*ouvrant droit*) and the insurer's organisation.

use vitale_ins::Nir;

use crate::cbor::Value;
use crate::model::ModelError;
use crate::model::fields::{Fields, map};

/// The organisation managing the insured person's rights: *régime* (2
/// digits), *caisse* (3 digits) and *centre* (4 digits), as printed on the
/// Vitale card and used in care sheets.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Organisation {
    regime: String,
    fund: String,
    centre: String,
}

fn digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

impl Organisation {
    /// Validates the three codes (ASCII digits, lengths 2, 3 and 4).
    pub fn new(regime: &str, fund: &str, centre: &str) -> Option<Self> {
        (digits(regime, 2) && digits(fund, 3) && digits(centre, 4)).then(|| Organisation {
            regime: regime.to_owned(),
            fund: fund.to_owned(),
            centre: centre.to_owned(),
        })
    }

    /// *Code régime* (2 digits), e.g. `01` for the general scheme.
    pub fn regime(&self) -> &str {
        &self.regime
    }

    /// *Code caisse* (3 digits).
    pub fn fund(&self) -> &str {
        &self.fund
    }

    /// *Code centre* (4 digits).
    pub fn centre(&self) -> &str {
        &self.centre
    }
}

/// *Code de gestion*: two ASCII digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ManagementCode([u8; 2]);

impl ManagementCode {
    /// Validates a code of two ASCII digits.
    pub fn new(text: &str) -> Option<Self> {
        let bytes: [u8; 2] = text.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_digit)
            .then_some(ManagementCode(bytes))
    }

    /// The two digits.
    pub fn as_str(&self) -> &str {
        // Invariant: both bytes are ASCII digits, hence UTF-8.
        core::str::from_utf8(&self.0).unwrap_or("00")
    }
}

/// The insured person (*assuré*, *ouvrant droit*) whose rights cover the
/// beneficiaries of a credential.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Insured {
    /// The insured person's NIR (*numéro de sécurité sociale*).
    pub nir: Nir,
    /// The organisation managing the rights.
    pub organisation: Organisation,
    /// *Code de gestion*.
    pub management_code: ManagementCode,
}

impl Insured {
    pub(crate) fn from_value(value: Value) -> Result<Self, ModelError> {
        let mut f = Fields::new("insured", value)?;
        let nir = Nir::parse(&f.text(1)?).map_err(f.identity(1))?;
        let regime = f.text(2)?;
        let fund = f.text(3)?;
        let centre = f.text(4)?;
        let organisation = Organisation::new(&regime, &fund, &centre)
            .ok_or(f.invalid(2, "régime, caisse and centre must be 2, 3 and 4 digits"))?;
        let management_code =
            ManagementCode::new(&f.text(5)?).ok_or(f.invalid(5, "must be 2 digits"))?;
        f.finish()?;
        Ok(Insured {
            nir,
            organisation,
            management_code,
        })
    }

    pub(crate) fn to_value(&self) -> Value {
        map([
            (1, Some(Value::from(self.nir.as_str()))),
            (2, Some(Value::from(self.organisation.regime()))),
            (3, Some(Value::from(self.organisation.fund()))),
            (4, Some(Value::from(self.organisation.centre()))),
            (5, Some(Value::from(self.management_code.as_str()))),
        ])
    }
}
