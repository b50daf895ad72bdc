//! Invoice lists and aged-balance exports as CSV: one row per invoice or credit note, with
//! the open amount when the export is a balance (`Reste dû`, `Solde`, `Open amount`).
//! The open amount becomes `prepaid = amount − open`, so an invoice half paid before the
//! export counts for its half.
//!
//! A row that would mislead the cockpit is refused with its line and column: a due date
//! before the issue date, a negative invoice (a credit note not marked as one), an unknown
//! currency, an amount with letters, or one invoice number listed twice with two amounts.
//!
//! Rows are streamed to an [`InvoiceSink`] as they are read (a million-invoice export is
//! never held whole). What is kept across rows: each customer met (bounded by the customer
//! count), and for the repeat check one 64-bit hash per invoice number with where its row
//! starts (16 bytes a row; the row is read again to confirm a repeat).

mod profile;
mod row;

pub use profile::generic_profile;

use crate::domain::model::{InvoiceKind, NewCustomer, NewInvoice, SourceLocation};
use crate::import::csv_profile::CsvKind;
use crate::import::csv_stream::{self, RecordStart, RowStream};
use crate::import::csv_util::{self, Row};
use crate::import::prehashed::Prehashed;
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext, text};
use row::{Cols, RowReader, fill_missing};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::collections::hash_map::{Entry, RandomState};
use std::hash::{BuildHasher, Hash, Hasher};

/// Where [`parse_into`] hands what it reads, row by row.
pub trait InvoiceSink {
    /// A refusal of the file converts into the sink's error, so that reading and writing
    /// stop at the first problem of either.
    type Error: From<ImportError>;

    /// How many data rows follow (before any of them is handed over), for a sink that
    /// prepares differently for a large file.
    fn expect(&mut self, _rows: usize) -> Result<(), Self::Error> {
        Ok(())
    }

    /// A customer named by the file, when first met, and again (merged) when a later row
    /// adds a SIREN or VAT number the first one lacked.
    fn customer(&mut self, customer: &NewCustomer) -> Result<(), Self::Error>;

    /// An invoice or credit note, after its customer.
    fn invoice(&mut self, invoice: NewInvoice) -> Result<(), Self::Error>;
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut collected = Collect::default();
    let mut batch = parse_into(text, ctx, &mut collected)?;
    batch.customers = collected.customers;
    batch.invoices = collected.invoices;
    Ok(batch)
}

/// Keeps everything, for [`parse`].
#[derive(Default)]
struct Collect {
    customers: Vec<NewCustomer>,
    index: HashMap<String, usize>,
    invoices: Vec<NewInvoice>,
}

impl InvoiceSink for Collect {
    type Error = ImportError;

    fn customer(&mut self, customer: &NewCustomer) -> ImportResult<()> {
        match self.index.get(&customer.code) {
            Some(&i) => self.customers[i] = customer.clone(),
            None => {
                self.index
                    .insert(customer.code.clone(), self.customers.len());
                self.customers.push(customer.clone());
            }
        }
        Ok(())
    }

    fn invoice(&mut self, invoice: NewInvoice) -> ImportResult<()> {
        self.invoices.push(invoice);
        Ok(())
    }
}

