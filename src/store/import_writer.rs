//! Writes one parsed file in one transaction: all of it or none of it.

use super::{Actor, StoreError, date_to_sql};
use crate::domain::model::{
    AccountRef, Balance, ExternalRating, InvoiceKind, LedgerSettlement, NewBankTransaction,
    NewCustomer, NewInvoice, NewStatement, NewSupplierInvoice, SourceLocation,
};
use crate::domain::money::{Currency, to_minor};
use crate::import::{ImportBatch, ImportError, ImportWarning, text};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

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

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    hex(&digest)
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
    reason: &str,
    actor: &Actor,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO import_rejections (file_name, sha256, at, who, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![file_name, sha256, actor.stamp(), actor.who, reason],
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
    let format = batch.format.map(|f| f.as_str()).unwrap_or("unknown");
    tx.execute(
        "INSERT INTO imports (file_name, sha256, format, imported_at, who) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![file_name, sha256, format, actor.stamp(), actor.who],
    )?;
    let import_id = tx.last_insert_rowid();
    let mut summary = ImportSummary {
        import_id,
        file_name: file_name.to_string(),
        format: format.to_string(),
        statements: batch.statements.len(),
        warnings: batch.warnings.clone(),
        ..Default::default()
    };
    for customer in &batch.customers {
        upsert_customer(tx, customer, &mut summary)?;
    }
    for invoice in &batch.invoices {
        insert_invoice(tx, invoice, import_id, &mut summary)?;
    }
    for settlement in &batch.settlements {
        insert_settlement(tx, settlement, import_id, actor, &mut summary)?;
    }
    for supplier_invoice in &batch.supplier_invoices {
        insert_supplier_invoice(tx, supplier_invoice, import_id, &mut summary)?;
    }
    for rating in &batch.ratings {
        insert_rating(tx, rating, import_id, &mut summary)?;
    }
    let mut occurrences: HashMap<(i64, String), usize> = HashMap::new();
    for statement in &batch.statements {
        insert_statement(tx, statement, import_id, &mut occurrences, &mut summary)?;
    }
    let warnings = serde_json::to_string(&summary.warnings).unwrap_or_else(|_| "[]".into());
    tx.execute(
        "UPDATE imports SET statements = ?2, transactions_inserted = ?3, transactions_duplicate = ?4,
            customers_inserted = ?5, customers_updated = ?6, invoices_inserted = ?7,
            invoices_duplicate = ?8, settlements_inserted = ?9, supplier_invoices_inserted = ?10,
            ratings_inserted = ?11, warnings = ?12
         WHERE id = ?1",
        params![
            import_id,
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
    Ok(summary)
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

fn customer_id(tx: &Transaction<'_>, code: &str) -> rusqlite::Result<Option<i64>> {
    tx.prepare_cached("SELECT id FROM customers WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()
}

fn insert_invoice(
    tx: &Transaction<'_>,
    inv: &NewInvoice,
    import_id: i64,
    summary: &mut ImportSummary,
) -> Result<(), WriteError> {
    let Some(customer) = customer_id(tx, &inv.customer_code)? else {
        return Err(WriteError::Rejected(
            ImportError::new(
                inv.location.clone(),
                format!(
                    "invoice {} names customer '{}', who is not known",
                    inv.number, inv.customer_code
                ),
            )
            .field("customer")
            .hint("import the customer list first, or add the customer's name to the invoice file"),
        ));
    };
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
    // The file name is looked up only for the refusal: with the LEFT JOIN in this per-line
    // query, SQLite re-prepared the statement on every call (a third of the import's time).
    let existing: Option<(i64, i64, String, Option<i64>)> = tx
        .prepare_cached(
            "SELECT amount_minor, customer_id, currency, import_id
             FROM invoices WHERE number = ?1 AND kind = ?2",
        )?
        .query_row(params![inv.number, inv.kind.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    if let Some((old_amount, old_customer, old_currency, old_import)) = existing {
        if old_amount == amount && old_customer == customer && old_currency == inv.currency.as_str()
        {
            summary.invoices_duplicate += 1;
            return Ok(());
        }
        let old_file: String = tx
            .query_row(
                "SELECT file_name FROM imports WHERE id = ?1",
                [old_import],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| "?".into());
        return Err(WriteError::Rejected(
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
        ));
    }
    tx.prepare_cached(
        "INSERT INTO invoices (number, number_key, kind, customer_id, issue_date, due_date,
            amount_minor, currency, prepaid_minor, disputed, payment_reference, discount_percent, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        inv.number,
        text::normalise_reference(&inv.number),
        inv.kind.as_str(),
        customer,
        date_to_sql(inv.issue_date),
        inv.due_date.map(date_to_sql),
        amount,
        inv.currency.as_str(),
        prepaid,
        inv.disputed,
        inv.payment_reference,
        inv.discount_percent.map(|d| d.to_string()),
        import_id,
    ])?;
    summary.invoices_inserted += 1;
    Ok(())
}

fn kind_word(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Invoice => "invoice",
        InvoiceKind::CreditNote => "credit note",
    }
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
        format!(
            "lettering code {} in the accounting export",
            s.lettering_code
        ),
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

fn account_id(
    tx: &Transaction<'_>,
    account: &AccountRef,
    fallback_currency: Currency,
    summary: &mut ImportSummary,
) -> Result<i64, WriteError> {
    let key = account
        .key()
        .unwrap_or_else(|| format!("unnamed:{}", summary.format));
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM bank_accounts WHERE key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    tx.prepare_cached(
        "INSERT INTO bank_accounts (key, iban, number, bank_code, currency) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        key,
        account.iban,
        account.number,
        account.bank_code,
        account.currency.unwrap_or(fallback_currency).as_str()
    ])?;
    summary.new_accounts.push(key);
    Ok(tx.last_insert_rowid())
}

fn insert_balance(
    tx: &Transaction<'_>,
    account: i64,
    balance: &Balance,
    kind: &str,
    import_id: i64,
) -> Result<(), WriteError> {
    let amount = minor(
        balance.amount,
        balance.currency,
        &SourceLocation::Unknown,
        kind,
    )?;
    tx.prepare_cached(
        "INSERT INTO bank_balances (account_id, date, kind, amount_minor, currency, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(account_id, date, kind) DO UPDATE SET amount_minor = excluded.amount_minor",
    )?
    .execute(params![
        account,
        date_to_sql(balance.date),
        kind,
        amount,
        balance.currency.as_str(),
        import_id
    ])?;
    Ok(())
}

fn insert_statement(
    tx: &Transaction<'_>,
    st: &NewStatement,
    import_id: i64,
    occurrences: &mut HashMap<(i64, String), usize>,
    summary: &mut ImportSummary,
) -> Result<(), WriteError> {
    let fallback = st
        .transactions
        .first()
        .map(|t| t.currency)
        .or(st.closing.as_ref().map(|b| b.currency))
        .unwrap_or_default();
    let account = account_id(tx, &st.account, fallback, summary)?;
    if let Some(b) = &st.opening {
        insert_balance(tx, account, b, "opening", import_id)?;
    }
    if let Some(b) = &st.closing {
        insert_balance(tx, account, b, "closing", import_id)?;
    }
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO bank_transactions (account_id, natural_key, booking_date, value_date,
            amount_minor, currency, counterparty_name, counterparty_iban, remittance,
            structured_ref, bank_ref, type_code, reversal, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for t in &st.transactions {
        let amount = minor(t.amount, t.currency, &t.location, "amount")?;
        let digest = transaction_digest(t, amount);
        let rank = occurrences.entry((account, digest.clone())).or_insert(0);
        *rank += 1;
        let natural_key = format!("{digest}#{rank}");
        let changed = insert.execute(params![
            account,
            natural_key,
            date_to_sql(t.booking_date),
            t.value_date.map(date_to_sql),
            amount,
            t.currency.as_str(),
            t.counterparty_name,
            t.counterparty_iban,
            t.remittance,
            t.structured_ref,
            t.bank_ref,
            t.type_code,
            t.reversal,
            import_id
        ])?;
        if changed == 1 {
            summary.transactions_inserted += 1;
        } else {
            summary.transactions_duplicate += 1;
        }
    }
    Ok(())
}

/// The content that makes a bank line itself. Two identical lines in one file (two equal
/// card payments the same day) are told apart by their rank, which an overlapping statement
/// reproduces, so the overlap is recognised and the pair is still kept.
fn transaction_digest(t: &NewBankTransaction, amount_minor: i64) -> String {
    let mut h = Sha256::new();
    h.update(date_to_sql(t.booking_date));
    h.update([0]);
    h.update(amount_minor.to_le_bytes());
    h.update(t.currency.as_str());
    h.update([0]);
    h.update(t.bank_ref.as_deref().unwrap_or(""));
    h.update([0]);
    h.update(text::normalise_reference(&t.remittance));
    h.update([0]);
    h.update(t.counterparty_iban.as_deref().unwrap_or(""));
    h.update([u8::from(t.reversal)]);
    let digest = h.finalize();
    hex(&digest[..12])
}

/// Lower-case hex without a `format!` per byte: this runs once per imported bank line.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}
