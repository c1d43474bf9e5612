//! The data model's decoders as they were before they read fields straight
//! from the bytes: the whole payload decoded into a [`Value`] tree first,
//! then each map's entries taken out of the tree. Kept, unchanged in
//! behaviour, as the oracle of the equivalence property tests
//! (`super::tests`): the direct decoders must give the same value, or the
//! same error, for every input.

use vitale_ins::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};
use vitale_model::time::parse_date;

use crate::cbor::{self, Value};
use crate::limits::{
    MAX_BENEFICIARIES, MAX_CBOR_DEPTH, MAX_CREDENTIAL_BYTES, MAX_DELEGATION_BYTES,
    MAX_PRESENTATION_BYTES,
};
use crate::model::*;

struct Fields {
    structure: &'static str,
    entries: Vec<(Value, Value)>,
    other_key: bool,
}

fn int_key(key: &Value) -> Option<i64> {
    match key {
        Value::Integer(i) => i64::try_from(*i).ok(),
        _ => None,
    }
}

impl Fields {
    fn new(structure: &'static str, value: Value) -> Result<Self, ModelError> {
        let Value::Map(entries) = value else {
            return Err(ModelError::WrongType {
                structure,
                key: None,
                expected: "map",
            });
        };
        let other_key = entries.iter().any(|(k, _)| int_key(k).is_none());
        Ok(Fields {
            structure,
            entries,
            other_key,
        })
    }

    fn optional(&mut self, key: i64) -> Option<Value> {
        let index = self
            .entries
            .iter()
            .position(|(k, _)| int_key(k) == Some(key))?;
        Some(self.entries.swap_remove(index).1)
    }

    fn required(&mut self, key: i64) -> Result<Value, ModelError> {
        self.optional(key).ok_or(ModelError::MissingField {
            structure: self.structure,
            key,
        })
    }

    fn finish(self) -> Result<(), ModelError> {
        if self.other_key {
            return Err(ModelError::UnknownField {
                structure: self.structure,
                key: None,
            });
        }
        match self.entries.first() {
            None => Ok(()),
            Some((key, _)) => Err(ModelError::UnknownField {
                structure: self.structure,
                key: int_key(key),
            }),
        }
    }

    fn wrong_type(&self, key: i64, expected: &'static str) -> ModelError {
        ModelError::WrongType {
            structure: self.structure,
            key: Some(key),
            expected,
        }
    }

    fn invalid(&self, key: i64, reason: &'static str) -> ModelError {
        ModelError::InvalidField {
            structure: self.structure,
            key,
            reason,
        }
    }

    fn uint(&mut self, key: i64) -> Result<u64, ModelError> {
        match self.required(key)? {
            Value::Integer(i) => u64::try_from(i).map_err(|_| self.wrong_type(key, "uint")),
            _ => Err(self.wrong_type(key, "uint")),
        }
    }

    fn small_uint(
        &mut self,
        key: i64,
        range: core::ops::RangeInclusive<u8>,
    ) -> Result<u8, ModelError> {
        let n = self.uint(key)?;
        u8::try_from(n)
            .ok()
            .filter(|n| range.contains(n))
            .ok_or(self.invalid(key, "out of range"))
    }

    fn bytes(&mut self, key: i64) -> Result<Vec<u8>, ModelError> {
        match self.required(key)? {
            Value::Bytes(b) => Ok(b),
            _ => Err(self.wrong_type(key, "bstr")),
        }
    }

    fn fixed_bytes<const N: usize>(&mut self, key: i64) -> Result<[u8; N], ModelError> {
        let bytes = self.bytes(key)?;
        <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| self.invalid(key, "wrong length"))
    }

    fn text(&mut self, key: i64) -> Result<String, ModelError> {
        match self.required(key)? {
            Value::Text(t) => Ok(t),
            _ => Err(self.wrong_type(key, "tstr")),
        }
    }

    fn optional_text(&mut self, key: i64) -> Result<Option<String>, ModelError> {
        match self.optional(key) {
            None => Ok(None),
            Some(Value::Text(t)) => Ok(Some(t)),
            Some(_) => Err(self.wrong_type(key, "tstr")),
        }
    }

    fn bool(&mut self, key: i64) -> Result<bool, ModelError> {
        match self.required(key)? {
            Value::Bool(b) => Ok(b),
            _ => Err(self.wrong_type(key, "bool")),
        }
    }

    fn array(&mut self, key: i64) -> Result<Vec<Value>, ModelError> {
        match self.required(key)? {
            Value::Array(items) => Ok(items),
            _ => Err(self.wrong_type(key, "array")),
        }
    }

    fn timestamp(&mut self, key: i64) -> Result<Timestamp, ModelError> {
        let secs = self.uint(key)?;
        Timestamp::from_unix(secs).ok_or(self.invalid(key, "timestamp out of range"))
    }

    fn version(&mut self) -> Result<(), ModelError> {
        match self.uint(1)? {
            VERSION => Ok(()),
            other => Err(ModelError::UnsupportedVersion(other)),
        }
    }

    fn identity(&self, key: i64) -> impl FnOnce(vitale_ins::Error) -> ModelError {
        let structure = self.structure;
        move |source| ModelError::Identity {
            structure,
            key,
            source,
        }
    }
}

