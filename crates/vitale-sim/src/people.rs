//! Sample people: a household (*foyer*) of an insured person and their
//! beneficiaries, derived from a seed.
//!
//! The data look like French insurance data and exercise the edges of the
//! format: names with accents, hyphens, apostrophes and spaces; NIRs
//! consistent with sex, birth year, birth month and birthplace (Corsica,
//! overseas, abroad); legal *lunar* birth dates (day or month `00`); twins
//! (*rang de naissance* 2); an INS for most people; a complementary cover
//! (AMC) for some households. All the people are invented and their INS
//! carry the **test** OID `1.2.250.1.213.1.4.10`.

use time::{Date, Month};
use vitale::codec::ModelError;
use vitale::codec::model::{
    AmcNumber, Beneficiaries, Beneficiary, BeneficiaryIns, BirthRank, ComplementaryCover,
    DateRange, GuaranteeCode, Insured, ManagementCode, Organisation, PersonName, QualityCode, Rank,
};
use vitale::ins::{BirthDate, CogCode, Ins, InsOid, Nir, Sex};

use crate::Error;
use crate::seed::{Seed, Stream};

/// Birth names (*noms de naissance*).
const SURNAMES: [&str; 18] = [
    "MARTIN",
    "BERNARD",
    "D'ALMEIDA",
    "LE GALL",
    "LEFÈVRE",
    "N'DIAYE",
    "DE LA FONTAINE",
    "MOREAU-LAMBERT",
    "GIRAUD",
    "NGUYEN",
    "FRANÇOIS",
    "BENOÎT",
    "DUPRÉ",
    "L'HÔTE",
    "ROUSSEAU",
    "CHÂTELAIN",
    "BOUCHÉ",
    "SAINT-ÉLOI",
];

/// First names for men and boys.
const MALE_NAMES: [&str; 18] = [
    "JEAN-FRANÇOIS",
    "LÉO",
    "NOÉ",
    "RAPHAËL",
    "THÉO",
    "JÉRÔME",
    "BENOÎT",
    "MATHÉO",
    "ÉMILE",
    "LOUIS",
    "GAËL",
    "HUGO",
    "ANTOINE",
    "CÉDRIC",
    "MOHAMED",
    "YANNICK",
    "JOSÉ",
    "JEAN-BAPTISTE",
];

/// First names for women and girls.
const FEMALE_NAMES: [&str; 18] = [
    "MARIE-HÉLÈNE",
    "ZOÉ",
    "CHLOÉ",
    "ANAÏS",
    "ÉLODIE",
    "HÉLOÏSE",
    "INÈS",
    "GAËLLE",
    "FRANÇOISE",
    "CÉLINE",
    "MAËLYS",
    "LÉA",
    "AMÉLIE",
    "NOÉMIE",
    "ANNE-SOPHIE",
    "FATOU",
    "JOSÉPHINE",
    "CLÉMENCE",
];

/// Birthplaces (COG codes), which are also characters 6–10 of the NIR:
/// Paris 14e, Lyon 3e, Marseille 5e, Bordeaux, Toulouse, Lille, Nantes,
/// Strasbourg, Boulogne-Billancourt, Ajaccio, Bastia (Corsica codes exist
/// from 1976), Saint-Denis de La Réunion, Les Abymes (Guadeloupe), and
/// births abroad: Morocco, Algeria, Portugal, Senegal.
const BIRTHPLACES: [&str; 17] = [
    "75114", "69383", "13205", "33063", "31555", "59350", "44109", "67482", "92012", "2A004",
    "2B033", "97411", "97101", "99350", "99352", "99139", "99341",
];

/// Where households live, hence where most children are born.
const HOMES: [&str; 10] = [
    "75114", "69383", "13205", "33063", "31555", "59350", "44109", "67482", "92012", "97411",
];

/// Caisses (CPAM) of the régime général.
const FUNDS: [&str; 8] = ["751", "921", "691", "131", "331", "593", "441", "974"];

/// Complementary insurers: AMC number and guarantee code.
const AMCS: [(&str, &str); 4] = [
    ("75500017", "MUT01"),
    ("44300022", "SANTE2"),
    ("31200045", "OPT3"),
    ("92100038", "FAM4"),
];

