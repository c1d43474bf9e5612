use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::Error;

const HEADER: &str = "kind;code;zone;grid;from;until;price;source\n";

fn table(rows: &str) -> Result<TariffTable, Error> {
    TariffTable::parse(&format!("# test\n{HEADER}{rows}"))
}

fn problem(rows: &str) -> &'static str {
    match table(rows) {
        Err(Error::Tariff { problem, .. }) => problem,
        other => panic!("expected a tariff error, got {other:?}"),
    }
}

#[test]
fn the_embedded_table_loads_and_every_row_has_a_source() {
    let t = TariffTable::embedded();
    assert_eq!(TariffTable::parse(EMBEDDED).map(|_| ()), Ok(()));
    assert!(t.len() >= 10, "{} rows", t.len());
    for row in t.rows() {
        assert!(
            row.source().len() > 20,
            "row {} {} has no real source",
            row.kind().as_str(),
            row.code()
        );
    }
    // It is exactly the file (nothing dropped by the fallback).
    assert_eq!(TariffTable::parse(EMBEDDED).unwrap(), t);
}

#[test]
fn the_embedded_table_has_the_public_g_and_apc_steps() {
    let t = TariffTable::embedded();
    let g = |d| {
        t.find(RowKind::Ngap, "G", TariffZone::Metropole, Grid::Optam, d)
            .map(|r| r.price().get())
    };
    assert_eq!(
        g(date!(2023 - 10 - 31)),
        None,
        "before the first attested date"
    );
    assert_eq!(g(date!(2023 - 11 - 01)), Some(2650));
    assert_eq!(g(date!(2024 - 12 - 21)), Some(2650));
    assert_eq!(g(date!(2024 - 12 - 22)), Some(3000));
    assert_eq!(g(date!(2026 - 11 - 29)), Some(3000));
    let apc = |d| {
        t.find(RowKind::Ngap, "APC", TariffZone::Metropole, Grid::Optam, d)
            .map(|r| r.price().get())
    };
    assert_eq!(apc(date!(2024 - 12 - 21)), Some(5650));
    assert_eq!(apc(date!(2024 - 12 - 22)), Some(6000));
    // No overseas G row has a source yet: refused, not guessed.
    assert_eq!(
        t.find(
            RowKind::Ngap,
            "G",
            TariffZone::Overseas,
            Grid::Optam,
            date!(2025 - 01 - 01)
        ),
        None
    );
    // AMI differs overseas; an `all` row serves every grid.
    let ami = |z| {
        t.find(
            RowKind::Ngap,
            "AMI",
            z,
            Grid::NonOptam,
            date!(2025 - 01 - 01),
        )
        .map(|r| r.price().get())
    };
    assert_eq!(ami(TariffZone::Metropole), Some(315));
    assert_eq!(ami(TariffZone::Overseas), Some(330));
    let pf = |d| {
        t.find(
            RowKind::Participation,
            "-",
            TariffZone::Metropole,
            Grid::All,
            d,
        )
        .map(|r| r.price().get())
    };
    assert_eq!(pf(date!(2024 - 05 - 14)), Some(100));
    assert_eq!(pf(date!(2024 - 05 - 15)), Some(200));
}

#[test]
fn grid_rows_win_over_all_rows() {
    let t = table(
        "ccam;DEQP003-1-0;metro;optam;2025-01-01;;14.26;test source one two three four\n\
         ccam;DEQP003-1-0;metro;non-optam;2025-01-01;;13.52;test source one two three four\n",
    )
    .unwrap();
    let p = |g| {
        t.find(
            RowKind::Ccam,
            "DEQP003-1-0",
            TariffZone::Metropole,
            g,
            date!(2025 - 06 - 01),
        )
        .map(|r| r.price().get())
    };
    assert_eq!(p(Grid::Optam), Some(1426));
    assert_eq!(p(Grid::NonOptam), Some(1352));
    assert_eq!(p(Grid::All), None);
}

#[test]
fn periods_must_be_contiguous_and_only_the_last_open() {
    let row = |from: &str, until: &str| format!("ngap;G;metro;optam;{from};{until};30.00;src\n");
    assert_eq!(
        problem(&(row("2024-01-01", "2024-06-30") + &row("2024-06-30", ""))),
        "two periods of the same act overlap"
    );
    assert_eq!(
        problem(&(row("2024-01-01", "2024-06-29") + &row("2024-07-01", ""))),
        "gap between two periods of the same act"
    );
    assert_eq!(
        problem(&(row("2024-01-01", "") + &row("2024-07-01", ""))),
        "an open-ended period is followed by another"
    );
    assert_eq!(
        problem(&row("2024-07-01", "2024-06-30")),
        "period ends before it starts"
    );
    // In any order in the file.
    assert!(table(&(row("2024-07-01", "") + &row("2024-01-01", "2024-06-30"))).is_ok());
    // The same act in another zone or grid is another series.
    assert!(table(&(row("2024-01-01", "") + "ngap;G;dom;optam;2024-01-01;;30.00;src\n")).is_ok());
}

