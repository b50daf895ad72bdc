//! Bank statements exported as CSV, read through [`CsvProfile`]s: the user's profiles
//! first, then the built-in ones of `config/csv_profiles.toml` (Qonto, Revolut Business,
//! Crédit Agricole, GLS, and a generic profile for common French, English and German headers).
//!
//! Exports differ in every way a CSV can: separator, a preamble before the header,
//! multi-line quoted labels, trailing separators, signed amounts or separate debit/credit
//! columns, decimal comma or dot, pending lines, a running balance.

mod layout;
mod records;
mod rows;

use crate::domain::model::{AccountRef, Balance, NewBankTransaction, NewStatement, SourceLocation};
use crate::domain::money::Currency;
use crate::import::bank_common::{DateEvidence, DateOrder, DecimalEvidence};
use crate::import::csv_profile::{CsvProfile, DecimalMark, builtin_profiles};
use crate::import::text::{DecimalStyle, normalise_iban};
use crate::import::{
    BankLineSink, Format, ImportBatch, ImportError, ImportResult, ParseContext, csv_separator,
};
use chrono::NaiveDate;
use layout::Layout;
use records::Records;
use rows::{Row, RowOutcome, RowReader};
use rust_decimal::Decimal;

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut collected = Collect::default();
    let mut batch = parse_into(text, ctx, &mut collected)?;
    for (statement, lines) in batch.statements.iter_mut().zip(collected.0) {
        statement.transactions = lines;
    }
    Ok(batch)
}

/// Keeps every line, for [`parse`].
#[derive(Default)]
struct Collect(Vec<Vec<NewBankTransaction>>);

impl BankLineSink for Collect {
    type Error = ImportError;

    fn statement(&mut self, _account: &AccountRef) -> ImportResult<()> {
        self.0.push(Vec::new());
        Ok(())
    }

    fn line(&mut self, statement: usize, line: NewBankTransaction) -> ImportResult<()> {
        if let Some(lines) = self.0.get_mut(statement) {
            lines.push(line);
        }
        Ok(())
    }
}

