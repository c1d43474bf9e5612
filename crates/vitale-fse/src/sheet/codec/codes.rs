//! The text codes of the sheet's enumerations (pathway, profession,
//! sector, rate reason, exemption), written and read back.

use vitale_adri::{CoverageReason, SolidarityCover};

use crate::pricing::{Exemption, Pathway, Profession, RateReason, Sector};

pub(super) fn pathway_code(p: Pathway) -> &'static str {
    match p {
        Pathway::TreatingDoctor => "treating_doctor",
        Pathway::Referred => "referred",
        Pathway::DirectAccess => "direct_access",
        Pathway::Emergency => "emergency",
        Pathway::Outside => "outside",
    }
}
pub(super) const PATHWAYS: [Pathway; 5] = [
    Pathway::TreatingDoctor,
    Pathway::Referred,
    Pathway::DirectAccess,
    Pathway::Emergency,
    Pathway::Outside,
];

pub(super) fn profession_code(p: Profession) -> &'static str {
    match p {
        Profession::Physician => "physician",
        Profession::Auxiliary => "auxiliary",
    }
}
pub(super) fn sector_code(s: Sector) -> &'static str {
    match s {
        Sector::One => "1",
        Sector::TwoOptam => "2-optam",
        Sector::Two => "2",
    }
}

pub(super) fn reason_code(r: RateReason) -> String {
    match r {
        RateReason::Pathway => "pathway".into(),
        RateReason::OutsidePathway => "outside_pathway".into(),
        RateReason::Auxiliary => "auxiliary".into(),
        RateReason::Coverage(c) => format!("coverage:{}", c.code()),
        RateReason::Ame => "ame".into(),
    }
}
pub(super) fn parse_reason(s: &str) -> Option<RateReason> {
    Some(match s {
        "pathway" => RateReason::Pathway,
        "outside_pathway" => RateReason::OutsidePathway,
        "auxiliary" => RateReason::Auxiliary,
        "ame" => RateReason::Ame,
        other => RateReason::Coverage(CoverageReason::from_code(other.strip_prefix("coverage:")?)?),
    })
}

pub(super) fn exemption_code(e: Exemption) -> String {
    match e {
        Exemption::Profession => "profession".into(),
        Exemption::Minor => "minor".into(),
        Exemption::Maternity => "maternity".into(),
        Exemption::Solidarity(s) => format!("solidarity:{}", s.code()),
    }
}
pub(super) fn parse_exemption(s: &str) -> Option<Exemption> {
    Some(match s {
        "profession" => Exemption::Profession,
        "minor" => Exemption::Minor,
        "maternity" => Exemption::Maternity,
        other => Exemption::Solidarity(SolidarityCover::from_code(
            other.strip_prefix("solidarity:")?,
        )?),
    })
}
