//! A verified card from the simulator and the rights that go with it.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use time::Date;
use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::verify::{TrustList, TrustStore, VerifiedCard, Verifier, default_backend};
use vitale_adri::{
    BillingNumber, Period, ProfessionalIdentity, Rights, RightsBuilder, RightsIdentity,
    SpecialtyCode, TreatingDoctor,
};
use vitale_fse::Practice;
use vitale_fse::pricing::{Profession, Sector};
use vitale_fse::tariff::TariffZone;
use vitale_model::{Organisation, QualityCode, Rank};
use vitale_sim::{Scenario, Seed};

pub struct World {
    pub card: VerifiedCard,
    pub today: Date,
}

/// A household of three, presented by QR and verified now.
pub fn world(seed: u64) -> World {
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap();
    let scenario = Scenario::new(Seed::from_u64(seed), 3, now).unwrap();
    let list = TrustList::from_cbor(
        &scenario.trust_list,
        &scenario.anchor,
        default_backend(),
        now,
    )
    .unwrap();
    let terminal = Terminal::new(Verifier::new(TrustStore::new(
        scenario.anchor.clone(),
        list,
    )));
    let text = scenario.phone.present_qr_text(now, 120).unwrap();
    let card = terminal.verify_text(&text).unwrap();
    World {
        card,
        today: time::OffsetDateTime::now_utc().date(),
    }
}

impl World {
    /// Rights for the beneficiary of `rank`: AMO open, no treating doctor.
    pub fn rights(&self, rank: u8) -> RightsBuilder {
        let b = self
            .card
            .beneficiary(Rank::new(rank).unwrap())
            .unwrap()
            .data();
        let identity = RightsIdentity::new(
            self.card.insured().nir().clone(),
            b.birth_name().clone(),
            b.first_names().clone(),
            b.birth_date().clone(),
            b.birth_rank(),
        );
        Rights::builder(
            self.today,
            identity,
            Organisation::new("01", "751", "0001").unwrap(),
            QualityCode::new(0).unwrap(),
        )
        .amo_period(Period::open(time::macros::date!(2020 - 01 - 01)).unwrap())
    }

    /// The same with a treating doctor declared.
    pub fn rights_with_doctor(&self, rank: u8) -> Rights {
        self.rights(rank)
            .treating_doctor(Some(TreatingDoctor::new(
                Period::open(time::macros::date!(2021 - 01 - 01)).unwrap(),
                None,
            )))
            .build()
            .unwrap()
    }
}

pub fn gp() -> Practice {
    Practice {
        identity: ProfessionalIdentity::new(
            BillingNumber::parse("751234567").unwrap(),
            SpecialtyCode::GENERAL_PRACTICE,
        ),
        profession: Profession::Physician,
        sector: Sector::One,
        zone: TariffZone::Metropole,
    }
}
