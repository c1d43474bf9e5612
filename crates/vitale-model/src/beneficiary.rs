//! Beneficiaries (*bénéficiaires*, *ayants droit*) of a card.

use vitale_ins::{BirthDate, CogCode, Ins, Sex};

use crate::{ComplementaryCover, Error, PersonName};

/// A beneficiary's rank (*rang du bénéficiaire*) within the card, 1 to 99,
/// unique within the card; delegations name beneficiaries by rank.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Rank(u8);

impl Rank {
    /// A rank; `None` outside 1..=99.
    pub const fn new(rank: u8) -> Option<Self> {
        if rank >= 1 && rank <= 99 {
            Some(Rank(rank))
        } else {
            None
        }
    }

    /// The number.
    pub const fn get(self) -> u8 {
        self.0
    }
}

serde_u8!(Rank, "rank");

/// *Code qualité*: the beneficiary's relation to the insured person, two
/// digits (0–99) as assigned by the insurer. The SDK carries it without
/// interpreting it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct QualityCode(u8);

impl QualityCode {
    /// A code; `None` above 99.
    pub const fn new(code: u8) -> Option<Self> {
        if code <= 99 {
            Some(QualityCode(code))
        } else {
            None
        }
    }

    /// The number.
    pub const fn get(self) -> u8 {
        self.0
    }
}

serde_u8!(QualityCode, "quality code");

/// *Rang de naissance* (*rang gémellaire*): tells apart twins of the same
/// parents and birth date, 1 to 9.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct BirthRank(u8);

impl BirthRank {
    /// A birth rank; `None` outside 1..=9.
    pub const fn new(rank: u8) -> Option<Self> {
        if rank >= 1 && rank <= 9 {
            Some(BirthRank(rank))
        } else {
            None
        }
    }

    /// The number.
    pub const fn get(self) -> u8 {
        self.0
    }
}

serde_u8!(BirthRank, "birth rank");

/// A beneficiary's INS (*identifiant national de santé*) with the
/// birthplace trait carried alongside it. JSON: `{"matricule", "oid",
/// "birthplace"}`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct BeneficiaryIns {
    ins: Ins,
    birthplace: CogCode,
}

impl BeneficiaryIns {
    /// The INS and the birthplace.
    pub fn new(ins: Ins, birthplace: CogCode) -> Self {
        BeneficiaryIns { ins, birthplace }
    }

    /// Matricule and OID.
    pub fn ins(&self) -> &Ins {
        &self.ins
    }

    /// *Lieu de naissance*, COG code.
    pub fn birthplace(&self) -> &CogCode {
        &self.birthplace
    }
}

#[cfg(feature = "serde")]
mod ins_serde {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use vitale_ins::{CogCode, Ins, InsOid, Nir};

    use super::BeneficiaryIns;

    #[derive(Serialize, Deserialize)]
    struct Repr {
        matricule: Nir,
        oid: InsOid,
        birthplace: CogCode,
    }

    impl Serialize for BeneficiaryIns {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            Repr {
                matricule: self.ins.matricule().clone(),
                oid: self.ins.oid(),
                birthplace: self.birthplace.clone(),
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for BeneficiaryIns {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let r = Repr::deserialize(d)?;
            Ok(BeneficiaryIns::new(
                Ins::new(r.matricule, r.oid),
                r.birthplace,
            ))
        }
    }
}

/// One person covered by the card (*bénéficiaire*, *ayant droit*; the
/// insured person is usually one of them). `Debug` redacts names and the
/// birth date.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Beneficiary {
    rank: Rank,
    quality: QualityCode,
    #[cfg_attr(feature = "serde", serde(default))]
    usual_name: Option<PersonName>,
    birth_name: PersonName,
    first_names: PersonName,
    sex: Sex,
    birth_date: BirthDate,
    birth_rank: BirthRank,
    #[cfg_attr(feature = "serde", serde(default))]
    ins: Option<BeneficiaryIns>,
    #[cfg_attr(feature = "serde", serde(default))]
    complementary: Option<ComplementaryCover>,
}

