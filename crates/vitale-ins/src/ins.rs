//! The INS (identifiant national de santé): matricule + OID.

use core::fmt;
use core::str::FromStr;

use crate::error::Error;
use crate::nir::Nir;

/// The OID of the authority that assigned an INS (autorité d'affectation),
/// which also says whether the matricule is a NIR or a NIA and whether it is
/// a real, test or demonstration identity.
///
/// ```
/// use vitale_ins::InsOid;
///
/// let oid = InsOid::parse("1.2.250.1.213.1.4.8")?;
/// assert_eq!(oid, InsOid::Nir);
/// assert_eq!(InsOid::Nia.as_str(), "1.2.250.1.213.1.4.9");
/// # Ok::<(), vitale_ins::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum InsOid {
    /// `1.2.250.1.213.1.4.8`: INS-NIR, the matricule is a NIR.
    Nir,
    /// `1.2.250.1.213.1.4.9`: INS-NIA, the matricule is a NIA (numéro
    /// d'identification d'attente).
    Nia,
    /// `1.2.250.1.213.1.4.10`: test NIR (identités de test).
    TestNir,
    /// `1.2.250.1.213.1.4.11`: demonstration NIR (identités de démonstration).
    DemoNir,
}

impl InsOid {
    /// All known INS OIDs.
    pub const ALL: [InsOid; 4] = [InsOid::Nir, InsOid::Nia, InsOid::TestNir, InsOid::DemoNir];

    /// Text of [`InsOid::Nir`].
    pub const INS_NIR: &'static str = "1.2.250.1.213.1.4.8";
    /// Text of [`InsOid::Nia`].
    pub const INS_NIA: &'static str = "1.2.250.1.213.1.4.9";
    /// Text of [`InsOid::TestNir`].
    pub const INS_NIR_TEST: &'static str = "1.2.250.1.213.1.4.10";
    /// Text of [`InsOid::DemoNir`].
    pub const INS_NIR_DEMO: &'static str = "1.2.250.1.213.1.4.11";

    /// Parses the dotted OID text exactly (no `urn:oid:` prefix, no
    /// spaces); any other OID is [`Error::UnknownOid`].
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text {
            Self::INS_NIR => Ok(Self::Nir),
            Self::INS_NIA => Ok(Self::Nia),
            Self::INS_NIR_TEST => Ok(Self::TestNir),
            Self::INS_NIR_DEMO => Ok(Self::DemoNir),
            _ => Err(Error::UnknownOid),
        }
    }

    /// Parses a short name — `nir`, `nia`, `test` or `demo`, in any case —
    /// or, failing that, the dotted OID text as [`InsOid::parse`] does
    /// (what the `vitale ins` command accepts for `--oid`).
    ///
    /// ```
    /// use vitale_ins::InsOid;
    ///
    /// assert_eq!(InsOid::parse_name_or_dotted("Test")?, InsOid::TestNir);
    /// assert_eq!(InsOid::parse_name_or_dotted("1.2.250.1.213.1.4.9")?, InsOid::Nia);
    /// # Ok::<(), vitale_ins::Error>(())
    /// ```
    pub fn parse_name_or_dotted(text: &str) -> Result<Self, Error> {
        // The short names are ASCII: a longer text is none of them (and is
        // not lowered, so the size of the work is bounded by the names).
        if text.len() <= 4 {
            match text.to_ascii_lowercase().as_str() {
                "nir" => return Ok(Self::Nir),
                "nia" => return Ok(Self::Nia),
                "test" => return Ok(Self::TestNir),
                "demo" => return Ok(Self::DemoNir),
                _ => {}
            }
        }
        Self::parse(text)
    }

    /// The dotted OID text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Nir => Self::INS_NIR,
            Self::Nia => Self::INS_NIA,
            Self::TestNir => Self::INS_NIR_TEST,
            Self::DemoNir => Self::INS_NIR_DEMO,
        }
    }

    /// Whether the matricule under this OID is a NIA rather than a NIR.
    pub const fn is_nia(self) -> bool {
        matches!(self, Self::Nia)
    }

    /// Whether this OID marks a test or demonstration identity, never a
    /// real person.
    pub const fn is_test_or_demo(self) -> bool {
        matches!(self, Self::TestNir | Self::DemoNir)
    }
}

impl FromStr for InsOid {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for InsOid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An INS (identifiant national de santé): the matricule INS (a NIR or a
/// NIA, see [`Nir`]) and the OID of its assigning authority.
///
/// An `Ins` alone is only an identifier. The rule that it is shared only
/// with the five identity traits and only for a qualified identity is
/// carried by [`QualifiedIdentity`](crate::QualifiedIdentity).
///
/// `Debug` shows the OID but never the matricule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ins {
    matricule: Nir,
    oid: InsOid,
}

impl Ins {
    /// An INS from its matricule and OID.
    pub fn new(matricule: Nir, oid: InsOid) -> Self {
        Self { matricule, oid }
    }

    /// The matricule INS (NIR or NIA, 15 characters).
    pub fn matricule(&self) -> &Nir {
        &self.matricule
    }

    /// The OID of the assigning authority.
    pub fn oid(&self) -> InsOid {
        self.oid
    }
}

#[cfg(test)]
mod tests;
