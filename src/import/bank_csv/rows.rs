//! One CSV row to one bank line (two when the row carries a fee).

use super::layout::Layout;
use crate::domain::model::{NewBankTransaction, SourceLocation};
use crate::domain::money::Currency;
use crate::import::bank_common::{counterparty_iban, mentions_return, structured_reference};
use crate::import::text::{DecimalStyle, clean, clean_opt, parse_amount, parse_date};
use crate::import::{ImportBatch, ImportError, ImportResult};
use rust_decimal::Decimal;

/// A record as read, with the file line it starts on.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row<'a> {
    pub line: usize,
    pub cells: &'a csv::StringRecord,
}

/// What a row gave.
pub(super) enum RowOutcome {
    Lines {
        account: Option<String>,
        lines: Vec<NewBankTransaction>,
        balance: Option<Decimal>,
    },
    Skipped,
}

pub(super) struct RowReader<'a> {
    pub layout: &'a Layout,
    pub style: DecimalStyle,
    pub day_first: bool,
    pub default_currency: Currency,
}

impl RowReader<'_> {
    fn cell<'r>(&self, row: &Row<'r>, col: Option<usize>) -> &'r str {
        col.and_then(|i| row.cells.get(i)).map_or("", str::trim)
    }

    fn name(&self, col: Option<usize>) -> String {
        col.and_then(|i| self.layout.header.get(i))
            .cloned()
            .unwrap_or_default()
    }

    fn amount_in(&self, row: &Row, col: Option<usize>) -> ImportResult<Option<Decimal>> {
        let raw = self.cell(row, col);
        if raw.is_empty() {
            return Ok(None);
        }
        parse_amount(raw, self.style).map(Some).ok_or_else(|| {
            ImportError::at_line(row.line, format!("\"{raw}\" is not an amount"))
                .field(self.name(col))
                .hint("fix the value and drop the file again")
        })
    }

    pub fn read(&self, row: &Row, batch: &mut ImportBatch) -> ImportResult<RowOutcome> {
        let c = &self.layout.columns;
        let location = SourceLocation::Line(row.line);
        if row.cells.iter().all(|v| v.trim().is_empty()) {
            return Ok(RowOutcome::Skipped);
        }
        self.check_width(row, batch);
        let status = self.cell(row, c.status);
        let skip_statuses = &self.layout.profile.skip_statuses;
        if !status.is_empty()
            && skip_statuses
                .iter()
                .any(|s| super::layout::norm(s) == super::layout::norm(status))
        {
            batch.warn(
                location,
                format!("a '{status}' line was left out: {}", self.describe(row)),
            );
            return Ok(RowOutcome::Skipped);
        }
        let raw_date = self.cell(row, c.date);
        if raw_date.is_empty() && self.layout.profile.skip_undated {
            batch.warn(
                location,
                format!(
                    "a line without a booking date (not settled yet) was left out: {}",
                    self.describe(row)
                ),
            );
            return Ok(RowOutcome::Skipped);
        }
        let date_error = |raw: &str, col| {
            ImportError::at_line(
                row.line,
                if raw.is_empty() {
                    "the date is missing".to_string()
                } else {
                    format!("\"{raw}\" is not a date")
                },
            )
            .field(self.name(col))
            .hint("dates read like 31/01/2024 or 2024-01-31; fix the value and drop the file again")
        };
        let booking_date =
            parse_date(raw_date, self.day_first).ok_or_else(|| date_error(raw_date, c.date))?;
        let raw_value = self.cell(row, c.value_date);
        let value_date = if raw_value.is_empty() {
            None
        } else {
            Some(
                parse_date(raw_value, self.day_first)
                    .ok_or_else(|| date_error(raw_value, c.value_date))?,
            )
        };
        let amount = self.amount(row)?;
        let raw_currency = self.cell(row, c.currency);
        let currency = if raw_currency.is_empty() {
            self.default_currency
        } else {
            Currency::parse(raw_currency).ok_or_else(|| {
                ImportError::at_line(
                    row.line,
                    format!("\"{raw_currency}\" is not a currency code"),
                )
                .field(self.name(c.currency))
                .hint("use a three-letter ISO code such as EUR")
            })?
        };
        let label = match c.label.as_slice() {
            [one] => clean(self.cell(row, Some(*one))),
            several => clean(
                &several
                    .iter()
                    .map(|i| self.cell(row, Some(*i)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        let reference = clean(self.cell(row, c.reference));
        let mut remittance = label.clone();
        if !reference.is_empty() && !remittance.contains(&reference) {
            if !remittance.is_empty() {
                remittance.push(' ');
            }
            remittance.push_str(&reference);
        }
        let bank_ref = clean_opt(self.cell(row, c.bank_ref));
        let type_code = clean_opt(self.cell(row, c.type_code));
        let mut lines = vec![NewBankTransaction {
            booking_date,
            value_date,
            amount,
            currency,
            counterparty_name: clean_opt(self.cell(row, c.counterparty)),
            counterparty_iban: counterparty_iban(
                self.cell(row, c.counterparty_iban),
                &location,
                batch,
            ),
            structured_ref: structured_reference(&reference),
            reversal: mentions_return(&label),
            remittance,
            bank_ref: bank_ref.clone(),
            type_code,
            location: location.clone(),
        }];
        // A fee is booked on the account besides the amount; as its own line the payment
        // keeps the amount the invoice asked for.
        if let Some(fee) = self.amount_in(row, c.fee)?.filter(|f| !f.is_zero()) {
            lines.push(NewBankTransaction {
                booking_date,
                value_date,
                amount: -fee.abs(),
                currency,
                remittance: clean(&format!("Fee: {label}")),
                bank_ref: bank_ref.map(|r| format!("{r}/fee")),
                type_code: Some("fee".into()),
                location: location.clone(),
                ..Default::default()
            });
        }
        Ok(RowOutcome::Lines {
            account: clean_opt(self.cell(row, c.account)),
            lines,
            balance: self.amount_in(row, c.balance)?,
        })
    }

    /// A signed amount column, or separate unsigned debit and credit columns.
    fn amount(&self, row: &Row) -> ImportResult<Decimal> {
        let c = &self.layout.columns;
        if let Some(a) = self.amount_in(row, c.amount)? {
            return Ok(a);
        }
        let debit = self.amount_in(row, c.debit)?;
        let credit = self.amount_in(row, c.credit)?;
        match (debit, credit) {
            (None, None) => {
                let names: Vec<String> = [c.amount, c.debit, c.credit]
                    .iter()
                    .filter(|i| i.is_some())
                    .map(|i| self.name(*i))
                    .collect();
                Err(ImportError::at_line(row.line, "the amount is missing")
                    .field(names.join("/"))
                    .hint("every line needs an amount; fix the line and drop the file again"))
            }
            (d, c) => Ok(c.unwrap_or_default().abs() - d.unwrap_or_default().abs()),
        }
    }

    /// Values are read by header position; a row with more cells than the header is
    /// reported, because one of its cells may sit under the wrong name.
    fn check_width(&self, row: &Row, batch: &mut ImportBatch) {
        let header_len = self.layout.header.len();
        if row.cells.len() == header_len {
            return;
        }
        let meaningful_header = self
            .layout
            .header
            .iter()
            .rposition(|h| !h.is_empty())
            .map_or(0, |i| i + 1);
        let used = row
            .cells
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.trim().is_empty())
            .last()
            .map_or(0, |(i, _)| i + 1);
        if used > meaningful_header {
            batch.warn(
                SourceLocation::Line(row.line),
                format!(
                    "the line has {} fields but the header has {}; the fields were read by their position under the header, check the line",
                    row.cells.len(),
                    header_len
                ),
            );
        }
    }

    fn describe(&self, row: &Row) -> String {
        let c = &self.layout.columns;
        let parts: Vec<&str> = [c.counterparty, c.amount, c.debit, c.credit]
            .iter()
            .map(|col| self.cell(row, *col))
            .chain(c.label.iter().map(|i| self.cell(row, Some(*i))))
            .filter(|v| !v.is_empty())
            .collect();
        clean(&parts.join(" "))
    }
}
