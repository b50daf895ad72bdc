//! QIF (Quicken Interchange Format) bank and card exports: `!Type:Bank` headers, one letter
//! per line (`D` date, `T`/`U` amount, `P` payee, `M` memo, `N` number), `^` ends a record.
//! QIF has no fixed date or number layout, so both are inferred from the whole file.

use crate::domain::model::{AccountRef, Balance, NewBankTransaction, NewStatement, SourceLocation};
use crate::import::bank_common::{
    DateOrder, find_rf_reference, full_year, infer_date_order, infer_decimal_style, mentions_return,
};
use crate::import::text::{clean, clean_opt, parse_amount};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    /// Bank, cash, card and other asset/liability accounts: statement lines.
    Cash,
    /// `!Account` blocks name the account the next section belongs to.
    Account,
    /// Investment lines, category lists, memorised transactions: not bank lines.
    Skipped,
}

#[derive(Debug, Default)]
struct RawRecord {
    line: usize,
    account: Option<String>,
    /// (code letter, value, line)
    fields: Vec<(char, String, usize)>,
}

impl RawRecord {
    fn get(&self, code: char) -> Option<(&str, usize)> {
        self.fields
            .iter()
            .find(|(c, v, _)| *c == code && !v.trim().is_empty())
            .map(|(_, v, l)| (v.as_str(), *l))
    }
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut batch = ImportBatch::new(Format::Qif);
    let records = read_records(text, &mut batch)?;
    if records.is_empty() {
        return Err(
            ImportError::at_line(1, "the QIF file holds no bank transaction").hint(
                "export a bank or card account (!Type:Bank or !Type:CCard) from the software",
            ),
        );
    }
    let dates: Vec<&str> = records
        .iter()
        .filter_map(|r| r.get('D').map(|d| d.0))
        .collect();
    let day_first = date_order(&dates, &mut batch)?;
    let amounts: Vec<&str> = records
        .iter()
        .filter_map(|r| r.get('T').or(r.get('U')).map(|a| a.0))
        .collect();
    let style = infer_decimal_style(amounts.iter().copied());

    let mut statements: Vec<(Option<String>, NewStatement)> = Vec::new();
    for record in &records {
        let (raw_date, date_line) = record.get('D').ok_or_else(|| {
            ImportError::at_line(record.line, "the transaction has no date")
                .field("D")
                .hint("each QIF record needs a D line; export the account again")
        })?;
        let date = qif_date(raw_date, day_first).ok_or_else(|| {
            ImportError::at_line(date_line, format!("\"{}\" is not a date", raw_date.trim()))
                .field("D")
                .hint("QIF dates read like 31/01/2024, 01/31/2024 or 1/31'24")
        })?;
        let (raw_amount, amount_line) = record.get('T').or(record.get('U')).ok_or_else(|| {
            ImportError::at_line(record.line, "the transaction has no amount")
                .field("T")
                .hint("each QIF record needs a T line; export the account again")
        })?;
        let amount = parse_amount(raw_amount, style).ok_or_else(|| {
            ImportError::at_line(
                amount_line,
                format!("\"{}\" is not an amount", raw_amount.trim()),
            )
            .field("T")
            .hint("fix the value and drop the file again")
        })?;
        let idx = match statements.iter().position(|(a, _)| *a == record.account) {
            Some(i) => i,
            None => {
                let account = AccountRef {
                    number: record.account.clone(),
                    currency: Some(ctx.default_currency),
                    ..Default::default()
                };
                statements.push((
                    record.account.clone(),
                    NewStatement {
                        account,
                        ..Default::default()
                    },
                ));
                statements.len() - 1
            }
        };
        let statement = &mut statements[idx].1;
        let payee = record.get('P').map(|p| clean(p.0)).unwrap_or_default();
        let memo = record.get('M').map(|m| clean(m.0)).unwrap_or_default();
        // Quicken's first line of an account is its opening balance, booked against the
        // account itself (`L[Account name]`): a balance, not a bank movement.
        let is_opening = payee.eq_ignore_ascii_case("Opening Balance")
            && record
                .get('L')
                .is_some_and(|l| l.0.trim_start().starts_with('['));
        if is_opening && statement.transactions.is_empty() && statement.opening.is_none() {
            statement.opening = Some(Balance {
                date,
                amount,
                currency: ctx.default_currency,
            });
            continue;
        }
        let remittance = if memo.is_empty() { payee.clone() } else { memo };
        let number = record.get('N').map(|n| clean(n.0)).unwrap_or_default();
        let numeric = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
        statement.transactions.push(NewBankTransaction {
            booking_date: date,
            value_date: None,
            amount,
            currency: ctx.default_currency,
            counterparty_name: clean_opt(&payee),
            counterparty_iban: None,
            structured_ref: find_rf_reference(&remittance),
            reversal: mentions_return(&remittance),
            remittance,
            bank_ref: numeric.then(|| number.clone()),
            type_code: (!numeric && !number.is_empty()).then_some(number),
            location: SourceLocation::Line(record.line),
        });
    }
    if statements.iter().any(|(a, _)| a.is_none()) {
        batch.warn(
            SourceLocation::Line(1),
            "the QIF file does not name its account (no !Account block); choose the account it belongs to",
        );
    }
    batch.statements = statements.into_iter().map(|(_, s)| s).collect();
    Ok(batch)
}