/// Codes qualité: insured person, spouse, child.
const QUALITY_INSURED: u8 = 0;
const QUALITY_SPOUSE: u8 = 2;
const QUALITY_CHILD: u8 = 6;

/// The latest birth year given to a child.
const LATEST_BIRTH_YEAR: u32 = 2025;

/// A household (*foyer*): the insured person (*ouvrant droit*) and the
/// people their rights cover (*ayants droit*), the insured person being
/// beneficiary rank 1.
///
/// `Debug` is redacted field by field by the codec's types.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Household {
    /// The insured person: NIR, organisation, code de gestion.
    pub insured: Insured,
    /// Rank 1 is the insured person, then the spouse (if any), then the
    /// children in order of birth.
    pub beneficiaries: Beneficiaries,
}

impl Household {
    /// The largest household (the format allows 16 beneficiaries).
    pub const MAX_BENEFICIARIES: usize = 16;

    /// A household of `beneficiaries` people (1 to 16) derived from the
    /// seed: the same seed and size give the same household.
    ///
    /// With two people or more, a spouse (*code qualité* 2) comes second
    /// four times out of five; the others are children (*code qualité* 6).
    /// About one child in five has a lunar birth date; about one in six is
    /// the second of twins. Nine people in ten have an INS (test OID); three
    /// households in five have a complementary cover (valid 2020-01-01 to
    /// 2039-12-31) for most of their members.
    ///
    /// # Errors
    /// [`Error::HouseholdSize`] outside 1..=16; the others only if an
    /// internal invariant breaks.
    pub fn sample(seed: &Seed, beneficiaries: usize) -> Result<Household, Error> {
        if !(1..=Self::MAX_BENEFICIARIES).contains(&beneficiaries) {
            return Err(Error::HouseholdSize(beneficiaries));
        }
        let mut rng = seed.stream("household");
        let people = sample_people(&mut rng, beneficiaries)?;
        let amc = rng.chance(3, 5).then(|| rng.pick(&AMCS)).flatten();
        let mut list = Vec::with_capacity(people.len());
        let mut insured_nir = None;
        for (rank, person) in (1u8..).zip(&people) {
            let covered = amc.filter(|_| rank == 1 || rng.chance(4, 5));
            let beneficiary = person.to_beneficiary(&mut rng, rank, covered)?;
            if rank == 1 {
                insured_nir = Some(person.nir.clone());
            }
            list.push(beneficiary);
        }
        let fund = rng.pick(&FUNDS).ok_or(Error::Sample("fund"))?;
        let centre = format!("{:04}", rng.between(1, 40));
        let code = if rng.chance(9, 10) { "10" } else { "01" };
        let insured = Insured::new(
            insured_nir.ok_or(Error::Sample("insured person"))?,
            Organisation::new("01", fund, &centre).ok_or(Error::Sample("organisation"))?,
            ManagementCode::new(code).ok_or(Error::Sample("code de gestion"))?,
        );
        Ok(Household {
            insured,
            beneficiaries: Beneficiaries::new(list).map_err(ModelError::from)?,
        })
    }
}

/// One sample person before conversion to the codec's types.
struct Person {
    quality: u8,
    sex: Sex,
    birth_name: &'static str,
    usual_name: Option<&'static str>,
    first_names: String,
    birth_date: BirthDate,
    birth_rank: u8,
    birthplace: &'static str,
    nir: Nir,
}

