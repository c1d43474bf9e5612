//! The billing JSON shapes shared by every surface that takes billing
//! input as JSON — the C ABI (`vitale_billing_new`, `vitale_billing_bill`,
//! `docs/ffi.md`) and the local agent (`POST /v1/bill`, `docs/agent.md`):
//! the practice (*cabinet*), a visit and its acts.
//!
//! Each type is read with serde (unknown fields refused) and then turned
//! into the facade's values, which checks every field:
//!
//! ```
//! use vitale::billing::json::{PracticeJson, VisitJson};
//!
//! let practice: PracticeJson = serde_json::from_str(
//!     r#"{"billing_number": "991234567", "specialty": "01"}"#,
//! ).map_err(|e| e.to_string())?;
//! let practice = practice.practice().map_err(|e| e.to_string())?;
//! assert_eq!(practice.identity.billing_number().as_str(), "991234567");
//!
//! let visit: VisitJson = serde_json::from_str(
//!     r#"{"rank": 1, "date": "2026-11-30", "acts": ["G"], "pathway": null, "third_party": false}"#,
//! ).map_err(|e| e.to_string())?;
//! let today = time::Date::from_calendar_date(2026, time::Month::December, 1)
//!     .map_err(|e| e.to_string())?;
//! let request = visit.request(today).map_err(|e| e.to_string())?;
//! assert_eq!(request.date.to_string(), "2026-11-30");
//! # Ok::<(), String>(())
//! ```

use serde::Deserialize;
use time::Date;
use vitale_adri::{BillingNumber, CareScope, ProfessionalIdentity, Rpps, SpecialtyCode};
use vitale_fse::pricing::{ActLine, Pathway, Profession, Sector};
use vitale_fse::tariff::TariffZone;
use vitale_fse::{Cents, Practice};
use vitale_model::Rank;

use super::VisitRequest;
use crate::Error;

/// A billing JSON value that was read but is not valid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// A field is out of range or not one of the names it may take (the
    /// C ABI reports it as `invalid_options`).
    #[error("{field}: {expected}")]
    Field {
        /// The field, as a path (`practice.sector`, `visit.pathway`).
        field: String,
        /// What the field may be. Never the value read.
        expected: String,
    },
    /// A value the facade refused (an act that does not parse is
    /// `fse_invalid_act`, a rank that cannot be on a card is
    /// `no_such_beneficiary`).
    #[error(transparent)]
    Facade(#[from] Error),
}

impl JsonError {
    /// The stable kind: `invalid_options` for [`JsonError::Field`], the
    /// facade's kind ([`crate::KINDS`]) otherwise.
    pub fn kind(&self) -> &'static str {
        match self {
            JsonError::Field { .. } => "invalid_options",
            JsonError::Facade(e) => e.kind(),
        }
    }

    fn field(field: &str, expected: impl core::fmt::Display) -> Self {
        JsonError::Field {
            field: field.to_owned(),
            expected: expected.to_string(),
        }
    }
}

/// The practice (*cabinet*): who bills and under which rules.
///
/// `{"billing_number": "991234567", "specialty": "01", "rpps":
/// "10005173140", "profession": "physician", "sector": "1", "zone":
/// "metropole"}`; only the first two are required.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PracticeJson {
    /// *N° AM* (*numéro d'assurance maladie* of the professional), 9 digits.
    pub billing_number: String,
    /// *Code spécialité*, 2 digits.
    pub specialty: String,
    /// RPPS, 11 digits.
    #[serde(default)]
    pub rpps: Option<String>,
    /// `"physician"` (default) or `"auxiliary"` (*auxiliaire médical*).
    #[serde(default)]
    pub profession: Option<String>,
    /// Convention sector: `"1"` (default), `"2-optam"` or `"2"`.
    #[serde(default)]
    pub sector: Option<String>,
    /// `"metropole"` (default) or the overseas zone's name as
    /// [`TariffZone::parse`] reads it.
    #[serde(default)]
    pub zone: Option<String>,
}

impl PracticeJson {
    /// The practice.
    ///
    /// # Errors
    /// [`JsonError::Field`] naming the first invalid field
    /// (`practice.billing_number`…).
    pub fn practice(&self) -> Result<Practice, JsonError> {
        let field = |name: &str| format!("practice.{name}");
        let billing = BillingNumber::parse(&self.billing_number)
            .map_err(|e| JsonError::field(&field("billing_number"), e))?;
        let specialty = SpecialtyCode::parse(&self.specialty)
            .map_err(|e| JsonError::field(&field("specialty"), e))?;
        let rpps = self
            .rpps
            .as_deref()
            .map(Rpps::parse)
            .transpose()
            .map_err(|e| JsonError::field(&field("rpps"), e))?;
        let profession = match self.profession.as_deref().unwrap_or("physician") {
            "physician" => Profession::Physician,
            "auxiliary" => Profession::Auxiliary,
            _ => {
                return Err(JsonError::field(
                    &field("profession"),
                    "\"physician\" or \"auxiliary\"",
                ));
            }
        };
        let sector = match self.sector.as_deref().unwrap_or("1") {
            "1" => Sector::One,
            "2-optam" => Sector::TwoOptam,
            "2" => Sector::Two,
            _ => {
                return Err(JsonError::field(
                    &field("sector"),
                    "\"1\", \"2-optam\" or \"2\"",
                ));
            }
        };
        let zone = match &self.zone {
            None => TariffZone::Metropole,
            Some(text) => TariffZone::parse(text)
                .ok_or_else(|| JsonError::field(&field("zone"), "a tariff zone"))?,
        };
        Ok(Practice {
            identity: ProfessionalIdentity::new(billing, specialty).with_rpps(rpps),
            profession,
            sector,
            zone,
        })
    }
}

