//! The five INS identity traits, the identity status and the sharing rule.
//!
//! An INS is meant to travel with the identity it names: it is shared (sent,
//! printed, put in a Datamatrix) only **together with its five traits** and
//! only when the identity is **qualified** (identité qualifiée). Here that
//! rule is a type: [`QualifiedIdentity`] always holds an [`Ins`] and its
//! [`IdentityTraits`], and the only way to get one is
//! [`PatientIdentity::shareable`], which refuses every other status with
//! [`Error::IdentityNotQualified`]. Whatever shares an INS (for example
//! [`InsDatamatrix::new`](crate::InsDatamatrix::new)) takes a
//! `&QualifiedIdentity`.

use core::fmt;

use crate::birth_date::BirthDate;
use crate::cog::CogCode;
use crate::error::Error;
use crate::ins::Ins;
use crate::names::{BirthName, GivenNames};
use crate::sex::Sex;

/// The five identity traits (traits INS): nom de naissance, prénoms de
/// naissance, sexe, date de naissance, lieu de naissance.
///
/// `Debug` shows only the sex; every other trait is redacted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdentityTraits {
    birth_name: BirthName,
    given_names: GivenNames,
    sex: Sex,
    birth_date: BirthDate,
    birth_place: CogCode,
}

impl IdentityTraits {
    /// The five traits together.
    pub fn new(
        birth_name: BirthName,
        given_names: GivenNames,
        sex: Sex,
        birth_date: BirthDate,
        birth_place: CogCode,
    ) -> Self {
        Self {
            birth_name,
            given_names,
            sex,
            birth_date,
            birth_place,
        }
    }

    /// Nom de naissance.
    pub fn birth_name(&self) -> &BirthName {
        &self.birth_name
    }

    /// Prénoms de naissance.
    pub fn given_names(&self) -> &GivenNames {
        &self.given_names
    }

    /// Sexe.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// Date de naissance.
    pub fn birth_date(&self) -> &BirthDate {
        &self.birth_date
    }

    /// Lieu de naissance (COG code).
    pub fn birth_place(&self) -> &CogCode {
        &self.birth_place
    }

    /// Whether two sets of traits name the same identity: names equal once
    /// normalised, sex, birth date and birthplace equal exactly.
    pub fn matches(&self, other: &Self) -> bool {
        self.birth_name.matches(&other.birth_name)
            && self.given_names.matches(&other.given_names)
            && self.sex == other.sex
            && self.birth_date == other.birth_date
            && self.birth_place == other.birth_place
    }
}

/// The status of an identity in identity-vigilance terms (statut de
/// l'identité).
///
/// Two questions give four statuses: was the INS retrieved from the national
/// teleservice (INSi), and was the identity checked against an identity
/// document?
///
/// | | no INS | INS retrieved |
/// |---|---|---|
/// | not checked | [`Provisional`](Self::Provisional) | [`Recovered`](Self::Recovered) |
/// | checked | [`Validated`](Self::Validated) | [`Qualified`](Self::Qualified) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentityStatus {
    /// Identité provisoire: neither checked nor INS retrieved.
    Provisional,
    /// Identité récupérée: INS retrieved, identity not checked.
    Recovered,
    /// Identité validée: identity checked, no INS.
    Validated,
    /// Identité qualifiée: identity checked and INS retrieved; the only
    /// status under which the INS may be shared.
    Qualified,
}

impl IdentityStatus {
    /// Whether identities of this status carry an INS.
    pub const fn has_ins(self) -> bool {
        matches!(self, Self::Recovered | Self::Qualified)
    }
}

impl fmt::Display for IdentityStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Provisional => "provisoire",
            Self::Recovered => "récupérée",
            Self::Validated => "validée",
            Self::Qualified => "qualifiée",
        })
    }
}

/// A patient identity: its traits, its status and, for the statuses that
/// have one, its INS.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PatientIdentity {
    status: IdentityStatus,
    traits: IdentityTraits,
    ins: Option<Ins>,
}

impl PatientIdentity {
    /// An identity. The INS must be present exactly for the statuses that
    /// have one (récupérée, qualifiée), otherwise
    /// [`Error::InsStatusMismatch`].
    pub fn new(
        status: IdentityStatus,
        traits: IdentityTraits,
        ins: Option<Ins>,
    ) -> Result<Self, Error> {
        if status.has_ins() != ins.is_some() {
            return Err(Error::InsStatusMismatch { status });
        }
        Ok(Self {
            status,
            traits,
            ins,
        })
    }

    /// The status.
    pub fn status(&self) -> IdentityStatus {
        self.status
    }

    /// The five traits.
    pub fn traits(&self) -> &IdentityTraits {
        &self.traits
    }

    /// The INS for local use (récupérée or qualifiée). To *share* it, use
    /// [`PatientIdentity::shareable`].
    pub fn ins(&self) -> Option<&Ins> {
        self.ins.as_ref()
    }

    /// The INS and its traits, ready to share, for a qualified identity
    /// only; any other status gives [`Error::IdentityNotQualified`].
    ///
    /// ```
    /// use vitale_ins::*;
    ///
    /// let traits = IdentityTraits::new(
    ///     BirthName::new("Lovelace")?,
    ///     GivenNames::new("Ada")?,
    ///     Sex::Female,
    ///     BirthDate::parse("18151210")?,
    ///     CogCode::parse("99132")?,
    /// );
    /// let ins = Ins::new(Nir::parse("2 15 12 99 132 001 95")?, InsOid::TestNir);
    /// let recovered = PatientIdentity::new(IdentityStatus::Recovered, traits.clone(), Some(ins.clone()))?;
    /// assert!(recovered.shareable().is_err());
    /// let qualified = PatientIdentity::new(IdentityStatus::Qualified, traits, Some(ins))?;
    /// assert_eq!(qualified.shareable()?.ins().oid(), InsOid::TestNir);
    /// # Ok::<(), vitale_ins::Error>(())
    /// ```
    pub fn shareable(&self) -> Result<QualifiedIdentity, Error> {
        match (&self.ins, self.status) {
            (Some(ins), IdentityStatus::Qualified) => Ok(QualifiedIdentity {
                ins: ins.clone(),
                traits: self.traits.clone(),
            }),
            (_, status) => Err(Error::IdentityNotQualified { status }),
        }
    }
}

impl TryFrom<&PatientIdentity> for QualifiedIdentity {
    type Error = Error;

    fn try_from(identity: &PatientIdentity) -> Result<Self, Self::Error> {
        identity.shareable()
    }
}

/// An INS with its five traits, from a qualified identity: the only form in
/// which the SDK shares an INS.
///
/// Built by [`PatientIdentity::shareable`] (or `TryFrom`); there is no other
/// public constructor.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QualifiedIdentity {
    ins: Ins,
    traits: IdentityTraits,
}

impl QualifiedIdentity {
    /// The INS.
    pub fn ins(&self) -> &Ins {
        &self.ins
    }

    /// The five traits.
    pub fn traits(&self) -> &IdentityTraits {
        &self.traits
    }
}

#[cfg(test)]
mod tests;
