//! One invoice row: its invoice, and its customer when the row names one.

use crate::domain::model::{InvoiceKind, NewCustomer, NewInvoice, SourceLocation};
use crate::import::csv_profile::CsvColumns;
use crate::import::csv_util::{self, Row, Table};
use crate::import::text::{self, DecimalStyle};
use crate::import::{ImportError, ImportResult, ParseContext, iso4217, party};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub(super) struct Cols {
    pub number: Option<usize>,
    pub code: Option<usize>,
    pub name: Option<usize>,
    pub issue: Option<usize>,
    pub due: Option<usize>,
    pub amount: Option<usize>,
    pub open: Option<usize>,
    pub currency: Option<usize>,
    pub kind: Option<usize>,
    pub disputed: Option<usize>,
    pub reference: Option<usize>,
    pub siren: Option<usize>,
    pub vat: Option<usize>,
}

impl Cols {
    pub fn locate(t: &Table, c: &CsvColumns) -> Cols {
        Cols {
            number: t.find(&c.invoice_number),
            code: t.find(&c.customer_code),
            name: t.find(&c.customer_name),
            issue: t.find(&c.issue_date),
            due: t.find(&c.due_date),
            amount: t.find(&c.amount),
            open: t.find(&c.open_amount),
            currency: t.find(&c.currency),
            kind: t.find(&c.kind),
            disputed: t.find(&c.disputed),
            reference: t.find(&c.reference),
            siren: t.find(&c.siren),
            vat: t.find(&c.vat_id),
        }
    }
}

pub(super) fn fill_missing(into: &mut NewCustomer, from: NewCustomer) {
    into.siren = into.siren.take().or(from.siren);
    into.vat_id = into.vat_id.take().or(from.vat_id);
}

pub(super) struct RowReader<'a> {
    pub table: &'a Table,
    pub cols: &'a Cols,
    pub style: DecimalStyle,
    pub day_first: bool,
    pub ctx: &'a ParseContext,
}