/// One visit to bill.
///
/// `{"rank": 1, "date": "2026-11-30", "acts": ["G"], "pathway": null,
/// "third_party": false}`; `date`, `pathway` and `third_party` may be left
/// out.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct VisitJson {
    /// The beneficiary's rank on the card (*rang*).
    pub rank: u8,
    /// The date of care, `YYYY-MM-DD`; default: the caller's today.
    #[serde(default)]
    pub date: Option<String>,
    /// The acts: `"G"`, `"YYYY010"`, or `{"act": "G", "extra_fee_cents":
    /// 500, "scope": "general"}`.
    pub acts: Vec<ActJson>,
    /// The *parcours de soins* as the physician states it
    /// (`"treating_doctor"`, `"referred"`, `"direct_access"`,
    /// `"emergency"`, `"outside"`); default: derived from the rights
    /// ([`super::Billing::pathway`]).
    #[serde(default)]
    pub pathway: Option<String>,
    /// Third-party payment (*tiers payant*) of the AMO share offered.
    #[serde(default)]
    pub third_party: bool,
}

impl VisitJson {
    /// The visit request, dated `today` when the JSON names no date.
    ///
    /// # Errors
    /// [`JsonError::Field`] for a date or pathway that is not one;
    /// [`JsonError::Facade`] for a rank that cannot be on a card
    /// (`no_such_beneficiary`) or an act that does not parse
    /// (`fse_invalid_act`).
    pub fn request(&self, today: Date) -> Result<VisitRequest, JsonError> {
        let date = match &self.date {
            Some(text) => vitale_model::time::parse_date(text)
                .ok_or_else(|| JsonError::field("visit.date", "expected YYYY-MM-DD"))?,
            None => today,
        };
        let rank = parse_rank(self.rank)?;
        let acts = self
            .acts
            .iter()
            .map(ActJson::line)
            .collect::<Result<Vec<_>, _>>()?;
        let mut request = VisitRequest::new(rank, date, acts).with_third_party(self.third_party);
        if let Some(text) = &self.pathway {
            request = request.with_pathway(parse_pathway(text)?);
        }
        Ok(request)
    }
}

/// A beneficiary's rank (*rang*) as a JSON number gives it.
///
/// # Errors
/// `no_such_beneficiary` for a rank no card can hold (0, above 16).
pub fn parse_rank(rank: u8) -> Result<Rank, JsonError> {
    Rank::new(rank)
        .ok_or(vitale_verify::Error::NoSuchBeneficiary { rank })
        .map_err(|e| JsonError::Facade(Error::from(e)))
}

/// An act: its text, or the text with an extra fee and a scope.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ActJson {
    /// NGAP (`"G"`, `"C2"`) or CCAM (`"DEQP003"`) text.
    Text(String),
    /// With details.
    Line(ActLineJson),
}

/// An act with its extra fee (*dépassement*) and scope.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ActLineJson {
    /// NGAP or CCAM text.
    pub act: String,
    /// The extra fee, in cents.
    #[serde(default)]
    pub extra_fee_cents: u32,
    /// `"general"` (default), `"long_term_condition"` (ALD),
    /// `"work_injury"` (AT/MP).
    #[serde(default)]
    pub scope: Option<String>,
}

impl ActJson {
    /// The act line.
    ///
    /// # Errors
    /// `fse_invalid_act` ([`JsonError::Facade`]) for an act that does not
    /// parse; [`JsonError::Field`] for a fee out of range or an unknown
    /// scope.
    pub fn line(&self) -> Result<ActLine, JsonError> {
        let (text, extra, scope) = match self {
            ActJson::Text(text) => (text.as_str(), 0, None),
            ActJson::Line(l) => (l.act.as_str(), l.extra_fee_cents, l.scope.as_deref()),
        };
        let act = text
            .parse()
            .map_err(|e: vitale_fse::Error| JsonError::Facade(Error::from(e)))?;
        let extra = Cents::new(extra)
            .ok_or_else(|| JsonError::field("visit.acts.extra_fee_cents", "out of range"))?;
        let scope = match scope.unwrap_or("general") {
            "general" => CareScope::General,
            "long_term_condition" => CareScope::LongTermCondition,
            "work_injury" => CareScope::WorkInjury,
            _ => {
                return Err(JsonError::field(
                    "visit.acts.scope",
                    "\"general\", \"long_term_condition\" or \"work_injury\"",
                ));
            }
        };
        Ok(ActLine::new(act).with_extra_fee(extra).with_scope(scope))
    }
}

/// The pathway (*parcours de soins*) named in a visit.
///
/// # Errors
/// [`JsonError::Field`] for a name not in the list.
pub fn parse_pathway(text: &str) -> Result<Pathway, JsonError> {
    Ok(match text {
        "treating_doctor" => Pathway::TreatingDoctor,
        "referred" => Pathway::Referred,
        "direct_access" => Pathway::DirectAccess,
        "emergency" => Pathway::Emergency,
        "outside" => Pathway::Outside,
        _ => {
            return Err(JsonError::field(
                "visit.pathway",
                "treating_doctor, referred, direct_access, emergency or outside",
            ));
        }
    })
}

#[cfg(test)]
mod tests;
