//! Invoice lists and aged-balance exports as CSV: one row per invoice or credit note, with
//! the open amount when the export is a balance (`Reste dû`, `Solde`, `Open amount`).
//! The open amount becomes `prepaid = amount − open`, so an invoice half paid before the
//! export counts for its half.
//!
//! A row that would mislead the cockpit is refused with its line and column: a due date
//! before the issue date, a negative invoice (a credit note not marked as one), an unknown
//! currency, an amount with letters, or one invoice number listed twice with two amounts.

use crate::domain::model::{InvoiceKind, NewCustomer, NewInvoice, SourceLocation};
use crate::import::csv_profile::{CsvColumns, CsvKind, CsvProfile};
use crate::import::csv_util::{self, Row, Table, strings};
use crate::import::text::{self, DecimalStyle};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext, iso4217, party};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The header names recognised without a profile, in French and English.
pub fn generic_profile() -> CsvProfile {
    let columns = CsvColumns {
        invoice_number: strings(&[
            "N° facture",
            "Numéro facture",
            "Numéro de facture",
            "No facture",
            "Facture",
            "N° pièce",
            "Numéro pièce",
            "Numéro de pièce",
            "Pièce",
            "Référence facture",
            "Numéro",
            "N°",
            "Invoice",
            "Invoice number",
            "Invoice no",
            "Invoice ID",
            "Document number",
            "Number",
        ]),
        customer_code: strings(&[
            "Code client",
            "N° client",
            "Numéro client",
            "Compte client",
            "Compte",
            "Customer code",
            "Customer ID",
            "Customer no",
            "Customer number",
            "Client code",
            "Account",
        ]),
        customer_name: strings(&[
            "Client",
            "Nom client",
            "Nom du client",
            "Raison sociale",
            "Nom",
            "Customer",
            "Customer name",
            "Name",
            "Company",
        ]),
        issue_date: strings(&[
            "Date facture",
            "Date de facture",
            "Date pièce",
            "Date d'émission",
            "Date émission",
            "Date",
            "Invoice date",
            "Issue date",
            "Date issued",
            "Document date",
        ]),
        due_date: strings(&[
            "Échéance",
            "Date d'échéance",
            "Date échéance",
            "Date limite de paiement",
            "Due date",
            "Due",
            "Payment due",
        ]),
        amount: strings(&[
            "Montant TTC",
            "Total TTC",
            "Montant facture",
            "Montant",
            "TTC",
            "Amount",
            "Amount incl. tax",
            "Total incl. VAT",
            "Gross amount",
            "Invoice amount",
            "Total",
        ]),
        open_amount: strings(&[
            "Reste dû",
            "Restant dû",
            "Reste à payer",
            "Solde",
            "Solde dû",
            "Montant dû",
            "Open amount",
            "Amount due",
            "Balance due",
            "Balance",
            "Outstanding",
            "Remaining",
        ]),
        currency: strings(&["Devise", "Monnaie", "Currency", "Curr"]),
        kind: strings(&["Type", "Type de pièce", "Nature", "Kind", "Document type"]),
        disputed: strings(&[
            "Litige",
            "En litige",
            "Litigieux",
            "Disputed",
            "Dispute",
            "In dispute",
        ]),
        reference: strings(&[
            "Référence paiement",
            "Référence de paiement",
            "Réf paiement",
            "Payment reference",
            "Structured reference",
        ]),
        siren: strings(&["SIREN", "SIRET", "Siren client"]),
        vat_id: strings(&[
            "N° TVA",
            "Numéro TVA",
            "TVA intracommunautaire",
            "TVA intracom",
            "VAT",
            "VAT number",
            "VAT ID",
        ]),
        ..Default::default()
    };
    CsvProfile {
        name: "generic invoices".into(),
        kind: CsvKind::Invoices,
        day_first: true,
        columns,
        ..Default::default()
    }
}

struct Cols {
    number: Option<usize>,
    code: Option<usize>,
    name: Option<usize>,
    issue: Option<usize>,
    due: Option<usize>,
    amount: Option<usize>,
    open: Option<usize>,
    currency: Option<usize>,
    kind: Option<usize>,
    disputed: Option<usize>,
    reference: Option<usize>,
    siren: Option<usize>,
    vat: Option<usize>,
}

