//! Open items as of a date, streamed from SQL into a callback.

use super::{StoreResult, date_from_sql, date_to_sql};
use crate::domain::ageing::{AgeingAccumulator, AgeingReport, Buckets, OpenItem};
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::money::{Currency, from_minor};
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// The open amount of each invoice as of a date: total − prepaid − payments and credit notes
/// allocated on or before that date. An invoice's due date falls back to the customer's
/// terms, then `default_terms_days`.
pub const OPEN_ITEMS_SQL: &str = "
WITH paid AS (
    SELECT invoice_id, SUM(amount_minor) AS minor
    FROM allocations
    WHERE undone_at IS NULL AND paid_on <= ?1
    GROUP BY invoice_id
), applied AS (
    SELECT credit_note_id AS invoice_id, SUM(amount_minor) AS minor
    FROM allocations
    WHERE undone_at IS NULL AND credit_note_id IS NOT NULL AND paid_on <= ?1
    GROUP BY credit_note_id
)
SELECT i.id, i.customer_id, i.number, i.kind, i.issue_date,
       COALESCE(i.due_date,
                date(i.issue_date, '+' || COALESCE(c.payment_terms_days, ?2) || ' days')),
       i.amount_minor - i.prepaid_minor
           - COALESCE(p.minor, 0) - COALESCE(a.minor, 0) AS open_minor,
       i.currency, i.disputed
FROM invoices i
JOIN customers c ON c.id = i.customer_id
LEFT JOIN paid p ON p.invoice_id = i.id
LEFT JOIN applied a ON a.invoice_id = i.id
WHERE i.issue_date <= ?1
  AND i.amount_minor - i.prepaid_minor - COALESCE(p.minor, 0) - COALESCE(a.minor, 0) > 0
  AND (?3 IS NULL OR i.customer_id = ?3)
";

/// Calls `f` with every item open on `as_of` (of one customer, or all).
pub fn for_each_open_item(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    customer: Option<CustomerId>,
    mut f: impl FnMut(OpenItem),
) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(OPEN_ITEMS_SQL)?;
    let mut rows = stmt.query(params![date_to_sql(as_of), default_terms_days, customer])?;
    while let Some(row) = rows.next()? {
        let currency = Currency::parse(&row.get::<_, String>(7)?).unwrap_or_default();
        let kind = if row.get::<_, String>(3)? == "credit_note" {
            InvoiceKind::CreditNote
        } else {
            InvoiceKind::Invoice
        };
        let open = from_minor(row.get(6)?, currency);
        f(OpenItem {
            invoice_id: row.get(0)?,
            customer_id: row.get(1)?,
            number: row.get(2)?,
            kind,
            issue_date: date_from_sql(&row.get::<_, String>(4)?)?,
            due_date: date_from_sql(&row.get::<_, String>(5)?)?,
            open: if kind == InvoiceKind::CreditNote {
                -open
            } else {
                open
            },
            disputed: row.get(8)?,
        });
    }
    Ok(())
}

pub fn customer_names(conn: &Connection) -> StoreResult<HashMap<CustomerId, (String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, code, name FROM customers")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn ageing_report(
    conn: &Connection,
    as_of: NaiveDate,
    buckets: Buckets,
    default_terms_days: u32,
) -> StoreResult<AgeingReport> {
    let mut acc = AgeingAccumulator::new(as_of, buckets);
    for_each_open_item(conn, as_of, default_terms_days, None, |item| acc.add(&item))?;
    let mut names = customer_names(conn)?;
    Ok(acc.finish(|id| names.remove(&id).unwrap_or_default()))
}
