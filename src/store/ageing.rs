//! Open items as of a date, streamed from SQL into a callback.

use super::row_text::{bytes, bytes_opt, text, text_opt};
use super::{StoreResult, date_from_sql, date_to_sql};
use crate::domain::ageing::{AgeingReport, Buckets, MinorAgeing, OpenItem};
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::money::{Currency, from_minor};
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The columns of an open item; the queries below differ in how they find the rows.
///
/// The open amount on ?1 is total − prepaid − what active allocations (as payer and as
/// credit note) paid on or before ?1. An invoice never paid, or first paid after ?1 (schema
/// step 7 keeps `first_paid_on`), owes its whole amount: no allocation is read for it. Only
/// invoices paid in part by ?1 sum theirs, each from one range of a covering index.
macro_rules! open_items_select {
    () => {
        concat!(
            "
SELECT i.id, i.customer_id, i.number, i.kind, i.issue_date, i.due_date,",
            open_amount!(),
            ",
       i.currency, i.disputed
FROM invoices i"
        )
    };
}

/// What the ageing report reads of an open item, no more: each column SQLite hands over
/// costs per row, at a few hundred thousand rows (≈ 4 % of the report per column), so
/// four columns carry six facts:
/// - the customer;
/// - the due date, or when it is missing `+` and the issue date (the due date then follows
///   from the customer's terms);
/// - the open amount, negative for a credit note, 0 when nothing is open;
/// - the currency, NULL when it is ?2 (the portfolio's usual one: a NULL costs less to hand
///   over than a text).
macro_rules! lean_items_select {
    () => {
        concat!(
            "
SELECT i.customer_id, IFNULL(i.due_date, '+' || i.issue_date),
       max(",
            open_amount!(),
            ", 0) * CASE i.kind WHEN 'credit_note' THEN -1 ELSE 1 END,
       NULLIF(i.currency, ?2)
FROM invoices i"
        )
    };
}

macro_rules! open_amount {
    () => {
        "
       i.amount_minor - i.prepaid_minor
           - CASE WHEN i.first_paid_on IS NULL OR i.first_paid_on > ?1 THEN 0
             ELSE COALESCE((SELECT SUM(a.amount_minor) FROM allocations a
                            WHERE a.invoice_id = i.id AND a.undone_at IS NULL
                              AND a.paid_on <= ?1), 0)
                + COALESCE((SELECT SUM(a.amount_minor) FROM allocations a
                            WHERE a.credit_note_id = i.id AND a.undone_at IS NULL
                              AND a.paid_on <= ?1), 0) END"
    };
}

/// Invoices open today that were issued by the date, customer after customer: the covering
/// index of open invoices (`invoices_open`, schema step 15), no table row read.
pub const OPEN_NOW_SQL: &str = concat!(
    open_items_select!(),
    "
WHERE i.settled_on IS NULL AND i.issue_date <= ?1"
);

/// Invoices settled after the date that were issued by it: open on the date, found through
/// `invoices_settled`. Empty for today. Read apart from the open ones because one statement
/// with an OR of the two makes SQLite look every row up in the table.
pub const SETTLED_AFTER_SQL: &str = concat!(
    open_items_select!(),
    "
WHERE i.settled_on > ?1 AND i.issue_date <= ?1"
);

/// [`OPEN_NOW_SQL`] with the ageing report's columns only, customer after customer (the
/// order of `invoices_open`; the planner takes it to spare the sort): the accumulator then
/// adds to one customer's sums after the other instead of at random places (a quarter of
/// the report's time at 20,000 customers when it read in issue-date order).
pub const OPEN_NOW_LEAN_SQL: &str = concat!(
    lean_items_select!(),
    "
WHERE i.settled_on IS NULL AND i.issue_date <= ?1
ORDER BY i.customer_id"
);

/// The currency of one open invoice, taken as the portfolio's usual one (?2 of the lean
/// queries): most portfolios have one currency, so whichever row comes first will do.
const USUAL_CURRENCY_SQL: &str = "SELECT currency FROM invoices WHERE settled_on IS NULL LIMIT 1";

/// [`SETTLED_AFTER_SQL`] with the ageing report's columns only.
const SETTLED_AFTER_LEAN_SQL: &str = concat!(
    lean_items_select!(),
    "
WHERE i.settled_on > ?1 AND i.issue_date <= ?1"
);

/// The same for one customer, through its `(customer_id, issue_date)` index.
const CUSTOMER_OPEN_ITEMS_SQL: &str = concat!(
    open_items_select!(),
    "
WHERE i.customer_id = ?2 AND i.issue_date <= ?1
  AND (i.settled_on IS NULL OR i.settled_on > ?1)
"
);

/// Reads rows into open items: due dates fall back to the customer's terms, then the
/// default, worked out here from a table of terms read once.
struct Reader<'c> {
    conn: &'c Connection,
    default_terms_days: u32,
    terms: Option<HashMap<CustomerId, Option<u32>>>,
    currency: (String, Currency),
    /// The last currency code the ageing report read, and its decimals.
    exponent: (Vec<u8>, u32),
    /// The decimals of the lean queries' usual currency (their NULL currency).
    usual_exponent: u32,
    due_dates: super::due_dates::DueDates,
}

