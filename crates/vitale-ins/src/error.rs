//! The crate's one error type.
//!
//! Messages name the field and the rule that failed, never the value: a NIR,
//! a name or a birth date must not reach a log through an error message.

use core::fmt;

use crate::identity::IdentityStatus;

/// Everything that can fail in `vitale-ins`.
///
/// Each failure has its own variant so that callers (and tests) can tell a
/// mistyped NIR key from a NIR of the wrong length. No variant carries
/// personal data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The NIR does not have 15 characters once spaces are removed (or the
    /// input is longer than the parser's size limit).
    #[error("NIR must have 15 characters once spaces are removed (found {found})")]
    NirLength {
        /// Number of characters found (spaces excluded).
        found: usize,
    },
    /// A NIR character is not allowed at its position (1-based, spaces
    /// excluded). Only `2A` / `2B` at positions 6–7 may hold a letter.
    #[error("NIR has a character not allowed at position {position}")]
    NirCharacter {
        /// 1-based position in the 15-character compact form.
        position: usize,
    },
    /// A NIR field is outside its legal range.
    #[error("NIR field out of range: {field}")]
    NirField {
        /// The field that failed.
        field: NirField,
    },
    /// The NIR key (clé, last two digits) does not match the 13 first
    /// characters: a typing error or a corrupted number.
    #[error("NIR key does not match the number")]
    NirKeyMismatch,
    /// The text is not one of the INS OIDs (autorités d'affectation).
    #[error("not a known INS OID")]
    UnknownOid,
    /// The sex code is not `M`, `F` or `I`.
    #[error("sex code must be M, F or I")]
    SexCode,
    /// The birth date is not 8 ASCII digits `YYYYMMDD`.
    #[error("birth date must be 8 digits YYYYMMDD")]
    BirthDateFormat,
    /// The birth date year is outside 1800–2999.
    #[error("birth date year must be within 1800-2999")]
    BirthDateYear,
    /// The COG code is not 5 characters of the documented form.
    #[error("COG code must be 5 characters: 2 digits (not 00) or 2A/2B, then 3 digits")]
    CogCode,
    /// A name trait is empty once normalised.
    #[error("name trait is empty once normalised")]
    NameEmpty,
    /// A name trait is longer than the limit.
    #[error("name trait is longer than {max} characters")]
    NameTooLong {
        /// The limit, in characters.
        max: usize,
    },
    /// A name trait holds a control character.
    #[error("name trait holds a control character")]
    NameControl,
    /// A name in a Datamatrix payload is not in normalised form (see
    /// [`normalize_trait`](crate::normalize_trait)).
    #[error("name trait is not in normalised form")]
    NameNotNormalized,
    /// The INS was asked for sharing but the identity is not qualified.
    #[error("an INS is only shared for a qualified identity (status is {status})")]
    IdentityNotQualified {
        /// The identity's actual status.
        status: IdentityStatus,
    },
    /// The status and the presence of an INS disagree (récupérée and
    /// qualifiée need an INS, provisoire and validée have none).
    #[error("identity status {status} does not match the presence of an INS")]
    InsStatusMismatch {
        /// The status given.
        status: IdentityStatus,
    },
    /// The Datamatrix text exceeds the size limit.
    #[error("Datamatrix payload longer than {max} bytes")]
    DatamatrixTooLong {
        /// The limit, in bytes.
        max: usize,
    },
    /// The Datamatrix text holds a character outside printable ASCII and the
    /// GS separator (and US, in the 2D-Doc layout only).
    #[error("Datamatrix payload holds a character not allowed at byte {position}")]
    DatamatrixCharacter {
        /// 0-based byte offset.
        position: usize,
    },
    /// The header (national `IS01…` or 2D-Doc `DC04…`) is malformed.
    #[error("Datamatrix header field invalid: {field}")]
    DatamatrixHeader {
        /// The header field that failed.
        field: HeaderField,
    },
    /// In the 2D-Doc layout, a tag is not the one expected at this place
    /// (that layout has the fields in the order S1 … S7, each once).
    #[error("Datamatrix field {expected} expected at byte {position}")]
    DatamatrixUnexpectedTag {
        /// The tag expected here.
        expected: DatamatrixField,
        /// 0-based byte offset of the tag.
        position: usize,
    },
    /// In the national layout, the two characters where a field should start
    /// are not one of the tags `S1` … `S7` (a stray separator included).
    #[error("Datamatrix field tag expected at byte {position}")]
    DatamatrixUnknownTag {
        /// 0-based byte offset of the characters.
        position: usize,
    },
    /// In the national layout, a field appears twice.
    #[error("Datamatrix field {field} appears twice")]
    DatamatrixDuplicateField {
        /// The repeated field.
        field: DatamatrixField,
    },
    /// In the national layout, a mandatory field (`S1` … `S6`) is absent.
    #[error("Datamatrix field {field} is missing")]
    DatamatrixMissingField {
        /// The first missing field, in tag order.
        field: DatamatrixField,
    },
    /// The sex is `I` (indéterminé), which the national layout cannot carry:
    /// its `S5` is `M` or `F`.
    #[error("the national Datamatrix INS carries sex M or F only")]
    DatamatrixIndeterminateSex,
    /// A field's value has the wrong length (or a variable-length field is
    /// not terminated as the layout requires).
    #[error("Datamatrix field {field} has a wrong length or terminator")]
    DatamatrixFieldLength {
        /// The field that failed.
        field: DatamatrixField,
    },
    /// A field's value is malformed; the cause says why.
    #[error("Datamatrix field {field} is invalid")]
    DatamatrixFieldValue {
        /// The field that failed.
        field: DatamatrixField,
        /// The validation error of the value.
        #[source]
        cause: Box<Error>,
    },
    /// Bytes remain after the last field that are not a signature, or a GS
    /// ends the last field.
    #[error("Datamatrix payload has trailing data after the last field")]
    DatamatrixTrailing,
    /// The signature after the US separator is not canonical base32 of an
    /// allowed length.
    #[error("Datamatrix signature is not canonical base32 of 1 to {max} bytes")]
    DatamatrixSignature {
        /// Largest signature accepted, in bytes.
        max: usize,
    },
}