fn device_key(value: Value) -> Result<DeviceKey, ModelError> {
    let mut f = Fields::new("device key", value)?;
    if f.uint(1)? != 2 {
        return Err(f.invalid(1, "key type must be EC2"));
    }
    if f.uint(-1)? != 1 {
        return Err(f.invalid(-1, "curve must be P-256"));
    }
    let x = f.fixed_bytes::<32>(-2)?;
    let key = match f.required(-3)? {
        Value::Bytes(y) => DeviceKey::Uncompressed {
            x,
            y: y.as_slice()
                .try_into()
                .map_err(|_| f.invalid(-3, "wrong length"))?,
        },
        Value::Bool(y_odd) => DeviceKey::Compressed { x, y_odd },
        _ => return Err(f.wrong_type(-3, "bstr or bool")),
    };
    f.finish()?;
    Ok(key)
}

fn insured(value: Value) -> Result<Insured, ModelError> {
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
    Ok(Insured::new(nir, organisation, management_code))
}

fn date_field(f: &mut Fields, key: i64) -> Result<time::Date, ModelError> {
    let text = f.text(key)?;
    parse_date(&text).ok_or_else(|| f.invalid(key, "not a YYYY-MM-DD date"))
}

fn cover(value: Value) -> Result<ComplementaryCover, ModelError> {
    let mut f = Fields::new("complementary cover", value)?;
    let amc_number = AmcNumber::new(&f.text(1)?).ok_or(f.invalid(1, "1 to 10 digits"))?;
    let guarantee = GuaranteeCode::new(&f.text(2)?).ok_or(f.invalid(2, "1 to 10 of 0-9 A-Z"))?;
    let from = date_field(&mut f, 3)?;
    let until = date_field(&mut f, 4)?;
    let validity = DateRange::new(from, until).ok_or(f.invalid(4, "ends before it starts"))?;
    let third_party_payment = f.bool(5)?;
    f.finish()?;
    Ok(ComplementaryCover::new(
        amc_number,
        guarantee,
        validity,
        third_party_payment,
    ))
}

fn name(f: &mut Fields, key: i64, text: String) -> Result<PersonName, ModelError> {
    PersonName::new(text).ok_or(f.invalid(key, "not a valid name"))
}

fn ins(value: Value) -> Result<BeneficiaryIns, ModelError> {
    let mut f = Fields::new("ins", value)?;
    let matricule = Nir::parse(&f.text(1)?).map_err(f.identity(1))?;
    let oid = InsOid::parse(&f.text(2)?).map_err(f.identity(2))?;
    let birthplace = CogCode::parse(&f.text(3)?).map_err(f.identity(3))?;
    f.finish()?;
    Ok(BeneficiaryIns::new(Ins::new(matricule, oid), birthplace))
}