impl Reader<'_> {
    fn terms_of(&mut self, customer: CustomerId) -> StoreResult<u32> {
        if self.terms.is_none() {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id, payment_terms_days FROM customers")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            self.terms = Some(rows.collect::<Result<_, _>>()?);
        }
        let found = self.terms.as_ref().and_then(|t| t.get(&customer).copied());
        Ok(found.flatten().unwrap_or(self.default_terms_days))
    }

    fn currency(&mut self, code: &str) -> Currency {
        if code != self.currency.0 {
            self.currency = (code.to_string(), Currency::parse(code).unwrap_or_default());
        }
        self.currency.1
    }

    /// The kind, issue date and due date of an item whose columns start at `at` (kind,
    /// issue date, due date).
    fn dates(
        &mut self,
        row: &Row<'_>,
        at: usize,
        customer_id: CustomerId,
    ) -> StoreResult<(InvoiceKind, NaiveDate, NaiveDate)> {
        let kind = if text(row, at)? == "credit_note" {
            InvoiceKind::CreditNote
        } else {
            InvoiceKind::Invoice
        };
        let issue_date = date_from_sql(text(row, at + 1)?)?;
        let due_date = match text_opt(row, at + 2)? {
            Some(due) => date_from_sql(due)?,
            None => self.due_by_terms(issue_date, customer_id)?,
        };
        Ok((kind, issue_date, due_date))
    }

    fn item(&mut self, row: &Row<'_>) -> StoreResult<Option<OpenItem>> {
        let open_minor: i64 = row.get(6)?;
        if open_minor <= 0 {
            return Ok(None);
        }
        let customer_id: CustomerId = row.get(1)?;
        let currency = self.currency(text(row, 7)?);
        let (kind, issue_date, due_date) = self.dates(row, 3, customer_id)?;
        let open = from_minor(open_minor, currency);
        Ok(Some(OpenItem {
            invoice_id: row.get(0)?,
            customer_id,
            number: row.get(2)?,
            kind,
            issue_date,
            due_date,
            open: if kind == InvoiceKind::CreditNote {
                -open
            } else {
                open
            },
            disputed: row.get(8)?,
        }))
    }

    /// A row of the lean queries ([`lean_items_select`]) into the ageing report. The
    /// issue date is parsed only when the due date is missing: it is not used otherwise.
    fn age(&mut self, row: &Row<'_>, acc: &mut MinorAgeing) -> StoreResult<()> {
        let signed_open: i64 = row.get(2)?;
        let (kind, open_minor) = match signed_open {
            0 => return Ok(()),
            ..0 => (InvoiceKind::CreditNote, -signed_open),
            _ => (InvoiceKind::Invoice, signed_open),
        };
        let customer_id: CustomerId = row.get(0)?;
        let due_date = match bytes(row, 1)? {
            [b'+', issued @ ..] => {
                let issued = std::str::from_utf8(issued).unwrap_or_default();
                self.due_by_terms(date_from_sql(issued)?, customer_id)?
            }
            due => self.due_dates.parse(due)?,
        };
        let exponent = match bytes_opt(row, 3)? {
            None => self.usual_exponent,
            Some(code) => self.exponent(code),
        };
        acc.add(customer_id, kind, due_date, open_minor, exponent);
        Ok(())
    }

    /// The decimals of currency `code`, worked out again only when it differs from the
    /// last one asked for.
    fn exponent(&mut self, code: &[u8]) -> u32 {
        if code != self.exponent.0.as_slice() {
            let parsed = std::str::from_utf8(code)
                .map_or_else(|_| Currency::default(), |code| self.currency(code));
            self.exponent = (code.to_vec(), parsed.exponent());
        }
        self.exponent.1
    }

    /// The due date of an invoice that has none: issued + the customer's terms.
    fn due_by_terms(
        &mut self,
        issue_date: NaiveDate,
        customer: CustomerId,
    ) -> StoreResult<NaiveDate> {
        let terms = self.terms_of(customer)?;
        Ok(issue_date
            .checked_add_days(Days::new(u64::from(terms)))
            .unwrap_or(issue_date))
    }
}

