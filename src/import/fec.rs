//! The French FEC (Fichier des Écritures Comptables, art. A47 A-1 LPF): the company's whole
//! general ledger, one line per entry line, tab or pipe separated. We keep what the cockpit
//! needs from the customer (411) and supplier (401) accounts:
//!
//! - customer invoices and credit notes: the 411 lines of sales journals, grouped by entry
//!   and customer (`receivables`), plus opening balances ("à nouveaux") line by line;
//! - settlements: payments (411 credits from other journals) tied to invoices by the
//!   lettering code, which is unique only within one customer account;
//! - supplier invoices: 401 credits outside bank journals (`payables`).
//!
//! Everything else is read only to check that each entry balances: a FEC that does not is
//! truncated or damaged. An unbalanced entry that touches 411/401 is refused, since the
//! records taken from it would be wrong; any other is reported as a warning.

mod payables;
mod receivables;

use crate::domain::model::SourceLocation;
use crate::import::text::{self, DecimalStyle};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One FEC line, trimmed of its padding.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub line: usize,
    pub journal: String,
    pub journal_lib: String,
    pub entry: String,
    pub entry_date: NaiveDate,
    pub account: String,
    pub account_lib: String,
    pub aux: Option<String>,
    pub aux_lib: Option<String>,
    pub piece_ref: Option<String>,
    pub piece_date: Option<NaiveDate>,
    pub debit: Decimal,
    pub credit: Decimal,
    pub letter: Option<String>,
    pub letter_date: Option<NaiveDate>,
}

impl Line {
    /// Debit minus credit: positive on the debit side.
    pub fn net(&self) -> Decimal {
        self.debit - self.credit
    }

    pub fn key(&self) -> EntryKey {
        (self.journal.clone(), self.entry.clone())
    }

    /// The third party: the auxiliary account when there is one.
    pub fn party_code(&self) -> &str {
        self.aux.as_deref().unwrap_or(&self.account)
    }

    /// With an auxiliary account, CompteLib names the general account ("Clients"), not the
    /// customer: only CompAuxLib will do.
    pub fn party_name(&self) -> Option<&str> {
        match self.aux {
            Some(_) => self.aux_lib.as_deref(),
            None => Some(self.account_lib.as_str()).filter(|s| !s.is_empty()),
        }
    }

    pub fn document_date(&self) -> NaiveDate {
        self.piece_date.unwrap_or(self.entry_date)
    }
}

/// Entries are numbered per journal: the key is JournalCode + EcritureNum.
pub(crate) type EntryKey = (String, String);

pub(crate) fn is_customer(account: &str) -> bool {
    account.starts_with("411")
}

pub(crate) fn is_supplier(account: &str) -> bool {
    account.starts_with("401")
}

