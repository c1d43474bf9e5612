//! The rights query: who, on which day, with which organisme.

use time::Date;
use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, Organisation};

use crate::Error;

/// How the query names the beneficiary (*bénéficiaire des soins*).
///
/// Public integrator request templates carry the beneficiary's certified
/// NIR when it is known, and otherwise identify them through the insured
/// person (*ouvrant droit*): the insured person's NIR, the beneficiary's
/// birth date and *rang de naissance*. `Debug` redacts the NIRs and the
/// birth date.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum BeneficiaryId {
    /// The beneficiary's own certified NIR (*NIR certifié*).
    CertifiedNir(Nir),
    /// Through the insured person: their NIR, and the beneficiary's birth
    /// date (lunar dates kept as they are) and birth rank.
    ThroughInsured {
        /// The insured person's NIR (*NIR de l'ouvrant droit*).
        insured_nir: Nir,
        /// The beneficiary's *date de naissance*, possibly lunar.
        birth_date: BirthDate,
        /// The beneficiary's *rang de naissance*.
        birth_rank: BirthRank,
    },
}

/// A rights query (*acquisition des droits*): the beneficiary, the
/// reference date the rights are wanted for (*date de référence*, the day
/// of care), and the organisme read from the card when known (*grand
/// régime*, *caisse*, *centre*).
///
/// The professional's identity is not part of the query: it is the
/// configuration of the [`crate::RightsService`] value.
///
/// ```
/// use time::macros::date;
/// use vitale_adri::{BeneficiaryId, RightsQuery};
/// use vitale_ins::{BirthDate, Nir};
/// use vitale_model::BirthRank;
///
/// let query = RightsQuery::new(
///     date!(2026 - 11 - 21),
///     BeneficiaryId::ThroughInsured {
///         insured_nir: Nir::parse("184037510821010")?,
///         birth_date: BirthDate::parse("20100000")?, // lunar: month unknown
///         birth_rank: BirthRank::new(2).unwrap(),
///     },
/// )?;
/// assert!(!format!("{query:?}").contains("184037510821010"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub struct RightsQuery {
    reference_date: Date,
    beneficiary: BeneficiaryId,
    organisation: Option<Organisation>,
}

impl RightsQuery {
    /// A query for `beneficiary`'s rights on `reference_date`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a reference date outside years 0000–9999.
    pub fn new(reference_date: Date, beneficiary: BeneficiaryId) -> Result<Self, Error> {
        if !(0..=9999).contains(&reference_date.year()) {
            return Err(Error::Invalid("reference date: year outside 0000-9999"));
        }
        Ok(RightsQuery {
            reference_date,
            beneficiary,
            organisation: None,
        })
    }

    /// Sets (or clears) the organisme read from the card.
    pub fn with_organisation(mut self, organisation: Option<Organisation>) -> Self {
        self.organisation = organisation;
        self
    }

    /// *Date de référence*: the day the rights are wanted for.
    pub fn reference_date(&self) -> Date {
        self.reference_date
    }

    /// The beneficiary.
    pub fn beneficiary(&self) -> &BeneficiaryId {
        &self.beneficiary
    }

    /// The organisme (*régime*, *caisse*, *centre*), when known.
    pub fn organisation(&self) -> Option<&Organisation> {
        self.organisation.as_ref()
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use vitale_ins::{BirthDate, Nir};
    use vitale_model::{BirthRank, Organisation};

    use super::{BeneficiaryId, RightsQuery};
    use crate::json::JsonDate;

    #[derive(Serialize, Deserialize)]
    #[serde(tag = "by", rename_all = "snake_case")]
    enum BeneficiaryRepr {
        CertifiedNir {
            nir: Nir,
        },
        Insured {
            insured_nir: Nir,
            birth_date: BirthDate,
            birth_rank: BirthRank,
        },
    }

    impl Serialize for BeneficiaryId {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                BeneficiaryId::CertifiedNir(nir) => {
                    BeneficiaryRepr::CertifiedNir { nir: nir.clone() }
                }
                BeneficiaryId::ThroughInsured {
                    insured_nir,
                    birth_date,
                    birth_rank,
                } => BeneficiaryRepr::Insured {
                    insured_nir: insured_nir.clone(),
                    birth_date: birth_date.clone(),
                    birth_rank: *birth_rank,
                },
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for BeneficiaryId {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Ok(match BeneficiaryRepr::deserialize(d)? {
                BeneficiaryRepr::CertifiedNir { nir } => BeneficiaryId::CertifiedNir(nir),
                BeneficiaryRepr::Insured {
                    insured_nir,
                    birth_date,
                    birth_rank,
                } => BeneficiaryId::ThroughInsured {
                    insured_nir,
                    birth_date,
                    birth_rank,
                },
            })
        }
    }

    #[derive(Serialize, Deserialize)]
    struct Repr {
        reference_date: JsonDate,
        beneficiary: BeneficiaryId,
        #[serde(default)]
        organisation: Option<Organisation>,
    }

    impl Serialize for RightsQuery {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            Repr {
                reference_date: JsonDate(self.reference_date),
                beneficiary: self.beneficiary.clone(),
                organisation: self.organisation.clone(),
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for RightsQuery {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let r = Repr::deserialize(d)?;
            RightsQuery::new(r.reference_date.0, r.beneficiary)
                .map(|q| q.with_organisation(r.organisation))
                .map_err(D::Error::custom)
        }
    }
}
