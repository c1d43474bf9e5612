//! A whole world in one call: an issuer, a household, the holder's phone
//! with a fresh credential, the trust list and its anchor.

use vitale::codec::model::{CredentialId, SignedCredential, Timestamp, ValidityWindow};
use vitale::verify::trust::TrustAnchor;

use crate::Error;
use crate::error::{add_secs, sub_secs};
use crate::issuer::SimIssuer;
use crate::people::Household;
use crate::phone::SimPhone;
use crate::seed::Seed;

const DAY: u64 = 86_400;

/// What most tests and the demo need, derived from a seed at a given `now`.
///
/// * the issuer ([`SimIssuer::new`]: root key, issuer key 0);
/// * a household of the requested size ([`Household::sample`]);
/// * the holder's phone (named `holder`) with a credential issued by key 0
///   at `now − 1 day`, valid from `now − 1 day` to `now + 7 days`;
/// * the trust list in CBOR form, sequence
///   [`Scenario::TRUST_LIST_SEQUENCE`], valid from `now − 1 day` to
///   `now + 30 days`, and the anchor that verifies it.
///
/// ```
/// use vitale::codec::model::Timestamp;
/// use vitale_sim::{Scenario, Seed};
///
/// let now = Timestamp::from_unix(1_795_334_400).ok_or(vitale_sim::Error::TimeOutOfRange)?;
/// let s = Scenario::new(Seed::from_u64(7), 3, now)?;
/// let text = s.phone.present_qr_text(now, 120)?;
/// assert!(text.starts_with("VT1:"));
/// # Ok::<(), vitale_sim::Error>(())
/// ```
#[derive(Debug)]
pub struct Scenario {
    /// The seed everything derives from.
    pub seed: Seed,
    /// The `now` the scenario was made for.
    pub now: Timestamp,
    /// The insurer.
    pub issuer: SimIssuer,
    /// The insured person and the beneficiaries.
    pub household: Household,
    /// The holder's phone, credential installed.
    pub phone: SimPhone,
    /// The holder's credential (tagged COSE_Sign1 bytes).
    pub credential: Vec<u8>,
    /// The trust list, CBOR form, signed by the issuer's root.
    pub trust_list: Vec<u8>,
    /// The anchor (root key) that the workstation pins.
    pub anchor: TrustAnchor,
}

impl Scenario {
    /// The trust list's sequence number.
    pub const TRUST_LIST_SEQUENCE: u64 = 1;

    /// Builds the scenario.
    ///
    /// # Errors
    /// [`Error::HouseholdSize`] outside 1..=16; [`Error::TimeOutOfRange`]
    /// for a `now` less than a day after 1970 or near the end of the
    /// timestamp range.
    pub fn new(seed: Seed, beneficiaries: usize, now: Timestamp) -> Result<Self, Error> {
        let issuer = SimIssuer::new(&seed)?;
        let household = Household::sample(&seed, beneficiaries)?;
        let mut phone = SimPhone::new(&seed, "holder")?;
        let yesterday = sub_secs(now, DAY)?;
        let validity =
            ValidityWindow::new(yesterday, add_secs(now, 7 * DAY)?).ok_or(Error::TimeOutOfRange)?;
        let credential =
            issuer.issue_credential(0, &household, phone.device_key(), yesterday, validity)?;
        phone.install_credential(credential.clone())?;
        let trust_list = issuer.trust_list_cbor(
            Self::TRUST_LIST_SEQUENCE,
            yesterday,
            add_secs(now, 30 * DAY)?,
        )?;
        let anchor = issuer.trust_anchor()?;
        Ok(Scenario {
            seed,
            now,
            issuer,
            household,
            phone,
            credential,
            trust_list,
            anchor,
        })
    }

    /// The same trust list in JSON form.
    ///
    /// # Errors
    /// As [`SimIssuer::trust_list_json`].
    pub fn trust_list_json(&self) -> Result<String, Error> {
        self.issuer.trust_list_json(
            Self::TRUST_LIST_SEQUENCE,
            sub_secs(self.now, DAY)?,
            add_secs(self.now, 30 * DAY)?,
        )
    }

    /// The holder's credential id.
    ///
    /// # Errors
    /// [`Error::Codec`] (cannot happen: the scenario made the credential).
    pub fn credential_id(&self) -> Result<CredentialId, Error> {
        Ok(SignedCredential::decode(&self.credential)?.credential().id)
    }

    /// A delegate's phone (named `delegate/<name>`) holding a delegation of
    /// `ranks` signed by issuer key 0, issued an hour before `now` and valid
    /// until `now + 7 days`, with the holder's credential.
    ///
    /// # Errors
    /// As [`SimIssuer::issue_delegation`].
    pub fn delegate(&self, name: &str, ranks: &[u8]) -> Result<SimPhone, Error> {
        let mut phone = SimPhone::new(&self.seed, &format!("delegate/{name}"))?;
        let issued_at = sub_secs(self.now, 3_600)?;
        let validity = ValidityWindow::new(issued_at, add_secs(self.now, 7 * DAY)?)
            .ok_or(Error::TimeOutOfRange)?;
        let delegation = self.issuer.issue_delegation(
            0,
            self.credential_id()?,
            name,
            phone.device_key(),
            ranks,
            issued_at,
            validity,
        )?;
        phone.install_delegation(self.credential.clone(), delegation)?;
        Ok(phone)
    }
}