/// Bank (51x) and cash (53x) accounts: an entry that moves them is a payment.
pub(crate) fn is_cash(account: &str) -> bool {
    account.starts_with("51") || account.starts_with("53")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JournalKind {
    Opening,
    Sales,
    Other,
}

/// Journal codes are free text; the usual ones are recognised by name, and a journal with
/// revenue (70x) lines and no bank or cash line is a sales journal whatever its name
/// (`VE`, `VT`, `VTE`, or `J01`).
pub(crate) fn classify_journals(lines: &[Line]) -> HashMap<String, JournalKind> {
    let mut revenue: HashMap<&str, (bool, bool)> = HashMap::new();
    for l in lines {
        let e = revenue.entry(l.journal.as_str()).or_default();
        e.0 |= l.account.starts_with("70");
        e.1 |= is_cash(&l.account);
    }
    let mut kinds = HashMap::new();
    for l in lines {
        if kinds.contains_key(&l.journal) {
            continue;
        }
        let code = l.journal.to_uppercase();
        let lib = crate::import::csv_util::fold(&l.journal_lib);
        let kind = if ["AN", "ANO", "RAN", "AN0", "ANX", "OUV"].contains(&code.as_str())
            || ["nouveau", "ouverture", "opening"]
                .iter()
                .any(|w| lib.contains(w))
        {
            JournalKind::Opening
        } else if [
            "VE", "VT", "VTE", "VEN", "VENT", "VENTE", "VENTES", "V", "VTS", "SAL", "SALES",
        ]
        .contains(&code.as_str())
            || ["vente", "sales"].iter().any(|w| lib.contains(w))
            || revenue.get(l.journal.as_str()) == Some(&(true, false))
        {
            JournalKind::Sales
        } else {
            JournalKind::Other
        };
        kinds.insert(l.journal.clone(), kind);
    }
    kinds
}

/// PieceRef values that mean "no document".
pub(crate) fn piece_ref(raw: &str) -> Option<String> {
    let r = text::clean(raw);
    let folded = crate::import::csv_util::fold(&r);
    // RAN/AN: "report à nouveau", the label of every opening line.
    let placeholder = [
        "", "sans", "neant", "na", "n a", "aucun", "aucune", "0", "ran", "an", "ano",
    ]
    .contains(&folded.as_str());
    (!placeholder).then_some(r)
}

/// Gives each document a number unique within its scope (all customer invoices share one
/// scope; each supplier is its own): its PieceRef when no other document of the scope
/// uses it, else `fallback`. A PieceRef shared by several entries is a batch reference
/// (`VE 0123` for January's sales), not an invoice number.
pub(crate) struct Numbering {
    pub scope: String,
    pub piece: Option<String>,
    pub fallback: String,
}

pub(crate) fn assign_numbers(docs: &[Numbering]) -> Vec<String> {
    let mut uses: HashMap<(&str, String), usize> = HashMap::new();
    for d in docs {
        if let Some(p) = &d.piece {
            *uses
                .entry((d.scope.as_str(), text::normalise_reference(p)))
                .or_default() += 1;
        }
    }
    let mut taken: HashMap<(&str, String), usize> = HashMap::new();
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let base = match &d.piece {
            Some(p) if uses.get(&(d.scope.as_str(), text::normalise_reference(p))) == Some(&1) => {
                p.clone()
            }
            _ => d.fallback.clone(),
        };
        let n = taken.entry((d.scope.as_str(), base.clone())).or_default();
        *n += 1;
        out.push(if *n == 1 { base } else { format!("{base}-{n}") });
    }
    out
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let lines = read_lines(text)?;
    let mut batch = ImportBatch::new(Format::Fec);
    check_balance(&lines, &mut batch)?;
    let journals = classify_journals(&lines);
    receivables::import(&lines, &journals, ctx, &mut batch);
    payables::import(&lines, &journals, ctx, &mut batch);
    Ok(batch)
}

struct Columns {
    count: usize,
    idx: HashMap<&'static str, usize>,
}

const REQUIRED: [&str; 4] = ["journalcode", "ecriturenum", "ecrituredate", "comptenum"];
const OPTIONAL: [&str; 14] = [
    "journallib",
    "comptelib",
    "compauxnum",
    "compauxlib",
    "pieceref",
    "piecedate",
    "ecriturelib",
    "debit",
    "credit",
    "ecriturelet",
    "datelet",
    "montant",
    "sens",
    "idevise",
];

fn read_header(header: &str) -> ImportResult<(char, Columns)> {
    let delim = if header.contains('\t') {
        '\t'
    } else if header.contains('|') {
        '|'
    } else {
        return Err(
            ImportError::at_line(1, "the FEC header is neither tab- nor pipe-separated")
                .hint("export the FEC again: the format requires a tab or '|' between columns"),
        );
    };
    let names: Vec<String> = header
        .split(delim)
        .map(|h| {
            h.trim()
                .trim_matches('"')
                .trim_start_matches('\u{feff}')
                .to_lowercase()
        })
        .collect();
    let mut idx = HashMap::new();
    for name in REQUIRED.iter().chain(OPTIONAL.iter()) {
        if let Some(i) = names.iter().position(|n| n == name) {
            idx.insert(*name, i);
        }
    }
    for name in REQUIRED {
        if !idx.contains_key(name) {
            return Err(
                ImportError::at_line(1, format!("the FEC header has no '{name}' column")).hint(
                    "the file must carry the 18 standard FEC columns (JournalCode … Idevise)",
                ),
            );
        }
    }
    let amounts = (idx.contains_key("debit") && idx.contains_key("credit"))
        || (idx.contains_key("montant") && idx.contains_key("sens"));
    if !amounts {
        return Err(ImportError::at_line(
            1,
            "the FEC header has neither Debit/Credit nor Montant/Sens columns",
        )
        .hint("export the FEC again with its amount columns"));
    }
    let count = names.len() - usize::from(names.last().is_some_and(|n| n.is_empty()));
    Ok((delim, Columns { count, idx }))
}