/// Calls `f` with every item open on `as_of` (of one customer, or all).
pub fn for_each_open_item(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    customer: Option<CustomerId>,
    mut f: impl FnMut(OpenItem),
) -> StoreResult<()> {
    let mut reader = Reader::new(conn, default_terms_days);
    let day = date_to_sql(as_of);
    let snapshot = Snapshot::begin(conn)?;
    let queries: &[&str] = match customer {
        Some(_) => &[CUSTOMER_OPEN_ITEMS_SQL],
        None => &[OPEN_NOW_SQL, SETTLED_AFTER_SQL],
    };
    for sql in queries {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = match customer {
            Some(c) => stmt.query(params![day, c])?,
            None => stmt.query(params![day])?,
        };
        while let Some(row) = rows.next()? {
            if let Some(item) = reader.item(row)? {
                f(item);
            }
        }
    }
    snapshot.end()
}

/// The statements of one report read one state of the database: an invoice settled by
/// another connection between the open ones and the settled-after ones would be counted
/// twice, and the customers' names could miss one added meanwhile. A read transaction when
/// the connection is not in one already (inside one, that one holds).
struct Snapshot<'c>(Option<rusqlite::Transaction<'c>>);

impl<'c> Snapshot<'c> {
    fn begin(conn: &'c Connection) -> StoreResult<Snapshot<'c>> {
        Ok(Snapshot(if conn.is_autocommit() {
            Some(conn.unchecked_transaction()?)
        } else {
            None
        }))
    }

    fn end(self) -> StoreResult<()> {
        if let Some(tx) = self.0 {
            tx.commit()?;
        }
        Ok(())
    }
}

impl<'c> Reader<'c> {
    fn new(conn: &'c Connection, default_terms_days: u32) -> Self {
        Reader {
            conn,
            default_terms_days,
            terms: None,
            currency: (String::new(), Currency::default()),
            exponent: (Vec::new(), Currency::default().exponent()),
            usual_exponent: Currency::default().exponent(),
            due_dates: super::due_dates::DueDates::new(),
        }
    }
}

pub fn customer_names(conn: &Connection) -> StoreResult<HashMap<CustomerId, (String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, code, name FROM customers")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One currency's items open on ?1 summed in SQL, credit notes negative: the lowest and
/// highest currency code and the sum in minor units, which is one currency's sum when the
/// two codes are the same (every portfolio but a few).
macro_rules! total_open_sql {
    ($range:literal) => {
        concat!(
            "SELECT MIN(currency), MAX(currency),
       COALESCE(SUM(CASE WHEN credit_note THEN -open ELSE open END), 0)
FROM (SELECT i.kind = 'credit_note' AS credit_note, i.currency,",
            open_amount!(),
            " AS open
      FROM invoices i
      WHERE ",
            $range,
            ")
WHERE open > 0"
        )
    };
}

const TOTAL_OPEN_NOW_SQL: &str = total_open_sql!("i.settled_on IS NULL AND i.issue_date <= ?1");
const TOTAL_SETTLED_AFTER_SQL: &str = total_open_sql!("i.settled_on > ?1 AND i.issue_date <= ?1");

/// What every customer owed on `as_of` in all (credit notes deducted): the sum of
/// [`for_each_open_item`]'s amounts, added by SQLite (half the time of reading the items
/// at a million invoices: the figure a customer's card compares its exposure with). Items
/// in several currencies are read one by one, as the sum of their amounts.
pub fn total_open(conn: &Connection, as_of: NaiveDate) -> StoreResult<Decimal> {
    let snapshot = Snapshot::begin(conn)?;
    let total = summed_open(conn, as_of)?;
    snapshot.end()?;
    Ok(total)
}

fn summed_open(conn: &Connection, as_of: NaiveDate) -> StoreResult<Decimal> {
    let day = date_to_sql(as_of);
    let mut total = Decimal::ZERO;
    for sql in [TOTAL_OPEN_NOW_SQL, TOTAL_SETTLED_AFTER_SQL] {
        let (low, high, minor): (Option<String>, Option<String>, i64) =
            conn.prepare_cached(sql)?
                .query_row([&day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        match (low, high) {
            (None, _) => {}
            (Some(low), Some(high)) if low == high => {
                total += from_minor(minor, Currency::parse(&low).unwrap_or_default());
            }
            _ => {
                let mut total = Decimal::ZERO;
                // The terms only set due dates, which a total does not read.
                for_each_open_item(conn, as_of, 0, None, |item| total += item.open)?;
                return Ok(total);
            }
        }
    }
    Ok(total)
}

/// Every customer's code and name in id order (the table's own order), each taken once by
/// the report: a hash map of 20,000 names cost a tenth of the report to build and empty.
struct NamesById(Vec<(CustomerId, String, String)>);

impl NamesById {
    fn read(conn: &Connection) -> StoreResult<NamesById> {
        let mut stmt = conn.prepare_cached("SELECT id, code, name FROM customers ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(NamesById(rows.collect::<Result<_, _>>()?))
    }

    fn take(&mut self, id: CustomerId) -> (String, String) {
        match self.0.binary_search_by_key(&id, |c| c.0) {
            Ok(at) => {
                let (_, code, name) = &mut self.0[at];
                (std::mem::take(code), std::mem::take(name))
            }
            Err(_) => Default::default(),
        }
    }
}

/// The aged receivables on `as_of`: the same open items as [`for_each_open_item`], read
/// with the report's columns only and summed in integer minor units ([`MinorAgeing`]).
pub fn ageing_report(
    conn: &Connection,
    as_of: NaiveDate,
    buckets: Buckets,
    default_terms_days: u32,
) -> StoreResult<AgeingReport> {
    let mut acc = MinorAgeing::new(as_of, buckets);
    let mut reader = Reader::new(conn, default_terms_days);
    let day = date_to_sql(as_of);
    let snapshot = Snapshot::begin(conn)?;
    let usual_currency: String = conn
        .prepare_cached(USUAL_CURRENCY_SQL)?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    reader.usual_exponent = reader.exponent(usual_currency.as_bytes());
    for sql in [OPEN_NOW_LEAN_SQL, SETTLED_AFTER_LEAN_SQL] {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params![day, usual_currency])?;
        while let Some(row) = rows.next()? {
            reader.age(row, &mut acc)?;
        }
    }
    let mut names = NamesById::read(conn)?;
    snapshot.end()?;
    Ok(acc.finish(|id| names.take(id)))
}