impl Cols {
    fn locate(t: &Table, c: &CsvColumns) -> Cols {
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

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let generic = generic_profile();
    let g = &generic.columns;
    let is_header = |cells: &[String]| {
        csv_util::matches(cells, &[&g.invoice_number]) == 1
            && csv_util::matches(cells, &[&g.amount, &g.open_amount]) >= 1
            && csv_util::matches(cells, &[&g.customer_code, &g.customer_name, &g.issue_date]) >= 1
    };
    let Some((profile, table)) =
        csv_util::read_with_profiles(text, ctx, CsvKind::Invoices, &generic, is_header)?
    else {
        return Err(ImportError::at_line(1, "no header row with an invoice number and an amount column")
            .hint("name the columns (e.g. 'N° facture', 'Client', 'Date facture', 'Montant TTC') or add a CSV profile of kind \"invoices\""));
    };
    let cols = Cols::locate(&table, &profile.columns);
    let missing = |idx: Option<usize>, what: &str| {
        idx.is_none().then(|| {
            ImportError::at_line(table.header_line, format!("no {what} column"))
                .hint("add the column or map it in a CSV profile of kind \"invoices\"")
        })
    };
    if let Some(e) = missing(cols.issue, "issue date ('Date facture', 'Invoice date')") {
        return Err(e);
    }
    if cols.code.is_none() && cols.name.is_none() && cols.siren.is_none() && cols.vat.is_none() {
        return Err(ImportError::at_line(
            table.header_line,
            "no customer column ('Code client', 'Client', 'Customer')",
        )
        .hint("invoices must say whose they are: add the customer's code or name"));
    }
    let amount_cells = table
        .rows
        .iter()
        .flat_map(|r| [r.get(cols.amount), r.get(cols.open)]);
    let style =
        csv_util::settle_decimal_style(csv_util::decimal_style(profile.decimal_mark), amount_cells);
    let reader = RowReader {
        table: &table,
        cols: &cols,
        style,
        day_first: profile.day_first,
        ctx,
    };

    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    let mut seen: HashMap<(String, InvoiceKind), (usize, Decimal)> = HashMap::new();
    let mut customers: HashMap<String, usize> = HashMap::new();
    let mut totals_skipped = 0usize;
    for row in &table.rows {
        if row.get(cols.number).is_empty() {
            if row
                .cells
                .iter()
                .any(|c| csv_util::fold(c).contains("total"))
            {
                totals_skipped += 1;
                continue;
            }
            return Err(reader
                .err(
                    row,
                    cols.number,
                    "Invoice number",
                    "the invoice number is empty",
                )
                .hint(
                    "every row needs its invoice number; delete the row if it is not an invoice",
                ));
        }
        let (invoice, customer) = reader.read(row)?;
        let key = (text::normalise_reference(&invoice.number), invoice.kind);
        if let Some((first_line, first_amount)) = seen.get(&key) {
            if *first_amount != invoice.amount {
                return Err(reader
                    .err(row, cols.number, "Invoice number", format!(
                        "invoice {} is listed on line {first_line} with {first_amount} and on line {} with {}",
                        invoice.number, row.line, invoice.amount
                    ))
                    .hint("one of the two lines is wrong: correct or remove it, then drop the file again"));
            }
            batch.warn(
                SourceLocation::Line(row.line),
                format!(
                    "invoice {} repeats line {first_line}; the repeat is left out",
                    invoice.number
                ),
            );
            continue;
        }
        seen.insert(key, (row.line, invoice.amount));
        if let Some(c) = customer {
            match customers.get(&c.code) {
                Some(&i) => fill_missing(&mut batch.customers[i], c),
                None => {
                    customers.insert(c.code.clone(), batch.customers.len());
                    batch.customers.push(c);
                }
            }
        }
        batch.invoices.push(invoice);
    }
    if totals_skipped > 0 {
        batch.warn(
            SourceLocation::Unknown,
            format!("{totals_skipped} total row(s) without an invoice number were left out"),
        );
    }
    Ok(batch)
}

fn fill_missing(into: &mut NewCustomer, from: NewCustomer) {
    into.siren = into.siren.take().or(from.siren);
    into.vat_id = into.vat_id.take().or(from.vat_id);
}

struct RowReader<'a> {
    table: &'a Table,
    cols: &'a Cols,
    style: DecimalStyle,
    day_first: bool,
    ctx: &'a ParseContext,
}

impl RowReader<'_> {
    fn err(
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

    fn read(&self, row: &Row) -> ImportResult<(NewInvoice, Option<NewCustomer>)> {
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
