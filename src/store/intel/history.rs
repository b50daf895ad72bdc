//! Payment history, sales and bank position, read as of a date.

use super::Scope;
use crate::domain::dunning::outcome::Payment;
use crate::domain::model::CustomerId;
use crate::domain::money::{Currency, from_minor};
use crate::domain::signals::PaidInvoice;
use crate::domain::signals::facts::RatingFact;
use crate::store::bank_sums::BankLines;
use crate::store::{StoreResult, date_from_sql, date_to_sql};
use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// The columns of a paid invoice. An invoice is paid on the day it was settled (schema step
/// 5): the day its payments reach the amount due. Its payments are the allocations dated on
/// or before that day (counted from the covering index, no row read).
macro_rules! paid_select {
    () => {
        "
SELECT i.id, i.customer_id, i.amount_minor, i.currency,
       COALESCE(i.due_date,
                date(i.issue_date, '+' || COALESCE(c.payment_terms_days, ?3) || ' days')),
       i.settled_on,
       (SELECT COUNT(*) FROM allocations a
        WHERE a.invoice_id = i.id AND a.undone_at IS NULL AND a.paid_on <= i.settled_on)
FROM invoices i
JOIN customers c ON c.id = i.customer_id"
    };
}

/// Invoices settled in `[?2, ?1]`: one range of `invoices_settled`.
const PAID_SQL: &str = concat!(
    paid_select!(),
    "
WHERE i.settled_on >= ?2 AND i.settled_on <= ?1
  AND i.kind = 'invoice' AND i.amount_minor - i.prepaid_minor > 0
  AND (?4 IS NULL OR i.customer_id = ?4)
"
);

/// The same for one customer, through its `(customer_id, issue_date)` index.
const CUSTOMER_PAID_SQL: &str = concat!(
    paid_select!(),
    "
WHERE i.customer_id = ?4 AND i.issue_date <= ?1
  AND i.settled_on >= ?2 AND i.settled_on <= ?1
  AND i.kind = 'invoice' AND i.amount_minor - i.prepaid_minor > 0
"
);

/// Calls `f` with every invoice whose payment was completed between `since` and `as_of`.
pub fn for_each_paid_invoice(
    conn: &Connection,
    as_of: NaiveDate,
    since: NaiveDate,
    default_terms_days: u32,
    only: Option<CustomerId>,
    mut f: impl FnMut(PaidInvoice),
) -> StoreResult<()> {
    let sql = if only.is_some() {
        CUSTOMER_PAID_SQL
    } else {
        PAID_SQL
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params![
        date_to_sql(as_of),
        date_to_sql(since),
        default_terms_days,
        only
    ])?;
    while let Some(r) = rows.next()? {
        if let Some(paid) = paid_row(r)? {
            f(paid);
        }
    }
    Ok(())
}

/// A row of `paid_select!`; None for an invoice settled by a credit note recorded on the
/// wrong side: no payment completed it.
fn paid_row(r: &rusqlite::Row<'_>) -> StoreResult<Option<PaidInvoice>> {
    let payments: u32 = r.get(6)?;
    if payments == 0 {
        return Ok(None);
    }
    let currency = Currency::parse(&r.get::<_, String>(3)?).unwrap_or_default();
    Ok(Some(PaidInvoice {
        invoice_id: r.get(0)?,
        customer_id: r.get(1)?,
        amount: from_minor(r.get(2)?, currency),
        due_date: date_from_sql(&r.get::<_, String>(4)?)?,
        paid_on: date_from_sql(&r.get::<_, String>(5)?)?,
        payments,
    }))
}

/// The invoices of `ids` (a JSON array) whose payment was completed between `since` and
/// `as_of`, as [`for_each_paid_invoice`] gives them: what a refresh adds for the invoices
/// new allocations paid.
pub fn for_each_paid_invoice_of(
    conn: &Connection,
    as_of: NaiveDate,
    since: NaiveDate,
    default_terms_days: u32,
    ids: &str,
    mut f: impl FnMut(PaidInvoice),
) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(concat!(
        paid_select!(),
        "
WHERE i.id IN (SELECT value FROM json_each(?4))
  AND i.settled_on >= ?2 AND i.settled_on <= ?1
  AND i.kind = 'invoice' AND i.amount_minor - i.prepaid_minor > 0
"
    ))?;
    let mut rows = stmt.query(params![
        date_to_sql(as_of),
        date_to_sql(since),
        default_terms_days,
        ids
    ])?;
    while let Some(r) = rows.next()? {
        if let Some(paid) = paid_row(r)? {
            f(paid);
        }
    }
    Ok(())
}

