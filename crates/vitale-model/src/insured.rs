//! The insured person (*assuré*, *ouvrant droit*) and the organisation
//! managing their rights (*organisme*).

use vitale_ins::Nir;

fn digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// The organisation managing the insured person's rights (*organisme*):
/// *régime* (2 digits), *caisse* (3 digits) and *centre* (4 digits), as
/// printed on the Vitale card and used in care sheets.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OrganisationRepr"))]
pub struct Organisation {
    regime: String,
    fund: String,
    centre: String,
}

impl Organisation {
    /// Validates the three codes (ASCII digits, lengths 2, 3 and 4).
    pub fn new(regime: &str, fund: &str, centre: &str) -> Option<Self> {
        (digits(regime, 2) && digits(fund, 3) && digits(centre, 4)).then(|| Organisation {
            regime: regime.to_owned(),
            fund: fund.to_owned(),
            centre: centre.to_owned(),
        })
    }

    /// *Code régime* (2 digits), e.g. `01` for the general scheme.
    pub fn regime(&self) -> &str {
        &self.regime
    }

    /// *Code caisse* (3 digits).
    pub fn fund(&self) -> &str {
        &self.fund
    }

    /// *Code centre* (4 digits).
    pub fn centre(&self) -> &str {
        &self.centre
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct OrganisationRepr {
    regime: String,
    fund: String,
    centre: String,
}

#[cfg(feature = "serde")]
impl TryFrom<OrganisationRepr> for Organisation {
    type Error = crate::Error;
    fn try_from(r: OrganisationRepr) -> Result<Self, Self::Error> {
        Organisation::new(&r.regime, &r.fund, &r.centre).ok_or(crate::Error::Invalid(
            "organisation: régime, caisse and centre must be 2, 3 and 4 digits",
        ))
    }
}

/// *Code de gestion*: two ASCII digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ManagementCode([u8; 2]);

impl ManagementCode {
    /// Validates a code of two ASCII digits.
    pub fn new(text: &str) -> Option<Self> {
        let bytes: [u8; 2] = text.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_digit)
            .then_some(ManagementCode(bytes))
    }

    /// The two digits.
    pub fn as_str(&self) -> &str {
        // Invariant: both bytes are ASCII digits, hence UTF-8.
        core::str::from_utf8(&self.0).unwrap_or("00")
    }
}

serde_text!(
    ManagementCode,
    2,
    "management code",
    |c| c.as_str(),
    ManagementCode::new
);

/// The insured person (*assuré*, *ouvrant droit*) whose rights cover the
/// beneficiaries of a card. `Debug` redacts the NIR.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Insured {
    nir: Nir,
    organisation: Organisation,
    management_code: ManagementCode,
}

impl Insured {
    /// The insured person with their NIR, organisation and code de gestion.
    pub fn new(nir: Nir, organisation: Organisation, management_code: ManagementCode) -> Self {
        Insured {
            nir,
            organisation,
            management_code,
        }
    }

    /// The insured person's NIR (*numéro de sécurité sociale*).
    pub fn nir(&self) -> &Nir {
        &self.nir
    }

    /// The organisation managing the rights (*organisme*).
    pub fn organisation(&self) -> &Organisation {
        &self.organisation
    }

    /// *Code de gestion*.
    pub fn management_code(&self) -> ManagementCode {
        self.management_code
    }
}
