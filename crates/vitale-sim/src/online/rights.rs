//! Rights (ADRi) of the simulated households, deterministic from the seed
//! (`docs/online.md` §3.5): open AMO rights from 2020; an ALD exemption at
//! 100 % for about one person in four; a declared *médecin traitant* for
//! about two adults in three; the household's complementary cover, when it
//! has one, as an AMC in *gestion unique*.

use time::{Date, Duration as Days, Month};
use vitale::codec::model::{Beneficiary, Organisation};
use vitale::ins::Nir;
use vitale_adri::{
    BeneficiaryId, CoveragePeriod, CoverageReason, Period, Rate, Rights, RightsIdentity, Rpps,
    TreatingDoctor,
};

use crate::Error;
use crate::people::Household;
use crate::seed::Seed;

/// The household and beneficiary a query names, if the server has them.
pub(crate) fn find<'a>(
    households: &'a [Household],
    id: &BeneficiaryId,
) -> Option<(&'a Household, &'a Beneficiary)> {
    households.iter().find_map(|h| {
        let found = match id {
            BeneficiaryId::CertifiedNir(nir) => h.beneficiaries.iter().find(|b| {
                b.ins().is_some_and(|ins| ins.ins().matricule() == nir)
                    || (b.rank().get() == 1 && h.insured.nir() == nir)
            }),
            BeneficiaryId::ThroughInsured {
                insured_nir,
                birth_date,
                birth_rank,
            } if h.insured.nir() == insured_nir => h
                .beneficiaries
                .iter()
                .find(|b| b.birth_date() == birth_date && b.birth_rank() == *birth_rank),
            _ => None,
        };
        found.map(|b| (h, b))
    })
}

fn day(year: i32, month: Month, d: u8) -> Result<Date, Error> {
    Date::from_calendar_date(year, month, d).map_err(|_| Error::Sample("date"))
}

fn period(from: Date, until: Option<Date>) -> Result<Period, Error> {
    Period::new(from, until).map_err(|_| Error::Sample("period"))
}

/// A valid RPPS (Luhn key) derived from the seed and a label.
fn rpps(seed: &Seed, label: &str) -> Result<Rpps, Error> {
    let mut stream = seed.stream(label);
    let first10 = format!("1{:09}", stream.below(1_000_000_000));
    let key = Rpps::key_of(&first10).ok_or(Error::Sample("RPPS"))?;
    Rpps::parse(&format!("{first10}{key}")).map_err(|_| Error::Sample("RPPS"))
}

/// The rights of `beneficiary` of `household` on `reference`; with
/// `closed` (fault `rights_closed`), the AMO rights ended the day before
/// (*droits fermés*).
pub(crate) fn rights_for(
    seed: &Seed,
    household: &Household,
    beneficiary: &Beneficiary,
    reference: Date,
    closed: bool,
) -> Result<Rights, Error> {
    let insured: &Nir = household.insured.nir();
    let label = format!(
        "sim/online/rights/{}/{}",
        insured.as_str(),
        beneficiary.rank().get()
    );
    let mut stream = seed.stream(&label);
    let identity = RightsIdentity::new(
        insured.clone(),
        beneficiary.birth_name().clone(),
        beneficiary.first_names().clone(),
        beneficiary.birth_date().clone(),
        beneficiary.birth_rank(),
    )
    .with_usual_name(beneficiary.usual_name().cloned())
    .with_beneficiary_nir(beneficiary.ins().map(|i| i.ins().matricule().clone()));
    let organisation: Organisation = household.insured.organisation().clone();
    let mut builder = Rights::builder(reference, identity, organisation, beneficiary.quality());
    let start = day(2020, Month::January, 1)?;
    let amo = if closed {
        let last = reference - Days::days(1);
        period(start.min(last - Days::days(365)), Some(last))?
    } else {
        period(start, None)?
    };
    builder = builder.amo_period(amo);
    if stream.chance(1, 4) {
        builder = builder.coverage_period(CoveragePeriod::new(
            period(day(2024, Month::June, 1)?, Some(day(2029, Month::May, 31)?))?,
            CoverageReason::LongTermCondition,
            Rate::FULL,
        ));
    }
    let born: i32 = beneficiary
        .birth_date()
        .as_str()
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(reference.year());
    if reference.year() - born >= 16 && stream.chance(2, 3) {
        builder = builder.treating_doctor(Some(TreatingDoctor::new(
            period(day(2021, Month::March, 1)?, None)?,
            Some(rpps(seed, &format!("{label}/doctor"))?),
        )));
    }
    if let Some(cover) = beneficiary.complementary() {
        builder = builder.complementary(cover.clone());
    }
    builder.build().map_err(|_| Error::Sample("rights"))
}

#[cfg(test)]
mod tests;
