//! The billing JSON arguments: the billing set-up (practice, key files,
//! tariffs, context service) and a visit; and the professional's keys.
// Without `online` a billing handle cannot be made: the set-up is unread.
#![cfg_attr(not(feature = "online"), allow(dead_code))]

use serde::Deserialize;
use vitale::adri::{BillingNumber, CareScope, ProfessionalIdentity, Rpps, SpecialtyCode};
use vitale::fse::pricing::{ActLine, Pathway, Profession, Sector};
use vitale::fse::tariff::TariffZone;
use vitale::fse::{Cents, Practice};
use vitale::verify::SoftwareSigner;

use crate::boundary::Failure;
use crate::options::OnlineService;
use crate::status::VitaleStatus;

/// Largest key file read (a PEM key is far smaller; 64 hex digits are
/// what `vitale sim init` writes).
const MAX_KEY_FILE: u64 = 16 * 1024;

/// Largest tariff file read.
const MAX_TARIFF_FILE: u64 = 4 << 20;

/// `vitale_billing_new`'s configuration.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BillingConfig {
    /// The professional who bills.
    pub(crate) practice: PracticeConfig,
    /// The professional's private key file (64 hex digits), when the key
    /// is not passed as bytes: signs the sheets of cards read offline.
    #[serde(default)]
    pub(crate) sheet_key_file: Option<String>,
    /// A key listed with the receipt usage in the trust list (64 hex
    /// digits): receipts are then signed and can be checked.
    #[serde(default)]
    pub(crate) receipt_key_file: Option<String>,
    /// A tariff file replacing the embedded tariffs (`docs/fse.md`).
    #[serde(default)]
    pub(crate) tariffs_file: Option<String>,
    /// The `token` profile's context service, which signs the sheets of
    /// cards read online (feature `online`).
    #[serde(default)]
    pub(crate) context_service: Option<OnlineService>,
}

/// The practice (*cabinet*): who bills and under which rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PracticeConfig {
    /// *N° AM*, 9 digits.
    billing_number: String,
    /// *Code spécialité*, 2 digits.
    specialty: String,
    /// RPPS, 11 digits.
    #[serde(default)]
    rpps: Option<String>,
    /// `"physician"` (default) or `"auxiliary"`.
    #[serde(default)]
    profession: Option<String>,
    /// Convention sector: `"1"` (default), `"2-optam"` or `"2"`.
    #[serde(default)]
    sector: Option<String>,
    /// `"metropole"` (default) or the overseas zone's name as
    /// `TariffZone::parse` reads it.
    #[serde(default)]
    zone: Option<String>,
}

impl PracticeConfig {
    /// The practice, or which field is wrong.
    pub(crate) fn practice(&self) -> Result<Practice, Failure> {
        let field = |name: &str| format!("config.practice.{name}");
        let billing = BillingNumber::parse(&self.billing_number)
            .map_err(|e| Failure::options(&field("billing_number"), e))?;
        let specialty = SpecialtyCode::parse(&self.specialty)
            .map_err(|e| Failure::options(&field("specialty"), e))?;
        let rpps = self
            .rpps
            .as_deref()
            .map(Rpps::parse)
            .transpose()
            .map_err(|e| Failure::options(&field("rpps"), e))?;
        let profession = match self.profession.as_deref().unwrap_or("physician") {
            "physician" => Profession::Physician,
            "auxiliary" => Profession::Auxiliary,
            _ => {
                return Err(Failure::options(
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
                return Err(Failure::options(
                    &field("sector"),
                    "\"1\", \"2-optam\" or \"2\"",
                ));
            }
        };
        let zone = match &self.zone {
            None => TariffZone::Metropole,
            Some(text) => TariffZone::parse(text)
                .ok_or_else(|| Failure::options(&field("zone"), "a tariff zone"))?,
        };
        Ok(Practice {
            identity: ProfessionalIdentity::new(billing, specialty).with_rpps(rpps),
            profession,
            sector,
            zone,
        })
    }
}

/// One visit to bill (`vitale_billing_bill`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VisitConfig {
    /// The beneficiary's rank on the card (*rang*).
    pub(crate) rank: u8,
    /// The date of care, `YYYY-MM-DD`; default: today (the terminal's
    /// `at`, else the system clock, UTC).
    #[serde(default)]
    pub(crate) date: Option<String>,
    /// The acts: `"G"`, `"YYYY010"`, or `{"act": "G", "extra_fee_cents":
    /// 500, "scope": "general"}`.
    pub(crate) acts: Vec<ActConfig>,
    /// The *parcours de soins* as the physician states it
    /// (`"treating_doctor"`, `"referred"`, `"direct_access"`,
    /// `"emergency"`, `"outside"`); default: derived from the rights.
    #[serde(default)]
    pub(crate) pathway: Option<String>,
    /// Third-party payment of the AMO share offered.
    #[serde(default)]
    pub(crate) third_party: bool,
}

/// An act: its text, or the text with an extra fee and a scope.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum ActConfig {
    /// NGAP (`"G"`, `"C2"`) or CCAM (`"DEQP003"`) text.
    Text(String),
    /// With details.
    Line(ActLineConfig),
}