fn fec_amount(raw: &str, line: usize, field: &str) -> ImportResult<Decimal> {
    if raw.is_empty() {
        return Ok(Decimal::ZERO);
    }
    // No thousands separators in a FEC: the one mark there is, is the decimal mark.
    let style = if raw.contains(',') {
        DecimalStyle::Comma
    } else {
        DecimalStyle::Dot
    };
    text::parse_amount(raw, style).ok_or_else(|| {
        ImportError::at_line(line, format!("\"{raw}\" is not an amount"))
            .field(field)
            .hint("FEC amounts are written like 1234,56: export the FEC again")
    })
}

fn fec_date(raw: &str, line: usize, field: &str) -> ImportResult<Option<NaiveDate>> {
    if raw.is_empty() || raw.chars().all(|c| c == '0') {
        return Ok(None);
    }
    text::parse_date(raw, true).map(Some).ok_or_else(|| {
        ImportError::at_line(line, format!("\"{raw}\" is not a date"))
            .field(field)
            .hint("FEC dates are written yyyymmdd: export the FEC again")
    })
}

fn read_lines(text: &str) -> ImportResult<Vec<Line>> {
    let mut physical = text.trim_start_matches('\u{feff}').split('\n').enumerate();
    let (delim, cols) = loop {
        match physical.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((_, l)) => break read_header(l.trim_end_matches('\r'))?,
            None => return Err(ImportError::at_line(1, "the FEC is empty").hint("export it again")),
        }
    };
    let mut out = Vec::new();
    for (i, raw) in physical {
        let n = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let mut fields: Vec<&str> = raw
            .split(delim)
            .map(|f| f.trim().trim_matches('"').trim())
            .collect();
        // The trailing `|` some tools write gives an extra empty field.
        while fields.len() > cols.count && fields.last().is_some_and(|f| f.is_empty()) {
            fields.pop();
        }
        if fields.len() > cols.count {
            return Err(ImportError::at_line(
                n,
                format!(
                    "{} fields where the header has {}",
                    fields.len(),
                    cols.count
                ),
            )
            .hint("a label may contain the separator: export the FEC again"));
        }
        // Some tools drop empty trailing columns; a line cut short elsewhere is caught by
        // the required fields below or by the entry balance.
        fields.resize(cols.count, "");
        let get = |name: &str| cols.idx.get(name).map(|i| fields[*i]).unwrap_or("");
        let entry_date = fec_date(get("ecrituredate"), n, "EcritureDate")?.ok_or_else(|| {
            ImportError::at_line(n, "the entry date is empty")
                .field("EcritureDate")
                .hint("every FEC line needs its EcritureDate: export the FEC again")
        })?;
        let (debit, credit) = if cols.idx.contains_key("debit") {
            (
                fec_amount(get("debit"), n, "Debit")?,
                fec_amount(get("credit"), n, "Credit")?,
            )
        } else {
            let amount = fec_amount(get("montant"), n, "Montant")?;
            match get("sens").to_uppercase().as_str() {
                "D" | "+1" | "1" => (amount, Decimal::ZERO),
                "C" | "-1" => (Decimal::ZERO, amount),
                other => {
                    return Err(ImportError::at_line(
                        n,
                        format!("\"{other}\" is not a side (D or C)"),
                    )
                    .field("Sens")
                    .hint("export the FEC again"));
                }
            }
        };
        let account = text::clean(get("comptenum"));
        if account.is_empty() {
            return Err(ImportError::at_line(n, "the account number is empty")
                .field("CompteNum")
                .hint("every FEC line needs its CompteNum: export the FEC again"));
        }
        out.push(Line {
            line: n,
            journal: text::clean(get("journalcode")),
            journal_lib: text::clean(get("journallib")),
            entry: text::clean(get("ecriturenum")),
            entry_date,
            account,
            account_lib: text::clean(get("comptelib")),
            aux: text::clean_opt(get("compauxnum")),
            aux_lib: text::clean_opt(get("compauxlib")),
            piece_ref: piece_ref(get("pieceref")),
            piece_date: fec_date(get("piecedate"), n, "PieceDate")?,
            debit,
            credit,
            letter: text::clean_opt(get("ecriturelet")),
            letter_date: fec_date(get("datelet"), n, "DateLet")?,
        });
    }
    Ok(out)
}