/// Reads the file and hands each customer and invoice to `sink` as soon as it is read.
/// The batch returned holds the warnings only.
pub fn parse_into<S: InvoiceSink>(
    text: &str,
    ctx: &ParseContext,
    sink: &mut S,
) -> Result<ImportBatch, S::Error> {
    let generic = generic_profile();
    let g = &generic.columns;
    let is_header = |cells: &[String]| {
        csv_util::matches(cells, &[&g.invoice_number]) == 1
            && csv_util::matches(cells, &[&g.amount, &g.open_amount]) >= 1
            && csv_util::matches(cells, &[&g.customer_code, &g.customer_name, &g.issue_date]) >= 1
    };
    let Some((profile, table)) =
        csv_util::locate_with_profiles(text, ctx, CsvKind::Invoices, &generic, is_header)?
    else {
        return Err(ImportError::at_line(1, "no header row with an invoice number and an amount column")
            .hint("name the columns (e.g. 'N° facture', 'Client', 'Date facture', 'Montant TTC') or add a CSV profile of kind \"invoices\"").into());
    };
    let cols = Cols::locate(&table, &profile.columns);
    let missing = |idx: Option<usize>, what: &str| {
        idx.is_none().then(|| {
            ImportError::at_line(table.header_line, format!("no {what} column"))
                .hint("add the column or map it in a CSV profile of kind \"invoices\"")
        })
    };
    if let Some(e) = missing(cols.issue, "issue date ('Date facture', 'Invoice date')") {
        return Err(e.into());
    }
    if cols.code.is_none() && cols.name.is_none() && cols.siren.is_none() && cols.vat.is_none() {
        return Err(ImportError::at_line(
            table.header_line,
            "no customer column ('Code client', 'Client', 'Customer')",
        )
        .hint("invoices must say whose they are: add the customer's code or name")
        .into());
    }
    let delimiter = csv_util::delimiter_of(text, profile.delimiter);
    let (style, rows) = csv_stream::survey(
        text,
        &table,
        delimiter,
        &[cols.amount, cols.open],
        csv_util::decimal_style(profile.decimal_mark),
    )?;
    let reader = RowReader {
        table: &table,
        cols: &cols,
        style,
        day_first: profile.day_first,
        ctx,
    };

    sink.expect(rows)?;
    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    let mut stream = RowStream::new(text, &table, delimiter)?;
    let mut row = Row {
        line: 0,
        cells: Vec::new(),
    };
    let mut seen = Seen::with_capacity(rows);
    let mut key = String::new();
    let mut customers: HashMap<String, NewCustomer> = HashMap::new();
    let mut totals_skipped = 0usize;
    while let Some(start) = stream.next_row(&mut row)? {
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
                    &row,
                    cols.number,
                    "Invoice number",
                    "the invoice number is empty",
                )
                .hint("every row needs its invoice number; delete the row if it is not an invoice")
                .into());
        }
        let (invoice, customer) = reader.read(&row)?;
        key.clear();
        text::normalise_reference_into(&invoice.number, &mut key);
        let first = seen.first(&key, invoice.kind, start, row.line, |at| {
            let (first, _) = reader.read(&stream.row_at(at)?)?;
            Ok((
                text::normalise_reference(&first.number),
                first.kind,
                first.amount,
            ))
        })?;
        if let Some((first_line, first_amount)) = first {
            if first_amount != invoice.amount {
                return Err(reader
                    .err(&row, cols.number, "Invoice number", format!(
                        "invoice {} is listed on line {first_line} with {first_amount} and on line {} with {}",
                        invoice.number, row.line, invoice.amount
                    ))
                    .hint("one of the two lines is wrong: correct or remove it, then drop the file again")
                    .into());
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
        if let Some(c) = customer {
            match customers.get_mut(&c.code) {
                Some(known) => {
                    let before = (known.siren.is_some(), known.vat_id.is_some());
                    fill_missing(known, c);
                    if (known.siren.is_some(), known.vat_id.is_some()) != before {
                        sink.customer(known)?;
                    }
                }
                None => {
                    sink.customer(&c)?;
                    customers.insert(c.code.clone(), c);
                }
            }
        }
        sink.invoice(invoice)?;
    }
    if totals_skipped > 0 {
        batch.warn(
            SourceLocation::Unknown,
            format!("{totals_skipped} total row(s) without an invoice number were left out"),
        );
    }
    Ok(batch)
}

/// The first row of each invoice number (normalised) and kind, by a keyed 64-bit hash of
/// the two; a hash met again is confirmed by reading the first row again, and a true
/// collision of two numbers goes to an exact map.
#[derive(Default)]
struct Seen {
    keys: RandomState,
    first: HashMap<u64, (RecordStart, usize), Prehashed>,
    collided: HashMap<(String, InvoiceKind), (RecordStart, usize)>,
}

impl Seen {
    /// Sized for the file's rows: growing a map of a million entries rehashes it twenty
    /// times over.
    fn with_capacity(rows: usize) -> Seen {
        Seen {
            first: HashMap::with_capacity_and_hasher(rows, Prehashed::default()),
            ..Seen::default()
        }
    }

    /// The line and amount of the first row with this `key` and `kind`, or `None` (and the
    /// row at `start`, line `line`, is now the first). `reread` gives the normalised number,
    /// the kind and the amount of the row starting at a position.
    fn first(
        &mut self,
        key: &str,
        kind: InvoiceKind,
        start: RecordStart,
        line: usize,
        reread: impl Fn(RecordStart) -> ImportResult<(String, InvoiceKind, Decimal)>,
    ) -> ImportResult<Option<(usize, Decimal)>> {
        let mut h = self.keys.build_hasher();
        key.hash(&mut h);
        kind.hash(&mut h);
        let (at, first_line) = match self.first.entry(h.finish()) {
            Entry::Vacant(v) => {
                v.insert((start, line));
                return Ok(None);
            }
            Entry::Occupied(o) => *o.get(),
        };
        let (first_key, first_kind, first_amount) = reread(at)?;
        if first_key == key && first_kind == kind {
            return Ok(Some((first_line, first_amount)));
        }
        // Two numbers with one hash: every later number of that hash is kept exactly.
        match self.collided.entry((key.to_string(), kind)) {
            Entry::Occupied(o) => {
                let (at, first_line) = *o.get();
                Ok(Some((first_line, reread(at)?.2)))
            }
            Entry::Vacant(v) => {
                v.insert((start, line));
                Ok(None)
            }
        }
    }
}
