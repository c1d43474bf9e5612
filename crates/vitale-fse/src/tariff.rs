//! Tariffs as dated data: which price applies to an act on the date of
//! care, in a zone and a convention grid, with the public text that says so.
//!
//! The table is a text file (`data/tariffs.csv` in this crate is the
//! embedded default, [`TariffTable::embedded`]); a vendor loads a newer one
//! with [`TariffTable::parse`]. Loading validates everything once: every
//! row has a source, periods of the same act never overlap and leave no
//! gap, and only the last period of an act may be open-ended. Lookups are
//! then infallible apart from "no price on that date".
//!
//! A row's `from` is the first day **for which its source attests the
//! price**, which is not always the day the price came into force: the
//! table refuses dates of care before it rather than guess.

use core::fmt;
use std::collections::BTreeMap;

use time::Date;

use crate::money::Cents;

mod file;

pub use file::{MAX_LINE, MAX_ROWS, MAX_SOURCE, MAX_TABLE_BYTES};

/// What a row prices.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[non_exhaustive]
pub enum RowKind {
    /// An NGAP key letter's value (coefficient 1).
    Ngap,
    /// A CCAM act (code, activity, phase).
    Ccam,
    /// The participation forfaitaire per act (*participation forfaitaire*).
    Participation,
    /// The franchise per paramedical act (*franchise médicale*).
    FranchiseAct,
}

impl RowKind {
    fn parse(text: &str) -> Option<RowKind> {
        Some(match text {
            "ngap" => RowKind::Ngap,
            "ccam" => RowKind::Ccam,
            "participation" => RowKind::Participation,
            "franchise-act" => RowKind::FranchiseAct,
            _ => return None,
        })
    }

    /// The name used in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Ngap => "ngap",
            RowKind::Ccam => "ccam",
            RowKind::Participation => "participation",
            RowKind::FranchiseAct => "franchise-act",
        }
    }
}

/// Where the care is given: tariffs differ overseas.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[non_exhaustive]
pub enum TariffZone {
    /// Metropolitan France (*métropole*).
    Metropole,
    /// The overseas departments (*DROM*: Guadeloupe, Martinique, Guyane, La
    /// Réunion, Mayotte).
    Overseas,
}

impl TariffZone {
    /// Parses `metro` or `dom`.
    pub fn parse(text: &str) -> Option<TariffZone> {
        match text {
            "metro" => Some(TariffZone::Metropole),
            "dom" => Some(TariffZone::Overseas),
            _ => None,
        }
    }

    /// `metro` or `dom`.
    pub fn as_str(self) -> &'static str {
        match self {
            TariffZone::Metropole => "metro",
            TariffZone::Overseas => "dom",
        }
    }
}

/// The convention grid a price belongs to.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[non_exhaustive]
pub enum Grid {
    /// One price for every professional.
    All,
    /// Sector 1, and sector 2 under OPTAM / OPTAM-CO (*option de pratique
    /// tarifaire maîtrisée*).
    Optam,
    /// Sector 2 without OPTAM.
    NonOptam,
}

impl Grid {
    fn parse(text: &str) -> Option<Grid> {
        match text {
            "all" => Some(Grid::All),
            "optam" => Some(Grid::Optam),
            "non-optam" => Some(Grid::NonOptam),
            _ => None,
        }
    }

    /// `all`, `optam` or `non-optam`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grid::All => "all",
            Grid::Optam => "optam",
            Grid::NonOptam => "non-optam",
        }
    }
}

/// One price for one period, with its source.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TariffRow {
    kind: RowKind,
    code: String,
    zone: TariffZone,
    grid: Grid,
    from: Date,
    until: Option<Date>,
    price: Cents,
    source: String,
}

impl TariffRow {
    /// What the row prices.
    pub fn kind(&self) -> RowKind {
        self.kind
    }
    /// The key letter or `CODE-activity-phase`; `-` for participation and
    /// franchise rows.
    pub fn code(&self) -> &str {
        &self.code
    }
    /// The zone.
    pub fn zone(&self) -> TariffZone {
        self.zone
    }
    /// The grid.
    pub fn grid(&self) -> Grid {
        self.grid
    }
    /// First day (inclusive).
    pub fn from(&self) -> Date {
        self.from
    }
    /// Last day (inclusive), `None` while in force.
    pub fn until(&self) -> Option<Date> {
        self.until
    }
    /// The price (for NGAP, of the key letter with coefficient 1).
    pub fn price(&self) -> Cents {
        self.price
    }
    /// The public text that states the price and its date.
    pub fn source(&self) -> &str {
        &self.source
    }

    fn covers(&self, date: Date) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

type Key = (RowKind, String, TariffZone, Grid);

/// A validated tariff table.
#[derive(Clone, PartialEq, Eq)]
pub struct TariffTable {
    /// Rows of each (kind, code, zone, grid), sorted by `from`, contiguous.
    rows: BTreeMap<Key, Vec<TariffRow>>,
}

impl fmt::Debug for TariffTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TariffTable")
            .field("rows", &self.len())
            .finish()
    }
}

/// The embedded table's text.
const EMBEDDED: &str = include_str!("../data/tariffs.csv");

impl TariffTable {
    /// The table this version of the crate ships (`data/tariffs.csv`).
    pub fn embedded() -> TariffTable {
        // The embedded table is checked by the crate's tests; an empty
        // table (every lookup refused) is the safe fallback.
        TariffTable::parse(EMBEDDED).unwrap_or(TariffTable {
            rows: BTreeMap::new(),
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.values().map(Vec::len).sum()
    }

    /// Whether the table has no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every row, by kind, code, zone, grid and date.
    pub fn rows(&self) -> impl Iterator<Item = &TariffRow> {
        self.rows.values().flatten()
    }

    /// The row that prices `kind`/`code` on `date` in `zone` for a
    /// professional of `grid`: a row of that grid, else a row of
    /// [`Grid::All`].
    pub fn find(
        &self,
        kind: RowKind,
        code: &str,
        zone: TariffZone,
        grid: Grid,
        date: Date,
    ) -> Option<&TariffRow> {
        let lookup = |g: Grid| {
            self.rows
                .get(&(kind, code.to_owned(), zone, g))
                .and_then(|rows| rows.iter().find(|r| r.covers(date)))
        };
        lookup(grid).or_else(|| {
            if grid == Grid::All {
                None
            } else {
                lookup(Grid::All)
            }
        })
    }
}

#[cfg(test)]
mod tests;