impl RowReader<'_> {
    pub fn err(
        &self,
        row: &Row,
        idx: Option<usize>,
        fallback: &str,
        msg: impl Into<String>,
    ) -> ImportError {
        ImportError::at_line(row.line, msg).field(self.table.name(idx, fallback))
    }

    fn date(&self, row: &Row, idx: Option<usize>, what: &str) -> ImportResult<Option<NaiveDate>> {
        let raw = row.get(idx);
        if raw.is_empty() {
            return Ok(None);
        }
        text::parse_date(raw, self.day_first).map(Some).ok_or_else(|| {
            self.err(row, idx, what, format!("\"{raw}\" is not a date"))
                .hint("write dates as dd/mm/yyyy or yyyy-mm-dd (for month-first dates, set day_first = false in a CSV profile)")
        })
    }

    fn amount(&self, row: &Row, idx: Option<usize>, what: &str) -> ImportResult<Option<Decimal>> {
        let raw = row.get(idx);
        if raw.is_empty() {
            return Ok(None);
        }
        text::parse_amount(raw, self.style)
            .map(Some)
            .ok_or_else(|| {
                self.err(row, idx, what, format!("\"{raw}\" is not an amount"))
                    .hint("write digits with one decimal mark, e.g. 1 234,56 or 1234.56")
            })
    }

    pub fn read(&self, row: &Row) -> ImportResult<(NewInvoice, Option<NewCustomer>)> {
        let c = self.cols;
        let number = row.get(c.number).to_string();
        let issue_date = self.date(row, c.issue, "Issue date")?.ok_or_else(|| {
            self.err(row, c.issue, "Issue date", "the issue date is empty")
                .hint("every invoice needs its issue date")
        })?;
        let due_date = self.date(row, c.due, "Due date")?;
        if let Some(due) = due_date.filter(|d| *d < issue_date) {
            return Err(self
                .err(
                    row,
                    c.due,
                    "Due date",
                    format!("the due date {due} is before the issue date {issue_date}"),
                )
                .hint("swap the two dates if they are inverted, or correct the due date"));
        }
        let kind = match csv_util::fold(row.get(c.kind)).as_str() {
            "" | "f" | "fa" | "fac" | "facture" | "invoice" | "inv" | "380" => InvoiceKind::Invoice,
            "a" | "av" | "avo" | "avoir" | "credit note" | "credit" | "cn" | "cr" | "381" => {
                InvoiceKind::CreditNote
            }
            other => {
                return Err(self
                    .err(
                        row,
                        c.kind,
                        "Type",
                        format!("\"{other}\" is not a document type"),
                    )
                    .hint("write 'facture'/'invoice' or 'avoir'/'credit note'"));
            }
        };
        let amount = self.amount(row, c.amount, "Amount")?;
        let open = self.amount(row, c.open, "Open amount")?;
        let amount_from_open = amount.is_none();
        let Some(mut amount) = amount.or(open) else {
            return Err(self
                .err(row, c.amount.or(c.open), "Amount", "the amount is empty")
                .hint("every invoice needs its total including tax"));
        };
        let amount_idx = if amount_from_open { c.open } else { c.amount };
        if amount < Decimal::ZERO {
            if kind == InvoiceKind::CreditNote {
                amount = -amount;
            } else {
                return Err(self.err(row, amount_idx, "Amount", format!(
                    "invoice {number} has a negative amount ({amount})"))
                    .hint("if it is a credit note, mark it as one: put 'avoir' or 'credit note' in a 'Type' column and the amount as a positive number"));
            }
        }
        let mut prepaid = Decimal::ZERO;
        if let (Some(open), false) = (open, amount_from_open) {
            let open = if kind == InvoiceKind::CreditNote {
                open.abs()
            } else {
                open
            };
            if open < Decimal::ZERO || open > amount {
                return Err(self.err(row, c.open, "Open amount", format!(
                    "the open amount {open} is not between 0 and the invoice amount {amount}"))
                    .hint("check that the amount and open-amount columns are not swapped"));
            }
            prepaid = amount - open;
        }
        let currency = match row.get(c.currency) {
            "" => self.ctx.default_currency,
            raw => iso4217::parse_currency(raw).ok_or_else(|| {
                self.err(
                    row,
                    c.currency,
                    "Currency",
                    format!("\"{raw}\" is not a known currency code"),
                )
                .hint("use the ISO 4217 code, e.g. EUR, USD, GBP, CHF")
            })?,
        };
        let disputed = csv_util::parse_bool(row.get(c.disputed))
            .or_else(|| {
                csv_util::fold(row.get(c.disputed))
                    .contains("litig")
                    .then_some(true)
            })
            .ok_or_else(|| {
                self.err(
                    row,
                    c.disputed,
                    "Disputed",
                    format!("\"{}\" is neither yes nor no", row.get(c.disputed)),
                )
                .hint("write oui/non or yes/no")
            })?;
        let customer = self.customer(row)?;
        let invoice = NewInvoice {
            number,
            kind,
            customer_code: customer.0,
            issue_date,
            due_date,
            amount,
            currency,
            prepaid,
            disputed,
            payment_reference: text::clean_opt(row.get(c.reference)),
            discount_percent: None,
            location: SourceLocation::Line(row.line),
        };
        Ok((invoice, customer.1))
    }

    /// The customer's code, and the customer record when the row names it.
    fn customer(&self, row: &Row) -> ImportResult<(String, Option<NewCustomer>)> {
        let c = self.cols;
        let name = row.get(c.name);
        let siren_raw = row.get(c.siren);
        let siren = match siren_raw {
            "" => None,
            raw => Some(
                party::siren_from_id(raw, Some("0002"), None).ok_or_else(|| {
                    self.err(
                        row,
                        c.siren,
                        "SIREN",
                        format!("\"{raw}\" is not a valid SIREN or SIRET"),
                    )
                    .hint("a SIREN has 9 digits (14 for a SIRET); check for a typo")
                })?,
            ),
        };
        let vat_id = party::normalise_vat(row.get(c.vat));
        let siren = siren.or_else(|| vat_id.as_deref().and_then(party::siren_from_vat));
        let code = match row.get(c.code) {
            "" if name.is_empty() && siren.is_none() && vat_id.is_none() => {
                return Err(self
                    .err(row, c.code.or(c.name), "Customer", "the customer is empty")
                    .hint("give the customer's code or name on every row"));
            }
            "" => party::derive_customer_code(siren.as_deref(), vat_id.as_deref(), name),
            code => code.to_string(),
        };
        let record = (!name.is_empty()).then(|| NewCustomer {
            code: code.clone(),
            name: name.to_string(),
            siren,
            vat_id,
            location: SourceLocation::Line(row.line),
            ..Default::default()
        });
        Ok((code, record))
    }
}