/// An act with its extra fee and scope.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActLineConfig {
    act: String,
    #[serde(default)]
    extra_fee_cents: u32,
    /// `"general"` (default), `"long_term_condition"` (ALD),
    /// `"work_injury"` (AT/MP).
    #[serde(default)]
    scope: Option<String>,
}

impl ActConfig {
    /// The act line; an act that does not parse is `fse_invalid_act`.
    pub(crate) fn line(&self) -> Result<ActLine, Failure> {
        let (text, extra, scope) = match self {
            ActConfig::Text(text) => (text.as_str(), 0, None),
            ActConfig::Line(l) => (l.act.as_str(), l.extra_fee_cents, l.scope.as_deref()),
        };
        let act = text
            .parse()
            .map_err(|e: vitale::fse::Error| Failure::from(vitale::Error::from(e)))?;
        let extra = Cents::new(extra)
            .ok_or_else(|| Failure::options("visit.acts.extra_fee_cents", "out of range"))?;
        let scope = match scope.unwrap_or("general") {
            "general" => CareScope::General,
            "long_term_condition" => CareScope::LongTermCondition,
            "work_injury" => CareScope::WorkInjury,
            _ => {
                return Err(Failure::options(
                    "visit.acts.scope",
                    "\"general\", \"long_term_condition\" or \"work_injury\"",
                ));
            }
        };
        Ok(ActLine::new(act).with_extra_fee(extra).with_scope(scope))
    }
}

/// The pathway named in a visit.
pub(crate) fn pathway(text: &str) -> Result<Pathway, Failure> {
    Ok(match text {
        "treating_doctor" => Pathway::TreatingDoctor,
        "referred" => Pathway::Referred,
        "direct_access" => Pathway::DirectAccess,
        "emergency" => Pathway::Emergency,
        "outside" => Pathway::Outside,
        _ => {
            return Err(Failure::options(
                "visit.pathway",
                "treating_doctor, referred, direct_access, emergency or outside",
            ));
        }
    })
}

/// A private P-256 key: 32 raw bytes (the scalar, big-endian) or the text
/// of 64 hex digits (surrounding white space ignored). The caller's copy
/// is the caller's to wipe; the library's copies are wiped.
pub(crate) fn signer(bytes: &[u8], what: &str) -> Result<SoftwareSigner, Failure> {
    let bad = || {
        Failure::abi(
            VitaleStatus::InvalidKey,
            format!("{what}: not a P-256 private key (32 bytes or 64 hex digits)"),
        )
    };
    if bytes.len() == 32 {
        return SoftwareSigner::from_slice(bytes).map_err(|_| bad());
    }
    let text = core::str::from_utf8(bytes).map_err(|_| bad())?.trim();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    // The codec's hex is lower-case only; both copies are wiped on drop.
    let lower = zeroize::Zeroizing::new(text.to_ascii_lowercase());
    let scalar = zeroize::Zeroizing::new(vitale::codec::hex::decode(&lower).ok_or_else(bad)?);
    SoftwareSigner::from_slice(&scalar).map_err(|_| bad())
}

/// Reads at most `limit` bytes of a file (`io` beyond what it can read,
/// `too_large`-like `invalid_argument` beyond the limit).
pub(crate) fn read_file(
    path: &str,
    what: &str,
    limit: u64,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    use std::io::Read as _;
    let io = |e| Failure::from(vitale::Error::io(format!("cannot read {what} {path}"), e));
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(Failure::abi(
            VitaleStatus::InvalidArgument,
            format!("{what} {path}: larger than {limit} bytes"),
        ));
    }
    Ok(bytes)
}

/// The signer of a key file.
pub(crate) fn signer_file(path: &str, what: &str) -> Result<SoftwareSigner, Failure> {
    signer(&read_file(path, what, MAX_KEY_FILE)?, what)
}

/// A tariff file.
pub(crate) fn tariffs_file(path: &str) -> Result<vitale::fse::TariffTable, Failure> {
    let bytes = read_file(path, "the tariff file", MAX_TARIFF_FILE)?;
    let text = core::str::from_utf8(&bytes).map_err(|_| {
        Failure::abi(
            VitaleStatus::InvalidUtf8,
            format!("the tariff file {path} is not UTF-8"),
        )
    })?;
    vitale::fse::TariffTable::parse(text).map_err(|e| Failure::from(vitale::Error::from(e)))
}
