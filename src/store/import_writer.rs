//! Writes one parsed file in one transaction: all of it or none of it.

use super::{Actor, StoreError, date_to_sql};
mod bank;
mod bulk;
mod digest;
mod invoice;
mod sticky;
mod stream;
pub use digest::{blake3_hex, sha256_hex, sha256_hex_unless};

pub use bank::{LineFacts, line_facts, natural_key, transaction_digest};
pub use invoice::{InvoiceFacts, invoice_facts};

use crate::domain::model::{
    AccountRef, ExternalRating, LedgerSettlement, NewBankTransaction, NewCustomer, NewStatement,
    NewSupplierInvoice, SourceLocation,
};
use crate::domain::money::{Currency, to_minor};
use crate::import::{BankLineSink, Format, ImportBatch, ImportError, ImportWarning};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

/// What one import did, for the report and the imports table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportSummary {
    pub import_id: i64,
    pub file_name: String,
    pub format: String,
    pub statements: usize,
    pub transactions_inserted: usize,
    pub transactions_duplicate: usize,
    pub customers_inserted: usize,
    pub customers_updated: usize,
    pub invoices_inserted: usize,
    pub invoices_duplicate: usize,
    pub settlements_inserted: usize,
    pub supplier_invoices_inserted: usize,
    pub ratings_inserted: usize,
    pub new_accounts: Vec<String>,
    pub warnings: Vec<ImportWarning>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file's content cannot be stored as it is (a duplicate invoice number with another
    /// amount, an amount finer than the currency's cents...).
    #[error("{0}")]
    Rejected(ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        WriteError::Store(StoreError::Sqlite(e))
    }
}

/// When a file with this BLAKE3 digest was imported before: `(file name, imported_at)`.
pub fn previous_import_blake3(
    conn: &rusqlite::Connection,
    blake3: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT file_name, imported_at FROM imports WHERE blake3 = ?1",
        [blake3],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Keeps the BLAKE3 digest beside the SHA-256 of import `import_id`.
pub fn record_blake3(tx: &Transaction<'_>, import_id: i64, blake3: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE imports SET blake3 = ?2 WHERE id = ?1",
        params![import_id, blake3],
    )?;
    Ok(())
}

/// When this exact file was imported before: `(file name, imported_at)`.
pub fn previous_import(
    conn: &rusqlite::Connection,
    sha256: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT file_name, imported_at FROM imports WHERE sha256 = ?1",
        [sha256],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

pub fn record_rejection(
    tx: &Transaction<'_>,
    file_name: &str,
    sha256: &str,
    error: &ImportError,
    actor: &Actor,
) -> rusqlite::Result<()> {
    let parts = serde_json::to_string(error).ok();
    tx.execute(
        "INSERT INTO import_rejections (file_name, sha256, at, who, reason, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            file_name,
            sha256,
            actor.stamp(),
            actor.who,
            error.to_string(),
            parts
        ],
    )?;
    Ok(())
}

/// Writes `batch` inside `tx`. The caller commits; on error it drops the transaction.
pub fn write_batch(
    tx: &Transaction<'_>,
    batch: &ImportBatch,
    file_name: &str,
    sha256: &str,
    actor: &Actor,
) -> Result<ImportSummary, WriteError> {
    let mut writer = ImportWriter::begin(tx, batch.format, file_name, sha256, actor)?;
    writer.write_records(batch)?;
    for statement in &batch.statements {
        let fallback = statement
            .transactions
            .first()
            .map(|t| t.currency)
            .or(statement.closing.as_ref().map(|b| b.currency))
            .unwrap_or_default();
        let index = writer.bank.statements_started();
        let account = writer
            .bank
            .statement(&statement.account, fallback, &mut writer.summary)?;
        writer.balances(account, statement)?;
        for t in &statement.transactions {
            writer
                .bank
                .line(index, t, writer.import_id, &mut writer.summary)?;
        }
    }
    writer.finish(batch)
}

