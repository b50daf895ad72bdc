//! Invoices and credit notes into `invoices`, with the statements prepared once per file and
//! each customer looked up once.

use super::sticky::StickyInsert;
use super::{ImportSummary, WriteError, minor};
use crate::domain::model::{InvoiceKind, NewInvoice};
use crate::import::{ImportError, text};
use crate::store::SqlDate;
use rusqlite::{OptionalExtension, Statement, Transaction, params};
use std::collections::HashMap;

pub(super) struct InvoiceWriter<'c> {
    tx: &'c Transaction<'c>,
    /// Customer code → id, filled as codes are met: a file names each customer many times.
    customers: HashMap<String, i64>,
    customer: Option<Statement<'c>>,
    insert: Option<StickyInsert<'c>>,
}

impl<'c> InvoiceWriter<'c> {
    pub fn new(tx: &'c Transaction<'c>) -> InvoiceWriter<'c> {
        InvoiceWriter {
            tx,
            customers: HashMap::new(),
            customer: None,
            insert: None,
        }
    }

    /// The id of the customer with this code, `None` when it is not known.
    pub fn customer_id(&mut self, code: &str) -> rusqlite::Result<Option<i64>> {
        if let Some(id) = self.customers.get(code) {
            return Ok(Some(*id));
        }
        let stmt = match &mut self.customer {
            Some(s) => s,
            None => self.customer.insert(
                self.tx
                    .prepare("SELECT id FROM customers WHERE code = ?1")?,
            ),
        };
        let id: Option<i64> = stmt.query_row([code], |r| r.get(0)).optional()?;
        // Unknown codes are not remembered: the import stops at the first one anyway.
        if let Some(id) = id {
            self.customers.insert(code.to_string(), id);
        }
        Ok(id)
    }

    pub fn insert(
        &mut self,
        inv: &NewInvoice,
        import_id: i64,
        summary: &mut ImportSummary,
    ) -> Result<(), WriteError> {
        self.insert_with(inv, invoice_facts(inv), import_id, summary)
    }

    /// [`Self::insert`] with the row's [`InvoiceFacts`] already worked out (on the reader's
    /// thread for a streamed file). Their refusal is reported after an unknown customer's,
    /// as when they were worked out here.
    pub fn insert_with(
        &mut self,
        inv: &NewInvoice,
        facts: Result<InvoiceFacts, WriteError>,
        import_id: i64,
        summary: &mut ImportSummary,
    ) -> Result<(), WriteError> {
        let Some(customer) = self.customer_id(&inv.customer_code)? else {
            return Err(WriteError::Rejected(
                ImportError::new(
                    inv.location.clone(),
                    format!(
                        "invoice {} names customer '{}', who is not known",
                        inv.number, inv.customer_code
                    ),
                )
                .field("customer")
                .hint(
                    "import the customer list first, or add the customer's name to the invoice file",
                ),
            ));
        };
        self.insert_known(customer, inv, &facts?, import_id, summary)
    }

    /// [`Self::insert_with`] once the customer was found ([`Self::customer_id`]) and the
    /// facts hold: a streamed file looks the customer up first, to see whether the row must
    /// wait for a later one, and writes the row where the reader left it.
    pub fn insert_known(
        &mut self,
        customer: i64,
        inv: &NewInvoice,
        facts: &InvoiceFacts,
        import_id: i64,
        summary: &mut ImportSummary,
    ) -> Result<(), WriteError> {
        // Inserted first and compared only when the number is already there: a new invoice
        // (nearly all of them) then costs one statement, not a lookup and an insert.
        let insert = match &mut self.insert {
            Some(s) => s,
            None => self.insert.insert(StickyInsert::new(self.tx.prepare(
                "INSERT INTO invoices (number, number_key, kind, customer_id, issue_date, due_date,
                    amount_minor, currency, prepaid_minor, disputed, payment_reference,
                    discount_percent, import_id, settled_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT (number, kind) DO NOTHING",
            )?)),
        };
        // What the `invoices_settle_insert` trigger writes, written with the row: a load
        // sets that trigger aside (`bulk::SetAside`), and otherwise it writes the same day.
        let settled = (facts.amount - facts.prepaid <= 0).then_some(facts.issue.as_str());
        insert.each_row(1, inv.number.as_str())?;
        insert.each_row(2, facts.number_key.as_str())?;
        insert.text(3, Some(inv.kind.as_str()))?;
        insert.int(4, customer)?;
        insert.text(5, Some(facts.issue.as_str()))?;
        insert.text(6, facts.due.as_ref().map(SqlDate::as_str))?;
        insert.each_row(7, facts.amount)?;
        insert.text(8, Some(inv.currency.as_str()))?;
        insert.int(9, facts.prepaid)?;
        insert.int(10, i64::from(inv.disputed))?;
        insert.text(11, inv.payment_reference.as_deref())?;
        insert.text(12, facts.discount.as_deref())?;
        insert.int(13, import_id)?;
        insert.text(14, settled)?;
        let inserted = insert.run()?;
        if inserted == 1 {
            summary.invoices_inserted += 1;
            return Ok(());
        }
        self.already_there(inv, customer, facts.amount, summary)
    }

    /// The number was imported before: the same invoice again is a duplicate, another
    /// amount or customer under the same number is refused.
    fn already_there(
        &self,
        inv: &NewInvoice,
        customer: i64,
        amount: i64,
        summary: &mut ImportSummary,
    ) -> Result<(), WriteError> {
        // The file name is looked up only for the refusal: with a LEFT JOIN in this query,
        // SQLite re-prepared the statement on every call.
        let (old_amount, old_customer, old_currency, old_import): (i64, i64, String, Option<i64>) =
            self.tx
                .prepare_cached(
                    "SELECT amount_minor, customer_id, currency, import_id
                     FROM invoices WHERE number = ?1 AND kind = ?2",
                )?
                .query_row(params![inv.number, inv.kind.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?;
        if old_amount == amount && old_customer == customer && old_currency == inv.currency.as_str()
        {
            summary.invoices_duplicate += 1;
            return Ok(());
        }
        let old_file: String = self
            .tx
            .query_row(
                "SELECT file_name FROM imports WHERE id = ?1",
                [old_import],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| "?".into());
        Err(WriteError::Rejected(
            ImportError::new(
                inv.location.clone(),
                format!(
                    "{} {} was already imported from {old_file} with another amount or customer ({} {old_currency})",
                    kind_word(inv.kind),
                    inv.number,
                    crate::domain::money::from_minor(old_amount, inv.currency)
                ),
            )
            .field("number")
            .hint("invoice numbers must be unique: correct the export, or issue a credit note"),
        ))
    }
}

/// What an invoice's row holds that is worked out from the invoice alone, or its refusal.
pub struct InvoiceFacts {
    number_key: String,
    amount: i64,
    prepaid: i64,
    issue: SqlDate,
    due: Option<SqlDate>,
    discount: Option<String>,
}

/// The [`InvoiceFacts`] of `inv`, refused when an amount is not in whole minor units or the
/// amount is negative.
pub fn invoice_facts(inv: &NewInvoice) -> Result<InvoiceFacts, WriteError> {
    let amount = minor(inv.amount, inv.currency, &inv.location, "amount")?;
    let prepaid = minor(inv.prepaid, inv.currency, &inv.location, "prepaid")?;
    if amount < 0 {
        return Err(WriteError::Rejected(
            ImportError::new(
                inv.location.clone(),
                format!("invoice {} has a negative amount", inv.number),
            )
            .field("amount")
            .hint("write a credit note as its own document with a positive amount"),
        ));
    }
    Ok(InvoiceFacts {
        number_key: text::normalise_reference(&inv.number),
        amount,
        prepaid,
        issue: SqlDate::new(inv.issue_date),
        due: inv.due_date.map(SqlDate::new),
        discount: inv.discount_percent.map(|d| d.to_string()),
    })
}

fn kind_word(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Invoice => "invoice",
        InvoiceKind::CreditNote => "credit note",
    }
}