/// The NIR field named by [`Error::NirField`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NirField {
    /// First digit: 1, 2, 3, 4, 7 or 8.
    Sex,
    /// Digits 4–5: 01–12, 20–42 or 50–99.
    Month,
    /// Characters 6–7: 01–99, 2A or 2B.
    Department,
}

impl fmt::Display for NirField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sex => "sex digit",
            Self::Month => "month",
            Self::Department => "department",
        })
    }
}

/// The 2D-Doc header field named by [`Error::DatamatrixHeader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HeaderField {
    /// Fewer than 26 characters before the first field.
    Length,
    /// The marker is neither `IS` (national) nor `DC` (2D-Doc).
    Marker,
    /// The version is not `01` after `IS`, or not `04` after `DC`.
    Version,
    /// The 22 reserved characters of the national header are not all `0`.
    Reserved,
    /// Certification authority id (identifiant de l'autorité de certification).
    CaId,
    /// Certificate id (identifiant du certificat).
    CertId,
    /// Document issue date.
    IssueDate,
    /// Signature date.
    SignatureDate,
    /// Document type id.
    DocType,
    /// Perimeter id.
    Perimeter,
    /// Issuing country.
    Country,
}

impl fmt::Display for HeaderField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Length => "length",
            Self::Marker => "marker",
            Self::Version => "version",
            Self::Reserved => "reserved characters",
            Self::CaId => "certification authority id",
            Self::CertId => "certificate id",
            Self::IssueDate => "issue date",
            Self::SignatureDate => "signature date",
            Self::DocType => "document type",
            Self::Perimeter => "perimeter",
            Self::Country => "country",
        })
    }
}

/// The fields of the Datamatrix INS message, by tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DatamatrixField {
    /// `S1`: matricule INS (NIR or NIA), 15 characters.
    S1Matricule,
    /// `S2`: OID of the INS.
    S2Oid,
    /// `S3`: prénoms de naissance.
    S3GivenNames,
    /// `S4`: nom de naissance.
    S4BirthName,
    /// `S5`: sexe (`M` or `F`; also `I` in the 2D-Doc layout).
    S5Sex,
    /// `S6`: date de naissance, `JJ-MM-AAAA`.
    S6BirthDate,
    /// `S7`: lieu de naissance (COG code); optional in the national layout.
    S7BirthPlace,
}

impl DatamatrixField {
    /// The seven fields in tag order, the order in which they are written.
    pub const ALL: [DatamatrixField; 7] = [
        Self::S1Matricule,
        Self::S2Oid,
        Self::S3GivenNames,
        Self::S4BirthName,
        Self::S5Sex,
        Self::S6BirthDate,
        Self::S7BirthPlace,
    ];

    /// The field of a two-character tag, if it is one of `S1` … `S7`.
    pub fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.tag() == tag)
    }

    /// Its index in [`ALL`](Self::ALL) (0 for `S1`).
    pub(crate) const fn index(self) -> usize {
        match self {
            Self::S1Matricule => 0,
            Self::S2Oid => 1,
            Self::S3GivenNames => 2,
            Self::S4BirthName => 3,
            Self::S5Sex => 4,
            Self::S6BirthDate => 5,
            Self::S7BirthPlace => 6,
        }
    }

    /// The two-character tag (`"S1"` … `"S7"`).
    pub const fn tag(self) -> &'static str {
        match self {
            Self::S1Matricule => "S1",
            Self::S2Oid => "S2",
            Self::S3GivenNames => "S3",
            Self::S4BirthName => "S4",
            Self::S5Sex => "S5",
            Self::S6BirthDate => "S6",
            Self::S7BirthPlace => "S7",
        }
    }
}

impl fmt::Display for DatamatrixField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}