fn beneficiary(value: Value) -> Result<Beneficiary, ModelError> {
    let mut f = Fields::new("beneficiary", value)?;
    let rank = Rank::new(f.small_uint(1, 1..=99)?).ok_or(f.invalid(1, "out of range"))?;
    let quality = QualityCode::new(f.small_uint(2, 0..=99)?).ok_or(f.invalid(2, "out of range"))?;
    let usual_name = match f.optional_text(3)? {
        Some(t) => Some(name(&mut f, 3, t)?),
        None => None,
    };
    let text = f.text(4)?;
    let birth_name = name(&mut f, 4, text)?;
    let text = f.text(5)?;
    let first_names = name(&mut f, 5, text)?;
    let sex_text = f.text(6)?;
    let mut chars = sex_text.chars();
    let sex = match (chars.next(), chars.next()) {
        (Some(c), None) => Sex::from_code(c).map_err(f.identity(6))?,
        _ => return Err(f.invalid(6, "one letter")),
    };
    let birth_date = BirthDate::parse(&f.text(7)?).map_err(f.identity(7))?;
    let birth_rank = BirthRank::new(f.small_uint(8, 1..=9)?).ok_or(f.invalid(8, "out of range"))?;
    let ins = match f.optional(9) {
        Some(v) => Some(ins(v)?),
        None => None,
    };
    let complementary = match f.optional(10) {
        Some(v) => Some(cover(v)?),
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

/// `Credential::from_payload` as it was.
pub(super) fn credential(bytes: &[u8]) -> Result<Credential, crate::Error> {
    let value = cbor::decode(bytes, MAX_CREDENTIAL_BYTES, MAX_CBOR_DEPTH)?;
    let mut f = Fields::new("credential", value)?;
    f.version()?;
    let id = CredentialId::from_bytes(f.fixed_bytes::<16>(2)?);
    let issued_at = f.timestamp(3)?;
    let not_before = f.timestamp(4)?;
    let expires_at = f.timestamp(5)?;
    let validity =
        ValidityWindow::new(not_before, expires_at).ok_or(ModelError::TimeWindow(f.structure))?;
    if issued_at >= expires_at {
        return Err(ModelError::TimeWindow(f.structure).into());
    }
    let device_key = device_key(f.required(6)?)?;
    let insured = insured(f.required(7)?)?;
    let items = f.array(8)?;
    if items.len() > MAX_BENEFICIARIES {
        return Err(ModelError::BeneficiaryCount(items.len()).into());
    }
    let list = items
        .into_iter()
        .map(beneficiary)
        .collect::<Result<Vec<_>, _>>()?;
    let beneficiaries = Beneficiaries::new(list).map_err(ModelError::from)?;
    f.finish()?;
    Ok(Credential {
        id,
        issued_at,
        validity,
        device_key,
        insured,
        beneficiaries,
    })
}

/// `Delegation::from_payload` as it was.
pub(super) fn delegation(bytes: &[u8]) -> Result<Delegation, crate::Error> {
    let value = cbor::decode(bytes, MAX_DELEGATION_BYTES, MAX_CBOR_DEPTH)?;
    let mut f = Fields::new("delegation", value)?;
    f.version()?;
    let id = DelegationId::from_bytes(f.fixed_bytes::<16>(2)?);
    let credential_id = CredentialId::from_bytes(f.fixed_bytes::<16>(3)?);
    let delegate_name = PersonName::new(f.text(4)?).ok_or(f.invalid(4, "not a valid name"))?;
    let delegate_key = device_key(f.required(5)?)?;
    let items = f.array(6)?;
    if items.len() > MAX_BENEFICIARIES {
        return Err(ModelError::BeneficiaryCount(items.len()).into());
    }
    let mut ranks = Vec::with_capacity(items.len());
    for item in items {
        let rank = match item {
            Value::Integer(i) => u8::try_from(i).ok().and_then(Rank::new),
            _ => None,
        };
        ranks.push(rank.ok_or(f.invalid(6, "not a rank"))?);
    }
    let ranks = DelegatedRanks::new(ranks)?;
    let issued_at = f.timestamp(7)?;
    let validity = ValidityWindow::new(f.timestamp(8)?, f.timestamp(9)?)
        .ok_or(ModelError::TimeWindow(f.structure))?;
    if issued_at >= validity.expires_at() {
        return Err(ModelError::TimeWindow(f.structure).into());
    }
    f.finish()?;
    Ok(Delegation {
        id,
        credential_id,
        delegate_name,
        delegate_key,
        ranks,
        issued_at,
        validity,
    })
}

/// `Presentation::from_payload` as it was (the embedded envelopes are
/// decoded by the current code: their own equivalence is tested apart).
pub(super) fn presentation(bytes: &[u8]) -> Result<Presentation, crate::Error> {
    let value = cbor::decode(bytes, MAX_PRESENTATION_BYTES, MAX_CBOR_DEPTH)?;
    let mut f = Fields::new("presentation", value)?;
    f.version()?;
    let credential_bytes = f.bytes(2)?;
    let nonce = Nonce::from_bytes(f.fixed_bytes::<16>(3)?);
    let issued_at = f.timestamp(4)?;
    let expires_at = f.timestamp(5)?;
    let channel = match f.uint(6)? {
        1 => Channel::Qr,
        2 => Channel::Nfc,
        _ => return Err(f.invalid(6, "unknown channel").into()),
    };
    let delegation_bytes = match f.optional(7) {
        None => None,
        Some(Value::Bytes(b)) => Some(b),
        Some(_) => return Err(f.wrong_type(7, "bstr").into()),
    };
    let binding = match (channel, f.optional(8)) {
        (Channel::Qr, None) => ChannelBinding::Qr,
        (Channel::Nfc, Some(Value::Bytes(b))) => ChannelBinding::Nfc(
            ReaderChallenge::new(&b).ok_or(f.invalid(8, "challenge of 16 to 32 bytes"))?,
        ),
        (Channel::Nfc, Some(_)) => return Err(f.wrong_type(8, "bstr").into()),
        (Channel::Nfc, None) => {
            return Err(f.invalid(8, "NFC needs the reader challenge").into());
        }
        (Channel::Qr, Some(_)) => return Err(f.invalid(8, "no challenge on QR").into()),
    };
    f.finish()?;
    if expires_at <= issued_at {
        return Err(ModelError::TimeWindow("presentation").into());
    }
    let secs = expires_at.unix().saturating_sub(issued_at.unix());
    if secs > MAX_PRESENTATION_LIFETIME_SECS {
        return Err(ModelError::PresentationLifetime { secs }.into());
    }
    let embedded = |structure, source| ModelError::Embedded {
        structure,
        source: Box::new(source),
    };
    let credential =
        SignedCredential::decode_owned(credential_bytes).map_err(|e| embedded("credential", e))?;
    let delegation = delegation_bytes
        .map(|b| SignedDelegation::decode_owned(b).map_err(|e| embedded("delegation", e)))
        .transpose()?;
    Ok(Presentation::new(
        credential, nonce, issued_at, expires_at, binding, delegation,
    )?)
}