#[test]
fn malformed_rows_are_refused_with_their_line() {
    for (rows, expected) in [
        (
            "ngap;G;metro;optam;2024-01-01;;30.00;\n",
            "row without a source",
        ),
        (
            "ngap;G;metro;optam;2024-01-01;;30.00;  \n",
            "row without a source",
        ),
        (
            "ngap;g;metro;optam;2024-01-01;;30.00;s\n",
            "invalid code for its kind",
        ),
        (
            "ccam;DEQP003;metro;optam;2024-01-01;;30.00;s\n",
            "invalid code for its kind",
        ),
        (
            "ccam;DEQP003-1-0+F;metro;optam;2024-01-01;;30.00;s\n",
            "invalid code for its kind",
        ),
        (
            "participation;G;metro;all;2024-01-01;;2.00;s\n",
            "invalid code for its kind",
        ),
        ("ngap;G;paris;optam;2024-01-01;;30.00;s\n", "unknown zone"),
        ("ngap;G;metro;s1;2024-01-01;;30.00;s\n", "unknown grid"),
        ("act;G;metro;optam;2024-01-01;;30.00;s\n", "unknown kind"),
        (
            "ngap;G;metro;optam;2024-02-30;;30.00;s\n",
            "invalid from date",
        ),
        (
            "ngap;G;metro;optam;2024-1-01;;30.00;s\n",
            "invalid from date",
        ),
        (
            "ngap;G;metro;optam;2024-01-01;tomorrow;30.00;s\n",
            "invalid until date",
        ),
        ("ngap;G;metro;optam;2024-01-01;;30.001;s\n", "invalid price"),
        ("ngap;G;metro;optam;2024-01-01;;-1;s\n", "invalid price"),
        ("ngap;G;metro;optam;2024-01-01;;30.00\n", "missing source"),
    ] {
        match table(rows) {
            Err(Error::Tariff { line: 3, problem }) => assert_eq!(problem, expected, "{rows}"),
            other => panic!("{rows}: {other:?}"),
        }
    }
    assert!(matches!(
        TariffTable::parse("ngap;G;metro;optam;2024-01-01;;30.00;s\n"),
        Err(Error::Tariff { line: 1, .. })
    ));
    assert!(matches!(
        TariffTable::parse("# only comments\n"),
        Err(Error::Tariff { line: 0, .. })
    ));
    let long_source = format!(
        "ngap;G;metro;optam;2024-01-01;;30.00;{}\n",
        "s".repeat(MAX_SOURCE + 1)
    );
    assert_eq!(problem(&long_source), "source too long");
    assert_eq!(
        problem(&format!(
            "ngap;G;metro;optam;2024-01-01;;30.00;{}\n",
            "s".repeat(MAX_LINE)
        )),
        "line too long"
    );
    assert!(matches!(
        TariffTable::parse(&"#".repeat(MAX_TABLE_BYTES + 1)),
        Err(Error::Tariff { line: 0, .. })
    ));
}

proptest! {
    #[test]
    fn parsing_never_panics(text in "\\PC{0,300}") {
        let _ = table(&text);
    }

    /// A random series of contiguous periods loads, and every date inside
    /// it finds exactly the row whose period holds it.
    #[test]
    fn lookups_find_the_period_that_holds_the_date(lengths in proptest::collection::vec(1i64..400, 1..8), probe in 0i64..3000) {
        let start = date!(2020 - 01 - 01);
        let mut rows = String::new();
        let mut from = start;
        let mut periods = Vec::new();
        for (i, len) in lengths.iter().enumerate() {
            let last = i + 1 == lengths.len();
            let until = from + time::Duration::days(len - 1);
            let until_text = if last { String::new() } else { until.to_string() };
            rows += &format!("ngap;G;metro;optam;{from};{until_text};{}.00;src\n", 10 + i);
            periods.push((from, if last { None } else { Some(until) }, 1000 + 100 * i as u32));
            from = until + time::Duration::days(1);
        }
        let t = table(&rows).unwrap();
        let day = start + time::Duration::days(probe) - time::Duration::days(10);
        let expected = periods.iter().find(|(f, u, _)| *f <= day && u.is_none_or(|u| day <= u)).map(|p| p.2);
        let found = t.find(RowKind::Ngap, "G", TariffZone::Metropole, Grid::Optam, day).map(|r| r.price().get());
        prop_assert_eq!(found, expected);
    }
}

#[test]
fn a_source_may_hold_semicolons() {
    let t = table("ngap;G;metro;optam;2024-01-01;;30.00;JO 2024; page 3; art. 1\n").unwrap();
    assert_eq!(
        t.rows().next().map(TariffRow::source),
        Some("JO 2024; page 3; art. 1")
    );
}

/// A tariff file saved by a Windows spreadsheet: a byte-order mark and CR
/// LF line endings, read as the same table.
#[test]
fn a_windows_file_reads_as_the_same_table() {
    let windows = format!("\u{feff}{}", EMBEDDED.replace('\n', "\r\n"));
    assert!(TariffTable::parse(&windows).unwrap() == TariffTable::embedded());
}