/// One file's writes inside the caller's transaction: the `imports` row first, then the
/// records, from a whole [`ImportBatch`] ([`write_batch`]) or streamed as a reader produces
/// them (as a [`BankLineSink`], then [`ImportWriter::finish_streamed`]).
pub struct ImportWriter<'c> {
    tx: &'c Transaction<'c>,
    import_id: i64,
    summary: ImportSummary,
    actor: &'c Actor,
    bank: bank::BankWriter<'c>,
    invoices: invoice::InvoiceWriter<'c>,
    stream: stream::InvoiceStream,
}

impl<'c> ImportWriter<'c> {
    pub fn begin(
        tx: &'c Transaction<'c>,
        format: Option<Format>,
        file_name: &str,
        sha256: &str,
        actor: &'c Actor,
    ) -> Result<ImportWriter<'c>, WriteError> {
        let format = format.map(|f| f.as_str()).unwrap_or("unknown");
        tx.execute(
            "INSERT INTO imports (file_name, sha256, format, imported_at, who) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![file_name, sha256, format, actor.stamp(), actor.who],
        )?;
        let import_id = tx.last_insert_rowid();
        Ok(ImportWriter {
            tx,
            import_id,
            summary: ImportSummary {
                import_id,
                file_name: file_name.to_string(),
                format: format.to_string(),
                ..Default::default()
            },
            actor,
            bank: bank::BankWriter::new(tx),
            invoices: invoice::InvoiceWriter::new(tx),
            stream: stream::InvoiceStream::default(),
        })
    }

    /// Everything of `batch` but its statements.
    fn write_records(&mut self, batch: &ImportBatch) -> Result<(), WriteError> {
        let (tx, import_id, summary) = (self.tx, self.import_id, &mut self.summary);
        for customer in &batch.customers {
            upsert_customer(tx, customer, summary)?;
        }
        let set_aside =
            bulk::SetAside::for_load(tx, "invoices", batch.invoices.len(), &stream::INVOICE_LOAD)?;
        for invoice in &batch.invoices {
            self.invoices.insert(invoice, import_id, summary)?;
        }
        if let Some(set_aside) = set_aside {
            set_aside.rebuild(tx)?;
        }
        for settlement in &batch.settlements {
            insert_settlement(tx, settlement, import_id, self.actor, summary)?;
        }
        for supplier_invoice in &batch.supplier_invoices {
            insert_supplier_invoice(tx, supplier_invoice, import_id, summary)?;
        }
        for rating in &batch.ratings {
            insert_rating(tx, rating, import_id, summary)?;
        }
        Ok(())
    }

    fn balances(&mut self, account: i64, statement: &NewStatement) -> Result<(), WriteError> {
        if let Some(b) = &statement.opening {
            bank::insert_balance(self.tx, account, b, "opening", self.import_id)?;
        }
        if let Some(b) = &statement.closing {
            bank::insert_balance(self.tx, account, b, "closing", self.import_id)?;
        }
        Ok(())
    }

    /// Ends a streamed import: `batch` is what the reader returned besides the lines it
    /// streamed (statements without their lines, in the order they were started, and
    /// warnings, and any other records).
    pub fn finish_streamed(mut self, batch: &ImportBatch) -> Result<ImportSummary, WriteError> {
        self.finish_invoices()?;
        self.write_records(batch)?;
        for (index, statement) in batch.statements.iter().enumerate() {
            let account = match self.bank.account(index) {
                Some(account) => account,
                // A statement the reader never started has no lines: open it now.
                None => self.bank.statement(
                    &statement.account,
                    statement
                        .closing
                        .as_ref()
                        .map(|b| b.currency)
                        .unwrap_or_default(),
                    &mut self.summary,
                )?,
            };
            self.balances(account, statement)?;
        }
        self.finish(batch)
    }

    fn finish(mut self, batch: &ImportBatch) -> Result<ImportSummary, WriteError> {
        let summary = &mut self.summary;
        summary.statements = batch.statements.len();
        summary
            .warnings
            .splice(0..0, batch.warnings.iter().cloned());
        let warnings = serde_json::to_string(&summary.warnings).unwrap_or_else(|_| "[]".into());
        self.tx.execute(
            "UPDATE imports SET statements = ?2, transactions_inserted = ?3, transactions_duplicate = ?4,
                customers_inserted = ?5, customers_updated = ?6, invoices_inserted = ?7,
                invoices_duplicate = ?8, settlements_inserted = ?9, supplier_invoices_inserted = ?10,
                ratings_inserted = ?11, warnings = ?12
             WHERE id = ?1",
            params![
                self.import_id,
                summary.statements as i64,
                summary.transactions_inserted as i64,
                summary.transactions_duplicate as i64,
                summary.customers_inserted as i64,
                summary.customers_updated as i64,
                summary.invoices_inserted as i64,
                summary.invoices_duplicate as i64,
                summary.settlements_inserted as i64,
                summary.supplier_invoices_inserted as i64,
                summary.ratings_inserted as i64,
                warnings
            ],
        )?;
        Ok(self.summary)
    }
}

