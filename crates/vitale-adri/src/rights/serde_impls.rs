//! The JSON shape of a rights answer (`docs/rights.md`), read through the
//! builder's validation with every list bounded while it is read.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, ComplementaryCover, Organisation, PersonName, QualityCode};

use super::{
    CoveragePeriod, CoverageReason, Rights, RightsIdentity, SolidarityCover, SolidarityPeriod,
    TreatingDoctor,
};
use crate::json::{BoundedVec, JsonDate, bounded_string};
use crate::{Period, Rate, Rpps};

/// The bound of every list of periods, as a const generic.
const MAX_PERIODS: usize = Rights::MAX_PERIODS;
/// The bound of the complementary covers.
const MAX_AMC: usize = Rights::MAX_COMPLEMENTARY;

fn period<E: serde::de::Error>(from: JsonDate, until: Option<JsonDate>) -> Result<Period, E> {
    Period::new(from.0, until.map(|u| u.0)).map_err(E::custom)
}

#[derive(Serialize, Deserialize)]
struct PeriodRepr {
    from: JsonDate,
    #[serde(default)]
    until: Option<JsonDate>,
}

impl From<Period> for PeriodRepr {
    fn from(p: Period) -> Self {
        PeriodRepr {
            from: JsonDate(p.from()),
            until: p.until().map(JsonDate),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PeriodRepr::from(*self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = PeriodRepr::deserialize(d)?;
        period(r.from, r.until)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.basis_points())
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bp = u16::deserialize(d)?;
        Rate::from_basis_points(bp).ok_or_else(|| D::Error::custom("rate above 10000 bp"))
    }
}

macro_rules! via_code {
    ($ty:ty, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = bounded_string(d, 32)?;
                <$ty>::from_code(&text).ok_or_else(|| D::Error::custom(concat!("unknown ", $what)))
            }
        }
    };
}

via_code!(CoverageReason, "coverage reason");
via_code!(SolidarityCover, "solidarity cover");

#[derive(Serialize, Deserialize)]
struct CoverageRepr {
    reason: CoverageReason,
    from: JsonDate,
    #[serde(default)]
    until: Option<JsonDate>,
    amo_rate_bp: Rate,
}

#[derive(Serialize, Deserialize)]
struct SolidarityRepr {
    cover: SolidarityCover,
    from: JsonDate,
    #[serde(default)]
    until: Option<JsonDate>,
}

#[derive(Serialize, Deserialize)]
struct DoctorRepr {
    from: JsonDate,
    #[serde(default)]
    until: Option<JsonDate>,
    #[serde(default)]
    rpps: Option<Rpps>,
}

#[derive(Serialize, Deserialize)]
struct IdentityRepr {
    insured_nir: Nir,
    #[serde(default)]
    beneficiary_nir: Option<Nir>,
    birth_name: PersonName,
    #[serde(default)]
    usual_name: Option<PersonName>,
    first_names: PersonName,
    birth_date: BirthDate,
    birth_rank: BirthRank,
}

#[derive(Serialize, Deserialize)]
struct RightsRepr {
    reference_date: JsonDate,
    identity: IdentityRepr,
    organisation: Organisation,
    quality: QualityCode,
    #[serde(default = "empty")]
    amo_periods: BoundedVec<Period, MAX_PERIODS>,
    #[serde(default = "empty")]
    coverage_periods: BoundedVec<CoverageRepr, MAX_PERIODS>,
    #[serde(default = "empty")]
    solidarity_periods: BoundedVec<SolidarityRepr, MAX_PERIODS>,
    #[serde(default)]
    treating_doctor: Option<DoctorRepr>,
    #[serde(default = "empty")]
    complementary: BoundedVec<ComplementaryCover, MAX_AMC>,
}

fn empty<T, const MAX: usize>() -> BoundedVec<T, MAX> {
    BoundedVec(Vec::new())
}

impl Serialize for Rights {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let id = &self.identity;
        RightsRepr {
            reference_date: JsonDate(self.reference_date),
            identity: IdentityRepr {
                insured_nir: id.insured_nir().clone(),
                beneficiary_nir: id.beneficiary_nir().cloned(),
                birth_name: id.birth_name().clone(),
                usual_name: id.usual_name().cloned(),
                first_names: id.first_names().clone(),
                birth_date: id.birth_date().clone(),
                birth_rank: id.birth_rank(),
            },
            organisation: self.organisation.clone(),
            quality: self.quality,
            amo_periods: BoundedVec(self.amo_periods.clone()),
            coverage_periods: BoundedVec(
                self.coverage_periods
                    .iter()
                    .map(|c| CoverageRepr {
                        reason: c.reason(),
                        from: JsonDate(c.period().from()),
                        until: c.period().until().map(JsonDate),
                        amo_rate_bp: c.amo_rate(),
                    })
                    .collect(),
            ),
            solidarity_periods: BoundedVec(
                self.solidarity_periods
                    .iter()
                    .map(|p| SolidarityRepr {
                        cover: p.cover(),
                        from: JsonDate(p.period().from()),
                        until: p.period().until().map(JsonDate),
                    })
                    .collect(),
            ),
            treating_doctor: self.treating_doctor.as_ref().map(|t| DoctorRepr {
                from: JsonDate(t.period().from()),
                until: t.period().until().map(JsonDate),
                rpps: t.rpps().cloned(),
            }),
            complementary: BoundedVec(self.complementary.clone()),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Rights {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RightsRepr::deserialize(d)?;
        let id = r.identity;
        let identity = RightsIdentity::new(
            id.insured_nir,
            id.birth_name,
            id.first_names,
            id.birth_date,
            id.birth_rank,
        )
        .with_beneficiary_nir(id.beneficiary_nir)
        .with_usual_name(id.usual_name);
        let mut b = Rights::builder(r.reference_date.0, identity, r.organisation, r.quality);
        for p in r.amo_periods.0 {
            b = b.amo_period(p);
        }
        for c in r.coverage_periods.0 {
            b = b.coverage_period(CoveragePeriod::new(
                period(c.from, c.until)?,
                c.reason,
                c.amo_rate_bp,
            ));
        }
        for p in r.solidarity_periods.0 {
            b = b.solidarity_period(SolidarityPeriod::new(period(p.from, p.until)?, p.cover));
        }
        if let Some(t) = r.treating_doctor {
            b = b.treating_doctor(Some(TreatingDoctor::new(period(t.from, t.until)?, t.rpps)));
        }
        for c in r.complementary.0 {
            b = b.complementary(c);
        }
        b.build().map_err(D::Error::custom)
    }
}
