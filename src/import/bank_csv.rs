//! Bank statements exported as CSV, read through [`CsvProfile`]s: the user's profiles
//! first, then the built-in ones of `config/csv_profiles.toml` (Qonto, Revolut Business,
//! Crédit Agricole, GLS, and a generic profile for common French, English and German headers).
//!
//! Exports differ in every way a CSV can: separator, a preamble before the header,
//! multi-line quoted labels, trailing separators, signed amounts or separate debit/credit
//! columns, decimal comma or dot, pending lines, a running balance.

mod layout;
mod rows;

use crate::domain::model::{AccountRef, Balance, NewStatement, SourceLocation};
use crate::import::bank_common::{
    DateOrder, check_balances, infer_date_order, infer_decimal_style,
};
use crate::import::csv_profile::{CsvProfile, DecimalMark, builtin_profiles};
use crate::import::text::{DecimalStyle, normalise_iban};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext, csv_separator};
use chrono::NaiveDate;
use layout::Layout;
use rows::{Row, RowOutcome, RowReader};
use rust_decimal::Decimal;

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut batch = ImportBatch::new(Format::BankCsv);
    let profiles: Vec<CsvProfile> = ctx
        .csv_profiles
        .iter()
        .chain(builtin_profiles())
        .cloned()
        .collect();
    let Some(layout) = layout::find_layout(text, &profiles) else {
        if let Some(e) = layout::separator_mismatch(text, &profiles) {
            return Err(e);
        }
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first: String = first.chars().take(120).collect();
        return Err(ImportError::at_line(1, format!("no CSV profile recognises the columns of this bank export (\"{first}\")"))
            .hint("add a profile for its columns in config/default.toml under [[import.csv_profiles]]; config/csv_profiles.toml has examples to copy"));
    };
    let rows = read_rows(text, &layout)?;
    let cells = rows.iter().map(|r| (r.line, r.cells.as_slice()));
    csv_separator::check_rows(
        layout.header.len(),
        layout.header_line + 1,
        layout.delimiter,
        cells,
    )?;
    let style = decimal_style(&layout, &rows);
    let day_first = day_first(&layout, &rows)?;
    let preamble_lines: Vec<&str> = text.lines().take(layout.header_line).collect();
    let preamble = layout::read_preamble(&preamble_lines, layout.delimiter, day_first);
    let reader = RowReader {
        layout: &layout,
        style,
        day_first,
        default_currency: ctx.default_currency,
    };

    let default_account = preamble
        .iban
        .clone()
        .or(preamble.number.clone())
        .or(layout.profile.account.clone());
    let mut groups: Vec<Group> = Vec::new();
    for row in &rows {
        let RowOutcome::Lines {
            account,
            lines,
            balance,
        } = reader.read(row, &mut batch)?
        else {
            continue;
        };
        let key = account.or(default_account.clone());
        let i = match groups.iter().position(|g| g.key == key) {
            Some(i) => i,
            None => {
                groups.push(Group::new(key, row.line));
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        if let (Some(balance), Some(first)) = (balance, lines.first()) {
            g.balances.push((first.booking_date, balance));
        }
        g.statement.transactions.extend(lines);
    }
    if groups.is_empty() {
        return Err(ImportError::at_line(
            layout.header_line + 1,
            "the file has a header but no bank line",
        )
        .hint("export a period that has transactions"));
    }
    let only_one = groups.len() == 1;
    for mut g in groups {
        let currency = g
            .statement
            .transactions
            .first()
            .map_or(ctx.default_currency, |t| t.currency);
        g.statement.account = account_ref(g.key.as_deref(), currency);
        g.statement.closing = g.closing(currency).or_else(|| {
            only_one
                .then(|| layout::preamble_balance(&preamble, currency))
                .flatten()
        });
        check_balances(&g.statement, SourceLocation::Line(g.line), &mut batch);
        batch.statements.push(g.statement);
    }
    if batch.statements.iter().all(|s| s.account.key().is_none()) {
        batch.warn(
            SourceLocation::Unknown,
            "the file does not say which account it belongs to; choose the account, or set `account` in the CSV profile",
        );
    }
    Ok(batch)
}

struct Group {
    key: Option<String>,
    line: usize,
    statement: NewStatement,
    /// (booking date, running balance after the line), in file order.
    balances: Vec<(NaiveDate, Decimal)>,
}

impl Group {
    fn new(key: Option<String>, line: usize) -> Group {
        Group {
            key,
            line,
            statement: NewStatement::default(),
            balances: Vec::new(),
        }
    }

    /// The running balance of the newest line. Exports list lines oldest or newest first,
    /// and within a day in that same order, so the direction of the file decides which of
    /// the newest day's lines came last.
    fn closing(&self, currency: crate::domain::money::Currency) -> Option<Balance> {
        let (first, last) = (self.balances.first()?, self.balances.last()?);
        let newest_first = first.0 > last.0;
        let mut best = first;
        for b in &self.balances {
            if b.0 > best.0 || (b.0 == best.0 && !newest_first) {
                best = b;
            }
        }
        Some(Balance {
            date: best.0,
            amount: best.1,
            currency,
        })
    }
}

fn account_ref(key: Option<&str>, currency: crate::domain::money::Currency) -> AccountRef {
    let Some(key) = key else {
        return AccountRef {
            currency: Some(currency),
            ..Default::default()
        };
    };
    match normalise_iban(key) {
        Some(iban) => AccountRef {
            iban: Some(iban),
            currency: Some(currency),
            ..Default::default()
        },
        None => AccountRef {
            number: Some(key.to_string()),
            currency: Some(currency),
            ..Default::default()
        },
    }
}

fn read_rows(text: &str, layout: &Layout) -> ImportResult<Vec<Row>> {
    let body = &text[layout.header_offset..];
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(layout.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut rows = Vec::new();
    // The reader's own line numbers drift by one after a CRLF, so lines are counted from
    // the byte offset of each record, skipping the end of the previous line.
    let bytes = body.as_bytes();
    let (mut counted_to, mut line_at) = (0usize, 1usize);
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            ImportError::at_line(
                layout.header_line + line.max(1),
                format!("the CSV cannot be read: {e}"),
            )
            .hint("export the file again; if it was edited, check its quotes")
        })?;
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= counted_to {
            line_at += bytes[counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted_to = start;
        }
        if i == 0 {
            continue;
        }
        rows.push(Row {
            line: layout.header_line + line_at,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(rows)
}

fn cells<'a>(rows: &'a [Row], cols: &[Option<usize>]) -> Vec<&'a str> {
    rows.iter()
        .flat_map(|r| {
            cols.iter()
                .filter_map(|c| c.and_then(|i| r.cells.get(i)).map(|s| s.as_str()))
        })
        .collect()
}

fn decimal_style(layout: &Layout, rows: &[Row]) -> DecimalStyle {
    let c = &layout.columns;
    match layout.profile.decimal_mark {
        DecimalMark::Dot => DecimalStyle::Dot,
        DecimalMark::Comma => DecimalStyle::Comma,
        DecimalMark::Auto => infer_decimal_style(cells(
            rows,
            &[c.amount, c.debit, c.credit, c.balance, c.fee],
        )),
    }
}

fn day_first(layout: &Layout, rows: &[Row]) -> ImportResult<bool> {
    if !layout.profile.guess_date_order {
        return Ok(layout.profile.day_first);
    }
    let c = &layout.columns;
    match infer_date_order(cells(rows, &[c.date, c.value_date])) {
        DateOrder::DayFirst => Ok(true),
        DateOrder::MonthFirst => Ok(false),
        DateOrder::Ambiguous => Ok(layout.profile.day_first),
        DateOrder::Conflicting => Err(ImportError::at_line(
            layout.header_line + 2,
            "the dates mix day/month and month/day order",
        )
        .field(
            c.date
                .and_then(|i| layout.header.get(i))
                .cloned()
                .unwrap_or_default(),
        )
        .hint("export the file again with one date format, or set day_first in a CSV profile")),
    }
}