impl BankLineSink for ImportWriter<'_> {
    type Error = WriteError;

    fn statement(&mut self, account: &AccountRef) -> Result<(), WriteError> {
        let fallback = account.currency.unwrap_or_default();
        self.bank.statement(account, fallback, &mut self.summary)?;
        Ok(())
    }

    fn line(&mut self, statement: usize, line: NewBankTransaction) -> Result<(), WriteError> {
        self.bank
            .line(statement, &line, self.import_id, &mut self.summary)
    }
}

impl ImportWriter<'_> {
    /// A line of statement number `statement`, as [`BankLineSink::line`] with its facts
    /// worked out beforehand ([`line_facts`]).
    pub fn bank_line_with(
        &mut self,
        statement: usize,
        line: &NewBankTransaction,
        facts: LineFacts,
    ) -> Result<(), WriteError> {
        self.bank
            .line_with(statement, line, facts, self.import_id, &mut self.summary)
    }
}

impl From<ImportError> for WriteError {
    fn from(e: ImportError) -> Self {
        WriteError::Rejected(e)
    }
}

fn minor(
    amount: rust_decimal::Decimal,
    currency: Currency,
    location: &SourceLocation,
    field: &str,
) -> Result<i64, WriteError> {
    to_minor(amount, currency).map_err(|e| {
        WriteError::Rejected(
            ImportError::new(location.clone(), e.to_string())
                .field(field)
                .hint("amounts must be whole minor units of their currency"),
        )
    })
}

fn upsert_customer(
    tx: &Transaction<'_>,
    c: &NewCustomer,
    summary: &mut ImportSummary,
) -> Result<(), WriteError> {
    let currency = Currency::EUR;
    let limit = match c.credit_limit {
        Some(l) => Some(minor(l, currency, &c.location, "credit limit")?),
        None => None,
    };
    let exists: bool = tx
        .prepare_cached("SELECT 1 FROM customers WHERE code = ?1")?
        .exists([&c.code])?;
    tx.prepare_cached(
        "INSERT INTO customers (code, name, siren, vat_id, email, phone, contact_name,
            payment_terms_days, credit_limit_minor, segment, professional)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, COALESCE(?10, 'standard'), COALESCE(?11, 1))
         ON CONFLICT(code) DO UPDATE SET
            name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END,
            siren = COALESCE(excluded.siren, siren),
            vat_id = COALESCE(excluded.vat_id, vat_id),
            email = COALESCE(excluded.email, email),
            phone = COALESCE(excluded.phone, phone),
            contact_name = COALESCE(excluded.contact_name, contact_name),
            payment_terms_days = COALESCE(excluded.payment_terms_days, payment_terms_days),
            credit_limit_minor = COALESCE(excluded.credit_limit_minor, credit_limit_minor),
            segment = COALESCE(?10, segment),
            professional = COALESCE(?11, professional)",
    )?
    .execute(params![
        c.code,
        c.name,
        c.siren,
        c.vat_id,
        c.email,
        c.phone,
        c.contact_name,
        c.payment_terms_days,
        limit,
        c.segment.map(|s| s.as_str()),
        c.professional,
    ])?;
    if exists {
        summary.customers_updated += 1;
    } else {
        summary.customers_inserted += 1;
    }
    Ok(())
}