/// Reads the file and hands each bank line to `sink` as soon as it is read, so that a
/// million-line export is never held whole. The batch returned holds the statements
/// (account and closing balance, without their lines) and the warnings.
pub fn parse_into<S: BankLineSink>(
    text: &str,
    ctx: &ParseContext,
    sink: &mut S,
) -> Result<ImportBatch, S::Error> {
    let mut batch = ImportBatch::new(Format::BankCsv);
    let profiles: Vec<CsvProfile> = ctx
        .csv_profiles
        .iter()
        .chain(builtin_profiles())
        .cloned()
        .collect();
    let Some(layout) = layout::find_layout(text, &profiles) else {
        if let Some(e) = layout::separator_mismatch(text, &profiles) {
            return Err(e.into());
        }
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first: String = first.chars().take(120).collect();
        return Err(ImportError::at_line(1, format!("no CSV profile recognises the columns of this bank export (\"{first}\")"))
            .hint("add a profile for its columns under [[import.csv_profiles]] in your config file (--config, or ~/.config/encours/config.toml); config/csv_profiles.toml has examples to copy").into());
    };
    let (style, day_first) = settle_styles(text, &layout)?;
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
    let mut records = Records::new(text, &layout);
    let mut record = csv::StringRecord::new();
    let header_len = layout.header.len();
    while let Some(line) = records.next(&mut record)? {
        // Only a row longer than the header or of one field can betray a wrong separator;
        // the others go by without a copy.
        if record.len() > header_len || record.len() == 1 {
            let cells: Vec<String> = record.iter().map(str::to_string).collect();
            csv_separator::check_rows(
                header_len,
                layout.header_line + 1,
                layout.delimiter,
                [(line, cells.as_slice())],
            )?;
        }
        let row = Row {
            line,
            cells: &record,
        };
        let RowOutcome::Lines {
            account,
            lines,
            balance,
        } = reader.read(&row, &mut batch)?
        else {
            continue;
        };
        let key = account.as_deref().or(default_account.as_deref());
        let i = match groups.iter().position(|g| g.key.as_deref() == key) {
            Some(i) => i,
            None => {
                let currency = lines.first().map_or(ctx.default_currency, |t| t.currency);
                let group = Group::new(key.map(str::to_string), currency);
                sink.statement(&group.account)?;
                groups.push(group);
                groups.len() - 1
            }
        };
        if let (Some(balance), Some(first)) = (balance, lines.first()) {
            groups[i].closing.see(first.booking_date, balance);
        }
        for l in lines {
            sink.line(i, l)?;
        }
    }
    if groups.is_empty() {
        return Err(ImportError::at_line(
            layout.header_line + 1,
            "the file has a header but no bank line",
        )
        .hint("export a period that has transactions")
        .into());
    }
    // CSV exports give no opening balance, so there is no sum of lines to check here.
    let only_one = groups.len() == 1;
    for g in groups {
        let closing = g.closing.balance(g.currency).or_else(|| {
            only_one
                .then(|| layout::preamble_balance(&preamble, g.currency))
                .flatten()
        });
        batch.statements.push(NewStatement {
            account: g.account,
            closing,
            ..Default::default()
        });
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
    account: AccountRef,
    currency: Currency,
    closing: Closing,
}

impl Group {
    fn new(key: Option<String>, currency: Currency) -> Group {
        Group {
            account: account_ref(key.as_deref(), currency),
            key,
            currency,
            closing: Closing::default(),
        }
    }
}

/// The running balance of the newest line, followed as the lines go by. Exports list lines
/// oldest or newest first, and within a day in that same order, so the direction of the
/// file decides which of the newest day's lines came last: the first one seen on that day
/// when the file runs newest first, else the last one.
#[derive(Default)]
struct Closing {
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// The first and the last balance seen on the newest day so far.
    newest_first_seen: Option<(NaiveDate, Decimal)>,
    newest_last_seen: Option<(NaiveDate, Decimal)>,
}

impl Closing {
    fn see(&mut self, date: NaiveDate, balance: Decimal) {
        self.first.get_or_insert(date);
        self.last = Some(date);
        match self.newest_first_seen {
            Some((d, _)) if d >= date => {}
            _ => self.newest_first_seen = Some((date, balance)),
        }
        match self.newest_last_seen {
            Some((d, _)) if d > date => {}
            _ => self.newest_last_seen = Some((date, balance)),
        }
    }

    fn balance(&self, currency: Currency) -> Option<Balance> {
        let newest_first = self.first? > self.last?;
        let (date, amount) = if newest_first {
            self.newest_first_seen?
        } else {
            self.newest_last_seen?
        };
        Some(Balance {
            date,
            amount,
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

/// How the file writes amounts and dates, decided from all of its values before any line
/// is read (a first pass over the records, only when the profile leaves either open).
fn settle_styles(text: &str, layout: &Layout) -> ImportResult<(DecimalStyle, bool)> {
    let c = &layout.columns;
    let fixed_style = match layout.profile.decimal_mark {
        DecimalMark::Dot => Some(DecimalStyle::Dot),
        DecimalMark::Comma => Some(DecimalStyle::Comma),
        DecimalMark::Auto => None,
    };
    let guess_dates = layout.profile.guess_date_order;
    let (mut amounts, mut dates) = (DecimalEvidence::default(), DateEvidence::default());
    if fixed_style.is_none() || guess_dates {
        let amount_cols: Vec<usize> = [c.amount, c.debit, c.credit, c.balance, c.fee]
            .into_iter()
            .flatten()
            .collect();
        let date_cols: Vec<usize> = [c.date, c.value_date].into_iter().flatten().collect();
        let mut records = Records::new(text, layout);
        let mut record = csv::StringRecord::new();
        while records.next(&mut record)?.is_some() {
            for cell in amount_cols.iter().filter_map(|i| record.get(*i)) {
                amounts.add(cell);
            }
            for cell in date_cols.iter().filter_map(|i| record.get(*i)) {
                dates.add(cell);
            }
        }
    }
    let style = fixed_style.unwrap_or_else(|| amounts.style());
    if !guess_dates {
        return Ok((style, layout.profile.day_first));
    }
    match dates.order() {
        DateOrder::DayFirst => Ok((style, true)),
        DateOrder::MonthFirst => Ok((style, false)),
        DateOrder::Ambiguous => Ok((style, layout.profile.day_first)),
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
