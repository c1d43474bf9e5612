use vitale_adri::AmoStatus;

use super::*;

fn households() -> Result<Vec<Household>, Error> {
    let seed = Seed::from_u64(7);
    Ok(vec![
        Household::sample(&seed, 4)?,
        Household::sample(&seed.child("b"), 2)?,
    ])
}

#[test]
fn every_beneficiary_is_found_and_has_open_rights() -> Result<(), Error> {
    let seed = Seed::from_u64(7);
    let households = households()?;
    let reference = day(2026, Month::November, 21)?;
    for h in &households {
        for b in h.beneficiaries.iter() {
            let id = BeneficiaryId::ThroughInsured {
                insured_nir: h.insured.nir().clone(),
                birth_date: b.birth_date().clone(),
                birth_rank: b.birth_rank(),
            };
            let (fh, fb) = find(&households, &id).ok_or(Error::Sample("not found"))?;
            assert_eq!((fh, fb.birth_date()), (h, b.birth_date()));
            let rights = rights_for(&seed, h, b, reference, false)?;
            assert!(rights.on(reference).is_amo_open());
            assert_eq!(rights.complementary().first(), b.complementary());
            // Deterministic from the seed.
            assert_eq!(rights_for(&seed, h, b, reference, false)?, rights);
            let closed = rights_for(&seed, h, b, reference, true)?;
            assert!(matches!(
                closed.on(reference).amo(),
                AmoStatus::Closed { .. }
            ));
        }
        let certified = BeneficiaryId::CertifiedNir(h.insured.nir().clone());
        assert!(find(&households, &certified).is_some());
    }
    let stranger = BeneficiaryId::CertifiedNir(Nir::parse("184037510821010").map_err(Error::from)?);
    assert!(find(&households, &stranger).is_none());
    Ok(())
}
