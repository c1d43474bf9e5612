//! The message zone (zone de message): blocks of a two-character tag
//! (identifiant de donnée) followed by the value.

use super::{GS, HEADER_LEN};
use crate::error::{DatamatrixField, Error};

/// Longest `S2` value: the 20 characters of `1.2.250.1.213.1.4.10`.
const OID_MAX: usize = 20;
/// Longest `S3` / `S4` value.
const NAME_MAX: usize = crate::names::MAX_NAME_CHARS;

/// How a field's value is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Length {
    /// Exactly this many characters, never followed by GS.
    Fixed(usize),
    /// 1 to this many characters; followed by GS when shorter than the
    /// maximum, unless the field is the last of the message.
    Variable(usize),
}

/// The length rule of each field.
pub(super) const fn length(field: DatamatrixField) -> Length {
    match field {
        DatamatrixField::S1Matricule => Length::Fixed(15),
        DatamatrixField::S2Oid => Length::Variable(OID_MAX),
        DatamatrixField::S3GivenNames | DatamatrixField::S4BirthName => Length::Variable(NAME_MAX),
        DatamatrixField::S5Sex => Length::Fixed(1),
        DatamatrixField::S6BirthDate => Length::Fixed(10),
        DatamatrixField::S7BirthPlace => Length::Fixed(5),
    }
}

/// Appends one block: tag, value, and GS when the value is shorter than a
/// variable maximum. Only for the fields written in tag order, where the
/// last field (`S6` or `S7`) is of fixed length.
pub(super) fn push(out: &mut String, field: DatamatrixField, value: &str) {
    out.push_str(field.tag());
    out.push_str(value);
    if let Length::Variable(max) = length(field)
        && value.len() < max
    {
        out.push(GS);
    }
}

/// Which grammar the message follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// National layout: fields in any order, each at most once, `S7`
    /// optional.
    Free,
    /// 2D-Doc layout of vitale-ins 0.1: `S1` … `S7`, in this order, all
    /// present.
    Fixed,
}

/// The raw text of each field, not yet validated.
#[derive(Debug)]
pub(super) struct RawFields<'a> {
    pub(super) matricule: &'a str,
    pub(super) oid: &'a str,
    pub(super) given_names: &'a str,
    pub(super) birth_name: &'a str,
    pub(super) sex: &'a str,
    pub(super) birth_date: &'a str,
    pub(super) birth_place: Option<&'a str>,
}

/// Splits the message into its fields (the header is `HEADER_LEN`
/// characters before it, which error positions count).
pub(super) fn read(message: &str, order: Order) -> Result<RawFields<'_>, Error> {
    let mut found: [Option<&str>; 7] = [None; 7];
    let mut offset = 0;
    let mut count = 0;
    let mut last_ended_by_gs = false;
    while offset < message.len() {
        let position = HEADER_LEN + offset;
        let tag = message.get(offset..offset + 2);
        let field = match order {
            Order::Fixed => {
                let expected = DatamatrixField::ALL
                    .get(count)
                    .copied()
                    .ok_or(Error::DatamatrixTrailing)?;
                if tag != Some(expected.tag()) {
                    return Err(Error::DatamatrixUnexpectedTag { expected, position });
                }
                expected
            }
            Order::Free => {
                let field = tag
                    .and_then(DatamatrixField::from_tag)
                    .ok_or(Error::DatamatrixUnknownTag { position })?;
                if found.get(field.index()).is_some_and(Option::is_some) {
                    return Err(Error::DatamatrixDuplicateField { field });
                }
                field
            }
        };
        let (value, next, ended_by_gs) = value(message, offset + 2, field)?;
        if let Some(slot) = found.get_mut(field.index()) {
            *slot = Some(value);
        }
        offset = next;
        count += 1;
        last_ended_by_gs = ended_by_gs;
    }
    if order == Order::Fixed
        && let Some(&expected) = DatamatrixField::ALL.get(count)
    {
        return Err(Error::DatamatrixUnexpectedTag {
            expected,
            position: HEADER_LEN + message.len(),
        });
    }
    let get = |field: DatamatrixField| found.get(field.index()).copied().flatten();
    let required =
        |field: DatamatrixField| get(field).ok_or(Error::DatamatrixMissingField { field });
    let fields = RawFields {
        matricule: required(DatamatrixField::S1Matricule)?,
        oid: required(DatamatrixField::S2Oid)?,
        given_names: required(DatamatrixField::S3GivenNames)?,
        birth_name: required(DatamatrixField::S4BirthName)?,
        sex: required(DatamatrixField::S5Sex)?,
        birth_date: required(DatamatrixField::S6BirthDate)?,
        birth_place: get(DatamatrixField::S7BirthPlace),
    };
    if last_ended_by_gs {
        // The last field has no separator.
        return Err(Error::DatamatrixTrailing);
    }
    Ok(fields)
}

/// The value of `field` starting at byte `start` of `message`: the value,
/// where the next block starts, and whether a GS ended the value.
fn value(
    message: &str,
    start: usize,
    field: DatamatrixField,
) -> Result<(&str, usize, bool), Error> {
    let too_short = Error::DatamatrixFieldLength { field };
    let rest = message.get(start..).unwrap_or_default();
    match length(field) {
        Length::Fixed(len) => {
            let value = rest
                .get(..len)
                .filter(|v| !v.contains(GS))
                .ok_or(too_short)?;
            Ok((value, start + len, false))
        }
        Length::Variable(max) => {
            let window = rest.get(..max.min(rest.len())).unwrap_or_default();
            match window.find(GS) {
                Some(0) => Err(too_short),
                Some(end) => Ok((window.get(..end).unwrap_or_default(), start + end + 1, true)),
                // No GS within `max` characters: the value has its maximum
                // length, or it is the last field and runs to the end.
                None if window.is_empty() => Err(too_short),
                None => Ok((window, start + window.len(), false)),
            }
        }
    }
}
