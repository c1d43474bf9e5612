//! Values shared by the unit tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use time::Date;
use time::macros::date;
use vitale_ins::{BirthDate, Nir};
use vitale_model::{BirthRank, Organisation, PersonName, QualityCode};

use crate::{Period, Rights, RightsBuilder, RightsIdentity};

pub(crate) fn identity() -> RightsIdentity {
    RightsIdentity::new(
        Nir::parse("184037510821010").unwrap(),
        PersonName::new("MARTIN").unwrap(),
        PersonName::new("JEAN PIERRE").unwrap(),
        BirthDate::parse("19840315").unwrap(),
        BirthRank::new(1).unwrap(),
    )
}

pub(crate) fn builder() -> RightsBuilder {
    Rights::builder(
        date!(2026 - 11 - 21),
        identity(),
        Organisation::new("01", "751", "0001").unwrap(),
        QualityCode::new(0).unwrap(),
    )
}

pub(crate) fn closed(from: Date, until: Date) -> Period {
    Period::new(from, Some(until)).unwrap()
}

pub(crate) fn open(from: Date) -> Period {
    Period::open(from).unwrap()
}