fn check_balance(lines: &[Line], batch: &mut ImportBatch) -> ImportResult<()> {
    let mut entries: HashMap<EntryKey, (Decimal, usize, bool)> = HashMap::new();
    for l in lines {
        let e = entries
            .entry(l.key())
            .or_insert((Decimal::ZERO, l.line, false));
        e.0 += l.net();
        e.2 |= is_customer(&l.account) || is_supplier(&l.account);
    }
    let mut unbalanced: Vec<(&EntryKey, &(Decimal, usize, bool))> =
        entries.iter().filter(|(_, v)| !v.0.is_zero()).collect();
    unbalanced.sort_by_key(|(_, v)| v.1);
    for ((journal, entry), (gap, line, third_party)) in unbalanced {
        let msg = format!("entry {journal} {entry} does not balance: debits minus credits = {gap}");
        if *third_party {
            return Err(ImportError::at_line(*line, msg).field("EcritureNum").hint(
                "a FEC entry must balance; this file is truncated or damaged: export it again",
            ));
        }
        batch.warn(
            SourceLocation::Line(*line),
            format!("{msg} (the file may be truncated)"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_auxiliary_account_without_label_is_not_named_after_the_general_account() {
        let text = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise\n\
            VE|Ventes|1|20240110|411000|Clients|C9||F9|20240110|F9|10,00|0,00||||||\n\
            VE|Ventes|1|20240110|706000|Ventes|||F9|20240110|F9|0,00|10,00||||||\n\
            VE|Ventes|2|20240111|411DUP|Dupont SA|||F10|20240111|F10|12,00|0,00||||||\n\
            VE|Ventes|2|20240111|706000|Ventes|||F10|20240111|F10|0,00|12,00||||||\n";
        let b = parse(text, &ParseContext::default()).unwrap();
        let names: Vec<_> = b
            .customers
            .iter()
            .map(|c| (c.code.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(names, [("C9", "C9"), ("411DUP", "Dupont SA")]);
    }

    #[test]
    fn placeholder_piece_refs_are_none() {
        assert_eq!(piece_ref("sans    "), None);
        assert_eq!(piece_ref("  "), None);
        assert_eq!(piece_ref("VE  0123"), Some("VE 0123".into()));
    }

    #[test]
    fn shared_piece_refs_fall_back() {
        let d = |s: &str, p: Option<&str>, f: &str| Numbering {
            scope: s.to_string(),
            piece: p.map(str::to_string),
            fallback: f.to_string(),
        };
        let docs = vec![
            d("", Some("VE 0123"), "VE 0123-1"),
            d("", Some("VE 0123"), "VE 0123-2"),
            d("", Some("F-9"), "x"),
            d("", None, "AN-C1-4"),
            d("", None, "AN-C1-4"),
            d("a", Some("F1"), "x"),
            d("b", Some("F1"), "y"),
        ];
        assert_eq!(
            assign_numbers(&docs),
            vec![
                "VE 0123-1",
                "VE 0123-2",
                "F-9",
                "AN-C1-4",
                "AN-C1-4-2",
                "F1",
                "F1"
            ]
        );
    }
}
