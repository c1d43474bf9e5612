//! The tariff file: parsing and validation.

use std::collections::BTreeMap;

use time::Date;

use super::{Grid, RowKind, TariffRow, TariffTable, TariffZone};
use crate::Error;
use crate::act::{Act, KeyLetter};
use crate::money::Cents;

/// Largest tariff file accepted (1 MiB).
pub const MAX_TABLE_BYTES: usize = 1 << 20;
/// Most rows in a file.
pub const MAX_ROWS: usize = 10_000;
/// Longest line.
pub const MAX_LINE: usize = 1_024;
/// Longest source text.
pub const MAX_SOURCE: usize = 600;

const HEADER: &str = "kind;code;zone;grid;from;until;price;source";

fn bad(line: usize, problem: &'static str) -> Error {
    Error::Tariff { line, problem }
}

impl TariffTable {
    /// Parses and validates a tariff file (format in `data/tariffs.csv`):
    /// `#` comment lines, then the header line, then one row per line.
    ///
    /// Refused, with the line number: a file over [`MAX_TABLE_BYTES`] or
    /// [`MAX_ROWS`] rows, a line over [`MAX_LINE`] bytes, a missing header,
    /// a row with a wrong field, an empty source or one over
    /// [`MAX_SOURCE`] bytes, a period that ends before it starts, two
    /// periods of the same act, zone and grid that overlap or leave a gap
    /// between them, an open-ended period that is not the last, and the
    /// same row twice.
    ///
    /// A UTF-8 byte-order mark and CR LF line endings (a file saved by a
    /// Windows spreadsheet) are accepted.
    pub fn parse(text: &str) -> Result<TariffTable, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.len() > MAX_TABLE_BYTES {
            return Err(bad(0, "file too large"));
        }
        let mut rows: BTreeMap<super::Key, Vec<TariffRow>> = BTreeMap::new();
        let mut header_seen = false;
        let mut count = 0usize;
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            if line.len() > MAX_LINE {
                return Err(bad(number, "line too long"));
            }
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !header_seen {
                if line != HEADER {
                    return Err(bad(number, "missing or wrong header line"));
                }
                header_seen = true;
                continue;
            }
            count += 1;
            if count > MAX_ROWS {
                return Err(bad(number, "too many rows"));
            }
            let row = parse_row(line).map_err(|problem| bad(number, problem))?;
            let key = (row.kind, row.code.clone(), row.zone, row.grid);
            rows.entry(key).or_default().push(row);
        }
        if !header_seen {
            return Err(bad(0, "missing or wrong header line"));
        }
        for periods in rows.values_mut() {
            periods.sort_by_key(|r| r.from);
            check_periods(periods).map_err(|problem| bad(0, problem))?;
        }
        Ok(TariffTable { rows })
    }
}

fn parse_row(line: &str) -> Result<TariffRow, &'static str> {
    // The source is the last field and may itself hold ';'.
    let mut fields = line.splitn(8, ';');
    let mut next = |what: &'static str| fields.next().ok_or(what);
    let kind = RowKind::parse(next("missing kind")?).ok_or("unknown kind")?;
    let code = next("missing code")?;
    let zone = TariffZone::parse(next("missing zone")?).ok_or("unknown zone")?;
    let grid = Grid::parse(next("missing grid")?).ok_or("unknown grid")?;
    let from = parse_date(next("missing from")?).ok_or("invalid from date")?;
    let until = match next("missing until")? {
        "" => None,
        text => Some(parse_date(text).ok_or("invalid until date")?),
    };
    let price = Cents::parse_euros(next("missing price")?).ok_or("invalid price")?;
    let source = next("missing source")?;
    let code_ok = match kind {
        RowKind::Ngap => KeyLetter::new(code).is_some(),
        RowKind::Ccam => {
            matches!(code.parse::<Act>(), Ok(Act::Ccam(a)) if a.modifiers().is_empty() && code.len() == 11)
        }
        RowKind::Participation | RowKind::FranchiseAct => code == "-",
    };
    if !code_ok {
        return Err("invalid code for its kind");
    }
    if source.trim().is_empty() {
        return Err("row without a source");
    }
    if source.len() > MAX_SOURCE {
        return Err("source too long");
    }
    if until.is_some_and(|u| u < from) {
        return Err("period ends before it starts");
    }
    Ok(TariffRow {
        kind,
        code: code.to_owned(),
        zone,
        grid,
        from,
        until,
        price,
        source: source.to_owned(),
    })
}

/// `YYYY-MM-DD`, a real calendar date.
fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: core::ops::Range<usize>| -> Option<u32> {
        let s = text.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// Sorted periods of one act: contiguous, only the last open-ended.
fn check_periods(periods: &[TariffRow]) -> Result<(), &'static str> {
    for pair in periods.windows(2) {
        let [earlier, later] = pair else { continue };
        let Some(end) = earlier.until else {
            return Err("an open-ended period is followed by another");
        };
        if later.from <= end {
            return Err("two periods of the same act overlap");
        }
        if end.next_day() != Some(later.from) {
            return Err("gap between two periods of the same act");
        }
    }
    Ok(())
}
