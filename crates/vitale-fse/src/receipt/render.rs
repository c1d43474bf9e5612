//! The receipt as the patient reads it: plain text and an HTML fragment,
//! in French.

use core::fmt::Write as _;

use time::Date;

use super::Receipt;
use crate::money::{Cents, Rate, format_rate};

/// `30,00 €`: euros, a decimal comma, two decimals, a space and the sign.
pub(super) fn euros(c: Cents) -> String {
    format!("{},{:02} €", c.get() / 100, c.get() % 100)
}

/// `70 %`, `62,5 %`: the rate with a decimal comma.
pub(super) fn rate(r: Rate) -> String {
    format_rate(r).replace('.', ",")
}

/// `05/01/2026`.
fn day(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

fn yes_no(b: bool) -> &'static str {
    if b { "oui" } else { "non" }
}

/// The rows of the receipt's parts, shared by both forms.
struct Parts {
    head: Vec<(&'static str, String)>,
    table: Vec<[String; 6]>,
    total: [String; 6],
    money: Vec<(&'static str, String)>,
    footer: String,
}

const COLUMNS: [&str; 6] = [
    "Acte",
    "Honoraires",
    "Taux AMO",
    "AMO",
    "AMC",
    "Reste à charge",
];

impl Receipt {
    fn parts(&self) -> Parts {
        let specialty = match self.specialty_label() {
            Some(label) => format!("{label} ({})", self.specialty.as_str()),
            None => format!("code {}", self.specialty.as_str()),
        };
        let head = vec![
            ("Facture n°", self.invoice.to_string()),
            ("Date des soins", day(self.date)),
            ("Professionnel (n° AM)", self.professional.to_string()),
            ("Spécialité", specialty),
            ("Bénéficiaire", format!("rang {}", self.rank.get())),
        ];
        let table = self
            .lines
            .iter()
            .map(|l| {
                [
                    l.act.to_string(),
                    euros(l.fee),
                    rate(l.amo_rate),
                    euros(l.amo),
                    euros(l.amc),
                    euros(l.patient),
                ]
            })
            .collect();
        let t = &self.totals;
        let total = [
            "Total".to_owned(),
            euros(t.fee),
            String::new(),
            euros(t.amo),
            euros(t.amc),
            euros(t.patient),
        ];
        let money = vec![
            ("Participation forfaitaire", euros(self.participation)),
            ("Franchise médicale", euros(self.franchise)),
            ("Tiers payant AMO", yes_no(self.third_party_amo).to_owned()),
            ("Tiers payant AMC", yes_no(self.third_party_amc).to_owned()),
            ("Payé au professionnel", euros(t.paid_at_desk)),
            ("Remboursement AMO attendu", euros(t.amo_reimbursement)),
            ("Remboursement AMC attendu", euros(t.amc_reimbursement)),
        ];
        let footer = format!("Reçu affiché jusqu'au {}.", day(self.valid_until));
        Parts {
            head,
            table,
            total,
            money,
            footer,
        }
    }

    /// The receipt as plain text, in French, columns aligned (for a
    /// monospaced font), amounts as `30,00 €`.
    ///
    /// ```text
    /// REÇU DE SOINS
    /// Facture n°             000042
    /// Date des soins         05/01/2026
    /// Professionnel (n° AM)  751234567
    /// Spécialité             Médecine générale (01)
    /// Bénéficiaire           rang 1
    ///
    /// Acte   Honoraires  Taux AMO      AMO     AMC  Reste à charge
    /// G         30,00 €      70 %  21,00 €  0,00 €          9,00 €
    /// Total     30,00 €            21,00 €  0,00 €          9,00 €
    ///
    /// Participation forfaitaire   2,00 €
    /// Franchise médicale          0,00 €
    /// Tiers payant AMO               non
    /// Tiers payant AMC               non
    /// Payé au professionnel      30,00 €
    /// Remboursement AMO attendu  19,00 €
    /// Remboursement AMC attendu   0,00 €
    ///
    /// Reçu affiché jusqu'au 12/01/2026.
    /// ```
    pub fn to_text(&self) -> String {
        let p = self.parts();
        let mut out = String::from("REÇU DE SOINS\n");
        pairs(&mut out, &p.head, false);
        out.push('\n');
        let mut rows: Vec<[String; 6]> = Vec::with_capacity(p.table.len() + 2);
        rows.push(COLUMNS.map(str::to_owned));
        rows.extend(p.table);
        rows.push(p.total);
        let mut widths = [0usize; 6];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in &rows {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
                let pad = " ".repeat(w.saturating_sub(cell.chars().count()));
                if i == 0 {
                    line.push_str(cell);
                    line.push_str(&pad);
                } else {
                    line.push_str("  ");
                    line.push_str(&pad);
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
        pairs(&mut out, &p.money, true);
        out.push('\n');
        out.push_str(&p.footer);
        out.push('\n');
        out
    }

    /// The receipt as a self-contained HTML fragment (a `<section>`, no
    /// script, no style, no external resource), in French; every text is
    /// escaped.
    pub fn to_html(&self) -> String {
        let p = self.parts();
        let mut out = String::from(
            "<section class=\"vitale-receipt\" lang=\"fr\">\n<h2>Reçu de soins</h2>\n",
        );
        definitions(&mut out, "receipt-head", &p.head);
        out.push_str("<table class=\"receipt-acts\">\n<thead><tr>");
        for c in COLUMNS {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape(c));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &p.table {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
                let close = if i == 0 { "th" } else { "td" };
                let _ = write!(out, "<{tag}>{}</{close}>", escape(cell));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n<tfoot><tr>");
        for (i, cell) in p.total.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            let _ = write!(out, "<{tag}>{}</{close}>", escape(cell));
        }
        out.push_str("</tr></tfoot>\n</table>\n");
        definitions(&mut out, "receipt-amounts", &p.money);
        let _ = writeln!(out, "<p>{}</p>", escape(&p.footer));
        out.push_str("</section>\n");
        out
    }
}

/// `label  value` lines, labels padded to the longest; values right-aligned
/// when `align_values` (amounts).
fn pairs(out: &mut String, rows: &[(&str, String)], align_values: bool) {
    let label_w = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let value_w = rows
        .iter()
        .map(|(_, v)| v.chars().count())
        .max()
        .unwrap_or(0);
    for (label, value) in rows {
        out.push_str(label);
        out.push_str(&" ".repeat(label_w.saturating_sub(label.chars().count()) + 2));
        if align_values {
            out.push_str(&" ".repeat(value_w.saturating_sub(value.chars().count())));
        }
        out.push_str(value);
        out.push('\n');
    }
}

fn definitions(out: &mut String, class: &str, rows: &[(&str, String)]) {
    let _ = writeln!(out, "<dl class=\"{}\">", escape(class));
    for (label, value) in rows {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
    }
    out.push_str("</dl>\n");
}

/// Escapes text for HTML element content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