/// Each customer's invoices issued in `(from, to]`, one customer at a time (the index on
/// `(customer_id, issue_date)` gives them in order), so that only one list is in memory.
/// Numbers are read only for the invoices issued after `numbers_after` (empty before).
pub fn for_each_customer_invoices(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    numbers_after: NaiveDate,
    only: Option<CustomerId>,
    mut f: impl FnMut(CustomerId, &[(String, NaiveDate, Decimal)]),
) -> StoreResult<()> {
    // Read from the covering `invoices_customer_sales` index; the invoice row itself (for
    // its number) only for those issued after `numbers_after`.
    // One customer: a range of its own index (the general form scans every customer's).
    let mut stmt = conn.prepare_cached(if only.is_some() {
        "SELECT customer_id, CASE WHEN issue_date > ?4 THEN number END, issue_date,
                amount_minor, currency FROM invoices
         WHERE customer_id = ?3 AND issue_date > ?1 AND issue_date <= ?2 AND kind = 'invoice'
         ORDER BY customer_id, issue_date"
    } else {
        "SELECT customer_id, CASE WHEN issue_date > ?4 THEN number END, issue_date,
                amount_minor, currency FROM invoices
         WHERE kind = 'invoice' AND issue_date > ?1 AND issue_date <= ?2
           AND (?3 IS NULL OR customer_id = ?3)
         ORDER BY customer_id, issue_date"
    })?;
    let mut rows = stmt.query(params![
        date_to_sql(from),
        date_to_sql(to),
        only,
        date_to_sql(numbers_after)
    ])?;
    let mut current: Option<CustomerId> = None;
    let mut list: Vec<(String, NaiveDate, Decimal)> = Vec::new();
    while let Some(r) = rows.next()? {
        let customer: CustomerId = r.get(0)?;
        if current != Some(customer) {
            if let Some(c) = current {
                f(c, &list);
            }
            list.clear();
            current = Some(customer);
        }
        let currency = Currency::parse(&r.get::<_, String>(4)?).unwrap_or_default();
        list.push((
            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            date_from_sql(&r.get::<_, String>(2)?)?,
            from_minor(r.get(3)?, currency),
        ));
    }
    if let Some(c) = current {
        f(c, &list);
    }
    Ok(())
}

pub fn first_invoice_dates(
    conn: &Connection,
    as_of: NaiveDate,
    scope: Scope,
) -> StoreResult<HashMap<CustomerId, NaiveDate>> {
    // One index seek per customer on (customer_id, issue_date) rather than a grouped scan
    // of every invoice. A credit note never comes before the customer's first invoice.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, (SELECT MIN(i.issue_date) FROM invoices i
                       WHERE i.customer_id = c.id AND i.issue_date <= ?1)
         FROM customers c WHERE {}",
        scope.filter("c.id", 2)
    ))?;
    let mut rows = stmt.query(params![date_to_sql(as_of), scope.value()])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        if let Some(first) = r.get::<_, Option<String>>(1)? {
            out.insert(r.get(0)?, date_from_sql(&first)?);
        }
    }
    Ok(out)
}

/// Payments applied to a customer's invoices between two dates.
pub fn payments(
    conn: &Connection,
    customer: CustomerId,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.invoice_id, a.paid_on, a.amount_minor, i.currency
         FROM allocations a JOIN invoices i ON i.id = a.invoice_id
         WHERE i.customer_id = ?1 AND a.undone_at IS NULL
           AND a.paid_on >= ?2 AND a.paid_on <= ?3
         ORDER BY a.paid_on, a.id",
    )?;
    let mut rows = stmt.query(params![customer, date_to_sql(from), date_to_sql(to)])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let currency = Currency::parse(&r.get::<_, String>(3)?).unwrap_or_default();
        out.push(Payment {
            invoice_id: r.get(0)?,
            paid_on: date_from_sql(&r.get::<_, String>(1)?)?,
            amount: from_minor(r.get(2)?, currency),
        });
    }
    Ok(out)
}

/// Invoiced sales (invoices − credit notes) per issue date in `(from, to]`: one scan, from
/// which every period's total is summed.
pub fn daily_sales(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<BTreeMap<NaiveDate, Decimal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT issue_date, currency,
                SUM(CASE WHEN kind = 'invoice' THEN amount_minor ELSE -amount_minor END)
         FROM invoices WHERE issue_date > ?1 AND issue_date <= ?2
         GROUP BY issue_date, currency",
    )?;
    let mut rows = stmt.query(params![date_to_sql(from), date_to_sql(to)])?;
    let mut out = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let currency = Currency::parse(&r.get::<_, String>(1)?).unwrap_or_default();
        *out.entry(date_from_sql(&r.get::<_, String>(0)?)?)
            .or_insert(Decimal::ZERO) += from_minor(r.get(2)?, currency);
    }
    Ok(out)
}

pub fn sum_between(
    daily: &BTreeMap<NaiveDate, Decimal>,
    start: NaiveDate,
    end: NaiveDate,
) -> Decimal {
    if start > end {
        return Decimal::ZERO;
    }
    daily.range(start..=end).map(|(_, v)| *v).sum()
}

