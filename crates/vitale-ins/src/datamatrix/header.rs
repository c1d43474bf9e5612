//! The two 26-character headers a Datamatrix INS payload may start with:
//! the national header `IS01` + 22 zeros (written and read), and the
//! version-04 2D-Doc header `DC04…` of the layout of vitale-ins 0.1 (read
//! only, see [`DocHeader`]).

use time::{Date, Duration, Month};

use crate::error::{Error, HeaderField};

/// Length of both headers: the national one and a version-04 2D-Doc header.
pub const HEADER_LEN: usize = 26;

/// The national header (en-tête) of the ANS "INS — format datamatrix":
/// marker `IS`, version `01`, then 22 reserved characters, all `0`.
pub const NATIONAL_HEADER: &str = "IS010000000000000000000000";

/// The header a payload starts with, told apart by its first two characters.
pub(super) enum ParsedHeader {
    /// `IS01` + 22 zeros.
    National,
    /// `DC04…`.
    Doc(DocHeader),
}

/// Parses the first [`HEADER_LEN`] characters of `text`: the national header
/// (marker `IS`) or a version-04 2D-Doc header (marker `DC`).
pub(super) fn parse_header(text: &str) -> Result<ParsedHeader, Error> {
    let error = |field| Error::DatamatrixHeader { field };
    let part = |range: core::ops::Range<usize>| text.get(range).ok_or(error(HeaderField::Length));
    if text.len() < HEADER_LEN {
        return Err(error(HeaderField::Length));
    }
    match part(0..2)? {
        "IS" => {
            if part(2..4)? != "01" {
                return Err(error(HeaderField::Version));
            }
            if part(4..HEADER_LEN)?.bytes().any(|b| b != b'0') {
                return Err(error(HeaderField::Reserved));
            }
            Ok(ParsedHeader::National)
        }
        "DC" => DocHeader::parse(text).map(ParsedHeader::Doc),
        _ => Err(error(HeaderField::Marker)),
    }
}

/// "No date" in a header date field.
const NO_DATE: &str = "FFFF";

/// The header of a 2D-Doc (en-tête), version `04`.
///
/// A Datamatrix INS payload carries it only in the layout that vitale-ins
/// 0.1 wrote, still accepted by [`InsDatamatrix::decode`](super::InsDatamatrix::decode);
/// the national layout has the fixed header [`NATIONAL_HEADER`] instead.
///
/// | chars | field | form |
/// |---|---|---|
/// | 1–2 | marker | `DC` |
/// | 3–4 | version | `04` |
/// | 5–8 | certification authority id | 4 of `0-9A-Z` |
/// | 9–12 | certificate id | 4 of `0-9A-Z` |
/// | 13–16 | issue date | 4 hex digits, days since 2000-01-01, `FFFF` = none |
/// | 17–20 | signature date | same |
/// | 21–22 | document type | 2 of `0-9A-Z` |
/// | 23–24 | perimeter | 2 of `0-9A-Z` |
/// | 25–26 | issuing country | 2 of `A-Z` |
///
/// ```
/// use vitale_ins::DocHeader;
///
/// // The header of the ANTS "avis d'impôt" specimen.
/// let header = DocHeader::parse("DC04FR000001FFFF23DC2801FR")?;
/// assert_eq!(header.ca_id(), "FR00");
/// assert_eq!(header.issue_date(), None);
/// assert_eq!(header.signature_date().map(|d| d.to_string()).as_deref(), Some("2025-02-18"));
/// assert_eq!(header.encode(), "DC04FR000001FFFF23DC2801FR");
/// # Ok::<(), vitale_ins::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocHeader {
    ca_id: String,
    cert_id: String,
    issue_date: Option<Date>,
    signature_date: Option<Date>,
    doc_type: String,
    perimeter: String,
    country: String,
}

impl DocHeader {
    /// A header with no dates, perimeter `01` and country `FR`; change them
    /// with the `with_*` methods.
    pub fn new(ca_id: &str, cert_id: &str, doc_type: &str) -> Result<Self, Error> {
        Ok(Self {
            ca_id: checked(ca_id, 4, false, HeaderField::CaId)?,
            cert_id: checked(cert_id, 4, false, HeaderField::CertId)?,
            issue_date: None,
            signature_date: None,
            doc_type: checked(doc_type, 2, false, HeaderField::DocType)?,
            perimeter: "01".to_owned(),
            country: "FR".to_owned(),
        })
    }

    /// Sets the issue and signature dates; each must be within 2000-01-01
    /// + 0xFFFE days (`FFFF` is "no date").
    pub fn with_dates(
        mut self,
        issue: Option<Date>,
        signature: Option<Date>,
    ) -> Result<Self, Error> {
        encode_date(issue, HeaderField::IssueDate)?;
        encode_date(signature, HeaderField::SignatureDate)?;
        self.issue_date = issue;
        self.signature_date = signature;
        Ok(self)
    }

