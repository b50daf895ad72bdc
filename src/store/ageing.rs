//! Open items as of a date, streamed from SQL into a callback.

use super::{StoreResult, date_from_sql, date_to_sql};
use crate::domain::ageing::{AgeingAccumulator, AgeingReport, Buckets, OpenItem};
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::money::{Currency, from_minor};
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// The columns of an open item; the two queries below differ in how they find the rows.
macro_rules! open_items_select {
    () => {
        "
SELECT i.id, i.customer_id, i.number, i.kind, i.issue_date,
       COALESCE(i.due_date,
                date(i.issue_date, '+' || COALESCE(c.payment_terms_days, ?2) || ' days')),
       i.amount_minor - i.prepaid_minor
           - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a
                       WHERE a.invoice_id = i.id AND a.undone_at IS NULL
                         AND a.paid_on <= ?1), 0)
           - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a
                       WHERE a.credit_note_id = i.id AND a.undone_at IS NULL
                         AND a.paid_on <= ?1), 0),
       i.currency, i.disputed
FROM invoices i
JOIN customers c ON c.id = i.customer_id"
    };
}

/// The open amount of each invoice as of a date: total − prepaid − payments and credit notes
/// allocated on or before that date. An invoice's due date falls back to the customer's
/// terms, then `default_terms_days`.
///
/// Only invoices not settled by the date are read (`invoices_settled`, see schema step 6),
/// and each one's sums come from one range of a covering index: an index read per open
/// item instead of a grouping of every allocation. The open amount is computed once, in the
/// select list; rows that are not open after all (cannot happen while the triggers keep
/// `settled_on`, but costs nothing to check) are skipped by the caller.
pub const OPEN_ITEMS_SQL: &str = concat!(
    open_items_select!(),
    "
WHERE (i.settled_on IS NULL OR i.settled_on > ?1) AND i.issue_date <= ?1
  AND (?3 IS NULL OR i.customer_id = ?3)
"
);

/// The same for one customer, through its `(customer_id, issue_date)` index.
const CUSTOMER_OPEN_ITEMS_SQL: &str = concat!(
    open_items_select!(),
    "
WHERE i.customer_id = ?3 AND i.issue_date <= ?1
  AND (i.settled_on IS NULL OR i.settled_on > ?1)
"
);

/// Calls `f` with every item open on `as_of` (of one customer, or all).
pub fn for_each_open_item(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    customer: Option<CustomerId>,
    mut f: impl FnMut(OpenItem),
) -> StoreResult<()> {
    let sql = if customer.is_some() {
        CUSTOMER_OPEN_ITEMS_SQL
    } else {
        OPEN_ITEMS_SQL
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params![date_to_sql(as_of), default_terms_days, customer])?;
    while let Some(row) = rows.next()? {
        let open_minor: i64 = row.get(6)?;
        if open_minor <= 0 {
            continue;
        }
        let currency = Currency::parse(&row.get::<_, String>(7)?).unwrap_or_default();
        let kind = if row.get::<_, String>(3)? == "credit_note" {
            InvoiceKind::CreditNote
        } else {
            InvoiceKind::Invoice
        };
        let open = from_minor(open_minor, currency);
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