impl Beneficiary {
    /// A beneficiary with the traits every one has; add the optional ones
    /// with [`Beneficiary::with_usual_name`], [`Beneficiary::with_ins`] and
    /// [`Beneficiary::with_complementary`].
    pub fn new(
        rank: Rank,
        quality: QualityCode,
        birth_name: PersonName,
        first_names: PersonName,
        sex: Sex,
        birth_date: BirthDate,
        birth_rank: BirthRank,
    ) -> Self {
        Beneficiary {
            rank,
            quality,
            usual_name: None,
            birth_name,
            first_names,
            sex,
            birth_date,
            birth_rank,
            ins: None,
            complementary: None,
        }
    }

    /// Sets (or clears) the *nom d'usage*.
    pub fn with_usual_name(mut self, name: Option<PersonName>) -> Self {
        self.usual_name = name;
        self
    }

    /// Sets (or clears) the INS.
    pub fn with_ins(mut self, ins: Option<BeneficiaryIns>) -> Self {
        self.ins = ins;
        self
    }

    /// Sets (or clears) the complementary cover.
    pub fn with_complementary(mut self, cover: Option<ComplementaryCover>) -> Self {
        self.complementary = cover;
        self
    }

    /// *Rang*, unique within the card.
    pub fn rank(&self) -> Rank {
        self.rank
    }

    /// *Code qualité*.
    pub fn quality(&self) -> QualityCode {
        self.quality
    }

    /// *Nom usuel* (*nom d'usage*), when it differs from the birth name.
    pub fn usual_name(&self) -> Option<&PersonName> {
        self.usual_name.as_ref()
    }

    /// *Nom de naissance*.
    pub fn birth_name(&self) -> &PersonName {
        &self.birth_name
    }

    /// *Prénoms*.
    pub fn first_names(&self) -> &PersonName {
        &self.first_names
    }

    /// *Sexe*.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// *Date de naissance*, possibly a legal lunar date.
    pub fn birth_date(&self) -> &BirthDate {
        &self.birth_date
    }

    /// *Rang de naissance*.
    pub fn birth_rank(&self) -> BirthRank {
        self.birth_rank
    }

    /// The INS, when the insurer has a qualified one.
    pub fn ins(&self) -> Option<&BeneficiaryIns> {
        self.ins.as_ref()
    }

    /// Complementary cover (AMC), if any.
    pub fn complementary(&self) -> Option<&ComplementaryCover> {
        self.complementary.as_ref()
    }
}

/// The beneficiaries of a card: 1 to [`Beneficiaries::MAX`], ranks unique,
/// in the order the issuer listed them. JSON: an array.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<Beneficiary>"))]
pub struct Beneficiaries(Vec<Beneficiary>);

impl Beneficiaries {
    /// Most beneficiaries a card may list.
    pub const MAX: usize = 16;

    /// Validates the count and the uniqueness of ranks.
    pub fn new(list: Vec<Beneficiary>) -> Result<Self, Error> {
        if !(1..=Self::MAX).contains(&list.len()) {
            return Err(Error::BeneficiaryCount(list.len()));
        }
        for (i, b) in list.iter().enumerate() {
            if list.iter().skip(i + 1).any(|o| o.rank == b.rank) {
                return Err(Error::DuplicateRank(b.rank.get()));
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

    /// All beneficiaries, in order, moved out (no copy).
    pub fn into_vec(self) -> Vec<Beneficiary> {
        self.0
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
}

impl TryFrom<Vec<Beneficiary>> for Beneficiaries {
    type Error = Error;
    fn try_from(list: Vec<Beneficiary>) -> Result<Self, Error> {
        Beneficiaries::new(list)
    }
}

impl<'a> IntoIterator for &'a Beneficiaries {
    type Item = &'a Beneficiary;
    type IntoIter = core::slice::Iter<'a, Beneficiary>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