impl Person {
    fn to_beneficiary(
        &self,
        rng: &mut Stream,
        rank: u8,
        amc: Option<&(&str, &str)>,
    ) -> Result<Beneficiary, Error> {
        let name = |text: &str, what| PersonName::new(text).ok_or(Error::Sample(what));
        let ins = if rng.chance(9, 10) {
            Some(BeneficiaryIns::new(
                Ins::new(self.nir.clone(), InsOid::TestNir),
                CogCode::parse(self.birthplace)?,
            ))
        } else {
            None
        };
        let complementary = match amc {
            Some((number, guarantee)) => Some(ComplementaryCover::new(
                AmcNumber::new(number).ok_or(Error::Sample("AMC number"))?,
                GuaranteeCode::new(guarantee).ok_or(Error::Sample("guarantee"))?,
                DateRange::new(
                    day(2020, Month::January, 1)?,
                    day(2039, Month::December, 31)?,
                )
                .ok_or(Error::Sample("AMC dates"))?,
                rng.chance(3, 4),
            )),
            None => None,
        };
        Ok(Beneficiary::new(
            Rank::new(rank).ok_or(Error::Sample("rank"))?,
            QualityCode::new(self.quality).ok_or(Error::Sample("code qualité"))?,
            name(self.birth_name, "birth name")?,
            name(&self.first_names, "first names")?,
            self.sex,
            self.birth_date.clone(),
            BirthRank::new(self.birth_rank).ok_or(Error::Sample("birth rank"))?,
        )
        .with_usual_name(self.usual_name.map(|n| name(n, "usual name")).transpose()?)
        .with_ins(ins)
        .with_complementary(complementary))
    }
}

fn day(year: i32, month: Month, day: u8) -> Result<Date, Error> {
    Date::from_calendar_date(year, month, day).map_err(|_| Error::Sample("date"))
}

/// The people of a household of `n`, in rank order.
fn sample_people(rng: &mut Stream, n: usize) -> Result<Vec<Person>, Error> {
    let mut used_names: Vec<&'static str> = Vec::new();
    let surname = *rng.pick(&SURNAMES).ok_or(Error::Sample("surname"))?;
    let insured_sex = if rng.chance(1, 2) {
        Sex::Male
    } else {
        Sex::Female
    };
    let insured_year = rng.between(1955, 1998);
    let mut people = Vec::with_capacity(n);
    let insured = person(rng, &mut used_names, insured_sex, insured_year, false)?;
    people.push(Person {
        quality: QUALITY_INSURED,
        birth_name: surname,
        usual_name: None,
        ..insured
    });
    let mut youngest_parent = insured_year;
    if n >= 2 && rng.chance(4, 5) {
        let sex = if insured_sex == Sex::Male {
            Sex::Female
        } else {
            Sex::Male
        };
        let year = rng.between(insured_year.saturating_sub(5), insured_year + 5);
        youngest_parent = youngest_parent.max(year);
        let mut birth_name = *rng.pick(&SURNAMES).ok_or(Error::Sample("surname"))?;
        if birth_name == surname {
            birth_name = "GARNIER";
        }
        let spouse = person(rng, &mut used_names, sex, year, false)?;
        people.push(Person {
            quality: QUALITY_SPOUSE,
            birth_name,
            usual_name: rng.chance(2, 3).then_some(surname),
            ..spouse
        });
    }
    let home = *rng.pick(&HOMES).ok_or(Error::Sample("birthplace"))?;
    let mut year = youngest_parent + rng.between(20, 30);
    while people.len() < n {
        year = year.min(LATEST_BIRTH_YEAR);
        let sex = if rng.chance(1, 2) {
            Sex::Male
        } else {
            Sex::Female
        };
        let lunar = rng.chance(1, 5);
        let mut child = person(rng, &mut used_names, sex, year, lunar)?;
        if rng.chance(3, 5) {
            // Most children are born where the family lives.
            child.birthplace = home;
            child.nir = renumber(&child.nir, home)?;
        }
        let twins = people.len() + 2 <= n && rng.chance(1, 6);
        let twin = if twins {
            let sex = if rng.chance(1, 2) {
                Sex::Male
            } else {
                Sex::Female
            };
            let first_names = first_names(rng, &mut used_names, sex)?;
            let nir = twin_nir(&child.nir, sex)?;
            Some(Person {
                quality: QUALITY_CHILD,
                sex,
                birth_name: surname,
                usual_name: None,
                first_names,
                birth_date: child.birth_date.clone(),
                birth_rank: 2,
                birthplace: child.birthplace,
                nir,
            })
        } else {
            None
        };
        people.push(Person {
            quality: QUALITY_CHILD,
            birth_name: surname,
            usual_name: None,
            ..child
        });
        people.extend(twin);
        year += rng.between(1, 3);
    }
    Ok(people)
}

