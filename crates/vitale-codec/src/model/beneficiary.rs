//! Beneficiaries (*bénéficiaires*, *ayants droit*) of a credential.

use vitale_ins::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};

use crate::cbor::Value;
use crate::limits::MAX_BENEFICIARIES;
use crate::model::fields::{Fields, map};
use crate::model::{ComplementaryCover, ModelError, PersonName};

/// A beneficiary's rank (*rang du bénéficiaire*) within the credential,
/// 1 to 99, unique within the credential; delegations name beneficiaries
/// by rank.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Rank(u8);

impl Rank {
    /// A rank; `None` outside 1..=99.
    pub fn new(rank: u8) -> Option<Self> {
        (1..=99).contains(&rank).then_some(Rank(rank))
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// *Code qualité*: the beneficiary's relation to the insured person, two
/// digits (0–99) as assigned by the insurer. The SDK carries it without
/// interpreting it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct QualityCode(u8);

impl QualityCode {
    /// A code; `None` above 99.
    pub fn new(code: u8) -> Option<Self> {
        (code <= 99).then_some(QualityCode(code))
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// *Rang de naissance* (*rang gémellaire*): tells apart twins of the same
/// parents and birth date, 1 to 9.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct BirthRank(u8);

impl BirthRank {
    /// A birth rank; `None` outside 1..=9.
    pub fn new(rank: u8) -> Option<Self> {
        (1..=9).contains(&rank).then_some(BirthRank(rank))
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// A beneficiary's INS (*identifiant national de santé*) with the
/// birthplace trait the credential carries alongside it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct BeneficiaryIns {
    /// Matricule and OID.
    pub ins: Ins,
    /// *Lieu de naissance*, COG code.
    pub birthplace: CogCode,
}

/// One person covered by the credential.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Beneficiary {
    /// *Rang*, unique within the credential.
    pub rank: Rank,
    /// *Code qualité*.
    pub quality: QualityCode,
    /// *Nom usuel* (*nom d'usage*), when it differs from the birth name.
    pub usual_name: Option<PersonName>,
    /// *Nom de naissance*.
    pub birth_name: PersonName,
    /// *Prénoms*.
    pub first_names: PersonName,
    /// *Sexe*.
    pub sex: Sex,
    /// *Date de naissance*, possibly a legal lunar date.
    pub birth_date: BirthDate,
    /// *Rang de naissance*.
    pub birth_rank: BirthRank,
    /// The INS, when the insurer has a qualified one.
    pub ins: Option<BeneficiaryIns>,
    /// Complementary cover (AMC), if any.
    pub complementary: Option<ComplementaryCover>,
}

fn name(f: &mut Fields, key: i64, text: String) -> Result<PersonName, ModelError> {
    PersonName::new(text).ok_or(f.invalid(key, "not a valid name"))
}

impl Beneficiary {
    pub(crate) fn from_value(value: Value) -> Result<Self, ModelError> {
        let mut f = Fields::new("beneficiary", value)?;
        let rank = Rank::new(f.small_uint(1, 1..=99)?).ok_or(f.invalid(1, "out of range"))?;
        let quality =
            QualityCode::new(f.small_uint(2, 0..=99)?).ok_or(f.invalid(2, "out of range"))?;
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
        let birth_rank =
            BirthRank::new(f.small_uint(8, 1..=9)?).ok_or(f.invalid(8, "out of range"))?;
        let ins = match f.optional(9) {
            Some(v) => Some(ins_from_value(v)?),
            None => None,
        };
        let complementary = match f.optional(10) {
            Some(v) => Some(ComplementaryCover::from_value(v)?),
            None => None,
        };
        f.finish()?;
        Ok(Beneficiary {
            rank,
            quality,
            usual_name,
            birth_name,
            first_names,
            sex,
            birth_date,
            birth_rank,
            ins,
            complementary,
        })
    }

    pub(crate) fn to_value(&self) -> Value {
        map([
            (1, Some(Value::from(self.rank.get()))),
            (2, Some(Value::from(self.quality.get()))),
            (3, self.usual_name.as_ref().map(|n| Value::from(n.as_str()))),
            (4, Some(Value::from(self.birth_name.as_str()))),
            (5, Some(Value::from(self.first_names.as_str()))),
            (6, Some(Value::from(self.sex.code().to_string()))),
            (7, Some(Value::from(self.birth_date.as_str()))),
            (8, Some(Value::from(self.birth_rank.get()))),
            (9, self.ins.as_ref().map(ins_to_value)),
            (
                10,
                self.complementary
                    .as_ref()
                    .map(ComplementaryCover::to_value),
            ),
        ])
    }
}

fn ins_from_value(value: Value) -> Result<BeneficiaryIns, ModelError> {
    let mut f = Fields::new("ins", value)?;
    let matricule = Nir::parse(&f.text(1)?).map_err(f.identity(1))?;
    let oid = InsOid::parse(&f.text(2)?).map_err(f.identity(2))?;
    let birthplace = CogCode::parse(&f.text(3)?).map_err(f.identity(3))?;
    f.finish()?;
    Ok(BeneficiaryIns {
        ins: Ins::new(matricule, oid),
        birthplace,
    })
}

fn ins_to_value(ins: &BeneficiaryIns) -> Value {
    map([
        (1, Some(Value::from(ins.ins.matricule().as_str()))),
        (2, Some(Value::from(ins.ins.oid().as_str()))),
        (3, Some(Value::from(ins.birthplace.as_str()))),
    ])
}

/// The beneficiaries of a credential: 1 to 16, ranks unique, in the order
/// the issuer listed them.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Beneficiaries(Vec<Beneficiary>);

impl Beneficiaries {
    /// Validates the count and the uniqueness of ranks.
    pub fn new(list: Vec<Beneficiary>) -> Result<Self, ModelError> {
        if !(1..=MAX_BENEFICIARIES).contains(&list.len()) {
            return Err(ModelError::BeneficiaryCount(list.len()));
        }
        for (i, b) in list.iter().enumerate() {
            if list.iter().skip(i + 1).any(|o| o.rank == b.rank) {
                return Err(ModelError::DuplicateRank(b.rank.get()));
            }
        }
        Ok(Beneficiaries(list))
    }

    /// The beneficiary of a given rank.
    pub fn by_rank(&self, rank: Rank) -> Option<&Beneficiary> {
        self.0.iter().find(|b| b.rank == rank)
    }

    /// All beneficiaries, in order.
    pub fn as_slice(&self) -> &[Beneficiary] {
        &self.0
    }

    /// Iterates in order.
    pub fn iter(&self) -> core::slice::Iter<'_, Beneficiary> {
        self.0.iter()
    }

    /// How many (1 to 16).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: there is at least one beneficiary.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn from_values(items: Vec<Value>) -> Result<Self, ModelError> {
        if items.len() > MAX_BENEFICIARIES {
            return Err(ModelError::BeneficiaryCount(items.len()));
        }
        let list = items
            .into_iter()
            .map(Beneficiary::from_value)
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(list)
    }

    pub(crate) fn to_value(&self) -> Value {
        Value::Array(self.0.iter().map(Beneficiary::to_value).collect())
    }
}

impl<'a> IntoIterator for &'a Beneficiaries {
    type Item = &'a Beneficiary;
    type IntoIter = core::slice::Iter<'a, Beneficiary>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
