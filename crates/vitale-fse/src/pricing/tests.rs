use proptest::prelude::*;
use time::macros::date;
use vitale_adri::{
    CoveragePeriod, Period, Rights, RightsBuilder, RightsIdentity, SolidarityPeriod, TreatingDoctor,
};
use vitale_ins::Nir;
use vitale_model::{
    AmcNumber, BirthRank, ComplementaryCover, DateRange, GuaranteeCode, Organisation, PersonName,
    QualityCode,
};

use super::*;

const DAY: Date = date!(2026 - 11 - 29);

fn builder() -> RightsBuilder {
    let identity = RightsIdentity::new(
        Nir::parse("184037510821010").unwrap(),
        PersonName::new("MARTIN").unwrap(),
        PersonName::new("JEAN").unwrap(),
        BirthDate::parse("19840315").unwrap(),
        BirthRank::new(1).unwrap(),
    );
    Rights::builder(
        DAY,
        identity,
        Organisation::new("01", "751", "0001").unwrap(),
        QualityCode::new(0).unwrap(),
    )
    .amo_period(Period::open(date!(2020 - 01 - 01)).unwrap())
}

fn with_doctor(b: RightsBuilder) -> RightsBuilder {
    b.treating_doctor(Some(TreatingDoctor::new(
        Period::open(date!(2021 - 01 - 01)).unwrap(),
        None,
    )))
}