fn insert_settlement(
    tx: &Transaction<'_>,
    s: &LedgerSettlement,
    import_id: i64,
    actor: &Actor,
    summary: &mut ImportSummary,
) -> Result<(), WriteError> {
    let invoice: Option<i64> = tx
        .prepare_cached("SELECT id FROM invoices WHERE number = ?1 AND kind = 'invoice'")?
        .query_row([&s.invoice_number], |r| r.get(0))
        .optional()?;
    let Some(invoice_id) = invoice else {
        summary.warnings.push(ImportWarning {
            location: s.location.clone(),
            message: format!(
                "settlement {} of invoice {} left out: the invoice is not in the database",
                s.lettering_code, s.invoice_number
            ),
        });
        return Ok(());
    };
    let amount = minor(s.amount, s.currency, &s.location, "amount")?;
    if amount <= 0 {
        return Ok(());
    }
    let paid_on = date_to_sql(s.date);
    let already: bool = tx
        .prepare_cached(
            "SELECT 1 FROM allocations WHERE invoice_id = ?1 AND lettering_code = ?2
             AND paid_on = ?3 AND amount_minor = ?4 AND undone_at IS NULL",
        )?
        .exists(params![invoice_id, s.lettering_code, paid_on, amount])?;
    if already {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO allocations (invoice_id, amount_minor, paid_on, rule, evidence, who,
            created_at, lettering_code, import_id)
         VALUES (?1, ?2, ?3, 'ledger', ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        invoice_id,
        amount,
        paid_on,
        match actor.lang {
            crate::locale::Language::Fr => format!(
                "code de lettrage {} dans l'export comptable",
                s.lettering_code
            ),
            crate::locale::Language::En => format!(
                "lettering code {} in the accounting export",
                s.lettering_code
            ),
        },
        actor.who,
        actor.stamp(),
        s.lettering_code,
        import_id
    ])?;
    summary.settlements_inserted += 1;
    Ok(())
}

fn insert_supplier_invoice(
    tx: &Transaction<'_>,
    s: &NewSupplierInvoice,
    import_id: i64,
    summary: &mut ImportSummary,
) -> Result<(), WriteError> {
    let amount = minor(s.amount, s.currency, &s.location, "amount")?;
    let changed = tx
        .prepare_cached(
            "INSERT INTO supplier_invoices (number, supplier_code, supplier_name, issue_date,
                due_date, amount_minor, currency, paid, import_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(supplier_code, number) DO UPDATE SET paid = MAX(paid, excluded.paid)",
        )?
        .execute(params![
            s.number,
            s.supplier_code,
            s.supplier_name,
            date_to_sql(s.issue_date),
            s.due_date.map(date_to_sql),
            amount,
            s.currency.as_str(),
            s.paid,
            import_id
        ])?;
    summary.supplier_invoices_inserted += changed;
    Ok(())
}

fn insert_rating(
    tx: &Transaction<'_>,
    r: &ExternalRating,
    import_id: i64,
    summary: &mut ImportSummary,
) -> Result<(), WriteError> {
    let limit = match r.insurer_limit {
        Some(l) => Some(minor(l, Currency::EUR, &r.location, "insurer limit")?),
        None => None,
    };
    let changed = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO external_ratings (siren, date, source, grade, score,
                insurer_limit_minor, insolvency, note, import_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            r.siren,
            date_to_sql(r.date),
            r.source,
            r.grade,
            r.score,
            limit,
            r.insolvency,
            r.note,
            import_id
        ])?;
    summary.ratings_inserted += changed;
    Ok(())
}