fn read_records(text: &str, batch: &mut ImportBatch) -> ImportResult<Vec<RawRecord>> {
    let mut section = Section::Cash;
    let mut account: Option<String> = None;
    let mut records = Vec::new();
    let mut current = RawRecord::default();
    let mut skipped_investments = false;
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        let l = raw.trim_end_matches('\r').trim_start_matches('\u{feff}');
        if l.trim().is_empty() {
            continue;
        }
        if let Some(header) = l.strip_prefix('!') {
            let h = header.trim().to_ascii_lowercase();
            section = if h == "account" {
                Section::Account
            } else if let Some(kind) = h.strip_prefix("type:") {
                match kind.trim() {
                    "bank" | "cash" | "ccard" | "oth a" | "oth l" => Section::Cash,
                    "invst" => {
                        skipped_investments = true;
                        Section::Skipped
                    }
                    _ => Section::Skipped,
                }
            } else if h.starts_with("option") || h.starts_with("clear") {
                section
            } else {
                Section::Skipped
            };
            current = RawRecord::default();
            continue;
        }
        if l.starts_with('^') {
            let done = std::mem::take(&mut current);
            match section {
                Section::Cash if !done.fields.is_empty() => records.push(done),
                Section::Account => {
                    if let Some((name, _)) = done.get('N') {
                        account = clean_opt(name);
                    }
                }
                _ => {}
            }
            continue;
        }
        let mut chars = l.chars();
        let Some(code) = chars.next() else { continue };
        if current.fields.is_empty() {
            current.line = line;
            current.account = account.clone();
        }
        current
            .fields
            .push((code.to_ascii_uppercase(), chars.as_str().to_string(), line));
    }
    // A last record without its closing `^` (a truncated file) is still read.
    if section == Section::Cash && !current.fields.is_empty() {
        records.push(current);
    }
    if skipped_investments {
        batch.warn(
            SourceLocation::Unknown,
            "investment account lines (!Type:Invst) were left out: they are not bank movements",
        );
    }
    Ok(records)
}

fn date_order(dates: &[&str], batch: &mut ImportBatch) -> ImportResult<bool> {
    match infer_date_order(dates.iter().copied()) {
        DateOrder::DayFirst => Ok(true),
        DateOrder::MonthFirst => Ok(false),
        DateOrder::Conflicting => Err(ImportError::at_line(
            1,
            "the dates mix day/month and month/day order",
        )
        .field("D")
        .hint("export the account again with one date format")),
        DateOrder::Ambiguous => {
            // Quicken's own `1/31'24` style is American; French banks write day first.
            let quicken = dates.iter().any(|d| d.contains('\''));
            let needs_order = dates
                .iter()
                .any(|d| qif_date(d, true) != qif_date(d, false));
            if needs_order {
                batch.warn(
                    SourceLocation::Unknown,
                    if quicken {
                        "every date fits both day/month and month/day; they were read month first (Quicken style)"
                    } else {
                        "every date fits both day/month and month/day; they were read day first"
                    },
                );
            }
            Ok(!quicken)
        }
    }
}

/// Reads `31/01/2024`, `01.31.24`, `1/31'24`, `1/ 3'24`, `2024-01-31`. A year after `'` is
/// in the 2000s (Quicken's convention); other two-digit years pivot at 70.
fn qif_date(raw: &str, day_first: bool) -> Option<NaiveDate> {
    let apostrophe = raw.contains('\'');
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let parts: Vec<&str> = s.split(['/', '.', '-', '\'']).collect();
    let [a, b, c] = parts[..] else { return None };
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())?
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else {
        let (first, second, year) = (num(a)?, num(b)?, num(c)?);
        let year = match c.len() {
            4 => year,
            1 | 2 if apostrophe => 2000 + year,
            1 | 2 => full_year(year),
            _ => return None,
        };
        if day_first {
            (year, second, first)
        } else {
            (year, first, second)
        }
    };
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quicken_date_forms() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(qif_date("1/ 3'24", false), d(2024, 1, 3));
        assert_eq!(qif_date("1/ 3'24", true), d(2024, 3, 1));
        assert_eq!(qif_date("12/31/98", false), d(1998, 12, 31));
        assert_eq!(qif_date("31.12.2023", true), d(2023, 12, 31));
        assert_eq!(qif_date("2024-02-29", true), d(2024, 2, 29));
        assert_eq!(qif_date("31/02/2024", true), None);
        assert_eq!(qif_date("yesterday", true), None);
    }
}