    /// Sets the perimeter (2 of `0-9A-Z`).
    pub fn with_perimeter(mut self, perimeter: &str) -> Result<Self, Error> {
        self.perimeter = checked(perimeter, 2, false, HeaderField::Perimeter)?;
        Ok(self)
    }

    /// Sets the issuing country (2 of `A-Z`).
    pub fn with_country(mut self, country: &str) -> Result<Self, Error> {
        self.country = checked(country, 2, true, HeaderField::Country)?;
        Ok(self)
    }

    /// Parses the first 26 characters of `text` as a version-04 header.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let part = |range: core::ops::Range<usize>| {
            text.get(range).ok_or(Error::DatamatrixHeader {
                field: HeaderField::Length,
            })
        };
        if text.len() < HEADER_LEN {
            return Err(Error::DatamatrixHeader {
                field: HeaderField::Length,
            });
        }
        if part(0..2)? != "DC" {
            return Err(Error::DatamatrixHeader {
                field: HeaderField::Marker,
            });
        }
        if part(2..4)? != "04" {
            return Err(Error::DatamatrixHeader {
                field: HeaderField::Version,
            });
        }
        Ok(Self {
            ca_id: checked(part(4..8)?, 4, false, HeaderField::CaId)?,
            cert_id: checked(part(8..12)?, 4, false, HeaderField::CertId)?,
            issue_date: decode_date(part(12..16)?, HeaderField::IssueDate)?,
            signature_date: decode_date(part(16..20)?, HeaderField::SignatureDate)?,
            doc_type: checked(part(20..22)?, 2, false, HeaderField::DocType)?,
            perimeter: checked(part(22..24)?, 2, false, HeaderField::Perimeter)?,
            country: checked(part(24..26)?, 2, true, HeaderField::Country)?,
        })
    }

    /// The 26 characters.
    pub fn encode(&self) -> String {
        let issue = encode_date(self.issue_date, HeaderField::IssueDate).unwrap_or_default();
        let signature =
            encode_date(self.signature_date, HeaderField::SignatureDate).unwrap_or_default();
        format!(
            "DC04{}{}{issue}{signature}{}{}{}",
            self.ca_id, self.cert_id, self.doc_type, self.perimeter, self.country
        )
    }

    /// Certification authority id (identifiant de l'autorité de certification).
    pub fn ca_id(&self) -> &str {
        &self.ca_id
    }

    /// Certificate id (identifiant du certificat).
    pub fn cert_id(&self) -> &str {
        &self.cert_id
    }

    /// Document issue date (date d'émission), if any.
    pub fn issue_date(&self) -> Option<Date> {
        self.issue_date
    }

    /// Signature date (date de création de la signature), if any.
    pub fn signature_date(&self) -> Option<Date> {
        self.signature_date
    }

    /// Document type id.
    pub fn doc_type(&self) -> &str {
        &self.doc_type
    }

    /// Perimeter id.
    pub fn perimeter(&self) -> &str {
        &self.perimeter
    }

    /// Issuing country.
    pub fn country(&self) -> &str {
        &self.country
    }
}

/// `text` if it has `len` characters of `0-9A-Z` (`A-Z` only if `letters`).
fn checked(text: &str, len: usize, letters: bool, field: HeaderField) -> Result<String, Error> {
    let ok = text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (!letters && b.is_ascii_digit()));
    if ok {
        Ok(text.to_owned())
    } else {
        Err(Error::DatamatrixHeader { field })
    }
}

fn epoch() -> Date {
    Date::from_calendar_date(2000, Month::January, 1).unwrap_or(Date::MIN)
}

fn decode_date(text: &str, field: HeaderField) -> Result<Option<Date>, Error> {
    if text == NO_DATE {
        return Ok(None);
    }
    let error = Error::DatamatrixHeader { field };
    if text.len() != 4
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    {
        return Err(error);
    }
    let days = u16::from_str_radix(text, 16).map_err(|_| error.clone())?;
    epoch()
        .checked_add(Duration::days(i64::from(days)))
        .map(Some)
        .ok_or(error)
}

fn encode_date(date: Option<Date>, field: HeaderField) -> Result<String, Error> {
    let Some(date) = date else {
        return Ok(NO_DATE.to_owned());
    };
    let days = (date - epoch()).whole_days();
    match u16::try_from(days) {
        Ok(days) if days < 0xFFFF => Ok(format!("{days:04X}")),
        _ => Err(Error::DatamatrixHeader { field }),
    }
}