/// The newest date the bank data speaks of: a booking or a balance, on or before `as_of`.
pub fn newest_bank_date(conn: &Connection, as_of: NaiveDate) -> StoreResult<Option<NaiveDate>> {
    let booked = crate::store::bank_keys::newest_booking_day(conn, as_of)?;
    let balance: Option<String> = conn
        .prepare_cached("SELECT MAX(date) FROM bank_balances WHERE date <= ?1")?
        .query_row([date_to_sql(as_of)], |r| r.get(0))?;
    let balance = balance.map(|d| date_from_sql(&d)).transpose()?;
    Ok(booked.max(balance))
}

/// Each account's latest closing balance on or before `as_of`, plus what was booked after
/// it (summed by `lines`); summed, with the latest balance date.
pub fn bank_position_from(
    conn: &Connection,
    as_of: NaiveDate,
    lines: BankLines<'_>,
) -> StoreResult<(Decimal, Option<NaiveDate>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.date, b.amount_minor, b.currency, b.account_id
         FROM bank_balances b
         WHERE b.kind = 'closing' AND b.date = (
             SELECT MAX(date) FROM bank_balances
             WHERE account_id = b.account_id AND kind = 'closing' AND date <= ?1)",
    )?;
    let mut rows = stmt.query([date_to_sql(as_of)])?;
    let mut total = Decimal::ZERO;
    let mut latest: Option<NaiveDate> = None;
    while let Some(r) = rows.next()? {
        let currency = Currency::parse(&r.get::<_, String>(2)?).unwrap_or_default();
        let date = date_from_sql(&r.get::<_, String>(0)?)?;
        let (after, _) = lines.sum_after(conn, r.get(3)?, Some(date), as_of)?;
        total += from_minor(r.get::<_, i64>(1)? + after, currency);
        latest = Some(latest.map_or(date, |l| l.max(date)));
    }
    Ok((total, latest))
}

/// Unpaid supplier invoices due on or before `until` (overdue ones included).
pub fn payables_due(
    conn: &Connection,
    until: NaiveDate,
    default_terms_days: u32,
) -> StoreResult<Decimal> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, SUM(amount_minor) FROM supplier_invoices
         WHERE paid = 0
           AND COALESCE(due_date, date(issue_date, '+' || ?2 || ' days')) <= ?1
         GROUP BY currency",
    )?;
    let mut rows = stmt.query(params![date_to_sql(until), default_terms_days])?;
    let mut total = Decimal::ZERO;
    while let Some(r) = rows.next()? {
        let currency = Currency::parse(&r.get::<_, String>(0)?).unwrap_or_default();
        total += from_minor(r.get(1)?, currency);
    }
    Ok(total)
}

/// Per SIREN: the latest rating on or before `as_of`, keeping the latest insurer limit
/// given and any insolvency notice of the last `max_age_days` (a newer grade from another
/// source must not hide an insolvency).
pub(super) fn latest_ratings(
    conn: &Connection,
    as_of: NaiveDate,
    max_age_days: u32,
) -> StoreResult<HashMap<String, RatingFact>> {
    let oldest = as_of - Duration::days(i64::from(max_age_days));
    let mut stmt = conn.prepare_cached(
        "SELECT siren, date, source, grade, score, insurer_limit_minor, insolvency, note
         FROM external_ratings WHERE date <= ?1 AND date >= ?2 ORDER BY siren, date, id",
    )?;
    let mut rows = stmt.query(params![date_to_sql(as_of), date_to_sql(oldest)])?;
    let mut out: HashMap<String, RatingFact> = HashMap::new();
    while let Some(r) = rows.next()? {
        let siren: String = r.get(0)?;
        let fact = RatingFact {
            date: date_from_sql(&r.get::<_, String>(1)?)?,
            source: r.get(2)?,
            grade: r.get(3)?,
            score: r.get::<_, Option<i64>>(4)?.map(|s| s.clamp(0, 100) as u8),
            insurer_limit: r
                .get::<_, Option<i64>>(5)?
                .map(|m| from_minor(m, Currency::EUR)),
            insolvency: r.get(6)?,
            note: r.get(7)?,
        };
        match out.get_mut(siren.trim()) {
            Some(prev) => {
                let insolvency = prev.insolvency || fact.insolvency;
                let limit = fact.insurer_limit.or(prev.insurer_limit);
                let note = if fact.insolvency || !prev.insolvency {
                    fact.note.clone()
                } else {
                    prev.note.clone()
                };
                *prev = RatingFact {
                    insolvency,
                    insurer_limit: limit,
                    note,
                    ..fact
                };
            }
            None => {
                out.insert(siren.trim().to_string(), fact);
            }
        }
    }
    Ok(out)
}