/// A person born in `year` (a lunar date if `lunar`), with a NIR to match.
/// Quality and names are set by the caller.
fn person(
    rng: &mut Stream,
    used_names: &mut Vec<&'static str>,
    sex: Sex,
    year: u32,
    lunar: bool,
) -> Result<Person, Error> {
    let first_names = first_names(rng, used_names, sex)?;
    let mut month = rng.between(1, 12);
    let mut day = rng.between(1, 28);
    if lunar {
        match rng.below(3) {
            0 => day = 0,
            1 => month = 0,
            _ => (month, day) = (0, 0),
        }
    }
    let birth_date = BirthDate::parse(&format!("{year:04}{month:02}{day:02}"))?;
    let mut birthplace = *rng.pick(&BIRTHPLACES).ok_or(Error::Sample("birthplace"))?;
    // 2A/2B exist from 1976; before, Corsica was department 20.
    if year < 1976 && (birthplace.starts_with("2A") || birthplace.starts_with("2B")) {
        birthplace = "75114";
    }
    // The NIR's month: the real month, or 20..=32 when it is unknown.
    let nir_month = if (1..=12).contains(&month) {
        month
    } else {
        20 + rng.below(13)
    };
    let order = rng.between(1, 998);
    let nir = make_nir(sex, year % 100, nir_month, birthplace, order)?;
    Ok(Person {
        quality: QUALITY_CHILD,
        sex,
        birth_name: "",
        usual_name: None,
        first_names,
        birth_date,
        birth_rank: 1,
        birthplace,
        nir,
    })
}

/// A NIR from its parts, with its key (`97 − (number mod 97)`).
fn make_nir(sex: Sex, yy: u32, mm: u32, place: &str, order: u32) -> Result<Nir, Error> {
    let sex_digit = if sex == Sex::Female { 2 } else { 1 };
    let first13 = format!("{sex_digit}{yy:02}{mm:02}{place}{order:03}");
    let key = Nir::key_of(&first13).ok_or(Error::Sample("NIR"))?;
    Ok(Nir::parse(&format!("{first13}{key:02}"))?)
}

/// The same NIR with another birthplace (characters 6–10) and its key.
fn renumber(nir: &Nir, place: &str) -> Result<Nir, Error> {
    let text = nir.as_str();
    let part = |range: core::ops::Range<usize>| text.get(range).ok_or(Error::Sample("NIR"));
    let first13 = format!("{}{place}{}", part(0..5)?, part(10..13)?);
    let key = Nir::key_of(&first13).ok_or(Error::Sample("NIR"))?;
    Ok(Nir::parse(&format!("{first13}{key:02}"))?)
}

/// The second twin's NIR: same birth data, the next order number, its own
/// sex digit.
fn twin_nir(first: &Nir, sex: Sex) -> Result<Nir, Error> {
    let text = first.as_str();
    let part = |range: core::ops::Range<usize>| text.get(range).ok_or(Error::Sample("NIR"));
    let number =
        |range| part(range).and_then(|s| s.parse::<u32>().map_err(|_| Error::Sample("NIR")));
    make_nir(
        sex,
        number(1..3)?,
        number(3..5)?,
        part(5..10)?,
        number(10..13)? + 1,
    )
}

/// One or two first names not yet used in the household.
fn first_names(rng: &mut Stream, used: &mut Vec<&'static str>, sex: Sex) -> Result<String, Error> {
    let list: &[&'static str] = if sex == Sex::Female {
        &FEMALE_NAMES
    } else {
        &MALE_NAMES
    };
    let pick = |rng: &mut Stream, used: &mut Vec<&'static str>| {
        let start = usize::try_from(rng.below(18)).unwrap_or(0);
        let chosen = (0..list.len())
            .filter_map(|i| list.get((start + i) % list.len()))
            .find(|n| !used.contains(n))
            .or_else(|| list.get(start % list.len()))
            .copied()
            .ok_or(Error::Sample("first name"));
        if let Ok(n) = chosen {
            used.push(n);
        }
        chosen
    };
    let first = pick(rng, used)?;
    if rng.chance(1, 4) {
        let second = pick(rng, used)?;
        Ok(format!("{first} {second}"))
    } else {
        Ok(first.to_owned())
    }
}