fn with_amc(b: RightsBuilder, third_party: bool) -> RightsBuilder {
    b.complementary(ComplementaryCover::new(
        AmcNumber::new("12345678").unwrap(),
        GuaranteeCode::new("G1").unwrap(),
        DateRange::new(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap(),
        third_party,
    ))
}

fn adult() -> Patient {
    Patient::on(&BirthDate::parse("19840315").unwrap(), DAY)
}

fn price(
    rights: &Rights,
    profession: Profession,
    sector: Sector,
    pathway: Pathway,
    patient: Patient,
    acts: &[ActLine],
) -> Result<(Vec<LineAmounts>, (Deduction, Deduction)), Error> {
    let table = TariffTable::embedded();
    let on = rights.on(DAY);
    let visit = Rules {
        table: &table,
        profession,
        sector,
        zone: TariffZone::Metropole,
        pathway,
        rights: &on,
        patient,
    };
    let lines = acts
        .iter()
        .map(|a| visit.line(a))
        .collect::<Result<Vec<_>, _>>()?;
    let deductions = visit.deductions(lines.len())?;
    Ok((lines, deductions))
}

/// A G consultation by a sector 1 physician for an adult, priced.
fn price_g(rights: &Rights, pathway: Pathway) -> (Vec<LineAmounts>, (Deduction, Deduction)) {
    price(
        rights,
        Profession::Physician,
        Sector::One,
        pathway,
        adult(),
        &[act("G")],
    )
    .unwrap()
}

fn act(text: &str) -> ActLine {
    ActLine::new(text.parse().unwrap())
}

fn c(cents: u32) -> Cents {
    Cents::new(cents).unwrap()
}

/// The public worked example: G 30 € × 70 % − 2 € = 19 € reimbursed.
#[test]
fn g_with_the_treating_doctor_is_reimbursed_19_euros() {
    let rights = with_doctor(builder()).build().unwrap();
    let (lines, (pf, franchise)) = price_g(&rights, Pathway::TreatingDoctor);
    let g = &lines[0];
    assert_eq!(
        (g.base, g.fee, g.amo_rate, g.rate_reason),
        (
            c(3000),
            c(3000),
            Rate::from_percent(70).unwrap(),
            RateReason::Pathway
        )
    );
    assert_eq!((g.amo, g.amc, g.patient), (c(2100), Cents::ZERO, c(900)));
    assert_eq!(pf.amount(), c(200));
    assert_eq!(g.amo.checked_sub(pf.amount()), Some(c(1900)));
    assert_eq!(franchise, Deduction::Exempt(Exemption::Profession));
}

#[test]
fn outside_the_pathway_the_rate_is_30_percent() {
    // No treating doctor declared: a claim of "treating doctor" does not hold.
    let rights = builder().build().unwrap();
    for pathway in [Pathway::TreatingDoctor, Pathway::Referred, Pathway::Outside] {
        let (lines, _) = price_g(&rights, pathway);
        assert_eq!(
            (lines[0].amo, lines[0].rate_reason),
            (c(900), RateReason::OutsidePathway),
            "{pathway:?}"
        );
    }
    for pathway in [Pathway::DirectAccess, Pathway::Emergency] {
        let (lines, _) = price_g(&rights, pathway);
        assert_eq!(lines[0].amo, c(2100), "{pathway:?}");
    }
    // Children under 16 are outside the pathway rules.
    let child = Patient::on(&BirthDate::parse("20150601").unwrap(), DAY);
    let (lines, (pf, _)) = price(
        &rights,
        Profession::Physician,
        Sector::One,
        Pathway::Outside,
        child,
        &[act("G")],
    )
    .unwrap();
    assert_eq!(lines[0].amo, c(2100));
    assert_eq!(pf, Deduction::Exempt(Exemption::Minor));
}

#[test]
fn auxiliaries_get_60_percent_and_a_franchise_not_a_participation() {
    let rights = builder().build().unwrap();
    let (lines, (pf, franchise)) = price(
        &rights,
        Profession::Auxiliary,
        Sector::One,
        Pathway::Outside,
        adult(),
        &[act("AMI 1.5"), act("AMI 2")],
    )
    .unwrap();
    // AMI 3.15 € × 1.5 = 4.725 → 4.73; 60 % = 2.838 → 2.84.
    assert_eq!(
        (lines[0].base, lines[0].amo, lines[0].patient),
        (c(473), c(284), c(189))
    );
    assert_eq!((lines[1].base, lines[1].amo), (c(630), c(378)));
    assert_eq!(pf, Deduction::Exempt(Exemption::Profession));
    assert!(matches!(franchise, Deduction::Applied { count: 2, .. }));
    assert_eq!(franchise.amount(), c(200));
}

#[test]
fn coverages_and_solidarity() {
    let ald = CoveragePeriod::new(
        Period::open(date!(2025 - 01 - 01)).unwrap(),
        CoverageReason::LongTermCondition,
        Rate::FULL,
    );
    let rights = with_doctor(builder()).coverage_period(ald).build().unwrap();
    let related = act("G").with_scope(CareScope::LongTermCondition);
    let (lines, _) = price(
        &rights,
        Profession::Physician,
        Sector::One,
        Pathway::TreatingDoctor,
        adult(),
        &[related, act("G")],
    )
    .unwrap();
    assert_eq!(
        (lines[0].amo, lines[0].rate_reason),
        (
            c(3000),
            RateReason::Coverage(CoverageReason::LongTermCondition)
        )
    );
    assert_eq!(
        lines[1].amo,
        c(2100),
        "care unrelated to the ALD keeps the standard rate"
    );

    let maternity = CoveragePeriod::new(
        Period::open(date!(2026 - 09 - 01)).unwrap(),
        CoverageReason::Maternity,
        Rate::FULL,
    );
    let rights = with_doctor(builder())
        .coverage_period(maternity)
        .build()
        .unwrap();
    let (lines, (pf, _)) = price_g(&rights, Pathway::TreatingDoctor);
    assert_eq!(lines[0].amo, c(3000));
    assert_eq!(pf, Deduction::Exempt(Exemption::Maternity));

    let c2s = SolidarityPeriod::new(
        Period::open(date!(2026 - 01 - 01)).unwrap(),
        SolidarityCover::C2s,
    );
    let rights = with_doctor(builder())
        .solidarity_period(c2s)
        .build()
        .unwrap();
    let (lines, (pf, _)) = price_g(&rights, Pathway::TreatingDoctor);
    assert_eq!(
        (lines[0].amo, lines[0].amc, lines[0].patient),
        (c(2100), c(900), Cents::ZERO)
    );
    assert_eq!(
        pf,
        Deduction::Exempt(Exemption::Solidarity(SolidarityCover::C2s))
    );
    let extra = act("G").with_extra_fee(c(500));
    assert_eq!(
        price(
            &rights,
            Profession::Physician,
            Sector::TwoOptam,
            Pathway::TreatingDoctor,
            adult(),
            &[extra]
        )
        .err(),
        Some(Error::ExtraFeeNotAllowed)
    );

    let ame = SolidarityPeriod::new(
        Period::open(date!(2026 - 01 - 01)).unwrap(),
        SolidarityCover::Ame,
    );
    let rights = builder().solidarity_period(ame).build().unwrap();
    let (lines, _) = price_g(&rights, Pathway::Outside);
    assert_eq!(
        (lines[0].amo, lines[0].amc, lines[0].rate_reason),
        (c(3000), Cents::ZERO, RateReason::Ame)
    );
}

#[test]
fn the_complementary_pays_the_rest_of_the_base_not_the_extra_fee() {
    let rights = with_amc(with_doctor(builder()), true).build().unwrap();
    let line = act("G").with_extra_fee(c(1000));
    let (lines, _) = price(
        &rights,
        Profession::Physician,
        Sector::TwoOptam,
        Pathway::TreatingDoctor,
        adult(),
        &[line],
    )
    .unwrap();
    let g = &lines[0];
    assert_eq!(
        (g.fee, g.amo, g.amc, g.patient),
        (c(4000), c(2100), c(900), c(1000))
    );
    assert_eq!(
        price(
            &rights,
            Profession::Physician,
            Sector::One,
            Pathway::TreatingDoctor,
            adult(),
            &[act("G").with_extra_fee(c(1))]
        )
        .err(),
        Some(Error::ExtraFeeNotAllowed)
    );
}

#[test]
fn refusals() {
    let closed = builder().build().unwrap();
    let closed = {
        // Rights that ended before the day of care: droits fermés.
        let identity = closed.identity().clone();
        Rights::builder(
            DAY,
            identity,
            Organisation::new("01", "751", "0001").unwrap(),
            QualityCode::new(0).unwrap(),
        )
        .amo_period(Period::new(date!(2020 - 01 - 01), Some(date!(2026 - 06 - 30))).unwrap())
        .build()
        .unwrap()
    };
    let p = |r: &Rights, a: &str| {
        price(
            r,
            Profession::Physician,
            Sector::One,
            Pathway::TreatingDoctor,
            adult(),
            &[act(a)],
        )
        .err()
    };
    assert_eq!(p(&closed, "G"), Some(Error::RightsClosed));
    let open = builder().build().unwrap();
    assert_eq!(p(&open, "XYZ"), Some(Error::ActUnknownOnDate));
    assert_eq!(
        p(&open, "DEQP003"),
        Some(Error::ActUnknownOnDate),
        "no CCAM row has a dated source yet"
    );
    assert_eq!(p(&open, "DEQP003+F"), Some(Error::ModifierNotAllowed));
    // Sector 2 without OPTAM has its own grid, which has no G row with a source.
    let two = price(
        &open,
        Profession::Physician,
        Sector::Two,
        Pathway::TreatingDoctor,
        adult(),
        &[act("G")],
    )
    .err();
    assert_eq!(two, Some(Error::ActUnknownOnDate));
}

#[test]
fn four_participations_at_most_per_visit() {
    let rights = with_doctor(builder()).build().unwrap();
    let acts: Vec<_> = (0..6).map(|_| act("G")).collect();
    let (_, (pf, _)) = price(
        &rights,
        Profession::Physician,
        Sector::One,
        Pathway::TreatingDoctor,
        adult(),
        &acts,
    )
    .unwrap();
    assert!(matches!(pf, Deduction::Applied { count: 4, .. }));
    assert_eq!(pf.amount(), c(800));
}

#[test]
fn lunar_birth_dates_count_as_minor_only_when_certain() {
    let on = |b: &str, d: Date| Patient::on(&BirthDate::parse(b).unwrap(), d).minor;
    assert!(
        on("20081200", date!(2026 - 11 - 30)),
        "born in December 2008 at the earliest: under 18 in November 2026"
    );
    assert!(
        !on("20081200", date!(2026 - 12 - 01)),
        "may be 18 from 1 December 2026"
    );
    assert!(
        !on("20080000", date!(2026 - 01 - 01)),
        "may be born on 1 January 2008"
    );
    assert!(on("20080000", date!(2025 - 12 - 31)));
    assert!(on("20081115", date!(2026 - 11 - 14)));
    assert!(!on("20081115", date!(2026 - 11 - 15)));
}

proptest! {
    /// AMO + AMC + patient = fee, for any act, coefficient, extra fee and cover.
    #[test]
    fn shares_add_up_to_the_fee(hundredths in 1u32..=2_000, extra in 0u32..=20_000, amc in any::<bool>(), outside in any::<bool>(), ald in any::<bool>()) {
        let mut b = with_doctor(builder());
        if amc { b = with_amc(b, true); }
        if ald {
            b = b.coverage_period(CoveragePeriod::new(Period::open(date!(2025 - 01 - 01)).unwrap(), CoverageReason::LongTermCondition, Rate::FULL));
        }
        let rights = b.build().unwrap();
        let act = ActLine::new(format!("AMI {}.{:02}", hundredths / 100, hundredths % 100).parse().unwrap())
            .with_extra_fee(c(extra))
            .with_scope(if ald { CareScope::LongTermCondition } else { CareScope::General });
        let pathway = if outside { Pathway::Outside } else { Pathway::TreatingDoctor };
        let (lines, _) = price(&rights, Profession::Auxiliary, Sector::Two, pathway, adult(), &[act]).unwrap();
        let l = &lines[0];
        prop_assert_eq!(l.amo.checked_add(l.amc).and_then(|s| s.checked_add(l.patient)), Some(l.fee));
        prop_assert!(l.amo.checked_add(l.amc).is_some_and(|s| s <= l.base));
        prop_assert_eq!(l.fee, l.base.checked_add(l.extra_fee).unwrap());
    }
}
